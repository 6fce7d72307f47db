/* Lägesbild: the "Exportera" menu, browser side (dashboard/export/page.py places it and serves the routes).
   - The page as PNG: html-to-image (vendored, loaded on first use) draws #main (the page with its title and the
     filter in words; the map's same-origin iframe included) at 2 device pixels per CSS pixel, with the caption
     from the server (data through, sources, made) added at the foot for the capture and removed after.
   - The page as PDF: the server renders it; this fetches it, so the user sees progress and errors in the app.
   `lagesbildExport.isReady()` is also what the server's PDF browser waits for. */
(function () {
  'use strict';

  var PIXEL_RATIO = 2;
  var READY_TIMEOUT_MS = 20000;
  // category: Händelser's; measure, months, indicator, break: Effekt's (its PAGE_PARAMS); asof: a snapshot (/mote);
  // checked by the server
  var FILTER_PARAMS = ['place', 'from', 'to', 'category', 'measure', 'months', 'indicator', 'break', 'asof'];
  var library = null;  // the promise of html-to-image, loaded once
  var busy = false;

  function loadLibrary(url) {
    if (window.htmlToImage) { return Promise.resolve(window.htmlToImage); }
    if (!library) {
      library = new Promise(function (resolve, reject) {
        var script = document.createElement('script');
        script.src = url;
        script.onload = function () { resolve(window.htmlToImage); };
        script.onerror = function () { library = null; reject(new Error(url)); };
        document.head.appendChild(script);
      });
    }
    return library;
  }

  /* What the page is still waiting for ('' when nothing): every chart drawn (none pending a redraw), every map
     frame loaded, no callback running, fonts in. */
  function notReady() {
    var main = document.getElementById('main');
    var page = main && main.querySelector('.page');
    if (!page) { return 'page'; }
    var loading = main.querySelector('[data-dash-is-loading="true"]');  // in the page: the menu's own is running
    if (loading) { return 'loading ' + (loading.id || loading.className); }
    var graphs = page.querySelectorAll('.dash-graph');
    for (var i = 0; i < graphs.length; i++) {
      if (graphs[i].querySelector('.dash-graph--pending') || !graphs[i].querySelector('.main-svg')) {
        return 'chart ' + graphs[i].id;
      }
    }
    var frames = page.querySelectorAll('iframe');
    for (var j = 0; j < frames.length; j++) {
      var doc = frames[j].contentDocument;
      var expected = frames[j].hasAttribute('srcdoc') ? 'about:srcdoc' : null;
      if (!doc || doc.readyState !== 'complete' || (expected && doc.URL !== expected)) { return 'frame ' + frames[j].id; }
    }
    return document.fonts && document.fonts.status !== 'loaded' ? 'fonts' : '';
  }

  function isReady() { return notReady() === ''; }

  /* How wide the layout must be for nothing to scroll sideways (a wide table in a narrow column), in CSS px. */
  function neededWidth() {
    var root = document.documentElement;
    var extra = root.scrollWidth - root.clientWidth;
    var boxes = document.querySelectorAll('.page .table-responsive, .page [style*="overflow"]');
    for (var i = 0; i < boxes.length; i++) {
      var overflow = getComputedStyle(boxes[i]).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') {
        extra = Math.max(extra, boxes[i].scrollWidth - boxes[i].clientWidth);
      }
    }
    return root.clientWidth + Math.max(extra, 0);
  }

  /* Every chart no wider than its box: after the window is resized, charts redraw a moment later. */
  function graphsFit() {
    var graphs = document.querySelectorAll('#main .page .dash-graph');
    for (var i = 0; i < graphs.length; i++) {
      var svg = graphs[i].querySelector('.main-svg');
      if (svg && svg.getBoundingClientRect().width > graphs[i].clientWidth + 1) { return false; }
    }
    return true;
  }

  function whenReady(timeoutMs) {
    var until = Date.now() + timeoutMs;
    return new Promise(function (resolve, reject) {
      (function poll() {
        if (isReady()) { return resolve(); }
        if (Date.now() > until) { return reject(new Error('timeout (' + notReady() + ')')); }
        setTimeout(poll, 100);
      })();
    });
  }

  /* The current view as the server's export routes read it: page path, filter, language. */
  function viewQuery(lang) {
    var current = new URLSearchParams(window.location.search);
    var query = new URLSearchParams({path: window.location.pathname});
    current.forEach(function (value, key) {
      if (FILTER_PARAMS.indexOf(key) >= 0) { query.append(key, value); }
    });
    query.set('lang', lang);
    return query.toString();
  }

  function fetchOk(url) {
    return fetch(url, {credentials: 'same-origin'}).then(function (response) {
      if (response.ok) { return response; }
      return response.text().then(function (text) {  // the export routes answer errors in plain text
        throw new Error(text.trim().slice(0, 200) || String(response.status));
      });
    });
  }

  function captionBlock(lines) {
    var block = document.createElement('footer');
    block.className = 'export-caption';
    lines.forEach(function (line, index) {
      var p = document.createElement('p');
      p.className = index === 0 ? 'export-caption-what' : 'export-caption-source';
      p.textContent = line;
      block.appendChild(p);
    });
    return block;
  }

  function save(blob, filename) {
    var link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = filename;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
  }

  /* Controls are left out: Plotly's mode bar, and whatever is marked not for print (the figure export links). */
  function keep(node) {
    var classes = node.classList;
    return !(classes && (classes.contains('modebar-container') || classes.contains('d-print-none')));
  }

  function pagePng(setup) {
    var caption = fetchOk(setup.caption + '?' + viewQuery(setup.lang)).then(function (r) { return r.json(); });
    return Promise.all([loadLibrary(setup.library), caption, whenReady(READY_TIMEOUT_MS)]).then(function (got) {
      var lib = got[0], meta = got[1];
      var node = document.getElementById('main');
      var block = captionBlock(meta.lines);
      node.querySelector('.page').appendChild(block);
      var drawn = lib.toBlob(node, {pixelRatio: PIXEL_RATIO, backgroundColor: '#ffffff', filter: keep});
      return drawn.finally(function () { block.remove(); }).then(function (blob) { save(blob, meta.filename); });
    });
  }

  function pagePdf(setup) {
    return fetchOk(setup.pdf + '?' + viewQuery(setup.lang)).then(function (response) {
      var disposition = response.headers.get('Content-Disposition') || '';
      var name = /filename="([^"]+)"/.exec(disposition);
      return response.blob().then(function (blob) { save(blob, name ? name[1] : 'lagesbild.pdf'); });
    });
  }

  /* The clientside callback of both menu items: returns the status line's text ('' when done). */
  function exportPage(pngClicks, pdfClicks, setup) {
    var dc = window.dash_clientside;
    var asPdf = dc.callback_context.triggered_id === 'export-page-pdf';
    if (busy || !setup) { return dc.no_update; }
    busy = true;
    dc.set_props('export-status', {children: setup.messages[asPdf ? 'working_pdf' : 'working_png'],
                                   className: 'export-status'});
    return (asPdf ? pagePdf(setup) : pagePng(setup)).then(function () {
      dc.set_props('export-status', {className: 'export-status'});
      return '';
    }, function (error) {
      dc.set_props('export-status', {className: 'export-status export-failed'});
      return setup.messages.failed + (error && error.message ? ': ' + error.message : '');
    }).finally(function () { busy = false; });
  }

  window.lagesbildExport = {isReady: isReady, notReady: notReady, neededWidth: neededWidth, graphsFit: graphsFit};
  window.dash_clientside = Object.assign({}, window.dash_clientside, {lagesbild_export: {exportPage: exportPage}});
})();
