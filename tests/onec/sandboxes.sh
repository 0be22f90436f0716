# Sourced by the 1C and Wine test scripts: starts the sandboxes the
# harness talks to and stops them when the script exits.
#   start_sandboxes PATH-TO-ofdkit-sandbox
# sets OFDKIT_TEST_BASE_URL (receipts done at once) and
# OFDKIT_TEST_SLOW_BASE_URL (receipts take 10 s, for deadline tests).

sandbox_pids=()
sandbox_logs=()

stop_sandboxes() {
  local pid
  for pid in "${sandbox_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -f "${sandbox_logs[@]}"
}

# start_sandbox BINARY DELAY-MS VARIABLE: sets VARIABLE to its URL.
start_sandbox() {
  local log
  log=$(mktemp)
  "$1" --port 0 --processing-delay-ms "$2" --fns-step-delay-ms 0 >"$log" 2>&1 &
  sandbox_pids+=($!)
  sandbox_logs+=("$log")
  for _ in $(seq 100); do grep -q "http://" "$log" && break; sleep 0.1; done
  printf -v "$3" '%s' "$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$log" | head -1)"
}

start_sandboxes() {
  trap stop_sandboxes EXIT
  start_sandbox "$1" 0 OFDKIT_TEST_BASE_URL
  start_sandbox "$1" 10000 OFDKIT_TEST_SLOW_BASE_URL
  if [ -z "$OFDKIT_TEST_BASE_URL" ] || [ -z "$OFDKIT_TEST_SLOW_BASE_URL" ]; then
    echo "the sandbox did not start" >&2
    exit 1
  fi
  export OFDKIT_TEST_BASE_URL OFDKIT_TEST_SLOW_BASE_URL
}
