"""The Pythonic API over the core: validation, money, normalisation,
totals, VAT, code tables, answers and the exception classes."""

from __future__ import annotations

import copy
import json
import pickle
from datetime import datetime
from decimal import Decimal
from typing import Any, Dict

import pytest

import ofdkit
from ofdkit import codes, errors


def test_a_valid_receipt_has_no_violations(receipt: Dict[str, Any]) -> None:
    assert ofdkit.validate_receipt(receipt) == []
    assert ofdkit.validate_receipt(json.dumps(receipt, default=str)) == []
    assert ofdkit.validate_receipt(json.dumps(receipt, default=str).encode()) == []


def test_a_violation_names_its_field_and_rule(receipt: Dict[str, Any]) -> None:
    receipt["receipt"]["items"][1]["vat"]["type"] = "vat33"
    [violation] = [v for v in ofdkit.validate_receipt(receipt) if v.is_error]
    assert violation.path == "receipt.items[1].vat.type"
    assert violation.code == "unknown_value"
    assert violation.severity == "error"
    assert "vat33" in violation.message and "vat33" in violation.message_ru
    assert str(violation).startswith("error receipt.items[1].vat.type: ")
    assert violation.to_dict()["path"] == "receipt.items[1].vat.type"


def test_raise_on_error_raises_validation_error_with_every_violation(receipt: Dict[str, Any]) -> None:
    del receipt["external_id"]
    receipt["receipt"]["company"]["inn"] = "7825706087"
    with pytest.raises(ofdkit.ValidationError) as caught:
        ofdkit.validate_receipt(receipt, raise_on_error=True)
    error = caught.value
    assert {v.path for v in error.errors} == {"external_id", "receipt.company.inn"}
    assert error.error_code == 1002 and error.error_name == "INVALID_REQUEST"
    assert isinstance(error, ValueError) and isinstance(error, ofdkit.OfdkitError)
    assert "and 1 more" in str(error)


def test_warnings_do_not_raise(receipt: Dict[str, Any]) -> None:
    receipt["receipt"]["items"][0]["colour"] = "green"
    violations = ofdkit.validate_receipt(receipt, raise_on_error=True)
    assert [(v.path, v.code, v.is_error) for v in violations] == [("receipt.items[0].colour", "unknown_field", False)]


@pytest.mark.parametrize(
    "price, total, ok",
    [
        (Decimal("249.90"), Decimal("799.80"), True),
        (24990 / 100, 799.8, True),  # 249.9 exactly as its shortest decimal
        ("249.90", "799.80", True),
        (250, Decimal("800.10"), True),
        (249.901, 799.8, False),  # a tenth of a kopeck: never rounded
        (Decimal("249.901"), Decimal("799.8"), False),
    ],
)
def test_money_in_every_python_form(receipt: Dict[str, Any], price: Any, total: Any, ok: bool) -> None:
    items = receipt["receipt"]["items"]
    items[0]["price"] = price
    items[0]["sum"] = Decimal(str(price)) * 2 if ok else price
    receipt["receipt"]["total"] = total
    receipt["receipt"]["payments"][0]["sum"] = total
    for item in items:
        item["vat"].pop("sum", None)
    errors_ = [v for v in ofdkit.validate_receipt(receipt) if v.is_error and v.code == "too_precise"]
    assert (errors_ == []) == ok, errors_
    if not ok:
        assert errors_[0].path == "receipt.items[0].price"


def test_a_float_that_is_not_exact_is_refused_with_its_path(receipt: Dict[str, Any]) -> None:
    receipt["receipt"]["items"][0]["quantity"] = 0.1 + 0.2  # 0.30000000000000004
    [v] = [v for v in ofdkit.validate_receipt(receipt) if v.path == "receipt.items[0].quantity"]
    assert v.code == "too_precise"


def test_enum_members_go_into_receipts(receipt: Dict[str, Any]) -> None:
    item = receipt["receipt"]["items"][0]
    item["measure"] = codes.Measure.PIECE
    item["payment_object"] = codes.PaymentObject.parse("commodity")
    item["payment_method"] = codes.PaymentMethod.FULL_PAYMENT
    item["vat"]["type"] = codes.VatType.VAT20
    assert ofdkit.validate_receipt(receipt) == []
    wire = json.loads(ofdkit.normalize_receipt(receipt))
    assert wire["receipt"]["items"][0]["payment_object"] == 1
    assert wire["receipt"]["items"][0]["vat"]["type"] == "vat20"


