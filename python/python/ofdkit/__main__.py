"""``python -m ofdkit validate FILE``: checks one request as the ``ofdkit``
command line does, printing the core's report of it, the same bytes, with
the same exit codes (0 no error, 1 an error or a document that cannot be
read, 2 a bad command line or a file that cannot be opened). Many files and
JSON Lines are the ``ofdkit`` command's (or ``ofdkit.validate_many``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

from . import _native
from .codes import Operation

KINDS = ("receipt", "application", "update", "partner")
CHECKS = ("draft", "complete", "secondary")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ofdkit", description="Receipts and KKT registration for OFD.ru")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser(
        "validate", help="check a request against every rule of the API; exit 1 if any is an error"
    )
    validate.add_argument("file", help="the request: a JSON file, or - for standard input")
    validate.add_argument(
        "--operation",
        default="sell",
        choices=[o.value for o in Operation],
        help="the operation a receipt is sent as (default: sell)",
    )
    validate.add_argument("--kind", choices=KINDS, help="what the file holds; told from its members when not given")
    validate.add_argument(
        "--check", choices=CHECKS, default="draft", help="how complete a registration application must be"
    )
    validate.add_argument("--strict", action="store_true", help="count every warning as an error")
    validate.add_argument(
        "--json", action="store_true", help="print the violations (or the error) as ofdkit's JSON"
    )
    validate.add_argument(
        "--max-input-bytes", type=int, default=None, help="the largest document read, in bytes (default 4 MiB)"
    )
    return parser


def _read(file: str, max_bytes: int) -> bytes:
    """At most the limit and one byte: a larger (or endless) input is never read whole."""
    if file == "-":
        return sys.stdin.buffer.read(max_bytes + 1)
    with Path(file).open("rb") as f:
        return f.read(max_bytes + 1)


def _validate(args: argparse.Namespace) -> int:
    if args.max_input_bytes is not None:
        _native.set_max_input_bytes(args.max_input_bytes)
    source = "(stdin)" if args.file == "-" else args.file
    try:
        body = _read(args.file, _native.max_input_bytes())
    except OSError as e:
        print(f"ofdkit: cannot read {source}: {e.strerror or e}", file=sys.stderr)
        return 2
    code, out, err = _native.validation_report(
        body, source, args.kind, args.operation, args.check, args.strict, args.json
    )
    sys.stdout.write(out)
    sys.stderr.write(err)
    return int(code)


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _validate(args)
    except BrokenPipeError:  # a reader that went away (| head)
        return 0


if __name__ == "__main__":
    sys.exit(main())
