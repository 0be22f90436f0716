#!/usr/bin/env bash
# The Windows add-in as a Windows 1C client loads it: the harness
# (tests/onec/harness.c) built with MinGW for Windows, run under Wine
# against the release DLL that scripts/build-1c packs, over the shared
# vectors and against the sandbox (a Linux process on loopback).
#
# x86_64 always. Windows x86 (i686, for 32-bit 1C clients) is built and
# run when this Wine runs 32-bit programs (the wine32:i386 package); when
# it does not, the run is skipped with a loud notice, never silently.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/wine/env.sh
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
vectors=$(find tests/vectors -name '*.json' -not -path '*/tools/*' | sort)

cargo build -q -p ofdkit-sandbox
. tests/onec/sandboxes.sh
start_sandboxes "$target_dir/debug/ofdkit-sandbox"

# build_harness TRIPLE: the release add-in and the harness, side by side
# with the bcryptprimitives stand-in; prints the directory.
build_harness() {
  local triple=$1 out=$target_dir/onec-tests/$1
  cargo build -q --release -p ofdkit-1c --target "$triple"
  wine_prepare "$out" "$triple"
  "${triple%%-*}-w64-mingw32-gcc" -std=c11 -Wall -Wextra -Werror -pedantic -O1 -static-libgcc \
    tests/onec/harness.c -o "$out/harness.exe"
  cp "$target_dir/$triple/release/ofdkit_1c.dll" "$out/"
}

build_harness x86_64-pc-windows-gnu
out=$target_dir/onec-tests/x86_64-pc-windows-gnu
export OFDKIT_TEST_RUN="wine-x86_64-$$"
wine_run "the 1C harness (Windows x86_64)" "checks passed" "$out/harness.exe" "$out/ofdkit_1c.dll" $vectors

build_harness i686-pc-windows-gnu
out=$target_dir/onec-tests/i686-pc-windows-gnu

# On x86 the platform calls the component's methods __stdcall: arguments on
# the stack, `this` first, popped by the callee. MinGW records that in each
# function's symbol as @<bytes of arguments>; every thunk must pop exactly
# what the platform pushes for its C++ declaration (4 bytes for `this`, a
# pointer or a `long`). This holds whether or not the run below can happen.
expected="call_as_func 20
call_as_proc 16
done 4
find_method 8
find_prop 8
get_info 4
get_method_name 12
get_n_methods 4
get_n_params 8
get_n_props 4
get_param_def_value 16
get_prop_name 12
get_prop_val 12
has_ret_val 8
init 8
is_prop_readable 8
is_prop_writable 8
register_extension_as 8
set_language 8
set_mem_manager 8
set_prop_val 12"
found=$(i686-w64-mingw32-objdump -t "$target_dir/i686-pc-windows-gnu/release/ofdkit_1c.dll" |
  sed -nE 's/.*native9component[0-9]+([a-z_]+)17h[0-9a-f]{16}E[^@]*@([0-9]+)$/\1 \2/p' | sort)
if [ "$found" != "$expected" ]; then
  diff <(echo "$expected") <(echo "$found") >&2 || true
  echo "the x86 add-in's methods do not pop what the platform pushes (stdcall)" >&2
  exit 1
fi
echo "Windows x86: all 21 Native API methods are __stdcall with the platform's argument sizes"
# Without arguments the harness prints its usage: a Wine that runs 32-bit
# programs shows it, a 64-bit-only one shows nothing.
if wine "$out/harness.exe" 2>&1 | grep -q usage; then
  export OFDKIT_TEST_RUN="wine-i686-$$"
  wine_run "the 1C harness (Windows x86)" "checks passed" "$out/harness.exe" "$out/ofdkit_1c.dll" $vectors
else
  cat >&2 <<'NOTICE'
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!!! SKIPPED: the Windows x86 (32-bit) add-in was built, but not run: this Wine
!!! cannot run 32-bit programs (install wine32:i386, which needs the i386
!!! architecture in apt). Its calling convention is checked above, its
!!! exports and imports by scripts/build-1c.
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
NOTICE
fi
echo "1C add-in harness passed under Wine"
