"""The HTML report, checked in a real headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dedup.cli import cli
from dedup.render_html import Utf16, script_json

import requires

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PAYLOADS = ('<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=1">',
            '</textarea>', '</script><script>window.__pwned=1</script>', '<!-- \u2028 \u2029 & &amp;')


def chromium() -> str:
    return requires.program("chromium", "apt-get install chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    path = chromium()
    requires.module("playwright", "pip install -e '.[dev]'")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A page of the report with its console errors collected."""

    def __init__(self, browser: Any, path: Path, width: int = 1300, height: int = 900) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-ready]")

    def open_all_pairs(self) -> None:
        self.page.eval_on_selector_all("details.pair", "ds => ds.forEach(d => { d.open = true; })")
        self.page.wait_for_function(
            "() => Array.from(document.querySelectorAll('details.pair')).every(d => d.querySelector('.pair-view'))")

    def spans_shown(self) -> int:
        """Distinct spans highlighted, counted once per side of each pair."""
        return self.page.evaluate("""() => new Set(Array.from(document.querySelectorAll('mark.span')).map(
            m => m.closest('details.pair').dataset.pair + ':' + m.dataset.side + ':' + m.dataset.s)).size""")


def scan(*args: str) -> str:
    result = CliRunner().invoke(cli, ["scan", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def samples_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("report")
    page = folder / "report.html"
    data = json.loads(scan(str(ROOT / "samples"), "--format", "json", "--html", str(page)))
    return page, data


def test_script_json_cannot_close_its_script_block() -> None:
    data = {"text": "</script><!-- <script> & \u2028\u2029 é 😀"}
    text = script_json(data)
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == data


def test_offsets_become_utf16_units() -> None:
    text = "a😀b😀c"
    conv = Utf16(text)
    assert [conv(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 7]
    assert Utf16("plain é text")(5) == 5


def test_scan_report_loads_and_highlights_every_span(browser: Any, samples_report: tuple[Path, dict[str, Any]]) -> None:
    path, data = samples_report
    page = Page(browser, path)
    assert page.page.locator("table.sortable tbody tr").count() == len(data["outlets"])
    assert page.page.locator("table.matrix td.hot").count() == sum(
        1 for o in data["outlets"] for v in o["reused_from"].values() if v > 0)
    assert page.page.locator("table.families tbody tr").count() == len(data["families"])
    assert page.page.locator("details.pair").count() == len(data["pairs"])
    page.open_all_pairs()
    spans = sum(len(p["spans"]) for p in data["pairs"])
    assert spans > 0
    assert page.spans_shown() == 2 * spans
    kinds = page.page.evaluate("() => Array.from(new Set(Array.from(document.querySelectorAll('mark.span'))"
                               ".map(m => m.className.match(/k-(\\w+)/)[1]))).sort()")
    assert kinds == sorted({s["kind"] for p in data["pairs"] for s in p["spans"]})
    assert page.errors == []
    assert page.requests == [path.as_uri()]  # works offline: the page fetches nothing else


def test_seed_articles_report(browser: Any, seeds_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "seeds.html"
    data = json.loads(scan(str(seeds_dir), "--format", "json", "--html", str(path)))
    page = Page(browser, path)
    page.open_all_pairs()
    assert page.spans_shown() == 2 * sum(len(p["spans"]) for p in data["pairs"])
    assert page.errors == []


def test_diff_page_shows_the_pair_open(browser: Any, samples_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "diff.html"
    result = CliRunner().invoke(cli, ["diff", str(samples_dir), "wire/harbor-bridge.txt", "quicknews/roundup.txt",
                                      "--html", str(path)])
    assert result.exit_code == 0, result.output
    page = Page(browser, path)
    assert page.page.locator("details.pair[open] .pair-view").count() == 1
    spans = int(re.search(r"(\d+) spans", result.stdout)[1])
    assert spans >= 2 and page.spans_shown() == 2 * spans
    assert page.page.locator(".pair-view .ed").count() == 0  # the roundup copies word for word
    assert page.errors == []


def test_words_that_differ_are_marked_inside_spans(browser: Any, samples_dir: Path, tmp_path: Path) -> None:
    from dedup import Settings
    from dedup.diffview import build_diff, load_pair

    ids = ["wire/harbor-bridge.txt", "coast-gazette/bridge-edited.txt"]
    path = tmp_path / "diff.html"
    assert CliRunner().invoke(cli, ["diff", str(samples_dir), *ids, "--html", str(path)]).exit_code == 0
    pair = load_pair([str(samples_dir), *ids])
    diff = build_diff(pair.a, pair.b, Settings(), pair.marks_a, pair.marks_b)
    edits = [e for d in diff.spans for e in d.edits]
    assert edits
    page = Page(browser, path)
    for side, text in (("a", pair.a.text), ("b", pair.b.text)):
        expected = [text[getattr(e, f"{side}_start"):getattr(e, f"{side}_end")] for e in edits]
        shown = page.page.locator(f".side-{side} mark.span .ed").all_text_contents()
        assert shown == [x for x in expected if x]
    assert page.errors == []


def test_highlighted_text_is_the_span_text(browser: Any, samples_report: tuple[Path, dict[str, Any]]) -> None:
    path, data = samples_report
    page = Page(browser, path)
    page.page.locator("#pair-sort").select_option("id")
    first = page.page.locator("details.pair").first
    first.locator("summary").click()
    first.locator(".side-a mark").first.wait_for()  # the view is built when the pair is opened
    index = int(first.get_attribute("data-pair"))
    pair = data["pairs"][index]
    texts = {d["id"]: (ROOT / "samples" / d["id"]).read_text(encoding="utf-8") for d in data["documents"]}
    for n, span in enumerate(pair["spans"]):
        for side, key in (("a", "a"), ("b", "b")):
            shown = first.locator(f'.side-{side} mark[data-s="{n}"]').all_text_contents()
            expected = texts[pair[key]][span[f"{key}_start"]:span[f"{key}_end"]]
            assert "".join(shown) == expected


IN_VIEW = """el => { const r = el.getBoundingClientRect(), box = el.closest('.text').getBoundingClientRect();
    return r.bottom > box.top && r.top < box.bottom && r.top < window.innerHeight && r.bottom > 0; }"""


def test_clicking_a_span_brings_its_counterpart_into_view(browser: Any,
                                                          samples_report: tuple[Path, dict[str, Any]]) -> None:
    path, _ = samples_report
    page = Page(browser, path, height=700)
    page.open_all_pairs()
    marks = page.page.locator("mark.span")
    clicked = 0
    for i in range(marks.count()):
        mark = marks.nth(i)
        view = mark.locator("xpath=ancestor::div[contains(@class,'pair-view')]")
        other = "b" if mark.get_attribute("data-side") == "a" else "a"
        target = view.locator(f'.side-{other} mark[data-s="{mark.get_attribute("data-s")}"]').first
        mark.scroll_into_view_if_needed()
        if not mark.evaluate(IN_VIEW) or target.evaluate(IN_VIEW):
            continue  # only spans whose counterpart starts out of view prove anything
        mark.click()
        assert target.evaluate(IN_VIEW)
        assert "lit" in (target.get_attribute("class") or "")
        clicked += 1
        if clicked == 3:
            break
    assert clicked == 3, "the samples should have spans whose counterpart starts out of view"
    assert page.errors == []


def test_outlet_table_sorts_by_clicked_column(browser: Any, samples_report: tuple[Path, dict[str, Any]]) -> None:
    path, data = samples_report
    page = Page(browser, path)
    header = page.page.locator("table.sortable th", has_text="reused")
    header.click()
    column = page.page.locator("table.sortable tbody tr td:nth-child(4)").evaluate_all(
        "tds => tds.map(td => parseFloat(td.dataset.v))")
    assert column == sorted(o["reused_share"] for o in data["outlets"])
    header.click()
    column = page.page.locator("table.sortable tbody tr td:nth-child(4)").evaluate_all(
        "tds => tds.map(td => parseFloat(td.dataset.v))")
    assert column == sorted((o["reused_share"] for o in data["outlets"]), reverse=True)


def test_pair_filter_and_pages(browser: Any, tmp_path: Path) -> None:
    import synthetic

    news = synthetic.write_jsonl(tmp_path / "news.jsonl", 300, outlets=12)
    page_path = tmp_path / "report.html"
    data = json.loads(scan(str(news), "--format", "json", "--html", str(page_path), "-q"))
    assert len(data["pairs"]) > 50
    page = Page(browser, page_path)
    assert page.page.locator("details.pair").count() == 50
    assert page.page.locator("#pair-count").text_content() == f"{len(data['pairs'])} of {len(data['pairs'])} pairs"
    page.page.click("#pair-next")
    assert page.page.locator("details.pair").count() == min(50, len(data["pairs"]) - 50)
    page.page.fill("#pair-filter", "outlet-03")
    wanted = sum(1 for p in data["pairs"] if "outlet-03" in p["a"] + p["b"])
    assert page.page.locator("#pair-count").text_content().startswith(f"{wanted} of ")
    assert page.errors == []


EVIL_NAME = "<img src=x onerror=window.__pwned=1>.txt"
EVIL_TITLE = "<script>window.__pwned=1</script>"


def xss_folder(root: Path) -> Path:
    """Outlets sharing an article full of markup, with markup in a file name and the metadata too."""
    body = ("Harbour council publishes its plan for the new breakwater and the fishing quay this week. "
            + " ".join(PAYLOADS) + " The plan also moves the ferry ramp twenty metres to the north so "
            "that the ramp no longer floods at the spring tides, the council engineer said on Monday.\n\n"
            "Work is due to start in the autumn and the quay will stay open to boats while it goes on 😀.")
    for outlet in ("alpha", "beta"):
        (root / outlet).mkdir(parents=True)
        (root / outlet / "story.txt").write_text(f"{outlet} headline\n\n{body}\n", encoding="utf-8")
    (root / "beta" / EVIL_NAME).write_text("A short note of our own.\n\n" + body.split("\n\n")[0], encoding="utf-8")
    (root / "metadata.csv").write_text(
        f"path,date,title\nalpha/story.txt,2026-05-01,{EVIL_TITLE}\n"
        'beta/story.txt,2026-05-02,"<img src=x onerror=""window.__pwned=1"">"\n', encoding="utf-8")
    return root


@pytest.mark.parametrize("keep_csp", [True, False], ids=["as-written", "without-csp"])
def test_article_markup_shows_as_text_and_runs_nothing(browser: Any, tmp_path: Path, keep_csp: bool) -> None:
    folder = xss_folder(tmp_path / "news")
    path = tmp_path / "report.html"
    data = json.loads(scan(str(folder), "--format", "json", "--html", str(path), "-q"))
    assert len(data["pairs"]) == 3
    html = path.read_text(encoding="utf-8")
    assert html.count("<script") == 2  # the JSON block and the page's own script
    if not keep_csp:  # escaping alone must hold, not only the Content-Security-Policy
        html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
        path.write_text(html, encoding="utf-8")
    page = Page(browser, path)
    page.open_all_pairs()
    assert page.page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.page.locator("img").count() == 0
    story = (folder / "alpha" / "story.txt").read_text(encoding="utf-8")
    texts = page.page.locator(".pair-view .text").all_text_contents()
    assert story in texts  # the exact article text, every character, as text
    shown = page.page.locator(".pair-view").first.inner_text()
    for payload in PAYLOADS[:4]:
        assert payload in shown
    marked = "".join(page.page.locator(".pair-view").first.locator("mark.span").all_text_contents())
    assert "</textarea>" in marked and "<script>window.__pwned=1</script>" in marked
    titles = page.page.locator(".pair-view .title").all_inner_texts()
    assert EVIL_TITLE in titles and '<img src=x onerror="window.__pwned=1">' in titles
    assert f"beta/{EVIL_NAME}" in page.page.locator("table.families").inner_text()
    assert page.page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.errors == []


def test_screenshot_of_the_report(browser: Any, samples_report: tuple[Path, dict[str, Any]]) -> None:
    """Saves artifacts/report.png: the tables and the most copied pair, opened (docs/report.png is a copy)."""
    path, data = samples_report
    page = Page(browser, path, width=1280, height=1400)
    first = page.page.locator("details.pair").first
    first.locator("summary").click()
    first.locator(".pair-view").wait_for()
    page.page.evaluate("() => window.scrollTo(0, 0)")
    box = first.bounding_box()
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    page.page.screenshot(path=str(shot), full_page=True,
                         clip={"x": 0, "y": 0, "width": 1280, "height": box["y"] + box["height"] + 16})
    assert shot.stat().st_size > 10_000
    assert first.locator("mark.span").count() >= 2 * len(data["pairs"][int(first.get_attribute("data-pair"))]["spans"])
    assert page.errors == []
