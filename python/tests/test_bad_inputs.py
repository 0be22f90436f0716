"""Bad input of every Python type raises a clear OfdkitError naming the
value's path — never a crash, never a bare TypeError from the binding."""

from __future__ import annotations

import datetime
import json
import math
from decimal import Decimal
from typing import Any, Callable, Dict, Iterator, List, Mapping

import pytest

import ofdkit
from ofdkit import errors


def deeply_nested(depth: int) -> Dict[str, Any]:
    value: Dict[str, Any] = {}
    top = value
    for _ in range(depth):
        value["x"] = {}
        value = value["x"]
    return top


def cyclic() -> Dict[str, Any]:
    d: Dict[str, Any] = {}
    d["self"] = d
    return d


class Opaque:
    pass


def bad_type_at(document: Any, path: str) -> None:
    with pytest.raises(ofdkit.ValidationError) as caught:
        ofdkit.validate_receipt(document)
    [violation] = caught.value.violations
    assert (violation.path, violation.code) == (path, "bad_type"), violation
    assert violation.message and violation.message_ru


@pytest.mark.parametrize(
    "value",
    [
        b"bytes",
        bytearray(b"x"),
        math.nan,
        math.inf,
        -math.inf,
        Decimal("NaN"),
        Decimal("sNaN"),
        Decimal("Infinity"),
        datetime.datetime(2026, 11, 24, 12, 0),
        datetime.date(2026, 11, 24),
        Opaque(),
        {1, 2},
        complex(1, 2),
        print,
        10**5000,
        "\ud800",
    ],
    ids=lambda v: type(v).__name__ + (f"({v!r})" if isinstance(v, (float, Decimal)) else ""),
)
def test_values_json_cannot_carry_are_refused_with_their_path(value: Any) -> None:
    bad_type_at({"external_id": "1", "receipt": {"items": [{"name": "x", "price": value}]}}, "receipt.items[0].price")


def test_non_string_keys_are_refused() -> None:
    bad_type_at({"receipt": {1: "x"}}, "receipt")
    bad_type_at({("a",): 1}, "")


def test_deep_nesting_and_cycles_are_refused() -> None:
    with pytest.raises(ofdkit.ValidationError) as caught:
        ofdkit.validate_receipt(deeply_nested(10_000))
    assert caught.value.violations[0].code == "bad_type"
    with pytest.raises(ofdkit.ValidationError):
        ofdkit.validate_receipt(cyclic())
    with pytest.raises(errors.InvalidJsonError):
        ofdkit.validate_receipt("[" * 100_000)


@pytest.mark.parametrize(
    "document",
    [None, 1, True, "null", "[]", [], [1, 2], "\"a\"", {"receipt": None}, {"receipt": []}, {"receipt": {"items": "x"}}],
    ids=repr,
)
def test_wrong_shapes_are_violations(document: Any) -> None:
    violations = ofdkit.validate_receipt(document)
    assert any(v.is_error for v in violations)


@pytest.mark.parametrize("text", ["", "{", "{'a': 1}", "{\"a\": 1,}", b"\xff\xfe", "1e400x"])
def test_malformed_json_text_raises_invalid_json_with_position(text: Any) -> None:
    with pytest.raises(errors.InvalidJsonError) as caught:
        ofdkit.validate_receipt(text)
    assert caught.value.line is not None and caught.value.column is not None
    assert isinstance(caught.value, ValueError)


def test_huge_numbers_are_out_of_range_not_rounded() -> None:
    violations = ofdkit.validate_receipt(
        {"external_id": "1", "receipt": {"items": [{"name": "x", "price": 10**40, "quantity": Decimal("1e400")}]}}
    )
    codes = {(v.path, v.code) for v in violations}
    assert ("receipt.items[0].price", "out_of_range") in codes
    assert ("receipt.items[0].quantity", "out_of_range") in codes


CALLS: List[Callable[[], Any]] = [
    lambda: ofdkit.validate_receipt({}, "refund"),  # not an operation
    lambda: ofdkit.validate({}, kind="invoice"),
    lambda: ofdkit.validate({}, check="final"),
    lambda: ofdkit.normalize_receipt(b"\x00"),
    lambda: ofdkit.fill_totals({"receipt": 5}),
    lambda: ofdkit.vat(Decimal("NaN"), "vat20"),
    lambda: ofdkit.vat("1e30", "vat20"),
    lambda: ofdkit.parse_report(b"\xff", 200),
    lambda: ofdkit.parse_report("{}", 999),
    lambda: ofdkit.codes.Measure.parse("kilo"),
    lambda: ofdkit.FermaClient("l", "p", "1", base_url="ftp://x"),
    lambda: ofdkit.FermaClient("l", "p", "1", base_url="http://127.0.0.1:1", timeout=-1),
    lambda: ofdkit.FermaClient("l", "p", "1", base_url="http://127.0.0.1:1", timeout=math.nan),
    lambda: ofdkit.RegistrationClient("t", base_url=""),
]


