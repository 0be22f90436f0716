"""A local simulator of both OFD.ru APIs on 127.0.0.1, for demos and for
your own tests. It runs inside this process (the same Rust sandbox the
``ofdkit-sandbox`` binary serves), keeps everything in memory, and fails
on purpose when asked::

    from ofdkit.sandbox import Sandbox

    with Sandbox() as sandbox:
        client = sandbox.ferma_client()
        result = client.fiscalize(receipt)

With pytest, the ``ofdkit_sandbox`` fixture gives one per test session.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Dict, Optional, Type

from . import _native
from .client import FermaClient, RegistrationClient

__all__ = ["Sandbox"]


class Sandbox:
    """A running sandbox. ``processing_delay`` is how long a receipt stays
    ``wait`` (seconds), ``fns_step_delay`` each step of an application's
    processing, ``token_ttl`` a token's life, ``response_delay`` a pause
    before every answer, ``drop_rate`` the share of receipt requests whose
    connection is dropped (seeded by ``seed``, so runs repeat)."""

    def __init__(
        self,
        *,
        port: int = 0,
        processing_delay: float = 0.0,
        fns_step_delay: float = 0.0,
        token_ttl: float = 86400.0,
        response_delay: float = 0.0,
        split_enabled: bool = True,
        drop_rate: float = 0.0,
        seed: int = 1,
        cashboxes: int = 2,
    ) -> None:
        if not _native.HAS_SANDBOX:  # pragma: no cover - built without the sandbox feature
            raise RuntimeError("this build of ofdkit has no sandbox")
        self._native = _native.Sandbox(
            port,
            processing_delay,
            fns_step_delay,
            token_ttl,
            response_delay,
            split_enabled,
            drop_rate,
            seed,
            cashboxes,
        )

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``: the base URL of both APIs."""
        return self._native.base_url

    @property
    def login(self) -> str:
        return self._native.login

    @property
    def password(self) -> str:
        return self._native.password

    @property
    def group_code(self) -> str:
        return self._native.group_code

    @property
    def ofd_auth_token(self) -> str:
        """The registration API's AuthToken."""
        return self._native.ofd_auth_token

    @property
    def ofd_agreement_id(self) -> str:
        """A personal cabinet applications may be created for."""
        return self._native.ofd_agreement_id

    @property
    def running(self) -> bool:
        return self._native.running

    def ferma_client(self, **options: Any) -> FermaClient:
        """A Ferma client of this sandbox (options as ``FermaClient``'s)."""
        return FermaClient(self.login, self.password, self.group_code, self.base_url, **options)

    def registration_client(self, **options: Any) -> RegistrationClient:
        """A registration API client of this sandbox."""
        options.setdefault("partner_base_url", self.base_url)
        return RegistrationClient(self.ofd_auth_token, self.base_url, **options)

    def inject(
        self,
        fault: str,
        *,
        endpoint: str = "any",
        times: int = 1,
        code: Optional[int] = None,
        ms: Optional[int] = None,
        status: Optional[int] = None,
        reason: Optional[str] = None,
    ) -> None:
        """Queues a fault for the next ``times`` requests of ``endpoint``
        (token, receipt, report, cashbox_stats, registration, any):
        ``cashbox_error`` (Ferma's ``code`` 1070–1080), ``fiscalisation_fails``,
        ``delay`` (``ms``), ``drop_before_processing``, ``drop_after_processing``,
        ``garbage`` (``status``), ``reject_application`` (``reason``),
        ``error_before_processing`` and ``error_after_processing`` (``status``
        500–599), ``truncated_after_processing``, ``endless_after_processing``,
        ``hang_before_processing``, ``hang_after_processing``, ``slow``
        (``ms``). "After processing" faults let the request take effect (a
        receipt is registered) and then spoil the answer. The sandbox's
        README describes each."""
        spec: Dict[str, Any] = {"fault": fault, "endpoint": endpoint, "times": times}
        for name, value in (("code", code), ("ms", ms), ("status", status), ("reason", reason)):
            if value is not None:
                spec[name] = value
        self._native.inject(spec)

    def expire_tokens(self) -> None:
        """Makes every token issued so far expire now."""
        self._native.expire_tokens()

    def stats(self) -> Dict[str, int]:
        """Tokens issued, receipts registered, callbacks delivered and
        failed, and ``max_registrations_per_external_id`` (1 when nothing
        was fiscalised twice)."""
        return dict(self._native.stats())

    def stop(self) -> None:
        """Stops the server; later calls do nothing."""
        self._native.stop()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"Sandbox(base_url={self.base_url!r}, {state})"
