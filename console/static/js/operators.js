// Operators' screens: the inbox and the chat update themselves from server-sent events
// (console/views/operator_stream.py); replies go by fetch() with the CSRF header.
// No innerHTML with message text: bubbles are built with textContent.
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fn, ms);
    };
  }

  function startInbox(box) {
    var refresh = debounce(function () {
      fetch(box.getAttribute("data-rows-url"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null) { box.innerHTML = html; } });
    }, 250);
    var events = new EventSource(box.getAttribute("data-events-url"));
    events.addEventListener("inbox", refresh);
    // Waiting times and the "nobody took it" highlight change with time alone.
    window.setInterval(refresh, 30000);
  }

  function bubble(message) {
    var item = document.createElement("li");
    item.className = message.direction;
    item.setAttribute("data-message-id", String(message.id));
    var meta = document.createElement("div");
    meta.className = "meta";
    var author = document.createElement("strong");
    author.textContent = message.author;
    var time = document.createElement("time");
    time.textContent = message.at;
    meta.appendChild(author);
    meta.appendChild(document.createTextNode(" · "));
    meta.appendChild(time);
    item.appendChild(meta);
    if (message.text) {
      var text = document.createElement("div");
      text.className = "text";
      text.textContent = message.text;
      item.appendChild(text);
    }
    if (message.document) {
      var file = document.createElement("div");
      file.className = "file";
      file.textContent = "📎 " + (message.document.name || "");
      item.appendChild(file);
    }
    return item;
  }

  function startChat(list) {
    var lost = document.querySelector("[data-stream-lost]");
    var url = list.getAttribute("data-events-url") + "?after=" + list.getAttribute("data-last-id");
    var events = new EventSource(url);
    list.scrollTop = list.scrollHeight;
    events.addEventListener("message", function (event) {
      var message = JSON.parse(event.data);
      if (list.querySelector('[data-message-id="' + message.id + '"]')) { return; }
      list.appendChild(bubble(message));
      list.scrollTop = list.scrollHeight;
      if (lost) { lost.hidden = true; }
    });
    events.addEventListener("open", function () { if (lost) { lost.hidden = true; } });
    events.addEventListener("error", function () { if (lost) { lost.hidden = false; } });
  }

  function sendByFetch(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var error = form.querySelector("[data-reply-error]");
    return window.consoleFetch(form.action, { method: "POST", body: data })
      .then(function (response) {
        if (response.ok) {
          var text = form.querySelector("[data-reply-text]");
          if (text) { text.value = ""; text.focus(); }
          var file = form.querySelector('input[type="file"]');
          if (file) { file.value = ""; }
          if (error) { error.hidden = true; }
          return null;
        }
        return response.json().then(function (body) {
          if (error) { error.textContent = body.message || body.error; error.hidden = false; }
        }, function () { window.location.reload(); });
      })
      .finally(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-inbox]");
    if (box) { startInbox(box); }
    var list = document.querySelector("[data-chat]");
    if (list) { startChat(list); }
    document.querySelectorAll("form[data-reply], form[data-canned]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        sendByFetch(form, event.submitter);
      });
    });
    var text = document.querySelector("[data-reply-text]");
    if (text) {
      // Enter sends, Shift+Enter starts a new line, as in every messenger.
      text.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey) {
          event.preventDefault();
          text.form.requestSubmit();
        }
      });
    }
  });
})();
