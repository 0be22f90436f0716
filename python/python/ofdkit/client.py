"""Clients of both APIs.

Each call blocks the calling thread only, and ends by its deadline
(``timeout``) whatever the server does; Ctrl-C interrupts it at once. The
GIL is released while the request is on the network, so other threads run.
One client may be shared by many threads; they share its token.

Outcomes are never guessed. A request that certainly did not reach the
server raises a ``TransportError`` with ``may_have_arrived`` false
(``ConnectError``, ``TlsError``, ``RequestTimeoutError``, ``IoError``): send
it again. A receipt that went out without a clear answer raises
``OutcomeUnknownError`` (with its ``external_id``) from ``send``; never send
that sale under another external_id: ``recover`` it, or use ``fiscalize``,
which recovers by itself.
"""

from __future__ import annotations

import os
from typing import List, NamedTuple, Optional, Union

from . import _native
from ._api import Document, Operation
from .results import Application, CashboxStats, Fiscalization, Report, Sent

__all__ = [
    "ApplicationWait",
    "FermaClient",
    "RegistrationClient",
    "FERMA_TEST_URL",
    "FERMA_URL",
    "OFD_PARTNER_URL",
    "OFD_URL",
]

#: Ferma's production API: real receipts.
FERMA_URL = "https://ferma-at.ofd.ru"
#: Ferma's test environment (§6.2: login fermatest2, group code 1).
FERMA_TEST_URL = "https://ferma-test-at.ofd.ru"
#: The OFD.ru registration API.
OFD_URL = "https://ofd.ru"
#: Where partners register new clients (appendix 1 names ``ofd.me``; over
#: HTTPS, since the request carries the partner's AuthToken).
OFD_PARTNER_URL = "https://ofd.me"

#: A CA bundle: a path to a PEM file, or the PEM itself as bytes.
CaBundle = Union[str, "os.PathLike[str]", bytes]


class FermaClient:
    """A client of the Ferma receipts API.

    ``base_url`` is required: ``ofdkit.FERMA_TEST_URL`` for the test
    environment, ``ofdkit.FERMA_URL`` for real receipts, or a sandbox's
    ``base_url``. There is no default, so a test script cannot fiscalise
    for real by omission.

    It gets a token and keeps it, refreshing it before it expires and once
    more when the server refuses it. A receipt is validated before it goes
    out, and a sale is never fiscalised twice: see ``fiscalize``.

    ``timeout`` is the deadline of each call (the token, every attempt and
    pause included; ``wait`` and ``fiscalize`` take their own);
    ``connect_timeout`` bounds connecting; ``attempts`` is how many times a
    request that certainly did not arrive is tried, and how many times in
    all ``fiscalize`` sends a receipt whose answer was unclear. ``proxy`` is
    a proxy URL, ``"direct"``, or None for the environment (HTTPS_PROXY,
    HTTP_PROXY, ALL_PROXY, NO_PROXY; on Windows the system proxy).
    ``ca_bundle`` (a PEM file's path, or PEM bytes) adds certificates to
    the operating system's store, which is always trusted; certificate
    checks cannot be switched off.
    """

    def __init__(
        self,
        login: str,
        password: str,
        group_code: str,
        base_url: str,
        *,
        timeout: float = 60.0,
        connect_timeout: float = 10.0,
        attempts: int = 3,
        proxy: Optional[str] = None,
        ca_bundle: Optional[CaBundle] = None,
    ) -> None:
        self._native = _native.FermaClient(
            base_url,
            login,
            password,
            group_code,
            connect_timeout=connect_timeout,
            timeout=timeout,
            attempts=attempts,
            proxy=proxy,
            ca_bundle=ca_bundle,
        )
        self.base_url = base_url
        self.group_code = group_code

    def __repr__(self) -> str:
        return repr(self._native)

    def send(self, receipt: Document, operation: Operation = "sell") -> Sent:
        """Validates and registers a receipt of any operation, sending it
        once. ``OutcomeUnknownError`` when no clear answer came back (it was
        not sent again: ``recover`` it); a ``TransportError`` with
        ``may_have_arrived`` false when it was not sent."""
        external_id, uuids, warnings = self._native.send(str(operation), receipt)
        return Sent(external_id, uuids, warnings)

    def sell(self, receipt: Document) -> Sent:
        """Registers a sale (приход)."""
        return self.send(receipt, "sell")

    def sell_refund(self, receipt: Document) -> Sent:
        """Registers a refund of a sale (возврат прихода)."""
        return self.send(receipt, "sell_refund")

    def sell_correction(self, receipt: Document) -> Sent:
        """Registers a correction of a sale (чек коррекции прихода)."""
        return self.send(receipt, "sell_correction")

    def sell_refund_correction(self, receipt: Document) -> Sent:
        """Registers a correction of a sale's refund (коррекция возврата прихода)."""
        return self.send(receipt, "sell_refund_correction")

    def buy(self, receipt: Document) -> Sent:
        """Registers a purchase (расход)."""
        return self.send(receipt, "buy")

    def buy_refund(self, receipt: Document) -> Sent:
        """Registers a refund of a purchase (возврат расхода)."""
        return self.send(receipt, "buy_refund")

    def buy_correction(self, receipt: Document) -> Sent:
        """Registers a correction of a purchase (коррекция расхода)."""
        return self.send(receipt, "buy_correction")

    def buy_refund_correction(self, receipt: Document) -> Sent:
        """Registers a correction of a purchase's refund (коррекция возврата расхода)."""
        return self.send(receipt, "buy_refund_correction")

    def recover(self, receipt: Document, operation: Operation = "sell") -> Optional[Sent]:
        """Sends a receipt again after ``OutcomeUnknownError``, with the same
        external_id, which Ferma registers at most once: the ``Sent`` when no
        earlier attempt had registered it, or None when Ferma refused the
        external_id as known — the proof an earlier attempt registered it
        (its uuid is in the Ferma cabinet)."""
        state, external_id, uuids, warnings = self._native.recover(str(operation), receipt)
        return Sent(external_id, uuids, warnings) if state == "sent" else None

    def report(self, uuid: str) -> Report:
        """A document's processing report (§4)."""
        return Report._from_json(self._native.report(uuid))

    def wait(self, uuid: str, timeout: float = 60.0) -> Report:
        """Polls the report with backoff until the document is done or
        failed, or ``timeout`` seconds pass (then ``state == "pending"``)."""
        return Report._from_json(self._native.wait(uuid, timeout))

    def fiscalize(self, receipt: Document, operation: Operation = "sell", timeout: float = 60.0) -> Fiscalization:
        """Validates, sends and follows a receipt to its end within
        ``timeout`` seconds, everything included.

        It returns a ``Fiscalization`` once Ferma gave a verdict on the
        receipt or may hold it: ``"done"``; ``"failed"`` (Ferma refused the
        receipt — a cashbox error, a rule of its own — or its fiscalisation
        failed: ``error`` says which; nothing was fiscalised); ``"unknown"``
        (``registered`` says whether Ferma is known to hold it; a lost
        answer is recovered by the external_id, never by a blind resend:
        call ``fiscalize`` again later with the same receipt to find out).

        It raises when Ferma certainly does not hold the receipt and gave no
        verdict on it: ``ValidationError`` (it breaks a rule and was not
        sent), ``AuthError`` (the login or password was refused), a
        ``TransportError`` with ``may_have_arrived`` false (it was not sent:
        call again)."""
        text, warnings = self._native.fiscalize(str(operation), receipt, timeout)
        return Fiscalization._from_json(text, warnings)

    def cashboxes(
        self,
        *,
        device_id: Optional[str] = None,
        registration_number: Optional[str] = None,
        serial_number: Optional[str] = None,
        fn_number: Optional[str] = None,
    ) -> CashboxStats:
        """The cashboxes and their fiscal drives (§7), filtered."""
        return CashboxStats._from_json(
            self._native.cashbox_stats(device_id, registration_number, serial_number, fn_number)
        )


