"""Validation, normalisation, totals, VAT and answer parsing: the typed
face of the compiled core. Every rule is the core's; these functions only
convert."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union

from . import _native
from ._native import Violation
from .results import Application, ApplicationState, CashboxStats, Created, Report, Token

__all__ = [
    "Document",
    "Operation",
    "application_state",
    "fill_totals",
    "guess_kind",
    "kkt_registration_number",
    "normalize_receipt",
    "parse_application",
    "parse_application_list",
    "parse_callback",
    "parse_cashbox_stats",
    "parse_create_response",
    "parse_partner_response",
    "parse_report",
    "parse_token_response",
    "validate",
    "validate_application",
    "validate_application_update",
    "validate_partner_registration",
    "validate_many",
    "validate_receipt",
    "vat",
    "violations_to_json",
]

#: A request as a dict (see ``ofdkit.types``), or its JSON text.
Document = Union[Mapping[str, Any], str, bytes, bytearray]
#: ``"sell"``, ``"sell_refund"``, ``"sell_correction"``, ``"sell_refund_correction"``,
#: ``"buy"``, ``"buy_refund"``, ``"buy_correction"``, ``"buy_refund_correction"``
#: (or ``ofdkit.codes.Operation``).
Operation = str
Money = Union[Decimal, int, str, float]


def validate(
    document: Document,
    *,
    kind: Optional[str] = None,
    operation: Operation = "sell",
    check: str = "draft",
    raise_on_error: bool = False,
    strict: bool = False,
) -> List[Violation]:
    """Every violation of a request of either API. ``kind`` is
    ``"receipt"``, ``"application"``, ``"update"`` or ``"partner"``, or
    None to tell by its members (as ``python -m ofdkit validate`` does).
    With ``strict`` every warning counts as an error."""
    return _native.validate(document, kind, str(operation), check, raise_on_error, strict)


def validate_many(
    documents: Iterable[Document],
    *,
    kind: Optional[str] = None,
    operation: Operation = "sell",
    check: str = "draft",
    strict: bool = False,
    threads: Optional[int] = None,
) -> List[List[Violation]]:
    """Every violation of each document, in order (a list per document).
    A dict is checked where it lies, with the GIL held (writing it out as
    JSON for another thread cost four times as much); JSON text, and a
    document that must be written out (a ``Mapping``, a ``Decimal``
    subclass; every document on Windows), is checked without the GIL on
    ``threads`` threads (default: every core), so a batch of thousands of
    texts uses the whole machine. A document that cannot be read raises,
    naming its index (``documents[7]: …``)."""
    return _native.validate_many(documents, kind, str(operation), check, strict, threads)


def violations_to_json(violations: List[Violation]) -> str:
    """The violations as the core's one JSON form: byte for byte what
    ``ofdkit validate --json`` prints and the C library gives."""
    return _native.violations_to_json(list(violations))


def guess_kind(document: Document) -> str:
    """What ``validate`` takes ``document`` for when no kind is given."""
    return _native.guess_kind(document)


#: Every violation of a Ferma receipt or correction request: see its
#: docstring. The compiled function itself, with no Python frame around it
#: (that frame was a twentieth of checking a typical receipt).
validate_receipt = _native.validate_receipt


def validate_application(
    application: Document,
    check: str = "draft",
    *,
    raise_on_error: bool = False,
    strict: bool = False,
) -> List[Violation]:
    """Every violation of a KKT registration application (§2.1). ``check``:
    ``"draft"`` (what §2.5.1 still needs is a warning), ``"complete"``
    (about to prepare documents: it is an error) or ``"secondary"`` (the
    finalization stage's secondary request)."""
    return _native.validate(application, "application", "sell", check, raise_on_error, strict)


def validate_application_update(
    update: Document,
    check: str = "draft",
    *,
    raise_on_error: bool = False,
    strict: bool = False,
) -> List[Violation]:
    """Every violation of an application update (§2.2)."""
    return _native.validate(update, "update", "sell", check, raise_on_error, strict)


def validate_partner_registration(
    registration: Document, *, raise_on_error: bool = False, strict: bool = False
) -> List[Violation]:
    """Every violation of a partner's registration of a new client (appendix 1)."""
    return _native.validate(registration, "partner", "sell", "draft", raise_on_error, strict)


def normalize_receipt(receipt: Document, operation: Operation = "sell", *, strict: bool = False) -> str:
    """The exact JSON Ferma expects for ``receipt`` sent as ``operation``:
    the document under its operation's member, codes and money canonical,
    absent fields omitted. Raises ``ValidationError`` on any error (with
    ``strict``, on any warning too)."""
    wire, _warnings = _native.normalize_receipt(receipt, str(operation), strict)
    return wire


def fill_totals(receipt: Document, *, pay_rest: Optional[int] = None) -> Dict[str, Any]:
    """The request with each item's VAT sum, ``vats`` and ``total`` filled
    from the items' sums and rates (money as ``Decimal``). With ``pay_rest``
    (a payment type: ``1`` or ``ofdkit.codes.PaymentType.ELECTRONIC``, …)
    the part of the total the payments leave unpaid is added as a payment
    of that type, and ``payments`` may be absent.

    Item sums are kept as given, so a discount is applied by giving an
    item a ``sum`` below ``price × quantity`` in exact kopecks (for 10 % off
    two items at 150.00: ``"sum": Decimal("270.00")``); its VAT, ``vats``,
    the total and the payment then follow from it."""
    result: Dict[str, Any] = json.loads(_native.fill_totals(receipt, pay_rest), parse_float=Decimal)
    return result


def application_state(stage: str, status: str) -> ApplicationState:
    """What an application's stage and status (``"Initialization"``,
    ``"AwaitingSignature"``) mean: whether it is final, the next step with
    advice in English and Russian, and the requests allowed now (figure 1
    of the registration spec)."""
    return ApplicationState._from_json(_native.application_state(stage, status))


def vat(amount: Money, vat_type: str) -> Decimal:
    """The VAT included in ``amount`` at ``vat_type`` (``"vat20"``,
    ``"vat120"``, …), rounded half-up to the kopeck."""
    return Decimal(_native.vat(amount, str(vat_type)))


def kkt_registration_number(first_ten_digits: str, inn: str, serial_number: str) -> str:
    """The full 16-digit KKT registration number: its last 6 digits are the
    CRC-16/CCITT-FALSE of the first 10, the INN and the serial number."""
    return _native.kkt_registration_number(first_ten_digits, inn, serial_number)


Body = Union[bytes, str]


def parse_token_response(body: Body, http_status: int = 200) -> Token:
    """Ferma's answer to getToken (§2)."""
    return Token._from_json(_native.parse_response("token", body, http_status))


def parse_create_response(body: Body, http_status: int = 200) -> Created:
    """Ferma's answer to a receipt (§3.1.3, §3.2)."""
    return Created._from_json(_native.parse_response("create", body, http_status))


def parse_report(body: Body, http_status: int = 200) -> Report:
    """Ferma's report of a document (§4)."""
    return Report._from_json(_native.parse_response("report", body, http_status))


def parse_callback(body: Body) -> Report:
    """The body Ferma POSTs to a receipt's ``callback_url`` (§4)."""
    return Report._from_json(_native.parse_response("callback", body, 200))


def parse_cashbox_stats(body: Body, http_status: int = 200) -> CashboxStats:
    """Ferma's cashbox monitoring answer (§7)."""
    return CashboxStats._from_json(_native.parse_response("cashbox_stats", body, http_status))


def parse_application(body: Body, http_status: int = 200) -> Application:
    """An application answer of the registration API (§§2.1–2.6)."""
    return Application._from_json(_native.parse_response("application", body, http_status))


def parse_application_list(body: Body, http_status: int = 200) -> List[Application]:
    """The list answer of the registration API (§2.3)."""
    return Application._list_from_json(_native.parse_response("application_list", body, http_status))


def parse_partner_response(body: Body, http_status: int = 200) -> str:
    """A partner registration's answer (appendix 1): the new agreement's id."""
    agreement: str = json.loads(_native.parse_response("partner", body, http_status))["agreement"]
    return agreement
