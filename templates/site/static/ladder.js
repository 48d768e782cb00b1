// ladderbuild: on the ladder diagram, pointing at a level (or moving to it with the keyboard) lights up
// the moves into and out of it, and the levels at their other ends, and dims the rest.
(function () {
  "use strict";
  var svg = document.querySelector(".ladder__svg");
  if (!svg) { return; }
  var arrows = Array.prototype.slice.call(svg.querySelectorAll(".ladder__arrow[data-levels]"));
  var boxes = Array.prototype.slice.call(svg.querySelectorAll(".ladder__box[data-level]"));
  function light(id) {
    var related = {};
    related[id] = true;
    arrows.forEach(function (arrow) {
      var ends = arrow.getAttribute("data-levels").split(" ");
      var lit = ends.indexOf(id) !== -1;
      arrow.classList.toggle("is-lit", lit);
      if (lit) { ends.forEach(function (end) { related[end] = true; }); }
    });
    boxes.forEach(function (box) { box.classList.toggle("is-lit", !!related[box.getAttribute("data-level")]); });
    svg.classList.add("is-focused");
  }
  function clear() {
    svg.classList.remove("is-focused");
    arrows.concat(boxes).forEach(function (node) { node.classList.remove("is-lit"); });
  }
  boxes.forEach(function (box) {
    var id = box.getAttribute("data-level");
    box.addEventListener("mouseenter", function () { light(id); });
    box.addEventListener("mouseleave", function () { if (!svg.contains(document.activeElement) || document.activeElement === document.body) { clear(); } else if (document.activeElement.getAttribute) { light(document.activeElement.getAttribute("data-level") || id); } });
    box.addEventListener("focus", function () { light(id); });
    box.addEventListener("blur", clear);
  });
})();
