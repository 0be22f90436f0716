"""What the APIs answer, as typed, immutable objects.

Money is ``Decimal``, date-times are naive ``datetime`` in the API's own
clock (Moscow time for Ferma's timestamps; table 4.1 gives
``receipt_datetime`` in UTC), dates are ``date``. Every object keeps the
whole answer too (``raw``/``data``), so nothing the server sent is lost.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Dict, List, Optional, Union

from ._native import Violation
from .codes import (
    ApplicationPurpose,
    ApplicationStage,
    ApplicationStatus,
    DocumentKind,
    KktState,
    SignatureState,
    TariffType,
)
from ._error_base import _from_native
from .errors import ApiError

__all__ = [
    "ApiErrorInfo",
    "Application",
    "ApplicationDocument",
    "ApplicationState",
    "Cashbox",
    "CashboxStats",
    "Created",
    "FiscalPayload",
    "FiscalizedPart",
    "Fiscalization",
    "Report",
    "Sent",
    "Token",
]

Json = Dict[str, Any]


def _loads(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)


def _datetime(value: Any) -> Optional[datetime]:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _date(value: Any) -> Optional[date]:
    return date.fromisoformat(value) if isinstance(value, str) else None


def _decimal(value: Any) -> Optional[Decimal]:
    if value is None or isinstance(value, bool):
        return None
    return Decimal(str(value))


def _int(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> Optional[str]:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _code(enum: Any, value: Any) -> Any:
    """A known value as its enum member; one the spec does not know yet as sent."""
    if value is None:
        return None
    try:
        return enum.parse(value)
    except ValueError:
        return value


@dataclass(frozen=True)
class Token:
    """A Ferma token (§2). ``repr`` never shows the token itself."""

    token: str = field(repr=False)
    valid_until: Optional[datetime]

    @classmethod
    def _from_json(cls, text: str) -> Token:
        d = _loads(text)
        return cls(token=d["token"], valid_until=_datetime(d.get("valid_until")))


@dataclass(frozen=True)
class Created:
    """Ferma's answer to a receipt (§3.1.3): its uuid, or every part's when it was split (§3.2)."""

    uuids: List[str]
    timestamp: Optional[datetime]

    @classmethod
    def _from_json(cls, text: str) -> Created:
        d = _loads(text)
        return cls(uuids=list(d["uuids"]), timestamp=_datetime(d.get("timestamp")))


@dataclass(frozen=True)
class FiscalPayload:
    """The fiscal requisites of a processed document (table 4.1)."""

    total: Optional[Decimal]
    ofd_inn: Optional[str]
    fns_site: Optional[str]
    fn_number: Optional[str]
    ecr_registration_number: Optional[str]
    shift_number: Optional[int]
    receipt_datetime: Optional[datetime]
    fiscal_receipt_number: Optional[int]
    fiscal_document_number: Optional[int]
    fiscal_document_attribute: Optional[int]
    ofd_receipt_url: Optional[str]
    #: Members the spec does not list, as sent.
    extra: Json = field(default_factory=dict)

    _KNOWN = (
        "total",
        "ofd_inn",
        "fns_site",
        "fn_number",
        "ecr_registration_number",
        "shift_number",
        "receipt_datetime",
        "fiscal_receipt_number",
        "fiscal_document_number",
        "fiscal_document_attribute",
        "ofd_receipt_url",
    )

    @classmethod
    def _from_dict(cls, d: Json) -> FiscalPayload:
        return cls(
            total=_decimal(d.get("total")),
            ofd_inn=_str(d.get("ofd_inn")),
            fns_site=_str(d.get("fns_site")),
            fn_number=_str(d.get("fn_number")),
            ecr_registration_number=_str(d.get("ecr_registration_number")),
            shift_number=_int(d.get("shift_number")),
            receipt_datetime=_datetime(d.get("receipt_datetime")),
            fiscal_receipt_number=_int(d.get("fiscal_receipt_number")),
            fiscal_document_number=_int(d.get("fiscal_document_number")),
            fiscal_document_attribute=_int(d.get("fiscal_document_attribute")),
            ofd_receipt_url=_str(d.get("ofd_receipt_url")),
            extra={k: v for k, v in d.items() if k not in cls._KNOWN},
        )


@dataclass(frozen=True)
class ApiErrorInfo:
    """An error the API reported for a document: why it was not fiscalised."""

    error_code: int
    error_name: str
    api: str
    http_status: int
    code: Optional[int]
    name: Optional[str]
    error_id: Optional[str]
    text: str
    message: str

    @classmethod
    def _from_dict(cls, d: Json) -> ApiErrorInfo:
        return cls(
            error_code=int(d["error_code"]),
            error_name=str(d["error_name"]),
            api=str(d.get("api") or ""),
            http_status=int(d.get("http_status") or 0),
            code=_int(d.get("code")),
            name=_str(d.get("name")),
            error_id=_str(d.get("error_id")),
            text=str(d.get("text") or ""),
            message=str(d.get("message") or ""),
        )

    def to_exception(self) -> ApiError:
        """The exception a call would have raised for this error."""
        error = _from_native(
            self.error_code,
            self.message,
            api=self.api,
            http_status=self.http_status,
            code=self.code,
            name=self.name,
            error_id=self.error_id,
            text=self.text,
        )
        assert isinstance(error, ApiError)
        return error


@dataclass(frozen=True)
class Report:
    """Where a document stands (§4): ``state`` is ``"pending"`` (``wait``),
    ``"done"`` with its ``payload``, or ``"failed"`` with its ``error``.
    A callback body (§4) reads into the same object."""

    state: str
    uuid: Optional[str]
    external_id: Optional[str]
    timestamp: Optional[datetime]
    payload: Optional[FiscalPayload]
    error: Optional[ApiErrorInfo]
    #: The whole answer, as sent.
    raw: Json = field(repr=False)

    @property
    def done(self) -> bool:
        return self.state == "done"

    @property
    def failed(self) -> bool:
        return self.state == "failed"

    @property
    def pending(self) -> bool:
        return self.state == "pending"

    @classmethod
    def _from_json(cls, text: str) -> Report:
        return cls._from_dict(_loads(text))

    @classmethod
    def _from_dict(cls, d: Json) -> Report:
        payload = d.get("payload")
        error = d.get("error")
        return cls(
            state=str(d["state"]),
            uuid=_str(d.get("uuid")),
            external_id=_str(d.get("external_id")),
            timestamp=_datetime(d.get("timestamp")),
            payload=FiscalPayload._from_dict(payload) if isinstance(payload, dict) else None,
            error=ApiErrorInfo._from_dict(error) if isinstance(error, dict) else None,
            raw=d.get("report") or {},
        )


@dataclass(frozen=True)
class Sent:
    """A registered receipt: its uuid (or every part's, when Ferma split
    it) and the warnings validation gave."""

    external_id: str
    uuids: List[str]
    warnings: List[Violation] = field(default_factory=list)

    @property
    def uuid(self) -> str:
        """The first (usually the only) uuid."""
        return self.uuids[0]


@dataclass(frozen=True)
class FiscalizedPart:
    """One fiscalised document of a receipt (a split receipt has several)."""

    uuid: str
    payload: FiscalPayload


@dataclass(frozen=True)
class Fiscalization:
    """How ``FermaClient.fiscalize`` ended. ``outcome`` is ``"done"`` (every
    part's ``payload`` in ``parts``), ``"failed"`` (``error`` says why; the
    receipt was not fiscalised) or ``"unknown"`` (not known by the
    deadline: ``registered`` says whether Ferma is known to hold it,
    ``uuids`` are its documents when they came back, ``reason`` says what
    happened; it was never sent under another external_id, so calling
    ``fiscalize`` again with the same receipt is safe)."""

    external_id: str
    outcome: str
    parts: List[FiscalizedPart]
    error: Optional[ApiErrorInfo]
    uuids: List[str]
    reason: Optional[str]
    warnings: List[Violation] = field(default_factory=list)
    registered: bool = False

    @property
    def done(self) -> bool:
        return self.outcome == "done"

    @property
    def payload(self) -> Optional[FiscalPayload]:
        """The first part's fiscal requisites, once done."""
        return self.parts[0].payload if self.parts else None

    @classmethod
    def _from_json(cls, text: str, warnings: List[Violation]) -> Fiscalization:
        d = _loads(text)
        parts = [FiscalizedPart(p["uuid"], FiscalPayload._from_dict(p["payload"])) for p in d.get("parts", [])]
        error = d.get("error")
        return cls(
            external_id=str(d.get("external_id") or ""),
            outcome=str(d["outcome"]),
            parts=parts,
            error=ApiErrorInfo._from_dict(error) if isinstance(error, dict) else None,
            uuids=list(d.get("uuids") or [p.uuid for p in parts]),
            reason=_str(d.get("reason")),
            warnings=warnings,
            registered=bool(d.get("registered", d["outcome"] != "failed")),
        )


