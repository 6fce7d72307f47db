/* A table that scrolls inside itself (a phone: assets/lagesbild.css) joins the tab order, so it can be scrolled by
   keyboard too.
   Dash 4's dropdown takes keyboard focus on a hidden input (aria-hidden, so a screen reader announces nothing) and
   keeps its labelled button out of the tab order. Swap them: the button, which carries the label and the listbox
   popup, is the one focused; the hidden input leaves the tab order. Re-applied whenever Dash draws a dropdown.
   dash-bootstrap-components' Tabs give every tab the same id ('…-tab-null'), an aria-controls naming no panel and
   tabindex -1, so no tab can be reached by keyboard and axe reports invalid ARIA: each tab is paired with its panel
   (they come in the same order), the active one in the tab order. */
(function () {
  "use strict";
  function fix(root) {
    root.querySelectorAll(".dash-dropdown-focus-target[aria-hidden='true']").forEach(function (input) {
      if (input.getAttribute("tabindex") !== "-1") { input.setAttribute("tabindex", "-1"); }
      var button = input.parentElement && input.parentElement.querySelector("button.dash-dropdown");
      if (button && button.getAttribute("tabindex") !== "0") { button.setAttribute("tabindex", "0"); }
    });
    root.querySelectorAll(".tab-content").forEach(function (content) {
      var list = content.previousElementSibling;
      if (!list || list.getAttribute("role") !== "tablist") { return; }
      var panels = content.querySelectorAll(":scope > [role='tabpanel']");
      list.querySelectorAll("[role='tab']").forEach(function (tab, index) {
        var panel = panels[index];
        if (!panel) { return; }
        var id = panel.getAttribute("aria-labelledby");
        if (id && tab.id !== id) { tab.id = id; }
        if (tab.getAttribute("aria-controls") !== panel.id) { tab.setAttribute("aria-controls", panel.id); }
        var active = tab.classList.contains("active");
        if (tab.getAttribute("aria-selected") !== String(active)) { tab.setAttribute("aria-selected", String(active)); }
        if (tab.getAttribute("tabindex") !== (active ? "0" : "-1")) { tab.setAttribute("tabindex", active ? "0" : "-1"); }
      });
    });
    root.querySelectorAll(".page-main .table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); }
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
                                         attributeFilter: ["tabindex", "class"]});
  document.addEventListener("DOMContentLoaded", function () { fix(document); });
}());
