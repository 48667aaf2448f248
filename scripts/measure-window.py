#!/usr/bin/env python3
"""Measures Token Desk's window against an empty Tauri window, side by side in one run:
cold start to an interactive form (process start until the page says it is ready) and the
memory after load (PSS summed over the app and WebKit's helper processes).

Token Desk draws without accelerated compositing (src-tauri/rendering.rs); the empty window
keeps WebKitGTK's default. So the empty window is also run drawn the same way
(WEBKIT_DISABLE_COMPOSITING_MODE=1, which has the same effect as the setting), for the ratio
of like to like: what the page itself costs.

Both are release builds of the same Tauri and WebKitGTK, run alternately, each with fresh
XDG folders. Needs a display: without DISPLAY it starts its own Xvfb.

Usage: scripts/measure-window.py [RUNS] [--json] [--phases]   (default 10 runs of each; --json
       prints the medians as one JSON object on the last line, for scripts/bench; --phases
       also runs each app RUNS more times under `strace -f` (seccomp-filtered: only the few
       system calls below stop the process) and prints, as medians, when each start-up phase
       begins: the first D-Bus connection of the app process, the display connection
       (GTK starts), WebKit's network and web processes, the page's first file and `ready`)
"""
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
RUNS = int(ARGS[0]) if ARGS else 10
JSON = "--json" in sys.argv
PHASES = "--phases" in sys.argv
EMPTY = os.path.join(ROOT, "target", "release", "examples", "empty_window")
# Each app: its binary, and what its process gets on top of the environment.
APPS = {
    "Token Desk": (os.path.join(ROOT, "target", "release", "token-desk-app"), {}),
    "empty Tauri window": (EMPTY, {}),
    "empty, no compositing": (EMPTY, {"WEBKIT_DISABLE_COMPOSITING_MODE": "1"}),
}