@dataclass(frozen=True)
class Cashbox:
    """One cashbox and its fiscal drive (§7, table 5)."""

    device_id: Optional[str]
    fn_number: Optional[str]
    serial_number: Optional[str]
    registration_number: Optional[str]
    kkt_model: Optional[str]
    kkt_state: Union[KktState, int, str, None]
    tariff_type: Union[TariffType, int, str, None]
    tariff_end_date: Optional[date]
    tariff_checks_left: Optional[int]
    fn_name: Optional[str]
    fn_model_name: Optional[str]
    checks_count: Optional[int]
    fn_volume_percent: Optional[Decimal]
    projected_fn_replace_date: Optional[date]
    projected_fn_filled_date: Optional[date]
    fn_last_change_date: Optional[date]
    #: The cashbox as sent.
    raw: Json = field(repr=False, default_factory=dict)

    @classmethod
    def _from_dict(cls, d: Json) -> Cashbox:
        return cls(
            device_id=_str(d.get("deviceId")),
            fn_number=_str(d.get("fn")),
            serial_number=_str(d.get("zn")),
            registration_number=_str(d.get("rnm")),
            kkt_model=_str(d.get("kktModel")),
            kkt_state=_code(KktState, d.get("kktState")),
            tariff_type=_code(TariffType, d.get("tariffType")),
            tariff_end_date=_date(d.get("tariffEndDate")),
            tariff_checks_left=_int(d.get("tariffChecksCnt")),
            fn_name=_str(d.get("fnName")),
            fn_model_name=_str(d.get("fnModelName")),
            checks_count=_int(d.get("checksCnt")),
            fn_volume_percent=_decimal(d.get("fnVolumePercent")),
            projected_fn_replace_date=_date(d.get("projectedFnReplaceDate")),
            projected_fn_filled_date=_date(d.get("projectedFnFilledDate")),
            fn_last_change_date=_date(d.get("fnLastChangeDate")),
            raw=d,
        )


