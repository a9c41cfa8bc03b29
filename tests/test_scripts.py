"""Copies in every script, and copies made to evade: found by the scan, the index and a diff alike.

Every text here was written for these tests. Each language has an original,
a copy that holds one passage of it inside other text, and the passage
(at least 20 characters in Chinese, Japanese and Thai, at least 8 words elsewhere).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

import dedup
from dedup import Article, Index, compare
from dedup.cli import cli

COPIES = {
    "chinese": (
        "东方社北京三月二日电 市政府今天宣布，城北新区将新建一座跨江大桥，预计三年内建成通车。"
        "项目总投资约四十亿元，资金由财政拨付。",
        "本报讯 据悉，城北新区将新建一座跨江大桥，预计三年内建成通车。"
        "不少市民对此表示欢迎，也有人担心施工期间交通拥堵。",
        "城北新区将新建一座跨江大桥，预计三年内建成通车。",  # with the full stop both copies keep
    ),
    "japanese": (
        "東西通信によると、市議会は来年度から駅前に新しい図書館を建設することを決めた。総事業費は約三十億円となる見込みだ。",
        "地元紙の取材では、市議会は来年度から駅前に新しい図書館を建設することを決めた。住民の間では賛否が分かれている。",
        "市議会は来年度から駅前に新しい図書館を建設することを決めた。",
    ),
    "thai": (
        "สำนักข่าวตะวันออกแจ้งว่า รัฐบาลประกาศแผนสร้างรถไฟฟ้าสายใหม่ในเมืองหลวง งบประมาณทั้งหมดยังไม่เปิดเผย",
        "ผู้สื่อข่าวท้องถิ่นรายงาน รัฐบาลประกาศแผนสร้างรถไฟฟ้าสายใหม่ในเมืองหลวง ประชาชนจำนวนมากแสดงความยินดี",
        "รัฐบาลประกาศแผนสร้างรถไฟฟ้าสายใหม่ในเมืองหลวง",
    ),
    "arabic": (
        "أعلنت وزارة النقل صباح اليوم أن الحكومة ستبني طريقا سريعا جديدا يربط العاصمة بالمدن الساحلية، "
        "وقال متحدث باسم الوزارة إن التمويل متوفر بالكامل.",
        "ذكرت مصادر محلية مساء أمس أن الحكومة ستبني طريقا سريعا جديدا يربط العاصمة بالمدن الساحلية. "
        "ورحب كثير من السكان بالخبر.",
        "أن الحكومة ستبني طريقا سريعا جديدا يربط العاصمة بالمدن الساحلية",
    ),
    "russian": (
        "Как сообщило агентство Северный вестник, городские власти решили построить новый мост через реку "
        "уже к осени. Стоимость работ пока не раскрывается.",
        "По данным местной прессы, городские власти решили построить новый мост через реку уже к осени, "
        "что вызвало споры среди жителей.",
        "городские власти решили построить новый мост через реку уже к осени",
    ),
    "spanish": (
        "La agencia informó que el ayuntamiento aprobó ayer ampliar la red de autobuses eléctricos antes del "
        "verano. El coste total no se ha revelado todavía.",
        "Según fuentes municipales, el ayuntamiento aprobó ayer ampliar la red de autobuses eléctricos antes del "
        "verano, algo que los vecinos pedían desde hace años.",
        "el ayuntamiento aprobó ayer ampliar la red de autobuses eléctricos antes del verano",
    ),
}


def articles(original: str, copy: str) -> list[Article]:
    return [Article("wire", original, outlet="wire", date="2026-03-02"),
            Article("paper", copy, outlet="paper", date="2026-03-03")]


def one_span(report: dedup.Report) -> dedup.Span:
    (pair,) = report.pairs
    (span,) = pair.spans
    return span


@pytest.mark.parametrize("language", list(COPIES))
def test_a_copied_passage_is_found_in_every_script_and_its_span_is_the_passage(language: str) -> None:
    original, copy, passage = COPIES[language]
    span = one_span(dedup.scan(articles(original, copy), jobs=1))
    assert span.kind == "prose"
    assert original[span.a_start : span.a_end] == copy[span.b_start : span.b_end] == passage


@pytest.mark.parametrize("language", list(COPIES))
def test_the_index_and_a_diff_find_the_same_span(language: str, tmp_path: Path) -> None:
    original, copy, passage = COPIES[language]
    wire, paper = articles(original, copy)
    with Index.open(tmp_path / "news.idx") as idx:
        idx.add([wire])
        decision = idx.check(paper)
    assert decision.status == "partial"
    (span,) = decision.matches[0].spans
    assert copy[span.a_start : span.a_end] == original[span.b_start : span.b_end] == passage
    (diffed,) = compare(wire, paper).spans
    assert original[diffed.a_start : diffed.a_end] == passage


def test_a_copy_shorter_than_the_guarantee_is_not_a_pair() -> None:
    """Seven shared Chinese characters (a name and a day) are not a copied passage: the
    guarantee and ``min_words`` count eight."""
    a = "国家统计局今天发布数据，上月居民消费价格同比上涨百分之二。"
    b = "国家统计局今天公布了一季度工业生产情况，增速略有回落。"
    assert not dedup.scan(articles(a, b), jobs=1).pairs


SHARED = {
    "chinese": ("东方社上海十月九日电 ", "本报讯 ",
                "据东方社记者从市交通委员会获悉，连接城南和城北的第二条跨江隧道将于明年五月动工，"
                "工期约三年，建成后两岸通行时间将从四十分钟缩短到十分钟以内。",
                "市交通委员会负责人表示，项目资金已经落实。", "不少沿江居民对此表示期待，也有商户担心施工影响生意。"),
    "german": ("SÜDSTADT (Ostdienst) - ", "Aus der Region: ",
               "Der zweite Tunnel unter dem Fluss soll im Mai beginnen und die Fahrt auf zehn Minuten verkürzen.",
               " Das Geld sei gesichert, sagte die Behörde.", " Anwohner sind gespannt, Händler besorgt."),
}


@pytest.mark.parametrize("language", list(SHARED))
def test_two_files_sharing_one_sentence_are_a_pair_whose_span_is_the_sentence(language: str, tmp_path: Path) -> None:
    """The scan of a folder as a new user runs it: an agency dispatch and a local paper's
    copy of its 70-character Chinese sentence (or a German one) are a pair."""
    agency_head, paper_head, sentence, agency_tail, paper_tail = SHARED[language]
    texts = {"agency/tunnel.txt": agency_head + sentence + agency_tail,
             "local/tunnel.txt": paper_head + sentence + paper_tail}
    for name, text in texts.items():
        (tmp_path / name).parent.mkdir()
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "--format", "jsonl"], catch_exceptions=False)
    (pair,) = [json.loads(line) for line in result.output.splitlines()]
    (span,) = pair["spans"]
    a, b = texts[pair["a"]], texts[pair["b"]]
    assert a[span["a_start"] : span["a_end"]] == b[span["b_start"] : span["b_end"]] == sentence  # with its mark


MIXED = (
    "本报综合报道 苹果公司首席执行官Tim Cook今天在上海宣布，新款iPhone 17将于9月20日在中国大陆上市，起售价为5999元。"
    "分析人士认为销量有望创新高。",
    "据外媒消息，Tim Cook今天在上海宣布，新款iPhone 17将于9月20日在中国大陆上市，起售价为5999元，比上一代略有上涨。",
    "Tim Cook今天在上海宣布，新款iPhone 17将于9月20日在中国大陆上市，起售价为5999元",
), (
    "The Kremlin said on Tuesday that talks would resume. Президент заявил: переговоры продолжатся в Женеве "
    "на следующей неделе, and Western diplomats welcomed the news.",
    "Moscow signalled a thaw. Президент заявил: переговоры продолжатся в Женеве на следующей неделе, and "
    "Western diplomats welcomed the news, officials added.",
    "Президент заявил: переговоры продолжатся в Женеве на следующей неделе, and Western diplomats welcomed the news",
)


@pytest.mark.parametrize("original, copy, passage", MIXED, ids=["chinese-latin", "russian-english"])
def test_a_passage_in_mixed_scripts_is_found_whole(original: str, copy: str, passage: str) -> None:
    """Latin names and figures inside Chinese text, a Russian sentence inside English: one span
    across the change of script, on both sides the passage as written."""
    span = one_span(dedup.scan(articles(original, copy), jobs=1))
    assert original[span.a_start : span.a_end] == copy[span.b_start : span.b_end] == passage


# ---------------------------------------------------------------- text made to evade

ENGLISH = (
    "The harbor authority said on Monday that it would close the old ferry terminal next spring and move "
    "every crossing to the new pier, which opened two years late and well over its budget.",
    "Commuters were told at a meeting on Tuesday night that the harbor authority would close the old ferry "
    "terminal next spring and move every crossing to the new pier, officials said.",
)
HIDDEN = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
LOOKALIKES = {"a": "а", "e": "е", "o": "ο", "p": "р", "c": "с", "i": "і", "y": "у", "x": "х"}


def disguised(text: str, every: int = 3) -> tuple[str, list[int]]:
    """``text`` with a hidden character inside every ``every``-th word and a look-alike
    in the next one; and where each character of ``text`` went."""
    out: list[str] = []
    where: list[int] = []
    word = 0
    for i, ch in enumerate(text):
        starts = ch.isalpha() and (i == 0 or not text[i - 1].isalpha())
        if starts:
            word += 1
        if ch.isalpha() and not starts and word % every == 0 and text[i - 1].isalpha():
            out.append(HIDDEN[word % len(HIDDEN)])
        where.append(len("".join(out)))
        out.append(LOOKALIKES.get(ch, ch) if word % every == 1 else ch)
    where.append(len("".join(out)))
    return "".join(out), where


def test_a_copy_with_hidden_characters_and_look_alikes_is_found_with_the_clean_copy_s_span() -> None:
    original, copy = ENGLISH
    sly, where = disguised(copy)
    assert sly != copy and len(sly) > len(copy)
    clean = one_span(dedup.scan(articles(original, copy), jobs=1))
    found = one_span(dedup.scan(articles(original, sly), jobs=1))
    assert (found.a_start, found.a_end) == (clean.a_start, clean.a_end)
    assert (found.b_start, found.b_end) == (where[clean.b_start], where[clean.b_end - 1] + 1)
    assert found.score == clean.score == 1.0


def test_a_disguised_copy_is_the_same_decision_for_the_index(tmp_path: Path) -> None:
    original, copy = ENGLISH
    sly, where = disguised(copy, every=2)
    with Index.open(tmp_path / "news.idx") as idx:
        idx.add([Article("wire", original, outlet="wire")])
        clean, found = idx.check(Article("paper", copy)), idx.check(Article("sly", sly))
    assert clean.status == found.status == "partial"
    c, f = clean.matches[0].spans[0], found.matches[0].spans[0]
    assert (f.a_start, f.a_end, f.b_start, f.b_end) == (where[c.a_start], where[c.a_end - 1] + 1, c.b_start, c.b_end)


@pytest.mark.parametrize("form", ["NFD", "NFKD"])
def test_composed_and_decomposed_accents_match(form: str) -> None:
    original = ("Thủ tướng cho biết chính phủ sẽ xây dựng một cây cầu mới bắc qua sông Hồng trong vòng ba năm tới, "
                "với tổng vốn đầu tư khoảng bốn nghìn tỷ đồng.")
    copy = unicodedata.normalize(form, original)
    assert len(copy) > len(original)
    span = one_span(dedup.scan(articles(original, copy), jobs=1))
    assert span.score == 1.0
    assert unicodedata.normalize("NFC", copy[span.b_start : span.b_end]) == original[span.a_start : span.a_end]
    assert span.a_end - span.a_start == len(original)  # the full stop too


# ---------------------------------------------------------------- quotations of other languages

QUOTES = {
    "french": (
        "Le maire a présenté mardi soir son budget devant un conseil municipal très divisé. « Nous ne fermerons "
        "aucune école cette année, malgré la baisse des recettes », a-t-il déclaré.",
        "Devant les parents réunis à la mairie, l'élu a promis : « Nous ne fermerons aucune école cette année, "
        "malgré la baisse des recettes ». Plusieurs syndicats restent sceptiques.",
    ),
    "german": (
        "Die Bürgermeisterin stellte am Dienstag den Haushalt vor. „Wir werden in diesem Jahr keine einzige Schule "
        "schließen, auch wenn die Einnahmen sinken“, sagte sie vor dem Rat.",
        "Vor Eltern im Rathaus versprach sie: „Wir werden in diesem Jahr keine einzige Schule schließen, auch wenn "
        "die Einnahmen sinken“. Die Gewerkschaften bleiben skeptisch.",
    ),
    "japanese": (
        "市長は火曜日の議会で予算案を説明し、「今年は一校も学校を閉鎖しない」と述べた。野党は財源を問題視した。",
        "保護者向けの説明会で市長は「今年は一校も学校を閉鎖しない」と約束したが、会場からは疑問の声も出た。",
    ),
}


@pytest.mark.parametrize("language", list(QUOTES))
def test_a_shared_quotation_in_the_marks_of_another_language_is_a_quote(language: str) -> None:
    a, b = QUOTES[language]
    (pair,) = dedup.scan(articles(a, b), jobs=1).pairs
    assert [s.kind for s in pair.spans] == ["quote"]
    assert pair.a_coverage == pair.b_coverage == 0.0
