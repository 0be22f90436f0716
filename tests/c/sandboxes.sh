# Sourced by tests/c/run.sh and tests/c/run-wine.sh: the sandboxes the C
# transport test talks to, one definition for Linux and Wine, so that the
# two runs cannot drift apart.
#   start_c_sandboxes PATH-TO-ofdkit-sandbox
# exports OFDKIT_TEST_BASE_URL (well-behaved), OFDKIT_TEST_LOSSY_URL (drops
# every receipt's connection after reading it: outcome unknown) and
# OFDKIT_TEST_SLOW_URL (slow to answer anything: deadlines), and stops the
# sandboxes when the script exits.

c_sandbox_logs=$(mktemp -d)
c_sandbox_pids=()

stop_c_sandboxes() {
  kill "${c_sandbox_pids[@]}" 2>/dev/null || true
  rm -rf "$c_sandbox_logs"
}

start_c_sandboxes() {
  local binary=$1 name
  trap stop_c_sandboxes EXIT
  c_sandbox_start() { # name, extra flags...
    local name=$1
    shift
    "$binary" --port 0 --processing-delay-ms 0 --fns-step-delay-ms 0 "$@" >"$c_sandbox_logs/$name" 2>&1 &
    c_sandbox_pids+=($!)
  }
  c_sandbox_start plain
  c_sandbox_start lossy --drop-rate 1.0
  c_sandbox_start slow --response-delay-ms 5000
  c_sandbox_url() {
    for _ in $(seq 100); do grep -q "http://" "$c_sandbox_logs/$1" && break; sleep 0.1; done
    grep -oE 'http://127\.0\.0\.1:[0-9]+' "$c_sandbox_logs/$1" | head -1
  }
  OFDKIT_TEST_BASE_URL=$(c_sandbox_url plain)
  OFDKIT_TEST_LOSSY_URL=$(c_sandbox_url lossy)
  OFDKIT_TEST_SLOW_URL=$(c_sandbox_url slow)
  for name in OFDKIT_TEST_BASE_URL OFDKIT_TEST_LOSSY_URL OFDKIT_TEST_SLOW_URL; do
    [ -n "${!name}" ] || { echo "a sandbox did not start (no $name)" >&2; exit 1; }
  done
  export OFDKIT_TEST_BASE_URL OFDKIT_TEST_LOSSY_URL OFDKIT_TEST_SLOW_URL
}
