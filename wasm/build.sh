#!/usr/bin/env bash
# Builds the npm package into wasm/pkg/: the crate for wasm32 (profile
# `wasm`: opt-level s, LTO, panic=abort), wasm-bindgen for ES modules
# (browsers, bundlers, and Node through node.js), wasm-opt from npm's
# binaryen (Debian's older one writes modules that fail to load), the
# hand-written JS and types, and the parts generated from the core's tables.
# Needs what wasm/run-tests.sh installs: .tools/bin/wasm-bindgen and
# wasm/node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target-wasm}
export PATH="$PWD/.tools/bin:$PATH"
pkg=wasm/pkg

cargo build -q -p ofdkit-wasm --target wasm32-unknown-unknown --profile wasm
rm -rf "$pkg"
mkdir -p "$pkg"
wasm-bindgen --target web --out-dir "$pkg" --out-name ofdkit_wasm \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm/ofdkit_wasm.wasm"
# -Os --converge comes out 1.6-1.7 KiB smaller gzipped than -Oz on this
# module at the same speed; -O3 and binaryen's inlining options buy no
# speed worth their size (measured with wasm/bench.mjs).
wasm/node_modules/.bin/wasm-opt -Os --converge --strip-debug --strip-producers \
  "$pkg/ofdkit_wasm_bg.wasm" -o "$pkg/ofdkit_wasm_bg.wasm"
# The public types are index.d.ts; the raw module is internal.
rm -f "$pkg/ofdkit_wasm_bg.wasm.d.ts" "$pkg/ofdkit_wasm.d.ts"
cp wasm/js/*.js wasm/types/*.d.ts wasm/README.md LICENSE-MIT LICENSE-APACHE "$pkg/"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
sed "s/@VERSION@/$version/" wasm/js/package.json >"$pkg/package.json"
node wasm/generate.mjs
echo "built $pkg: ofdkit $version, $(gzip -9 -c "$pkg/ofdkit_wasm_bg.wasm" | wc -c) bytes of gzipped wasm"
