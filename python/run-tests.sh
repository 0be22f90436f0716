#!/usr/bin/env bash
# Builds the Python package the way a user does (`pip install ./python`)
# into a virtualenv inside the repository, then runs its tests: the shared
# vectors, the clients against the sandbox, threads, bad inputs, the CLI,
# mypy --strict and stubtest. Nothing is cached outside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
export PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q -r python/requirements-test.txt
"$venv/bin/pip" install -q --force-reinstall --no-deps ./python

echo "ofdkit/codes.py and ofdkit/errors.py are what the core's tables generate"
"$venv/bin/python" python/tools/generate.py --check

"$venv/bin/python" -m pytest -q -p no:cacheprovider python/tests

echo "The benchmark runs (figures: $venv/bin/python python/bench/bench_validate.py)"
"$venv/bin/python" python/bench/bench_validate.py --quick >/dev/null
