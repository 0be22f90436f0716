"""``python -m ofdkit validate FILE``: checks a request as the ``ofdkit``
command line does, with the same output and exit codes (0 valid, 1 an
error in the request or the file, 2 a bad command line)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import List, Optional

from . import _native
from .errors import OfdkitError

KINDS = ("receipt", "application", "update", "partner")
CHECKS = ("draft", "complete", "secondary")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ofdkit", description="Receipts and KKT registration for OFD.ru")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a request against every rule of the API; exit 1 if any is an error")
    validate.add_argument("file", type=Path)
    validate.add_argument("--operation", default="sell", help="the operation a receipt is sent as (default: sell)")
    validate.add_argument("--kind", choices=KINDS, help="what the file holds; guessed from its members when not given")
    validate.add_argument("--check", choices=CHECKS, default="draft", help="how complete a registration application must be")
    validate.add_argument("--json", action="store_true", help="print a JSON array of {path, code, severity, message, message_ru}")
    return parser


def _validate(args: argparse.Namespace) -> int:
    try:
        body = args.file.read_bytes()
    except OSError as e:
        print(f"ofdkit: cannot read {args.file}: {e.strerror or e}", file=sys.stderr)
        return 2
    try:
        violations = _native.validate(body, args.kind, args.operation, args.check, False)
    except OfdkitError as e:
        print(f"ofdkit: {args.file}: {e}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps([v.to_dict() for v in violations], ensure_ascii=False, separators=(",", ":")))
    else:
        for v in violations:
            print(f"{v}\n    {v.message_ru}")
        if not violations:
            print(f"{args.file}: valid")
    return 1 if any(v.is_error for v in violations) else 0


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _validate(args)
    except BrokenPipeError:  # a reader that went away (| head)
        return 0


if __name__ == "__main__":
    sys.exit(main())
