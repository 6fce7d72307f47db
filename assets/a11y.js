/* A table that scrolls inside itself (a phone: assets/lagesbild.css) joins the tab order, so it can be scrolled by
   keyboard too.
   Dash 4's dropdown takes keyboard focus on a hidden input (aria-hidden, so a screen reader announces nothing) and
   keeps its labelled button out of the tab order. Swap them: the button, which carries the label and the listbox
   popup, is the one focused; the hidden input leaves the tab order. Re-applied whenever Dash draws a dropdown. */
(function () {
  "use strict";
  function fix(root) {
    root.querySelectorAll(".dash-dropdown-focus-target[aria-hidden='true']").forEach(function (input) {
      if (input.getAttribute("tabindex") !== "-1") { input.setAttribute("tabindex", "-1"); }
      var button = input.parentElement && input.parentElement.querySelector("button.dash-dropdown");
      if (button && button.getAttribute("tabindex") !== "0") { button.setAttribute("tabindex", "0"); }
    });
    root.querySelectorAll(".page-main table").forEach(function (table) {
      var scrolls = table.scrollWidth > table.clientWidth + 1;
      if (scrolls && !table.hasAttribute("tabindex")) { table.setAttribute("tabindex", "0"); }
      if (!scrolls && table.getAttribute("tabindex") === "0") { table.removeAttribute("tabindex"); }
    });
  }
  window.addEventListener("resize", function () { fix(document); });
  var pending = false;
  new MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; fix(document); });
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                         attributeFilter: ["tabindex"]});
  document.addEventListener("DOMContentLoaded", function () { fix(document); });
}());
