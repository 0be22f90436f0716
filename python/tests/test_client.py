"""The clients against the sandbox on 127.0.0.1: every operation, reports,
waiting, failures of every kind, the registration life cycle."""

from __future__ import annotations

import copy
import json
import os
import signal
import socket
import threading
import time
from decimal import Decimal
from typing import Any, Dict, Iterator

import pytest

import ofdkit
from ofdkit import codes, errors
from ofdkit.sandbox import Sandbox

from conftest import VECTORS, load_exact

def vector_input(name: str) -> Dict[str, Any]:
    """The input of a shared vector: the same documents every language tests."""
    value: Dict[str, Any] = load_exact(VECTORS / "ofd" / "valid" / name)["input"]
    return value


# A complete application of a legal entity, and a partner's registration of one.
APPLICATION = vector_input("legal_entity_complete.json")
PARTNER_REGISTRATION = vector_input("partner_legal_entity.json")

CORRECTION_INFO = {"type": "self", "base_date": "20.11.2026", "base_number": "1"}


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A sandbox of this test's own, for tests that inject faults."""
    with Sandbox() as s:
        yield s


def with_id(receipt: Dict[str, Any], external_id: str) -> Dict[str, Any]:
    copied = copy.deepcopy(receipt)
    copied["external_id"] = external_id
    return copied


def test_a_receipt_is_fiscalised(ofdkit_sandbox: Sandbox, receipt: Dict[str, Any]) -> None:
    client = ofdkit_sandbox.ferma_client()
    result = client.fiscalize(with_id(receipt, "py-fiscalize-1"))
    assert result.done and result.outcome == "done" and result.external_id == "py-fiscalize-1"
    payload = result.payload
    assert payload is not None
    assert payload.total == Decimal("799.80")
    assert payload.fiscal_document_number and payload.fiscal_document_attribute
    assert payload.fn_number and payload.receipt_datetime is not None
    report = client.report(result.parts[0].uuid)
    assert report.done and report.payload == payload and report.external_id == "py-fiscalize-1"


@pytest.mark.parametrize("operation", [o.value for o in codes.Operation])
def test_all_eight_operations(ofdkit_sandbox: Sandbox, receipt: Dict[str, Any], operation: str) -> None:
    client = ofdkit_sandbox.ferma_client()
    document = with_id(receipt, f"py-op-{operation}")
    if "correction" in operation:
        document["correction"] = document.pop("receipt")
        document["correction"]["correction_info"] = CORRECTION_INFO
    sent = getattr(client, operation)(document)
    assert isinstance(sent, ofdkit.Sent) and len(sent.uuids) == 1
    report = client.wait(sent.uuid, timeout=10)
    assert report.done, report


def test_send_then_wait_with_typed_results(ofdkit_sandbox: Sandbox, receipt: Dict[str, Any]) -> None:
    client = ofdkit_sandbox.ferma_client()
    receipt["receipt"]["items"][0]["colour"] = "green"
    sent = client.sell(with_id(receipt, "py-send-1"))
    assert [w.code for w in sent.warnings] == ["unknown_field"]
    report = client.wait(sent.uuid, 10)
    assert report.state == "done" and report.uuid == sent.uuid


def test_an_invalid_receipt_is_never_sent(ofdkit_sandbox: Sandbox, receipt: Dict[str, Any]) -> None:
    client = ofdkit_sandbox.ferma_client()
    before = ofdkit_sandbox.stats()["receipts_registered"]
    receipt["receipt"]["items"][0]["vat"]["type"] = "vat33"
    with pytest.raises(ofdkit.ValidationError) as caught:
        client.sell(receipt)
    assert caught.value.errors[0].path == "receipt.items[0].vat.type"
    assert ofdkit_sandbox.stats()["receipts_registered"] == before


