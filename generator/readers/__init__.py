"""Readers turn an input into the model plus diagnostics; they never raise on bad input."""