def test_normalize_gives_the_wire_json(receipt: Dict[str, Any]) -> None:
    receipt["receipt"]["items"][0]["payment_object"] = "commodity"
    wire = json.loads(ofdkit.normalize_receipt(receipt, "sell"), parse_float=Decimal)
    assert wire["receipt"]["items"][0]["payment_object"] == 1
    assert wire["receipt"]["items"][0]["price"] == Decimal("249.9")
    with pytest.raises(ofdkit.ValidationError):
        ofdkit.normalize_receipt({"external_id": "1"}, "sell")


def test_fill_totals_returns_decimal_money(receipt: Dict[str, Any]) -> None:
    del receipt["receipt"]["total"]
    for item in receipt["receipt"]["items"]:
        del item["vat"]["sum"]
    filled = ofdkit.fill_totals(receipt)
    assert filled["receipt"]["total"] == Decimal("799.80")
    assert isinstance(filled["receipt"]["total"], Decimal)
    assert [v["sum"] for v in filled["receipt"]["vats"]] == [Decimal("133.30")]
    assert ofdkit.validate_receipt(filled) == []


@pytest.mark.parametrize(
    "amount, rate, vat",
    [(Decimal("120"), "vat20", "20.00"), (120, "vat120", "20.00"), ("100", "vat10", "9.09"), (0.7, "vat110", "0.06")],
)
def test_vat(amount: Any, rate: str, vat: str) -> None:
    assert ofdkit.vat(amount, rate) == Decimal(vat)


@pytest.mark.parametrize("amount, rate", [(0.001, "vat20"), ("abc", "vat20"), (None, "vat20"), (10, "vat33")])
def test_vat_refuses_what_it_cannot_use(amount: Any, rate: str) -> None:
    with pytest.raises(errors.InvalidArgumentError):
        ofdkit.vat(amount, rate)


def test_registration_number_helper() -> None:
    assert ofdkit.kkt_registration_number("0007795807", "7825706086", "00105726645591") == "0007795807005569"
    with pytest.raises(errors.InvalidArgumentError):
        ofdkit.kkt_registration_number("123", "7825706086", "1")


def test_code_tables_are_enums_with_descriptions() -> None:
    assert codes.Measure.KILOGRAM == 11 and codes.Measure.KILOGRAM.description_ru == "Килограмм"
    assert codes.Measure.parse("11") is codes.Measure.KILOGRAM
    assert codes.PaymentObject.parse("commodity") is codes.PaymentObject.parse(1)
    assert codes.Sno.OSN == "osn" and f"{codes.Sno.OSN}" == "osn" and str(codes.Sno.OSN) == "osn"
    assert len(codes.FederalId) == 72 and codes.FederalId.parse("001").description_ru.startswith("Министерство")
    assert codes.VatType.VAT22.table().name == "vat_type"
    assert codes.FermaError.parse(1073).description_ru
    with pytest.raises(ValueError):
        codes.Measure.parse("kilo")


def test_every_table_of_the_core_has_its_enum() -> None:
    from ofdkit import _native

    tables = _native.code_tables()
    assert len(tables) == len(codes.__all__)
    for table in tables:
        enum = getattr(codes, "".join(p.capitalize() for p in table["name"].split("_")))
        assert [m.wire for m in enum] == [e["wire"] for e in table["entries"]]
        assert [m.description_ru for m in enum] == [e["description_ru"] for e in table["entries"]]


def test_kind_is_guessed_as_the_cli_does(receipt: Dict[str, Any]) -> None:
    assert ofdkit.guess_kind(receipt) == "receipt"
    assert ofdkit.guess_kind({"ofdAgreementId": "x"}) == "application"
    assert ofdkit.guess_kind({"okved": "47.91"}) == "partner"
    assert ofdkit.validate({"ofdAgreementId": "x"})[0].path.startswith("")


