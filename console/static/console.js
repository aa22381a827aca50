// The console's small behaviours. No inline scripts anywhere (CSP): pages mark elements
// with data-* attributes and this file wires them up.
(function () {
  "use strict";

  // The CSRF token of this session, for fetch() calls that change something.
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // fetch() with the CSRF header and same-origin cookies; JSON errors come back localized.
  window.consoleFetch = function (url, options) {
    options = options || {};
    options.credentials = "same-origin";
    options.headers = Object.assign({ "X-CSRF-Token": csrfToken(), "Accept": "application/json" },
      options.headers || {});
    return fetch(url, options);
  };

  document.addEventListener("DOMContentLoaded", function () {
    // <form data-confirm="text">: ask before an action that tells the citizen something.
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
        }
      });
    });
    // <select data-autosubmit>: filters apply as soon as they change.
    document.querySelectorAll("[data-autosubmit]").forEach(function (field) {
      field.addEventListener("change", function () {
        if (field.form) { field.form.requestSubmit(); }
      });
    });
    // <button data-print>: print the page (day list, card).
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    // A submitted form's buttons are disabled, so a double click never acts twice.
    document.querySelectorAll("form[method=post]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (event.defaultPrevented) { return; }
        window.setTimeout(function () {
          form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
        }, 0);
      });
    });
  });
})();
