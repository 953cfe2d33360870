// The outbox. A form marked `data-outbox` (the diary's) that is saved without a connection
// waits on this phone and is sent when the connection returns (the `online` event, each page
// load, and every 30 seconds while something waits). It is sent with the same fields, its
// idempotency key among them, so the server stores it once however often it arrives.
//
// Kept in localStorage under "backto:outbox" (signout.js forgets every "backto:" key), a list of
//   {"url": "/patients/12/diary/", "label": "diary", "key": "<idempotency_key>",
//    "fields": [["csrfmiddlewaretoken", "..."], ["day", "today"], ["mood", "2"], ...],
//    "draft": "backto:diary-12-child-2026-06-16", "queuedOn": "2026-06-16", "problem": ""}
// "problem" is "" while it waits, "check" once the server has shown the form again (a 200 or a
// 4xx without a redirect): it stays, and the banner asks the family to open the page.
// An entry is removed only when the server answered with a redirect to a page of ours other
// than the sign-in page. A redirect to sign-in, or a 403 (its form token is gone), means the
// session is over: the outbox, the drafts and the kept pages are forgotten (signout.js).
(function () {
  "use strict";
  var KEY = "backto:outbox";
  var SENT = "backto:outbox-sent"; // the last keys sent from here: a kept page reusing one gets a new one
  var RETRY_MS = 30000;
  var storage;
  try { storage = window.localStorage; } catch (e) { return; }
  if (!storage || !window.fetch || !window.FormData) { return; }
  var banner = document.querySelector("[data-outbox-banner]");
  var signIn = (banner && banner.getAttribute("data-sign-in")) || "/accounts/login/";
  // Every word comes from the banner's data-say-* attributes, rendered in the reader's language
  // (familyapp/_outbox_banner.html); "{n}" in them stands for a number of entries.
  function words(name, n) {
    var text = (banner && banner.getAttribute("data-say-" + name)) || "";
    return text.split("{n}").join(String(n));
  }
  var flushing = false;
  var news = null; // what just happened, said once in the banner: {text, tone, node}

  function read(name) {
    try { return JSON.parse(storage.getItem(name) || "[]") || []; } catch (e) { return []; }
  }
  function write(name, list) {
    if (list.length) { storage.setItem(name, JSON.stringify(list)); } else { storage.removeItem(name); }
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function localDay(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  // A diary saved offline on one day and sent on the next: its `day` ("today" or "yesterday",
  // backto.core.forms.OpenDayField) is moved back by the days between. Further back than
  // yesterday the server no longer takes it; null then.
  function fieldsToSend(entry) {
    var gap = Math.round((new Date(localDay(new Date()) + "T12:00:00") - new Date(entry.queuedOn + "T12:00:00")) / 86400000);
    var fields = [];
    for (var i = 0; i < entry.fields.length; i++) {
      var name = entry.fields[i][0], value = entry.fields[i][1];
      if (name === "day" && gap > 0 && (value === "today" || value === "yesterday" || value === "")) {
        var back = (value === "yesterday" ? 1 : 0) + gap;
        if (back > 1) { return null; }
        value = back === 1 ? "yesterday" : "today";
      }
      fields.push([name, value]);
    }
    return fields;
  }

  function queue(form, submitter) {
    var data;
    try { data = new FormData(form, submitter); } catch (e) { data = new FormData(form); }
    var url = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    var key = String(data.get("idempotency_key") || "");
    if (key && read(SENT).indexOf(key) !== -1) {
      // This page was kept offline after its form was sent once: a new entry needs a new key.
      key = newKey();
      data.set("idempotency_key", key);
      var input = form.querySelector("[name=idempotency_key]");
      if (input) { input.value = key; }
    }
    var fields = [];
    data.forEach(function (value, name) { if (typeof value === "string") { fields.push([name, value]); } });
    var draft = form.getAttribute("data-draft-key");
    var entry = {
      url: url.pathname + url.search, label: form.getAttribute("data-outbox") || "",
      key: key, fields: fields, draft: draft ? "backto:" + draft : "",
      queuedOn: localDay(new Date()), problem: ""
    };
    // Saved again before it was sent (the same form, the same key): the later answers win.
    var list = read(KEY).filter(function (e) { return !(key && e.key === key && e.url === entry.url); });
    list.push(entry);
    write(KEY, list);
    var saving = form.querySelector("[data-saving]");
    if (saving) { saving.hidden = true; }
    news = { text: words("saved"), tone: "success" };
    render();
    if (banner) { banner.scrollIntoView({ block: "start" }); }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-outbox")) { return; }
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") { return; }
    if (navigator.onLine) {
      // Sent as a plain form: its key is used. The page kept offline still holds it, and an
      // entry written there on another day must not be taken for a replay of this one.
      var used = form.querySelector("[name=idempotency_key]");
      if (used && used.value) { write(SENT, read(SENT).concat([used.value]).slice(-20)); }
      return;
    }
    event.preventDefault();
    queue(form, event.submitter);
  });

  function sessionGone() {
    storage.removeItem(KEY);
    if (window.backtoForget) { window.backtoForget(); }
    news = { text: words("signed-out"), tone: "warning" };
  }

  // The clinic's help message after a safety answer appears once, on the page after the save:
  // the outbox's own request took that page, so it is shown here instead.
  function helpFrom(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var help = doc.querySelector("#saved .notice.warning");
    return help ? document.importNode(help, true) : null;
  }

  function send(entry) {
    var fields = fieldsToSend(entry);
    if (fields === null) { return Promise.resolve("too-old"); }
    var body = new URLSearchParams();
    fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    return fetch(entry.url, { method: "POST", body: body, credentials: "same-origin" }).then(function (response) {
      var landed = new URL(response.url || entry.url, window.location.href);
      if (landed.pathname === signIn || response.status === 403) { return "gone"; }
      if (response.redirected && response.ok) {
        return response.text().then(function (html) { return { help: helpFrom(html) }; });
      }
      if (response.status >= 500) { return "later"; }
      return "check"; // the form came back: an answer the server did not take
    }, function () { return "later"; }); // no connection after all
  }

  function flush() {
    if (flushing || !navigator.onLine) { render(); return Promise.resolve(); }
    flushing = true;
    var sent = 0, help = null, stale = 0;
    function next() {
      var entry = read(KEY).filter(function (e) { return !e.problem; })[0];
      if (!entry) { return Promise.resolve(); }
      return send(entry).then(function (outcome) {
        if (outcome === "gone") { sessionGone(); return; }
        if (outcome === "later") { return; }
        var list = read(KEY);
        var index = -1;
        for (var i = 0; i < list.length; i++) { if (list[i].key === entry.key && list[i].url === entry.url) { index = i; } }
        if (outcome === "check") {
          if (index !== -1) { list[index].problem = "check"; }
        } else {
          if (index !== -1) { list.splice(index, 1); }
          if (outcome === "too-old") { stale += 1; } else {
            sent += 1;
            help = help || outcome.help;
            if (entry.draft) { storage.removeItem(entry.draft); }
            write(SENT, read(SENT).concat([entry.key]).slice(-20));
          }
        }
        write(KEY, list);
        return next();
      });
    }
    return next().then(function () {
      flushing = false;
      if (sent) { news = { text: sent === 1 ? words("sent-one") : words("sent-many", sent), tone: "success", node: help }; }
      if (stale) { news = { text: words("too-old"), tone: "warning" }; }
      render();
    });
  }

  function render() {
    if (!banner) { return; }
    var list = read(KEY);
    var waiting = list.filter(function (e) { return !e.problem; }).length;
    var stuck = list.filter(function (e) { return e.problem; });
    var box = document.createElement("div");
    function say(text, tone) {
      var p = document.createElement("p");
      p.className = "notice" + (tone ? " " + tone : "");
      p.textContent = text;
      box.appendChild(p);
      return p;
    }
    if (news) {
      say(news.text, news.tone);
      if (news.node) { box.appendChild(news.node); }
    }
    var many = waiting === 1 ? "one" : "many";
    if (!navigator.onLine) {
      say(waiting ? words("offline-" + many, waiting) : words("offline"), "warning");
    } else if (waiting) {
      say(words("waiting-" + many, waiting), "warning");
    }
    stuck.forEach(function (entry) {
      var p = say(words("not-taken") + " ", "warning");
      var link = document.createElement("a");
      link.href = entry.url;
      var fix = entry.label && banner.hasAttribute("data-say-fix-" + entry.label) ? "fix-" + entry.label : "fix";
      link.textContent = words(fix);
      p.appendChild(link);
    });
    if (box.innerHTML !== banner.innerHTML) { banner.innerHTML = box.innerHTML; }
  }

  window.backtoOutbox = {
    entries: function () { return read(KEY); },
    flush: flush
  };
  // Saved again from its page (fixed by hand): an entry that was not taken is done with.
  if (window.location.hash === "#saved") {
    write(KEY, read(KEY).filter(function (e) { return !(e.problem && e.url.split("?")[0] === window.location.pathname); }));
  }
  window.addEventListener("online", flush);
  window.addEventListener("offline", render);
  window.setInterval(function () { if (read(KEY).length) { flush(); } }, RETRY_MS);
  flush();
})();
