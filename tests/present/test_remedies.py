"""One table from error kind to remedy: every kind has one; exit codes and buttons come from it."""

from __future__ import annotations

import pytest

import zdesk.errors
import zdesk.portal.errors
from zdesk.cli.check import UsageProblem
from zdesk.errors import Cancelled, FileProblem, InputError, KeyringLocked, ZdeskError
from zdesk.portal.errors import (
    InvalidPortalName,
    KoppelcodeRejected,
    NetworkError,
    NotLinked,
    ProxyPage,
    RightMissing,
    ServerError,
    TokenRejected,
    UnknownPortal,
)
from zdesk.present.remedies import REMEDIES, Action, remedy_for


def subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *subclasses(sub)]
    return [c for c in found if c.__module__.startswith("zdesk.")]


def test_every_kind_of_error_has_its_own_remedy():
    assert zdesk.errors and zdesk.portal.errors  # every error class is defined
    kinds = {cls.kind for cls in [ZdeskError, *subclasses(ZdeskError)]}
    assert len(kinds) == len(subclasses(ZdeskError)) + 1  # one kind per class
    assert kinds | {"usage"} == set(REMEDIES)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (UsageProblem("--project ontbreekt"), 2),
        (InputError("Vul een koppelcode in."), 2),
        (InvalidPortalName("http://"), 2),
        (TokenRejected(portal="x"), 3),
        (NotLinked(portal="x"), 3),
        (RightMissing("plannedgroups"), 3),
        (KoppelcodeRejected(portal="x"), 3),
        (UnknownPortal(portal="x"), 3),
        (ServerError(portal="x", status=500), 4),
        (NetworkError(portal="x"), 4),
        (ProxyPage(portal="x"), 4),
        (Cancelled(), 4),
        (KeyringLocked(), 4),
        (FileProblem("De map bestaat niet."), 5),
        (ValueError("a bug"), 4),
    ],
)
def test_exit_codes_are_those_of_the_commands(error, code):
    assert remedy_for(error).exit_code == code


def test_a_kind_not_in_the_table_takes_its_base_class_remedy():
    class Later(ProxyPage):
        kind = "proxy-page-with-login"

    assert remedy_for(Later(portal="x")) == REMEDIES["proxy-page"]


def test_what_the_message_bar_offers():
    assert remedy_for(TokenRejected(portal="x")).actions == (Action.RELINK,)
    assert remedy_for(RightMissing("x")).actions == (Action.RIGHTS,)
    assert remedy_for(ProxyPage(portal="x")).actions == (Action.RETRY, Action.RELINK)
    assert remedy_for(Cancelled()).actions == (Action.RELOAD,)
    assert remedy_for(KeyringLocked()).actions == ()
