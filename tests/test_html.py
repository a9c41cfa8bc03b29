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
import samples_readme

ROOT = Path(__file__).resolve().parent.parent
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
    assert page.page.locator("table.clusters tbody tr").count() == len(data["clusters"])
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
    page.page.locator("#pair-sort").select_option("date")
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


def test_outlet_table_starts_largest_first_and_sorts_by_clicked_column(
        browser: Any, samples_report: tuple[Path, dict[str, Any]]) -> None:
    path, data = samples_report
    page = Page(browser, path)

    def column(n: int) -> list[float]:
        return page.page.locator(f"#outlet-table tbody tr td:nth-child({n})").evaluate_all(
            "tds => tds.map(td => parseFloat(td.dataset.v))")

    reused = sorted((o["reused_share"] for o in data["outlets"]), reverse=True)
    assert column(4) == reused  # as the page opens
    page.page.locator("#outlet-table th", has_text="articles").click()
    assert column(2) == sorted((o["documents"] for o in data["outlets"]), reverse=True)  # numbers: largest first
    header = page.page.locator("#outlet-table th", has_text="reused")
    header.click()
    assert column(4) == reused
    header.click()
    assert column(4) == reused[::-1]
    page.page.locator("#outlet-table th", has_text="outlet").first.click()
    names = page.page.locator("#outlet-table tbody tr td:nth-child(1)").all_inner_texts()
    assert names == sorted(o["outlet"] for o in data["outlets"])  # names: A to Z


def test_search_filters_pairs_and_pages(browser: Any, tmp_path: Path) -> None:
    import synthetic

    records = synthetic.articles(300, outlets=12)
    news = synthetic.write_jsonl(tmp_path / "news.jsonl", 300, outlets=12)
    page_path = tmp_path / "report.html"
    data = json.loads(scan(str(news), "--format", "json", "--html", str(page_path), "-q"))
    assert len(data["pairs"]) > 50
    page = Page(browser, page_path)
    assert page.page.locator("details.pair").count() == 50
    assert page.page.locator("#pair-count").text_content() == f"{len(data['pairs'])} of {len(data['pairs'])} pairs"
    page.page.click("#pair-next")
    assert page.page.locator("details.pair").count() == min(50, len(data["pairs"]) - 50)
    page.page.fill("#search", "outlet-03")
    hits = {r["id"] for r in records if "outlet-03" in " ".join([r["id"], r["outlet"], r["title"], r["text"]]).lower()}
    wanted = sum(1 for p in data["pairs"] if {p["a"], p["b"]} & hits)
    assert page.page.locator("#pair-count").text_content().startswith(f"{wanted} of ")
    assert page.page.locator("#search-count").text_content() == f"{len(hits)} articles found"
    page.page.fill("#search", "")
    assert page.page.locator("#results").is_hidden()
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
    assert html.count("<script") == 3  # the JSON blocks (data, texts) and the page's own script
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
    ids = page.page.locator("table.clusters .art").evaluate_all("spans => spans.map(s => s.title)")
    assert f"beta/{EVIL_NAME}" in ids
    page.page.eval_on_selector_all("details.story", "ds => ds.forEach(d => { d.open = true; })")
    assert EVIL_TITLE in page.page.locator(".story-view").first.inner_text()
    page.page.fill("#search", "<script>")
    assert page.page.locator("#result-list li").count() == 3
    assert "<script>" in page.page.locator(".snip").first.inner_text()
    page.page.locator("#outlet-view select").select_option("beta")
    assert page.page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.errors == []


# ---------------------------------------------------------------- stories, outlets, search, width

def open_stories(page: Page) -> None:
    page.page.eval_on_selector_all("details.story", "ds => ds.forEach(d => { d.open = true; })")
    page.page.wait_for_function(
        "() => Array.from(document.querySelectorAll('details.story')).every(d => d.querySelector('.story-view'))")


def shown_stories(page: Page) -> list[tuple[str, str, str]]:
    """(original, copy, edit summary) of every copy in the story views, as the page shows them."""
    return page.page.evaluate("""() => Array.from(document.querySelectorAll('details.story')).flatMap(d =>
        Array.from(d.querySelectorAll('tr.copy')).map(tr => [d.dataset.id, tr.dataset.id,
            Array.from(tr.querySelectorAll('.edit')).map(e => e.textContent).join(', ')]))""")


