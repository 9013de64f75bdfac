"""A real browser for the dashboard: the Streamlit server and headless Chromium as subprocesses, and a
minimal DevTools-protocol client (over the `websockets` package, a dependency of Streamlit itself).

Why the DevTools protocol and not `chromium --dump-dom --virtual-time-budget`: Streamlit renders in the
browser from messages on a websocket, and virtual time does not wait for the network, so a dump shows
only the skeleton. Over the protocol we poll the live page until the leaderboard is drawn, then take
the screenshot from the same page. No browser download: Debian's /usr/bin/chromium is driven directly.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)  # fmt: skip
DEVTOOLS_RE = re.compile(r"DevTools listening on (ws://\S+)")


def chromium_path() -> str:
    """Debian's chromium; a clear failure (not a skip) when it is missing."""
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path is None:
        raise RuntimeError(
            "chromium is not installed: the browser test needs Debian's chromium. "
            "Run `bash tests/browser/ensure_chromium.sh` (as root), or `make test`, which does it."
        )
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop(proc: subprocess.Popen[Any]) -> None:
    """End a process started by these helpers and its children (its own session) by its id."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=10)


def wait_healthy(url: str, proc: subprocess.Popen[Any], log: Path, timeout_s: float = 90) -> None:
    """Until Streamlit's health endpoint answers "ok" (or the server died: show its log)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer within {timeout_s:g} s:\n{log.read_text()[-3000:]}")


@contextmanager
def streamlit_server(app: Path, db: Path, log: Path) -> Iterator[str]:
    """`streamlit run APP --server.headless true --server.port P -- --db DB` on 127.0.0.1; yields its URL."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        "--", "--db", str(db),
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "CLAIMTRACK_DB"}  # the --db argument must be what counts
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, proc, log)
        yield url
    finally:
        stop(proc)


class Page:
    """One browser tab over the DevTools protocol: send a command, get its result (events are skipped)."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.ids = itertools.count(1)

    def send(self, method: str, timeout_s: float = 30, **params: Any) -> dict[str, Any]:
        msg_id = next(self.ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout_s
        while True:
            reply = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if reply.get("id") == msg_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout_s: float = 60) -> Any:
        """Poll a JavaScript expression until it is truthy (Streamlit draws asynchronously)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.5)
        raise TimeoutError(f"page never satisfied {expression!r}; its text: {self.text()[:2000]!r}")

    def text(self) -> str:
        return str(self.evaluate("document.body ? document.body.innerText : ''") or "")

    def screenshot(self, path: Path) -> None:
        """The window as PNG (Streamlit scrolls inside its own container, so size the window to the page)."""
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=False)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))


def _devtools_url(proc: subprocess.Popen[str], timeout_s: float = 30) -> str:
    """The browser's DevTools websocket, read from Chromium's stderr ("DevTools listening on ws://...")."""
    assert proc.stderr is not None
    deadline = time.monotonic() + timeout_s
    seen: list[str] = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line and proc.poll() is not None:
            break
        seen.append(line)
        if m := DEVTOOLS_RE.search(line):
            # keep reading Chromium's chatter (dbus warnings...) so a full pipe never blocks it
            threading.Thread(target=proc.stderr.read, daemon=True).start()
            return m.group(1)
    raise RuntimeError("chromium did not start its DevTools endpoint:\n" + "".join(seen[-30:]))


@contextmanager
def chromium_page(profile: Path, width: int = 1400, height: int = 1000) -> Iterator[Page]:
    """A fresh headless Chromium (own profile directory) and its first tab."""
    cmd = [chromium_path(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"]
    proc = subprocess.Popen(
        [*cmd, "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        browser_ws = _devtools_url(proc)
        port = re.search(r":(\d+)/", browser_ws).group(1)  # type: ignore[union-attr]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            targets = [t for t in json.load(r) if t.get("type") == "page"]
        with connect(targets[0]["webSocketDebuggerUrl"], max_size=None, open_timeout=10) as ws:
            page = Page(ws)
            page.send("Page.enable")
            page.send(
                "Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False
            )
            yield page
    finally:
        stop(proc)
