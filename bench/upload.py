"""Print how long "Läs in filer" takes for a CSV of about 100 000 rows: from the drop to the preview on the page, and
from "Läs in" to loaded, beside the CLI's `lagesbild load` of the same file into a store in the same state.

Goal (issue 11): the preview within 5 s, the load within the CLI's time plus 20 %. A real `lagesbild serve` and
headless Chromium (Debian's /usr/bin/chromium), a store of its own under a temporary directory.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lagesbild.samples import write_sample_data
from lagesbild.settings import sqlite_url

PASSWORD = "kvarnhjul blåbär granit tulpan"
SAMPLE_ROWS = 2931  # rows of est_rapporter at scale 1


def lagesbild(*args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lagesbild", *args], check=True, capture_output=True, text=True,
                          **options)


def big_csv(folder: Path, rows: int) -> Path:
    paths = write_sample_data(folder, seed=2023, scale=rows / SAMPLE_ROWS)
    return next(p for p in paths if p.name.startswith("est_rapporter"))


def fresh_store(folder: Path, name: str) -> str:
    url = sqlite_url(folder / f"{name}.sqlite")
    lagesbild("init", "--db", url)
    return url


def cli_seconds(path: Path, url: str) -> float:
    started = time.perf_counter()
    lagesbild("load", str(path), "--db", url)
    return time.perf_counter() - started


def web_seconds(path: Path, url: str, port: int, folder: Path) -> tuple[float, float, str]:
    from playwright.sync_api import sync_playwright

    lagesbild("user", "add", "steward", "--role", "dataansvarig", "--password-stdin", "--db", url,
              input=PASSWORD + "\n")
    env = {**os.environ, "LAGESBILD_SECRET_KEY": "bench secret, not for production",
           "LAGESBILD_UPLOAD_DIR": str(folder / "uploads")}
    server = subprocess.Popen([sys.executable, "-m", "lagesbild", "serve", "--db", url, "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            for _ in range(100):
                try:
                    page.goto(base + "/data", wait_until="networkidle")
                    break
                except Exception:  # the server is still starting
                    time.sleep(0.3)
            page.fill("#username", "steward")
            page.fill("#password", PASSWORD)
            page.click("#login-submit")
            page.wait_for_selector("#intake-upload")
            started = time.perf_counter()
            page.set_input_files("#intake-upload input[type=file]", str(path))
            page.wait_for_selector("#intake-0-inserted", timeout=300_000)
            preview = time.perf_counter() - started
            shown = page.inner_text("#intake-0-inserted")
            started = time.perf_counter()
            page.click("#intake-load")
            page.wait_for_selector("#intake-loaded-summary", timeout=600_000)
            loaded = time.perf_counter() - started
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return preview, loaded, shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--port", type=int, default=8141)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lagesbild-bench-upload-") as name:
        folder = Path(name)
        path = big_csv(folder / "files", args.rows)
        lines = sum(1 for _ in path.open("rb")) - 1
        print(f"{path.name}: {lines:,} rows, {path.stat().st_size / 2**20:.1f} MB")
        cli = cli_seconds(path, fresh_store(folder, "cli"))
        preview, loaded, shown = web_seconds(path, fresh_store(folder, "web"), args.port, folder)
        print(f"drop -> preview on the page  {preview:6.1f} s   (goal: 5 s)  [{shown} new rows shown]")
        print(f"'Läs in' -> loaded           {loaded:6.1f} s   (goal: {cli * 1.2:.1f} s, the CLI's plus 20 %)")
        print(f"lagesbild load (CLI)         {cli:6.1f} s   (process start included)")


if __name__ == "__main__":
    main()
