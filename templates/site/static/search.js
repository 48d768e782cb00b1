// ladderbuild: full-text search with lunr.js over an index built at build time.
// The index arrives as window.LADDERBUILD_SEARCH from search-index.js, a plain <script>,
// so searching works from file:// as well as from a server: nothing is fetched.
(function () {
  "use strict";
  var i18n = JSON.parse(document.getElementById("search-i18n").textContent);
  var input = document.getElementById("search-q");
  var form = document.getElementById("search-form");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var data = window.LADDERBUILD_SEARCH;
  var MAX_RESULTS = 50;
  // Mirrors search.py: a run of CJK characters becomes overlapping bigrams (no spaces between words in
  // those scripts); a lone character is kept, and matched as the start of a bigram below.
  var CJK_RUN = /[\u2e80-\u2fff\u3040-\u9fff\uf900-\ufaff\uac00-\ud7af]+/g;
  var CJK_ONE = /^[\u2e80-\u2fff\u3040-\u9fff\uf900-\ufaff\uac00-\ud7af]$/;
  var CJK_PUNCTUATION = /[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]/g;
  function bigrams(run) {
    if (run.length === 1) { return " " + run + " "; }
    var out = [];
    for (var i = 0; i + 1 < run.length; i++) { out.push(run.substr(i, 2)); }
    return " " + out.join(" ") + " ";
  }

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) { return String(values[key]); });
  }
  if (!data || !window.lunr) { status.textContent = i18n.unavailable; return; }
  var index = lunr.Index.load(data.index);

  function terms(query) {
    return lunr.tokenizer(query.replace(CJK_PUNCTUATION, " ").replace(CJK_RUN, bigrams))
      .map(function (token) { return token.toString(); })
      .filter(function (term) { return term && lunr.stopWordFilter(term) !== undefined; });
  }

  // Every word must match (stemmed); if that finds nothing, any word may match, also as a prefix.
  function search(query) {
    var words = terms(query);
    if (!words.length) { return []; }
    var all = index.query(function (q) {
      words.forEach(function (w) {
        // A single CJK character is the first half of the bigrams that hold it.
        q.term(w, CJK_ONE.test(w) ? {presence: lunr.Query.presence.REQUIRED, wildcard: lunr.Query.wildcard.TRAILING}
                                  : {presence: lunr.Query.presence.REQUIRED});
      });
    });
    if (all.length) { return all; }
    return index.query(function (q) {
      words.forEach(function (w) {
        q.term(w, {boost: 10});
        q.term(w, {wildcard: lunr.Query.wildcard.TRAILING});
      });
    });
  }

  function show(query) {
    list.textContent = "";
    if (!query.trim()) { status.textContent = i18n.empty; return; }
    var results = search(query);
    status.textContent = fmt(results.length === 0 ? i18n.none : results.length === 1 ? i18n.one : i18n.many,
      {num: results.length, query: query});
    results.slice(0, MAX_RESULTS).forEach(function (r) {
      var doc = data.docs[r.ref];
      if (!doc) { return; }
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.ref;  // refs are paths from the handbook root, where search.html lives
      a.textContent = doc.title || r.ref;
      li.appendChild(a);
      if (doc.kind) {
        var kind = document.createElement("span");
        kind.className = "tag";
        kind.textContent = doc.kind;
        li.appendChild(document.createTextNode(" "));
        li.appendChild(kind);
      }
      if (doc.excerpt) {
        var p = document.createElement("p");
        p.textContent = doc.excerpt;
        li.appendChild(p);
      }
      list.appendChild(li);
    });
  }

  var match = /[?&]q=([^&]*)/.exec(location.search);
  var initial = match ? decodeURIComponent(match[1].replace(/\+/g, " ")) : "";
  input.value = initial;
  var header = document.getElementById("site-search-q");
  if (header) { header.value = initial; }
  show(initial);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
    if (history.replaceState) {
      try { history.replaceState(null, "", "?q=" + encodeURIComponent(input.value)); } catch (e) { /* file:// */ }
    }
  });
})();