@dataclass(frozen=True)
class CashboxStats:
    """The cashbox monitoring answer (§7)."""

    status: Optional[str]
    cashboxes: List[Cashbox]
    raw: Json = field(repr=False, default_factory=dict)

    @classmethod
    def _from_json(cls, text: str) -> CashboxStats:
        d = _loads(text)
        return cls(
            status=_str(d.get("Status")),
            cashboxes=[Cashbox._from_dict(c) for c in d.get("Data") or []],
            raw=d,
        )


@dataclass(frozen=True)
class ApplicationDocument:
    """A document of an application (§2.3.2, §2.3.3)."""

    id: Optional[str]
    kind: Union[DocumentKind, int, str, None]
    content: Optional[str]
    signature: Union[SignatureState, str, None]
    file_name: Optional[str]
    description: Optional[str]

    @classmethod
    def _from_dict(cls, d: Json) -> ApplicationDocument:
        return cls(
            id=_str(d.get("Id")),
            kind=_code(DocumentKind, d.get("Kind")),
            content=_str(d.get("Content")),
            signature=_code(SignatureState, d.get("Signature")),
            file_name=_str(d.get("FileName")),
            description=_str(d.get("Description")),
        )


@dataclass(frozen=True)
class Application:
    """A registration application as the server holds it (§2.1–§2.6)."""

    id: Optional[str]
    status: Union[ApplicationStatus, str, None]
    stage: Union[ApplicationStage, str, None]
    purpose: Union[ApplicationPurpose, str, None]
    status_reason: Optional[str]
    ofd_agreement_id: Optional[str]
    reg_number: Optional[str]
    documents: List[ApplicationDocument]
    #: The whole application (KktDetails, CompanyDetails, …) with the API's member names.
    data: Json = field(repr=False, default_factory=dict)

    @classmethod
    def _from_dict(cls, d: Json) -> Application:
        kkt = d.get("KktDetails") or {}
        return cls(
            id=_str(d.get("Id")),
            status=_code(ApplicationStatus, d.get("Status")),
            stage=_code(ApplicationStage, d.get("Stage")),
            purpose=_code(ApplicationPurpose, d.get("Purpose")),
            status_reason=_str(d.get("StatusReason")),
            ofd_agreement_id=_str(d.get("OfdAgreementId")),
            reg_number=_str(kkt.get("RegNumber")) if isinstance(kkt, dict) else None,
            documents=[ApplicationDocument._from_dict(x) for x in d.get("Documents") or []],
            data=d,
        )

    @classmethod
    def _from_json(cls, text: str) -> Application:
        return cls._from_dict(_loads(text))

    @classmethod
    def _list_from_json(cls, text: str) -> List[Application]:
        return [cls._from_dict(x) for x in _loads(text)]

    def state(self) -> Optional[ApplicationState]:
        """What the application's stage and status mean now (next step,
        allowed requests), or None while either is unknown."""
        if isinstance(self.stage, ApplicationStage) and isinstance(self.status, ApplicationStatus):
            from . import _native

            return ApplicationState._from_json(_native.application_state(self.stage.value, self.status.value))
        return None


@dataclass(frozen=True)
class ApplicationState:
    """What an application's stage and status mean for a user (figure 1
    of the registration spec), in the core's one JSON form."""

    stage: ApplicationStage
    status: ApplicationStatus
    #: Nothing more will happen: approved, rejected or failed.
    is_final: bool
    #: ``prepare_documents``, ``sign_documents``, ``wait``,
    #: ``send_secondary_request``, ``done`` or ``failed``.
    next_step: str
    advice: str
    advice_ru: str
    #: The requests allowed now: ``update``, ``prepare_documents``, ``sign``, ``read``.
    allowed: List[str]

    @classmethod
    def _from_json(cls, text: str) -> ApplicationState:
        d = _loads(text)
        return cls(
            stage=ApplicationStage(d["stage"]),
            status=ApplicationStatus(d["status"]),
            is_final=bool(d["final"]),
            next_step=str(d["next_step"]),
            advice=str(d["advice"]),
            advice_ru=str(d["advice_ru"]),
            allowed=[str(a) for a in d["allowed"]],
        )
