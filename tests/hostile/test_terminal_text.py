"""Nothing the portal sends drives the terminal: a portal's error message with ESC and OSC on
stderr, names renamed in `zdesk diff`, RLO and C1 characters in `check --json` all pass the one
plain-text rule, and the token is left out of every output, also where the portal echoes it in its
data. Over loopback HTTP, through the commands' own streams."""

from __future__ import annotations

import io
import json

from zdesk.cli.check import run_check_command
from zdesk.cli.diff import run_diff_command
from zdesk.demo.server import FakePortal

from ..portal.hostile import HostileServer, json_answer

ESCAPES = "\x1b]0;gehackt\x07\x1b[2J\x9b31m\u202e\u2066"


# What may drive a terminal or reorder what it shows: C0 but line break and tab, DEL, C1, bidi.
DRIVING = {*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)}
DRIVING |= {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def raw_controls(text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in text if ord(c) in DRIVING})


def test_a_portal_error_message_reaches_stderr_as_plain_text(monkeypatch):
    body = json.dumps(
        {"response": {"status": 400, "message": f"Fout{ESCAPES}melding", "data": []}}
    ).encode()
    monkeypatch.setenv("ZDESK_TOKEN", "testtoken")
    with HostileServer(json_answer(body, "400 Bad Request")) as server:
        out, err = io.StringIO(), io.StringIO()
        code = run_check_command(server.url, 401, False, False, None, out=out, err=err)
    assert code == 4
    assert "Fout" in err.getvalue() and "gehackt" in err.getvalue()
    assert raw_controls(err.getvalue()) == []


def test_check_json_and_text_keep_portal_text_plain_and_leave_the_token_out(
    own_school, monkeypatch
):
    pid = own_school.current_project
    project = own_school.rows_of("schoolsinschoolyears", pid)[0]
    department = own_school.rows_of("departmentsofbranches", pid)[0]
    with FakePortal(own_school) as fake:
        # The portal echoes the token in its data, next to escapes, bidi overrides and C1.
        project["name"] = f"De Vaart{ESCAPES}{fake.token}"
        department["code"] = f"h4{ESCAPES}"
        monkeypatch.setenv("ZDESK_TOKEN", fake.token)
        outputs = []
        for as_json in (True, False):
            out, err = io.StringIO(), io.StringIO()
            assert run_check_command(fake.url, pid, False, as_json, None, out=out, err=err) == 0
            outputs.append(out.getvalue() + err.getvalue())
        token = fake.token

    for text in outputs:
        assert raw_controls(text) == []
        assert token not in text and "De Vaart" in text and "h4" in text
    report = json.loads(outputs[0])  # escaped, not dropped: the data stays exact for a program
    assert report["project"]["name"] == f"De Vaart{ESCAPES}***"
    assert any(f"h4{ESCAPES}" in f["message"] for f in report["findings"])


def test_renamed_names_in_zdesk_diff_are_plain_text(own_school, monkeypatch):
    pid = own_school.current_project
    group = own_school.rows_of("groupindepartments", pid)[0]
    with FakePortal(own_school) as fake:
        monkeypatch.setenv("ZDESK_TOKEN", fake.token)
        name = fake.url.split("//")[1]
        out, err = io.StringIO(), io.StringIO()
        assert run_check_command(fake.url, pid, False, True, None, out=out, err=err) == 0
        group["name"] = f"4a{ESCAPES}"
        group["extendedName"] = f"h4.4a{ESCAPES}"
        fake.school_changed()
        assert run_check_command(fake.url, pid, False, True, None, out=out, err=err) == 0

    for as_json in (False, True):
        out, err = io.StringIO(), io.StringIO()
        assert run_diff_command(name, pid, None, as_json, out=out, err=err) == 0, err.getvalue()
        shown = out.getvalue()
        assert "4a" in shown and "gehackt" in shown
        assert raw_controls(shown) == [] and raw_controls(err.getvalue()) == []


def test_an_argument_repeated_in_a_usage_error_is_plain_text(capsys):
    import pytest

    from zdesk.cli import main

    with pytest.raises(SystemExit) as ended:
        main(["check", "--project", f"4{ESCAPES}"])
    assert ended.value.code == 2
    said = capsys.readouterr().err
    assert "ongeldige waarde" in said and raw_controls(said) == []
