// Staff console: no framework, no inline script (CSP). Everything shown is set with textContent, so
// residents' text can never become markup.
(function () {
  "use strict";
  var csrf = null, me = null, current = null, timer = null;
  function $(id) { return document.getElementById(id); }
  function show(view) {
    ["login-view", "inbox-view", "conversation-view", "audit-view", "broadcast-view"].forEach(function (v) { $(v).hidden = v !== view; });
  }
  function error(msg) { $("error").textContent = msg || ""; $("error").hidden = !msg; }
  function api(method, path, body) {
    var opts = { method: method, headers: {}, credentials: "same-origin" };
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    if (method !== "GET" && csrf) { opts.headers["X-CSRF-Token"] = csrf; }
    return fetch("/api/v1/console" + path, opts).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) {
          var e = new Error((j.error && j.error.message) || r.status);
          e.status = r.status; e.code = j.error && j.error.code; throw e;
        }
        return j;
      });
    });
  }
  function signedIn(j) {
    me = j; csrf = j.csrf;
    $("nav").hidden = false; $("who").textContent = j.username + " (" + j.role + ")";
    $("nav-audit").hidden = j.role !== "admin";
    $("send-reply").disabled = $("close-conv").disabled = !(j.role === "editor" || j.role === "admin");
    route();
  }
  function ago(seconds) {
    if (seconds < 60) { return seconds + " s"; }
    if (seconds < 3600) { return Math.floor(seconds / 60) + " min"; }
    return Math.floor(seconds / 3600) + " h " + Math.floor(seconds % 3600 / 60) + " min";
  }
  function cell(tr, text) { var td = document.createElement("td"); td.textContent = text == null ? "" : text; tr.appendChild(td); return td; }
  function loadInbox() {
    return api("GET", "/inbox").then(function (j) {
      var rows = $("inbox-rows"); rows.textContent = "";
      j.conversations.forEach(function (c) {
        var tr = document.createElement("tr"); tr.className = "conversation";
        cell(tr, ago(c.waiting_seconds)); cell(tr, c.language); cell(tr, c.channel); cell(tr, c.topic);
        var a = document.createElement("a"); a.href = "#c/" + c.id; a.textContent = "Open"; a.className = "open";
        cell(tr, "").appendChild(a);
        rows.appendChild(tr);
      });
      $("inbox-empty").hidden = j.conversations.length > 0;
    });
  }
  function loadConversation(id) {
    return api("GET", "/conversations/" + encodeURIComponent(id)).then(function (c) {
      current = c;
      $("conv-lang").textContent = "· " + (c.language || "?"); $("conv-channel").textContent = "· " + c.channel;
      var list = $("messages"); list.textContent = "";
      c.messages.forEach(function (m) {
        var li = document.createElement("li"); li.className = m.direction;
        li.textContent = m.text == null ? "(text expired)" : m.text;
        var meta = document.createElement("small");
        meta.textContent = new Date(m.at).toLocaleString() + (m.intent ? " · " + m.intent : "")
          + (m.status === "waiting" ? " · shown at the resident's next visit" : "");
        li.appendChild(meta); list.appendChild(li);
      });
      var canned = $("canned"); canned.textContent = "";
      (c.canned || []).forEach(function (t) {
        var b = document.createElement("button"); b.type = "button"; b.textContent = t; b.dir = "auto";
        b.addEventListener("click", function () { $("reply-text").value = t; count(); });
        canned.appendChild(b);
      });
    });
  }
  function count() { $("reply-count").textContent = $("reply-text").value.length + " / 1600"; }
  var RTL = { ar: 1, fa: 1, prs: 1, ps: 1, ur: 1 };
  function buildBroadcastForm() {
    if ($("b-texts").childElementCount) { return; }
    me.topics.forEach(function (t) { $("b-topics").appendChild(check("b-topic", t)); });
    me.districts.forEach(function (d) { $("b-districts").appendChild(check("b-district", d)); });
    me.languages.forEach(function (l) {
      var label = document.createElement("label"); label.textContent = l + " ";
      var ta = document.createElement("textarea"); ta.rows = 2; ta.maxLength = 1600; ta.id = "b-text-" + l;
      ta.lang = l; ta.dir = RTL[l] ? "rtl" : "ltr"; label.appendChild(ta); $("b-texts").appendChild(label);
      var o = document.createElement("option"); o.value = l; o.textContent = l; $("b-fallback").appendChild(o);
    });
  }
  // "#broadcast?topic=housing&district=north" (from the needs dashboard) ticks that audience
  function preselect(query) {
    var q = new URLSearchParams(query);
    ["topic", "district"].forEach(function (key) {
      if (!q.has(key)) { return; }
      Array.prototype.forEach.call(document.getElementsByName("b-" + key), function (c) { c.checked = c.value === q.get(key); });
    });
  }
  function check(name, value) {
    var label = document.createElement("label"); label.className = "inline";
    var c = document.createElement("input"); c.type = "checkbox"; c.name = name; c.value = value;
    label.appendChild(c); label.appendChild(document.createTextNode(" " + value)); return label;
  }
  function checked(name) {
    return Array.prototype.filter.call(document.getElementsByName(name), function (c) { return c.checked; })
      .map(function (c) { return c.value; });
  }
  function showBroadcast(b) {
    $("b-result").hidden = false;
    $("b-status").textContent = "· " + b.status;
    $("b-summary").textContent = b.recipients + " recipients, estimated cost " + b.estimated_cost
      + (b.missing_languages.length ? "; no own text for: " + b.missing_languages.join(", ") : "")
      + (b.needs_approval ? "; needs approval by a second person" : "");
    var rows = $("b-rows"); rows.textContent = "";
    b.preview.forEach(function (p) {
      var tr = document.createElement("tr"); var prog = b.progress[p.language] || {};
      cell(tr, p.language); cell(tr, p.recipients); cell(tr, p.reached ? p.text_language : "not reached");
      cell(tr, p.segments); cell(tr, p.estimated_cost); cell(tr, prog.sent || 0); cell(tr, prog.delivered || 0);
      cell(tr, (prog.failed || 0) + (prog.undelivered || 0));
      var done = (prog.sent || 0) + (prog.failed || 0) + (prog.skipped || 0) + (prog.unknown || 0);
      var total = done + (prog.queued || 0) + (prog.sending || 0);
      var bar = document.createElement("progress"); bar.max = total || 1; bar.value = done;
      bar.setAttribute("aria-label", p.language + ": " + done + " of " + total);
      cell(tr, "").appendChild(bar);
      rows.appendChild(tr);
    });
    var editor = me.role === "editor" || me.role === "admin";
    $("b-approve").hidden = !(b.status === "draft" && (me.role === "approver" || me.role === "admin"));
    $("b-send").hidden = $("b-when-row").hidden = !(editor && (b.status === "draft" || b.status === "approved"));
    $("b-scheduled").textContent = b.status === "scheduled" && b.scheduled_at
      ? "Goes out " + new Date(b.scheduled_at).toLocaleString() : "";
    $("b-cancel").hidden = !(editor && b.status !== "sent" && b.status !== "cancelled");
  }
  function loadBroadcast(id) { return api("GET", "/broadcasts/" + id).then(showBroadcast); }
  function currentBroadcast() { return location.hash.indexOf("#b/") === 0 ? location.hash.substring(3) : null; }
  function route() {
    error(""); if (timer) { clearInterval(timer); timer = null; }
    if (!me) { show("login-view"); return; }
    var h = location.hash || "#inbox";
    if (h.indexOf("#c/") === 0) {
      show("conversation-view");
      var id = h.substring(3);
      loadConversation(id).catch(fail);
      timer = setInterval(function () { loadConversation(id).catch(fail); }, 5000);
    } else if (h === "#broadcast" || h.indexOf("#broadcast?") === 0 || h.indexOf("#b/") === 0) {
      show("broadcast-view"); buildBroadcastForm();
      $("b-form").hidden = h.indexOf("#b/") === 0; $("b-result").hidden = true;
      if (h.indexOf("#broadcast?") === 0) { preselect(h.substring("#broadcast?".length)); }
      var bid = currentBroadcast();
      if (bid) {
        loadBroadcast(bid).catch(fail);
        timer = setInterval(function () { loadBroadcast(bid).catch(fail); }, 2000);
      }
    } else if (h === "#audit") {
      show("audit-view");
      api("GET", "/audit").then(function (j) {
        var rows = $("audit-rows"); rows.textContent = "";
        j.entries.forEach(function (e) {
          var tr = document.createElement("tr");
          cell(tr, new Date(e.at).toLocaleString()); cell(tr, e.username); cell(tr, e.action); cell(tr, e.target);
          rows.appendChild(tr);
        });
      }).catch(fail);
    } else {
      show("inbox-view");
      loadInbox().catch(fail);
      timer = setInterval(function () { loadInbox().catch(fail); }, 5000);
    }
  }
  function fail(e) {
    if (e.status === 401) { me = null; csrf = null; $("nav").hidden = true; show("login-view"); }
    error(e.message);
  }
  $("login-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    api("POST", "/login", { username: $("username").value, password: $("password").value })
      .then(function (j) { $("password").value = ""; signedIn(j); }).catch(fail);
  });
  $("logout").addEventListener("click", function () {
    api("POST", "/logout").finally(function () { me = null; csrf = null; $("nav").hidden = true; route(); });
  });
  $("reply-text").addEventListener("input", count);
  $("reply-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!current) { return; }
    api("POST", "/conversations/" + encodeURIComponent(current.id) + "/reply", { text: $("reply-text").value })
      .then(function () { $("reply-text").value = ""; count(); return loadConversation(current.id); }).catch(fail);
  });
  $("close-conv").addEventListener("click", function () {
    if (!current) { return; }
    api("POST", "/conversations/" + encodeURIComponent(current.id) + "/close")
      .then(function () { location.hash = "#inbox"; }).catch(fail);
  });
  $("b-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var texts = {};
    me.languages.forEach(function (l) { var v = $("b-text-" + l).value; if (v.trim()) { texts[l] = v; } });
    api("POST", "/broadcasts", { texts: texts, fallback: $("b-fallback").value || null,
      emergency: $("b-emergency").checked,
      audience: { topics: checked("b-topic"), districts: checked("b-district"), languages: [] } })
      .then(function (b) { location.hash = "#b/" + b.id; }).catch(fail);
  });
  ["approve", "cancel"].forEach(function (action) {
    $("b-" + action).addEventListener("click", function () {
      var id = currentBroadcast(); if (!id) { return; }
      api("POST", "/broadcasts/" + id + "/" + action).then(showBroadcast).catch(fail);
    });
  });
  // the same text to the same audience lately: the server asks, a person confirms
  function sendBroadcast(id, body) {
    return api("POST", "/broadcasts/" + id + "/send", body).then(showBroadcast).catch(function (e) {
      if (e.code === "duplicate_recent" && window.confirm(e.message + " Send it again?")) {
        body.confirm_duplicate = true; return sendBroadcast(id, body);
      }
      fail(e);
    });
  }
  $("b-send").addEventListener("click", function () {
    var id = currentBroadcast(); if (id) { sendBroadcast(id, {}); }
  });
  $("b-schedule").addEventListener("click", function () {
    var id = currentBroadcast(); if (!id) { return; }
    var when = new Date($("b-when").value).getTime();
    if (!$("b-when").value || isNaN(when)) { error("Choose a date and time first."); return; }
    sendBroadcast(id, { scheduled_at: when });
  });
  window.addEventListener("hashchange", route);
  api("GET", "/me").then(signedIn).catch(function () { show("login-view"); });
}());
