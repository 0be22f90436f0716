"""ofdkit: 54-FZ receipts for OFD.ru's Ferma and KKT registration, checked
against every rule of the API before they are sent.

    import ofdkit

    violations = ofdkit.validate_receipt(receipt)          # a list of Violation
    client = ofdkit.FermaClient(login, password, group_code, ofdkit.FERMA_TEST_URL)
    result = client.fiscalize(receipt)                      # done / failed / unknown

Every rule lives in the compiled Rust core, the same in Python, C and the
browser. Money is exact: give it as ``Decimal``, ``int``, ``str`` or a
``float`` exact to the kopeck; it comes back as ``Decimal``. Every error
is an ``ofdkit.OfdkitError`` (see ``ofdkit.errors``); a request breaking a
rule is a ``ValidationError`` whose ``violations`` name each field.
"""

from . import codes, errors, types
from ._api import (
    Document,
    application_state,
    fill_totals,
    guess_kind,
    kkt_registration_number,
    normalize_receipt,
    parse_application,
    parse_application_list,
    parse_callback,
    parse_cashbox_stats,
    parse_create_response,
    parse_partner_response,
    parse_report,
    parse_token_response,
    validate,
    validate_application,
    validate_application_update,
    validate_many,
    validate_partner_registration,
    validate_receipt,
    vat,
    violations_to_json,
)
from ._native import Violation, __version__, max_input_bytes, set_max_input_bytes
from .client import FERMA_TEST_URL, FERMA_URL, OFD_PARTNER_URL, OFD_URL, ApplicationWait, FermaClient, RegistrationClient
from .errors import (
    ApiError,
    InputError,
    InternalError,
    OfdkitError,
    OutcomeUnknownError,
    ProtocolError,
    TransportError,
    ValidationError,
)
from .results import (
    ApiErrorInfo,
    Application,
    ApplicationDocument,
    ApplicationState,
    Cashbox,
    CashboxStats,
    Created,
    FiscalizedPart,
    Fiscalization,
    FiscalPayload,
    Report,
    Sent,
    Token,
)

__all__ = [
    "ApiError",
    "ApiErrorInfo",
    "ApplicationWait",
    "Application",
    "ApplicationDocument",
    "ApplicationState",
    "Cashbox",
    "CashboxStats",
    "Created",
    "Document",
    "FERMA_TEST_URL",
    "FERMA_URL",
    "FermaClient",
    "FiscalPayload",
    "FiscalizedPart",
    "Fiscalization",
    "InputError",
    "InternalError",
    "OFD_PARTNER_URL",
    "OFD_URL",
    "OfdkitError",
    "OutcomeUnknownError",
    "ProtocolError",
    "RegistrationClient",
    "Report",
    "Sent",
    "Token",
    "TransportError",
    "ValidationError",
    "Violation",
    "__version__",
    "application_state",
    "codes",
    "errors",
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
    "types",
    "validate",
    "validate_application",
    "validate_application_update",
    "validate_many",
    "validate_partner_registration",
    "validate_receipt",
    "vat",
    "max_input_bytes",
    "set_max_input_bytes",
    "violations_to_json",
]
