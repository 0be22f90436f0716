"""Thread safety: 8 threads validating and sending through one shared
client at once, and the GIL released while a request is on the network."""

from __future__ import annotations

import copy
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List

import ofdkit
from ofdkit.sandbox import Sandbox

THREADS = 8
PER_THREAD = 25


def test_eight_threads_validate_and_send_through_one_client(receipt: Dict[str, Any]) -> None:
    with Sandbox() as sandbox:
        client = sandbox.ferma_client()
        broken = copy.deepcopy(receipt)
        broken["receipt"]["company"]["inn"] = "7825706087"
        barrier = threading.Barrier(THREADS)

        def work(thread: int) -> List[str]:
            barrier.wait()  # all start together
            uuids = []
            for i in range(PER_THREAD):
                assert ofdkit.validate_receipt(receipt) == []
                assert [v.path for v in ofdkit.validate_receipt(broken) if v.is_error] == ["receipt.company.inn"]
                document = copy.deepcopy(receipt)
                document["external_id"] = f"thread-{thread}-{i}"
                uuids.append(client.sell(document).uuid)
            return uuids

        with ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(work, range(THREADS)))
        uuids = [u for r in results for u in r]
        assert len(set(uuids)) == THREADS * PER_THREAD
        stats = sandbox.stats()
        assert stats["receipts_registered"] == THREADS * PER_THREAD
        assert stats["max_registrations_per_external_id"] == 1
        assert stats["tokens_issued"] == 1  # the token is shared, not fetched per thread
        for uuid in uuids[:: PER_THREAD]:
            assert client.wait(uuid, 10).done


def test_the_gil_is_released_during_network_calls() -> None:
    """While one thread waits for a slow answer, another keeps running
    Python code; were the GIL held, it could not run at all meanwhile."""
    with Sandbox(response_delay=0.5) as slow:
        client = slow.ferma_client()
        in_call = threading.Event()
        done = threading.Event()

        def slow_call() -> None:
            in_call.set()
            try:
                client.report("6b2a3b1c-0000-4000-8000-000000000001")
            except ofdkit.OfdkitError:
                pass
            finally:
                done.set()

        worker = threading.Thread(target=slow_call)
        worker.start()
        in_call.wait()
        steps_during_call = 0
        while not done.is_set():
            steps_during_call += 1
        worker.join()
        assert steps_during_call > 10_000
