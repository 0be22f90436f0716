#!/usr/bin/env bash
# Installs the artifacts in dist/ the way users do, on a PATH with no cargo
# and no rustc, and tests what got installed (run scripts/dist or
# scripts/dist --host first; scripts/test runs both):
#   Python   a fresh venv pip-installs the host's wheel from dist/ and the
#            whole Python suite (python/tests) runs against it, never against
#            python/python; then `pip install` of the sdist builds (with cargo)
#   npm      a fresh project npm-installs the tarball, imports it in Node,
#            type-checks against it, and Vite bundles the checkout example
#            from it; headless Chromium runs the bundled page
#   C        the Linux archive unpacked into a temporary prefix; a CMake
#            project (find_package) and a Makefile (pkg-config) build and run
#            a program against it, shared and static; the SONAME is checked
#   Windows  the DLL's imports are Windows' own; MinGW links a program
#            against both import libraries (running it under Wine is not
#            done here)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
started=$SECONDS

step() { printf "\n==> %s  (%d s)\n" "$*" $((SECONDS - started)); }
die() { echo "tests/install: $*" >&2; exit 1; }
target=${CARGO_TARGET_DIR:-$root/target}
dist=$root/dist
artifacts=$root/tests/install/artifacts
version=$(awk '/^\[workspace.package\]/{on=1; next} /^\[/{on=0} on && /^version *=/{gsub(/[" ]/, "", $0); sub(/version=/, ""); print; exit}' Cargo.toml)
major=${version%%.*}
minor=${version#*.}; minor=${minor%%.*}
soversion=$([ "$major" = 0 ] && echo "0.$minor" || echo "$major")
arch=$(uname -m)
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
npm_cache=$root/target-wasm/npm-cache

[ -f "$dist/SHA256SUMS" ] || die "no dist/SHA256SUMS: run scripts/dist --host first"
(cd "$dist" && sha256sum --quiet -c SHA256SUMS) || die "dist/ does not match its SHA256SUMS"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$artifacts"
mkdir -p "$artifacts"

# The Python suite compares `python -m ofdkit` with the Rust command line;
# that reference binary is built now, while cargo is still on PATH.
cargo build -q -p ofdkit-cli

# The PATH users have: every folder that holds cargo, rustc or rustup goes.
bare_path=
IFS=: read -ra folders <<<"$PATH"
for folder in "${folders[@]}"; do
  [ -n "$folder" ] || continue
  [ -e "$folder/cargo" ] || [ -e "$folder/rustc" ] || [ -e "$folder/rustup" ] && continue
  bare_path=${bare_path:+$bare_path:}$folder
done
bare() { env PATH="$bare_path" "$@"; }
if bare sh -c 'command -v cargo || command -v rustc'; then
  die "cargo or rustc is still on the PATH the tests use"
fi

# --- Python: the wheel -----------------------------------------------------------
step "Python: a fresh venv installs ofdkit $version from dist/ without cargo or rustc, and python/tests runs against it"
venv=$work/wheel-venv
bare python3 -m venv "$venv"
grep -v '^maturin' python/requirements-test.txt >"$work/requirements.txt"
bare "$venv/bin/pip" install -q -r "$work/requirements.txt"
# As `pip install ofdkit` does: pip picks the wheel for this machine; a
# missing one fails rather than building from the sdist beside it.
bare "$venv/bin/pip" install --no-index --find-links "$dist" --only-binary ofdkit "ofdkit==$version" | tee "$work/pip.txt"
grep -q "ofdkit-$version-cp39-abi3-.*manylinux_2_17_$arch.whl" "$work/pip.txt" \
  || die "pip did not install the manylinux_2_17_$arch wheel"
# From a folder outside the repository, so nothing shadows site-packages;
# the plugin stops the run if ofdkit still came from python/python.
(cd "$work" && bare env PYTHONPATH="$root/tests/install/python" CARGO_TARGET_DIR="$target" \
  OFDKIT_EXPECTED_VERSION="$version" "$venv/bin/python" -m pytest -q -p no:cacheprovider -p ofdkit_installed \
  "$root/python/tests")

# --- Python: the sdist -------------------------------------------------------------
step "Python: pip install of the sdist builds ofdkit from source (this one needs cargo)"
venv=$work/sdist-venv
python3 -m venv "$venv"
# The target folder only caches compiled dependencies (those the benchmarks built).
CARGO_TARGET_DIR=$target "$venv/bin/pip" install -q "$dist/ofdkit-$version.tar.gz"
(cd "$work" && bare "$venv/bin/python" - "$version" <<'EOF'
import sys
import ofdkit

assert ofdkit.__version__ == sys.argv[1], ofdkit.__version__
violations = ofdkit.validate_receipt({"external_id": "1", "receipt": {}}, "sell")
assert any(v.code == "required" for v in violations), violations
print(f"sdist: ofdkit {ofdkit.__version__} built and imported from {ofdkit.__file__}")
EOF
)

# --- npm -------------------------------------------------------------------------
step "npm: a fresh project installs ofdkit-$version.tgz, imports it in Node, type-checks, and Vite bundles the checkout example"
shop=$work/shop
mkdir -p "$shop"
printf '{ "name": "shop", "private": true, "type": "module" }\n' >"$shop/package.json"
cp tests/install/npm/* "$shop/"
cp examples/web-checkout/index.html examples/web-checkout/style.css "$shop/"
# The example imports the package from the repository; a shop imports it by name.
sed "s|from '../../wasm/pkg/index.js'|from 'ofdkit'|" examples/web-checkout/app.js >"$shop/app.js"
grep -q "from 'ofdkit';" "$shop/app.js" || die "examples/web-checkout/app.js no longer imports ../../wasm/pkg/index.js"
(cd "$shop" && bare npm install --no-audit --no-fund --loglevel=error --cache "$npm_cache" \
  "$dist/ofdkit-$version.tgz" vite@7.3.8 playwright-core@1.65.1 typescript@5.9.3)
for file in package.json README.md LICENSE-MIT LICENSE-APACHE index.d.ts index.js node.js ofdkit_wasm_bg.wasm; do
  [ -f "$shop/node_modules/ofdkit/$file" ] || die "the npm package lacks $file"
done
(cd "$shop" && bare node node-import.mjs "$version")
(cd "$shop" && bare node_modules/.bin/tsc --strict --noEmit --module nodenext --moduleResolution nodenext types-check.ts)
(cd "$shop" && bare node_modules/.bin/tsc --strict --noEmit --module esnext --moduleResolution bundler types-check.ts)
echo "tsc --strict: the package's types resolve under nodenext and bundler resolution"
(cd "$shop" && bare node_modules/.bin/vite build --outDir build --logLevel warn)
(cd "$shop" && bare env CHROMIUM="${CHROMIUM:-/usr/bin/chromium}" node --test --test-reporter=spec bundle.test.mjs)
cp "$shop/bundled-checkout.png" "$artifacts/"

# --- C on Linux ------------------------------------------------------------------
step "C: ofdkit-$version-$arch-linux-gnu.tar.gz in a temporary prefix, used through CMake and pkg-config"
prefix=$work/prefix
mkdir -p "$prefix"
tar -xzf "$dist/ofdkit-$version-$arch-linux-gnu.tar.gz" -C "$prefix" --strip-components=1
lib=$prefix/lib
readelf -d "$lib/libofdkit.so.$version" | grep SONAME
readelf -d "$lib/libofdkit.so.$version" | grep "Library soname: \[libofdkit.so.$soversion\]" >/dev/null || die "wrong SONAME"
[ "$(readlink "$lib/libofdkit.so")" = "libofdkit.so.$soversion" ] && [ "$(readlink "$lib/libofdkit.so.$soversion")" = "libofdkit.so.$version" ] \
  || die "libofdkit.so -> libofdkit.so.$soversion -> libofdkit.so.$version links are wrong"
newest_glibc=$(objdump -T "$lib/libofdkit.so.$version" | grep -oE 'GLIBC_[0-9.]+' | sort -uV | tail -1)
echo "needs $newest_glibc at most"
[ "$(printf '%s\n' "$newest_glibc" GLIBC_2.17 | sort -V | tail -1)" = GLIBC_2.17 ] || die "libofdkit.so needs $newest_glibc, more than manylinux2014's 2.17"
[ "$(PKG_CONFIG_PATH=$lib/pkgconfig pkg-config --modversion ofdkit)" = "$version" ] || die "ofdkit.pc has another version"

needs_ofdkit() { readelf -d "$1" | grep "Shared library: \[libofdkit.so.$soversion\]" >/dev/null; }
bare cmake -S tests/install/c -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" -DOFDKIT_VERSION="$version" >/dev/null
bare cmake --build "$work/cmake" >/dev/null
needs_ofdkit "$work/cmake/check_shared" || die "the CMake program does not load libofdkit.so.$soversion"
! needs_ofdkit "$work/cmake/check_static" || die "the static CMake program loads libofdkit.so"
bare "$work/cmake/check_shared"
bare "$work/cmake/check_static"
echo "CMake: find_package(ofdkit $version EXACT CONFIG) linked ofdkit::ofdkit and ofdkit::ofdkit_static"

# find_package refuses a version this ABI does not serve.
mkdir -p "$work/too-new"
next=$([ "$major" = 0 ] && echo "0.$((minor + 1))" || echo "$((major + 1)).0")
printf 'cmake_minimum_required(VERSION 3.16)\nproject(p C)\nfind_package(ofdkit %s CONFIG REQUIRED)\n' "$next" >"$work/too-new/CMakeLists.txt"
if bare cmake -S "$work/too-new" -B "$work/too-new/build" -DCMAKE_PREFIX_PATH="$prefix" >"$work/too-new.log" 2>&1; then
  die "find_package(ofdkit $next) accepted ofdkit $version"
fi
echo "CMake: find_package(ofdkit $next) refuses $version"

mkdir -p "$work/make"
bare make -s -C tests/install/c PREFIX="$prefix" OUT="$work/make" VERSION="$version"
needs_ofdkit "$work/make/check_shared" || die "the Makefile's program does not load libofdkit.so.$soversion"
! needs_ofdkit "$work/make/check_static" || die "the Makefile's static program loads libofdkit.so"
bare "$work/make/check_shared"
bare "$work/make/check_static"
# Without an rpath, LD_LIBRARY_PATH finds it (as the archive's README says).
bare gcc -std=c99 -DEXPECTED_VERSION="\"$version\"" tests/install/c/check.c -o "$work/make/check_no_rpath" \
  $(PKG_CONFIG_PATH=$lib/pkgconfig pkg-config --cflags --libs ofdkit)
if bare "$work/make/check_no_rpath" >/dev/null 2>&1; then die "a program without rpath found libofdkit.so on its own"; fi
bare env LD_LIBRARY_PATH="$lib" "$work/make/check_no_rpath"
echo "pkg-config: the Makefile built and ran shared (rpath) and static; LD_LIBRARY_PATH serves a program without rpath"

# --- C on Windows ----------------------------------------------------------------
step "Windows: ofdkit-$version-x86_64-windows-gnu.zip: the DLL's imports, its exports, MinGW links against both import libraries"
command -v x86_64-w64-mingw32-gcc >/dev/null || die "MinGW-w64 is missing (scripts/dist installs it)"
win=$work/windows
python3 -m zipfile -e "$dist/ofdkit-$version-x86_64-windows-gnu.zip" "$win"
win=$win/ofdkit-$version-x86_64-windows-gnu
# Only Windows' own DLLs: no MinGW runtime (libgcc_s, libwinpthread, libstdc++) to ship.
scripts/check-dll-imports "$win/bin/ofdkit.dll" || die "ofdkit.dll imports DLLs that are not part of Windows (above)"
functions=$(grep -oE '\bofdkit_[a-z_0-9]+\(' "$win/include/ofdkit.h" | sort -u | wc -l)
for implib in libofdkit.dll.a ofdkit.lib; do
  count=$(x86_64-w64-mingw32-nm "$win/lib/$implib" | grep -c ' T ofdkit_' || true)
  [ "$count" = "$functions" ] || die "$implib has $count functions, the header $functions"
  x86_64-w64-mingw32-gcc -std=c99 -Wall -Wextra -Werror -pedantic -DEXPECTED_VERSION="\"$version\"" \
    -I"$win/include" tests/install/c/check.c "$win/lib/$implib" -o "$work/check-$implib.exe"
  x86_64-w64-mingw32-objdump -p "$work/check-$implib.exe" | grep 'DLL Name: ofdkit.dll' >/dev/null \
    || die "a program linked with $implib does not import ofdkit.dll"
done
echo "MinGW linked a program against libofdkit.dll.a and against ofdkit.lib (made for MSVC); both import ofdkit.dll"

step "Installed from dist/: the wheel, the sdist, the npm package and both C archives passed"
