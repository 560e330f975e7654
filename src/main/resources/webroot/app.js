// Welcomeline resident web chat: no framework. The conversation (transcript, unsent messages and the
// session id) is kept in localStorage, so a dropped connection or a reload loses nothing: unanswered
// messages are re-sent with the same id and the server answers each id once.
(function () {
  "use strict";
  var LANGS = [
    ["en", "English"], ["es", "Español"], ["fr", "Français"], ["ar", "العربية"], ["uk", "Українська"],
    ["ru", "Русский"], ["zh", "中文"], ["pt", "Português"], ["fa", "فارسی"], ["so", "Soomaali"],
    ["tr", "Türkçe"], ["vi", "Tiếng Việt"], ["ps", "پښتو"], ["prs", "دری"], ["ti", "ትግርኛ"], ["am", "አማርኛ"],
    ["ht", "Kreyòl ayisyen"], ["sw", "Kiswahili"], ["ur", "اردو"], ["bn", "বাংলা"], ["pl", "Polski"],
    ["ro", "Română"], ["tl", "Tagalog"], ["ko", "한국어"]
  ];
  var RTL = { ar: 1, fa: 1, prs: 1, ps: 1, ur: 1 };
  var KEY = "welcomeline.chat.v1";
  var store = load();
  var ws = null, retry = 0, seq = store.seq || 0;
  var log = document.getElementById("log"), input = document.getElementById("text");
  var statusEl = document.getElementById("status"), picker = document.getElementById("language");

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  function save() {
    store.seq = seq;
    try { localStorage.setItem(KEY, JSON.stringify(store)); } catch (e) { /* private mode: memory only */ }
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var a = new Uint8Array(16); crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  store.session = store.session || uuid();
  store.items = store.items || [];
  store.language = store.language || "";

  LANGS.forEach(function (l) {
    var o = document.createElement("option"); o.value = l[0]; o.textContent = l[1];
    picker.appendChild(o);
  });
  var auto = document.createElement("option"); auto.value = ""; auto.textContent = "🌐 …";
  picker.insertBefore(auto, picker.firstChild);
  picker.value = store.language;
  picker.addEventListener("change", function () {
    store.language = picker.value; applyDir(store.language); save();
    if (store.language) { queue({ type: "language", code: store.language }, null); }
  });

  function applyDir(lang) {
    document.documentElement.dir = RTL[lang] ? "rtl" : "ltr";
    document.documentElement.lang = lang || "en";
    loadPrivacy(lang);
  }
  // The privacy notice, in the chosen language (the server says when it falls back).
  function loadPrivacy(lang) {
    var el = document.getElementById("privacy-text");
    if (!el || !window.fetch) { return; }
    fetch("/api/v1/privacy?language=" + encodeURIComponent(lang || "en"))
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) { if (p) { el.textContent = p.text; el.lang = p.language; } })
      .catch(function () { /* offline: the notice is also sent with HELP */ });
  }
  applyDir(store.language);

  function render() {
    log.textContent = "";
    store.items.forEach(function (it) {
      var li = document.createElement("li");
      li.className = it.who + (it.pending ? " pending" : "");
      li.textContent = it.text;
      li.setAttribute("dir", it.dir || "auto");
      if (it.lang) { li.setAttribute("lang", it.lang); }
      log.appendChild(li);
    });
    log.parentNode.scrollTop = log.parentNode.scrollHeight;
  }

  function queue(frame, shownText) {
    var id = "m" + (++seq);
    frame.id = id;
    if (shownText !== null) {
      store.items.push({ who: "me", text: shownText, id: id, pending: true, frame: frame, dir: "auto" });
    } else {
      store.items.push({ who: "hidden", id: id, pending: true, frame: frame });
    }
    save(); render(); flush();
  }

  function flush() {
    if (!ws || ws.readyState !== 1) { return; }
    store.items.forEach(function (it) {
      if (it.pending && it.frame && !it.sent) {
        if (store.language && it.frame.type === "message") { it.frame.language = store.language; }
        ws.send(JSON.stringify(it.frame)); it.sent = true;
      }
    });
  }

  function onFrame(ev) {
    var f; try { f = JSON.parse(ev.data); } catch (e) { return; }
    if (f.type === "reply") {
      markDone(f.id);
      store.items.push({ who: f.intent === "staff" ? "bot staff" : "bot", text: f.text, lang: f.language,
        dir: f.dir || "auto" });
      if (f.language && f.language !== store.language && store.language) {
        store.language = f.language; picker.value = f.language;
      }
      applyDir(f.language || store.language);
      save(); render();
    } else if (f.type === "error") {
      if (f.code === "not_ready" || f.code === "too_many" || f.code === "in_flight" || f.code === "internal") {
        unsend(f.id); setTimeout(flush, 2000);
        statusEl.textContent = f.message;
      } else {
        markDone(f.id);
        store.items.push({ who: "error", text: f.message }); save(); render();
      }
    } else if (f.type === "ack") {
      markDone(f.id); save(); render();
    } else if (f.type === "session") {
      store.session = f.session; save();
    } else if (f.type === "reconnect") {
      // the server is restarting: come back after its hint, to whichever instance answers
      hint = f.after_ms || 1000;
    }
  }
  function markDone(id) {
    store.items.forEach(function (it) { if (it.id === id) { it.pending = false; delete it.frame; } });
    store.items = store.items.filter(function (it) { return it.who !== "hidden" || it.pending; });
  }
  function unsend(id) {
    store.items.forEach(function (it) { if (it.id === id) { it.sent = false; } });
  }

  var hint = 0;
  function connect() {
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(proto + location.host + "/channels/webchat?session=" + encodeURIComponent(store.session));
    ws.onopen = function () {
      retry = 0; statusEl.textContent = "";
      store.items.forEach(function (it) { it.sent = false; });
      flush();
    };
    ws.onmessage = onFrame;
    ws.onclose = function () {
      statusEl.textContent = "…";
      var delay = hint || Math.min(15000, 500 * Math.pow(2, retry++));
      hint = 0;
      setTimeout(connect, delay);
    };
  }

  document.getElementById("form").addEventListener("submit", function (e) {
    e.preventDefault();
    var t = input.value.trim();
    if (!t) { return; }
    input.value = "";
    queue({ type: "message", text: t }, t);
  });

  render();
  connect();
  // for tests and debugging: the state, and a way to simulate a dropped connection
  window.welcomeline = {
    state: function () { return store; },
    drop: function () { if (ws) { ws.close(); } }
  };
})();
