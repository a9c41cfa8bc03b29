"""How fast a big scan's HTML report opens in a browser.

Generates a made-up corpus (tests/synthetic.py), scans it, writes the JSON
and HTML reports, then opens both in Debian's headless Chromium (Playwright)
and times, median of several loads:

* the HTML report until its script has built the page (``body[data-ready]``);
* the peer: the same scan's JSON report (``--format json``) opened as a file;
* opening the first pair's side-by-side view (built on demand).

    python benchmarks/html_report.py --articles 5000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from dedup import Settings, load, scan  # noqa: E402
from dedup.render_html import scan_page  # noqa: E402
from dedup.report import write_json  # noqa: E402

import synthetic  # noqa: E402

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        news = synthetic.write_jsonl(folder / "news.jsonl", args.articles)
        articles, _ = load([str(news)])
        t0 = time.perf_counter()
        report = scan(articles, Settings())
        t1 = time.perf_counter()
        page = scan_page(report, Settings().to_dict())
        t2 = time.perf_counter()
        html, js = folder / "report.html", folder / "report.json"
        html.write_text(page, encoding="utf-8")
        with open(js, "w", encoding="utf-8") as out:
            write_json(report, out, Settings().to_dict())
        print(f"{len(report.documents)} articles, {len(report.pairs)} pairs; scan {t1 - t0:.2f} s, "
              f"HTML built in {t2 - t1:.2f} s; HTML {html.stat().st_size / 1e6:.1f} MB, "
              f"JSON {js.stat().st_size / 1e6:.1f} MB")
        ready, peer, opened = [], [], []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium, args=ARGS)
            for _ in range(args.runs):
                tab = browser.new_page(viewport={"width": 1300, "height": 900})
                start = time.perf_counter()
                tab.goto(html.as_uri())
                tab.wait_for_selector("body[data-ready]", timeout=300_000)
                ready.append(time.perf_counter() - start)
                start = time.perf_counter()
                tab.click("details.pair >> nth=0 >> summary")
                tab.wait_for_selector("details.pair[open] .pair-view mark.span")
                opened.append(time.perf_counter() - start)
                tab.close()
                tab = browser.new_page(viewport={"width": 1300, "height": 900})
                start = time.perf_counter()
                tab.goto(js.as_uri(), wait_until="load", timeout=300_000)
                peer.append(time.perf_counter() - start)
                tab.close()
            browser.close()
    r, p, o = statistics.median(ready), statistics.median(peer), statistics.median(opened)
    print(f"HTML report ready: {r:.2f} s (median of {args.runs}); JSON report opened: {p:.2f} s; "
          f"ratio HTML/JSON {r / p:.2f}; first pair view opened in {o * 1000:.0f} ms")


if __name__ == "__main__":
    main()
