"""A dict is read by the core directly (no JSON text in between) when it
holds only what can be read without running the user's code; anything else
takes the long way, through JSON text. Both ways must agree on every
document, to the message: these tests hold them to it. A Mapping that is
not a dict always takes the long way, which makes it the reference."""

from __future__ import annotations

import copy
import enum
import json
import random
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Dict, List, Tuple

import pytest

import ofdkit
from conftest import VECTORS, load_exact
from request_mutations import Mutator, collect_donors, dumps

REPO = Path(__file__).resolve().parents[2]

KINDS = {
    "ferma.receipt_request": "receipt",
    "ofd.application_request": "application",
    "ofd.application_update": "update",
    "ofd.partner_registration": "partner",
}


def long_way(document: Any) -> Any:
    """The same document, as a Mapping that is not a dict: read the long way."""
    if isinstance(document, dict):
        return MappingProxyType(document)
    return document


def in_full(violations: List[ofdkit.Violation]) -> List[Tuple[str, ...]]:
    return [(v.path, v.code, v.severity, v.rule, v.message, v.message_ru) for v in violations]


def outcome(document: Any, kind: Any = None, operation: str = "sell", check: str = "draft") -> Any:
    """Every violation in full, or the exception raised."""
    try:
        violations = ofdkit.validate(document, kind=kind, operation=operation, check=check)
    except Exception as error:  # noqa: BLE001 - the exception is the outcome compared
        return (type(error).__name__, str(error), in_full(getattr(error, "violations", [])))
    return in_full(violations)


def both_ways_agree(document: Any, kind: Any = None, operation: str = "sell", check: str = "draft") -> Any:
    direct = outcome(document, kind, operation, check)
    assert direct == outcome(long_way(document), kind, operation, check)
    return direct


def request_vectors() -> List[Tuple[str, str, Dict[str, Any]]]:
    found = []
    for path in sorted(VECTORS.rglob("*.json")):
        if "peers" in path.parts or "tools" in path.parts:
            continue
        vector = load_exact(path)
        if vector.get("kind") in KINDS and isinstance(vector.get("input"), dict):
            found.append((path.stem, vector["kind"], vector))
    return found


VECTOR_CASES = request_vectors()


@pytest.mark.parametrize("name,kind,vector", VECTOR_CASES, ids=[c[0] for c in VECTOR_CASES])
def test_every_vector_reads_the_same_both_ways(name: str, kind: str, vector: Dict[str, Any]) -> None:
    operation = vector.get("operation", "sell")
    check = vector.get("check", "draft")
    both_ways_agree(vector["input"], KINDS[kind], operation, check)
    # Told apart by its members, too.
    both_ways_agree(vector["input"], None, operation, check)


def test_mutated_requests_read_the_same_both_ways() -> None:
    """Values of every type, out of range, misspelt codes, unknown members
    (kept and sent as given), removed members, nulls."""
    schema = json.loads((REPO / "schema" / "ferma-receipt-request.json").read_text(encoding="utf-8"))
    receipts = [v["input"] for _, kind, v in VECTOR_CASES if kind == "ferma.receipt_request"]
    mutator = Mutator(schema, collect_donors(receipts), random.Random(20261129))
    compared = 0
    for i in range(600):
        document, _ = mutator.mutate(receipts[i % len(receipts)], 1 + i % 3)
        both_ways_agree(document, "receipt")
        compared += 1
    assert compared == 600


class Vat(str, enum.Enum):
    VAT20 = "vat20"


class Method(enum.IntEnum):
    FULL = 4


class Price(Decimal):
    """A Decimal subclass: its text is the user's code, so it takes the long way."""


