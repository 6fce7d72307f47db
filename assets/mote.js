/* Möte (/mote): one slide at a time. → / space / PageDown: next; ← / PageUp: previous; Home / End: first / last;
   F: full screen; Esc: out of it. Clickers send these keys too. Only acts where the page has #mote-deck; keys typed
   into a form control are left alone. No dependencies, nothing from the internet. */
(function () {
  "use strict";
  function deck() { return document.getElementById("mote-deck"); }
  function slides(d) { return Array.prototype.slice.call(d.querySelectorAll(".slide")); }
  function current(d) { return Number(d.getAttribute("data-current") || "0"); }

  function show(d, index) {
    var all = slides(d);
    if (!all.length) { return; }
    index = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (slide, k) { slide.hidden = k !== index; });
    d.setAttribute("data-current", String(index));
    window.dispatchEvent(new Event("resize"));  // a chart drawn while hidden takes its box's size now
  }

  function present(d, on) {
    d.classList.toggle("presenting", on);
    document.body.classList.toggle("deck-presenting", on);
    if (on) { d.focus(); }
    window.dispatchEvent(new Event("resize"));
  }

  function fullScreen(d) {
    if (document.fullscreenElement) {
      document.exitFullscreen();
      return;
    }
    present(d, true);
    if (d.requestFullscreen) { d.requestFullscreen().catch(function () { /* presenting still fills the window */ }); }
  }

  function typing(target) {
    return target && target.closest && target.closest("input, textarea, select, [contenteditable], .dash-dropdown");
  }

  document.addEventListener("keydown", function (event) {
    var d = deck();
    if (!d || event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
    var onButton = event.target && event.target.closest && event.target.closest("button, a");
    switch (event.key) {
      case "ArrowRight": case "PageDown": show(d, current(d) + 1); break;
      case " ": if (onButton) { return; } show(d, current(d) + 1); break;
      case "ArrowLeft": case "PageUp": show(d, current(d) - 1); break;
      case "Home": show(d, 0); break;
      case "End": show(d, slides(d).length - 1); break;
      case "f": case "F": fullScreen(d); break;
      case "Escape":
        if (document.fullscreenElement) { document.exitFullscreen(); }
        present(d, false);
        break;
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var start = event.target && event.target.closest && event.target.closest("#deck-start");
    var d = deck();
    if (start && d) { show(d, 0); fullScreen(d); }
  });

  document.addEventListener("fullscreenchange", function () {
    var d = deck();
    if (d && !document.fullscreenElement) { present(d, false); }
  });
}());