def test_the_samples_page_shows_each_story_with_its_copies_as_samples_readme_says(
        browser: Any, samples_report: tuple[Path, dict[str, Any]]) -> None:
    path, data = samples_report
    page = Page(browser, path)
    assert page.page.locator("details.story").count() == len(data["stories"]) == 6
    open_stories(page)
    assert [tuple(x) for x in shown_stories(page)] == samples_readme.stories()
    first = page.page.locator("details.story").first
    rows = first.locator("tbody tr")
    assert rows.first.get_attribute("class") == "original"  # the original heads its timeline
    assert rows.first.locator(".t").inner_text() == "Port Calder council approves $412 million harbor bridge"
    dots = first.locator(".dot").evaluate_all("ds => ds.map(d => parseFloat(d.style.left))")
    dates = [r.locator("td.date").inner_text() for r in rows.all()]
    assert dates == sorted(dates) and dots == sorted(dots) and dots[0] == 0 and dots[-1] == 100
    took = [c["taken"] for c in data["stories"][0]["copies"]]
    assert first.locator("tr.copy td:nth-child(4)").all_inner_texts() == [f"{100 * t:.1f}%" for t in took]
    first.locator("tr.copy", has_text="Council backs").locator("button", has_text="compare").click()
    view = first.locator(".story-pair .pair-view")
    assert view.locator(".side-b .title").inner_text() == "Council backs $412 million bridge over Port Calder harbor"
    assert view.locator("mark.span .ed").count() > 0  # the light edit's changed words
    assert page.errors == []


def test_the_outlet_view_shows_what_it_took_from_whom_and_its_most_copied_stories(
        browser: Any, samples_report: tuple[Path, dict[str, Any]]) -> None:
    path, data = samples_report
    page = Page(browser, path)
    view = page.page.locator("#outlet-view")
    most = max(data["outlets"], key=lambda o: o["reused_share"])["outlet"]
    assert most == "espejo-digital" and view.get_attribute("data-outlet") == most  # the outlet that reuses the most
    page.page.locator('table.matrix th.row[data-outlet="quicknews"]').click()
    assert view.get_attribute("data-outlet") == "quicknews"
    took = view.locator("h4", has_text="What it took").locator("xpath=following-sibling::ol[1]/li").all_inner_texts()
    assert len(took) == 2 and all("Bridge deal and bread prices" in x for x in took)
    assert any("harbor bridge" in x for x in took) and any("wheat prices" in x for x in took)
    page.page.locator('table.matrix th.col[data-outlet="wire"]').click()
    assert view.get_attribute("data-outlet") == "wire"
    stories = view.locator("h4", has_text="Its most copied stories").locator("xpath=following-sibling::ol[1]/li")
    assert stories.first.inner_text().startswith("Port Calder council approves $412 million harbor bridge")
    assert "5 copies in 5 outlets" in stories.first.inner_text()
    assert "Nothing: it copies from no one." in view.inner_text()
    copied_by = view.locator("h4", has_text="Copied by").locator("xpath=following-sibling::ol[1]/li").all_inner_texts()
    assert copied_by[0].startswith("quicknews")
    stories.first.locator("button").click()  # opens the story; its view is built once it is open
    page.page.locator("details.story[open] .story-view").first.wait_for()
    assert page.page.locator("details.story[open] .story-view").count() == 1
    assert page.errors == []


def test_the_header_names_input_date_counts_settings_and_the_terms_are_explained(
        browser: Any, samples_report: tuple[Path, dict[str, Any]]) -> None:
    path, data = samples_report
    page = Page(browser, path)
    facts = page.page.locator("dl.facts").inner_text()
    assert str(ROOT / "samples") in facts and re.search(r"scanned\s+\d{4}-\d\d-\d\d \d\d:\d\d", facts)
    counts = page.page.locator("#counts").inner_text()
    for part in ("20 articles from 13 outlets", "6 stories copied by 9 articles", "19 pairs sharing copied prose",
                 "3 pairs sharing only quotations", "5 clusters"):
        assert part in counts
    assert "min_words 8" in page.page.locator("details.settings summary").inner_text()
    terms = page.page.locator("dl.terms dt").all_inner_texts()
    for term in ("story", "original", "copy", "edits", "source, →, ~", "reason", "cluster", "reused, shared, rewritten",
                 "template, furniture", "coverage", "–, <0.1%"):
        assert term in terms
    body = page.page.locator("body").inner_text()
    assert "0.0%" not in body  # a dash or <0.1% instead
    assert page.errors == []


def titles_found(page: Page, docs: list[dict[str, Any]]) -> list[str]:
    """Ids of the articles whose title, typed into the search box, does not list them."""
    return page.page.evaluate("""docs => {
        const box = document.getElementById('search'), missed = [];
        docs.forEach((d, i) => {
            if (!d.title) return;
            box.value = d.title;
            box.dispatchEvent(new Event('input'));
            if (!document.querySelector('#result-list li[data-doc="' + i + '"]')) missed.push(d.id);
        });
        return missed;
    }""", docs)


