"""Command line: the app (default), `--demo`, and the headless commands for scripts."""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import json
import logging
import re
import sys
import time
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

from zdesk import __version__

# argparse's own messages (Python 3.11 and later), as they reach `error()`, in Dutch.
_ERRORS_NL = (
    (r"the following arguments are required: (.*)", r"deze argumenten ontbreken: \1"),
    (r"unrecognized arguments: (.*)", r"onbekende argumenten: \1"),
    (r"one of the arguments (.*) is required", r"een van deze argumenten is nodig: \1"),
    (r"ambiguous option: (.*) could match (.*)", r"optie \1 is niet eenduidig: \2"),
    (r"unexpected option string: (.*)", r"onverwachte optie: \1"),
    (r"invalid choice: (.*) \(choose from (.*)\)", r"ongeldige keuze \1 (kies uit \2)"),
    (r"invalid (\w+) value: (.*)", r"ongeldige waarde \2"),
    (r"expected one argument", r"er hoort één waarde bij"),
    (r"expected at most one argument", r"er hoort hooguit één waarde bij"),
    (r"expected at least one argument", r"er hoort minstens één waarde bij"),
    (r"expected (\d+) arguments?", r"er horen \1 waarden bij"),
    (r"not allowed with argument (.*)", r"niet samen met \1 te gebruiken"),
    (r"ignored explicit argument (.*)", r"waarde \1 hoort niet bij deze optie"),
)


def dutch_error(message: str) -> str:
    """An argparse error message in Dutch ("argument X: ..." keeps its argument)."""
    prefix, rest = "", message
    if found := re.fullmatch(r"argument (.+?): (.*)", message, flags=re.S):
        prefix, rest = f"argument {found[1]}: ", found[2]
    for english, dutch in _ERRORS_NL:
        if re.fullmatch(english, rest, flags=re.S):
            return prefix + re.sub(english, dutch, rest, count=1, flags=re.S)
    return message


class _DutchHelp(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any = None) -> None:
        super().add_usage(usage, actions, groups, "Gebruik: " if prefix is None else prefix)


