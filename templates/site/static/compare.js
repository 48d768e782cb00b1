// ladderbuild: compare two levels side by side.
// Works from file:// — the data is embedded in the page as a JSON block, nothing is fetched.
// The choice lives in the query string (?a=level&b=level) so a comparison can be linked to.
// The DOM is built with textContent only: content text is never parsed as HTML.
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
  var result = document.getElementById("compare-result");
  var summary = document.getElementById("compare-summary");

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) { return String(values[key]); });
  }
  function months(n) { return n === null || n === undefined ? "" : (monthWords[n] || {}).months || String(n); }
  // Experience written in years is shown in years (the page words each count, like the months).
  function experience(L) {
    return L.experience_years === null || L.experience_years === undefined ? months(L.experience)
      : (monthWords["y" + L.experience_years] || {}).years || String(L.experience_years);
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function link(href, text) { var a = el("a", null, text); a.href = href; return a; }
  function credentialText(c) {
    var s = c.names.join(" " + t.or + " ") + " (" + (c.status === "required" ? t.required : t.preferred);
    if (c.within !== null && c.within !== undefined) { s += ", " + ((monthWords[c.within] || {}).within || String(c.within)); }
    return s + ")";
  }
  function kpiText(k) { return k.name + ": " + k.target; }

  // A row holds, for each level, a list of items; a list row marks the items only one side has.
  function listRow(label, a, b) {
    return {label: label, kind: "list", a: a, b: b, differs: a.join("\n") !== b.join("\n")};
  }
  function textRow(label, a, b) {
    return {label: label, kind: "text", a: a || "", b: b || "", differs: (a || "") !== (b || "")};
  }

  function rows(A, B) {
    var out = [
      textRow(t.track, A.track, B.track),
      textRow(t.grade, A.grade, B.grade),
      textRow(t.summary, A.summary, B.summary)
    ];
    var group = null;
    data.competencies.forEach(function (c) {
      var sa = A.stages[c.id], sb = B.stages[c.id];
      if (sa === undefined && sb === undefined) { return; }
      if (group !== c.domain) { group = c.domain; out.push({kind: "group", label: fmt(t.competencies, {domain: c.domain})}); }
      // A level's own statement for the competency is shown under its stage, and counts as a difference.
      var wa = A.statements[c.id] || "", wb = B.statements[c.id] || "";
      out.push({label: c.name, url: c.url, kind: "stage", a: sa, b: sb, wa: wa, wb: wb,
                differs: sa !== sb || wa !== wb});
    });
    out.push(listRow(t.responsibilities, A.responsibilities, B.responsibilities));
    out.push(listRow(t.credentials, A.credentials.map(credentialText), B.credentials.map(credentialText)));
    out.push(textRow(t.experience, experience(A), experience(B)));
    out.push(textRow(t.timeInLevel, months(A.time_in_level), months(B.time_in_level)));
    out.push(listRow(t.education, A.education, B.education));
    out.push(listRow(t.kpis, A.kpis.map(kpiText), B.kpis.map(kpiText)));
    return out.filter(function (r) {
      return r.kind !== "list" || r.a.length || r.b.length;
    });
  }

  function stageCell(td, rank, other) {
    if (rank === undefined) { td.appendChild(el("span", "muted", t.notExpected)); return; }
    td.appendChild(el("span", "stage-label", data.stages[rank].label));
    if (other !== undefined && other !== rank) {
      var higher = other === undefined || rank > other;
      td.appendChild(document.createTextNode(" "));
      td.appendChild(el("span", "tag " + (higher ? "tag--raised" : "tag--lowered"), higher ? "▲ " + t.higher : "▼ " + t.lower));
    } else if (other === undefined) {
      td.appendChild(document.createTextNode(" "));
      td.appendChild(el("span", "tag tag--new", t.onlyHere));
    }
  }
  function listCell(td, items, others) {
    if (!items.length) { td.appendChild(el("span", "muted", t.none)); return; }
    var ul = el("ul");
    items.forEach(function (item) {
      var li = el("li", null, item);
      if (others.indexOf(item) === -1) {
        li.className = "only-here";
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", "tag tag--new", t.onlyHere));
      }
      ul.appendChild(li);
    });
    td.appendChild(ul);
  }

  function render(aId, bId) {
    var A = data.levels[aId], B = data.levels[bId];
    result.textContent = "";
    if (!A || !B) { return; }
    var table = el("table", "compare-table");
    var head = el("thead"), hr = el("tr");
    hr.appendChild(el("th", null, t.aspect)).scope = "col";
    [A, B].forEach(function (L) { var th = el("th"); th.scope = "col"; th.appendChild(link(L.url, L.title)); hr.appendChild(th); });
    head.appendChild(hr);
    table.appendChild(head);
    var body = el("tbody");
    var list = rows(A, B), differing = 0, total = 0;
    list.forEach(function (r) {
      var tr = el("tr");
      if (r.kind === "group") {
        var gh = el("th", "compare-group", r.label); gh.colSpan = 3; gh.scope = "colgroup";
        tr.appendChild(gh); body.appendChild(tr); return;
      }
      total += 1;
      var th = el("th"); th.scope = "row";
      if (r.url) { th.appendChild(link(r.url, r.label)); } else { th.textContent = r.label; }
      if (r.differs) {
        differing += 1;
        tr.className = "differs";
        th.appendChild(document.createTextNode(" "));
        th.appendChild(el("span", "tag tag--differs", t.differs));
      }
      tr.appendChild(th);
      var ta = el("td"), tb = el("td");
      if (r.kind === "stage") {
        stageCell(ta, r.a, r.b); stageCell(tb, r.b, r.a);
        if (r.wa) { ta.appendChild(el("p", "statement", r.wa)); }
        if (r.wb) { tb.appendChild(el("p", "statement", r.wb)); }
      }
      else if (r.kind === "list") { listCell(ta, r.a, r.b); listCell(tb, r.b, r.a); }
      else { ta.textContent = r.a || "—"; tb.textContent = r.b || "—"; }
      tr.appendChild(ta); tr.appendChild(tb);
      body.appendChild(tr);
    });
    table.appendChild(body);
    result.appendChild(table);
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
  var a = data.levels[p.a] ? p.a : data.order[0];
  var b = data.levels[p.b] ? p.b : (data.order[1] || data.order[0]);
  selA.value = a;
  selB.value = b;
  render(a, b);
  function update() {
    render(selA.value, selB.value);
    if (history.replaceState) {
      try { history.replaceState(null, "", "?a=" + encodeURIComponent(selA.value) + "&b=" + encodeURIComponent(selB.value)); }
      catch (e) { /* some browsers refuse replaceState on file:// — the comparison still shows */ }
    }
  }
  selA.addEventListener("change", update);
  selB.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
})();
