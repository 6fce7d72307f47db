/* Lägesbild: the Data page's "Läs in filer", browser side (dashboard/intake_view.py draws it, dashboard/intake.py
   answers). dcc.Upload hands over each dropped file as a data: URL; each is sent on its own, as multipart, to the
   upload route with the session's CSRF token, so a file may be as large as the upload limit while every other
   request stays small. What comes back (an id per staged file, or why it was refused) goes to the intake-staged
   store, which the server's preview callback reads. */
(function () {
  'use strict';

  /* The browser decodes its own data: URL (the CSP's connect-src allows data:), far faster than atob in a loop. */
  function toBlob(dataUrl) {
    return fetch(dataUrl).then(function (response) { return response.blob(); });
  }

  function approxBytes(dataUrl) {
    var comma = dataUrl.indexOf(',');
    return Math.floor((dataUrl.length - comma - 1) * 3 / 4);
  }

  function send(setup, name, dataUrl) {
    if (approxBytes(dataUrl) > setup.max + 4) {
      return Promise.resolve({name: name, error: setup.messages.too_large.replace('{name}', name)});
    }
    return toBlob(dataUrl).then(function (blob) {
      var form = new FormData();
      form.append('file', blob, name);
      return fetch(setup.url, {method: 'POST', body: form, credentials: 'same-origin',
                               headers: {'X-CSRFToken': setup.csrf}});
    })
      .then(function (response) {
        return response.json().catch(function () { return {error: setup.messages.upload_failed}; })
          .then(function (body) { return body.id ? body : {name: name, error: body.error || response.status}; });
      })
      .catch(function (error) { return {name: name, error: setup.messages.upload_failed + ' ' + error}; });
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.lagesbild_intake = {
    upload: function (contents, names, setup) {
      var dc = window.dash_clientside;
      if (!contents || !setup) { return [dc.no_update, dc.no_update]; }
      var sent = [];
      for (var i = 0; i < contents.length; i++) { sent.push(send(setup, names[i], contents[i])); }
      return Promise.all(sent).then(function (staged) {
        var refused = staged.filter(function (s) { return !s.id; });
        return [staged, refused.map(function (s) { return s.name + ': ' + s.error; }).join(' · ')];
      });
    }
  };
})();
