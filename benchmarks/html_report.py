"""How fast a big scan's HTML report opens in a browser, and screenshots of its views.

Generates a made-up corpus (tests/synthetic.py), scans it, writes the JSON
and HTML reports, then opens both in Debian's headless Chromium (Playwright)
and times, median of several loads in turn:

* the HTML report until its script has built the page (``body[data-ready]``);
* the peer: the same scan's JSON report (``--format json``) opened as a file;
* opening the most copied story's view, and the first pair's side-by-side view (built on demand);
* a search for one title.

The goal is a page ready in at most 1.5x the time the bare JSON takes. The
figures replace the "## HTML report of a 5,000-article scan" section of
benchmarks/RESULTS.md (``--no-write`` prints it only).

``--screenshots DIR`` instead scans ``samples/`` and saves the story view,
the outlet view and the pair view of its page as PNG files in DIR (the
README shows those of ``docs/``):

    python benchmarks/html_report.py --articles 5000
    python benchmarks/html_report.py --screenshots docs/
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from benchmarks.results import write_section  # noqa: E402
from dedup import Settings, load, scan  # noqa: E402
from dedup.render_html import scan_page  # noqa: E402
from dedup.report import write_json  # noqa: E402

import synthetic  # noqa: E402

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SECTION = "## HTML report of a 5,000-article scan"
GOAL = 1.5
"""Most the page may take to be ready, in times the bare JSON report takes in the same run."""
WIDTH = 1280


def _chromium(pw: Any, path: str) -> Any:
    return pw.chromium.launch(executable_path=path, args=ARGS)


def measure(articles: int, runs: int, chromium: str) -> dict[str, Any]:
    """Scan a generated corpus and time its two reports in Chromium."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        news = synthetic.write_jsonl(folder / "news.jsonl", articles)
        docs, _ = load([str(news)])
        t0 = time.perf_counter()
        report = scan(docs, Settings())
        t1 = time.perf_counter()
        page = scan_page(report, Settings().to_dict(), inputs=[news.name])
        t2 = time.perf_counter()
        html, js = folder / "report.html", folder / "report.json"
        html.write_text(page, encoding="utf-8")
        with open(js, "w", encoding="utf-8") as out:
            write_json(report, out, Settings().to_dict())
        title = next(d.title for d in report.documents if d.title)
        found: dict[str, Any] = {"articles": len(report.documents), "pairs": len(report.pairs),
                                 "stories": len(report.stories), "scan": t1 - t0, "build": t2 - t1,
                                 "html_mb": html.stat().st_size / 1e6, "json_mb": js.stat().st_size / 1e6}
        times: dict[str, list[float]] = {k: [] for k in ("ready", "json", "story", "pair", "search")}
        with sync_playwright() as pw:
            browser = _chromium(pw, chromium)
            for _ in range(runs):
                tab = browser.new_page(viewport={"width": WIDTH, "height": 900})
                start = time.perf_counter()
                tab.goto(html.as_uri())
                tab.wait_for_selector("body[data-ready]", timeout=300_000)
                times["ready"].append(time.perf_counter() - start)
                start = time.perf_counter()
                tab.click("details.story >> nth=0 >> summary")
                tab.wait_for_selector("details.story[open] .story-view tr.copy")
                times["story"].append(time.perf_counter() - start)
                start = time.perf_counter()
                tab.click("details.pair >> nth=0 >> summary")
                tab.wait_for_selector("details.pair[open] .pair-view mark.span")
                times["pair"].append(time.perf_counter() - start)
                start = time.perf_counter()
                tab.fill("#search", title)
                tab.wait_for_selector("#result-list li")
                times["search"].append(time.perf_counter() - start)
                tab.close()
                tab = browser.new_page(viewport={"width": WIDTH, "height": 900})
                start = time.perf_counter()
                tab.goto(js.as_uri(), wait_until="load", timeout=300_000)
                times["json"].append(time.perf_counter() - start)
                tab.close()
            browser.close()
    found.update({k: statistics.median(v) for k, v in times.items()})
    found["spread"] = {k: (min(v), max(v)) for k, v in times.items()}
    found["runs"] = runs
    return found


