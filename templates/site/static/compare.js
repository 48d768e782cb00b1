// ladderbuild: compare two levels side by side.
// Works from file:// — the data is embedded in the page as a JSON block, nothing is fetched.
// The choice lives in the query string (?a=level&b=level, &diff=1 for only the differences) so a
// comparison can be linked to. The DOM is built with textContent only: content text is never parsed as HTML.
// Items of two lists are paired by the identity keys the build gave them (see listmatch.py): an
// indicator whose target moved, a credential that gained a deadline, is one row that changed.
(function () {
  "use strict";
  var dataEl = document.getElementById("compare-data");
  var i18nEl = document.getElementById("compare-i18n");
  if (!dataEl || !i18nEl) { return; }
  var data = JSON.parse(dataEl.textContent);
  var t = JSON.parse(i18nEl.textContent);
  var monthsEl = document.getElementById("compare-months");
  var monthWords = monthsEl ? JSON.parse(monthsEl.textContent) : {};
  var form = document.getElementById("compare-form");
  var selA = document.getElementById("compare-a");
  var selB = document.getElementById("compare-b");
  var onlyDiff = document.getElementById("compare-only-differences");
  var result = document.getElementById("compare-result");
  var summary = document.getElementById("compare-summary");
  var title = document.getElementById("compare-title");

  var fmt = window.LadderbuildDom.fmt, el = window.LadderbuildDom.el, link = window.LadderbuildDom.link;
  function months(n) { return n === null || n === undefined ? "" : (monthWords[n] || {}).months || String(n); }
  // Experience written in years is shown in years (the page words each count, like the months).
  function experience(L) {
    return L.experience_years === null || L.experience_years === undefined ? months(L.experience)
      : (monthWords["y" + L.experience_years] || {}).years || String(L.experience_years);
  }

  // The parts an item is shown as, each with a name: parts whose text differs in the paired item are marked.
  var PARTS = {
    credentials: function (c) {
      var parts = [["names", c.names.join(" " + t.or + " ")], ["status", c.status === "required" ? t.required : t.preferred]];
      if (c.within !== null && c.within !== undefined) { parts.push(["within", (monthWords[c.within] || {}).within || String(c.within)]); }
      if (c.notes) { parts.push(["notes", c.notes]); }
      return parts;
    },
    kpis: function (k) {
      var parts = [["name", k.name], ["target", fmt(t.target, {target: k.target})]];
      if (k.period) { parts.push(["period", k.period]); }
      return parts;
    },
    text: function (item) { return [["text", item.text]]; }
  };

  // Pairs [a, b] of the items of two lists: equal items first, then items sharing an identity key;
  // in b's order, an item only a has after the paired item it followed.
  function pairItems(as, bs) {
    var partner = {}, taken = {};
    function pairWhere(test) {
      as.forEach(function (a, i) {
        if (i in partner) { return; }
        for (var j = 0; j < bs.length; j++) {
          if (!taken[j] && test(a, bs[j])) { partner[i] = j; taken[j] = true; return; }
        }
      });
    }
    pairWhere(function (a, b) { return JSON.stringify(a) === JSON.stringify(b); });
    pairWhere(function (a, b) { return a.keys.some(function (k) { return b.keys.indexOf(k) !== -1; }); });
    var placed = [];
    var ofB = {};
    Object.keys(partner).forEach(function (i) { ofB[partner[i]] = Number(i); });
    bs.forEach(function (b, j) { placed.push({pos: j, order: 0, a: j in ofB ? as[ofB[j]] : null, b: b}); });
    var position = -0.5;
    as.forEach(function (a, i) {
      if (i in partner) { position = partner[i]; } else { placed.push({pos: position + 0.5, order: i + 1, a: a, b: null}); }
    });
    placed.sort(function (x, y) { return x.pos - y.pos || x.order - y.order; });
    return placed;
  }

  function rows(A, B) {
    var out = [{kind: "group", label: t.overview}];
    [[t.track, A.track, B.track], [t.grade, A.grade, B.grade], [t.summary, A.summary, B.summary]].forEach(function (r) {
      if (r[1] || r[2]) { out.push({kind: "text", label: r[0], a: r[1] || "", b: r[2] || "", differs: (r[1] || "") !== (r[2] || "")}); }
    });
    var group = null;
    data.competencies.forEach(function (c) {
      var sa = A.stages[c.id], sb = B.stages[c.id];
      if (sa === undefined && sb === undefined) { return; }
      if (group !== c.domain) { group = c.domain; out.push({kind: "group", label: fmt(t.competencies, {domain: c.domain})}); }
      // A level's own statement for the competency is shown under its stage, and counts as a difference.
      var wa = (A.statements || {})[c.id] || "", wb = (B.statements || {})[c.id] || "";
      out.push({kind: "stage", id: c.id, label: c.name, url: c.url, anchors: c.anchors, a: sa, b: sb, wa: wa, wb: wb,
                differs: sa !== sb || wa !== wb});
    });
    // rows of paired items; `header`: the part that names an item (its row header), else `rowLabel`
    function listRows(group, key, partsOf, header, rowLabel) {
      var pairs = pairItems(A[key] || [], B[key] || []);
      if (!pairs.length) { return; }
      if (group) { out.push({kind: "group", label: group}); }
      pairs.forEach(function (p) {
        var pa = p.a ? partsOf(p.a) : null, pb = p.b ? partsOf(p.b) : null;
        var status = !p.a || !p.b ? "only" : JSON.stringify(pa) === JSON.stringify(pb) ? "same" : "changed";
        out.push({kind: "item", header: header, label: rowLabel, a: pa, b: pb, status: status, differs: status !== "same"});
      });
    }
    listRows(t.responsibilities, "responsibilities", PARTS.text, null, null);
    out.push({kind: "group", label: t.requirements});
    var requirements = out.length;
    listRows(null, "credentials", PARTS.credentials, "names", null);
    [[t.experience, experience(A), experience(B)], [t.timeInLevel, months(A.time_in_level), months(B.time_in_level)]]
      .forEach(function (r) {
        if (r[1] || r[2]) { out.push({kind: "text", label: r[0], a: r[1], b: r[2], differs: r[1] !== r[2]}); }
      });
    listRows(null, "education", PARTS.text, null, t.education);
    listRows(null, "other", PARTS.text, null, t.other);
    if (out.length === requirements) { out.pop(); }
    listRows(t.kpis, "kpis", PARTS.kpis, "name", null);
    return out;
  }

  function tag(className, text) { return el("span", "tag " + className, text); }

  function stageCell(td, row, rank, other) {
    if (rank === undefined) { td.appendChild(el("span", "muted", t.notExpected)); return; }
    var head = el("p", "compare-stage");
    head.appendChild(el("strong", "stage-label", data.stages[rank].label));
    if (other === undefined) {
      head.appendChild(document.createTextNode(" "));
      head.appendChild(tag("tag--new", t.onlyHere));
    } else if (other !== rank) {
      head.appendChild(document.createTextNode(" "));
      head.appendChild(tag(rank > other ? "tag--raised" : "tag--lowered", rank > other ? "▲ " + t.higher : "▼ " + t.lower));
    }
    td.appendChild(head);
    if (row.anchors[rank]) { td.appendChild(el("p", "compare-anchor", row.anchors[rank])); }
  }

  function partsCell(td, parts, others, skip) {
    if (!parts) { td.appendChild(el("span", "muted", "—")); return; }
    var mine = parts.filter(function (p) { return p[0] !== skip; });
    mine.forEach(function (part, i) {
      var other = others ? others.filter(function (o) { return o[0] === part[0]; })[0] : null;
      var changed = others && (!other || other[1] !== part[1]);
      if (i) { td.appendChild(document.createTextNode(" · ")); }
      td.appendChild(changed ? el("mark", "changed", part[1]) : document.createTextNode(part[1]));
    });
    if (!mine.length) { td.appendChild(el("span", "muted", "—")); }
  }

  function render(aId, bId) {
    var A = data.levels[aId], B = data.levels[bId];
    result.textContent = "";
    if (!A || !B) { return; }
    var table = el("table", "compare-table stack-sm" + (onlyDiff.checked ? " only-differences" : ""));
    var head = el("thead"), hr = el("tr");
    hr.appendChild(el("th", null, t.aspect)).scope = "col";
    [A, B].forEach(function (L) { var th = el("th"); th.scope = "col"; th.appendChild(link(L.url, L.title)); hr.appendChild(th); });
    head.appendChild(hr);
    table.appendChild(head);
    var list = rows(A, B), differing = 0, total = 0, body = null, groupRows = 0, groupBody = null;
    function closeGroup() { if (groupBody && !groupRows) { groupBody.classList.add("is-same"); } }
    list.forEach(function (r) {
      var tr = el("tr");
      if (r.kind === "group") {
        closeGroup();
        body = groupBody = el("tbody");
        groupRows = 0;
        var gh = el("th", "compare-group", r.label); gh.colSpan = 3; gh.scope = "colgroup";
        tr.appendChild(gh); body.appendChild(tr); table.appendChild(body); return;
      }
      total += 1;
      var th = el("th"); th.scope = "row";
      if (r.kind === "stage") {
        th.appendChild(link(r.url, r.label));
        tr.id = "row-" + r.id;
      } else if (r.kind === "item") {
        var named = r.header ? (r.b || r.a).filter(function (p) { return p[0] === r.header; })[0] : null;
        var note = r.status === "changed" ? t.changed : r.status === "only" ? fmt(t.onlyIn, {level: r.a ? A.label : B.label}) : "";
        if (named || r.label) {
          th.appendChild(document.createTextNode(named ? named[1] : r.label));
        } else {
          th.appendChild(el("span", r.status === "same" ? "muted" : null, note || t.same));
          note = "";
        }
        if (note) { th.appendChild(document.createTextNode(" ")); th.appendChild(tag(r.status === "only" ? "tag--new" : "tag--differs", note)); }
      } else {
        th.textContent = r.label;
      }
      if (r.differs) {
        differing += 1;
        groupRows += 1;
        tr.className = "differs";
        if (r.kind !== "item") { th.appendChild(document.createTextNode(" ")); th.appendChild(tag("tag--differs", t.differs)); }
      } else {
        tr.className = "same";
      }
      tr.appendChild(th);
      var ta = el("td"), tb = el("td");
      ta.setAttribute("data-label", A.label);
      tb.setAttribute("data-label", B.label);
      if (r.kind === "stage") {
        stageCell(ta, r, r.a, r.b); stageCell(tb, r, r.b, r.a);
        if (r.wa) { ta.appendChild(el("p", "statement", r.wa)); }
        if (r.wb) { tb.appendChild(el("p", "statement", r.wb)); }
      }
      else if (r.kind === "item") { partsCell(ta, r.a, r.b, r.header); partsCell(tb, r.b, r.a, r.header); }
      else { ta.textContent = r.a || "—"; tb.textContent = r.b || "—"; }
      tr.appendChild(ta); tr.appendChild(tb);
      body.appendChild(tr);
    });
    closeGroup();
    result.appendChild(table);
    if (onlyDiff.checked && !differing) { result.appendChild(el("p", null, t.nothingDiffers)); }
    title.hidden = false;
    title.textContent = fmt(t.title, {a: A.title, b: B.title});
    summary.textContent = aId === bId ? t.sameLevel
      : fmt(t.summaryText, {a: A.title, b: B.title, num: differing, total: total});
  }

  function params() {
    var out = {};
    location.search.replace(/^\?/, "").split("&").forEach(function (pair) {
      if (!pair) { return; }
      var kv = pair.split("=");
      out[decodeURIComponent(kv[0])] = decodeURIComponent((kv[1] || "").replace(/\+/g, " "));
    });
    return out;
  }

  var p = params();
  selA.value = data.levels[p.a] ? p.a : data.order[0];
  selB.value = data.levels[p.b] ? p.b : (data.order[1] || data.order[0]);
  onlyDiff.checked = p.diff === "1";
  render(selA.value, selB.value);
  function update() {
    render(selA.value, selB.value);
    if (history.replaceState) {
      var query = "?a=" + encodeURIComponent(selA.value) + "&b=" + encodeURIComponent(selB.value) + (onlyDiff.checked ? "&diff=1" : "");
      try { history.replaceState(null, "", query + location.hash); }
      catch (e) { /* some browsers refuse replaceState on file:// — the comparison still shows */ }
    }
  }
  selA.addEventListener("change", update);
  selB.addEventListener("change", update);
  onlyDiff.addEventListener("change", update);
  document.getElementById("compare-swap").addEventListener("click", function () {
    var a = selA.value;
    selA.value = selB.value;
    selB.value = a;
    update();
  });
  var printButton = document.getElementById("compare-print");
  printButton.hidden = false;
  printButton.addEventListener("click", function () { window.print(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
})();
