"""Command line: the app (default), `--demo`, and the headless commands for scripts."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from zdesk import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zdesk",
        description="Formatie en roostergroepen uit het Zermelo-portaal: bekijken, controleren, "
        "exporteren naar Excel.",
    )
    parser.add_argument("--version", action="version", version=f"zdesk {__version__}")
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
    sub = parser.add_subparsers(dest="command", metavar="OPDRACHT")

    demo = sub.add_parser(
        "demo-server", help="draai alleen het nagebootste portaal (voor tests en scripts)"
    )
    demo.add_argument("--tier", default="typical", choices=("small", "typical", "large", "stress"))
    demo.add_argument("--dataset", default="generated", choices=("generated", "seed"))
    demo.add_argument("--seed", type=int, default=2026, help="zaadgetal van de generator")
    demo.add_argument("--port", type=int, default=0, help="poort op 127.0.0.1 (0: een vrije)")
    demo.add_argument("--latency-ms", type=int, default=0, help="vertraging per verzoek")
    demo.add_argument("--koppelcodes", type=int, default=5, help="aantal ongebruikte koppelcodes")
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
    export = sub.add_parser("export", help="laad een project en schrijf het Excel-bestand")
    export.add_argument("out", metavar="BESTAND.xlsx", help="waar het bestand komt")
    _add_link_arguments(export)
    export.add_argument(
        "--pseudonymise",
        action="store_true",
        help="zonder namen van leerlingen (alleen leerlingnummers)",
    )
    return parser


def _add_link_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--portal", help="portaalnaam, bijvoorbeeld mijnschool")
    parser.add_argument("--project", type=int, help="id van het project (schoolInSchoolYear)")
    parser.add_argument("--demo", action="store_true", help="gebruik het ingebouwde demoportaal")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _run(build_parser().parse_args(argv))
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        sys.stderr.close()
        return 0


def _run(args: argparse.Namespace) -> int:
    if args.self_test:
        from zdesk.commands.selftest import run_self_test

        return run_self_test()
    if args.command == "demo-server":
        return demo_server(args)
    if args.command == "check":
        from zdesk.commands.headless import run_check_command

        return run_check_command(args.portal, args.project, args.demo, args.json, args.only)
    if args.command == "export":
        from zdesk.commands.headless import run_export_command

        return run_export_command(args.out, args.portal, args.project, args.demo, args.pseudonymise)
    from zdesk.ui.app import run_app

    return run_app(demo=args.demo)


def demo_server(args: argparse.Namespace) -> int:
    from zdesk.demo.school import generate_school
    from zdesk.demo.seed import seed_school
    from zdesk.demo.server import FakePortal

    started = time.perf_counter()
    data = seed_school() if args.dataset == "seed" else generate_school(args.tier, seed=args.seed)
    portal = FakePortal(
        data, port=args.port, latency_ms=args.latency_ms, koppelcodes=args.koppelcodes
    ).start()
    ready = time.perf_counter() - started
    print(
        json.dumps(
            {
                "url": portal.url,
                "token": portal.token,
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