class DutchArgumentParser(argparse.ArgumentParser):
    """argparse with its own texts in Dutch: usage, headings, -h, and the error messages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help"] = False
        kwargs.setdefault("formatter_class", _DutchHelp)
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        self.add_argument(
            "-h", "--help", action="help", help="toon deze hulp en stop", default=argparse.SUPPRESS
        )

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {dutch_error(message)}\n")

    def _print_message(self, message: str, file: Any = None) -> None:
        # An argument as typed (an ESC in a project id) is repeated in the error: plain text.
        from zdesk.plaintext import plain

        super()._print_message(plain(message) if message else message, file)


def _whole(low: int, high: int) -> Any:
    """An argparse type: a whole number from `low` to `high`, else a Dutch usage error."""

    def whole(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"'{text}' kan niet; geef een getal van {low} tot en met {high}"
            )
        return value

    return whole


def build_parser() -> argparse.ArgumentParser:
    parser = DutchArgumentParser(
        prog="zdesk",
        description="Formatie en roostergroepen uit het Zermelo-portaal: bekijken, controleren, "
        "exporteren naar Excel.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"zdesk {__version__}",
        help="toon het versienummer en stop",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start met de ingebouwde demoschool (een nagebootst portaal op deze computer)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="controleer deze installatie zonder venster (demoportaal, laden, controles, export)",
    )
    sub = parser.add_subparsers(dest="command", metavar="OPDRACHT", title="opdrachten")

    demo = sub.add_parser(
        "demo-server", help="draai alleen het nagebootste portaal (voor tests en scripts)"
    )
    demo.add_argument(
        "--tier",
        default="typical",
        choices=("small", "typical", "large", "stress"),
        help="grootte van de gegenereerde school (standaard: typical)",
    )
    demo.add_argument(
        "--dataset",
        default="generated",
        choices=("generated", "seed"),
        help="een gegenereerde school of het voorbeeld van Zermelo (standaard: generated)",
    )
    demo.add_argument(
        "--seed", type=int, default=2026, metavar="GETAL", help="zaadgetal van de generator"
    )
    demo.add_argument(
        "--port",
        type=_whole(0, 65535),
        default=0,
        metavar="POORT",
        help="poort op 127.0.0.1 (0: een vrije)",
    )
    demo.add_argument(
        "--latency-ms",
        type=_whole(0, 600_000),
        default=0,
        metavar="MS",
        help="vertraging per verzoek (0 tot en met 600000)",
    )
    demo.add_argument(
        "--zonder",
        action="append",
        default=[],
        metavar="ENDPOINT",
        help="het token mag dit endpoint niet lezen, voor proeven met beperkte rechten "
        "(meermaals te gebruiken; de koppelcodes houden alle rechten)",
    )
    demo.add_argument(
        "--zonder-veld",
        action="append",
        default=[],
        metavar="ENDPOINT.VELD",
        help="het portaal heeft dit veld niet: een vraag ernaar krijgt 400 'Unknown field(s)' "
        "(meermaals te gebruiken)",
    )
    demo.add_argument(
        "--negeer-filter",
        action="append",
        default=[],
        metavar="ENDPOINT",
        help="het portaal negeert de filters op dit endpoint en geeft de rijen van alle "
        "projecten (meermaals te gebruiken)",
    )
    demo.add_argument(
        "--te-groot",
        action="append",
        default=[],
        metavar="ENDPOINT",
        help="het antwoord op dit endpoint is groter dan zdesk leest (meermaals te gebruiken)",
    )
    demo.add_argument(
        "--koppelcodes",
        type=_whole(0, 1000),
        default=5,
        metavar="AANTAL",
        help="aantal ongebruikte koppelcodes",
    )
    sub.add_parser(
        "remove-data",
        help="verwijder alles wat zdesk op deze computer bewaart: tokens en sleutels in de "
        "sleutelopslag, geschiedenis, instellingen, logbestanden (voor het verwijderprogramma)",
    )
    check = sub.add_parser(
        "check", help="laad een project en toon de signaleringen (zonder venster)"
    )
    _add_link_arguments(check)
    check.add_argument("--json", action="store_true", help="uitvoer als één JSON-object")
    check.add_argument(
        "--check",
        action="append",
        metavar="ID",
        dest="only",
        help="alleen deze controle (meermaals te gebruiken)",
    )
    _add_group_size_argument(check)
    _add_previous_argument(check)
    diff = sub.add_parser(
        "diff",
        help="wat is er veranderd: vergelijk de nieuwste bewaarde lading met een eerdere",
    )
    diff.add_argument("--portal", help="portaalnaam, bijvoorbeeld mijnschool")
    diff.add_argument("--project", type=int, help="id van het project (schoolInSchoolYear)")
    diff.add_argument(
        "--since",
        metavar="JJJJ-MM-DD",
        help="vergelijk met de nieuwste lading op of vóór deze datum (standaard: de vorige)",
    )
    diff.add_argument("--json", action="store_true", help="uitvoer als één JSON-object")
    export = sub.add_parser("export", help="laad een project en schrijf het Excel-bestand")
    export.add_argument("out", metavar="BESTAND.xlsx", help="waar het bestand komt")
    _add_link_arguments(export)
    export.add_argument(
        "--pseudonymise",
        action="store_true",
        help="zonder namen van leerlingen (alleen leerlingnummers)",
    )
    _add_group_size_argument(export)
    _add_previous_argument(export)
    report = sub.add_parser(
        "portal-report",
        help="beschrijf hoe het portaal antwoordt, zonder persoonsgegevens, id's of codes "
        "(om aan de makers van zdesk te sturen)",
    )
    report.add_argument("out", metavar="BESTAND.json", help="waar het rapport komt")
    _add_link_arguments(report)
    report.add_argument(
        "--met-portaalnaam",
        action="store_true",
        help="zet de naam van het portaal in het rapport (standaard niet)",
    )
    return parser


def _add_link_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--portal", metavar="NAAM", help="portaalnaam, bijvoorbeeld mijnschool")
    parser.add_argument(
        "--project", type=int, metavar="ID", help="id van het project (schoolInSchoolYear)"
    )
    parser.add_argument("--demo", action="store_true", help="gebruik het ingebouwde demoportaal")


def _add_previous_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--previous-project",
        metavar="ID|none",
        help="het vorige project voor de doorstroom: een project-id, 'none' (geen) of 'auto' "
        "(standaard: de keuze in Bestand > Instellingen, anders hetzelfde schoolproject een "
        "jaar eerder)",
    )


def _add_group_size_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-group-size",
        type=int,
        metavar="AANTAL",
        help="maximale groepsgrootte waar een afdeling er zelf geen heeft (1 tot en met 99; "
        "standaard: de instelling van zdesk, Bestand > Instellingen)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    return _main(argv)[0]


def program() -> NoReturn:
    """The `zdesk` program (`python -m zdesk`, the console script, the frozen app): `main`, then
    out of the process. After a command without a window what it made is left to the system:
    the collector would walk every object on the way out and free them one by one (45-65 ms
    after a `zdesk check` of a large school, against 7 ms frozen), for memory the system takes
    back at once. Files are closed by then; the standard streams are flushed as always."""
    code, command = _main(None)
    if command in _BATCH:
        gc.freeze()
    raise SystemExit(code)


def _main(argv: Sequence[str] | None) -> tuple[int, str | None]:
    """The exit code, and which command ran."""
    _plain_last_resort()
    try:
        args = build_parser().parse_args(argv)
        with _batch_tuning(args.command in _BATCH):
            return _run(args), args.command
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        sys.stderr.close()
        return 0, None


def _plain_last_resort() -> None:
    """A warning logged where no log file is set up (the commands) reaches stderr through the
    plain-text rule: it may quote the portal."""
    from zdesk.plaintext import PlainFormatter

    class PlainStderr(logging.StreamHandler):
        def __init__(self) -> None:
            logging.Handler.__init__(self, logging.WARNING)
            self.setFormatter(PlainFormatter())

        @property  # type: ignore[override]
        def stream(self) -> Any:  # sys.stderr as it is at each message, as logging's own
            return sys.stderr

    logging.lastResort = PlainStderr()


# The commands that load a project and end: no cyclic garbage collection while they run. A
# project is hundreds of thousands of objects without cycles, and every full collection walks
# them all (and all of the code imported before them): 20-40 ms of a `zdesk check`.
_BATCH = frozenset({"check", "export", "diff"})


@contextlib.contextmanager
def _batch_tuning(on: bool) -> Iterator[None]:
    """For a batch command: no cyclic collection, and a short switch interval (its threads: six
    requests, the history's opener, the main thread building the project); both given back."""
    if not on:
        yield
        return
    from zdesk.runtime import collector, switching

    with switching.quick(), collector.paused():
        yield


def _run(args: argparse.Namespace) -> int:
    if args.command == "remove-data":
        return remove_data()
    if args.command != "demo-server":
        from zdesk.export.scratch import sweep
        from zdesk.store.paths import temp_root

        sweep(temp_root())  # what a killed run left (an export's rows of students) goes first
    if args.self_test:
        from zdesk.cli.selftest import run_self_test

        return run_self_test()
    if args.command == "demo-server":
        return demo_server(args)
    if args.command == "check":
        from zdesk.cli.check import run_check_command

        return run_check_command(
            args.portal,
            args.project,
            args.demo,
            args.json,
            args.only,
            max_group_size=args.max_group_size,
            previous=args.previous_project,
        )
    if args.command == "diff":
        from zdesk.cli.diff import run_diff_command

        return run_diff_command(args.portal, args.project, args.since, args.json)
    if args.command == "portal-report":
        from zdesk.cli.check import run_portal_report_command

        return run_portal_report_command(
            args.out, args.portal, args.project, args.demo, args.met_portaalnaam
        )
    if args.command == "export":
        from zdesk.cli.check import run_export_command

        return run_export_command(
            args.out,
            args.portal,
            args.project,
            args.demo,
            args.pseudonymise,
            max_group_size=args.max_group_size,
            previous=args.previous_project,
        )
    from zdesk.ui.app import run_app

    return run_app(demo=args.demo)


def remove_data() -> int:
    """`zdesk remove-data`: what zdesk keeps here, gone; exit 5 when a part could not go."""
    from zdesk.present.remedies import EXIT_FILE
    from zdesk.store.removal import remove_everything

    done = remove_everything()
    if sys.stdout is not None:  # the windowed Windows app (run by the uninstaller) has none
        print(done.summary())
    return EXIT_FILE if done.problems else 0


def demo_server(args: argparse.Namespace) -> int:
    from zdesk.demo.protocol import ENDPOINT_FIELDS, Quirks, Rights
    from zdesk.demo.school import generate_school
    from zdesk.demo.seed import seed_school
    from zdesk.demo.server import TEST_TOKEN_LIFETIME, FakePortal
    from zdesk.errors import os_reason
    from zdesk.plaintext import plain

    named = [*args.zonder, *args.negeer_filter, *args.te_groot]
    named += [item.partition(".")[0] for item in args.zonder_veld]
    unknown = sorted(set(named) - set(ENDPOINT_FIELDS))
    if unknown:
        known = ", ".join(sorted(ENDPOINT_FIELDS))
        said = plain(f"onbekend endpoint: {', '.join(unknown)} (bekend: {known})")
        print(f"zdesk demo-server: fout: {said}", file=sys.stderr)
        return 2
    try:
        quirks = Quirks.parse(args.zonder_veld, args.negeer_filter, args.te_groot)
    except ValueError as exc:
        print(f"--zonder-veld verwacht ENDPOINT.VELD, niet '{exc}'", file=sys.stderr)
        return 2
    started = time.perf_counter()
    data = seed_school() if args.dataset == "seed" else generate_school(args.tier, seed=args.seed)
    try:
        portal = FakePortal(
            data,
            port=args.port,
            latency_ms=args.latency_ms,
            koppelcodes=args.koppelcodes,
            quirks=quirks,
        ).start()
    except OSError as exc:
        why = "al in gebruik" if exc.errno == errno.EADDRINUSE else os_reason(exc)
        print(
            f"zdesk demo-server: fout: poort {args.port} op 127.0.0.1 kan niet ({why}); "
            "kies een andere met --port, of 0 voor een vrije.",
            file=sys.stderr,
        )
        return 2
    token = portal.token
    if args.zonder:
        token = portal.issue_token(Rights.without(*args.zonder), expires_in=TEST_TOKEN_LIFETIME)
    ready = time.perf_counter() - started
    print(
        json.dumps(
            {
                "url": portal.url,
                "token": token,
                "koppelcodes": portal.koppelcodes,
                "projects": data.project_ids(),
                "current_project": data.current_project,
                "dataset": args.dataset,
                "tier": None if args.dataset == "seed" else args.tier,
                "ready_seconds": round(ready, 3),
            }
        ),
        flush=True,
    )
    print(
        f"Demoportaal draait op {portal.url} (klaar in {ready:.2f} s). Stoppen: Ctrl+C.",
        file=sys.stderr,
        flush=True,
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        portal.stop()
    return 0
