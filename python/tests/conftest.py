"""Shared paths and inputs of the Python test suite."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict

import pytest

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "vectors"
EXAMPLE_RECEIPT = REPO / "examples" / "receipt.json"


def load_exact(path: Path) -> Any:
    """JSON with every fraction as Decimal, as a careful user reads it."""
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


@pytest.fixture
def receipt() -> Dict[str, Any]:
    """The README's receipt: valid, two items, money as Decimal."""
    value: Dict[str, Any] = load_exact(EXAMPLE_RECEIPT)
    return value
