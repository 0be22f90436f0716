# Sourced by the scripts that run Windows test programs under Wine.
#   wine_prepare DIR TRIPLE   builds the bcryptprimitives stand-in into DIR
#   wine_run NAME EXPECTED PROGRAM ARGS...
#                             runs PROGRAM under Wine, shows its output, and
#                             fails unless the output has EXPECTED: a 32-bit
#                             program under a 64-bit-only Wine prints nothing
#                             and exits 0, so the status alone proves nothing.
# The Wine prefix lives in the target directory: made once (about 700 MB,
# 10 s), reused by later runs.

WINE_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
export WINEPREFIX=${WINEPREFIX:-$WINE_TARGET_DIR/wine-prefix}
export WINEDEBUG=-all
# No desktop integration, no Mono or Gecko installers: console programs only.
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"

wine_prepare() {
  local dir=$1 triple=$2 extra=()
  mkdir -p "$dir"
  case $triple in i686-*) extra=(-Wl,--kill-at) ;; esac
  "${triple%%-*}-w64-mingw32-gcc" -shared -O2 -o "$dir/bcryptprimitives.dll" \
    scripts/wine/bcryptprimitives.c "${extra[@]}" -ladvapi32
  if [ ! -d "$WINEPREFIX" ]; then
    wineboot --init >/dev/null 2>&1 || true
  fi
}

wine_run() {
  local name=$1 expected=$2 log status
  shift 2
  log=$(mktemp)
  set +e
  wine "$@" >"$log" 2>&1
  status=$?
  set -e
  tr -d '\r' <"$log"
  if [ $status -ne 0 ] || ! grep -q -- "$expected" "$log"; then
    rm -f "$log"
    echo "$name under Wine failed (status $status; expected output: $expected)" >&2
    return 1
  fi
  rm -f "$log"
}
