"""Settings: read field by field (corrupt or odd values dropped and logged), merged on save."""

from __future__ import annotations

import json
import os
import stat

import pytest

from zdesk.store.paths import settings_file
from zdesk.store.settings import Settings


@pytest.fixture(autouse=True)
def _expected_warnings(logfail):
    """Every test here makes zdesk warn on purpose; the warning is part of what is tested."""
    logfail.expect("zdesk.store.settings", r"^Instelling")


def write(raw: str | bytes) -> None:
    path = settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw if isinstance(raw, bytes) else raw.encode())


GOOD = {
    "portals": ["mijnschool", "andere"],
    "last_portal": "mijnschool",
    "last_project": {"mijnschool": 812},
    "export_dir": "/tmp",
    "pseudonymise_export": True,
    "default_max_group_size": 28,
    "window": {"geometry": "AAA="},
}


@pytest.mark.parametrize(
    ("field", "odd"),
    [
        ("window", "not a dict"),
        ("window", {"geometry": 5, "state": ["x"]}),
        ("last_portal", 12),
        ("last_portal", ["mijnschool"]),
        ("last_portal", "127.0.0.1:54321"),
        ("portals", "mijnschool"),
        ("portals", [1, None, "127.0.0.1:8080", "Mijn School"]),
        ("last_project", {"mijnschool": "812", "andere": True}),
        ("pseudonymise_export", "yes"),
        ("export_dir", 3),
        ("default_max_group_size", 0),
        ("default_max_group_size", True),
        ("default_max_group_size", "30"),
    ],
)
def test_an_odd_value_is_dropped_and_logged_the_rest_is_kept(field, odd, caplog):
    write(json.dumps(GOOD | {field: odd}))
    settings = Settings.load()
    assert isinstance(settings.window, dict) and all(
        isinstance(v, str) for v in settings.window.values()
    )
    assert settings.last_portal is None or settings.last_portal == "mijnschool"
    assert all(p in ("mijnschool", "andere") for p in settings.portals)
    for other, value in GOOD.items():
        if other != field:
            assert getattr(settings, other) == value, other
    assert "nstelling" in caplog.text


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"window": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b"null",
    ],
)
def test_an_unreadable_file_gives_the_defaults(raw, caplog):
    write(raw)
    assert Settings.load() == Settings()
    assert "onleesbaar" in caplog.text


def test_a_local_portal_is_neither_kept_nor_written():
    settings = Settings()
    settings.remember_portal("mijnschool")
    settings.remember_portal("127.0.0.1:54321")
    settings.save()
    on_disk = json.loads(settings_file().read_text())
    assert on_disk["portals"] == ["mijnschool"] and on_disk["last_portal"] == "mijnschool"


def test_two_windows_saving_keep_both_changes():
    first = Settings()
    first.remember_portal("oud")
    first.last_project["oud"] = 1
    first.window["geometry"] = "g0"
    first.save()
    a, b = Settings.load(), Settings.load()
    a.remember_portal("alfa")
    a.last_project["alfa"] = 11
    a.window["table:groups"] = "A"
    b.remember_portal("beta")
    b.last_project["beta"] = 22
    b.window["geometry"] = "g1"
    b.forget_portal("oud")
    a.save()
    b.save()
    merged = Settings.load()
    assert sorted(merged.portals) == ["alfa", "beta"]
    assert merged.last_project == {"alfa": 11, "beta": 22}
    assert merged.window == {"geometry": "g1", "table:groups": "A"}
    assert merged.last_portal in ("alfa", "beta")
    assert (b.portals, b.last_project) == (merged.portals, merged.last_project)  # b sees a's


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_the_settings_file_and_folder_are_private():
    Settings().save()
    assert stat.S_IMODE(settings_file().stat().st_mode) == 0o600
    assert stat.S_IMODE(settings_file().parent.stat().st_mode) == 0o700


def test_the_previous_project_per_portal_reads_back_and_odd_values_go(tmp_path):
    import json

    from zdesk.store.settings import Settings

    path = tmp_path / "settings.json"
    s = Settings()
    s.previous_project = {"school": 401, "other": None}
    s.save(path)
    assert Settings.load(path).previous_project == {"school": 401, "other": None}
    raw = json.loads(path.read_text())
    raw["previous_project"] = {
        "school": "401",
        "x y": 4,
        "ok": 7,
        "neg": -1,
        "b": True,
        "big": 2**70,
    }
    path.write_text(json.dumps(raw))
    assert Settings.load(path).previous_project == {"ok": 7}
    s = Settings.load(path)
    s.remember_portal("ok")
    s.forget_portal("ok")
    assert s.previous_project == {}


def test_the_settings_say_auto_in_the_words_of_the_loader():
    from zdesk.loading.previous import AUTO
    from zdesk.store.settings import AUTO_PREVIOUS, Settings

    assert AUTO_PREVIOUS == AUTO
    s = Settings()
    assert s.previous_for("school") == AUTO and s.previous_for("") == AUTO
    s.choose_previous("school", None)
    assert s.previous_for("school") is None
    s.choose_previous("school", 401)
    assert s.previous_for("school") == 401
    s.choose_previous("school", AUTO)
    assert s.previous_project == {}
