#!/usr/bin/env bash
# The C tests (tests/c/*.c) built with MinGW for Windows against the
# Windows C archive scripts/dist makes (dist/ofdkit-VERSION-x86_64-windows-gnu.zip:
# the C tests link its MinGW import library, the C++ unit its ofdkit.lib)
# and run under Wine against its bin/ofdkit.dll: the API, NULL and garbage,
# the shared vectors, the C++ unit, and the clients against the sandbox on
# loopback. Passing is read from each program's output, never from its exit
# status alone (scripts/wine/env.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/wine/env.sh
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
version=$(awk '/^\[workspace.package\]/{on=1; next} /^\[/{on=0} on && /^version *=/{gsub(/[" ]/, "", $0); sub(/version=/, ""); print; exit}' Cargo.toml)
archive=dist/ofdkit-$version-x86_64-windows-gnu.zip
out=$target_dir/c-tests-wine
if [ ! -f "$archive" ]; then
  echo "$archive is missing: run scripts/dist --host first" >&2
  exit 1
fi

cargo build -q -p ofdkit-sandbox
rm -rf "$out"
python3 -m zipfile -e "$archive" "$out"
package=$out/ofdkit-$version-x86_64-windows-gnu
wine_prepare "$out" x86_64-pc-windows-gnu
cp "$package/bin/ofdkit.dll" "$out/"

CFLAGS="-std=c99 -Wall -Wextra -Werror -pedantic -I$package/include"
for t in test_api test_robustness test_vectors test_transport; do
  x86_64-w64-mingw32-gcc $CFLAGS "tests/c/$t.c" -o "$out/$t.exe" "$package/lib/libofdkit.dll.a"
done
# Static C++ runtime, or the program would need libstdc++-6.dll beside it.
x86_64-w64-mingw32-g++ -std=c++17 -Wall -Wextra -Werror -pedantic -I"$package/include" tests/c/test_cpp.cpp \
  -o "$out/test_cpp.exe" "$package/lib/ofdkit.lib" -static-libgcc -static-libstdc++

. tests/c/sandboxes.sh
start_c_sandboxes "$target_dir/debug/ofdkit-sandbox"
export OFDKIT_TEST_RUN="wine-c-$$"

vectors=$(find tests/vectors -name '*.json' -not -path '*/tools/*' | sort)
for t in test_api test_robustness test_transport test_cpp; do
  wine_run "$t" "$t: .*checks passed" "$out/$t.exe"
done
wine_run test_vectors "test_vectors: .*checks passed" "$out/test_vectors.exe" $vectors
echo "C tests passed against dist's ofdkit.dll under Wine"
