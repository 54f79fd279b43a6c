#!/usr/bin/env bash
# Bounded load test of `pneumonia serve` on 127.0.0.1 with `hey` (Debian: apt-get install hey).
#
#   Benchmarks/load/run.sh RUN_DIR [XRAY.jpeg]
#   REQUESTS=500 CONCURRENCY=8 HEATMAP=0 Benchmarks/load/run.sh runs/pneumonia
#
# Starts the release `pneumonia serve` on a free loopback port, checks one prediction, sends
# REQUESTS predictions of a real chest X-ray (raw JPEG body) with CONCURRENCY clients, then
# stops the server with SIGTERM (graceful shutdown). Prints hey's summary and one line:
# requests, errors, requests/s, p50 and p99 latency. Exits non-zero if any request failed.
# Every request goes to 127.0.0.1 only; the run stops by itself after REQUESTS requests (or
# TIMEOUT seconds). Not used by CI. Client and server share the machine's cores.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
run=${1:?usage: run.sh RUN_DIR [XRAY]}
xray=${2:-${FATHOM_DATA:-$root/../shared/data}/chest_xray_val_original/PNEUMONIA/person1946_bacteria_4874.jpeg}
requests=${REQUESTS:-500}
concurrency=${CONCURRENCY:-8}
heatmap=${HEATMAP:-0}
# hey sends REQUESTS / CONCURRENCY from each client, rounding down: round up instead, so that
# at least REQUESTS are sent (500 at concurrency 8 sends 504).
requests=$(( (requests + concurrency - 1) / concurrency * concurrency ))
timeout=${TIMEOUT:-600}
pneumonia=${PNEUMONIA_BIN:-$root/.build/release/pneumonia}

command -v hey > /dev/null || { echo "hey not found: apt-get install hey" >&2; exit 1; }
[ -x "$pneumonia" ] || { echo "no pneumonia binary at $pneumonia: swift build -c release --product pneumonia (or set PNEUMONIA_BIN)" >&2; exit 1; }
[ -f "$xray" ] || { echo "no X-ray at $xray" >&2; exit 1; }

work=$(mktemp -d)
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# Quiet logs: one line per request would cost the server more than the test measures.
"$pneumonia" serve --model "$run" --host 127.0.0.1 --port 0 --log-level notice > "$work/server.log" 2>&1 &
server_pid=$!
url=
for _ in $(seq 1 300); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/server.log" | head -n 1 || true)
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.1
done
[ -n "$url" ] || { echo "the server did not start" >&2; cat "$work/server.log" >&2; exit 1; }

endpoint="$url/api/v1/predict"
[ "$heatmap" = 1 ] && endpoint="$endpoint?heatmap=1"
curl -sf --max-time 60 -H 'Content-Type: image/jpeg' --data-binary "@$xray" "$endpoint" > "$work/first.json" \
    || { echo "the first prediction failed" >&2; exit 1; }
echo "server: $url  model: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["model"])' "$work/first.json")"
echo "image: $xray ($(stat -c %s "$xray") bytes)  requests: $requests  concurrency: $concurrency  heatmap: $heatmap  cores: $(nproc)"

timeout "$timeout" hey -n "$requests" -c "$concurrency" -m POST -T image/jpeg -D "$xray" -t 60 "$endpoint" | tee "$work/hey.txt"

python3 - "$work/hey.txt" "$requests" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
expected = int(sys.argv[2])
ok = sum(int(n) for n in re.findall(r"\[200\]\s+(\d+) responses", text))
other = sum(int(n) for code, n in re.findall(r"\[(\d+)\]\s+(\d+) responses", text) if code != "200")
errors = sum(int(n) for n in re.findall(r"\[(\d+)\]\s+.*?$", text[text.find("Error distribution"):], re.M)) if "Error distribution" in text else 0
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = float(re.search(r"50% in ([\d.]+) secs", text).group(1)) * 1000
# hey leaves the 99th percentile out when there are too few requests to have one: use the
# slowest request then, and say so.
p99_match = re.search(r"99% in ([\d.]+) secs", text)
p99_label = "p99" if p99_match else "max"
p99 = float((p99_match or re.search(r"Slowest:\s+([\d.]+) secs", text)).group(1)) * 1000
failed = (expected - ok) + other + errors
print(f"\nresult: {ok}/{expected} OK, {failed} errors, {rate:.1f} requests/s, p50 {p50:.1f} ms, {p99_label} {p99:.1f} ms")
sys.exit(1 if failed else 0)
PY
