"""A SIGKILLed `tracker load --jobs 2` leaves no process behind: workers, forkserver and resource tracker
end with it (tracker/lifetime.py). Before, all four lived on for minutes after every kill.

The load runs as a subprocess on a few thousand real abstracts (enough to keep two workers busy);
once its worker processes exist it is killed with SIGKILL, and every process that descended from it
must be gone (or a zombie waiting to be reaped) within a few seconds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

from conftest import ROOT, load_real_abstracts, tracker_cmd, tracker_env
from proc_util import descendants
from tracker.lifetime import process_alive


def test_sigkill_of_a_parallel_load_leaves_no_process(tmp_path):
    abstracts = load_real_abstracts()
    src = tmp_path / "papers.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for k in range(6000):
            title, abstract = abstracts[k % len(abstracts)]
            fh.write(json.dumps({"id": f"orph-{k:05d}", "title": f"{title} ({k})", "abstract": abstract}) + "\n")
    proc = subprocess.Popen(
        tracker_cmd("load", src, "--db", tmp_path / "o.duckdb", "--jobs", "2", "-q"),
        cwd=ROOT, env=tracker_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        helpers: set[int] = set()
        deadline = time.monotonic() + 90
        # forkserver + resource tracker + 2 workers: wait until the workers run
        while time.monotonic() < deadline and proc.poll() is None:
            helpers = descendants(proc.pid)
            if len(helpers) >= 4:
                break
            time.sleep(0.2)
        assert proc.poll() is None, f"the load ended before its workers were seen: {proc.stderr.read()[-2000:]!r}"
        assert len(helpers) >= 4, f"expected forkserver, resource tracker and 2 workers, saw {sorted(helpers)}"
        time.sleep(0.5)  # let the workers get into their first chunks
        helpers |= descendants(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(process_alive(p) for p in helpers):
            time.sleep(0.1)
        alive = sorted(p for p in helpers if process_alive(p))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    for p in alive:  # do not leave them to the next test
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert not alive, f"still running 5 s after the load was SIGKILLed: {alive}"
