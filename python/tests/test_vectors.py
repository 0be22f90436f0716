"""The shared test vectors (tests/vectors): the same verdicts as Rust, to
the violation, whether the input comes as a dict or as JSON text."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Set, Tuple

import pytest

import ofdkit
from ofdkit import codes

from conftest import VECTORS

REQUEST_KINDS = {
    "ferma.receipt_request": "receipt",
    "ofd.application_request": "application",
    "ofd.application_update": "update",
    "ofd.partner_registration": "partner",
}


# Token requests and signatures are only ever built by the client, so
# Python has no validator of its own for them.
NOT_FOR_PYTHON = {"ferma.token_request", "ofd.sign_request"}


def vectors() -> List[Path]:
    found = sorted(p for p in VECTORS.rglob("*.json") if "tools" not in p.parts and "peers" not in p.parts)
    assert len(found) > 200, "the shared vectors are missing"
    return [p for p in found if json.loads(p.read_text(encoding="utf-8"))["kind"] not in NOT_FOR_PYTHON]


def triples(violations: List[Any]) -> Set[Tuple[str, str, str]]:
    return {(v["path"], v["code"], v["severity"]) for v in violations}


def seen(violations: List[ofdkit.Violation]) -> Set[Tuple[str, str, str]]:
    return {(v.path, v.code, v.severity) for v in violations}


def json_equal(a: Any, b: Any) -> bool:
    """Numbers by value (300 == 300.0), objects as maps."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, Decimal)) and isinstance(b, (int, Decimal)) and not isinstance(a, bool):
        return Decimal(a) == Decimal(b)
    return bool(a == b) and type(a) is type(b)


def input_text(vector: Dict[str, Any]) -> str:
    if "input" in vector:
        return json.dumps(vector["input"], ensure_ascii=False, default=str)
    return str(vector["input_text"])


def load(path: Path) -> Dict[str, Any]:
    vector: Dict[str, Any] = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    return vector


def exact_text(path: Path) -> str:
    """The input as JSON text, every number exactly as the file writes it."""
    raw = json.loads(path.read_text(encoding="utf-8"), parse_float=_Raw, parse_int=_Raw)
    if "input_text" in raw:
        return str(raw["input_text"])
    return _encode(raw["input"])


class _Raw(str):
    """A number's text, kept as written."""


def _encode(value: Any) -> str:
    if isinstance(value, _Raw):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + _encode(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_encode(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def check_request(path: Path, vector: Dict[str, Any]) -> None:
    kind = REQUEST_KINDS[vector["kind"]]
    operation = vector.get("operation", "sell")
    check = vector.get("check", "draft")
    expect = vector["expect"]
    texts = [exact_text(path)]
    documents: List[Any] = list(texts)
    if "input" in vector:
        documents.append(vector["input"])  # a dict, money as Decimal
    for document in documents:
        if "json_error" in expect:
            with pytest.raises(ofdkit.errors.InvalidJsonError) as error:
                ofdkit.validate(document, kind=kind, operation=operation, check=check)
            assert (error.value.line, error.value.column) == (expect["json_error"]["line"], expect["json_error"]["column"])
            continue
        got = ofdkit.validate(document, kind=kind, operation=operation, check=check)
        if "violations" in expect:
            assert seen(got) == triples(expect["violations"]), f"{path.name} as {type(document).__name__}"
        if "wire" in expect:
            wire = json.loads(ofdkit.normalize_receipt(document, operation), parse_float=Decimal)
            assert json_equal(wire, expect["wire"]), path.name


def check_answer(vector: Dict[str, Any]) -> None:
    kind = vector["kind"]
    body = input_text(vector)
    expected = vector["expect"].get("outcome")
    if expected is None:
        return
    try:
        outcome = describe(kind, body)
    except ofdkit.OfdkitError as error:
        outcome = f"error {error.error_name}"
    if kind == "ferma.cashbox_stats":
        expected = expected.replace("_", "").lower()
        outcome = outcome.replace("_", "").lower()
    assert outcome == expected


def describe(kind: str, body: str) -> str:
    if kind == "ferma.token_response":
        token = ofdkit.parse_token_response(body)
        until = token.valid_until.strftime("%d.%m.%Y %H:%M:%S") if token.valid_until else "unknown"
        return f"token valid until {until}"
    if kind == "ferma.create_response":
        return "created " + " ".join(ofdkit.parse_create_response(body).uuids)
    if kind == "ferma.report":
        report = ofdkit.parse_report(body)
        if report.done:
            assert report.payload is not None
            return (
                f"done: fiscal document {report.payload.fiscal_document_number or 0}"
                f" sign {report.payload.fiscal_document_attribute or 0}"
            )
        if report.failed:
            assert report.error is not None
            return f"failed {report.error.error_name}"
        return "pending"
    if kind == "ferma.cashbox_stats":
        stats = ofdkit.parse_cashbox_stats(body)
        states = [c.kkt_state.name if isinstance(c.kkt_state, codes.KktState) else "?" for c in stats.cashboxes]
        return "cashboxes " + " ".join(states)
    if kind == "ofd.application_response":
        return application_line(ofdkit.parse_application(body))
    if kind == "ofd.application_list_response":
        return "; ".join(application_line(a) for a in ofdkit.parse_application_list(body))
    if kind == "ofd.partner_response":
        return "registered " + ofdkit.parse_partner_response(body)
    raise AssertionError(f"no outcome for {kind}")


def application_line(app: ofdkit.Application) -> str:
    documents = " ".join(f"{d.kind}:{d.signature}" for d in app.documents)
    return f"application {app.stage or '?'}/{app.status or '?'} documents [{documents}]"


@pytest.mark.parametrize("path", vectors(), ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.stem}")
def test_vector(path: Path) -> None:
    vector = load(path)
    if vector["kind"] in REQUEST_KINDS:
        check_request(path, vector)
    else:
        check_answer(vector)


VALID_WITH_INPUT = [p for p in sorted((VECTORS / "ferma" / "valid").glob("*.json")) if '"input":' in p.read_text()]


@pytest.mark.parametrize("path", VALID_WITH_INPUT, ids=lambda p: p.stem)
def test_valid_receipts_stay_valid_with_plain_floats(path: Path) -> None:
    """A script that reads JSON with plain floats gets the same verdict:
    each float is taken at its shortest decimal (249.9, not 249.900000000000005684…)."""
    vector = json.loads(path.read_text(encoding="utf-8"))
    got = ofdkit.validate_receipt(vector["input"], vector["operation"])
    assert seen(got) == triples(vector["expect"]["violations"])
