"""The package's types: the stubs match the compiled module (stubtest),
the package and its examples pass mypy --strict, the TypedDicts catch a
misspelt field, and the README's Python example is the one tested here."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

PYTHON = REPO / "python"


def mypy(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *arguments],
        capture_output=True,
        text=True,
        cwd=REPO,
    )


def test_stubs_match_the_compiled_module() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy.stubtest",
            "ofdkit",
            "--allowlist",
            str(PYTHON / "tests" / "stubtest-allowlist.txt"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_package_and_its_examples_pass_mypy_strict() -> None:
    done = mypy(str(PYTHON / "python" / "ofdkit"), str(PYTHON / "examples"))
    assert done.returncode == 0, done.stdout + done.stderr


def test_typed_dicts_catch_a_misspelt_field(tmp_path: Path) -> None:
    script = tmp_path / "typo.py"
    script.write_text(
        "from ofdkit.types import Item\n"
        'item: Item = {"name": "x", "price": 1, "quantity": 1, "summ": 1, "vat": {"type": "vat20"}}\n',
        encoding="utf-8",
    )
    done = mypy(str(script))
    assert done.returncode == 1 and '"summ"' in done.stdout, done.stdout


def test_the_readme_example_is_the_tested_one() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use from Python", 1)[1]
    block = re.search(r"```python\n(.*?)```", section, re.S)
    assert block is not None
    assert block.group(1) == (PYTHON / "examples" / "readme.py").read_text(encoding="utf-8")
    assert len(block.group(1).strip().splitlines()) <= 12


def test_the_readme_example_runs_against_the_sandbox() -> None:
    done = subprocess.run(
        [sys.executable, str(PYTHON / "examples" / "readme.py")], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "[]"
    assert lines[1].startswith("done FiscalPayload(total=Decimal('799.80')")


@pytest.mark.parametrize("example", sorted((PYTHON / "examples").glob("*.py")), ids=lambda p: p.name)
def test_every_example_runs(example: Path) -> None:
    done = subprocess.run([sys.executable, str(example)], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
