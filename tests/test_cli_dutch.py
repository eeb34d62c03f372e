"""The command line speaks Dutch: argparse's headings, usage, help and error messages included."""

from __future__ import annotations

import re

import pytest

from zdesk.cli.main import build_parser, dutch_error

# argparse's English, as it would show without the Dutch texts.
ENGLISH = re.compile(
    r"usage|positional arguments|\boptions\b|show this help|show program|\berror\b|required|"
    r"invalid|unrecognized|choose from|expected|argument\(s\)",
    re.IGNORECASE,
)
COMMANDS = ([], ["demo-server"], ["check"], ["export"])


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0] if c else "zdesk")
def test_help_is_dutch(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args([*command, "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("Gebruik: zdesk") and "opties:" in text
    assert "toon deze hulp en stop" in text
    assert not ENGLISH.findall(text), text


@pytest.mark.parametrize(
    ("argv", "dutch"),
    [
        (["export"], "deze argumenten ontbreken: BESTAND.xlsx"),
        (["frob"], "argument OPDRACHT: ongeldige keuze 'frob' (kies uit 'demo-server'"),
        (["check", "--project", "x"], "argument --project: ongeldige waarde 'x'"),
        (["demo-server", "--port"], "argument --port: er hoort één waarde bij"),
        (["check", "--nope"], "onbekende argumenten: --nope"),
    ],
)
def test_errors_are_dutch(argv, dutch, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Gebruik: zdesk") and ": fout: " in err and dutch in err
    assert not ENGLISH.findall(err), err


def test_an_unknown_message_is_kept_as_it_is():
    assert dutch_error("something new") == "something new"
    assert dutch_error("argument -x: something new") == "argument -x: something new"
