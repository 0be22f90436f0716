#!/usr/bin/env bash
# Builds the 1C add-in for Linux and the harness that loads it as the
# platform does (tests/onec/harness.c), starts two sandboxes on loopback
# (one that fiscalises at once, one that takes seconds, for deadlines), and
# runs the harness over the shared vectors: plainly, then under valgrind
# (no leak, no invalid access, every string handed over freed).
set -euo pipefail
cd "$(dirname "$0")/../.."

cargo build -q -p ofdkit-1c -p ofdkit-sandbox
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
addin=$target_dir/debug/libofdkit_1c.so
out=$target_dir/onec-tests
mkdir -p "$out"
gcc -std=c11 -Wall -Wextra -Werror -pedantic -g tests/onec/harness.c -o "$out/harness" -ldl

. tests/onec/sandboxes.sh
start_sandboxes "$target_dir/debug/ofdkit-sandbox"

vectors=$(find tests/vectors -name '*.json' -not -path '*/tools/*' | sort)
export OFDKIT_TEST_RUN="linux-$$"
"$out/harness" "$addin" $vectors

# Memory kept for the life of the process (statics the HTTP library
# builds once) is "still reachable", not a leak, and not counted; the
# library stays loaded so that it stays reachable.
export OFDKIT_TEST_RUN="valgrind-$$"
ONEC_HARNESS_KEEP_LOADED=1 valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
  --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
  "$out/harness" "$addin" $vectors
echo "1C add-in harness passed on Linux, plainly and under valgrind"
