#!/usr/bin/env bash
# Builds libofdkit, compiles the C tests (C99, warnings as errors, pedantic)
# and a C++17 unit, and runs them: plainly, under valgrind (no leak, no
# invalid access) and under AddressSanitizer; the transport tests against
# the sandbox on loopback.
set -euo pipefail
cd "$(dirname "$0")/../.."

cargo build -q -p ofdkit-ffi -p ofdkit-sandbox
# Where cargo builds: CARGO_TARGET_DIR when set, as tests/c/run-wine.sh.
lib=${CARGO_TARGET_DIR:-$PWD/target}/debug
out=target/c-tests
mkdir -p "$out"

# Every function of the header is exercised with NULL and garbage.
missing=$(grep -oE '\bofdkit_[a-z_0-9]+\(' include/ofdkit.h | sort -u | tr -d '(' | while read -r f; do
  grep -q "$f" tests/c/test_robustness.c || echo "$f"; done)
if [ -n "$missing" ]; then
  echo "test_robustness.c does not call: $missing" >&2
  exit 1
fi

CFLAGS="-std=c99 -Wall -Wextra -Werror -pedantic -g -Iinclude"
link="-L$lib -lofdkit -Wl,-rpath,$lib"
for t in test_api test_robustness test_vectors test_transport; do
  gcc $CFLAGS "tests/c/$t.c" -o "$out/$t" $link
  gcc $CFLAGS -fsanitize=address,undefined -fno-omit-frame-pointer "tests/c/$t.c" -o "$out/$t.asan" $link
done
g++ -std=c++17 -Wall -Wextra -Werror -pedantic -Iinclude tests/c/test_cpp.cpp -o "$out/test_cpp" $link

# The static library links too.
gcc $CFLAGS tests/c/test_api.c -o "$out/test_api.static" "$lib/libofdkit.a" -lpthread -ldl -lm

# Three sandboxes: a well-behaved one, one that drops every receipt's
# connection after reading it (outcome unknown), one slow to answer
# anything (deadlines).
. tests/c/sandboxes.sh
start_c_sandboxes "$lib/ofdkit-sandbox"

vectors=$(find tests/vectors -name '*.json' -not -path '*/tools/*' -not -path '*/peers/*' | sort)
run() { # name, command...
  echo "--- $1"
  export OFDKIT_TEST_RUN="run$((++runs))"
  shift
  "$@"
}
runs=0

for t in test_api test_robustness test_transport; do
  run "$t" "$out/$t"
done
run test_vectors "$out/test_vectors" $vectors
run test_cpp "$out/test_cpp"
run test_api.static "$out/test_api.static"

# valgrind: a definite, indirect or possible leak, or any invalid access, fails.
# Memory kept for the life of the process (the static code tables) is
# "still reachable" by design and not counted.
VALGRIND="valgrind --quiet --suppressions=tests/c/valgrind.supp --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99"
for t in test_api test_robustness test_transport; do
  run "$t under valgrind" $VALGRIND "$out/$t"
done
run "test_vectors under valgrind" $VALGRIND "$out/test_vectors" $vectors

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
for t in test_api test_robustness test_transport; do
  run "$t under AddressSanitizer" "$out/$t.asan"
done
run "test_vectors under AddressSanitizer" "$out/test_vectors.asan" $vectors
# The README's program, installed with pkg-config and built with CMake.
awk '/^```c$/{on=1; next} /^```$/{on=0} on' README.md | diff -u examples/c/main.c - >/dev/null \
  || { echo "README's C program differs from examples/c/main.c" >&2; exit 1; }
prefix=$PWD/$out/install
scripts/install-c "$prefix" >/dev/null
rm -rf "$out/example"
PKG_CONFIG_PATH=$prefix/lib/pkgconfig cmake -S examples/c -B "$out/example" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$out/example" >/dev/null
run "README's C program, built with CMake against the installed library" \
  env OFDKIT_BASE_URL="$OFDKIT_TEST_BASE_URL" "$out/example/receipt"
echo "C tests passed"
