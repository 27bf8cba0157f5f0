"""The test helpers' rule: a missing end-to-end dependency skips on a developer's machine and
fails in CI (CI=true), so a green CI run never hides a test that did not run."""

from __future__ import annotations

import pytest

from tests.support import require, require_module


@pytest.mark.parametrize("value", ["true", "1", "TRUE"])
def test_in_ci_a_missing_tool_fails(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="no-such-tool-s1sr is missing"):
        require("no-such-tool-s1sr")
    with pytest.raises(pytest.fail.Exception, match="no_such_module_s1sr"):
        require_module("no_such_module_s1sr")


def test_elsewhere_a_missing_tool_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require("no-such-tool-s1sr")
    with pytest.raises(pytest.skip.Exception):
        require_module("no_such_module_s1sr")


def test_a_present_tool_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert require("python3").endswith("python3")
    assert require_module("json").dumps([]) == "[]"