def test_a_duplicate_external_id_is_recognised(ofdkit_sandbox: Sandbox, receipt: Dict[str, Any]) -> None:
    client = ofdkit_sandbox.ferma_client()
    document = with_id(receipt, "py-duplicate-1")
    client.sell(document)
    with pytest.raises(errors.DuplicateExternalIdError) as caught:
        client.sell(document)
    assert isinstance(caught.value, ofdkit.ApiError) and caught.value.api == "ferma"
    assert client.recover(document) is None  # already registered: not sent again


def test_a_big_receipt_is_split_and_every_part_fiscalised(ofdkit_sandbox: Sandbox, receipt: Dict[str, Any]) -> None:
    client = ofdkit_sandbox.ferma_client()
    item = receipt["receipt"]["items"][0]
    items = []
    for i in range(180):
        one = copy.deepcopy(item)
        one["name"] = f"Товар номер {i} с длинным названием для проверки разделения чека"
        one["quantity"] = 1
        one["sum"] = one["price"]
        one["vat"]["sum"] = ofdkit.vat(one["price"], "vat20")
        items.append(one)
    receipt["receipt"]["items"] = items
    del receipt["receipt"]["total"]
    filled = ofdkit.fill_totals(with_id(receipt, "py-split-1"))
    filled["receipt"]["payments"] = [{"type": 1, "sum": filled["receipt"]["total"]}]
    result = client.fiscalize(filled)
    assert result.done and len(result.parts) > 1
    assert sum((p.payload.total or Decimal(0)) for p in result.parts) == filled["receipt"]["total"]


def test_cashbox_errors_are_typed(sandbox: Sandbox, receipt: Dict[str, Any]) -> None:
    client = sandbox.ferma_client()
    sandbox.inject("cashbox_error", endpoint="receipt", code=1073)
    with pytest.raises(errors.CashboxError) as caught:
        client.sell(receipt)
    assert caught.value.code == 1073 and caught.value.error_code == 4004
    assert codes.FermaError.parse(1073).description_ru
    # fiscalize reports the refusal as an outcome, not an exception
    sandbox.inject("cashbox_error", endpoint="receipt", code=1080)
    result = sandbox.ferma_client().fiscalize(with_id(receipt, "py-cashbox-2"))
    assert result.outcome == "failed" and result.error is not None and result.error.code == 1080
    assert isinstance(result.error.to_exception(), errors.CashboxError)


def test_a_failed_fiscalisation_is_a_failed_report(sandbox: Sandbox, receipt: Dict[str, Any]) -> None:
    sandbox.inject("fiscalisation_fails", endpoint="receipt")
    client = sandbox.ferma_client()
    sent = client.sell(receipt)
    report = client.wait(sent.uuid, 10)
    assert report.failed and report.error is not None and report.error.text


def test_wrong_credentials_are_an_auth_error(sandbox: Sandbox, receipt: Dict[str, Any]) -> None:
    client = ofdkit.FermaClient("fermatest2", "wrong-password", "1", base_url=sandbox.base_url)
    with pytest.raises(errors.AuthError) as caught:
        client.sell(receipt)
    assert "wrong-password" not in str(caught.value) and "wrong-password" not in repr(client)


def test_an_expired_token_is_refreshed(sandbox: Sandbox, receipt: Dict[str, Any]) -> None:
    client = sandbox.ferma_client()
    client.sell(with_id(receipt, "py-token-1"))
    sandbox.expire_tokens()
    client.sell(with_id(receipt, "py-token-2"))
    assert sandbox.stats()["tokens_issued"] == 2


