"""Portal names and koppelcodes as people type them."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zdesk.portal.errors import InputError, InvalidKoppelcode, InvalidPortalName
from zdesk.portal.names import normalise_koppelcode, normalise_portal


@pytest.mark.parametrize(
    "typed",
    [
        "mijnschool",
        " MijnSchool ",
        "Mijn School",
        "mijnschool.zportal.nl",
        "MIJNSCHOOL.ZPORTAL.NL/",
        "https://mijnschool.zportal.nl/",
        "https://mijnschool.zportal.nl/main/#/vandaag",
        "mijnschool.zportal.nl/api/v3/users",
    ],
)
def test_accepted_forms_give_label_and_base_url(typed):
    portal = normalise_portal(typed)
    assert portal.name == "mijnschool"
    assert portal.base_url == "https://mijnschool.zportal.nl"
    assert portal.api_url == "https://mijnschool.zportal.nl/api/v3/"


@pytest.mark.parametrize(
    ("typed", "url"),
    [
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("http://localhost:9000/", "http://localhost:9000"),
        ("http://127.0.0.1:8123/api/v3/", "http://127.0.0.1:8123"),
    ],
)
def test_loopback_http_is_accepted_for_the_demo(typed, url):
    assert normalise_portal(typed).base_url == url


@pytest.mark.parametrize(
    "typed",
    ["mijnschool", "https://MijnSchool.zportal.nl/", "http://127.0.0.1:8123", "http://localhost"],
)
def test_a_portals_own_name_gives_the_same_portal_again(typed):
    # "Opnieuw koppelen" and Portaal wisselen start from the name zdesk itself keeps.
    portal = normalise_portal(typed)
    assert normalise_portal(portal.name) == portal


@pytest.mark.parametrize("typed", ["127.0.0.1:99999", "localhost:abc", "10.0.0.1:8080"])
def test_only_this_computer_is_named_without_https(typed):
    with pytest.raises(InvalidPortalName):
        normalise_portal(typed)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Vul de naam"),
        ("   ", "Vul de naam"),
        ("http://mijnschool.zportal.nl", "https://"),
        ("http://192.168.1.5:8080", "https://"),
        ("https://example.com", "eindigen op .zportal.nl"),
        ("mijnschool.nl", "geen Zermelo-portaal"),
        ("ftp://mijnschool.zportal.nl", "geen webadres"),
        ("-school", "streepje"),
        ("school_1", "alleen letters"),
        ("a.b.zportal.nl", "geen geldig portaaladres"),
    ],
)
def test_refusals_say_what_is_wrong(typed, says):
    with pytest.raises(InvalidPortalName) as info:
        normalise_portal(typed)
    assert says in str(info.value)


@pytest.mark.parametrize(
    "typed", ["1234 5678 9012", "123-456-789-012", " 123456789012 ", "1234.5678.9012"]
)
def test_koppelcode_strips_everything_but_digits(typed):
    assert normalise_koppelcode(typed) == "123456789012"


@pytest.mark.parametrize(
    ("typed", "says"),
    [("", "Vul de koppelcode"), ("1234 5678", "u hebt er 8"), ("1234567890123", "u hebt er 13")],
)
def test_koppelcode_of_wrong_length(typed, says):
    with pytest.raises(InvalidKoppelcode, match=says):
        normalise_koppelcode(typed)


@given(st.text())
def test_any_portal_text_gives_a_portal_or_our_error(text):
    try:
        portal = normalise_portal(text)
    except InputError:
        return
    assert portal.base_url.startswith(("https://", "http://127.0.0.1", "http://localhost"))
    assert all(c in string.ascii_lowercase + string.digits + "-.:" for c in portal.name)


@given(st.text())
def test_any_koppelcode_text_gives_twelve_digits_or_our_error(text):
    try:
        code = normalise_koppelcode(text)
    except InputError:
        return
    assert len(code) == 12 and code.isascii() and code.isdigit()


def test_a_port_in_other_digits_is_refused_not_a_crash():
    # "²" is a digit to str.isdigit but not to int(): a Dutch message, never a ValueError.
    with pytest.raises(InvalidPortalName):
        normalise_portal("127.0.0.1:²")
