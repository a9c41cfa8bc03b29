"use strict";
/* dedup report: lists, story, outlet and pair views built from the JSON block on demand.
   Article text only ever enters the page through textContent, never as markup. */
(function () {
  const DATA = JSON.parse(document.getElementById("dedup-data").textContent);
  const PAGE = 50;
  const COPIES = 20;
  const LISTED = 8;
  const KINDS = { prose: "copied prose", rewritten: "rewritten prose", quote: "shared quotation", boilerplate: "boilerplate" };
  const docs = DATA.docs, pairs = DATA.pairs;
  const stories = DATA.stories || [];
  let TEXTS = null;
  /* The texts are parsed only when a view or a search first needs them. */
  function textOf(i) {
    if (!TEXTS) TEXTS = JSON.parse(document.getElementById("dedup-texts").textContent);
    return TEXTS[i];
  }

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function add(parent, ...children) {
    children.forEach((c) => { if (c !== null && c !== undefined) parent.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return parent;
  }
  /* mirrors dedup.render_text.percent: a dash for none, <0.1% for a trace */
  const pct = (x) => (x <= 0 ? "–" : x < 0.001 ? "<0.1%" : (100 * x).toFixed(1) + "%");
  const outletOf = (d) => d.outlet || DATA.none;
  const plural = (n, one, many) => n.toLocaleString("en") + " " + (n === 1 ? one : many);
  function button(text, cls, onClick) {
    const b = el("button", cls || "link", text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function bar(share) {
    const b = el("span", "meter");
    b.style.setProperty("--w", Math.min(100, 100 * share).toFixed(1) + "%");
    return b;
  }

  /* An article as a reader knows it: title (id where none), outlet and date. */
  function articleLine(i, open) {
    const d = docs[i];
    const box = el("span", "art");
    const title = open ? button(d.title || d.id, "link t", open) : el("span", "t", d.title || d.id);
    add(box, title, " ", el("span", "meta", [outletOf(d), d.date].filter(Boolean).join(" · ")));
    box.title = d.id;
    return box;
  }

  /* ---------------------------------------------------------------- pair views */

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
    const bits = [outletOf(doc), doc.date].filter(Boolean).join(" · ");
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
      const doc = docs[di];
      const spans = pair.spans.map((s) => (side === "a" ? [s[0], s[1]] : [s[2], s[3]]));
      const edits = pair.spans.map((s) => s[6].map((e) => (side === "a" ? [e[0], e[1]] : [e[2], e[3]]))
        .filter((e) => e[1] > e[0]));
      const col = el("div", "side side-" + side);
      col.appendChild(docLine(doc, side.toUpperCase(), pair.source === k));
      col.appendChild(el("div", "cov", "coverage " + pct(side === "a" ? pair.ac : pair.bc)));
      col.appendChild(sideText(textOf(di), spans, edits, side, kinds, scores));
      view.appendChild(col);
    });
    link(view);
    return view;
  }

  function firstWords(text, n) {
    const words = text.replace(/^[\s"“”«»'‘’]+|[\s"“”«»'‘’]+$/g, "").split(/\s+/);
    return words.slice(0, n).join(" ") + (words.length > n ? "…" : "");
  }

  function summaryOf(pair) {
    const sum = el("summary");
    const first = pair.source === 1 ? pair.b : pair.a, second = pair.source === 1 ? pair.a : pair.b;
    add(sum, articleLine(first), el("span", "arrow", pair.source === null ? " ~ " : " → "), articleLine(second));
    const bits = [];
    if (pair.ac + pair.bc > 0) {
      if (pair.source === null) {
        bits.push(pct(pair.ac) + " and " + pct(pair.bc) + " in copied prose");
      } else {
        const copyShare = pair.source === 0 ? pair.bc : pair.ac, sourceShare = pair.source === 0 ? pair.ac : pair.bc;
        bits.push(pct(copyShare) + " of the copy", pct(sourceShare) + " of the source", "by " + pair.reason);
      }
    } else if (pair.spans.length) {
      const quotes = pair.spans.filter((s) => s[4] === "quote");
      let words = "";
      if (quotes.length) words = ": “" + firstWords(textOf(pair.a).slice(quotes[0][0], quotes[0][1]), 8) + "”";
      bits.push(plural(quotes.length, "quotation", "quotations") + " only" + words);
    } else {
      bits.push("nothing shared");
    }
    sum.appendChild(el("span", "info", bits.join(" · ")));
    return sum;
  }

  function pairItem(index, open) {
    const pair = pairs[index];
    const det = el("details", "pair");
    det.dataset.pair = String(index);
    det.appendChild(summaryOf(pair));
    let built = false;
    const build = () => { if (!built && det.open) { built = true; det.appendChild(pairView(pair)); } };
    det.addEventListener("toggle", build);
    if (open) { det.open = true; build(); }
    return det;
  }

  /* ---------------------------------------------------------------- paged lists */

  /* A list drawn a page at a time; "show all" draws every item. */
  function pagedList(holder, ids, item) {
    const prev = document.getElementById(ids + "-prev"), next = document.getElementById(ids + "-next");
    const label = document.getElementById(ids + "-page"), all = document.getElementById(ids + "-all");
    const state = { items: [], page: 0, every: false };
    function draw() {
      holder.textContent = "";
      const per = state.every ? Math.max(state.items.length, 1) : PAGE;
      const pages = Math.max(1, Math.ceil(state.items.length / per));
      state.page = Math.min(state.page, pages - 1);
      const frag = document.createDocumentFragment();
      state.items.slice(state.page * per, (state.page + 1) * per).forEach((k) => frag.appendChild(item(k)));
      holder.appendChild(frag);
      if (label) label.textContent = "page " + (state.page + 1) + " of " + pages;
      if (prev) prev.disabled = state.page === 0;
      if (next) next.disabled = state.page >= pages - 1;
      if (all) { all.hidden = state.items.length <= PAGE; all.textContent = state.every ? "show pages" : "show all"; }
    }
    if (prev) prev.addEventListener("click", () => { state.page -= 1; draw(); });
    if (next) next.addEventListener("click", () => { state.page += 1; draw(); });
    if (all) all.addEventListener("click", () => { state.every = !state.every; state.page = 0; draw(); });
    return {
      set(items) { state.items = items; state.page = 0; draw(); },
      show(k) {  /* the page that holds item k */
        const at = state.items.indexOf(k);
        if (at < 0) return false;
        state.page = state.every ? 0 : Math.floor(at / PAGE);
        draw();
        return true;
      },
      get items() { return state.items; },
    };
  }

  /* ---------------------------------------------------------------- stories */

  const storiesOf = docs.map(() => []);
  stories.forEach((s, k) => {
    storiesOf[s.o].push(k);
    s.copies.forEach((c) => { if (storiesOf[c.d][storiesOf[c.d].length - 1] !== k) storiesOf[c.d].push(k); });
  });
  const pairsOf = docs.map(() => []);
  pairs.forEach((p, i) => { pairsOf[p.a].push(i); pairsOf[p.b].push(i); });

  function when(i) {
    const t = Date.parse(docs[i].date || "");
    return Number.isNaN(t) ? null : t;
  }

  function outletsIn(s) {
    return new Set(s.copies.map((c) => outletOf(docs[c.d]))).size;
  }

  function storySummary(s) {
    const sum = el("summary");
    add(sum, articleLine(s.o));
    const most = Math.max(...s.copies.map((c) => c.taken));
    sum.appendChild(el("span", "info", plural(s.copies.length, "copy", "copies") + " in " +
      plural(outletsIn(s), "outlet", "outlets") + " · took up to " + pct(most)));
    return sum;
  }

  function storyView(s, k) {
    const view = el("div", "story-view");
    const times = [when(s.o), ...s.copies.map((c) => when(c.d))].filter((t) => t !== null);
    const t0 = times.length ? Math.min(...times) : null, t1 = times.length ? Math.max(...times) : null;
    const days = t0 === null ? 0 : Math.round((t1 - t0) / 86400000);
    view.appendChild(el("p", "note", "Timeline: the original, then each copy as it was published" +
      (days > 0 ? ", over " + plural(days, "day", "days") : "") + ". The dot places it in time; the bar is how much of the original it took."));
    const wrap = el("div", "table-wrap");
    const table = el("table", "timeline");
    const head = el("tr");
    ["published", "when", "article", "took", "of it copied", "what it changed", ""].forEach((h) => head.appendChild(el("th", null, h)));
    add(table, add(el("thead"), head));
    const body = el("tbody");
    const pairBox = el("div", "story-pair");
    function row(i, copy) {
      const tr = el("tr", copy ? "copy" : "original");
      tr.dataset.id = docs[i].id;
      tr.appendChild(el("td", "date", docs[i].date || "–"));
      const track = el("td", "when");
      const line = el("span", "track");
      const t = when(i);
      if (t !== null && t1 > t0) {
        const dot = el("span", "dot");
        dot.style.left = (100 * (t - t0) / (t1 - t0)).toFixed(1) + "%";
        line.appendChild(dot);
      } else if (t !== null) {
        line.appendChild(el("span", "dot"));
      }
      track.appendChild(line);
      tr.appendChild(track);
      const art = el("td", "who");
      art.appendChild(articleLine(i));
      art.appendChild(el("div", "id", docs[i].id));
      if (copy && copy.via !== null) art.appendChild(el("div", "via", "via " + (docs[copy.via].title || docs[copy.via].id)));
      tr.appendChild(art);
      if (!copy) {
        tr.appendChild(el("td", "num", "original"));
        tr.appendChild(el("td", "num", "–"));
        tr.appendChild(el("td", "edits", ""));
        tr.appendChild(el("td"));
        return tr;
      }
      const took = el("td", "num");
      add(took, bar(copy.taken), pct(copy.taken));
      tr.appendChild(took);
      tr.appendChild(el("td", "num", pct(copy.share)));
      const edits = el("td", "edits");
      copy.edits.forEach((e) => edits.appendChild(el("span", "edit", e)));
      if (copy.reason) edits.appendChild(el("span", "why", "by " + copy.reason));
      tr.appendChild(edits);
      const act = el("td");
      if (copy.pair !== null) {
        act.appendChild(button("compare", "small", () => {
          pairBox.textContent = "";
          pairBox.appendChild(el("h4", null, "Side by side: " + (docs[pairs[copy.pair].a].title || docs[pairs[copy.pair].a].id) +
            " and " + (docs[pairs[copy.pair].b].title || docs[pairs[copy.pair].b].id)));
          pairBox.appendChild(pairView(pairs[copy.pair]));
          pairBox.scrollIntoView({ block: "nearest" });
        }));
      }
      tr.appendChild(act);
      return tr;
    }
    body.appendChild(row(s.o, null));
    s.copies.slice(0, COPIES).forEach((c) => body.appendChild(row(c.d, c)));
    table.appendChild(body);
    if (s.copies.length > COPIES) {
      const foot = el("tfoot");
      const td = el("td");
      td.colSpan = 7;
      td.appendChild(button("show all " + s.copies.length + " copies", "small", () => {
        s.copies.slice(COPIES).forEach((c) => body.appendChild(row(c.d, c)));
        foot.remove();
      }));
      table.appendChild(add(foot, add(el("tr"), td)));
    }
    wrap.appendChild(table);
    view.appendChild(wrap);
    view.appendChild(pairBox);
    view.dataset.story = String(k);
    return view;
  }

  function storyItem(k) {
    const s = stories[k];
    const det = el("details", "story");
    det.dataset.story = String(k);
    det.dataset.id = docs[s.o].id;
    det.appendChild(storySummary(s));
    let built = false;
    det.addEventListener("toggle", () => { if (!built && det.open) { built = true; det.appendChild(storyView(s, k)); } });
    return det;
  }

  const storyHolder = document.getElementById("story-list");
  const storyList = storyHolder ? pagedList(storyHolder, "story", storyItem) : null;

  function openStory(k) {
    if (!storyList) return;
    if (!storyList.show(k)) { setQuery(""); storyList.show(k); }
    const det = storyHolder.querySelector('details.story[data-story="' + k + '"]');
    if (det) { det.open = true; det.scrollIntoView({ block: "start" }); }
  }

  /* ---------------------------------------------------------------- outlets */

  const outletNames = (DATA.outlets || []).map((o) => o.name);
  function outletView(name) {
    const box = document.getElementById("outlet-view");
    if (!box) return;
    const o = (DATA.outlets || []).find((x) => x.name === name);
    if (!o) return;
    box.textContent = "";
    box.dataset.outlet = name;
    const top = el("div", "outlet-head");
    top.appendChild(el("h3", null, name));
    const pick = el("select");
    pick.setAttribute("aria-label", "outlet shown");
    outletNames.slice().sort().forEach((n) => { const opt = el("option", null, n); opt.value = n; opt.selected = n === name; pick.appendChild(opt); });
    pick.addEventListener("change", () => outletView(pick.value));
    top.appendChild(pick);
    box.appendChild(top);
    box.appendChild(el("p", "note", plural(o.documents, "article", "articles") + " · reused " + pct(o.reused) +
      " · shared " + pct(o.shared) + " · rewritten " + pct(o.rewritten) + " · template " + pct(o.template)));

    function block(title, items, empty, render) {
      box.appendChild(el("h4", null, title));
      if (!items.length) { box.appendChild(el("p", "none", empty)); return; }
      const list = el("ol", "ranked");
      items.slice(0, LISTED).forEach((x) => list.appendChild(render(x)));
      box.appendChild(list);
      if (items.length > LISTED) {
        box.appendChild(button("show all " + items.length, "small", (ev) => {
          items.slice(LISTED).forEach((x) => list.appendChild(render(x)));
          ev.target.remove();
        }));
      }
    }
    const outletButton = (n) => (outletNames.includes(n) ? button(n, "link", () => outletView(n)) : el("span", null, n));
    block("Took from", o.from, "Nothing: it copies from no one.", ([src, share]) =>
      add(el("li"), bar(share), pct(share) + " of its text from ", outletButton(src)));
    const took = [];
    stories.forEach((s, k) => s.copies.forEach((c) => { if (outletOf(docs[c.d]) === name) took.push([c, k]); }));
    took.sort((x, y) => y[0].share - x[0].share || x[0].d - y[0].d);
    block("What it took", took, "No copies.", ([c, k]) => {
      const li = el("li");
      add(li, articleLine(c.d), el("span", "info", " " + pct(c.share) + " of it from "),
        articleLine(stories[k].o, () => openStory(k)));
      return li;
    });
    const own = stories.map((s, k) => k).filter((k) => outletOf(docs[stories[k].o]) === name);
    block("Its most copied stories", own, "None of its stories was copied.", (k) => {
      const li = el("li");
      add(li, articleLine(stories[k].o, () => openStory(k)), el("span", "info", " " +
        plural(stories[k].copies.length, "copy", "copies") + " in " + plural(outletsIn(stories[k]), "outlet", "outlets")));
      return li;
    });
    const by = (DATA.outlets || []).map((x) => [x.name, (x.from.find((f) => f[0] === name) || [null, 0])[1]])
      .filter((x) => x[1] > 0).sort((x, y) => y[1] - x[1]);
    block("Copied by", by, "No outlet copies it.", ([n, share]) =>
      add(el("li"), outletButton(n), " " + pct(share) + " of its text from " + name));
  }

  document.querySelectorAll("[data-outlet]").forEach((node) => {
    if (node.tagName === "TR") return;
    node.addEventListener("click", () => {
      outletView(node.dataset.outlet);
      const box = document.getElementById("outlet-view");
      if (box && node.closest("#outlet-table")) box.scrollIntoView({ block: "nearest" });
    });
  });

  /* ---------------------------------------------------------------- pairs */

  const pairHolder = document.getElementById("pairs");
  let pairList = null;
  let pairOrder = () => (DATA.order || pairs.map((p, i) => i));
  if (pairHolder && pairHolder.dataset.open === "all") {
    pairs.forEach((p, i) => pairHolder.appendChild(pairItem(i, true)));
  } else if (pairHolder) {
    pairList = pagedList(pairHolder, "pair", (i) => pairItem(i, false));
    const sort = document.getElementById("pair-sort");
    const titleOf = (i) => { const p = pairs[i]; const d = docs[p.source === 1 ? p.b : p.a]; return (d.title || d.id).toLowerCase(); };
    pairOrder = () => {
      const base = pairs.map((p, i) => i);
      if (sort.value === "date") return base;
      if (sort.value === "title") return base.sort((x, y) => (titleOf(x) < titleOf(y) ? -1 : titleOf(x) > titleOf(y) ? 1 : x - y));
      return (DATA.order || base).slice();
    };
    sort.addEventListener("change", () => refresh());
  }

  /* ---------------------------------------------------------------- search */

  let index = null;
  function buildIndex() {
    const norm = (x) => (x || "").toLowerCase().replace(/\s+/g, " ");
    const meta = docs.map((d) => [d.title, outletOf(d), d.date, d.id].map(norm).join("\u0001"));
    const text = docs.map((d, i) => (textOf(i) || "").toLowerCase());
    const starts = (parts) => { const out = [0]; parts.forEach((p) => out.push(out[out.length - 1] + p.length + 1)); return out; };
    index = { meta: meta.join("\u0000"), metaAt: starts(meta), text: text.join("\u0000"), textAt: starts(text), lower: text };
  }
  function docAt(bounds, pos) {
    let lo = 0, hi = bounds.length - 2;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (bounds[mid] <= pos) lo = mid; else hi = mid - 1; }
    return lo;
  }
  function find(haystack, bounds, q, skip) {
    const found = [];
    let pos = haystack.indexOf(q);
    while (pos >= 0) {
      const i = docAt(bounds, pos);
      if (!skip || !skip.has(i)) found.push(i);
      pos = haystack.indexOf(q, bounds[i + 1]);
    }
    return found;
  }
  /* Articles matching q: on their title, outlet, date or id first, then on their text. */
  function search(q) {
    if (!index) buildIndex();
    const key = q.toLowerCase().replace(/\s+/g, " ");
    const byMeta = find(index.meta, index.metaAt, key, null);
    const seen = new Set(byMeta);
    const byText = find(index.text, index.textAt, key, seen);
    return { meta: byMeta, text: byText };
  }

  function coverageLine(i) {
    const c = (DATA.coverage || [])[i];
    const box = el("div", "coverage");
    if (!c) return box;
    const strip = el("span", "strip");
    c[0].forEach(([src, share]) => { const part = el("span", "from"); part.style.width = (100 * share) + "%"; part.title = pct(share) + " from " + (docs[src].title || docs[src].id); strip.appendChild(part); });
    const fur = el("span", "furn"); fur.style.width = (100 * c[1]) + "%"; strip.appendChild(fur);
    box.appendChild(strip);
    const words = ["own " + pct(c[2])];
    c[0].slice(0, 3).forEach(([src, share]) => words.push(pct(share) + " from " + (docs[src].title || docs[src].id)));
    if (c[0].length > 3) words.push("and " + (c[0].length - 3) + " more sources");
    if (c[1] > 0) words.push("template " + pct(c[1]));
    box.appendChild(el("span", "info", words.join(" · ")));
    return box;
  }

  const resultBox = document.getElementById("results");
  const resultList = document.getElementById("result-list");
  const resultMore = document.getElementById("result-more");
  const input = document.getElementById("search");
  let found = null, shownResults = 0, query = "";

  function resultItem(i, key) {
    const li = el("li", "result");
    li.dataset.doc = String(i);
    const line = articleLine(i, storiesOf[i].length ? () => openStory(storiesOf[i][0]) : null);
    add(li, line, " ", el("span", "id", docs[i].id));
    li.appendChild(coverageLine(i));
    const text = index.lower[i], at = text.indexOf(key);
    if (at >= 0) {
      const raw = textOf(i);
      const start = Math.max(0, at - 60), end = Math.min(raw.length, at + key.length + 60);
      const snip = el("div", "snip");
      add(snip, (start ? "…" : "") + raw.slice(start, at), el("b", null, raw.slice(at, at + key.length)),
        raw.slice(at + key.length, end) + (end < raw.length ? "…" : ""));
      li.appendChild(snip);
    }
    const acts = el("div", "acts");
    storiesOf[i].slice(0, 3).forEach((k) => {
      const s = stories[k];
      acts.appendChild(button((s.o === i ? "its story" : "story: " + (docs[s.o].title || docs[s.o].id)), "small", () => openStory(k)));
    });
    if (pairsOf[i].length) acts.appendChild(button(plural(pairsOf[i].length, "pair", "pairs"), "small", () => setQuery(docs[i].id, true)));
    if (acts.childNodes.length) li.appendChild(acts);
    return li;
  }

  function drawResults(more) {
    const all = found.meta.concat(found.text);
    const key = query.toLowerCase().replace(/\s+/g, " ");
    const stop = Math.min(all.length, shownResults + (more ? PAGE : PAGE));
    const frag = document.createDocumentFragment();
    all.slice(shownResults, stop).forEach((i) => frag.appendChild(resultItem(i, key)));
    resultList.appendChild(frag);
    shownResults = stop;
    resultMore.hidden = shownResults >= all.length;
  }

  function refresh() {
    const q = input ? input.value.trim() : "";
    query = q;
    let keep = null;
    if (q) {
      found = search(q);
      keep = new Set(found.meta.concat(found.text));
      resultList.textContent = "";
      resultList.dataset.query = q;
      shownResults = 0;
      drawResults(false);
      resultBox.hidden = false;
      document.getElementById("search-count").textContent = plural(keep.size, "article", "articles") + " found";
    } else if (resultBox) {
      found = null;
      resultBox.hidden = true;
      resultList.textContent = "";
      delete resultList.dataset.query;
      document.getElementById("search-count").textContent = "";
    }
    if (storyList) {
      const ks = stories.map((s, k) => k).filter((k) => !keep || keep.has(stories[k].o) || stories[k].copies.some((c) => keep.has(c.d)));
      storyList.set(ks);
      document.getElementById("story-count").textContent = (keep ? ks.length + " of " : "") + plural(stories.length, "story", "stories");
    }
    if (pairList) {
      const order = pairOrder().filter((i) => !keep || keep.has(pairs[i].a) || keep.has(pairs[i].b));
      pairList.set(order);
      document.getElementById("pair-count").textContent = order.length + " of " + plural(pairs.length, "pair", "pairs");
    }
  }
  function setQuery(q, jump) {
    if (!input) return;
    input.value = q;
    refresh();
    if (jump) document.getElementById("pairs-list").scrollIntoView({ block: "start" });
  }
  if (input) input.addEventListener("input", refresh);
  if (resultMore) resultMore.addEventListener("click", () => drawResults(true));

  /* ---------------------------------------------------------------- clusters */

  const FIRST_CLUSTERS = 20, FIRST_MEMBERS = 5;
  function clusterRow(c) {
    const [name, members, originals, source] = c;
    const tr = el("tr");
    add(tr, el("td", null, name), el("td", "num", members.length.toLocaleString("en")));
    const heads = el("td");
    originals.slice().sort((x, y) => (y === source) - (x === source)).forEach((i) => {
      const line = add(el("div"), articleLine(i, storiesOf[i].length ? () => openStory(storiesOf[i][0]) : null));
      if (i === source && originals.length > 1) line.appendChild(el("span", "badge", "most copied"));
      heads.appendChild(line);
    });
    if (!originals.length) heads.appendChild(el("i", null, "cannot tell"));
    const rest = el("td");
    const others = members.filter((i) => !originals.includes(i));
    const shown = others.length > FIRST_MEMBERS + 1 ? FIRST_MEMBERS : others.length;
    others.slice(0, shown).forEach((i) => rest.appendChild(add(el("div"), articleLine(i))));
    if (others.length > shown) {
      const more = el("details", "more");
      more.appendChild(el("summary", null, "show all " + others.length));
      more.addEventListener("toggle", () => {
        if (more.open && more.childNodes.length === 1) others.slice(shown).forEach((i) => more.appendChild(add(el("div"), articleLine(i))));
      });
      rest.appendChild(more);
    }
    tr.appendChild(heads);
    tr.appendChild(rest);
    return tr;
  }
  function clusterTable() {
    const table = document.getElementById("cluster-table");
    if (!table) return;
    const all = DATA.clusters || [];
    const body = table.tBodies[0];
    const draw = (n) => { for (let k = body.rows.length; k < Math.min(n, all.length); k++) body.appendChild(clusterRow(all[k])); };
    draw(FIRST_CLUSTERS);
    if (all.length > FIRST_CLUSTERS) {
      const toggle = button("show all " + all.length, "small rows-toggle", () => { draw(all.length); toggle.remove(); });
      table.closest(".table-wrap").insertAdjacentElement("afterend", toggle);
    }
  }

  /* ---------------------------------------------------------------- sortable tables */

  function sortable(table) {
    table.querySelectorAll("th").forEach((th, col) => {
      th.tabIndex = 0;
      const go = () => {
        const num = th.dataset.type === "num";
        const current = th.getAttribute("aria-sort");
        /* numbers largest first, names A to Z; a second click turns the order round */
        const ascending = current ? current === "descending" : !num;
        table.querySelectorAll("th").forEach((h) => h.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        const val = (r) => (num ? parseFloat(r.cells[col].dataset.v) : r.cells[col].textContent.toLowerCase());
        rows.sort((x, y) => { const p = val(x), q = val(y); return (p < q ? -1 : p > q ? 1 : 0) * (ascending ? 1 : -1); });
        rows.forEach((r) => body.appendChild(r));
        table.dispatchEvent(new Event("sorted"));
      };
      th.addEventListener("click", go);
      th.addEventListener("keydown", (ev) => { if (ev.key === "Enter") go(); });
    });
  }

  /* A long table shows its first rows (data-rows) and a button for the rest. */
  function foldable(table) {
    const keep = parseInt(table.dataset.rows, 10);
    const rows = () => Array.from(table.tBodies[0].rows);
    if (!(rows().length > keep)) return;
    let folded = true;
    const toggle = button("", "small rows-toggle", () => { folded = !folded; fold(); });
    function fold() {
      rows().forEach((r, n) => r.classList.toggle("folded", folded && n >= keep));
      toggle.textContent = folded ? "show all " + rows().length : "show the first " + keep;
    }
    (table.closest(".table-wrap") || table).insertAdjacentElement("afterend", toggle);
    table.addEventListener("sorted", fold);
    fold();
  }

  document.querySelectorAll("table.sortable").forEach(sortable);
  document.querySelectorAll("table[data-rows]").forEach(foldable);
  clusterTable();
  refresh();
  const firstOutlet = document.querySelector("#outlet-table tbody tr");
  if (firstOutlet) outletView(firstOutlet.dataset.outlet);
  document.body.dataset.ready = "1";
})();
