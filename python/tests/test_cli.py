"""``python -m ofdkit validate`` works like the ``ofdkit`` command line's
validate: the same output, byte for byte, and the same exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

import pytest

from conftest import EXAMPLE_RECEIPT, REPO, VECTORS


@pytest.fixture(scope="module")
def rust_cli() -> Path:
    """The Rust command line, built if it is not yet."""
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    binary = target / "debug" / "ofdkit"
    if not binary.exists():
        subprocess.run(["cargo", "build", "-q", "-p", "ofdkit-cli"], cwd=REPO, check=True)
    return binary


def run(command: List[str]) -> Tuple[int, str, str]:
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env={**os.environ, "NO_COLOR": "1"})
    return done.returncode, done.stdout, done.stderr


def vector_input(tmp_path: Path, name: str) -> Path:
    vector = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    path = tmp_path / Path(name).name
    path.write_text(vector.get("input_text") or json.dumps(vector["input"], ensure_ascii=False), encoding="utf-8")
    return path


CASES = [
    ([str(EXAMPLE_RECEIPT)], None),
    ([], "ferma/invalid/001_external_id_missing.json"),
    (["--json"], "ferma/invalid/001_external_id_missing.json"),
    (["--operation", "sell_correction"], "ferma/valid/" + sorted(p.name for p in (VECTORS / "ferma/valid").iterdir())[0]),
    ([], "ofd/valid/" + sorted(p.name for p in (VECTORS / "ofd/valid").iterdir())[0]),
    (["--check", "complete"], "ofd/valid/" + sorted(p.name for p in (VECTORS / "ofd/valid").iterdir())[0]),
    (["--kind", "partner"], "ofd/invalid/" + sorted(p.name for p in (VECTORS / "ofd/invalid").iterdir())[-1]),
]


@pytest.mark.parametrize("options, vector", CASES, ids=range(len(CASES)))
def test_same_output_and_exit_code_as_the_rust_cli(
    rust_cli: Path, tmp_path: Path, options: List[str], vector: str
) -> None:
    arguments = options if vector is None else [*options, str(vector_input(tmp_path, vector))]
    if vector is None:
        arguments = options
    rust = run([str(rust_cli), "validate", *arguments])
    python = run([sys.executable, "-m", "ofdkit", "validate", *arguments])
    assert python[0] == rust[0]
    assert python[1] == rust[1]


def test_malformed_json_and_missing_files(rust_cli: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{\"external_id\": ", encoding="utf-8")
    for path in (broken, tmp_path / "missing.json"):
        rust = run([str(rust_cli), "validate", str(path)])
        python = run([sys.executable, "-m", "ofdkit", "validate", str(path)])
        assert (python[0], python[1]) == (rust[0], rust[1])
        assert python[2] and str(path) in python[2]


def test_an_invalid_file_exits_1_and_prints_russian_too(tmp_path: Path) -> None:
    code, out, _ = run([sys.executable, "-m", "ofdkit", "validate", str(vector_input(tmp_path, "ferma/invalid/001_external_id_missing.json"))])
    assert code == 1
    assert "error external_id:" in out and "обязательн" in out.lower()
