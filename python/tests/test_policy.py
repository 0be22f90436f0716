"""Severity follows the spec, strict mode, rules by id, filling totals
with the rest paid, and the application life cycle: what issue 10 added to
the Python binding (every rule is the core's)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Dict

import pytest

import ofdkit
from ofdkit import codes

PEERS = Path(__file__).resolve().parents[2] / "tests" / "vectors" / "peers"


def test_a_wrong_buyer_phone_is_a_warning_that_names_its_rule(receipt: Dict[str, Any]) -> None:
    receipt["receipt"]["client"]["phone"] = "88002000600"
    [violation] = ofdkit.validate_receipt(receipt)
    assert (violation.path, violation.code, violation.severity) == ("receipt.client.phone", "bad_format", "warning")
    assert violation.rule == "client_phone_format"
    assert violation.to_dict()["rule"] == "client_phone_format"
    assert "client_phone_format" in repr(violation)


def test_strict_turns_every_warning_into_an_error(receipt: Dict[str, Any]) -> None:
    receipt["receipt"]["client"]["phone"] = "none"
    assert not any(v.is_error for v in ofdkit.validate_receipt(receipt))
    [strict] = ofdkit.validate_receipt(receipt, strict=True)
    assert strict.is_error and strict.rule == "client_phone_format"
    with pytest.raises(ofdkit.ValidationError):
        ofdkit.validate_receipt(receipt, strict=True, raise_on_error=True)
    assert ofdkit.normalize_receipt(receipt)  # the spec lets it through
    with pytest.raises(ofdkit.ValidationError) as caught:
        ofdkit.normalize_receipt(receipt, strict=True)
    assert [v.path for v in caught.value.violations] == ["receipt.client.phone"]


def test_violations_pickle_with_their_rule(receipt: Dict[str, Any]) -> None:
    import pickle

    receipt["service"] = {"callback_url": "test.local"}
    [violation] = ofdkit.validate_receipt(receipt)
    again = pickle.loads(pickle.dumps(violation))
    assert again == violation and again.rule == "callback_url_format"
    made = ofdkit.Violation("a", "bad_format", "warning", "m", "м", rule="email_format")
    assert made.rule == "email_format"
    with pytest.raises(ValueError):
        ofdkit.Violation("a", "bad_format", "warning", "m", "м", rule="no_such_rule")


def test_fill_totals_pays_the_rest_and_keeps_a_discount(receipt: Dict[str, Any]) -> None:
    for member in ("payments", "vats", "total"):
        receipt["receipt"].pop(member, None)
    for item in receipt["receipt"]["items"]:
        item["vat"].pop("sum", None)
    # 10 % off the tea: the item's sum is below price × quantity.
    receipt["receipt"]["items"][0]["sum"] = Decimal("449.82")
    with pytest.raises(ofdkit.ValidationError):
        ofdkit.fill_totals(receipt)  # nothing to pay with
    filled = ofdkit.fill_totals(receipt, pay_rest=codes.PaymentType.ELECTRONIC)
    assert filled["receipt"]["total"] == Decimal("749.82")
    assert filled["receipt"]["payments"] == [{"type": 1, "sum": Decimal("749.82")}]
    assert filled["receipt"]["items"][0]["vat"]["sum"] == Decimal("74.97")
    assert ofdkit.validate_receipt(filled) == []
    with pytest.raises(ofdkit.errors.InvalidArgumentError):
        ofdkit.fill_totals(receipt, pay_rest=42)


def test_the_life_cycle_says_what_comes_next() -> None:
    state = ofdkit.application_state("Initialization", "AwaitingSignature")
    assert state.next_step == "sign_documents" and not state.is_final
    assert state.stage == codes.ApplicationStage.INITIALIZATION
    assert "sign" in state.allowed and "подпишите" in state.advice_ru
    done = ofdkit.application_state("Finalization", "Approved")
    assert done.is_final and done.next_step == "done" and done.allowed == ["read"]
    with pytest.raises(ofdkit.errors.InvalidArgumentError):
        ofdkit.application_state("Initialization", "Sleeping")


@pytest.mark.parametrize("name", sorted(json.loads((PEERS / "expected.json").read_text())))
def test_every_peer_request_gets_the_verdict_rust_gives(name: str) -> None:
    expected = json.loads((PEERS / "expected.json").read_text())[name]
    got = ofdkit.validate_receipt((PEERS / name).read_text(encoding="utf-8"), expected["operation"])
    assert sorted((v.path, v.code, v.rule, v.severity) for v in got) == sorted(
        (v["path"], v["code"], v["rule"], v["severity"]) for v in expected["violations"]
    )


def test_validate_many_checks_a_batch_in_order_without_the_gil(receipt: Dict[str, Any]) -> None:
    bad = json.loads(json.dumps(receipt, default=str))
    bad["receipt"]["company"]["inn"] = "1234567891"
    documents = [receipt, json.dumps(bad), receipt] * 50
    results = ofdkit.validate_many(documents, threads=2)
    assert len(results) == 150
    assert results[0] == [] and results[2] == []
    assert [v.rule for v in results[1]] == ["inn_checksum"]
    assert results == [ofdkit.validate_receipt(d) for d in documents]
    phone = dict(receipt, receipt=dict(receipt["receipt"], client={"phone": "8900"}))
    assert ofdkit.validate_many([phone], strict=True)[0][0].is_error
    with pytest.raises(ofdkit.errors.InvalidJsonError) as caught:
        ofdkit.validate_many([receipt, "{"])
    assert "documents[1]" in str(caught.value)
    assert ofdkit.validate_many([]) == []
    # Dicts are read where they lie, the rest as text: a Mapping among them
    # keeps its place and its verdict.
    mixed = [MappingProxyType(receipt), receipt, json.dumps(bad), dict(bad), MappingProxyType(bad)]
    assert ofdkit.validate_many(mixed, threads=2) == [ofdkit.validate_receipt(d) for d in mixed]
