// ladderbuild: search as you type, with lunr.js over an index built at build time.
// The index arrives as window.LADDERBUILD_SEARCH from search-index.js, a plain <script>, so searching works
// from file:// as well as from a server: nothing is fetched. site.js loads these scripts the first time
// the header's search field is used; the search page loads them itself.
// Results are ranked by where the words are found — a page's title, then its headings, then its text —
// and each shows the passage that matches, words marked. A query also finds the other spellings of its
// words (the index's synonym groups: "EKG" finds "ECG"). The DOM is built with textContent only.
(function () {
  "use strict";
  if (window.LadderbuildSearch) { return; }
  var data = window.LADDERBUILD_SEARCH;
  var i18nEl = document.getElementById("search-i18n");
  var i18n = i18nEl ? JSON.parse(i18nEl.textContent) : {};
  var PAGE_RESULTS = 50, PANEL_RESULTS = 6, SNIPPET_CHARS = 200, MAX_COMBINATIONS = 24;
  var TIER = {title: 0, headings: 1, body: 2};
  // Mirrors search.py: a run of CJK characters becomes overlapping bigrams (no spaces between words in
  // those scripts); a lone character is kept, and matched as the start of a bigram.
  var CJK_RUN = /[\u2e80-\u2fff\u3040-\u9fff\uf900-\ufaff\uac00-\ud7af]+/g;
  var CJK_ONE = /^[\u2e80-\u2fff\u3040-\u9fff\uf900-\ufaff\uac00-\ud7af]$/;
  var CJK_ANY = /[\u2e80-\u2fff\u3040-\u9fff\uf900-\ufaff\uac00-\ud7af]/;
  var CJK_PUNCTUATION = /[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]/g;

  var fmt = window.LadderbuildDom.fmt;  // from site.js, which every page loads first
  function bigrams(run) {
    if (run.length === 1) { return " " + run + " "; }
    var out = [];
    for (var i = 0; i + 1 < run.length; i++) { out.push(run.substr(i, 2)); }
    return " " + out.join(" ") + " ";
  }

  var index = null, synonyms = {}, longestSynonym = 1, stems = new Map();
  if (data && window.lunr) {
    index = lunr.Index.load(data.index);
    (data.synonyms || []).forEach(function (group, g) {
      group.forEach(function (phrase) {
        synonyms[phrase.join(" ")] = g;
        longestSynonym = Math.max(longestSynonym, phrase.length);
      });
    });
  }

  // lunr.py's trimmer, which the index was built with: a word with non-word characters at its ends
  // loses them — unless there are some inside it too ("(lpn/lvn)" stays as it is). A word character is
  // a letter or digit of any script (lunr.js's own trimmer would strip Chinese whole).
  var TRIM = /^[^\p{L}\p{N}_]*?([\p{L}\p{N}_]+)[^\p{L}\p{N}_]*?$/u;
  function trim(word) {
    var match = TRIM.exec(word);
    return match ? match[1] : word;
  }

  // What lunr's build pipeline made of a word: trimmed, not a stop word, stemmed (null for a stop word).
  function term(word) {
    if (stems.has(word)) { return stems.get(word); }
    var trimmed = trim(word), out = null;
    if (trimmed && lunr.stopWordFilter(new lunr.Token(trimmed, {})) !== undefined) {
      out = lunr.stemmer(new lunr.Token(trimmed, {})).toString() || null;
    }
    stems.set(word, out);
    return out;
  }

  // The query as slots, one per word or synonym phrase; each slot lists the ways it may be matched, each
  // way a list of clauses ({term, prefix}). A word still being typed may also match as the start of a word.
  function slots(query) {
    var typing = !/\s$/.test(query);
    var words = lunr.tokenizer(query.replace(CJK_PUNCTUATION, " ").replace(CJK_RUN, bigrams))
      .map(function (t) { return t.toString(); });
    var found = [];
    words.forEach(function (w, i) {
      var t = term(w);
      var last = i === words.length - 1;
      if (t || (last && typing)) { found.push({word: trim(w), term: t, last: last}); }
    });
    var out = [];
    for (var i = 0; i < found.length;) {
      var matched = 0;
      for (var k = Math.min(longestSynonym, found.length - i); k >= 1 && !matched; k--) {
        var key = found.slice(i, i + k).map(function (f) { return f.term; }).join(" ");
        if (found.slice(i, i + k).every(function (f) { return f.term; }) && key in synonyms) {
          var group = data.synonyms[synonyms[key]];
          out.push(group.map(function (phrase) { return phrase.map(function (t) { return {term: t}; }); }));
          matched = k;
        }
      }
      var f = found[i];
      if (!matched) {
        var ways = [];
        if (f.term) { ways.push([{term: f.term}]); }
        if (f.last && typing && f.word && !CJK_ANY.test(f.word)) {
          ways.push([{term: f.word.toLowerCase(), prefix: true}]);
          ways = ways.concat(partialSynonyms(f.word.toLowerCase()));
        }
        if (CJK_ONE.test(f.word)) { ways = [[{term: f.word, prefix: true}]]; }
        if (ways.length) { out.push(ways); }
        matched = 1;
      } else if (f.last && typing && matched === 1 && !CJK_ANY.test(f.word)) {
        out[out.length - 1].push([{term: f.word.toLowerCase(), prefix: true}]);
      }
      i += matched;
    }
    return out;
  }

  // A word still being typed may be the start of a spelling in a synonym group ("immunis" of
  // "immunisation") or run past its stem ("immunisa"): the group's other spellings count too.
  function partialSynonyms(word) {
    var ways = [];
    if (word.length < 4) { return ways; }
    (data.synonyms || []).forEach(function (group) {
      var hit = group.some(function (phrase) {
        return phrase.length === 1 && (phrase[0].lastIndexOf(word, 0) === 0 || word.lastIndexOf(phrase[0], 0) === 0);
      });
      if (hit) {
        group.forEach(function (phrase) { ways.push(phrase.map(function (t) { return {term: t}; })); });
      }
    });
    return ways;
  }

  function combinations(slotList) {
    var combos = [[]];
    slotList.forEach(function (ways) {
      var next = [];
      combos.forEach(function (combo) {
        ways.forEach(function (way) { if (next.length < MAX_COMBINATIONS) { next.push(combo.concat(way)); } });
      });
      combos = next;
    });
    return combos;
  }

  function clauseMatches(clause, indexTerm) {
    return clause.prefix ? indexTerm.lastIndexOf(clause.term, 0) === 0 : indexTerm === clause.term;
  }

  // The best field (title 0, headings 1, body 2) where every clause of the query was found.
  function tierOf(clauses, metadata) {
    var worst = 0;
    clauses.forEach(function (clause) {
      var best = 3;
      Object.keys(metadata).forEach(function (t) {
        if (!clauseMatches(clause, t)) { return; }
        Object.keys(metadata[t]).forEach(function (field) { best = Math.min(best, TIER[field]); });
      });
      worst = Math.max(worst, best);
    });
    return worst;
  }

  // How much of a document's title the query's clauses make up: the share of its distinct words they match.
  var titleTerms = {};
  function coverage(clauses, ref) {
    if (!titleTerms[ref]) {
      titleTerms[ref] = lunr.tokenizer(data.docs[ref].title.replace(CJK_PUNCTUATION, " ").replace(CJK_RUN, bigrams))
        .map(function (t) { return term(t.toString()); })
        .filter(function (t, i, all) { return t && all.indexOf(t) === i; });  // each word once
    }
    var words = titleTerms[ref];
    if (!words.length) { return 0; }
    var matched = words.filter(function (w) { return clauses.some(function (c) { return clauseMatches(c, w); }); });
    return matched.length / words.length;
  }

  function run(combos, required) {
    var found = {};
    combos.forEach(function (clauses) {
      var hits = index.query(function (q) {
        clauses.forEach(function (c) {
          q.term(c.term, {usePipeline: false, boost: c.prefix ? 1 : 10,
            wildcard: c.prefix ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE,
            presence: required ? lunr.Query.presence.REQUIRED : lunr.Query.presence.OPTIONAL});
        });
      });
      hits.forEach(function (hit) {
        var tier = required ? tierOf(clauses, hit.matchData.metadata) : 3;
        var cover = tier === 0 ? coverage(clauses, hit.ref) : 0;
        var seen = found[hit.ref];
        if (!seen) {
          seen = found[hit.ref] = {ref: hit.ref, score: hit.score, tier: tier, cover: cover, terms: {}};
        }
        seen.score = Math.max(seen.score, hit.score);
        if (tier < seen.tier || (tier === seen.tier && cover > seen.cover)) { seen.tier = tier; seen.cover = cover; }
        Object.keys(hit.matchData.metadata).forEach(function (t) { seen.terms[t] = true; });
      });
    });
    return Object.keys(found).map(function (ref) { return found[ref]; });
  }

  // Every result for `query`, best first: all of its words (or their synonyms) found; failing that, any.
  function find(query) {
    if (!index) { return []; }
    var slotList = slots(query);
    if (!slotList.length) { return []; }
    var results = run(combinations(slotList), true);
    if (!results.length) {
      var every = [];
      slotList.forEach(function (ways) { ways.forEach(function (way) { every = every.concat(way); }); });
      results = run([every], false);
    }
    // Among titles, the one the query says the most of comes first ("immunization" → "Pediatric
    // immunization schedules" before "Pediatric care and immunization schedules").
    return results.sort(function (a, b) {
      return a.tier - b.tier || b.cover - a.cover || b.score - a.score || (a.ref < b.ref ? -1 : 1);
    });
  }

  // The passage of `text` that holds the most of the matched words, as pieces [text, marked?].
  function snippet(text, terms) {
    var marks = [];
    var cjk = Object.keys(terms).filter(function (t) { return CJK_ANY.test(t); });
    var word = /[^\s\-]+/g, m;
    while ((m = word.exec(text)) !== null) {
      if (CJK_ANY.test(m[0])) { continue; }
      var t = term(m[0].toLowerCase());
      if (t && terms[t]) {
        var inner = trim(m[0].toLowerCase()), lead = m[0].toLowerCase().indexOf(inner);
        marks.push({start: m.index + lead, end: m.index + lead + inner.length, term: t});
      }
    }
    cjk.forEach(function (t) {
      for (var at = text.indexOf(t); at !== -1; at = text.indexOf(t, at + 1)) {
        marks.push({start: at, end: at + t.length, term: t});
      }
    });
    marks.sort(function (a, b) { return a.start - b.start; });
    var from = 0;
    if (marks.length) {
      // the window that starts a little before one of the first matches and holds the most distinct words
      var best = -1;
      marks.slice(0, 30).forEach(function (first) {
        var start = Math.max(0, first.start - 40), distinct = {};
        marks.forEach(function (mk) { if (mk.start >= start && mk.end <= start + SNIPPET_CHARS) { distinct[mk.term] = true; } });
        var count = Object.keys(distinct).length;
        if (count > best) { best = count; from = start; }
      });
      if (from > 0) {
        var space = text.indexOf(" ", from);
        from = space !== -1 && space < marks[0].start + SNIPPET_CHARS ? space + 1 : from;
      }
    }
    var to = Math.min(text.length, from + SNIPPET_CHARS);
    if (to < text.length) {
      var cut = text.lastIndexOf(" ", to);
      if (cut > from) { to = cut; }
    }
    var pieces = [], at = from;
    if (from > 0) { pieces.push(["…", false]); }
    marks.forEach(function (mk) {
      if (mk.start < at || mk.end > to) { return; }
      if (mk.start > at) { pieces.push([text.slice(at, mk.start), false]); }
      pieces.push([text.slice(mk.start, mk.end), true]);
      at = mk.end;
    });
    if (at < to) { pieces.push([text.slice(at, to), false]); }
    if (to < text.length) { pieces.push(["…", false]); }
    return pieces;
  }

  function resultItem(result, root) {
    var doc = data.docs[result.ref];
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = root + result.ref;
    a.className = "search-result__title";
    a.textContent = doc.title || result.ref;
    li.appendChild(a);
    if (doc.kind) {
      var kind = document.createElement("span");
      kind.className = "tag";
      kind.textContent = doc.kind;
      li.appendChild(document.createTextNode(" "));
      li.appendChild(kind);
    }
    var pieces = snippet(doc.text || "", result.terms);
    if (pieces.length) {
      var p = document.createElement("p");
      p.className = "search-result__passage";
      pieces.forEach(function (piece) {
        if (piece[1]) {
          var mark = document.createElement("mark");
          mark.textContent = piece[0];
          p.appendChild(mark);
        } else {
          p.appendChild(document.createTextNode(piece[0]));
        }
      });
      li.appendChild(p);
    }
    return li;
  }

  function statusText(count, query) {
    return fmt(count === 0 ? i18n.none : count === 1 ? i18n.one : i18n.many, {num: count, query: query.trim()});
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  // Up and down arrows move between a field and the result links under it; Escape goes back to the field.
  function arrowKeys(input, list, onEscape) {
    function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && links().length) { event.preventDefault(); links()[0].focus(); }
    });
    list.addEventListener("keydown", function (event) {
      var all = links(), i = all.indexOf(document.activeElement);
      if (i === -1) { return; }
      if (event.key === "ArrowDown" && i + 1 < all.length) { event.preventDefault(); all[i + 1].focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); (i > 0 ? all[i - 1] : input).focus(); }
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();  // the results close, not the menu around them
        input.focus();
        if (onEscape) { onEscape(); }
      }
    });
  }

  // The search page: results as you type, the query kept in the address (?q=) so a search can be linked.
  function attachPage() {
    var input = document.getElementById("search-q");
    var form = document.getElementById("search-form");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    if (!input || !form || !status || !list) { return; }
    function show() {
      var query = input.value;
      list.textContent = "";
      if (!index) { status.textContent = i18n.unavailable; return; }
      if (!query.trim()) { status.textContent = i18n.empty; return; }
      var results = find(query);
      status.textContent = statusText(results.length, query);
      results.slice(0, PAGE_RESULTS).forEach(function (r) { list.appendChild(resultItem(r, "")); });
      if (history.replaceState) {
        try { history.replaceState(null, "", "?q=" + encodeURIComponent(query)); } catch (e) { /* file:// in some browsers */ }
      }
    }
    var match = /[?&]q=([^&]*)/.exec(location.search);
    input.value = match ? decodeURIComponent(match[1].replace(/\+/g, " ")) : "";
    var header = document.getElementById("site-search-q");
    if (header) { header.value = input.value; }
    input.addEventListener("input", debounce(show, 60));
    form.addEventListener("submit", function (event) { event.preventDefault(); show(); });
    arrowKeys(input, list);
    show();
  }

  // The header's field on every page: the first results in a panel under it, and a link to all of them.
  function attachHeader() {
    var input = document.getElementById("site-search-q");
    var panel = document.getElementById("site-search-panel");
    var status = document.getElementById("site-search-status");
    var form = input && input.form;
    if (!input || !panel || !form || document.getElementById("search-q")) { return; }
    var root = form.getAttribute("data-root") || "";
    function close() { panel.hidden = true; panel.textContent = ""; }
    function show() {
      var query = input.value;
      panel.textContent = "";
      if (!query.trim()) { close(); status.textContent = ""; return; }
      if (!index) { status.textContent = i18n.unavailable; return; }
      var results = find(query);
      status.textContent = statusText(results.length, query);
      var summary = document.createElement("p");
      summary.className = "site-search__summary";
      summary.textContent = statusText(results.length, query);
      panel.appendChild(summary);
      var list = document.createElement("ol");
      list.className = "search-results";
      results.slice(0, PANEL_RESULTS).forEach(function (r) { list.appendChild(resultItem(r, root)); });
      panel.appendChild(list);
      if (results.length > PANEL_RESULTS) {
        var all = document.createElement("a");
        all.className = "site-search__all";
        all.href = form.getAttribute("action") + "?q=" + encodeURIComponent(query);
        all.textContent = fmt(i18n.all, {num: results.length});
        var li = document.createElement("li");
        li.className = "site-search__more";
        li.appendChild(all);
        list.appendChild(li);
      }
      panel.hidden = false;
    }
    input.addEventListener("input", debounce(show, 60));
    input.addEventListener("focus", function () { if (input.value.trim() && panel.hidden) { show(); } });
    form.addEventListener("focusout", function (event) {
      if (!form.contains(event.relatedTarget)) { close(); }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) { event.stopPropagation(); close(); }
    });
    arrowKeys(input, panel, close);
    if (input.value.trim() && document.activeElement === input) { show(); }
  }

  window.LadderbuildSearch = {find: find, snippet: snippet, term: term};
  function ready() { attachPage(); attachHeader(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
})();