@pytest.mark.parametrize(
    "value",
    [
        Vat.VAT20,
        Method.FULL,
        Price("249.90"),
        249.9,
        10**30,
        (1, 2),
        MappingProxyType({"a": 1}),
        Decimal("NaN"),
        Decimal("1E+2"),
        Decimal("-0.00"),
        Decimal("123456789012345678901234567890.5"),
        float("nan"),
        "\ud800",
        "quote \" backslash \\ control \x01 new line \n",
        b"bytes",
        None,
        True,
        [],
        {},
    ],
    ids=repr,
)
def test_each_kind_of_value_reads_the_same_both_ways(receipt: Dict[str, Any], value: Any) -> None:
    for place in ("price", "vat", "name", "unknown"):
        document = copy.deepcopy(receipt)
        item = document["receipt"]["items"][0]
        if place == "vat":
            item["vat"]["type"] = value
        else:
            item[place] = value
        both_ways_agree(document, "receipt")


AMOUNTS: List[Any] = [
    *(
        Decimal(text)
        for text in (
            "0", "-0", "0.00", "1", "249.90", "249.9", "300", "300.000", "300.001", "0.05", "0.001", "-0.01", "-1",
            "1E+2", "1.5E-3", "0E-7", "0.0000001", "42949672.95", "42949672.96", "99999.999", "99999999.99",
            "100000000", "12345678901234567890", "9223372036854775807.00",
        )
    ),
    *(0, 1, 300, -5, 10**12, 2**63 - 1, 2**70),
    *(0.0, -0.0, 249.9, 300.0, 0.05, 0.1 + 0.2, 1e-7, -0.01, 42949672.95, 99999.999, 1e15, 1e21),
]


@pytest.mark.parametrize("amount", AMOUNTS, ids=repr)
def test_amounts_and_quantities_read_in_place_as_their_text(receipt: Dict[str, Any], amount: Any) -> None:
    """A Decimal, int or float amount is read in place as whole kopecks
    (or thousandths), never through its text: each is checked against the
    same number given as text, which both ways read alike, so a misread
    value breaks the item's sum rule on one way only."""
    for place in ("price", "quantity"):
        document = copy.deepcopy(receipt)
        item = document["receipt"]["items"][0]
        item["price"], item["quantity"] = ("1", amount) if place == "quantity" else (amount, "1")
        item["sum"] = str(amount)
        item["vat"]["sum"] = amount
        both_ways_agree(document, "receipt")


def test_odd_member_names_read_the_same_both_ways(receipt: Dict[str, Any]) -> None:
    for key in (1, ("a",), "odd key", "\ud800", "x" * 200, Vat.VAT20):
        document = copy.deepcopy(receipt)
        document["receipt"][key] = 1
        both_ways_agree(document, "receipt")


def test_large_receipts_meet_the_split_rule_the_same_both_ways(receipt: Dict[str, Any]) -> None:
    """The split rule (§3.2) counts the wire form only when its bound
    says it may be over 20 000 characters: around the threshold, both ways
    must count the same."""
    item = receipt["receipt"]["items"][0]
    for items in (1, 60, 80, 100, 200):
        document = copy.deepcopy(receipt)
        document["receipt"]["items"] = [dict(copy.deepcopy(item), name=f"Товар {i}") for i in range(items)]
        violations = both_ways_agree(document, "receipt")
        assert isinstance(violations, list)
        text = outcome(json.dumps(document, ensure_ascii=False, default=str), "receipt")
        assert violations == text


def test_the_size_limit_counts_a_dict_as_its_compact_json(receipt: Dict[str, Any]) -> None:
    """Both ways measure a dict by the JSON ofdkit would write for it."""
    receipt["receipt"]["items"][0]["name"] = 'Кофе "Арабика"\tмолотый'
    # ofdkit writes a control character as \u00XX.
    compact = dumps(receipt).replace("\\t", "\\u0009")
    size = len(compact.encode())
    try:
        ofdkit.set_max_input_bytes(size)
        assert both_ways_agree(receipt, "receipt") == []
        ofdkit.set_max_input_bytes(size - 1)
        direct = both_ways_agree(receipt, "receipt")
        assert direct[0] == "InputTooLargeError"
    finally:
        ofdkit.set_max_input_bytes(0)
