#!/usr/bin/env bash
# One output form across the bindings: builds the C printer against
# libofdkit and runs compare.py with the Python package installed by
# python/run-tests.sh, the npm package built by wasm/run-tests.sh and the
# ofdkit command. scripts/test runs it after the bindings' own suites.
set -euo pipefail
cd "$(dirname "$0")/../.."

cargo build -q -p ofdkit-ffi -p ofdkit-cli
lib=target/debug
out=target/outputs
mkdir -p "$out"
gcc -std=c99 -Wall -Wextra -Werror -pedantic -Iinclude tests/outputs/print_outputs.c -o "$out/print_outputs" \
  -L$lib -lofdkit -Wl,-rpath,$PWD/$lib
.venv/bin/python tests/outputs/compare.py "$out/print_outputs" "$lib/ofdkit"