class ApplicationWait(NamedTuple):
    """How ``RegistrationClient.wait_for_change`` ended."""

    #: Whether the application's stage or status changed before the deadline.
    changed: bool
    #: The application as last read.
    application: Application


class RegistrationClient:
    """A client of the OFD.ru KKT registration API (applications and
    partner registration). Applications, updates, signatures and partner
    registrations are validated before they go out. ``partner_base_url``
    is where partner registrations go (``OFD_PARTNER_URL``); the other
    options are ``FermaClient``'s."""

    def __init__(
        self,
        auth_token: str,
        base_url: str = OFD_URL,
        *,
        partner_base_url: str = OFD_PARTNER_URL,
        timeout: float = 60.0,
        connect_timeout: float = 10.0,
        attempts: int = 3,
        proxy: Optional[str] = None,
        ca_bundle: Optional[CaBundle] = None,
    ) -> None:
        self._native = _native.RegistrationClient(
            base_url,
            auth_token,
            connect_timeout=connect_timeout,
            timeout=timeout,
            attempts=attempts,
            proxy=proxy,
            ca_bundle=ca_bundle,
            partner_base_url=partner_base_url,
        )
        self.base_url = base_url
        self.partner_base_url = partner_base_url

    def __repr__(self) -> str:
        return f"RegistrationClient(base_url={self.base_url!r})"

    def create(self, application: Document) -> Application:
        """Creates an application (§2.1)."""
        return Application._from_json(self._native.create(application))

    def update(self, application_id: str, update: Document) -> Application:
        """Changes an application's details (§2.2)."""
        return Application._from_json(self._native.update(application_id, update))

    def list(self, ofd_agreement_id: str) -> List[Application]:
        """The applications of a personal cabinet (§2.3)."""
        return Application._list_from_json(self._native.list(ofd_agreement_id))

    def get(self, application_id: str) -> Application:
        """One application (§2.4)."""
        return Application._from_json(self._native.get(application_id))

    def prepare_documents(self, application_id: str) -> Application:
        """Prepares the documents to sign (§2.5)."""
        return Application._from_json(self._native.prepare_documents(application_id))

    def sign(self, application_id: str, document_id: str, signature_base64: str) -> Application:
        """Uploads a document's detached signature, base64 (§2.6); a
        signature that is not base64 raises ``ValidationError`` unsent."""
        return Application._from_json(self._native.sign(application_id, document_id, signature_base64))

    def download(self, application_id: str, document_id: str) -> bytes:
        """A document's file (§2.7)."""
        return self._native.download(application_id, document_id)

    def register_partner_client(self, registration: Document) -> str:
        """Registers a new client through a partner (appendix 1, at
        ``partner_base_url``); returns the agreement's id."""
        return self._native.register_partner_client(registration)

    def wait_for_change(self, application_id: str, timeout: float = 60.0) -> ApplicationWait:
        """Waits until the application's stage or status is no longer what
        it was when the wait began (the FNS answers in minutes to days),
        polling with backoff for at most ``timeout`` seconds."""
        changed, text = self._native.wait_for_change(application_id, timeout)
        return ApplicationWait(changed, Application._from_json(text))
