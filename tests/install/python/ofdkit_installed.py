"""A pytest plugin for running python/tests against an installed wheel
(tests/install/run.sh loads it with ``-p ofdkit_installed``): the session
stops before any test if ``ofdkit`` would come from the source tree
(python/python) instead of the virtualenv's site-packages, so a passing run
is always a run of what ``pip install`` put there."""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    import ofdkit
    import ofdkit._native

    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    platsite = Path(sysconfig.get_paths()["platlib"]).resolve()
    for module in (ofdkit, ofdkit._native):
        where = Path(module.__file__ or "").resolve()
        if site not in where.parents and platsite not in where.parents:
            raise pytest.UsageError(f"{module.__name__} comes from {where}, not from {site}")
    expected = os.environ.get("OFDKIT_EXPECTED_VERSION")
    if expected and ofdkit.__version__ != expected:
        raise pytest.UsageError(f"installed ofdkit is {ofdkit.__version__}, expected {expected}")
    sys.stdout.write(f"testing the installed ofdkit {ofdkit.__version__} in {Path(ofdkit.__file__).parent}\n")