def test_answers_parse_into_typed_objects() -> None:
    body = {
        "uuid": "6b2a3b1c-0000-4000-8000-000000000001",
        "status": "done",
        "timestamp": "24.11.2026 12:00:05",
        "error": None,
        "payload": {
            "total": 799.8,
            "fn_number": "9999078902004792",
            "shift_number": 12,
            "receipt_datetime": "24.11.2026 09:00:05",
            "fiscal_document_number": 133,
            "fiscal_document_attribute": 3449555955,
            "ofd_receipt_url": "https://check.ofd.ru/rec/1",
        },
    }
    report = ofdkit.parse_report(json.dumps(body))
    assert report.done and report.payload is not None
    assert report.payload.total == Decimal("799.80") and isinstance(report.payload.total, Decimal)
    assert report.payload.receipt_datetime == datetime(2026, 11, 24, 9, 0, 5)
    assert report.timestamp == datetime(2026, 11, 24, 12, 0, 5)
    assert report.payload.fiscal_document_attribute == 3449555955
    callback = ofdkit.parse_callback(json.dumps(body).encode())
    assert callback.payload == report.payload


def test_api_errors_in_answers_raise_their_class() -> None:
    body = json.dumps({"error": {"code": 12, "text": "Неверный логин или пароль"}})
    with pytest.raises(errors.AuthError) as caught:
        ofdkit.parse_token_response(body, 401)
    assert caught.value.code == 12 and caught.value.api == "ferma" and caught.value.http_status == 401
    assert isinstance(caught.value, ofdkit.ApiError)
    with pytest.raises(errors.HttpStatusError) as gateway:
        ofdkit.parse_create_response(b"<html>502</html>", 502)
    assert gateway.value.body_start.startswith("<html>") and gateway.value.http_status == 502
    with pytest.raises(errors.UnexpectedResponseError) as garbage:
        ofdkit.parse_create_response("<html>ok</html>", 200)
    assert isinstance(garbage.value, ofdkit.ProtocolError)


def test_every_error_code_has_its_class() -> None:
    from ofdkit import _native
    from ofdkit._error_base import _BY_CODE

    for number, name, _description, category in _native.error_codes():
        cls = _BY_CODE[number]
        assert issubclass(cls, ofdkit.OfdkitError)
        assert (cls.error_code, cls.error_name) == (number, name)
        family = {
            "input": ofdkit.InputError,
            "protocol": ofdkit.ProtocolError,
            "transport": ofdkit.TransportError,
            "api": ofdkit.ApiError,
            "internal": ofdkit.InternalError,
        }[category]
        assert issubclass(cls, family), name
        assert cls.__module__ == "ofdkit.errors"


def test_violations_compare_hash_and_pickle(receipt: Dict[str, Any]) -> None:
    del receipt["external_id"]
    first = ofdkit.validate_receipt(receipt)
    second = ofdkit.validate_receipt(copy.deepcopy(receipt))
    assert first == second and len({*first, *second}) == len(first)
    assert pickle.loads(pickle.dumps(first)) == first
    made = ofdkit.Violation("a", "required", "error", "is required", "обязательно")
    assert made.is_error and repr(made).startswith("Violation(")
    with pytest.raises(ValueError):
        ofdkit.Violation("a", "no_such_code", "error", "", "")


def test_applications_validate_at_each_check_level() -> None:
    application = {"ofdAgreementId": "555b55e5-a555-4e55-95d5-5fcbafd5fe55", "purpose": "Registration"}
    draft = ofdkit.validate_application(application)
    complete = ofdkit.validate_application(application, "complete")
    assert not any(v.is_error for v in draft if v.code == "required")
    assert any(v.is_error and v.code == "required" for v in complete)
    with pytest.raises(errors.InvalidArgumentError):
        ofdkit.validate_application(application, "final")


def test_partner_registration_checks_the_ogrn() -> None:
    registration = {"inn": "7825706086", "ogrn": "1027700132196", "okved": "47.91"}
    assert any(v.path == "ogrn" and v.code == "ogrn_checksum" for v in ofdkit.validate_partner_registration(registration))
