"""The ``ofdkit_sandbox`` pytest fixture: one sandbox per test session,
started on first use. Installed with the package (entry point
``pytest11``); nothing starts unless a test asks for it."""

from __future__ import annotations

from typing import Iterator

import pytest

from .sandbox import Sandbox


@pytest.fixture(scope="session")
def ofdkit_sandbox() -> Iterator[Sandbox]:
    """A running ``ofdkit.sandbox.Sandbox`` with instant processing."""
    with Sandbox() as sandbox:
        yield sandbox
