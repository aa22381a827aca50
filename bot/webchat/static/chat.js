// The web chat page: a WebSocket to /chat/ws, buttons as buttons, files by POST /chat/upload.
// No framework and no inline code (the page's CSP allows only this file).
"use strict";

(function () {
  const root = document.getElementById("chat");
  const log = document.getElementById("log");
  const form = document.getElementById("form");
  const input = document.getElementById("text");
  const fileInput = document.getElementById("file");
  const status = document.getElementById("status");
  const MAX_FILE_BYTES = Number(root.dataset.maxFileBytes) || 10 * 1024 * 1024;
  let socket = null;
  let retry = 500;
  const unsent = []; // frames typed while the socket was down, sent on reconnect

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }

  function showStatus(text) {
    status.textContent = text || "";
    status.hidden = !text;
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function disableOldButtons() {
    log.querySelectorAll(".chat-buttons button").forEach(function (b) { b.disabled = true; });
  }

  function addMine(text) {
    const item = document.createElement("li");
    item.className = "chat-message chat-mine";
    item.textContent = text;
    log.appendChild(item);
    scrollDown();
  }

  function addReply(message, live) {
    if (live) disableOldButtons();
    const item = document.createElement("li");
    item.className = "chat-message chat-bot";
    const text = document.createElement("div");
    text.className = "chat-text";
    text.textContent = message.text;
    item.appendChild(text);
    if (message.document) {
      const link = document.createElement("a");
      link.href = message.document.url;
      link.textContent = "📄 " + message.document.name;
      link.className = "chat-document";
      item.appendChild(link);
    }
    if (message.buttons && message.buttons.length) {
      const rows = document.createElement("div");
      rows.className = "chat-buttons";
      message.buttons.forEach(function (row) {
        const line = document.createElement("div");
        line.className = "chat-button-row";
        row.forEach(function (button) {
          const b = document.createElement("button");
          b.type = "button";
          b.textContent = button.label;
          b.dataset.id = button.id;
          b.addEventListener("click", function () { tap(button); });
          line.appendChild(b);
        });
        rows.appendChild(line);
      });
      item.appendChild(rows);
    }
    log.appendChild(item);
    scrollDown();
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
    } else {
      unsent.push(frame);
    }
  }

  function tap(button) {
    addMine(button.label);
    disableOldButtons();
    send({ id: newId(), type: "button", button: button.id });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    addMine(text);
    input.value = "";
    send({ id: newId(), type: "text", text: text });
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  fileInput.addEventListener("change", function () {
    const file = fileInput.files[0];
    fileInput.value = "";
    if (!file) return;
    addMine("📎 " + file.name);
    const body = new FormData();
    body.append("id", newId());
    if (file.size > MAX_FILE_BYTES) {
      // Too large to be taken: say so without sending it; the chat explains the limit.
      body.append("name", file.name);
      body.append("size", String(file.size));
    } else {
      body.append("file", file, file.name);
    }
    showStatus(root.dataset.sending);
    fetch("/chat/upload", { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        showStatus(response.ok ? "" : root.dataset.uploadFailed);
      })
      .catch(function () { showStatus(root.dataset.uploadFailed); });
  });

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/chat/ws");
    socket.addEventListener("open", function () {
      retry = 500;
      showStatus("");
      while (unsent.length) socket.send(JSON.stringify(unsent.shift()));
    });
    socket.addEventListener("message", function (event) {
      const message = JSON.parse(event.data);
      if (message.type === "history") {
        log.textContent = "";
        message.messages.forEach(function (m) {
          if (m.type === "mine") addMine(m.text); else addReply(m, false);
        });
        const replies = log.querySelectorAll(".chat-bot");
        disableOldButtons();
        if (replies.length) {
          replies[replies.length - 1].querySelectorAll("button").forEach(function (b) {
            b.disabled = false;
          });
        }
      } else if (message.type === "reply") {
        addReply(message, true);
      }
    });
    socket.addEventListener("close", function () {
      showStatus(root.dataset.offline);
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 15000);
    });
  }

  connect();
})();