def test_every_title_of_the_samples_is_found_with_the_search_box(
        browser: Any, samples_report: tuple[Path, dict[str, Any]]) -> None:
    path, data = samples_report
    page = Page(browser, path)
    assert titles_found(page, data["documents"]) == []
    page.page.fill("#search", "Tomas Ferrand")  # words of a text, in no title
    found = page.page.locator("#result-list li")
    assert found.count() == 1 and "Drought drives Amberlee wheat prices" in found.inner_text()
    assert page.page.locator("details.story").count() == 1  # the story that holds it
    page.page.fill("#search", "city-times")  # an outlet
    assert page.page.locator("#result-list li").count() == 2
    page.page.locator("#result-list li", has_text="Lindell council trims").locator("button", has_text="story").click()
    assert page.page.locator("details.story[open]").get_attribute("data-id") == "wire/harbor-bridge.txt"
    assert page.errors == []


def unfold_everything(page: Page) -> None:
    """Every list and table at its widest: all rows, a story, a pair and a cluster open."""
    page.page.evaluate("""() => {
        document.querySelectorAll('button.rows-toggle').forEach(b => b.click());
        document.querySelectorAll('details').forEach(d => { d.open = true; });
        const all = document.getElementById('story-all'); if (all && !all.hidden) all.click();
    }""")
    story = page.page.locator("details.story").first
    story.evaluate("d => { d.open = true; }")
    story.locator(".story-view").wait_for()
    story.locator("button", has_text="compare").first.click()
    page.page.locator("details.pair").first.evaluate("d => { d.open = true; }")
    page.page.locator("details.pair .pair-view").first.wait_for()


WIDTH = """() => ({scroll: document.documentElement.scrollWidth, window: window.innerWidth,
              body: document.body.scrollWidth})"""


def test_the_samples_page_is_no_wider_than_the_window(
        browser: Any, samples_report: tuple[Path, dict[str, Any]]) -> None:
    page = Page(browser, samples_report[0], width=1280)
    unfold_everything(page)
    width = page.page.evaluate(WIDTH)
    assert width["scroll"] <= width["window"] == 1280 and width["body"] <= 1280
    assert page.errors == []


@pytest.fixture(scope="module")
def big_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A generated scan of 5,000 articles (tests/synthetic.py) and its page."""
    import synthetic

    folder = tmp_path_factory.mktemp("big")
    news = synthetic.write_jsonl(folder / "news.jsonl", 5000)
    page = folder / "report.html"
    data = json.loads(scan(str(news), "--format", "json", "--html", str(page), "-q"))
    return page, data


def test_the_page_of_a_5000_article_scan_is_no_wider_than_the_window(
        browser: Any, big_report: tuple[Path, dict[str, Any]]) -> None:
    path, data = big_report
    assert len(data["documents"]) == 5000 and len(data["stories"]) > 400
    page = Page(browser, path, width=1280)
    unfold_everything(page)
    width = page.page.evaluate(WIDTH)
    assert width["scroll"] <= width["window"] == 1280 and width["body"] <= 1280
    assert page.page.locator("details.story").count() == len(data["stories"])  # "show all"
    assert page.errors == []


def test_every_title_of_a_5000_article_scan_is_found_with_the_search_box(
        browser: Any, big_report: tuple[Path, dict[str, Any]]) -> None:
    path, data = big_report
    page = Page(browser, path)
    assert titles_found(page, data["documents"]) == []
    assert page.errors == []


def test_tables_and_stories_with_hundreds_of_members_fold(browser: Any, tmp_path: Path) -> None:
    """One wire story copied by 300 outlets with long names: the story, the cluster and the outlet
    table show their first rows and a button for all; unfolded, the page still fits the window."""
    import synthetic

    wire = synthetic.articles(10, outlets=2)[0]
    lines = [json.dumps(wire)]
    for n in range(300):
        outlet = f"the-{n:03d}-" + "very-long-outlet-name-" * 4
        lines.append(json.dumps({"id": f"{outlet}/{'x' * 80}-{n}", "outlet": outlet, "date": "2026-02-01",
                                 "title": f"Copy {n} of the story", "text": f"Desk {n}\n\n{wire['text']}"}))
    news = tmp_path / "news.jsonl"
    news.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / "report.html"
    data = json.loads(scan(str(news), "--format", "json", "--html", str(path), "-q"))
    assert len(data["stories"]) == 1 and len(data["stories"][0]["copies"]) == 300
    page = Page(browser, path, width=1280)
    assert page.page.locator("#outlet-table tbody tr:visible").count() == 15
    assert page.page.locator("button.rows-toggle", has_text="show all 301").count() == 1
    members = page.page.locator("table.clusters details.more summary")
    assert members.inner_text() == "show all 300"
    story = page.page.locator("details.story").first
    story.locator("summary").click()
    assert story.locator("tr.copy").count() == 20
    story.locator("button", has_text="show all 300 copies").click()
    assert story.locator("tr.copy").count() == 300
    unfold_everything(page)
    assert page.page.locator("#outlet-table tbody tr:visible").count() == 301
    width = page.page.evaluate(WIDTH)
    assert width["scroll"] <= width["window"] == 1280
    assert page.errors == []
