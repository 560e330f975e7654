// Community-needs dashboard for city officials. No framework, no inline script (CSP). Everything shown is
// set with textContent (and charts draw on canvas), so reported text can never become markup.
(function () {
  "use strict";
  var BASE = "/api/v1/console";
  var FILTERS = ["topic", "district", "language", "status", "days"];
  var STATUS = { "new": "New", acknowledged: "Acknowledged", in_progress: "In progress", resolved: "Resolved" };
  var URGENCY = { today: "Today", week: "This week", later: "Later" };
  var SOURCE = { resident: "Resident", association: "Association", open311: "Open311" };
  // distinguishable for most colour vision (Okabe-Ito first), one colour per topic in the order of /me
  var PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7a5195", "#999933",
    "#882255", "#44aa99", "#332288", "#6b6b6b"];
  var MAX_LIST = 500, MIN_RELOAD_GAP = 5000;
  var me = null, csrf = null, k = 5, known = {}, charts = null, events = null;
  var needsSeq = 0, unansweredSeq = 0, lastLoad = 0, reloadTimer = null, pendingWhileHidden = false;

  function $(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text != null) { e.textContent = text; }
    return e;
  }
  function error(msg) { $("error").textContent = msg || ""; $("error").hidden = !msg; }
  function live(msg) {
    $("live").textContent = msg + " · " + new Date().toLocaleTimeString(undefined, { timeStyle: "short" });
  }
  function canEdit() { return me.role === "editor" || me.role === "admin"; }

  function api(method, path, body) {
    var opts = { method: method, headers: {}, credentials: "same-origin" };
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    if (method !== "GET" && csrf) { opts.headers["X-CSRF-Token"] = csrf; }
    return fetch(BASE + path, opts).catch(function () {
      throw new Error("Cannot reach the server; check the connection and try again.");
    }).then(function (r) {
      return r.text().then(function (t) {
        var j = null;
        try { j = t ? JSON.parse(t) : {}; } catch (ignored) { j = null; }
        if (!r.ok || j === null) {
          var e = new Error((j && j.error && j.error.message) || "The server answered " + r.status + ".");
          e.status = r.status; e.code = j && j.error && j.error.code; throw e;
        }
        return j;
      });
    });
  }
  function fail(e) {
    if (e.status === 401) { signedOut(); return; }
    error(e.message);
  }

  // ---- display of ids, numbers and dates ----
  function readable(id) {
    if (id == null) { return ""; }
    var s = String(id).replace(/_/g, " ");
    return s.charAt(0).toUpperCase() + s.substring(1);
  }
  function district(d) { return d == null || d === "none" ? "No district" : readable(d); }
  var languageNames = null;
  try { languageNames = new Intl.DisplayNames([document.documentElement.lang || "en"], { type: "language" }); } catch (ignored) { languageNames = null; }
  function language(code) {
    if (code == null) { return "Unknown"; }
    var name = null;
    try { name = languageNames && languageNames.of(code); } catch (ignored) { name = null; }
    return name && name !== code ? name + " (" + code + ")" : code;
  }
  function when(ms) { return new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }); }
  function shortWhen(ms) { return new Date(ms).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" }); }
  function day(ms) { return new Date(ms).toLocaleDateString(undefined, { dateStyle: "medium" }); }
  function isoDay(s) { // "2026-11-01" is a calendar day, not UTC midnight
    var p = String(s).split("-");
    return new Date(+p[0], +p[1] - 1, +p[2]).toLocaleDateString(undefined, { month: "short", day: "numeric" });
  }
  // a count, or null when the server withheld it (fewer than k reports)
  function num(v) { return typeof v === "number" ? v : null; }
  function shown(v) { return num(v) === null ? "< " + k : String(v); }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  // ---- filters and export links ----
  function fillSelect(id, values, label) {
    values.forEach(function (v) { var o = el("option", null, label(v)); o.value = v; $(id).appendChild(o); });
  }
  function filters() {
    var f = {};
    FILTERS.forEach(function (n) { var v = $("f-" + n).value; if (v) { f[n] = v; } });
    return f;
  }
  function query(extra) { return new URLSearchParams(Object.assign(extra || {}, filters())).toString(); }
  function filtersFromUrl() {
    var q = new URLSearchParams(location.search);
    FILTERS.forEach(function (n) {
      var v = q.get(n), s = $("f-" + n);
      if (v && Array.prototype.some.call(s.options, function (o) { return o.value === v; })) { s.value = v; }
    });
  }
  function filtersChanged() {
    var q = query();
    history.replaceState(null, "", q ? "?" + q : location.pathname);
    $("export-csv").href = BASE + "/needs/export?" + query({ format: "csv" });
    $("export-json").href = BASE + "/needs/export?" + query({ format: "json" });
  }

  // ---- loading; a newer load wins over an older one still on its way ----
  function loadNeeds() {
    var mine = ++needsSeq, q = query();
    lastLoad = Date.now();
    return Promise.all([api("GET", "/needs?" + q), api("GET", "/needs/stats?" + q)]).then(function (r) {
      if (mine !== needsSeq) { return; }
      renderNeeds(r[0]); renderStats(r[1]);
    });
  }
  function loadUnanswered() {
    var mine = ++unansweredSeq;
    return api("GET", "/needs/unanswered?days=" + encodeURIComponent($("f-days").value)).then(function (j) {
      if (mine === unansweredSeq) { renderUnanswered(j); }
    });
  }
  // live events come in bursts: reload at most every few seconds, and not while the tab is hidden
  function scheduleReload() {
    if (document.hidden) { pendingWhileHidden = true; return; }
    if (reloadTimer) { return; }
    reloadTimer = setTimeout(function () {
      reloadTimer = null;
      var a = document.activeElement;
      if (a && a.classList.contains("note") && a.closest("#needs-rows")) { // typing a note: after that
        lastLoad = Date.now(); scheduleReload(); return;
      }
      loadNeeds().catch(fail);
    }, Math.max(500, lastLoad + MIN_RELOAD_GAP - Date.now()));
  }

  // ---- the list of reports ----
  function cell(tr, label, text) {
    var td = el("td", null, text == null ? "" : text); td.dataset.label = label; tr.appendChild(td); return td;
  }
  function needRow(n) {
    var tr = el("tr", "need"); tr.dataset.id = n.id;
    cell(tr, "Date", shortWhen(n.created_at)).title = when(n.created_at);
    cell(tr, "Code", n.code);
    cell(tr, "From", n.source === "association" && n.association ? "Association: " + n.association
      : SOURCE[n.source] || n.source);
    cell(tr, "Topic", readable(n.topic));
    cell(tr, "District", n.district == null ? "" : district(n.district));
    cell(tr, "Language", language(n.language));
    cell(tr, "People", n.people);
    cell(tr, "Urgency", URGENCY[n.urgency] || n.urgency);
    var text = cell(tr, "Report", n.text == null ? "(no text)" : n.text);
    text.dir = "auto"; text.className = n.text == null ? "text muted" : "text";
    if (n.text != null && n.language) { text.lang = n.language; }
    // one box in the cell, so that the narrow-screen cards lay it out as one value
    statusCell(cell(tr, "Status", null).appendChild(el("div", "status-cell")), n);
    return tr;
  }
  function statusCell(td, n) {
    var saved = n.status_note ? el("small", "status-note", n.status_note) : null;
    if (saved) { saved.dir = "auto"; }
    if (!canEdit()) {
      td.appendChild(el("span", "status-label is-" + n.status, STATUS[n.status] || n.status));
      if (saved) { td.appendChild(saved); }
      return;
    }
    // editors: the select shows (and is coloured by) the saved status; Save sends a change
    var box = el("div", "status-edit");
    var sel = el("select", "status is-" + n.status);
    sel.setAttribute("aria-label", "New status of report " + n.code);
    Object.keys(STATUS).forEach(function (s) {
      var o = el("option", null, STATUS[s]); o.value = s; o.disabled = s === "new"; sel.appendChild(o);
    });
    sel.value = n.status;
    var note = el("input", "note"); note.type = "text"; note.maxLength = 500; note.placeholder = "Note (optional)";
    note.dir = "auto"; note.setAttribute("aria-label", "Note on report " + n.code + " (optional)");
    var notifyLabel = el("label", "inline");
    var notify = el("input", "notify"); notify.type = "checkbox";
    notifyLabel.appendChild(notify); notifyLabel.appendChild(document.createTextNode(" Notify reporter"));
    var save = el("button", "save", "Save"); save.type = "button";
    save.setAttribute("aria-label", "Save status of report " + n.code);
    function sync() { save.disabled = sel.value === n.status && !note.value.trim(); }
    sel.addEventListener("change", sync); note.addEventListener("input", sync); sync();
    save.addEventListener("click", function () {
      var body = { status: sel.value, notify: notify.checked };
      if (note.value.trim()) { body.note = note.value.trim(); }
      save.disabled = true; error("");
      api("POST", "/needs/" + encodeURIComponent(n.id) + "/status", body).then(function (u) {
        known[u.id] = u;
        live("Report " + u.code + " is now " + (STATUS[u.status] || u.status)
          + (body.notify ? "; " + plural(u.notified || 0, "person", "people") + " notified" : "") + ".");
        var tr = save.closest("tr.need"), fresh = needRow(u);
        if (tr && tr.parentNode) { tr.parentNode.replaceChild(fresh, tr); fresh.querySelector(".status").focus(); }
        scheduleReload(); // counts, charts and groups
      }).catch(function (e) { sync(); fail(e); });
    });
    box.appendChild(sel); box.appendChild(note); box.appendChild(notifyLabel); box.appendChild(save);
    td.appendChild(box);
    if (saved) { td.appendChild(saved); }
  }
  // a live reload must not throw away a half-made status change, nor the keyboard focus
  function keepEdits() {
    var kept = { rows: {}, focus: null };
    Array.prototype.forEach.call(document.querySelectorAll("#needs-rows tr.need"), function (tr) {
      var sel = tr.querySelector(".status"), n = known[tr.dataset.id];
      if (!sel || !n) { return; }
      var note = tr.querySelector(".note").value, notify = tr.querySelector(".notify").checked;
      if (sel.value !== n.status || note || notify) { kept.rows[n.id] = { status: sel.value, note: note, notify: notify }; }
    });
    var a = document.activeElement, tr = a && a.closest ? a.closest("#needs-rows tr.need") : null;
    if (tr && a.className) { kept.focus = { id: tr.dataset.id, cls: a.className.split(" ")[0] }; }
    return kept;
  }
  function restoreEdits(kept) {
    Array.prototype.forEach.call(document.querySelectorAll("#needs-rows tr.need"), function (tr) {
      var r = kept.rows[tr.dataset.id];
      if (r && tr.querySelector(".status")) {
        tr.querySelector(".status").value = r.status; tr.querySelector(".note").value = r.note;
        tr.querySelector(".notify").checked = r.notify;
        tr.querySelector(".status").dispatchEvent(new Event("change"));
      }
      if (kept.focus && kept.focus.id === tr.dataset.id) {
        var f = tr.querySelector("." + kept.focus.cls);
        if (f) { f.focus(); }
      }
    });
  }
  function renderNeeds(j) {
    var kept = keepEdits(), rows = $("needs-rows");
    known = {}; rows.textContent = "";
    j.needs.forEach(function (n) { known[n.id] = n; rows.appendChild(needRow(n)); });
    restoreEdits(kept);
    $("needs-count").textContent = "(" + j.needs.length + ")";
    $("needs-empty").hidden = j.needs.length > 0;
    $("needs-table").hidden = j.needs.length === 0;
    $("needs-capped").hidden = j.needs.length < MAX_LIST;
    renderGroups(j.groups || []);
  }

  // ---- groups of similar reports ----
  function renderGroups(groups) {
    var list = $("group-list"); list.textContent = "";
    groups.forEach(function (g) {
      var li = el("li", "group"); li.dataset.id = g.id;
      li.appendChild(el("h3", null, readable(g.topic) + " · " + district(g.district)));
      li.appendChild(el("p", "count", plural(g.count, "report", "reports")));
      li.appendChild(el("p", "languages", "In " + (g.languages || []).map(language).join(", ")));
      var first = day(g.first_at), last = day(g.last_at);
      li.appendChild(el("p", "span", first === last ? first : first + " – " + last));
      var st = g.statuses || {};
      li.appendChild(el("p", "statuses", Object.keys(STATUS).filter(function (s) { return st[s]; })
        .map(function (s) { return st[s] + " " + STATUS[s].toLowerCase(); }).join(", ")));
      // all solved: tell the district's residents (the broadcast form opens with this audience ticked)
      if (g.district && g.district !== "none" && (st.resolved || 0) >= g.count) {
        var a = el("a", "announce", "Announce to district");
        a.href = "/console/#broadcast?" + new URLSearchParams({ topic: g.topic, district: g.district }).toString();
        a.setAttribute("aria-label", "Announce to district " + district(g.district) + ": " + readable(g.topic));
        li.appendChild(a);
      }
      list.appendChild(li);
    });
    $("groups-empty").hidden = groups.length > 0;
  }

  // ---- statistics: charts and the district x language table ----
  function setupCharts() {
    if (typeof window.Chart === "undefined") {
      $("charts-unavailable").hidden = false;
      Array.prototype.forEach.call(document.querySelectorAll(".chart"), function (c) { c.hidden = true; });
      return;
    }
    var Chart = window.Chart;
    Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = "#1b1b1b";
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    function options(extra) {
      return Object.assign({ responsive: true, maintainAspectRatio: false, animation: reduced ? false : { duration: 250 },
        plugins: { legend: { display: false } } }, extra);
    }
    var count = { beginAtZero: true, ticks: { precision: 0 } };
    charts = {
      time: new Chart($("chart-time"), { type: "bar", data: { labels: [], datasets: [] }, options: options({
        interaction: { mode: "index", intersect: false },
        scales: { x: { stacked: true }, y: Object.assign({ stacked: true }, count) },
        plugins: { legend: { position: "bottom" },
          tooltip: { filter: function (item) { return item.parsed.y > 0; } } } }) }),
      district: new Chart($("chart-district"), { type: "bar", data: { labels: [], datasets: [] },
        options: options({ scales: { y: count } }) }),
      language: new Chart($("chart-language"), { type: "bar", data: { labels: [], datasets: [] },
        options: options({ indexAxis: "y", scales: { x: count } }) })
    };
  }
  function colour(topic) {
    var i = me.topics.indexOf(topic);
    return PALETTE[(i < 0 ? me.topics.length + topic.length : i) % PALETTE.length];
  }
  // [key, value] pairs; suppressed categories keep their place and show "< k" in the label
  function bars(chart, pairs, label, colourOf) {
    if (!chart) { return; }
    chart.data.labels = pairs.map(function (p) { return label(p[0]) + (num(p[1]) === null ? " (< " + k + ")" : ""); });
    chart.data.datasets = [{ label: "Reports", data: pairs.map(function (p) { return num(p[1]); }),
      backgroundColor: colourOf }];
    chart.update();
  }
  function summary(pairs, label) {
    return pairs.length ? pairs.map(function (p) { return label(p[0]) + " " + shown(p[1]); }).join(", ") + "." : "No reports.";
  }
  function orderBy(keys, first) { // configured order first, then the rest alphabetically, "none" last
    return keys.slice().sort(function (a, b) {
      var ia = a === "none" || a == null ? 1e6 : first.indexOf(a), ib = b === "none" || b == null ? 1e6 : first.indexOf(b);
      ia = ia < 0 ? 1e5 : ia; ib = ib < 0 ? 1e5 : ib;
      return ia - ib || String(a).localeCompare(String(b));
    });
  }
  function renderStats(s) {
    k = s.k;
    var byTopic = s.by_topic || {}, byDistrict = s.by_district || {}, byLanguage = s.by_language || {};
    var total = Object.keys(byTopic).reduce(function (t, key) { return t + (num(byTopic[key]) || 0); }, 0);
    $("total").textContent = "(" + total + ")";
    $("k-note").textContent = "“< " + k + "” means fewer than " + k
      + " reports: the exact number is not shown, so that nobody can be recognised.";

    var topics = orderBy(Object.keys(s.by_day || {}), me.topics).filter(function (t) {
      return s.by_day[t].some(function (v) { return v !== 0; });
    });
    if (charts) {
      charts.time.data.labels = (s.days || []).map(isoDay);
      charts.time.data.datasets = topics.map(function (t) {
        return { label: readable(t), data: s.by_day[t].map(num), backgroundColor: colour(t) };
      });
      charts.time.update();
    }
    var topicPairs = orderBy(Object.keys(byTopic), me.topics).map(function (t) { return [t, byTopic[t]]; });
    $("sum-time").textContent = "Over " + plural((s.days || []).length, "day", "days") + ": "
      + summary(topicPairs.filter(function (p) { return p[1] !== 0; }), readable);

    var districtPairs = orderBy(Object.keys(byDistrict), me.districts).map(function (d) { return [d, byDistrict[d]]; });
    bars(charts && charts.district, districtPairs, district, "#0b5cad");
    $("sum-district").textContent = summary(districtPairs, district);

    var languagePairs = Object.keys(byLanguage).map(function (l) { return [l, byLanguage[l]]; })
      .sort(function (a, b) { return (num(b[1]) || 0) - (num(a[1]) || 0) || a[0].localeCompare(b[0]); });
    bars(charts && charts.language, languagePairs, language, "#009e73");
    $("sum-language").textContent = summary(languagePairs, language);

    renderCross(s.by_district_language || [], languagePairs.map(function (p) { return p[0]; }));
  }
  function renderCross(cells, languageOrder) {
    var head = $("cross-head"), rows = $("cross-rows");
    while (head.children.length > 1) { head.removeChild(head.lastChild); }
    rows.textContent = "";
    var langs = languageOrder.slice(), dists = [], at = {};
    cells.forEach(function (c) {
      var d = c.district == null ? "none" : c.district;
      if (langs.indexOf(c.language) < 0) { langs.push(c.language); }
      if (dists.indexOf(d) < 0) { dists.push(d); }
      at[d + "\u0000" + c.language] = c;
    });
    langs = langs.filter(function (l) { return cells.some(function (c) { return c.language === l; }); });
    if (!cells.length) {
      var tr = el("tr"); tr.appendChild(el("td", "muted", "No reports.")); rows.appendChild(tr);
      return;
    }
    langs.forEach(function (l) { var th = el("th", null, language(l)); th.scope = "col"; head.appendChild(th); });
    orderBy(dists, me.districts).forEach(function (d) {
      var tr = el("tr"), th = el("th", null, district(d)); th.scope = "row"; tr.appendChild(th);
      langs.forEach(function (l) {
        var c = at[d + "\u0000" + l], td;
        if (!c) { td = el("td", "num zero", "0"); } else if (c.suppressed || num(c.count) === null) {
          td = el("td", "num suppressed", "< " + k);
          td.title = "Fewer than " + k + " reports";
        } else { td = el("td", "num", String(c.count)); }
        tr.appendChild(td);
      });
      rows.appendChild(tr);
    });
  }

  // ---- unanswered questions ----
  function renderUnanswered(j) {
    var box = $("unanswered-list"), langs = (j.languages || []).slice();
    box.textContent = "";
    langs.sort(function (a, b) { return b.count - a.count; }).forEach(function (l) {
      var part = el("div", "unanswered-language");
      part.appendChild(el("h3", null, language(l.language) + " · " + plural(l.count, "message", "messages")));
      var ul = el("ul", "examples");
      (l.examples || []).forEach(function (t) {
        var li = el("li", null, t); li.dir = "auto"; if (l.language) { li.lang = l.language; } ul.appendChild(li);
      });
      part.appendChild(ul); box.appendChild(part);
    });
    $("unanswered-empty").hidden = langs.length > 0;
  }

  // ---- associations (admin) ----
  function loadAssociations() { return api("GET", "/associations").then(renderAssociations); }
  function renderAssociations(j) {
    var rows = $("a-rows"); rows.textContent = "";
    j.associations.forEach(function (a) {
      var tr = el("tr", "association"); tr.dataset.id = a.id;
      cell(tr, "Name", a.name); cell(tr, "Key starts with", a.key_prefix + "…"); cell(tr, "Created", day(a.created_at));
      var state = cell(tr, "State", a.revoked_at == null ? "Active" : "Revoked " + day(a.revoked_at));
      state.className = a.revoked_at == null ? "" : "muted";
      var action = cell(tr, "", null);
      if (a.revoked_at == null) {
        var b = el("button", "revoke", "Revoke"); b.type = "button";
        b.setAttribute("aria-label", "Revoke the key of " + a.name);
        b.addEventListener("click", function () {
          if (!window.confirm("Revoke the key of " + a.name + "? Its reports are refused from now on.")) { return; }
          error(""); b.disabled = true;
          api("POST", "/associations/" + encodeURIComponent(a.id) + "/revoke").then(function () {
            live("Key of " + a.name + " revoked."); return loadAssociations();
          }).catch(function (e) { b.disabled = false; fail(e); });
        });
        action.appendChild(b);
      }
      rows.appendChild(tr);
    });
  }
  $("a-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var name = $("a-name").value.trim();
    if (!name) { error("Enter the association's name."); return; }
    error(""); $("a-create").disabled = true;
    api("POST", "/associations", { name: name }).then(function (a) {
      $("a-name").value = "";
      $("new-key-name").textContent = a.name; $("new-key").textContent = a.key;
      $("new-key-box").hidden = false; $("copy-key").hidden = !(navigator.clipboard && window.isSecureContext);
      $("new-key-box").focus();
      return loadAssociations();
    }).catch(fail).finally(function () { $("a-create").disabled = false; });
  });
  $("copy-key").addEventListener("click", function () {
    navigator.clipboard.writeText($("new-key").textContent).then(function () { live("Key copied."); },
      function () { error("Could not copy; select the key and copy it by hand."); });
  });
  $("hide-key").addEventListener("click", function () {
    $("new-key").textContent = ""; $("new-key-name").textContent = ""; $("new-key-box").hidden = true;
  });

  // ---- live updates ----
  function listen() {
    if (!window.EventSource) { $("live-status").textContent = "Live updates need a newer browser."; return; }
    events = new EventSource(BASE + "/needs/events");
    events.addEventListener("open", function () { $("live-status").textContent = "Live updates on."; });
    events.addEventListener("error", function () {
      if (events.readyState !== EventSource.CLOSED) { $("live-status").textContent = "Reconnecting live updates…"; return; }
      // refused (signed out, server restarting): check the session, then try again
      $("live-status").textContent = "Live updates paused.";
      events = null;
      setTimeout(function () {
        if (me) { api("GET", "/me").then(function () { if (me && !events) { listen(); } }).catch(fail); }
      }, 15000);
    });
    events.addEventListener("need", function (ev) {
      var n;
      try { n = JSON.parse(ev.data); } catch (ignored) { return; }
      var old = known[n.id];
      if (old && old.updated_at === n.updated_at && old.status === n.status) { return; } // our own save
      if (!old && n.status === "new") {
        live("New report: " + readable(n.topic) + (n.district ? ", " + district(n.district) : ""));
      } else if (!old || old.status !== n.status) {
        live("Report " + n.code + " is now " + (STATUS[n.status] || n.status));
      } else {
        live("Report " + n.code + " was updated");
      }
      scheduleReload();
    });
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && pendingWhileHidden) { pendingWhileHidden = false; scheduleReload(); }
  });

  // ---- start ----
  function signedOut() {
    me = null; csrf = null;
    if (events) { events.close(); events = null; }
    $("loading").hidden = true; $("nav").hidden = true; $("dashboard").hidden = true; $("login-needed").hidden = false;
  }
  function start(j) {
    me = j; csrf = j.csrf;
    $("who").textContent = j.username + " (" + j.role + ")";
    $("nav").hidden = false; $("loading").hidden = true; $("login-needed").hidden = true;
    fillSelect("f-topic", j.topics || [], readable);
    fillSelect("f-district", j.districts || [], district);
    fillSelect("f-language", j.languages || [], language);
    filtersFromUrl(); filtersChanged();
    $("associations").hidden = j.role !== "admin";
    $("dashboard").hidden = false; // before the charts: they measure their boxes
    setupCharts();
    loadNeeds().catch(fail);
    loadUnanswered().catch(fail);
    if (j.role === "admin") { loadAssociations().catch(fail); }
    listen();
  }
  FILTERS.forEach(function (n) {
    $("f-" + n).addEventListener("change", function () {
      error(""); filtersChanged();
      loadNeeds().catch(fail);
      if (n === "days") { loadUnanswered().catch(fail); }
    });
  });
  $("filters").addEventListener("submit", function (ev) { ev.preventDefault(); });
  $("logout").addEventListener("click", function () { api("POST", "/logout").catch(function () {}).finally(signedOut); });
  api("GET", "/me").then(start).catch(function (e) {
    if (e.status === 401) { signedOut(); } else { $("loading").hidden = true; fail(e); }
  });
}());
