// ladderbuild: place yourself on the ladder. Works from file:// — the ladder's data is embedded in the page
// as a JSON block, nothing is fetched, nothing is sent.
// The choices are native radio buttons (one group per competency), so the page works with a keyboard and
// a screen reader as any form does. They are kept in the address (#at=level&s=competency:stage,…), so a
// placement can be linked to, and in this browser's local storage, so it is there next time.
// The DOM is built with textContent only: content text is never parsed as HTML.
(function () {
  "use strict";
  var dataEl = document.getElementById("place-data");
  var i18nEl = document.getElementById("place-i18n");
  var form = document.getElementById("place-form");
  if (!dataEl || !i18nEl || !form) { return; }
  var data = JSON.parse(dataEl.textContent);
  var t = JSON.parse(i18nEl.textContent);
  var levelSelect = document.getElementById("place-level");
  var status = document.getElementById("place-status");
  var levelsBox = document.getElementById("place-levels");
  var gapsBox = document.getElementById("place-gaps");
  var progress = document.getElementById("place-progress");
  var STORE = "ladderbuild-place:" + location.pathname;
  var rankOf = {};
  data.stages.forEach(function (s, i) { rankOf[s.id] = i; });
  var competency = {};
  data.competencies.forEach(function (c) { competency[c.id] = c; });

  var fmt = window.LadderbuildDom.fmt, el = window.LadderbuildDom.el, link = window.LadderbuildDom.link;

  // state: {at: level id or "", ratings: {competency id: stage id}}
  function read() {
    var ratings = {};
    form.querySelectorAll("fieldset[data-competency]").forEach(function (set) {
      var checked = set.querySelector("input:checked");
      if (checked && checked.value) { ratings[set.getAttribute("data-competency")] = checked.value; }
    });
    return {at: levelSelect.value, ratings: ratings};
  }
  function write(state) {
    levelSelect.value = data.levels[state.at] ? state.at : "";
    form.querySelectorAll("fieldset[data-competency]").forEach(function (set) {
      var wanted = state.ratings[set.getAttribute("data-competency")] || "";
      set.querySelectorAll("input[type=radio]").forEach(function (input) { input.checked = input.value === wanted; });
    });
  }
  function serialise(state) {
    var pairs = data.competencies.filter(function (c) { return state.ratings[c.id]; })
      .map(function (c) { return c.id + ":" + state.ratings[c.id]; });
    var parts = [];
    if (state.at) { parts.push("at=" + encodeURIComponent(state.at)); }
    if (pairs.length) { parts.push("s=" + pairs.join(",")); }
    return parts.join("&");
  }
  function parse(text) {
    var state = {at: "", ratings: {}}, found = false;
    text.replace(/^#/, "").split("&").forEach(function (pair) {
      var kv = pair.split("="), value = decodeURIComponent(kv[1] || "");
      if (kv[0] === "at" && data.levels[value]) { state.at = value; found = true; }
      if (kv[0] === "s") {
        value.split(",").forEach(function (item) {
          var cs = item.split(":");
          if (competency[cs[0]] && cs[1] in rankOf) { state.ratings[cs[0]] = cs[1]; found = true; }
        });
      }
    });
    return found ? state : null;
  }
  function remember(state) {
    var text = serialise(state);
    try { localStorage.setItem(STORE, text); } catch (e) { /* storage off: the address still holds it */ }
    if (location.hash.replace(/^#/, "") === text) { return; }
    var address = location.href.replace(/#.*$/, "") + (text ? "#" + text : "");
    try { history.replaceState(null, "", address); } catch (e) { location.replace("#" + text); }
  }

  // How many of a level's expectations the ratings meet.
  function standing(level, ratings) {
    var ids = Object.keys(level.stages), met = 0;
    ids.forEach(function (id) { if (ratings[id] && rankOf[ratings[id]] >= level.stages[id]) { met += 1; } });
    return {met: met, total: ids.length, fits: ids.length > 0 && met === ids.length};
  }

  function renderLevels(state) {
    levelsBox.textContent = "";
    var rated = Object.keys(state.ratings).length;
    progress.textContent = fmt(t.rated, {num: rated, total: data.competencies.length});
    var fitting = [];
    var table = el("table", "place-levels stack-sm");
    var caption = el("caption", null, t.levelsTitle);
    table.appendChild(caption);
    var body = el("tbody");
    data.order.forEach(function (id) {
      var level = data.levels[id], s = standing(level, state.ratings);
      if (s.fits) { fitting.push(level.title); }
      var tr = el("tr", s.fits ? "is-fit" : null);
      if (id === state.at) { tr.classList.add("is-current"); }
      var th = el("th");
      th.scope = "row";
      var a = link(level.url, level.label);
      if (level.label !== level.title) { a.title = level.title; }
      th.appendChild(a);
      th.appendChild(el("span", "place-levels__track", level.track));
      tr.appendChild(th);
      var td = el("td");
      var meter = el("meter");
      meter.min = 0; meter.max = Math.max(1, s.total); meter.value = s.met;
      meter.setAttribute("aria-label", level.title);
      td.appendChild(meter);
      td.appendChild(document.createTextNode(" " + fmt(t.met, {num: s.met, total: s.total})));
      if (s.fits) { td.appendChild(document.createTextNode(" ")); td.appendChild(el("span", "tag tag--new", t.fits)); }
      tr.appendChild(td);
      body.appendChild(tr);
    });
    table.appendChild(body);
    levelsBox.appendChild(table);
    var words = fmt(t.rated, {num: rated, total: data.competencies.length}) + " ";
    if (!rated) { words = t.nothingRated; }
    else if (fitting.length) { words += fmt(t.meetsAll, {levels: fitting.join(", ")}); }
    else { words += t.meetsNone; }
    status.textContent = words;
  }

  function renderGaps(state) {
    gapsBox.textContent = "";
    var level = data.levels[state.at];
    if (!level) { gapsBox.appendChild(el("p", "muted", t.chooseLevel)); return; }
    if (!level.paths.length) { gapsBox.appendChild(el("p", null, fmt(t.topLevel, {level: level.title}))); return; }
    level.paths.forEach(function (path) {
      var target = data.levels[path.to];
      var section = el("section", "place-gap");
      var h = el("h3", null, fmt(t.gapsTitle, {from: level.title, to: target.title}));
      h.appendChild(document.createTextNode(" "));
      h.appendChild(el("span", "tag tag--" + path.kind, t[path.kind] || path.kind));
      section.appendChild(h);
      var gaps = data.competencies.filter(function (c) {
        var need = target.stages[c.id];
        return need !== undefined && !(state.ratings[c.id] && rankOf[state.ratings[c.id]] >= need);
      });
      var below = gaps.filter(function (c) { return state.ratings[c.id]; });
      var unrated = gaps.filter(function (c) { return !state.ratings[c.id]; });
      if (!gaps.length) {
        section.appendChild(el("p", null, fmt(t.noGaps, {level: target.title})));
      }
      if (below.length) {
        section.appendChild(el("p", null, below.length === 1 ? t.gapCountOne : fmt(t.gapCount, {num: below.length})));
        var list = el("ul", "place-gap__list");
        below.forEach(function (c) {
          var need = target.stages[c.id], mine = state.ratings[c.id];
          var li = el("li");
          li.appendChild(link(c.url, c.name));
          var line = el("p", "place-gap__stages");
          line.appendChild(document.createTextNode(fmt(t.youAre, {stage: data.stages[rankOf[mine]].label}) + " → "));
          line.appendChild(el("strong", null, fmt(t.needed, {level: target.label, stage: data.stages[need].label})));
          li.appendChild(line);
          if (c.anchors[need]) { li.appendChild(el("p", "place-gap__anchor", c.anchors[need])); }
          var training = c.training.filter(function (id) { return data.training[id]; });
          if (training.length) {
            var p = el("p", "place-gap__training", t.training + " ");
            training.forEach(function (id, i) {
              if (i) { p.appendChild(document.createTextNode(", ")); }
              p.appendChild(link(data.training[id].url, data.training[id].title));
            });
            li.appendChild(p);
          }
          list.appendChild(li);
        });
        section.appendChild(list);
      }
      if (unrated.length) {
        // the ones not rated yet: a link each to its question
        var p2 = el("p", "place-gap__unrated", fmt(t.unrated, {num: unrated.length}) + " ");
        unrated.forEach(function (c, i) {
          if (i) { p2.appendChild(document.createTextNode(", ")); }
          p2.appendChild(link("#rate." + c.id, c.name));
        });
        section.appendChild(p2);
      }
      var more = el("p", "place-gap__more");
      more.appendChild(link(path.url, t.nextStep));
      section.appendChild(more);
      gapsBox.appendChild(section);
    });
  }

  function render(state) {
    renderLevels(state);
    renderGaps(state);
  }

  function csv(state) {
    // Each cell quoted; a cell a spreadsheet would read as a formula starts with an apostrophe.
    function cell(value) {
      var text = String(value === undefined || value === null ? "" : value);
      if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }
      return '"' + text.replace(/"/g, '""') + '"';
    }
    var levels = [];
    var at = data.levels[state.at];
    if (at) {
      levels.push(at);
      at.paths.forEach(function (p) { levels.push(data.levels[p.to]); });
    }
    var lines = [[t.csvDomain, t.csvCompetency, t.csvYou].concat(levels.map(function (l) { return fmt(t.csvExpected, {level: l.title}); }))];
    data.competencies.forEach(function (c) {
      var mine = state.ratings[c.id];
      lines.push([c.domain, c.name, mine ? data.stages[rankOf[mine]].label : ""].concat(levels.map(function (l) {
        return l.stages[c.id] === undefined ? "" : data.stages[l.stages[c.id]].label;
      })));
    });
    return "\ufeff" + lines.map(function (row) { return row.map(cell).join(","); }).join("\r\n") + "\r\n";
  }

  function download(state) {
    var blob = new Blob([csv(state)], {type: "text/csv;charset=utf-8"});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = t.csvName + (state.at ? "-" + state.at : "") + ".csv";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function update() {
    var state = read();
    remember(state);
    render(state);
  }

  var stored = null;
  try { stored = localStorage.getItem(STORE); } catch (e) { /* storage off */ }
  var initial = parse(location.hash) || parse(stored || "") || {at: "", ratings: {}};
  write(initial);
  remember(initial);
  render(initial);

  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  window.addEventListener("hashchange", function () {
    var state = parse(location.hash);
    if (state && serialise(state) !== serialise(read())) { write(state); remember(state); render(state); }
  });
  document.getElementById("place-csv").addEventListener("click", function () { download(read()); });
  document.getElementById("place-print").addEventListener("click", function () { window.print(); });
  document.getElementById("place-reset").addEventListener("click", function () {
    if (!window.confirm(t.resetConfirm)) { return; }
    var empty = {at: "", ratings: {}};
    write(empty);
    remember(empty);
    render(empty);
  });
})();
