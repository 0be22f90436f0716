"""Clients of both APIs. Each call blocks the calling thread only: the GIL
is released while the request is on the network, so other threads run.
One client may be shared by many threads; they share its token."""

from __future__ import annotations

from typing import List, Optional

from . import _native
from ._api import Document, Operation
from .results import Application, CashboxStats, Fiscalization, Report, Sent

__all__ = ["FermaClient", "RegistrationClient", "FERMA_TEST_URL", "FERMA_URL", "OFD_URL"]

#: Ferma's production API.
FERMA_URL = "https://ferma-at.ofd.ru"
#: Ferma's test environment (§6.2: login fermatest2, group code 1).
FERMA_TEST_URL = "https://ferma-test-at.ofd.ru"
#: The OFD.ru registration API.
OFD_URL = "https://ofd.ru"


class FermaClient:
    """A client of the Ferma receipts API.

    It gets a token and keeps it, refreshing it before it expires and once
    more when the server refuses it. A receipt is validated before it goes
    out and is never sent twice by a retry: when the answer is lost,
    ``send`` raises ``OutcomeUnknownError`` and ``recover`` finds out
    safely; ``fiscalize`` does all of it for you.

    ``timeout`` bounds each step of a request (send, wait for the answer,
    read it), ``connect_timeout`` the connection; ``attempts`` is how many
    times a request that certainly did not arrive is tried.
    """

    def __init__(
        self,
        login: str,
        password: str,
        group_code: str,
        base_url: str = FERMA_URL,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        attempts: int = 3,
    ) -> None:
        self._native = _native.FermaClient(base_url, login, password, group_code, connect_timeout, timeout, attempts)
        self.base_url = base_url
        self.group_code = group_code

    def __repr__(self) -> str:
        return repr(self._native)

    def send(self, receipt: Document, operation: Operation = "sell") -> Sent:
        """Validates and registers a receipt of any operation."""
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
        """Sends a receipt again after ``OutcomeUnknownError``, safely: the
        ``Sent`` when the first attempt never registered, or None when
        Ferma already has its external_id (the first attempt registered it;
        its uuid is in the Ferma cabinet)."""
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
        ``timeout`` seconds: done, failed, or unknown — never sent twice."""
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


class RegistrationClient:
    """A client of the OFD.ru KKT registration API (applications and
    partner registration). Applications, updates and partner
    registrations are validated before they go out."""

    def __init__(
        self,
        auth_token: str,
        base_url: str = OFD_URL,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        attempts: int = 3,
    ) -> None:
        self._native = _native.RegistrationClient(base_url, auth_token, connect_timeout, timeout, attempts)
        self.base_url = base_url

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
        """Uploads a document's detached signature, base64 (§2.6)."""
        return Application._from_json(self._native.sign(application_id, document_id, signature_base64))

    def download(self, application_id: str, document_id: str) -> bytes:
        """A document's file (§2.7)."""
        return self._native.download(application_id, document_id)

    def register_partner_client(self, registration: Document) -> str:
        """Registers a new client through a partner (appendix 1); returns the agreement's id."""
        return self._native.register_partner_client(registration)
