"""Two 20 MiB writeback bodies at once while a client reads a history every
10 ms: answer times, the GETs' latency, the relay's peak memory.

    cargo build --profile relay -p writeback-relay
    cargo run --release --bin writeback -- demo-data --students 2000 --seed 1 --out /tmp/demo2k
    python3 benches/relay/big_bodies.py /tmp/demo2k
"""
import json, os, tempfile, threading, time, urllib.request, subprocess, sys
root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
keys = tempfile.mkdtemp()
subprocess.run(["cargo", "run", "-q", "--bin", "writeback", "--", "keys", "--out", keys + "/k"], cwd=root, check=True, stdout=subprocess.DEVNULL)
keys = keys + "/k"
port = 8216
relay = subprocess.Popen([root + "/target/relay/writeback-relay", "--listen", f"127.0.0.1:{port}", "--demo", sys.argv[1],
    "--data-dir", tempfile.mkdtemp(), "--auth-public-key", keys + "/verify.pem", "--demo-signing-key", keys + "/signing.pem",
    "--reload-interval-seconds", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
def hwm():
    for l in open(f"/proc/{relay.pid}/status"):
        if l.startswith("VmHWM"): return int(l.split()[1]) // 1024
for _ in range(300):
    try: urllib.request.urlopen(f"http://127.0.0.1:{port}/demo/token"); break
    except Exception: time.sleep(0.1)
tok = urllib.request.urlopen(f"http://127.0.0.1:{port}/demo/token").read().decode()
H = {"Authorization": "Bearer " + tok, "Content-Type": "application/json"}
apps = [a["id"] for a in json.loads(urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/api/applications", headers=H)).read()) if a["status"] == "approved"]
base = hwm()
text = ("100234\t101\t" + "x" * 90 + "\n") * (20 * 1024 * 1024 // 104)
body = json.dumps({"decisions": {}, "today": time.strftime("%Y-%m-%d", time.gmtime()), "files": [{"kind": "students", "text": text}]}).encode()
print(f"body: {len(body) / 2**20:.1f} MiB; relay peak before: {base} MiB")
results = []
def post():
    t = time.perf_counter()
    try: urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/api/applications/{apps[0]}/writeback", data=body, headers={**H, "Idempotency-Key": os.urandom(16).hex()}))
    except urllib.error.HTTPError as e: results.append((e.code, time.perf_counter() - t))
threads = [threading.Thread(target=post) for _ in range(2)]
gets = []
stop = False
def getter():
    while not stop:
        t = time.perf_counter(); urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/api/applications/{apps[1]}/history", headers=H)).read(); gets.append(time.perf_counter() - t)
        time.sleep(0.01)
g = threading.Thread(target=getter); g.start()
for t in threads: t.start()
for t in threads: t.join()
stop = True; g.join()
gets.sort()
print(f"two concurrent 20 MiB submissions: answers {[(c, round(s, 2)) for c, s in results]} (status, seconds)")
print(f"GETs meanwhile: {len(gets)}, p50 {gets[len(gets)//2]*1000:.1f} ms, max {gets[-1]*1000:.1f} ms")
print(f"relay peak after: {hwm()} MiB (+{hwm() - base} MiB for {2 * len(body) / 2**20:.0f} MiB of bodies)")
relay.kill()
