#!/usr/bin/env bash
# Relay start-up, memory and review-data serving times over HTTP (loopback).
#
#   cargo build --profile relay -p writeback-relay
#   cargo run --release --bin writeback -- demo-data --students 500000 --seed 1 --out /tmp/demo500k
#   benches/relay/measure.sh /tmp/demo500k 8214
#
# Starts the relay on DEMO (with a fresh key pair and data folder), times it
# until it answers, reads VmRSS/VmHWM, then fetches the review data of the
# first 300 approved applications one at a time and prints p50/p95/max of
# the time and the size (and the largest gzipped size of a sample).
set -euo pipefail
DEMO=$1
PORT=${2:-8214}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$ROOT/target/relay/writeback-relay}
WORK=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$WORK"' EXIT
"$ROOT/target/release/writeback" keys --out "$WORK/keys" >/dev/null 2>&1 || cargo run -q --bin writeback -- keys --out "$WORK/keys" >/dev/null
start=$(date +%s.%N)
"$BIN" --listen "127.0.0.1:$PORT" --demo "$DEMO" --data-dir "$WORK/data" --auth-public-key "$WORK/keys/verify.pem" \
  --demo-signing-key "$WORK/keys/signing.pem" --reload-interval-seconds 0 > "$WORK/relay.log" 2>&1 &
pid=$!
for _ in $(seq 1 1200); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/demo/token" && break
  kill -0 $pid 2>/dev/null || { cat "$WORK/relay.log"; exit 1; }
  sleep 0.1
done
end=$(date +%s.%N)
echo "start-up: $(echo "$end - $start" | bc) s"
grep -E "VmRSS|VmHWM" /proc/$pid/status
python3 - "$PORT" <<'PY'
import json, sys, time, urllib.request
port = sys.argv[1]
tok = urllib.request.urlopen(f"http://127.0.0.1:{port}/demo/token").read().decode()
get = lambda path, **h: urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": "Bearer " + tok, **h})).read()
apps = [a["id"] for a in json.loads(get("/api/applications")) if a["status"] == "approved"][:300]
times, sizes, gz = [], [], []
for i, a in enumerate(apps):
    t = time.perf_counter(); body = get(f"/api/applications/{a}/review"); times.append((time.perf_counter() - t) * 1000); sizes.append(len(body))
    if i % 50 == 0:
        gz.append(len(get(f"/api/applications/{a}/review", **{"Accept-Encoding": "gzip"})))
times.sort(); sizes.sort()
q = lambda v, p: v[min(len(v) - 1, int(len(v) * p))]
print(f"review data over HTTP, {len(times)} approved applications: p50 {q(times,.5):.1f} ms, p95 {q(times,.95):.1f} ms, max {times[-1]:.1f} ms")
print(f"size: p50 {q(sizes,.5)} B, p95 {q(sizes,.95)} B, max {sizes[-1]} B; gzipped (sample of {len(gz)}): max {max(gz)} B")
PY
grep -E "VmRSS|VmHWM" /proc/$pid/status
