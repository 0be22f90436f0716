"""Benchmark (not a test): validating a receipt with ofdkit against two
anchors in the same run — msgspec converting or decoding into typed Structs
(bench/receipt_msgspec.py) and pydantic v2 validating an equivalent model
(bench/receipt_model.py) — a typical 2-item receipt as a dict and as JSON
text, and a 200-item one. ofdkit checks every rule of the API besides.
Targets: the dict path at most msgspec.convert, the text path ahead of
msgspec.json.decode.

    .venv/bin/python python/bench/bench_validate.py [--quick]
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import msgspec

import ofdkit

sys.path.insert(0, str(Path(__file__).parent))
import receipt_msgspec  # noqa: E402
from receipt_model import ReceiptRequest  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def typical() -> Dict[str, Any]:
    receipt: Dict[str, Any] = json.loads((REPO / "examples" / "receipt.json").read_text(), parse_float=Decimal)
    # The pydantic model knows payment_object only by number (ofdkit also takes "commodity").
    receipt["receipt"]["items"][0]["payment_object"] = 1
    return receipt


def big(items: int = 200) -> Dict[str, Any]:
    receipt = typical()
    item = receipt["receipt"]["items"][0]
    receipt["receipt"]["items"] = []
    for i in range(items):
        one = copy.deepcopy(item)
        one["name"] = f"Товар {i}"
        one["quantity"] = 1
        one["sum"] = one["price"]
        one["vat"]["sum"] = Decimal("41.65")
        receipt["receipt"]["items"].append(one)
    total = item["price"] * items
    receipt["receipt"]["total"] = total
    receipt["receipt"]["payments"] = [{"type": 1, "sum": total}]
    return receipt


def per_call(fns: List[Callable[[], Any]], seconds: float) -> List[float]:
    """Microseconds per call of each of `fns`: rounds alternate between
    them (a loaded machine slows all alike) and each keeps its best."""
    counts = []
    for fn in fns:
        fn()
        n = 1
        while True:
            start = time.perf_counter()
            for _ in range(n):
                fn()
            if time.perf_counter() - start > seconds / 20:
                break
            n *= 2
        counts.append(n)
    best = [float("inf")] * len(fns)
    for _ in range(7):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            for _ in range(counts[i]):
                fn()
            best[i] = min(best[i], (time.perf_counter() - start) / counts[i])
    return [b * 1e6 for b in best]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short rounds (CI only proves the benchmark runs)")
    seconds = 0.05 if parser.parse_args().quick else 1.0

    small, large = typical(), big()
    small_text = json.dumps(small, ensure_ascii=False, default=float)
    large_text = json.dumps(large, ensure_ascii=False, default=float)
    assert ofdkit.validate_receipt(small) == [] and ofdkit.validate_receipt(small_text) == []
    assert not any(v.is_error for v in ofdkit.validate_receipt(large))
    ReceiptRequest.model_validate(small)
    ReceiptRequest.model_validate(large)
    ReceiptRequest.model_validate_json(small_text)

    to_struct = lambda d: msgspec.convert(d, receipt_msgspec.ReceiptRequest)  # noqa: E731
    decoder = msgspec.json.Decoder(receipt_msgspec.ReceiptRequest)
    to_struct(small), to_struct(large), decoder.decode(small_text), decoder.decode(large_text)

    cases: List[Tuple[str, Callable[[], Any], Callable[[], Any], Callable[[], Any]]] = [
        (
            "typical receipt, dict",
            lambda: ofdkit.validate_receipt(small),
            lambda: to_struct(small),
            lambda: ReceiptRequest.model_validate(small),
        ),
        (
            "typical receipt, JSON str",
            lambda: ofdkit.validate_receipt(small_text),
            lambda: decoder.decode(small_text),
            lambda: ReceiptRequest.model_validate_json(small_text),
        ),
        (
            "200 items, dict",
            lambda: ofdkit.validate_receipt(large),
            lambda: to_struct(large),
            lambda: ReceiptRequest.model_validate(large),
        ),
        (
            "200 items, JSON str",
            lambda: ofdkit.validate_receipt(large_text),
            lambda: decoder.decode(large_text),
            lambda: ReceiptRequest.model_validate_json(large_text),
        ),
    ]
    print("dict: msgspec.convert; JSON str: msgspec.json.decode (typed Structs). Targets: dict ≤ 1.00×, str < 1.00×")
    print(f"{'case':26} {'ofdkit µs':>10} {'msgspec µs':>11} {'pydantic µs':>12} {'÷msgspec':>9} {'÷pydantic':>10}")
    for name, ours, fast, theirs in cases:
        a, b, c = per_call([ours, fast, theirs], seconds)
        print(f"{name:26} {a:10.1f} {b:11.1f} {c:12.1f} {a / b:8.2f}× {a / c:9.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
