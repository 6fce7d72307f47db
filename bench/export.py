"""Print how long exports take on the sample store: one figure (PNG, SVG), the whole page, the lägesrapport (model,
Word, PDF), cold and warm.

    .venv/bin/python bench/export.py [--repeat 3] [--month 2024-06]

Cold is the first export of a process: it starts kaleido's browser (figures, report charts) and, for the PDF, the
shared Chromium of dashboard.export.page. Warm is every export after that, which is what a button costs.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from lagesbild.demo import build_demo_store
from lagesbild.settings import sqlite_url
from lagesbild.store.db import make_engine


def _timed(step):
    started = time.perf_counter()
    result = step()
    return result, time.perf_counter() - started


def bench_figure(db_url: str, repeat: int = 3) -> dict[str, float]:
    """Seconds for one figure export (Händelser per månad, Tantolunden, jan–jun 2024) as
    dashboard.export.figure_download
    makes it: the caption's query and the image. Cold is the first PNG (it starts kaleido's browser); warm is
    the median of `repeat` later ones."""
    from lagesbild import queries
    from lagesbild.captions import page_caption
    from lagesbild.charts.figures import category_time_series
    from lagesbild.filters import FilterState
    from lagesbild.render.figure_image import figure_image

    build_demo_store(db_url)
    engine = make_engine(db_url)
    state = FilterState(("tantolunden",), date(2024, 1, 1), date(2024, 6, 1))
    monthly = queries.monthly(engine, "incidents", by="category", place_ids=state.places,
                              month_from=state.month_from, month_to=state.month_to)
    fig = category_time_series(monthly, "incidents", "sv", height=520)

    def one(fmt: str) -> bytes:
        caption = page_caption(engine, "handelser", state, {"tantolunden": "Tantolunden"}, "sv",
                               figure_title="Händelser per månad")
        return figure_image(fig, caption, fmt)

    png, cold = _timed(lambda: one("png"))
    table = {"PNG cold (starts the browser)": cold}
    for fmt in ("png", "svg"):
        table[f"{fmt.upper()} warm p50"] = statistics.median(_timed(lambda fmt=fmt: one(fmt))[1] for _ in range(repeat))
    print(f"one figure (Händelser per månad), {repeat} warm runs; PNG {len(png) / 1e3:.0f} kB")
    for step, seconds in table.items():
        print(f"{step:<32} {seconds:>6.2f} s")
    return table


PAGE_VIEW = "?place=tantolunden&from=2024-01&to=2024-06"
PAGE_PATHS = ("/handelser", "/karta")


def bench_page(db_url: str, repeat: int = 3) -> dict[str, dict[str, float]]:
    """Seconds for one whole-page export (dashboard.export.page) of Händelser and Karta, Tantolunden jan–jun 2024,
    served by a local server: the PNG as a user gets it (click in headless Chromium -> download saved: html-to-image
    in the browser, the caption's request), and the PDF as the menu fetches it (the server's Chromium). Cold is the
    first of each (html-to-image loaded; the server's browser started); warm the median of `repeat` later ones."""
    import threading
    import urllib.request

    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from dashboard.app import create_app
    from dashboard.export.page import CHROMIUM, CHROMIUM_ARGS

    server = make_server("127.0.0.1", 0, create_app(build_demo_store(db_url)).server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    table: dict[str, dict[str, float]] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            for path in PAGE_PATHS:
                page.goto(base + path + PAGE_VIEW, wait_until="networkidle")
                page.wait_for_function("() => window.lagesbildExport && window.lagesbildExport.isReady()")
                runs = [_timed(lambda: _page_png(page))[1] for _ in range(repeat + 1)]
                table[f"PNG {path}"] = {"cold": runs[0], "warm p50": statistics.median(runs[1:])}
            browser.close()
        for path in PAGE_PATHS:
            url = f"{base}/export/page.pdf{PAGE_VIEW}&path={path}"
            runs = [_timed(lambda url=url: urllib.request.urlopen(url, timeout=120).read())[1]
                    for _ in range(repeat + 1)]
            table[f"PDF {path}"] = {"cold": runs[0], "warm p50": statistics.median(runs[1:])}
    finally:
        server.shutdown()
    print(f"whole page, Tantolunden jan–jun 2024, {repeat} warm runs (PNG at 1920 px, 2x; PDF A4 landscape)")
    print(f"{'export':<18} {'cold s':>8} {'warm p50 s':>11}")
    for step, row in table.items():
        print(f"{step:<18} {row['cold']:>8.2f} {row['warm p50']:>11.2f}")
    return table


def _page_png(page) -> int:
    """Click Exportera -> PNG and wait for the file; its size in bytes."""
    page.get_by_role("button", name="Exportera").click()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_text("Sidan som bild (PNG)", exact=True).click()
    return Path(download.value.path()).stat().st_size


def bench_report(db_url: str, month: date = date(2024, 6, 1), repeat: int = 3) -> dict[str, dict[str, float]]:
    """Seconds for each step of the lägesrapport: the first (cold) run and the median of `repeat` warm runs."""
    from lagesbild.render.report import report_bytes
    from lagesbild.report.build import build_report

    settings = build_demo_store(db_url)
    engine = make_engine(db_url)
    runs: list[dict[str, float]] = []
    sizes: dict[str, int] = {}
    for _ in range(repeat + 1):
        report, model = _timed(lambda: build_report(engine, settings, month))
        docx, docx_s = _timed(lambda report=report: report_bytes(report, "docx"))
        pdf, pdf_s = _timed(lambda report=report: report_bytes(report, "pdf"))
        _, data_s = _timed(lambda: build_report(engine, settings, month, charts=False))
        runs.append({"model (no charts)": data_s, "charts": max(model - data_s, 0.0), "model": model,
                     "docx": docx_s, "pdf": pdf_s, "total docx": model + docx_s, "total pdf": model + pdf_s})
        sizes = {"docx": len(docx), "pdf": len(pdf), "pdf pages": _pages(pdf), "charts": len(report.charts)}
    cold, warm = runs[0], runs[1:]
    table = {step: {"cold": cold[step], "warm p50": statistics.median(run[step] for run in warm)} for step in cold}
    print(f"lägesrapport {month:%Y-%m}, sample store, {repeat} warm runs "
          f"({sizes['charts']} charts; docx {sizes['docx'] / 1e3:.0f} kB; pdf {sizes['pdf'] / 1e3:.0f} kB, "
          f"{sizes['pdf pages']} pages)")
    print(f"{'step':<18} {'cold s':>8} {'warm p50 s':>11}")
    for step, row in table.items():
        print(f"{step:<18} {row['cold']:>8.2f} {row['warm p50']:>11.2f}")
    return table


def _pages(pdf: bytes) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:
        return -1
    return len(PdfReader(io.BytesIO(pdf)).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--month", default="2024-06", help="YYYY-MM")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = sqlite_url(Path(tmp) / "bench.sqlite")
        bench_figure(url, args.repeat)
        bench_page(url, args.repeat)
        bench_report(url, date.fromisoformat(args.month + "-01"), args.repeat)


if __name__ == "__main__":
    main()
