#!/usr/bin/env python3
"""Times `token-desk token` (a whole process, a fresh token each time) against the cURL
command from Stitch's client-token page, on the same local simulator, alternating the two,
and prints the medians and their ratio.

Usage: scripts/bench-cli-vs-curl.py [RUNS] [--profile [--miss]] [--json] [--bin PATH]
       (builds the release binary first, unless --bin names another build to time, e.g. a
       copy of an older one for a before/after figure; --json prints the medians as one JSON
       object on the last line, for scripts/bench)

With --profile it times a *cached* `token-desk token --profile NAME` instead (the token comes
from the kernel's copy of the OS keyring's entry, the secret is not read); with --profile
--miss it times `token-desk token --profile NAME --fresh`, a token the cache does not serve:
the secret is read from the Secret Service, a token requested, and it and the index written
back (the path one Secret Service connection per process speeds up). Both need a Secret
Service, e.g.:
  XDG_DATA_HOME=$(mktemp -d) dbus-run-session -- sh -c 'eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)"; scripts/bench-cli-vs-curl.py 100 --profile'
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN_GIVEN = sys.argv[sys.argv.index("--bin") + 1] if "--bin" in sys.argv else None
ARGS = [a for a in sys.argv[1:] if not a.startswith("--") and a != BIN_GIVEN]
PROFILE = "--profile" in sys.argv
MISS = PROFILE and "--miss" in sys.argv
JSON = "--json" in sys.argv
RUNS = int(ARGS[0]) if ARGS else 200
BIN = os.path.abspath(BIN_GIVEN) if BIN_GIVEN else os.path.join(ROOT, "target", "release", "token-desk")
CLIENT = "test-5e1f6c0a-8d4b-4a3e-9c71-2b0d9f3e6a58"
SECRET = "simulator-demo-secret-not-for-stitch"
SCOPE = "client_paymentrequest"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_both(sim, url):
    """Waits for `sim` to listen, saves the profile (with --profile), then times the seed's
    cURL command and ours alternately: each run's ms, and what ours is called."""
    for line in sim.stdout:
        if line.startswith("Press Ctrl+C"):
            break

    # The seed's command, word for word but for the URL.
    curl = [
        "curl", "--silent", "--show-error", "--fail", "--location", "--request", "POST", url,
        "--header", "Content-Type: application/x-www-form-urlencoded",
        "--data-urlencode", "grant_type=client_credentials",
        "--data-urlencode", f"client_id={CLIENT}",
        "--data-urlencode", f"audience={url}",
        "--data-urlencode", f"scope={SCOPE}",
        "--data-urlencode", f"client_secret={SECRET}",
    ]
    ours = [BIN, "token", "--token-url", url, "--client-id", CLIENT, "--scope", SCOPE, "--secret-stdin", "--fresh"]
    label = "token-desk token --fresh"
    if PROFILE:
        add = [BIN, "profile", "add", "bench", "--client-id", CLIENT, "--scope", SCOPE, "--token-url", url, "--secret-stdin"]
        subprocess.run(add, input=SECRET.encode(), check=True, stdout=subprocess.DEVNULL)
        ours = [BIN, "token", "--profile", "bench"]
        subprocess.run(ours, check=True, stdout=subprocess.DEVNULL)  # the token every later run reuses
        label = "token-desk token --profile (cached)"
        if MISS:
            ours = ours + ["--fresh"]
            label = "token-desk token --profile --fresh"

    def timed(cmd, stdin):
        start = time.perf_counter_ns()
        out = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
        elapsed = time.perf_counter_ns() - start
        assert out.stdout.strip(), "a token came back"
        return elapsed / 1e6

    for _ in range(10):  # warm up caches on both sides
        timed(curl, None)
        timed(ours, None if PROFILE else SECRET.encode())
    t_curl, t_ours = [], []
    for _ in range(RUNS):
        t_curl.append(timed(curl, None))
        t_ours.append(timed(ours, None if PROFILE else SECRET.encode()))
    return t_curl, t_ours, label


def main():
    if not BIN_GIVEN:
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet", "-p", "token-desk-cli"], cwd=ROOT, check=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}/connect/token"
    scratch = tempfile.mkdtemp()
    env = dict(os.environ, XDG_DATA_HOME=scratch, XDG_CONFIG_HOME=os.path.join(scratch, "config"), XDG_RUNTIME_DIR=scratch)
    os.environ.update({k: env[k] for k in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR")})
    sim = subprocess.Popen([BIN, "simulate", "--port", str(port)], stdout=subprocess.PIPE, env=env, text=True)
    try:
        t_curl, t_ours, label = time_both(sim, url)
    finally:
        # Also when a set-up step fails: a simulator left running would hold the caller's output.
        sim.terminate()
        sim.wait()

    m_curl, m_ours = statistics.median(t_curl), statistics.median(t_ours)
    if JSON:
        print(json.dumps({"runs": RUNS, "curl_ms": m_curl, "ours_ms": m_ours, "ratio": m_ours / m_curl}))
        return
    print(f"runs: {RUNS} each, alternating, same simulator on 127.0.0.1")
    print(f"{'curl (seed command)':36}median {m_curl:.2f} ms")
    print(f"{label:36}median {m_ours:.2f} ms")
    print(f"{'ratio token-desk / curl':36}{m_ours / m_curl:.2f}x" + ("" if PROFILE else " (target <= 1.2x)"))


if __name__ == "__main__":
    main()
