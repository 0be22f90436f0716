#!/usr/bin/env bash
# Builds the WebAssembly package and runs its tests: the shared vectors and
# the API under `node --test`, then the checkout example in headless
# Chromium. Installs first whatever a fresh Debian machine with Rust, Node 20
# and npm lacks: the wasm32 target, wasm-bindgen-cli (into .tools/),
# wasm/node_modules (binaryen for wasm-opt, playwright-core, typescript) and
# Debian's chromium. Exits non-zero on any failure. scripts/test calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
sudo=$([ "$(id -u)" = 0 ] || echo sudo)
# Separate from target/, so a build here never waits for the workspace's lock.
export CARGO_TARGET_DIR="$PWD/target-wasm"
export PATH="$PWD/.tools/bin:$PATH"
artifacts=wasm/test-artifacts
mkdir -p "$artifacts"

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "wasm/run-tests.sh needs Node 20 or newer and npm (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "Installing the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
bindgen_version=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]; then
  step "Installing wasm-bindgen-cli $bindgen_version into .tools/"
  # Not --locked: its lock file asks for a webpki-roots the registry lacks.
  CARGO_TARGET_DIR="$PWD/target-wasm/install" cargo install -q wasm-bindgen-cli --version "$bindgen_version" --root .tools
fi

if [ ! -f wasm/node_modules/.package-lock.json ] || [ wasm/package-lock.json -nt wasm/node_modules/.package-lock.json ]; then
  step "Installing wasm/node_modules (binaryen, playwright-core, typescript)"
  # npm keeps its download cache inside the repository too.
  (cd wasm && npm ci --no-audit --no-fund --loglevel=error --cache "$PWD/../target-wasm/npm-cache")
fi

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  step "Installing Debian's chromium"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends chromium
fi

step "Clippy for wasm32, warnings denied"
cargo clippy -q -p ofdkit-wasm --target wasm32-unknown-unknown -- -D warnings

step "Building wasm/pkg"
wasm/build.sh

step "node --test: the shared vectors, the API, the types, the package"
node --test --test-reporter=dot --test-reporter-destination=stdout \
  --test-reporter=spec --test-reporter-destination="$artifacts/node-tests.txt" wasm/tests/
tail -n 8 "$artifacts/node-tests.txt"

step "Headless Chromium: the checkout example"
CHROMIUM="$chromium" node --test --test-reporter=spec wasm/test-browser.mjs
echo "screenshots: $artifacts/web-checkout.png, $artifacts/web-checkout-valid.png"

step "The WebAssembly package passed"