def section(r: dict[str, Any], command: str) -> str:
    """The RESULTS.md section of one run."""
    try:
        version = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:  # pragma: no cover
        version = "Chromium"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    ratio = r["ready"] / r["json"]
    lo, hi = r["spread"]["ready"], r["spread"]["json"]
    return "\n".join([
        SECTION, "",
        "Command (dedup at commit " + commit.stdout.strip() + f"; {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {version} headless via Playwright, load average "
        f"{os.getloadavg()[0]:.2f} at the end):", "",
        "```bash", command, "```", "",
        "The corpus is made up by `tests/synthetic.py` (seeded): a tenth are wire stories, about half of the "
        "others reprint one of them, edited and cut, with their outlet's header and footer. Each run loads the "
        "HTML page and the same scan's JSON report (`--format json`) in turn in one Chromium, at "
        f"{WIDTH} px.", "",
        "| measure | value |", "|---|---|",
        f"| articles / pairs / stories | {r['articles']:,} / {r['pairs']:,} / {r['stories']:,} |",
        f"| scan (library, in process, every core) | {r['scan']:.2f} s |",
        f"| building the HTML page (`scan_page`) | {r['build']:.2f} s |",
        f"| HTML page size / JSON report size | {r['html_mb']:.1f} MB / {r['json_mb']:.1f} MB |",
        f"| HTML report ready in Chromium (`body[data-ready]`, median of {r['runs']}) | {r['ready']:.2f} s |",
        f"| peer: the same scan's JSON report opened in the same Chromium (median of {r['runs']}) "
        f"| {r['json']:.2f} s |",
        f"| **ratio HTML report / JSON report** (goal: at most {GOAL}) | **{ratio:.2f}** |",
        f"| opening the most copied story's view (timeline, copies, edits) | {1000 * r['story']:.0f} ms |",
        f"| opening the first pair's side-by-side view | {1000 * r['pair']:.0f} ms |",
        f"| a search for one title (results, stories and pairs filtered) | {1000 * r['search']:.0f} ms |", "",
        "The page holds every text once as JSON and builds a story's or a pair's view only when it is opened; "
        "its search index is built at the first search. Spread over the runs: "
        f"{lo[0]:.2f} to {lo[1]:.2f} s for the HTML page, {hi[0]:.2f} to {hi[1]:.2f} s for the JSON. "
        + ("Within the goal." if ratio <= GOAL else "**Outside the goal.**"), "",
    ])


def screenshots(folder: Path, chromium: str) -> list[Path]:
    """The story view, the outlet view and the pair view of the samples' page, as PNG files."""
    from playwright.sync_api import sync_playwright

    docs, _ = load([str(ROOT / "samples")])
    report = scan(docs, Settings())
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        html = Path(tmp) / "report.html"
        html.write_text(scan_page(report, Settings().to_dict(), inputs=["samples/"]), encoding="utf-8")
        browser = _chromium(pw, chromium)
        tab = browser.new_page(viewport={"width": WIDTH, "height": 900}, device_scale_factor=1)
        tab.goto(html.as_uri())
        tab.wait_for_selector("body[data-ready]")

        def shoot(name: str, top: Any, bottom: Any) -> None:
            tab.evaluate("() => window.scrollTo(0, 0)")
            y0, y1 = top.bounding_box()["y"], bottom.bounding_box()
            path = folder / name
            tab.screenshot(path=str(path), full_page=True,
                           clip={"x": 0, "y": y0 - 8, "width": WIDTH, "height": y1["y"] + y1["height"] - y0 + 24})
            made.append(path)

        story = tab.locator("details.story").first
        story.locator("summary").click()
        story.locator(".story-view").wait_for()
        shoot("story-view.png", tab.locator("header.head"), story)
        story.locator("summary").click()
        tab.locator('table.matrix th.col[data-outlet="wire"]').click()
        shoot("outlet-view.png", tab.locator("#outlets"), tab.locator(".outlet-grid"))
        pair = tab.locator("details.pair").first
        pair.locator("summary").click()
        pair.locator(".pair-view mark.span").first.wait_for()
        pair.locator(".side-a mark.span").nth(1).click()
        shoot("pair-view.png", tab.locator("#pairs-list"), pair)
        browser.close()
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--no-write", action="store_true", help="print the section, leave RESULTS.md alone")
    parser.add_argument("--screenshots", type=Path, metavar="DIR",
                        help="save the story, outlet and pair views of the samples' page here instead")
    args = parser.parse_args()
    if args.screenshots:
        for path in screenshots(args.screenshots, args.chromium):
            print(path)
        return
    found = measure(args.articles, args.runs, args.chromium)
    command = f"python benchmarks/html_report.py --articles {args.articles} --runs {args.runs}"
    text = section(found, command)
    print(text)
    if not args.no_write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
