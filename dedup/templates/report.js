"use strict";
/* dedup report: builds pair views from the JSON block on demand. Article text
   only ever enters the page through textContent, never as markup. */
(function () {
  const DATA = JSON.parse(document.getElementById("dedup-data").textContent);
  const PAGE = 50;
  const KINDS = { prose: "copied prose", quote: "shared quotation", boilerplate: "boilerplate" };

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  const pct = (x) => (100 * x).toFixed(1) + "%";

  /* One side's text cut where its look changes (mirrors dedup.diffview.pieces). */
  function pieces(length, spans, edits) {
    const cuts = new Set([0, length]);
    spans.forEach((s, i) => {
      cuts.add(s[0]); cuts.add(s[1]);
      edits[i].forEach((e) => { cuts.add(e[0]); cuts.add(e[1]); });
    });
    const edges = Array.from(cuts).filter((c) => c >= 0 && c <= length).sort((x, y) => x - y);
    const out = [];
    for (let k = 0; k + 1 < edges.length; k++) {
      const x = edges[k], y = edges[k + 1];
      let best = -1;
      spans.forEach((s, i) => {
        if (s[0] <= x && y <= s[1] && (best < 0 || s[0] > spans[best][0] ||
            (s[0] === spans[best][0] && s[1] < spans[best][1]))) best = i;
      });
      const edited = best >= 0 && edits[best].some((e) => e[0] <= x && y <= e[1]);
      out.push({ start: x, end: y, span: best, edited: edited });
    }
    return out;
  }

  function sideText(text, spans, edits, side, kinds, scores) {
    const box = el("div", "text");
    let mark = null;
    pieces(text.length, spans, edits).forEach((p, n, all) => {
      const chunk = text.slice(p.start, p.end);
      if (p.span < 0) { mark = null; box.appendChild(document.createTextNode(chunk)); return; }
      if (!mark || n === 0 || all[n - 1].span !== p.span) {
        mark = el("mark", "span k-" + kinds[p.span]);
        mark.dataset.s = String(p.span);
        mark.dataset.side = side;
        if (p.start === spans[p.span][0]) { mark.dataset.n = String(p.span + 1); mark.classList.add("first"); }
        mark.tabIndex = 0;
        mark.title = "span " + (p.span + 1) + ": " + KINDS[kinds[p.span]] + ", similarity " +
          scores[p.span].toFixed(2) + " (click to show the other side)";
        box.appendChild(mark);
      }
      mark.appendChild(p.edited ? el("span", "ed", chunk) : document.createTextNode(chunk));
    });
    return box;
  }

  function reveal(target, box) {
    const top = target.offsetTop - box.clientHeight / 3;
    box.scrollTop = Math.max(0, top);
    target.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  function link(view) {
    function show(mark) {
      const other = mark.dataset.side === "a" ? "b" : "a";
      view.querySelectorAll("mark.lit").forEach((m) => m.classList.remove("lit"));
      const same = view.querySelectorAll('mark[data-s="' + mark.dataset.s + '"]');
      same.forEach((m) => m.classList.add("lit"));
      const target = view.querySelector('.side-' + other + ' mark[data-s="' + mark.dataset.s + '"]');
      if (target) reveal(target, view.querySelector(".side-" + other + " .text"));
    }
    view.addEventListener("click", (ev) => {
      const mark = ev.target.closest("mark.span");
      if (mark) show(mark);
    });
    view.addEventListener("keydown", (ev) => {
      const mark = ev.target.closest && ev.target.closest("mark.span");
      if (mark && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); show(mark); }
    });
  }

  function docLine(doc, label, isSource) {
    const head = el("div", "doc");
    head.appendChild(el("b", null, label + " "));
    head.appendChild(el("span", "id", doc.id));
    const bits = [doc.outlet, doc.date].filter(Boolean).join(" · ");
    if (bits) head.appendChild(el("span", "meta", " " + bits));
    if (isSource) head.appendChild(el("span", "badge", "source"));
    if (doc.title) head.appendChild(el("div", "title", doc.title));
    return head;
  }

  function pairView(pair) {
    const view = el("div", "pair-view");
    const kinds = pair.spans.map((s) => s[4]);
    const scores = pair.spans.map((s) => s[5]);
    [["a", pair.a, 0], ["b", pair.b, 1]].forEach(([side, di, k]) => {
      const doc = DATA.docs[di];
      const spans = pair.spans.map((s) => (side === "a" ? [s[0], s[1]] : [s[2], s[3]]));
      const edits = pair.spans.map((s) => s[6].map((e) => (side === "a" ? [e[0], e[1]] : [e[2], e[3]]))
        .filter((e) => e[1] > e[0]));
      const col = el("div", "side side-" + side);
      col.appendChild(docLine(doc, side.toUpperCase(), pair.source === k));
      col.appendChild(el("div", "cov", "coverage " + pct(side === "a" ? pair.ac : pair.bc)));
      col.appendChild(sideText(doc.text, spans, edits, side, kinds, scores));
      view.appendChild(col);
    });
    link(view);
    return view;
  }

  function summaryOf(pair) {
    const a = DATA.docs[pair.a], b = DATA.docs[pair.b];
    const sum = el("summary");
    sum.appendChild(el("span", "id", a.id));
    sum.appendChild(el("span", "arrow", pair.source === 0 ? " → " : pair.source === 1 ? " ← " : " ~ "));
    sum.appendChild(el("span", "id", b.id));
    const counts = {};
    pair.spans.forEach((s) => { counts[s[4]] = (counts[s[4]] || 0) + 1; });
    const info = Object.keys(counts).map((k) => counts[k] + " " + k + (k === "quote" && counts[k] > 1 ? "s" : ""))
      .join(", ");
    const cov = pair.ac + pair.bc > 0 ? pct(pair.ac) + " / " + pct(pair.bc) : "quotations only";
    let why = "";
    if (pair.source !== null) why = ", " + (pair.source === 0 ? "A" : "B") + " is the source (" + pair.reason + ")";
    sum.appendChild(el("span", "info", pair.spans.length ? "  " + cov + " · " + info + why : "  nothing shared"));
    return sum;
  }

  function pairItem(pair, index, open) {
    const det = el("details", "pair");
    det.dataset.pair = String(index);
    det.appendChild(summaryOf(pair));
    let built = false;
    const build = () => { if (!built && det.open) { built = true; det.appendChild(pairView(pair)); } };
    det.addEventListener("toggle", build);
    if (open) { det.open = true; build(); }
    return det;
  }

  function pairList() {
    const holder = document.getElementById("pairs");
    if (!holder) return;
    const order = DATA.pairs.map((p, i) => i);
    if (holder.dataset.open === "all") {
      order.forEach((i) => holder.appendChild(pairItem(DATA.pairs[i], i, true)));
      return;
    }
    const filter = document.getElementById("pair-filter");
    const sort = document.getElementById("pair-sort");
    const prev = document.getElementById("pair-prev"), next = document.getElementById("pair-next");
    let page = 0, shown = order;
    const keyOf = DATA.pairs.map((p) => {
      const a = DATA.docs[p.a], b = DATA.docs[p.b];
      return [a.id, a.outlet || "", b.id, b.outlet || ""].join("\n").toLowerCase();
    });
    function draw() {
      holder.textContent = "";
      const pages = Math.max(1, Math.ceil(shown.length / PAGE));
      page = Math.min(page, pages - 1);
      shown.slice(page * PAGE, (page + 1) * PAGE).forEach((i) => holder.appendChild(pairItem(DATA.pairs[i], i, false)));
      document.getElementById("pair-count").textContent = shown.length + " of " + DATA.pairs.length + " pairs";
      document.getElementById("pair-page").textContent = "page " + (page + 1) + " of " + pages;
      prev.disabled = page === 0; next.disabled = page >= pages - 1;
    }
    function update() {
      const q = filter.value.trim().toLowerCase();
      shown = order.filter((i) => !q || keyOf[i].indexOf(q) >= 0);
      if (sort.value === "copied") {
        shown.sort((x, y) => (DATA.pairs[y].ac + DATA.pairs[y].bc) - (DATA.pairs[x].ac + DATA.pairs[x].bc) || x - y);
      } else {
        shown.sort((x, y) => (keyOf[x] < keyOf[y] ? -1 : keyOf[x] > keyOf[y] ? 1 : 0));
      }
      page = 0;
      draw();
    }
    filter.addEventListener("input", update);
    sort.addEventListener("change", update);
    prev.addEventListener("click", () => { page -= 1; draw(); });
    next.addEventListener("click", () => { page += 1; draw(); });
    update();
  }

  function sortable(table) {
    table.querySelectorAll("th").forEach((th, col) => {
      th.tabIndex = 0;
      const go = () => {
        const dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        table.querySelectorAll("th").forEach((h) => h.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
        const num = th.dataset.type === "num";
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        const val = (r) => (num ? parseFloat(r.cells[col].dataset.v) : r.cells[col].textContent.toLowerCase());
        rows.sort((x, y) => { const p = val(x), q = val(y); return (p < q ? -1 : p > q ? 1 : 0) * dir; });
        rows.forEach((r) => body.appendChild(r));
      };
      th.addEventListener("click", go);
      th.addEventListener("keydown", (ev) => { if (ev.key === "Enter") go(); });
    });
  }

  document.querySelectorAll("table.sortable").forEach(sortable);
  pairList();
  document.body.dataset.ready = "1";
})();
