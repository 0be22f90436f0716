"""The exception classes of each range of error codes; ``ofdkit.errors``
(generated) adds one class per code and the table the compiled module
raises through."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Dict, List, Optional, Type

if TYPE_CHECKING:
    from ._native import Violation


class OfdkitError(Exception):
    """The base of every ofdkit exception.

    ``error_code`` and ``error_name`` are ofdkit's (``1002``,
    ``"INVALID_REQUEST"``), the same numbers as the C library's
    ``OFDKIT_E_*``; ``message`` is what ``str()`` shows.
    """

    error_code: ClassVar[int] = 0
    error_name: ClassVar[str] = ""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(OfdkitError, ValueError):
    """1xxx: what was given cannot be used (bad JSON, a broken rule, a bad argument)."""

    def __init__(
        self,
        message: str,
        *,
        line: Optional[int] = None,
        column: Optional[int] = None,
    ) -> None:
        super().__init__(message)
        #: For malformed JSON: where (1-based line and column in characters).
        self.line = line
        self.column = column


class ValidationError(InputError):
    """The request breaks the API's rules; ``violations`` lists every one
    (errors and warnings), ``errors`` only those that refuse it."""

    def __init__(self, message: str, *, violations: Optional[List[Violation]] = None) -> None:
        super().__init__(message)
        self.violations: List[Violation] = list(violations or [])

    @property
    def errors(self) -> List[Violation]:
        return [v for v in self.violations if v.is_error]


class ProtocolError(OfdkitError):
    """2xxx: the server's answer is not what the spec describes."""

    def __init__(self, message: str, *, http_status: Optional[int] = None, body_start: str = "") -> None:
        super().__init__(message)
        self.http_status = http_status
        #: The first bytes of the body (at most 256), for the log.
        self.body_start = body_start


class TransportError(OfdkitError):
    """3xxx: the request did not get through, or its answer did not come back.

    For a request that changes something (a receipt, an application), every
    class but ``OutcomeUnknownError`` means it did not reach the server
    (``may_have_arrived`` is false) and sending it again is safe;
    ``OutcomeUnknownError`` means it went out and no clear answer came back.
    """

    def __init__(
        self,
        message: str,
        *,
        may_have_arrived: bool = True,
        external_id: Optional[str] = None,
        attempts: int = 1,
    ) -> None:
        super().__init__(message)
        #: False when the request certainly did not reach the server.
        self.may_have_arrived = may_have_arrived
        #: For an unknown outcome: the receipt's external_id.
        self.external_id = external_id
        #: How many times the request was tried (for an unknown outcome,
        #: sent, always with the same external_id).
        self.attempts = attempts


class ApiError(OfdkitError):
    """4xxx: the API answered with an error.

    ``code`` is the API's own number (Ferma's ``error.code``: 1073, …),
    ``name`` its symbolic name (Ferma table 5.1, or the OFD.ru error value),
    ``error_id`` Ferma's error identifier, ``text`` the API's text as sent.
    """

    def __init__(
        self,
        message: str,
        *,
        api: str = "",
        http_status: Optional[int] = None,
        code: Optional[int] = None,
        name: Optional[str] = None,
        error_id: Optional[str] = None,
        text: str = "",
    ) -> None:
        super().__init__(message)
        self.api = api
        self.http_status = http_status
        self.code = code
        self.name = name
        self.error_id = error_id
        self.text = text


class InternalError(OfdkitError):
    """9xxx: a bug in ofdkit; please report it with the message."""


_BY_CODE: Dict[int, Type[OfdkitError]] = {}


def register(number: int, name: str, cls: Type[OfdkitError]) -> None:
    """Binds an error code to its class."""
    if "error_code" not in cls.__dict__:
        cls.error_code = number
        cls.error_name = name
    _BY_CODE[number] = cls


def _from_native(number: int, message: str, **details: Any) -> OfdkitError:
    """The exception the compiled module raises for error code ``number``."""
    cls = _BY_CODE.get(number)
    if cls is None:  # pragma: no cover - the table is generated from the same source
        cls = OfdkitError
    try:
        return cls(message, **details)
    except TypeError:  # pragma: no cover - a detail this class does not take
        error = cls(message)
        error.__dict__.update(details)
        return error
