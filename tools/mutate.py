"""A bounded mutation run: does the suite notice when a check's logic changes?

Each mutant changes one spot of one module (`continue` -> `break`, a comparison turned, `and` <->
`or`, a `not` dropped), then the tests that cover the module run with -x; a mutant the tests do not
notice survives and is listed. Not part of CI: run it by hand, on a quiet machine, e.g.

    python tools/mutate.py zdesk/domain/checks.py --tests tests/domain --limit 80

It edits the module in place and always puts it back.
"""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
import time
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SWAPS = [
    (re.compile(r"\bcontinue\b"), "break"),
    (re.compile(r"(?<![<>=!])<(?![<=])"), "<="),
    (re.compile(r"(?<![<>=!])>(?![>=])"), ">="),
    (re.compile(r"<="), "<"),
    (re.compile(r">="), ">"),
    (re.compile(r"\band\b"), "or"),
    (re.compile(r"\bor\b"), "and"),
    (re.compile(r"\bnot\s+(?=[a-z_(])"), ""),
    (re.compile(r"(?<=[\s(])([1-9])\b(?!\s*[:\]])"), None),  # n -> n + 1
]


def _code_spans(source: str) -> dict[int, list[tuple[int, int]]]:
    """Per line, the column spans of code: strings (docstrings, messages) and comments are text,
    not logic, and are never mutated."""
    text: dict[int, list[tuple[int, int]]] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.STRING, tokenize.COMMENT) or tok.type == getattr(
            tokenize, "FSTRING_MIDDLE", -1
        ):
            (r0, c0), (r1, c1) = tok.start, tok.end
            for r in range(r0, r1 + 1):
                text.setdefault(r, []).append((c0 if r == r0 else 0, c1 if r == r1 else 10**6))
    return text


def mutants(source: str):
    lines = source.splitlines(keepends=True)
    text = _code_spans(source)
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith(("import", "from", "def ", "class ", "@")):
            continue
        spans = text.get(number + 1, [])
        for pattern, replacement in SWAPS:
            for match in pattern.finditer(line):
                if any(a <= match.start() < b for a, b in spans):
                    continue  # inside a string or comment
                new = replacement if replacement is not None else str(int(match.group(1)) + 1)
                changed = line[: match.start()] + new + line[match.end() :]
                mutated = "".join([*lines[:number], changed, *lines[number + 1 :]])
                yield number + 1, line.strip(), changed.strip(), mutated


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module")
    parser.add_argument("--tests", nargs="+", default=["tests/domain"])
    parser.add_argument("--limit", type=int, default=0, help="at most this many mutants")
    parser.add_argument("--only", help="only mutants whose changed line matches this regex")
    args = parser.parse_args()
    path = ROOT / args.module
    original = path.read_text(encoding="utf-8")
    survivors, killed, started = [], 0, time.perf_counter()
    try:
        for i, (line, before, after, mutated) in enumerate(mutants(original)):
            if args.limit and i >= args.limit:
                break
            if args.only and not re.search(args.only, after):
                continue
            path.write_text(mutated, encoding="utf-8")
            result = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *args.tests],
                cwd=ROOT,
                capture_output=True,
                timeout=600,
            )
            if result.returncode == 0:
                survivors.append((line, before, after))
                print(f"SURVIVED {args.module}:{line}: {before!r} -> {after!r}", flush=True)
            else:
                killed += 1
    finally:
        path.write_text(original, encoding="utf-8")
    seconds = time.perf_counter() - started
    print(f"{killed} killed, {len(survivors)} survived, {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