def test_nothing_listening_is_a_connect_error(receipt: Dict[str, Any]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = ofdkit.FermaClient("l", "p", "1", base_url=f"http://127.0.0.1:{port}", attempts=1)
    with pytest.raises(errors.ConnectError) as caught:
        client.sell(receipt)
    assert caught.value.may_have_arrived is False and isinstance(caught.value, ofdkit.TransportError)


def test_a_lost_answer_is_an_unknown_outcome_never_a_second_receipt(sandbox: Sandbox, receipt: Dict[str, Any]) -> None:
    client = sandbox.ferma_client()
    client.sell(with_id(receipt, "py-warmup"))  # the token first, so only the receipt is dropped
    sandbox.inject("drop_after_processing", endpoint="receipt")
    document = with_id(receipt, "py-lost-1")
    with pytest.raises(ofdkit.OutcomeUnknownError) as caught:
        client.sell(document)
    assert caught.value.external_id == "py-lost-1"
    assert client.recover(document) is None  # it had been registered
    sandbox.inject("drop_before_processing", endpoint="receipt")
    second = with_id(receipt, "py-lost-2")
    result = client.fiscalize(second)
    assert result.done
    assert sandbox.stats()["max_registrations_per_external_id"] == 1


def test_a_garbage_answer_is_a_protocol_error(sandbox: Sandbox) -> None:
    sandbox.inject("garbage", endpoint="report", status=502, times=5)
    client = sandbox.ferma_client(attempts=1)
    with pytest.raises(ofdkit.ProtocolError) as caught:
        client.report("6b2a3b1c-0000-4000-8000-000000000001")
    assert caught.value.http_status == 502 and "502" in caught.value.body_start


def test_a_slow_server_is_a_timeout(receipt: Dict[str, Any]) -> None:
    with Sandbox(response_delay=1.0) as slow:
        client = ofdkit.FermaClient(slow.login, slow.password, slow.group_code, slow.base_url, timeout=0.2, attempts=1)
        with pytest.raises(errors.RequestTimeoutError):
            client.report("6b2a3b1c-0000-4000-8000-000000000001")


def test_cashbox_stats(ofdkit_sandbox: Sandbox) -> None:
    stats = ofdkit_sandbox.ferma_client().cashboxes()
    assert len(stats.cashboxes) == 2
    box = stats.cashboxes[0]
    assert box.kkt_state is codes.KktState.READY or isinstance(box.kkt_state, codes.KktState)
    assert box.fn_number and box.projected_fn_replace_date is not None
    only = ofdkit_sandbox.ferma_client().cashboxes(fn_number=box.fn_number)
    assert [c.fn_number for c in only.cashboxes] == [box.fn_number]


def test_a_callback_body_parses(ofdkit_sandbox: Sandbox, receipt: Dict[str, Any]) -> None:
    client = ofdkit_sandbox.ferma_client()
    result = client.fiscalize(with_id(receipt, "py-callback-1"))
    raw = client.report(result.parts[0].uuid).raw
    report = ofdkit.parse_callback(json.dumps(raw, default=float))
    assert report.done and report.payload == result.payload


def test_an_application_goes_through_its_life_cycle(sandbox: Sandbox) -> None:
    client = sandbox.registration_client()
    created = client.create(APPLICATION)
    assert (created.stage, created.status) == (codes.ApplicationStage.INITIALIZATION, codes.ApplicationStatus.NEW)
    assert created.id is not None
    prepared = client.prepare_documents(created.id)
    assert prepared.status == codes.ApplicationStatus.AWAITING_SIGNATURE
    for document in prepared.documents:
        if document.signature == codes.SignatureState.UNSIGNED and document.id:
            client.sign(created.id, document.id, "MIIGZgYJKoZIhvcNAQcC")
    numbered = client.get(created.id)
    assert numbered.stage == codes.ApplicationStage.FINALIZATION and numbered.reg_number
    assert len(numbered.reg_number) == 16
    update = {
        "kktDetails": {
            "FiscalDocumentData": {"DateTime": "2026-11-24T10:15:00", "DocumentNumber": "1", "Signature": "3449555955"}
        }
    }
    assert ofdkit.validate_application_update(update, "secondary") == []
    client.update(created.id, update)
    prepared = client.prepare_documents(created.id)
    for document in prepared.documents:
        if document.signature == codes.SignatureState.UNSIGNED and document.id:
            client.sign(created.id, document.id, "MIIGZgYJKoZIhvcNAQcC")
    approved = client.get(created.id)
    assert approved.status == codes.ApplicationStatus.APPROVED
    card = next(d for d in approved.documents if d.kind == codes.DocumentKind.REGISTRATION_CARD)
    assert card.id is not None
    assert numbered.reg_number.encode() in client.download(created.id, card.id)
    assert [a.id for a in client.list(APPLICATION["ofdAgreementId"])] == [created.id]


def test_registration_refusals_are_typed(sandbox: Sandbox) -> None:
    client = sandbox.registration_client()
    with pytest.raises(errors.NotFoundError):
        client.get("00000000-0000-4000-8000-000000000000")
    stranger = ofdkit.RegistrationClient("wrong-token", base_url=sandbox.base_url)
    with pytest.raises(errors.AccessDeniedError) as caught:
        stranger.create(APPLICATION)
    assert "wrong-token" not in str(caught.value)
    broken = copy.deepcopy(APPLICATION)
    broken["CompanyDetails"]["Inn"] = "7825706087"
    with pytest.raises(ofdkit.ValidationError) as invalid:
        client.create(broken)
    assert invalid.value.errors[0].path == "CompanyDetails.Inn"


def test_partners_register_clients(sandbox: Sandbox) -> None:
    client = sandbox.registration_client()
    agreement = client.register_partner_client(PARTNER_REGISTRATION)
    assert agreement
    app = dict(APPLICATION, ofdAgreementId=agreement)
    assert client.create(app).ofd_agreement_id == agreement


def test_a_stopped_sandbox_says_so() -> None:
    sandbox = Sandbox()
    sandbox.stop()
    sandbox.stop()
    assert not sandbox.running
    with pytest.raises(errors.InvalidStateError):
        sandbox.expire_tokens()
    with pytest.raises(errors.InvalidArgumentError):
        Sandbox(drop_rate=2)
    with pytest.raises(errors.InvalidArgumentError):
        Sandbox().inject("meteor")


def test_the_server_is_never_chosen_by_omission() -> None:
    # No default: a script meant for the test environment cannot fiscalise for real by accident.
    with pytest.raises(TypeError, match="base_url"):
        ofdkit.FermaClient("fermatest2", "Go2999483Mb", "1")  # type: ignore[call-arg]
    assert ofdkit.FERMA_TEST_URL == "https://ferma-test-at.ofd.ru" and ofdkit.FERMA_URL == "https://ferma-at.ofd.ru"


def test_api_errors_have_names(sandbox: Sandbox, receipt: Dict[str, Any]) -> None:
    client = sandbox.ferma_client()
    document = with_id(receipt, "py-named-1")
    client.sell(document)
    with pytest.raises(errors.DuplicateExternalIdError) as duplicate:
        client.sell(document)
    assert duplicate.value.name == "DUPLICATE_EXTERNAL_ID"
    wrong = ofdkit.FermaClient("fermatest2", "wrong-password", "1", sandbox.base_url)
    with pytest.raises(errors.AuthError) as auth:
        wrong.sell(with_id(receipt, "py-named-2"))
    assert auth.value.code == 12 and auth.value.name == "INVALID_CREDENTIALS"


def test_fiscalize_raises_when_nothing_was_registered(sandbox: Sandbox, receipt: Dict[str, Any]) -> None:
    # A wrong password is like a network failure before sending: nothing was
    # registered and Ferma gave no verdict on the receipt, so both raise.
    wrong = ofdkit.FermaClient("fermatest2", "wrong-password", "1", sandbox.base_url)
    with pytest.raises(errors.AuthError):
        wrong.fiscalize(with_id(receipt, "py-consistent-1"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    nowhere = ofdkit.FermaClient("fermatest2", "Go2999483Mb", "1", f"http://127.0.0.1:{port}", attempts=1)
    with pytest.raises(errors.ConnectError) as caught:
        nowhere.fiscalize(with_id(receipt, "py-consistent-2"))
    assert caught.value.may_have_arrived is False
    assert sandbox.stats()["receipts_registered"] == 0


def test_outcome_classes_not_sent_and_unknown(sandbox: Sandbox, receipt: Dict[str, Any]) -> None:
    # A name that does not resolve: not sent, said so, safe to send again.
    dns = ofdkit.FermaClient("l", "p", "1", "https://nonexistent.invalid", attempts=1, connect_timeout=2, timeout=5)
    with pytest.raises(errors.ConnectError) as not_sent:
        dns.sell(receipt)
    assert not_sent.value.may_have_arrived is False and not_sent.value.error_code == 3001
    assert "nothing was sent" in str(not_sent.value)
    # A gateway error after the body went out: unknown, with the external_id, not a protocol error.
    client = sandbox.ferma_client()
    client.sell(with_id(receipt, "py-warmup-5xx"))
    sandbox.inject("garbage", endpoint="receipt", status=502)
    with pytest.raises(ofdkit.OutcomeUnknownError) as unknown:
        client.sell(with_id(receipt, "py-5xx-1"))
    assert unknown.value.external_id == "py-5xx-1" and unknown.value.may_have_arrived is True
    assert unknown.value.error_code == 3004 and unknown.value.attempts == 1
    # fiscalize recovers it with the same external_id.
    sandbox.inject("drop_after_processing", endpoint="receipt")
    result = client.fiscalize(with_id(receipt, "py-5xx-2"))
    assert result.outcome == "unknown" and result.registered, result
    assert result.reason is not None and "external_id" in result.reason
    assert sandbox.stats()["max_registrations_per_external_id"] == 1


def test_a_call_ends_by_its_timeout() -> None:
    with Sandbox(response_delay=5.0) as slow:
        client = slow.ferma_client(timeout=1.0)
        started = time.monotonic()
        with pytest.raises(errors.RequestTimeoutError):
            client.report("6b2a3b1c-0000-4000-8000-000000000001")
        assert time.monotonic() - started < 3


def interrupt_in(seconds: float) -> threading.Timer:
    """Sends this process SIGINT (Ctrl-C) after `seconds`."""
    timer = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    return timer


@pytest.fixture
def ctrl_c_raises() -> Iterator[None]:
    """Python's own SIGINT handler, as a terminal session has. Python keeps
    SIGINT ignored when it starts that way (a script's background job,
    nohup), and then Ctrl-C reaches no program."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name == "nt", reason="POSIX signals")
@pytest.mark.usefixtures("ctrl_c_raises")
def test_ctrl_c_interrupts_a_wait_at_once(receipt: Dict[str, Any]) -> None:
    with Sandbox(processing_delay=120.0) as sandbox:
        client = sandbox.ferma_client()
        sent = client.sell(receipt)
        for call in (lambda: client.wait(sent.uuid, timeout=45), lambda: client.fiscalize(with_id(receipt, "py-ctrl-c"), timeout=45)):
            timer = interrupt_in(0.3)
            started = time.monotonic()
            with pytest.raises(KeyboardInterrupt):
                call()
            took = time.monotonic() - started
            timer.join()
            assert took < 1.5, f"Ctrl-C answered after {took:.2f} s"


def test_registration_waits_validates_signatures_and_has_a_partner_url(sandbox: Sandbox) -> None:
    client = sandbox.registration_client()
    created = client.create(APPLICATION)
    assert created.id is not None
    started = time.monotonic()
    waited = client.wait_for_change(created.id, timeout=0.5)
    assert isinstance(waited, ofdkit.ApplicationWait) and not waited.changed
    assert waited.application.status == codes.ApplicationStatus.NEW and time.monotonic() - started < 2
    prepared = client.prepare_documents(created.id)
    document = next(d for d in prepared.documents if d.signature == codes.SignatureState.UNSIGNED)
    assert document.id is not None
    with pytest.raises(ofdkit.ValidationError) as invalid:
        client.sign(created.id, document.id, "not base64!")
    assert invalid.value.errors[0].path == "signature"
    assert client.get(created.id).status == codes.ApplicationStatus.AWAITING_SIGNATURE
    default = ofdkit.RegistrationClient("token")
    assert default.partner_base_url == ofdkit.OFD_PARTNER_URL == "https://ofd.me"
