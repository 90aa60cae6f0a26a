/*
 * DoeMee chat widget. One line on any site:
 *   <script src="https://HOST/widget.js" data-centre="utrecht" defer></script>
 *
 * Plain JavaScript, no framework. Everything lives in a Shadow DOM so the host
 * page's CSS cannot reach it. Every text is set with textContent: neither the
 * bot nor a resident can inject HTML. The gateway fills in LABELS and CSS.
 */
(function () {
  "use strict";

  var LABELS = /*@LABELS@*/{};
  var CSS = /*@CSS@*/"";

  var script = document.currentScript ||
    document.querySelector('script[src*="widget.js"][data-centre]');
  if (!script || window.__doemeeWidget) { return; }
  window.__doemeeWidget = true;

  var CENTRE = script.getAttribute("data-centre") || "";
  var CHAT_URL = new URL("api/chat", script.src).href;
  var CENTRE_URL = new URL("api/centres/" + encodeURIComponent(CENTRE), script.src).href;
  var NEWS_URL = new URL("api/news", script.src).href;
  var SENDER_KEY = "doemee:sender";
  var TRANSCRIPT_KEY = "doemee:transcript:" + CENTRE;
  var OPEN_KEY = "doemee:open:" + CENTRE;
  var MAX_KEPT = 150;
  var TIMEOUT_MS = 30000;

  // --- storage that never throws (private modes, blocked cookies) ----------

  function store(kind) {
    try {
      var s = window[kind];
      var probe = "doemee:probe";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (e) {
      var memory = {};
      return {
        getItem: function (k) { return Object.prototype.hasOwnProperty.call(memory, k) ? memory[k] : null; },
        setItem: function (k, v) { memory[k] = String(v); },
        removeItem: function (k) { delete memory[k]; }
      };
    }
  }
  var local = store("localStorage");
  var session = store("sessionStorage");

  function senderId() {
    var id = local.getItem(SENDER_KEY);
    if (id && /^web-[0-9a-f]{32}$/.test(id)) { return id; }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    id = "web-" + Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
    local.setItem(SENDER_KEY, id);
    return id;
  }

  function loadTranscript() {
    try {
      var kept = JSON.parse(session.getItem(TRANSCRIPT_KEY) || "[]");
      return Array.isArray(kept) ? kept : [];
    } catch (e) {
      return [];
    }
  }

  function saveTranscript() {
    try {
      session.setItem(TRANSCRIPT_KEY, JSON.stringify(transcript.slice(-MAX_KEPT)));
    } catch (e) { /* storage full: the conversation still works */ }
  }

  function label(name, values) {
    var text = LABELS[name] || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(values[key]);
    });
    return text;
  }

  // --- building elements: only textContent, never HTML strings ------------

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function safeHref(url) {
    try {
      var parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function link(href, text) {
    var a = el("a", { href: href, target: "_blank", rel: "noopener noreferrer" }, text);
    return a;
  }

  // Markdown links [text](https://...) and bare http(s) URLs become links; the
  // rest stays text. Trailing punctuation is not part of a bare URL.
  var LINKS = /\[([^\]\n]{1,200})\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"]+)/g;

  function renderText(container, text) {
    var last = 0;
    var match;
    LINKS.lastIndex = 0;
    while ((match = LINKS.exec(text)) !== null) {
      var raw = match[2] || match[3];
      var trail = "";
      if (match[3]) {
        var cut = raw.match(/[.,;:!?)]+$/);
        if (cut) { trail = cut[0]; raw = raw.slice(0, -trail.length); }
      }
      var href = safeHref(raw);
      container.appendChild(document.createTextNode(text.slice(last, match.index)));
      if (href) {
        container.appendChild(link(href, match[1] || raw));
      } else {
        container.appendChild(document.createTextNode(match[0].slice(0, match[0].length - trail.length)));
      }
      if (trail) { container.appendChild(document.createTextNode(trail)); }
      last = match.index + match[0].length;
    }
    container.appendChild(document.createTextNode(text.slice(last)));
  }

  // --- the widget ----------------------------------------------------------

  var host = document.createElement("doemee-chat");
  var root = host.attachShadow({ mode: "open" });
  var sheet = null;
  if (root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === "function") {
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (e) { sheet = null; }
  }
  if (!sheet) { root.appendChild(el("style", {}, CSS)); }

  var frame = el("div", { "class": "dm-root" });
  var launcher = el("button", {
    type: "button", "class": "dm-launcher", "aria-expanded": "false", "aria-controls": "dm-panel"
  });
  var launcherIcon = el("span", { "class": "dm-icon", "aria-hidden": "true" });
  launcher.appendChild(launcherIcon);
  launcher.appendChild(el("span", { "class": "dm-launcher-text" }, label("launcher")));

  var panel = el("div", { id: "dm-panel", "class": "dm-panel", role: "dialog", "aria-labelledby": "dm-title" });
  panel.hidden = true;
  var header = el("div", { "class": "dm-header" });
  var title = el("h2", { id: "dm-title", "class": "dm-title" }, label("defaultName"));
  var close = el("button", { type: "button", "class": "dm-close", "aria-label": label("close") });
  close.appendChild(el("span", { "aria-hidden": "true" }, "\u00d7"));
  header.appendChild(title);
  header.appendChild(close);

  var log = el("div", {
    "class": "dm-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
    "aria-label": label("log"), tabindex: "0"
  });
  var typing = el("div", { "class": "dm-typing", role: "status" });
  var typingText = el("span", { "class": "dm-sr" });
  var dots = el("span", { "class": "dm-dots", "aria-hidden": "true" });
  dots.appendChild(el("span"));
  dots.appendChild(el("span"));
  dots.appendChild(el("span"));
  typing.appendChild(typingText);
  typing.appendChild(dots);
  typing.hidden = true;

  var form = el("form", { "class": "dm-form", novalidate: "" });
  var inputLabel = el("label", { "for": "dm-input", "class": "dm-sr" }, label("input"));
  var input = el("input", {
    id: "dm-input", "class": "dm-input", type: "text", maxlength: "1000", autocomplete: "off",
    placeholder: label("input"), enterkeyhint: "send", "aria-describedby": "dm-hint"
  });
  var send = el("button", { type: "submit", "class": "dm-send" }, label("send"));
  form.appendChild(inputLabel);
  form.appendChild(input);
  form.appendChild(send);
  var hint = el("p", { id: "dm-hint", "class": "dm-hint" }, label("hint"));

  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(form);
  panel.appendChild(hint);
  frame.appendChild(panel);
  frame.appendChild(launcher);
  root.appendChild(frame);

  var centre = { name: label("defaultName"), greeting: label("defaultGreeting") };
  var transcript = loadTranscript();
  var busy = false;
  var newsAsked = false;

  function applyCentre(info) {
    if (info && typeof info.name === "string") { centre.name = info.name; }
    if (info && typeof info.greeting === "string") { centre.greeting = info.greeting; }
    var colours = (info && info.colours) || {};
    if (/^#[0-9a-f]{6}$/i.test(colours.primary || "")) {
      frame.style.setProperty("--dm-primary", colours.primary);
    }
    if (/^#[0-9a-f]{6}$/i.test(colours.text_on_primary || "")) {
      frame.style.setProperty("--dm-on-primary", colours.text_on_primary);
    }
    title.textContent = centre.name;
    launcher.setAttribute("aria-label", label("launcherLabel", { name: centre.name }));
  }
  applyCentre(null);

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function renderMessage(entry) {
    var from = entry.from === "user" ? "user" : "bot";
    var row = el("div", { "class": "dm-msg dm-" + from + (entry.notice ? " dm-notice" : "") });
    row.appendChild(el("span", { "class": "dm-sr" }, (from === "user" ? label("you") : label("bot")) + ": "));
    var bubble = el("div", { "class": "dm-bubble" });
    renderText(bubble, String(entry.text || ""));
    row.appendChild(bubble);
    if (from === "bot" && Array.isArray(entry.buttons) && entry.buttons.length) {
      var group = el("div", { "class": "dm-buttons", role: "group" });
      entry.buttons.forEach(function (b) {
        if (!b || typeof b.title !== "string" || typeof b.payload !== "string") { return; }
        var button = el("button", { type: "button", "class": "dm-choice" }, b.title);
        button.addEventListener("click", function () { ask(b.payload, b.title); });
        group.appendChild(button);
      });
      row.appendChild(group);
    }
    log.appendChild(row);
    scrollDown();
  }

  function addMessage(entry) {
    transcript.push(entry);
    saveTranscript();
    renderMessage(entry);
  }

  function setBusy(value) {
    busy = value;
    typing.hidden = !value;
    typingText.textContent = value ? label("typing") : "";
    send.setAttribute("aria-disabled", value ? "true" : "false");
    if (value) { scrollDown(); }
  }

  function post(message) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    return fetch(CHAT_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: senderId(), message: message, centre: CENTRE }),
      signal: controller ? controller.signal : undefined,
      credentials: "omit"
    }).then(function (response) {
      return response.json();
    }).finally(function () {
      if (timer) { clearTimeout(timer); }
    });
  }

  function ask(message, shown) {
    message = String(message || "").trim();
    if (!message || busy) { return; }
    addMessage({ from: "user", text: shown || message });
    setBusy(true);
    post(message).then(function (body) {
      if (Array.isArray(body)) {
        body.forEach(function (reply) {
          if (reply && (reply.text || (reply.buttons && reply.buttons.length))) {
            addMessage({ from: "bot", text: reply.text || "", buttons: reply.buttons || [] });
          }
        });
      } else if (body && typeof body.error === "string") {
        addMessage({ from: "bot", text: body.error, notice: true });
      } else {
        throw new Error("unexpected answer");
      }
    }).catch(function () {
      addMessage({
        from: "bot", text: label("offline"), notice: true,
        buttons: [{ title: label("retry"), payload: message }]
      });
    }).finally(function () {
      setBusy(false);
    });
  }

  // News for a resident with alerts: asked once per page load, when the chat
  // first opens. The gateway marks it shown, so it appears once; a failure
  // only means no news this time.
  function showNews() {
    if (newsAsked) { return; }
    newsAsked = true;
    fetch(NEWS_URL + "?sender=" + encodeURIComponent(senderId()), { credentials: "omit", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .catch(function () { return []; })
      .then(function (body) {
        if (!Array.isArray(body)) { return; }
        body.forEach(function (reply) {
          if (reply && typeof reply.text === "string" && reply.text) {
            addMessage({ from: "bot", text: reply.text, buttons: Array.isArray(reply.buttons) ? reply.buttons : [] });
          }
        });
      });
  }

  function open(moveFocus) {
    panel.hidden = false;
    frame.classList.add("dm-open");
    launcher.setAttribute("aria-expanded", "true");
    session.setItem(OPEN_KEY, "1");
    if (!transcript.length) {
      addMessage({ from: "bot", text: centre.greeting });
    }
    scrollDown();
    if (moveFocus) { input.focus(); }
    showNews();
  }

  function shut() {
    panel.hidden = true;
    frame.classList.remove("dm-open");
    launcher.setAttribute("aria-expanded", "false");
    session.removeItem(OPEN_KEY);
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) { open(true); } else { shut(); }
  });
  close.addEventListener("click", shut);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      event.preventDefault();
      shut();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) { return; }
    var text = input.value;
    if (!text.trim()) { return; }
    input.value = "";
    ask(text);
  });

  transcript.forEach(renderMessage);

  function mount() {
    document.body.appendChild(host);
    fetch(CENTRE_URL, { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; })
      .then(function (info) {
        applyCentre(info);
        if (session.getItem(OPEN_KEY) === "1") { open(false); }
        host.setAttribute("data-ready", "true");
      });
  }

  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
})();
