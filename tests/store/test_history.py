"""The history of loads: what is read back is what was saved, encrypted, refused when damaged,
thinned by date, gone with the portal, and absent without a key."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import zlib
from datetime import datetime, timedelta
from pathlib import Path

import keyring
import keyring.backends.fail
import msgspec
import pytest

from zdesk.app.history import History, HistoryUnavailable, open_history
from zdesk.domain.codec import encode_load
from zdesk.store import history as history_module
from zdesk.store import sealed
from zdesk.store.history import (
    Retention,
    SavedLoad,
    file_name,
    forget_portal,
    time_of,
    to_remove,
)
from zdesk.store.paths import history_dir
from zdesk.store.sealed import HEADER_SIZE, Unreadable
from zdesk.store.secrets import HISTORY_KEY_VARIABLE, HISTORY_SERVICE

from .helpers import as_format_1, copy_project, kept_fields

PORTAL = "demoschool"
KEY = bytes(range(32))


@pytest.fixture
def history(tmp_path) -> History:
    return History(PORTAL, KEY, tmp_path / "history" / PORTAL)


def test_a_saved_load_reads_back_equal(history, small_project):
    project, run = small_project
    saved = history.save(project, run)
    assert saved is not None and saved.path.exists()
    assert history.loads(project.info.id) == [saved]
    snapshot = history.read(saved)
    assert kept_fields(snapshot.project) == kept_fields(project)
    assert snapshot.project.counts() == project.counts()
    assert snapshot.checks.findings == run.findings
    assert snapshot.checks.skipped == run.skipped
    assert snapshot.repaired == []
    # The lessentabel (kept as the portal's JSON text) survives as text.
    with_hours = [c for c in project.choosables if c.lesson_hours]
    assert with_hours
    again = snapshot.project.choosable_by_id[with_hours[0].id]
    assert again.lesson_hours == with_hours[0].lesson_hours


def test_a_reopened_load_keeps_its_doorstroom(history, small_project):
    from zdesk.domain.doorstroom import doorstroom_of

    project, run = small_project
    snapshot = history.read(history.save(project, run))
    again, before = doorstroom_of(snapshot.project), doorstroom_of(project)
    assert again is not None and before is not None
    assert snapshot.project.previous_info == project.previous_info
    assert (again.flows, again.unplaced, again.expected) == (
        before.flows,
        before.unplaced,
        before.expected,
    )
    assert again.not_placed == before.not_placed and before.not_placed


def test_a_load_without_all_checks_gets_them_run_again(history, small_project):
    project, run = small_project
    saved = history.save(project, run, complete=False)
    assert history.read(saved).checks.findings == run.findings


def _damaged(history: History, small_project, damage) -> tuple[SavedLoad, SavedLoad]:
    project, run = small_project
    older = history.save(copy_project(project, loaded_at=project.loaded_at - 3600), run)
    newer = history.save(project, run)
    blob = bytearray(newer.path.read_bytes())
    newer.path.write_bytes(bytes(damage(blob)))
    return older, newer


def _flip_last(blob: bytearray) -> bytearray:
    blob[-1] ^= 0x01
    return blob


def _future(blob: bytearray) -> bytearray:
    blob[6] = sealed.VERSION + 1  # the format version byte
    return blob


@pytest.mark.parametrize(
    ("damage", "reason", "words"),
    [
        (_flip_last, "tampered", "beschadigd of gewijzigd"),
        (lambda b: b[: len(b) // 2], "truncated", "onvolledig"),
        (lambda b: b[: HEADER_SIZE - 3], "truncated", "onvolledig"),
        (_future, "future", "nieuwere versie"),
        (lambda b: bytearray(b"PK\x03\x04 no zdesk file"), "not-zdesk", "geen bestand van zdesk"),
        (lambda b: bytearray(), "truncated", "onvolledig"),
    ],
)
def test_a_damaged_load_is_skipped_with_its_reason(
    history, small_project, damage, reason, words, logfail
):
    logfail.expect("zdesk.store.history", "overgeslagen")
    older, newer = _damaged(history, small_project, damage)
    with pytest.raises(Unreadable) as caught:
        history.read(newer)
    assert caught.value.reason == reason
    assert words in str(caught.value)
    # The newest readable load is the one before; the skipped file is named in a message.
    snapshot = history.latest(small_project[0].info.id)
    assert snapshot is not None and snapshot.saved == older
    assert len(history.problems) == 1 and newer.path.name in history.problems[0]
    assert words in history.problems[0]


def test_a_load_saved_in_the_zlib_format_still_reads_back_equal(history, small_project):
    project, run = small_project
    saved = history.save(project, run)
    old_content = as_format_1(encode_load(project, run))
    context = f"{PORTAL}\x00{project.info.id}".encode()
    blob = sealed.seal_compressed(
        KEY, b"L", context, sealed.ZLIB_VERSION, zlib.compress(old_content, 1)
    )
    saved.path.write_bytes(blob)
    assert blob[6] == 1  # the format version byte of files written before Zstandard
    snapshot = history.read(saved)
    assert kept_fields(snapshot.project) == kept_fields(project)
    assert snapshot.checks.findings == run.findings
    assert snapshot.repaired == []


def test_content_sealed_in_parts_reads_back_whole():
    parts = [b"eerste deel ", bytes(range(256)) * 4000, b"", b"laatste"]
    blob = sealed.seal(KEY, b"L", b"ctx", iter(parts))
    assert blob[6] == sealed.VERSION
    assert sealed.unseal(KEY, b"L", b"ctx", blob) == b"".join(parts)
    assert sealed.unseal(KEY, b"L", b"ctx", sealed.seal(KEY, b"L", b"ctx", b"")) == b""


def test_content_that_does_not_decompress_is_corrupt():
    # Authenticated (as only a bug in zdesk could write it), yet not a Zstandard frame.
    blob = sealed.seal_compressed(KEY, b"L", b"ctx", sealed.VERSION, b"geen zstandard")
    with pytest.raises(Unreadable) as caught:
        sealed.unseal(KEY, b"L", b"ctx", blob)
    assert caught.value.reason == "corrupt"


def test_a_zstandard_frame_cut_short_is_corrupt():
    # Authenticated, and the start of a real frame: the decompressor gives what it has without
    # complaint, so only the frame's missing end tells.
    frame = sealed.zstandard.ZstdCompressor().compress(b"x" * 10_000)
    blob = sealed.seal_compressed(KEY, b"L", b"ctx", sealed.VERSION, frame[:-4])
    with pytest.raises(Unreadable) as caught:
        sealed.unseal(KEY, b"L", b"ctx", blob)
    assert caught.value.reason == "corrupt"


def test_another_key_is_told_apart_from_damage(history, small_project, tmp_path, logfail):
    logfail.expect("zdesk.store.history", "overgeslagen")
    project, run = small_project
    saved = history.save(project, run)
    other = History(PORTAL, bytes(32), history.folder)
    with pytest.raises(Unreadable) as caught:
        other.read(saved)
    assert caught.value.reason == "other-key"
    assert other.latest(project.info.id) is None
    assert "andere sleutel" in other.problems[0]


def test_a_load_moved_to_another_project_folder_is_refused(history, small_project):
    project, run = small_project
    saved = history.save(project, run)
    moved = saved.path.parent.parent / "999" / saved.path.name
    moved.parent.mkdir()
    saved.path.rename(moved)
    with pytest.raises(Unreadable) as caught:
        history.read(SavedLoad(PORTAL, 999, saved.loaded_at, moved))
    assert caught.value.reason == "tampered"


def test_file_names_carry_the_load_time():
    moment = 1767225600.25
    name = file_name(moment)
    assert name.startswith("20260101T000000250Z-") and name.endswith(".zdh")
    assert time_of(name) == pytest.approx(moment, abs=0.001)
    assert time_of(".20260101T000000250Z-abc.zdh.tmp") is None
    assert time_of("bekend.zdk") is None


def _local(day: datetime) -> float:
    return day.timestamp()


def test_retention_keeps_a_week_whole_then_the_last_load_of_each_day_for_eight_weeks():
    now = datetime(2026, 3, 20, 12, 0)
    loads = []
    for days_ago in (0, 1, 6, 8, 9, 55, 57):
        for hour in (9, 13, 17):
            moment = now - timedelta(days=days_ago) + timedelta(hours=hour - 12)
            loads.append(SavedLoad(PORTAL, 1, _local(moment), Path(f"{days_ago}-{hour}")))
    # Another project is thinned on its own.
    loads.append(SavedLoad(PORTAL, 2, _local(now - timedelta(days=8, hours=1)), Path("p2")))
    gone = {s.path.name for s in to_remove(loads, _local(now), Retention())}
    assert gone == {"8-9", "8-13", "9-9", "9-13", "55-9", "55-13", "57-9", "57-13", "57-17"}
    shorter = to_remove(loads, _local(now), Retention(keep_days=7, every_load_days=7))
    assert {s.path.name for s in shorter} == {
        f"{d}-{h}" for d in (8, 9, 55, 57) for h in (9, 13, 17)
    } | {"p2"}
    assert len(to_remove(loads, _local(now), Retention(keep_days=0))) == len(loads)


def test_saving_applies_retention_to_the_files(history, small_project):
    project, run = small_project
    now = project.loaded_at
    then = now - 60 * 86400
    old = history.save(copy_project(project, loaded_at=then), run, now=then + 1)
    assert old is not None and old.path.exists()
    leftover = old.path.parent / ".stale.tmp"
    leftover.write_bytes(b"half")
    os.utime(leftover, (now - 2 * 86400, now - 2 * 86400))
    kept = history.save(project, run, now=now)
    assert not old.path.exists() and not leftover.exists()
    assert history.loads() == [kept]
    assert history.save(project, run, retention=Retention(keep_days=0)) is None
    assert history.loads() == []


def test_clearing_removes_loads_and_marks(history, small_project):
    project, run = small_project
    history.save(project, run)
    history.mark_known(project.info.id, run.findings[0], "zo bedoeld")
    history.clear()
    assert history.loads() == [] and history.known(project.info.id) == {}
    assert not history.folder.exists()


def test_unlinking_a_portal_removes_its_history_and_key(small_project, memory_keyring):
    project, run = small_project
    history = open_history(PORTAL)
    first_key = memory_keyring.items[(HISTORY_SERVICE, PORTAL)]
    other = open_history("anderportaal")
    history.save(project, run)
    other.save(project, run)
    forget_portal(PORTAL)
    assert not (history_dir() / PORTAL).exists()
    assert (HISTORY_SERVICE, PORTAL) not in memory_keyring.items
    # Another portal's history and key stay.
    assert other.loads() and (HISTORY_SERVICE, "anderportaal") in memory_keyring.items
    # Linking again starts a new history with a new key.
    again = open_history(PORTAL)
    assert again.loads() == [] and memory_keyring.items[(HISTORY_SERVICE, PORTAL)] != first_key


def test_the_key_lives_in_the_keyring_and_is_reused(small_project, memory_keyring):
    project, run = small_project
    first = open_history(PORTAL)
    saved = first.save(project, run)
    # A new process: the same key comes from the keyring and reads the load.
    assert open_history(PORTAL).read(saved).project.info.id == project.info.id


def test_no_history_without_a_keyring(small_project, monkeypatch):
    monkeypatch.setattr(keyring, "get_keyring", lambda: keyring.backends.fail.Keyring())
    with pytest.raises(HistoryUnavailable) as caught:
        open_history(PORTAL)
    assert "geen beveiligde sleutelopslag" in str(caught.value)
    assert HISTORY_KEY_VARIABLE in str(caught.value)
    assert not history_dir().exists()


def test_a_locked_keyring_means_no_history_with_the_reason(memory_keyring):
    memory_keyring.locked = True
    with pytest.raises(HistoryUnavailable) as caught:
        open_history(PORTAL)
    assert "vergrendeld" in str(caught.value)


def test_the_key_can_come_from_the_environment(small_project, monkeypatch, memory_keyring):
    import base64

    monkeypatch.setattr(keyring, "get_keyring", lambda: keyring.backends.fail.Keyring())
    monkeypatch.setenv(HISTORY_KEY_VARIABLE, base64.b64encode(KEY).decode())
    project, run = small_project
    saved = open_history(PORTAL).save(project, run)
    assert History(PORTAL, KEY).read(saved).project.info.id == project.info.id
    assert memory_keyring.items == {}
    monkeypatch.setenv(HISTORY_KEY_VARIABLE, "te kort")
    with pytest.raises(HistoryUnavailable) as caught:
        open_history(PORTAL)
    assert "openssl rand -base64 32" in str(caught.value)


def test_no_personal_data_in_plaintext_anywhere_in_the_data_folder(
    small_school, small_project, memory_keyring
):
    project, run = small_project
    history = open_history(PORTAL)
    history.save(project, run)
    student_finding = next(f for f in run.findings if f.object_type == "student")
    history.mark_known(project.info.id, student_finding, "leerling zit bewust in twee afdelingen")
    words: set[str] = set()
    for user in small_school.users:
        words.add(user["code"])
        parts = [user.get("firstName"), user.get("prefix"), user.get("lastName")]
        words.add(" ".join(p for p in parts if p))
        # Short name parts would turn up by chance in random bytes; longer ones never do.
        words.update(p for p in parts if p and len(p) >= 5)
    home = Path(os.environ["ZDESK_HOME"])
    files = [p for p in home.rglob("*") if p.is_file()]
    assert any(p.suffix == ".zdh" for p in files) and any(p.suffix == ".zdk" for p in files)
    for path in files:
        raw = path.read_bytes()
        for word in words:
            for encoded in (word.encode("utf-8"), word.encode("utf-16-le")):
                assert encoded not in raw, f"{word!r} in plaintext in {path.name}"
    assert b"bewust" not in b"".join(p.read_bytes() for p in files)


def test_known_marks_are_kept_per_project_and_matched_across_loads(history, small_project):
    project, run = small_project
    finding = run.findings[0]
    history.mark_known(project.info.id, finding, "  h4/v4 combinatiegroep, zo bedoeld ")
    marks = History(PORTAL, KEY, history.folder).known(project.info.id)
    assert list(marks) == [(finding.check, finding.object_type, finding.object_id)]
    assert marks[finding.check, finding.object_type, finding.object_id].note == (
        "h4/v4 combinatiegroep, zo bedoeld"
    )
    assert history.known(project.info.id + 1) == {}
    history.unmark_known(project.info.id, finding)
    assert history.known(project.info.id) == {}


def test_damaged_marks_are_skipped_with_a_message(history, small_project, logfail):
    logfail.expect("zdesk.store.history", "overgeslagen")
    project, run = small_project
    history.mark_known(project.info.id, run.findings[0], "x")
    path = history.folder / str(project.info.id) / history_module.KNOWN_FILE
    path.write_bytes(path.read_bytes()[:-4])
    assert history.known(project.info.id) == {}
    assert "onvolledig" in history.problems[0]


def test_marks_made_at_once_are_all_kept(history, small_project):
    project, run = small_project
    findings = run.findings[:8]
    windows = [History(PORTAL, KEY, history.folder) for _ in findings]
    threads = [
        threading.Thread(target=w.mark_known, args=(project.info.id, f, f"note {i}"))
        for i, (w, f) in enumerate(zip(windows, findings, strict=True))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(history.known(project.info.id)) == len(findings)


def test_two_processes_on_one_profile_do_not_corrupt_each_other(history, small_project):
    project, run = small_project
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from zdesk.domain.findings import Finding
        from zdesk.domain.severity import Severity
        from zdesk.app.history import History
        h = History({PORTAL!r}, bytes(range(32)), Path(sys.argv[1]))
        for i in range(40):
            h.mark_known({project.info.id}, Finding("x", Severity.INFO, "group", i, ""), str(i))
        print("done")
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(history.folder)], stdout=subprocess.PIPE, text=True
    )
    saved = []
    try:
        for i in range(3):
            saved.append(history.save(copy_project(project, loaded_at=project.loaded_at + i), run))
            history.mark_known(project.info.id, run.findings[i], f"hier {i}")
    finally:
        out, _ = child.communicate(timeout=60)
    assert child.returncode == 0 and "done" in out
    assert len(history.known(project.info.id)) == 43
    for s in saved:
        assert history.read(s).project.counts() == project.counts()
    assert not list(history.folder.rglob("*.tmp"))


def test_the_picker_offers_named_loads_the_previous_day_first():
    from zdesk.store.history import comparison_choices

    shown = datetime(2026, 3, 20, 9, 0)

    def at(*parts):
        moment = datetime(*parts)
        return SavedLoad(PORTAL, 1, moment.timestamp(), Path(moment.isoformat()))

    loads = [
        at(2026, 3, 20, 8, 0),  # earlier today
        at(2026, 3, 19, 17, 0),  # yesterday
        at(2026, 3, 12, 9, 0),  # 8 days ago
        at(2026, 2, 27, 9, 0),  # before the month began
        at(2026, 3, 20, 10, 0),  # after the shown load: never offered
    ]
    choices = comparison_choices(loads, shown.timestamp())
    assert [(c.label, c.saved) for c in choices] == [
        ("vorige dag", loads[1]),
        ("vorige keer", loads[0]),
        ("een week geleden", loads[2]),
        ("begin van de maand", loads[3]),
    ]
    only_today = comparison_choices(loads[:1], shown.timestamp())
    assert [c.label for c in only_today] == ["vorige keer"]
    assert comparison_choices(loads[4:], shown.timestamp()) == []
    this_month = comparison_choices([loads[0], loads[1], loads[2]], shown.timestamp())
    # Nothing before the month: its first load stands for its beginning.
    assert [c.label for c in this_month] == ["vorige dag", "vorige keer", "een week geleden"]
    many = comparison_choices([*loads, at(2026, 3, 18, 9, 0)], shown.timestamp())
    assert many[-1].label == "18-03-2026 09:00"
    from zdesk.domain.when import TABLE_MOMENT

    assert many[-1].saved.when.strftime(TABLE_MOMENT) == many[-1].label  # one format everywhere


# Written by zdesk before Zstandard (commit 03f3738: sealed format 1 with zlib, codec format 1
# with every table one array, keuzevakken as rows) from the small demo school, key bytes 0..31:
# that version's loader, checks, codec and history, reading the rows of today's demo school
# (with its doorstroom) from that version's fake portal.
FORMAT_1_FILE = Path(__file__).parent.parent / "data" / "format-1-small-school.zdesk"
FORMAT_1_LOADED_AT = 1796080968.795


def test_a_file_written_before_zstandard_reads_back_equal(tmp_path, small_project):
    project, run = small_project
    blob = FORMAT_1_FILE.read_bytes()
    assert blob[6] == sealed.ZLIB_VERSION  # a real file of the older format, not a made-up one
    history = History("fixture", bytes(range(32)), tmp_path)
    saved = SavedLoad("fixture", project.info.id, FORMAT_1_LOADED_AT, FORMAT_1_FILE)
    snapshot = history.read(saved)
    assert snapshot.repaired == []
    old, new = kept_fields(snapshot.project), kept_fields(project)
    for moment in ("portal", "loaded_at"):  # of that load, not of this one
        old.pop(moment), new.pop(moment)
    # The previous project is read since the doorstroom (issue 28): that file has none of it.
    for later in [k for k in new if k.startswith("previous_")]:
        assert not old.pop(later, None)
        new.pop(later)
    # The portal's prognose is read since then too.
    assert all(d.prognostic_student_count is None for d in old["departments"])
    new["departments"] = [
        msgspec.structs.replace(d, prognostic_student_count=None) for d in new["departments"]
    ]
    assert old == new
    assert snapshot.project.choosables[0].lesson_hours == project.choosables[0].lesson_hours
    assert snapshot.checks is not None
    # The findings as they were made then: the same, but for the groups needed per klas (issue
    # 25), a later rule that no longer calls a vak taught in every stamklas "te veel".
    later_rule = {"planned-groups-too-many", "planned-groups-too-few"}
    doorstroom = {
        "student-not-placed-next-year",
        "student-repeats-year",
        "student-changes-education",
    }

    def kept(findings):
        return sorted(
            (f.check, f.object_id)
            for f in findings
            if f.check not in later_rule and f.check not in doorstroom
        )

    assert kept(snapshot.checks.findings) == kept(run.findings)
    then = {f.object_id for f in snapshot.checks.findings if f.check in later_rule}
    now = {f.object_id for f in run.findings if f.check in later_rule}
    assert now < then
    # Damaged copies of it are refused with their reason.
    cut = tmp_path / "cut.zdesk"
    cut.write_bytes(blob[: len(blob) // 2])
    with pytest.raises(Unreadable) as cut_short:
        history.read(SavedLoad("fixture", project.info.id, FORMAT_1_LOADED_AT, cut))
    assert cut_short.value.reason == "truncated"
    changed = tmp_path / "changed.zdesk"
    changed.write_bytes(blob[:-40] + bytes([blob[-40] ^ 1]) + blob[-39:])
    with pytest.raises(Unreadable) as tampered:
        history.read(SavedLoad("fixture", project.info.id, FORMAT_1_LOADED_AT, changed))
    assert tampered.value.reason == "tampered"


def test_a_failing_save_leaves_the_collector_as_it_was(
    tmp_path, small_project, monkeypatch, logfail
):
    import gc

    from zdesk.errors import FileProblem

    logfail.expect("zdesk.app.history", "niet bewaard")

    project, run = small_project
    history = History("fixture", bytes(range(32)), tmp_path)

    class Broken:
        def __init__(self, *a, **k):
            pass

        def compressobj(self):
            return self

        def compress(self, part):
            raise MemoryError("no room")

    monkeypatch.setattr(sealed.zstandard, "ZstdCompressor", Broken)
    assert gc.isenabled()
    with pytest.raises(FileProblem) as failed:  # said as "niet bewaard", never a crash
        history.save(project, run)
    assert gc.isenabled()  # while the traceback (and what it holds) is still around
    del failed