def children_of(pid):
    """Every descendant of pid, WebKitWebProcess and WebKitNetworkProcess included."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                parents.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c in parents.get(p, []):
            out.append(c)
            todo.append(c)
    return out


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def fresh_start(extra_env):
    """A scratch folder and the environment for one start: `extra_env` and fresh XDG folders
    in the scratch folder, so neither window finds caches or settings from an earlier start."""
    scratch = tempfile.mkdtemp()
    env = dict(os.environ, TOKEN_DESK_STARTUP_MARK="1", **extra_env)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[name] = os.path.join(scratch, name)
    return scratch, env


def one_run(app):
    binary, extra_env = app
    scratch, env = fresh_start(extra_env)
    start = time.perf_counter()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    ready = None
    for line in proc.stdout:
        if line.strip() == "ready":
            ready = (time.perf_counter() - start) * 1000
            break
    if ready is None:
        raise SystemExit(f"{binary} exited before it was ready")
    time.sleep(2.0)  # let the page settle before reading memory
    tree = [proc.pid] + children_of(proc.pid)
    pss = sum(pss_kib(p) for p in tree) / 1024
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=10)
    # WebKit's helpers linger a moment after the app exits: let them go before the next run.
    deadline = time.time() + 10
    while time.time() < deadline and any(os.path.exists(f"/proc/{p}") for p in tree[1:]):
        time.sleep(0.1)
    shutil.rmtree(scratch, ignore_errors=True)
    return ready, pss, len(tree)


def phases_of_one_run(app):
    """Milliseconds from exec to each start-up event, read off an strace of one start."""
    binary, extra_env = app
    scratch, env = fresh_start(extra_env)
    trace = os.path.join(scratch, "trace")
    cmd = ["strace", "-f", "--seccomp-bpf", "-ttt", "-e", "trace=execve,connect,write", "-e", "signal=none",
           "-s", "120", "-o", trace, binary]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:
        if line.strip() == "ready":
            break
    time.sleep(0.5)
    # strace detaches from what it traces when it is stopped: stop the app itself (WebKit's
    # helpers go with it), then strace ends on its own.
    for pid in children_of(proc.pid)[:1]:
        os.kill(pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    events, start, app_pid = {}, None, None
    with open(trace) as f:
        for line in f:
            parts = line.split(None, 2)
            if len(parts) < 3:
                continue
            pid, at, call = int(parts[0]), float(parts[1]), parts[2]
            if start is None and call.startswith("execve("):
                start, app_pid = at, pid
            if start is None:
                continue
            ms = (at - start) * 1000

            def mark(name):
                events.setdefault(name, ms)

            if pid == app_pid and call.startswith("connect(") and "bus" in call:
                mark("first D-Bus connection")
            elif pid == app_pid and call.startswith("connect(") and "X11-unix" in call:
                mark("display connection (GTK starts)")
            elif call.startswith("execve(") and "WebKitNetworkProcess" in call:
                mark("WebKitNetworkProcess started")
            elif call.startswith("execve(") and "WebKitWebProcess" in call:
                mark("WebKitWebProcess started")
            elif pid == app_pid and call.startswith('write(1, "ready') :
                mark("ready (page loaded)")
    shutil.rmtree(scratch, ignore_errors=True)
    return events


def print_phases():
    order = ["first D-Bus connection", "display connection (GTK starts)", "WebKitNetworkProcess started",
             "WebKitWebProcess started", "ready (page loaded)"]
    found = {name: [phases_of_one_run(app) for _ in range(RUNS)] for name, app in APPS.items()}
    print(f"start-up phases under strace, median ms from exec over {RUNS} runs (strace slows each a little)")
    print("| event | " + " | ".join(APPS) + " |")
    print("|---|" + "---|" * len(APPS))
    for event in order:
        cells = []
        for name in APPS:
            times = [run[event] for run in found[name] if event in run]
            cells.append(f"{statistics.median(times):.0f}" if times else "–")
        print(f"| {event} | " + " | ".join(cells) + " |")


def main():
    subprocess.run(
        ["cargo", "build", "--release", "--locked", "--quiet", "-p", "token-desk-app", "--bin", "token-desk-app", "--example", "empty_window"],
        cwd=ROOT,
        check=True,
    )
    xvfb = None
    if not os.environ.get("DISPLAY"):
        os.environ["DISPLAY"] = ":77"
        xvfb = subprocess.Popen(["Xvfb", ":77", "-screen", "0", "1280x800x24", "-nolisten", "tcp"], stderr=subprocess.DEVNULL)
        time.sleep(1)
    try:
        if PHASES:
            print_phases()
        results = {name: ([], []) for name in APPS}
        for app in APPS.values():
            one_run(app)  # warm the disk cache once each
        for _ in range(RUNS):
            for name, app in APPS.items():
                ready, pss, processes = one_run(app)
                results[name][0].append(ready)
                results[name][1].append(pss)
    finally:
        if xvfb:
            xvfb.terminate()

    print(f"runs: {RUNS} of each, alternating, release builds, {processes} processes per app")
    med = {name: (statistics.median(r[0]), statistics.median(r[1])) for name, r in results.items()}
    for name, (ready, pss) in med.items():
        print(f"{name:20} start to interactive: median {ready:7.0f} ms   PSS after load: median {pss:6.0f} MiB")
    (td_ready, td_pss), (empty_ready, empty_pss) = med["Token Desk"], med["empty Tauri window"]
    flat_ready, flat_pss = med["empty, no compositing"]
    print(f"ratio Token Desk / empty window: start {td_ready / empty_ready:.2f}x, memory {td_pss / empty_pss:.2f}x")
    print(f"ratio Token Desk / empty window without compositing: start {td_ready / flat_ready:.2f}x, memory {td_pss / flat_pss:.2f}x")
    if JSON:
        print(json.dumps({
            "runs": RUNS, "ours_start_ms": td_ready, "empty_start_ms": empty_ready, "start_ratio": td_ready / empty_ready,
            "ours_pss_mib": td_pss, "empty_pss_mib": empty_pss, "pss_ratio": td_pss / empty_pss,
            "flat_start_ms": flat_ready, "flat_pss_mib": flat_pss,
            "flat_start_ratio": td_ready / flat_ready, "flat_pss_ratio": td_pss / flat_pss,
        }))


if __name__ == "__main__":
    main()
