// ladderbuild: what every handbook page does with script. Loaded in <head>, so that the page is drawn
// once, already knowing that script runs (the `js` class); the rest waits for the document.
// Without script every page still works: the navigation shows in full and the contents do not follow.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  // Small helpers the page scripts share (compare.js, place.js): every node built with textContent,
  // so content text is never parsed as HTML.
  window.LadderbuildDom = {
    fmt: function (template, values) {
      return String(template).replace(/\{(\w+)\}/g, function (_m, key) { return String(values[key]); });
    },
    el: function (tag, className, text) {
      var node = document.createElement(tag);
      if (className) { node.className = className; }
      if (text !== undefined && text !== null) { node.textContent = text; }
      return node;
    },
    link: function (href, text) {
      var a = window.LadderbuildDom.el("a", null, text);
      a.href = href;
      return a;
    }
  };

  // The menu button folds the header's navigation on a narrow screen (see style.css).
  function menu() {
    var button = document.getElementById("site-menu-button");
    var header = document.querySelector(".site-header");
    if (!button || !header) { return; }
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      header.classList.toggle("is-open", open);
      if (open) {
        var field = document.getElementById("site-search-q");
        if (field && window.matchMedia("(pointer: fine)").matches) { field.focus(); }
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("is-open")) {
        button.setAttribute("aria-expanded", "false");
        header.classList.remove("is-open");
        button.focus();
      }
    });
  }

  // "On this page": marks the section being read in every contents list of the page ([data-toc]),
  // and shows its title beside the folded list on a phone.
  function contents() {
    var lists = document.querySelectorAll("[data-toc]");
    if (!lists.length) { return; }
    var links = [];
    lists.forEach(function (list) {
      list.querySelectorAll("a[href^='#']").forEach(function (a) { links.push(a); });
      if (list.tagName === "DETAILS") {
        list.addEventListener("click", function (event) {
          if (event.target.closest("a")) { list.open = false; }
        });
      }
    });
    var ids = [];
    links.forEach(function (a) {
      var id = decodeURIComponent(a.getAttribute("href").slice(1));
      if (ids.indexOf(id) === -1 && document.getElementById(id)) { ids.push(id); }
    });
    var headings = ids.map(function (id) { return document.getElementById(id); });
    var current = null;
    function mark() {
      // The current section is the last whose heading has passed the upper quarter of the window.
      var line = window.innerHeight / 4, found = headings[0];
      headings.forEach(function (h) { if (h.getBoundingClientRect().top <= line) { found = h; } });
      if (window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2) {
        found = headings[headings.length - 1];  // the end of the page: the last section, however short
      }
      if (!found || found === current) { return; }
      current = found;
      links.forEach(function (a) {
        if (a.getAttribute("href") === "#" + found.id) {
          a.setAttribute("aria-current", "location");
        } else {
          a.removeAttribute("aria-current");
        }
      });
      document.querySelectorAll(".toc__current").forEach(function (span) { span.textContent = found.textContent; });
    }
    var pending = false;
    window.addEventListener("scroll", function () {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; mark(); });
    }, {passive: true});
    window.addEventListener("resize", mark);
    mark();
  }

  // Search as you type: the index and its engine load the first time the header's field is used
  // (they weigh more than the page), in order, as plain scripts — from file:// too.
  function searchOnDemand() {
    var field = document.getElementById("site-search-q");
    var scripts = field && field.form ? (field.form.getAttribute("data-scripts") || "").split(" ") : [];
    var started = false;
    function load() {
      if (started || window.LadderbuildSearch) { return; }
      started = true;
      scripts.filter(Boolean).forEach(function (src) {
        var script = document.createElement("script");
        script.src = src;
        script.async = false;  // run in the order given: lunr, the index, the engine
        document.head.appendChild(script);
      });
    }
    if (field) {
      field.addEventListener("focus", load);
      field.addEventListener("input", load);
    }
  }

  function ready() {
    menu();
    contents();
    searchOnDemand();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
