"""CI smoke check of the Streamlit app (a script, not a test module: ``make app-smoke``).

    THEMATIC_PROJECT=sample.thematic python tests/smoke_app.py --port 8599

Starts ``streamlit run app.py`` on ``$THEMATIC_PROJECT``, waits for ``/_stcore/health``, loads
the page once in headless Chromium and checks that the project's name (the Overview title)
and the navigation are in the rendered DOM, then stops the server. Exits non-zero with a
message on any failure.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def fail(message: str) -> None:
    print(f"smoke_app: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


class AppNotServing(RuntimeError):
    """Streamlit exited or did not answer its health check in time."""


def wait_healthy(base: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AppNotServing(f"streamlit exited with code {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise AppNotServing(f"no answer from {base}/_stcore/health within {timeout:.0f} s:\n{log.read_text()}")


@contextmanager
def serve_app(project: str | Path, port: int, log: Path, timeout: float = 60.0) -> Iterator[str]:
    """Run ``streamlit run app.py`` on ``project``; yield its base URL once healthy; stop it."""
    base = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env={**os.environ, "THEMATIC_PROJECT": str(project)},
            stdout=out, stderr=subprocess.STDOUT,
        )
        try:
            wait_healthy(base, proc, log, timeout)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def rendered_text(base: str, timeout: float) -> str:
    """The page's visible text once Streamlit has drawn a title (Playwright, Debian's Chromium)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(base)
            page.wait_for_selector("h1", timeout=timeout * 1000)
            return page.inner_text("body")
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8599)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the app")
    args = parser.parse_args()

    project = os.environ.get("THEMATIC_PROJECT", str(ROOT / "sample.thematic"))
    if not Path(project).exists():
        fail(f"no project at {project}: build it with `make sample` or set THEMATIC_PROJECT")
    if not CHROMIUM.exists():
        fail(f"{CHROMIUM} is missing: install Debian's Chromium with `make browser`")
    from thematic import Project

    with Project.open(project) as p:
        title = p.name

    log = Path(tempfile.mkstemp(prefix="smoke_app_", suffix=".log")[1])
    try:
        with serve_app(project, args.port, log, args.timeout) as base:
            text = rendered_text(base, args.timeout)
    except Exception as error:  # noqa: BLE001 - any failure is a failed smoke check
        fail(f"{type(error).__name__}: {error}")
    missing = [t for t in (title, "Transcripts", "Review", "Codebook") if t not in text]
    if missing:
        fail(f"the page at {base} lacks {missing}; it shows:\n{text[:2000]}")
    if "Traceback" in text or "Cannot open the project" in text:
        fail(f"the app shows an error:\n{text[:2000]}")
    print(f"smoke_app: ok: {base} serves {title!r} from {project}")
    log.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
