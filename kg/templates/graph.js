(function () {
  "use strict";
  // Everything from articles is read from the JSON data and shown with textContent, never as markup.
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var meta = data.meta;
  var nodeById = new Map(), edgeById = new Map(), incident = new Map();
  data.nodes.forEach(function (n) { nodeById.set(n.id, n); incident.set(n.id, []); });
  data.edges.forEach(function (e) {
    edgeById.set(e.id, e);
    incident.get(e.from).push(e);
    if (e.to !== e.from) incident.get(e.to).push(e);
  });
  var state = {
    year: null,
    classes: new Set(data.classes.map(function (c) { return c.name; })),
    relations: new Set(data.relations.map(function (r) { return r.name; })),
    doc: -1,
    overview: meta.large,
    revealed: new Set()
  };
  var drawn = {nodes: new Map(), edges: new Map(), widths: new Map()};
  data.nodes.forEach(function (n) { drawn.nodes.set(n.id, !n.hidden); });
  data.edges.forEach(function (e) { drawn.edges.set(e.id, !e.hidden); drawn.widths.set(e.id, e.width); });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("graph"), {nodes: nodes, edges: edges}, data.options);
  network.once("afterDrawing", function () { window.kgFirstDraw = performance.now(); });

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function names(n) { return n.zh === n.en ? n.en : n.en + " / " + n.zh; }

  function nodeVisible(n) {
    if (!state.classes.has(n.cls)) return false;
    if (state.doc >= 0 && n.docs.indexOf(state.doc) < 0) return false;
    if (state.year !== null && n.first !== null && n.first > state.year) return false;
    return !state.overview || n.core || state.revealed.has(n.id);
  }
  function edgeVisible(e) {
    if (!state.relations.has(e.rel)) return false;
    if (state.doc >= 0 && e.docs.indexOf(state.doc) < 0) return false;
    if (state.year === null) return true;
    return (e.since === null || e.since <= state.year) && (e.until === null || state.year < e.until);
  }

  function refresh() {
    var nodeChanges = [], edgeChanges = [], shown = new Set(), shownEdges = 0, fresh = 0, ended = 0;
    data.nodes.forEach(function (n) {
      var show = nodeVisible(n);
      if (show) shown.add(n.id);
      if (drawn.nodes.get(n.id) !== show) { drawn.nodes.set(n.id, show); nodeChanges.push({id: n.id, hidden: !show}); }
    });
    data.edges.forEach(function (e) {
      var show = shown.has(e.from) && shown.has(e.to) && edgeVisible(e);
      var width = show && state.year !== null && e.since === state.year ? 4 : e.width;
      if (show) shownEdges += 1;
      if (state.year !== null && e.since === state.year) fresh += 1;
      if (state.year !== null && e.until === state.year) ended += 1;
      if (drawn.edges.get(e.id) !== show || drawn.widths.get(e.id) !== width) {
        drawn.edges.set(e.id, show);
        drawn.widths.set(e.id, width);
        edgeChanges.push({id: e.id, hidden: !show, width: width});
      }
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
    var text = "Showing " + shown.size + " of " + data.nodes.length + " entities, " + shownEdges + " of " +
      data.edges.length + " relations";
    if (state.year !== null) text += " · " + state.year + ": " + fresh + " new, " + ended + " ended";
    $("status").textContent = text;
    $("notice").textContent = state.overview ?
      "Overview: the " + meta.core + " most central of " + data.nodes.length +
      " entities. Click a node to show its neighbours; search finds every entity." : "";
    $("show-all").hidden = !state.overview;
  }

  // Year slider: the last position shows every claim, whatever its date.
  var slider = $("year");
  function yearText() { return state.year === null ? "all years" : "as of " + state.year; }
  if (meta.years) {
    slider.min = meta.years[0];
    slider.max = meta.years[1] + 1;
    slider.value = slider.max;
  } else {
    slider.disabled = true;
    $("play").disabled = true;
  }
  function setYear(year) {
    state.year = year === null || !meta.years || year > meta.years[1] ? null : Math.max(year, meta.years[0]);
    slider.value = state.year === null ? slider.max : state.year;
    $("year-label").textContent = meta.years ? yearText() : "no dated claims";
    refresh();
  }
  slider.addEventListener("input", function () { stop(); setYear(Number(slider.value)); });
  var timer = null;
  function stop() { if (timer) { clearInterval(timer); timer = null; $("play").textContent = "▶"; } }
  $("play").addEventListener("click", function () {
    if (timer) { stop(); return; }
    setYear(state.year === null || state.year >= meta.years[1] ? meta.years[0] : state.year + 1);
    $("play").textContent = "❚❚";
    timer = setInterval(function () {
      if (state.year === null || state.year >= meta.years[1]) { stop(); return; }
      setYear(state.year + 1);
    }, 1200);
  });

  // Filters: classes (the legend), relations, source document.
  function checkbox(label, color, shape, count, checked, onChange) {
    var row = el("label"), box = el("input");
    box.type = "checkbox";
    box.checked = checked;
    box.addEventListener("change", function () { onChange(box.checked); });
    row.appendChild(box);
    if (color) {
      var sw = el("span", "swatch " + shape);
      sw.style.background = color;
      row.appendChild(sw);
    }
    row.appendChild(el("span", null, label));
    row.appendChild(el("span", "count", count));
    return row;
  }
  data.classes.forEach(function (c) {
    $("class-filter").appendChild(checkbox(c.name, c.color, c.shape, c.count, true, function (on) {
      if (on) state.classes.add(c.name); else state.classes.delete(c.name);
      refresh();
    }));
  });
  var relationBoxes = [];
  data.relations.forEach(function (r) {
    var row = checkbox(r.label + (r.zh && r.zh !== r.label ? " · " + r.zh : ""), null, null, r.count, true, function (on) {
      if (on) state.relations.add(r.name); else state.relations.delete(r.name);
      refresh();
    });
    relationBoxes.push([row.querySelector("input"), r.name]);
    $("relation-filter").appendChild(row);
  });
  function allRelations(on) {
    relationBoxes.forEach(function (pair) {
      pair[0].checked = on;
      if (on) state.relations.add(pair[1]); else state.relations.delete(pair[1]);
    });
    refresh();
  }
  $("all-relations").addEventListener("click", function () { allRelations(true); });
  $("no-relations").addEventListener("click", function () { allRelations(false); });
  var docSelect = $("doc-filter");
  docSelect.appendChild(el("option", null, "All documents (" + data.documents.length + ")"));
  docSelect.firstChild.value = "-1";
  data.documents.forEach(function (d, i) {
    var opt = el("option", null, d.title + (d.date ? " (" + d.date.slice(0, 10) + ")" : ""));
    opt.value = String(i);
    docSelect.appendChild(opt);
  });
  docSelect.addEventListener("change", function () { state.doc = Number(docSelect.value); refresh(); });
  $("reset").addEventListener("click", function () {
    state.classes = new Set(data.classes.map(function (c) { return c.name; }));
    document.querySelectorAll("#class-filter input").forEach(function (b) { b.checked = true; });
    docSelect.value = "-1";
    state.doc = -1;
    stop();
    allRelations(true);
    setYear(null);
  });
  $("fit").addEventListener("click", function () { network.fit({animation: false}); });
  $("show-all").addEventListener("click", function () { state.overview = false; refresh(); network.fit({animation: false}); });

  // Side panel: claims, evidence, dates, confidence and source of a node or an edge.
  var panel = $("panel"), body = $("panel-body");
  function openPanel() { body.textContent = ""; panel.classList.add("open"); panel.scrollTop = 0; }
  function closePanel() { panel.classList.remove("open"); body.textContent = ""; }
  $("panel-close").addEventListener("click", function () { closePanel(); network.unselectAll(); });
  function evidence(c) {
    var q = el("blockquote", "evidence"), at = 0;
    c.spans.forEach(function (s) {
      if (s[0] < at) return;
      q.appendChild(document.createTextNode(c.sentence.slice(at, s[0])));
      q.appendChild(el("mark", s[2] === "s" ? "subj" : "obj", c.sentence.slice(s[0], s[1])));
      at = s[1];
    });
    q.appendChild(document.createTextNode(c.sentence.slice(at)));
    return q;
  }
  function claimBox(e, index) {
    var c = data.claims[index], box = el("div", "claim " + e.kind), dl = el("dl");
    box.appendChild(evidence(c));
    function row(name, value) {
      if (value === "" || value === null || value === undefined) return;
      dl.appendChild(el("dt", null, name));
      dl.appendChild(el("dd", null, value));
    }
    var doc = data.documents[c.doc];
    row("date", c.year === null ? "undated" : c.year + (c.date ? " (“" + c.date + "”" + (c.relative ? ", relative" : "") + ")" : ""));
    row("claim", c.polarity + ", " + c.modality);
    row("confidence", c.confidence.toFixed(2));
    row("amount", c.amount);
    row("rule", c.rule);
    if (doc) {
      row("document", doc.title + (doc.date ? " (" + doc.date.slice(0, 10) + ")" : ""));
      row("source", doc.source || "no source URL");
    }
    box.appendChild(dl);
    return box;
  }
  function kindBadge(kind) {
    return kind === "fact" ? null : el("span", "badge " + kind, kind === "negated" ? "negated" : "planned / possible");
  }
  function edgeTitle(e) {
    return nodeById.get(e.from).en + " → " + e.relLabel + " → " + nodeById.get(e.to).en;
  }
  function span(e) {
    var parts = [];
    parts.push(e.since === null ? "undated" : "from " + e.since);
    if (e.until !== null) parts.push("ends " + e.until + " (removed or replaced)");
    return parts.join(", ");
  }
  function showEdge(id) {
    var e = edgeById.get(id);
    openPanel();
    body.appendChild(el("h2", null, edgeTitle(e)));
    var sub = el("p", "sub");
    var badge = kindBadge(e.kind);
    if (badge) sub.appendChild(badge);
    sub.appendChild(el("span", "badge", span(e)));
    sub.appendChild(el("span", "badge", e.claims.length + " claim(s)"));
    body.appendChild(sub);
    body.appendChild(el("h3", null, "Evidence"));
    e.claims.forEach(function (i) { body.appendChild(claimBox(e, i)); });
  }
  function keepInView(id) {
    if (!drawn.nodes.get(id)) return;
    var pos = network.getPositions([id])[id], dom = network.canvasToDOM(pos);
    var free = $("graph").clientWidth - panel.offsetWidth;
    if (dom.x > free - 40 || dom.x < 40) {
      network.moveTo({position: pos, offset: {x: -panel.offsetWidth / 2, y: 0}, scale: network.getScale(), animation: false});
    }
  }
  function showNode(id) {
    var n = nodeById.get(id), mine = incident.get(id).slice();
    openPanel();
    keepInView(id);
    body.appendChild(el("h2", null, names(n)));
    var sub = el("p", "sub");
    sub.appendChild(el("span", "badge", n.cls));
    if (n.discovered) sub.appendChild(el("span", "badge", "discovered in text"));
    sub.appendChild(el("span", "badge", "PageRank " + n.rank.toFixed(3)));
    sub.appendChild(el("span", "badge", mine.length + " relation(s)"));
    body.appendChild(sub);
    if (n.description) body.appendChild(el("p", "sub", n.description));
    if (n.aliases.length) body.appendChild(el("p", "sub", "Also: " + n.aliases.join(", ")));
    if (!drawn.nodes.get(id)) body.appendChild(el("p", "more", "Hidden by the current filters or year."));
    mine.sort(function (a, b) {
      return (a.from === id ? 0 : 1) - (b.from === id ? 0 : 1) || (a.since === null ? -1e9 : a.since) -
        (b.since === null ? -1e9 : b.since) || (a.id < b.id ? -1 : 1);
    });
    body.appendChild(el("h3", null, "Relations and evidence"));
    var limit = 40;
    mine.slice(0, limit).forEach(function (e) {
      var head = el("div", "edge-row"), link = el("button", null, edgeTitle(e));
      link.type = "button";
      link.addEventListener("click", function () { network.selectEdges([e.id]); showEdge(e.id); });
      head.appendChild(link);
      var badge = kindBadge(e.kind);
      if (badge) { head.appendChild(el("span", null, " ")); head.appendChild(badge); }
      head.appendChild(el("span", "badge", span(e)));
      body.appendChild(head);
      e.claims.slice(0, 3).forEach(function (i) { body.appendChild(claimBox(e, i)); });
      if (e.claims.length > 3) body.appendChild(el("p", "more", (e.claims.length - 3) + " more claim(s): click the relation."));
    });
    if (mine.length > limit) body.appendChild(el("p", "more", (mine.length - limit) + " more relation(s) not listed."));
  }
  function expand(id) {
    if (!state.overview) return;
    state.revealed.add(id);
    incident.get(id).forEach(function (e) { state.revealed.add(e.from); state.revealed.add(e.to); });
    refresh();
  }
  network.on("click", function (p) {
    if (p.nodes.length) { expand(p.nodes[0]); showNode(p.nodes[0]); }
    else if (p.edges.length) showEdge(p.edges[0]);
    else closePanel();
  });

  // Search over English, Chinese and alias labels; a result focuses its node and opens the panel.
  function goTo(id) {
    if (!nodeById.has(id)) return;
    expand(id);
    if (drawn.nodes.get(id)) {
      network.selectNodes([id]);
      network.focus(id, {scale: Math.max(network.getScale(), 1.0), animation: false});
    }
    showNode(id);
  }
  var search = $("search"), results = $("results");
  function matches(text) {
    var q = text.trim().toLocaleLowerCase();
    if (!q) return [];
    var found = data.nodes.filter(function (n) { return n.search.indexOf(q) >= 0; });
    found.sort(function (a, b) {
      var pa = a.search.indexOf(q) === 0 ? 0 : 1, pb = b.search.indexOf(q) === 0 ? 0 : 1;
      return pa - pb || b.rank - a.rank || (a.id < b.id ? -1 : 1);
    });
    return found;
  }
  search.addEventListener("input", function () {
    results.textContent = "";
    matches(search.value).slice(0, 12).forEach(function (n) {
      var li = el("li"), b = el("button", null, names(n));
      b.type = "button";
      b.appendChild(el("small", null, n.cls));
      b.addEventListener("click", function () { results.textContent = ""; goTo(n.id); });
      li.appendChild(b);
      results.appendChild(li);
    });
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = matches(search.value);
      results.textContent = "";
      if (found.length) goTo(found[0].id);
    } else if (ev.key === "Escape") {
      results.textContent = "";
    }
  });

  // Links from the report: #node=<id> opens an entity, #year=<year> sets the slider.
  function fromHash() {
    var params = new URLSearchParams(location.hash.slice(1));
    if (params.has("year")) setYear(Number(params.get("year")));
    if (params.has("node")) goTo(params.get("node"));
  }
  window.addEventListener("hashchange", fromHash);

  setYear(null);
  network.fit({animation: false, nodes: data.nodes.filter(function (n) { return drawn.nodes.get(n.id); })
    .map(function (n) { return n.id; })});
  fromHash();
  window.kg = {
    network: network, nodes: nodes, edges: edges, data: data, state: state, setYear: setYear, goTo: goTo,
    drawn: function () { return {nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length}; }
  };
})();