WRONG_TYPES: List[Callable[[], Any]] = [
    lambda: ofdkit.vat(1, None),  # type: ignore[arg-type]
    lambda: ofdkit.parse_report(5),  # type: ignore[arg-type]
    lambda: ofdkit.parse_report("{}", "200"),  # type: ignore[arg-type]
    lambda: ofdkit.kkt_registration_number(None, "1", "2"),  # type: ignore[arg-type]
    lambda: ofdkit.validate({}, kind=5),  # type: ignore[arg-type]
    lambda: ofdkit.FermaClient(None, "p", "1", "http://127.0.0.1:1"),  # type: ignore[arg-type]
    lambda: ofdkit.FermaClient("l", "p", "1", "http://127.0.0.1:1", timeout="soon"),  # type: ignore[arg-type]
    lambda: ofdkit.FermaClient("l", "p", "1", "http://127.0.0.1:1", attempts=2.5),  # type: ignore[arg-type]
    lambda: ofdkit.FermaClient("l", "p", "1", "http://127.0.0.1:1", proxy="socks5://p:1"),
    lambda: ofdkit.FermaClient("l", "p", "1", "http://127.0.0.1:1", ca_bundle=b"not pem"),
    lambda: ofdkit.FermaClient("l", "p", "1", "http://127.0.0.1:1", ca_bundle="/nonexistent/ca.pem"),
    lambda: ofdkit.FermaClient("l", "p", "1", "http://127.0.0.1:1", ca_bundle=5),  # type: ignore[arg-type]
    lambda: ofdkit.RegistrationClient("t", partner_base_url="ofd.me"),
    lambda: ofdkit.RegistrationClient(b"token"),  # type: ignore[arg-type]
    lambda: ofdkit.FermaClient("l", "p", "1", base_url="http://127.0.0.1:1").report(None),  # type: ignore[arg-type]
]


@pytest.mark.parametrize("call", CALLS + WRONG_TYPES, ids=range(len(CALLS) + len(WRONG_TYPES)))
def test_bad_arguments_raise_clear_ofdkit_errors(call: Callable[[], Any]) -> None:
    """Even an argument of the wrong Python type is an OfdkitError (an
    InvalidArgumentError, also a ValueError) that names the argument."""
    with pytest.raises(ofdkit.OfdkitError) as caught:
        call()
    assert str(caught.value)


def test_paths_use_the_core_notation_for_odd_member_names() -> None:
    bad_type_at({"receipt": {"odd key": [1, b"x"]}}, 'receipt["odd key"][1]')


def test_negative_zero_is_zero_not_negative_money(receipt: Dict[str, Any]) -> None:
    receipt["receipt"]["items"][0]["vat"]["sum"] = -0.0
    assert not any(v.path == "receipt.items[0].vat.sum" and v.code == "out_of_range" for v in ofdkit.validate_receipt(receipt))


class Interrupting(Decimal):
    """A Decimal whose text cannot be read: the user pressed Ctrl-C."""

    def __str__(self) -> str:
        raise KeyboardInterrupt


class InterruptingMapping(Mapping[str, Any]):
    """A mapping whose items cannot be read."""

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def items(self) -> Any:
        raise KeyboardInterrupt


def test_exceptions_of_the_users_objects_go_through_unchanged(receipt: Dict[str, Any]) -> None:
    """Not a ValidationError, not an InternalError: the very exception."""
    receipt["receipt"]["items"][0]["price"] = Interrupting("1")
    with pytest.raises(KeyboardInterrupt):
        ofdkit.validate_receipt(receipt)
    with pytest.raises(KeyboardInterrupt):
        ofdkit.validate_receipt({"external_id": "1", "receipt": InterruptingMapping()})
    with pytest.raises(KeyboardInterrupt):
        ofdkit.vat(Interrupting("1"), "vat20")


class Mutating(Decimal):
    """A Decimal that changes the dict it is in while it is read."""

    target: Dict[str, Any] = {}

    def __str__(self) -> str:
        for i in range(100):
            self.target[f"added{i}"] = i
        return "1"


def test_a_dict_changed_while_it_is_read_is_a_runtime_error_not_a_panic(receipt: Dict[str, Any]) -> None:
    item = receipt["receipt"]["items"][0]
    Mutating.target = item
    item["price"] = Mutating("1")
    with pytest.raises(RuntimeError, match="changed size during iteration"):
        ofdkit.validate_receipt(receipt)


def test_an_input_over_the_limit_raises_input_too_large(receipt: Dict[str, Any]) -> None:
    assert ofdkit.max_input_bytes() == 4 * 1024 * 1024
    text = json.dumps(receipt, default=str)
    try:
        ofdkit.set_max_input_bytes(len(text.encode()) - 1)
        for document in (text, text.encode(), bytearray(text.encode())):
            with pytest.raises(errors.InputTooLargeError) as caught:
                ofdkit.validate_receipt(document)
            assert caught.value.error_code == 1005 and isinstance(caught.value, ofdkit.InputError)
        # An object is measured by its JSON, which ofdkit writes compactly.
        ofdkit.set_max_input_bytes(100)
        with pytest.raises(errors.InputTooLargeError):
            ofdkit.validate_receipt(receipt)
        ofdkit.set_max_input_bytes(len(text.encode()))
        assert ofdkit.validate_receipt(text) == []
        assert ofdkit.validate_receipt(receipt) == []
    finally:
        ofdkit.set_max_input_bytes(0)
    assert ofdkit.max_input_bytes() == 4 * 1024 * 1024
    with pytest.raises(errors.InputTooLargeError):
        ofdkit.validate_receipt(b" " * (4 * 1024 * 1024 + 1))


def test_a_byte_order_mark_is_a_warning(receipt: Dict[str, Any]) -> None:
    text = "\ufeff" + json.dumps(receipt, default=str)
    for document in (text, text.encode()):
        [bom] = ofdkit.validate_receipt(document)
        assert (bom.path, bom.code, bom.severity) == ("", "non_canonical", "warning")
