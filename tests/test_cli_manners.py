"""CLI manners: --help with an example on every command, colour and progress only for a person
at a terminal, --quiet and --verbose."""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

import pytest

from generator import __version__
from generator.app import api
from generator.app.console import ProgressLine, show_progress, use_color
from generator.cli import main, main_parser


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_every_command_help_has_an_example() -> None:
    parser = main_parser()
    commands = _subparsers(parser)
    assert {"check", "build", "release", "export", "init", "schema"} <= set(commands)
    assert "example" in parser.format_help()
    for name, sub in commands.items():
        text = sub.format_help()
        assert "example" in text, f"s1sr {name} --help has no example"
        assert f"s1sr {name}" in text.split("example", 1)[1], f"s1sr {name} --help: the example does not run it"


def test_every_command_accepts_quiet_and_verbose_on_either_side() -> None:
    parser = main_parser()
    for name in _subparsers(parser):
        assert "--quiet" in _subparsers(parser)[name].format_help(), name
    args = parser.parse_args(["check", "-q"])
    assert args.quiet is True and args.verbose is False
    args = parser.parse_args(["-v", "check"])
    assert args.verbose is True and args.quiet is False
    with pytest.raises(SystemExit):
        parser.parse_args(["check", "-q", "-v"])


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"s1sr {__version__}"


# -- colour ---------------------------------------------------------------------------------
def test_use_color() -> None:
    assert use_color(FakeTTY(), {}) is True
    assert use_color(FakeTTY(), {"NO_COLOR": "1"}) is False
    assert use_color(FakeTTY(), {"TERM": "dumb"}) is False
    assert use_color(io.StringIO(), {}) is False
    assert use_color(io.StringIO(), {"FORCE_COLOR": "1"}) is True
    assert use_color(io.StringIO(), {"FORCE_COLOR": "1", "NO_COLOR": "1"}) is False


def _broken(mini: Path) -> Path:
    section = mini / "sections" / "01-general.yaml"
    section.write_text(section.read_text().replace("[[annex]]", "[[nowhere]]"))
    return mini


def test_colour_on_a_terminal_only(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _broken(mini)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stdout", tty)
    assert main(["check", "--content", str(mini)]) == 1
    assert "\033[31merror\033[0m" in tty.getvalue()

    monkeypatch.setenv("NO_COLOR", "1")
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stdout", tty)
    assert main(["check", "--content", str(mini)]) == 1
    assert "\033[" not in tty.getvalue() and "S1SR201 error" in tty.getvalue()


def test_no_colour_when_piped(mini: Path) -> None:
    _broken(mini)
    proc = subprocess.run([sys.executable, "-m", "generator", "check", "--content", str(mini)],
                          capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "TERM": "xterm"})
    assert proc.returncode == 1 and "S1SR201 error" in proc.stdout and "\033[" not in proc.stdout


# -- quiet and verbose -----------------------------------------------------------------------
def test_quiet_and_verbose_check(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--content", str(mini)]) == 0
    assert "0 error(s)" in capsys.readouterr().out
    assert main(["check", "--quiet", "--content", str(mini)]) == 0
    assert capsys.readouterr().out == ""
    _broken(mini)
    assert main(["-v", "check", "--content", str(mini)]) == 1
    captured = capsys.readouterr()
    assert "  docs: rules/S1SR201" in captured.out
    assert "checked" in captured.err


# -- progress --------------------------------------------------------------------------------
def test_show_progress() -> None:
    assert show_progress(FakeTTY(), {}) is True
    assert show_progress(FakeTTY(), {"CI": "true"}) is False
    assert show_progress(io.StringIO(), {}) is False
    assert show_progress(FakeTTY(), {}, quiet=True) is False


def test_progress_line_rewrites_and_erases() -> None:
    out = FakeTTY()
    line = ProgressLine(out, "s1sr: ")
    line("docx", 0, 3)
    line("xlsx", 1, 3)
    line.close()
    assert out.getvalue() == "\r\033[Ks1sr: [1/3] docx …\r\033[Ks1sr: [2/3] xlsx …\r\033[K"


def test_render_reports_each_writer(mini: Path) -> None:
    project = api.load_clean(str(mini)).project
    seen: list[tuple[str, int, int]] = []
    api.render(project, only=("json",), progress=lambda step, done, total: seen.append((step, done, total)))
    assert seen == [("json", 0, 1)]


def _build(mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> str:
    from generator import writers

    monkeypatch.setattr(writers, "WRITERS", {"json": writers.WRITERS["json"]})
    for k in ("CI", "NO_COLOR", "TERM"):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    err = FakeTTY()
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["build", "--content", str(mini), "--out", str(tmp_path / "out")]) == 0
    return err.getvalue()


def test_build_progress_on_a_terminal(mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "[1/1] json" in _build(mini, tmp_path, monkeypatch, {})


def test_build_progress_silent_in_ci(mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _build(mini, tmp_path, monkeypatch, {"CI": "true"}) == ""


def test_build_progress_silent_when_piped(mini: Path, tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "generator", "build", "--content", str(mini), "--out",
                           str(tmp_path / "out")], capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin"})
    assert "\r" not in proc.stderr and "[1/" not in proc.stderr


@pytest.mark.parametrize(("argv", "suggested"), [
    (["chekc"], "check"),
    (["-q", "buidl", "--out", "x"], "build"),
    (["relase", "v14"], "release"),
])
def test_a_mistyped_command_is_answered_with_the_nearest_one(argv: list[str], suggested: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"did you mean '{suggested}'?" in err and "Traceback" not in err


def test_a_word_like_no_command_gets_the_list_of_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["zzz"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "did you mean" not in err and "check" in err and "absorb" in err
