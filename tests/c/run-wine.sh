#!/usr/bin/env bash
# The C tests (tests/c/*.c, unchanged) built with MinGW for Windows against
# ofdkit.dll and its import library, and run under Wine: the API, NULL and
# garbage, the shared vectors, the C++ unit, and the clients against the
# sandbox on loopback. Passing is read from each program's output, never
# from its exit status alone (see scripts/wine/env.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/wine/env.sh
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
triple=x86_64-pc-windows-gnu
lib=$target_dir/$triple/release
out=$target_dir/c-tests-wine

cargo build -q --release -p ofdkit-ffi --target $triple
cargo build -q -p ofdkit-sandbox
wine_prepare "$out" $triple
cp "$lib/ofdkit.dll" "$out/"

CFLAGS="-std=c99 -Wall -Wextra -Werror -pedantic -Iinclude"
for t in test_api test_robustness test_vectors test_transport; do
  x86_64-w64-mingw32-gcc $CFLAGS "tests/c/$t.c" -o "$out/$t.exe" -L"$lib" -lofdkit
done
# A C++ program would otherwise need libstdc++-6.dll beside it.
x86_64-w64-mingw32-g++ -std=c++17 -Wall -Wextra -Werror -pedantic -Iinclude tests/c/test_cpp.cpp \
  -o "$out/test_cpp.exe" -L"$lib" -lofdkit -static-libgcc -static-libstdc++

. tests/onec/sandboxes.sh
start_sandboxes "$target_dir/debug/ofdkit-sandbox"
export OFDKIT_TEST_RUN="wine-c-$$"

vectors=$(find tests/vectors -name '*.json' -not -path '*/tools/*' | sort)
for t in test_api test_robustness test_transport test_cpp; do
  wine_run "$t" "$t: .*checks passed" "$out/$t.exe"
done
wine_run test_vectors "test_vectors: .*checks passed" "$out/test_vectors.exe" $vectors
echo "C tests passed against ofdkit.dll under Wine"
