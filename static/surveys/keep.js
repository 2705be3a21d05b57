/* Nothing typed is lost on a broken line (issue 15).

   While a participant types, their answers are copied into this browser's localStorage, under a key the server
   derives from their link (never the link itself). When the questionnaire opens again with a copy that differs
   from what the page shows (a submit that never arrived, a lost connection, a closed tab), the page offers to put
   it back. The copy is deleted once the server has the reply: when the questionnaire shows the stored reply and
   it is the same as the copy (after "Save draft", say), and on the thank-you and closed pages, the opt-out page
   and the page of a link that no longer works (revoked, erased), which carry the key to clear. A copy carries the
   day its page gave it to be dropped by, and is dropped then, or after 60 days at most.

   An enhancement only: without JavaScript, or without storage (private windows, full quota), the page works as
   the server sends it. The script sets values and textContent only, never HTML. */
(function () {
  "use strict";
  var PREFIX = "rocbap.answers.";
  // Never kept: the form's security token and the revision the page was rendered from.
  var SKIPPED = { csrfmiddlewaretoken: true, revision: true };

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  var store = storage();
  if (!store) return;

  function read(key) {
    try {
      var copy = JSON.parse(store.getItem(PREFIX + key) || "null");
      return copy && typeof copy.fields === "object" ? copy : null;
    } catch (error) {
      return null;
    }
  }

  function forget(key) {
    try {
      store.removeItem(PREFIX + key);
    } catch (error) { /* nothing to do */ }
  }

  // Copies left behind (a link never used again, on a shared computer) go once past the day their page gave them
  // (data-keep-until: some weeks after the round's due date), and after 60 days whatever that day: they hold
  // answers and a contact address.
  var NOW = Date.now();
  var OLDEST = NOW - 60 * 24 * 3600 * 1000;
  try {
    for (var k = store.length - 1; k >= 0; k--) {
      var name = store.key(k);
      if (name && name.indexOf(PREFIX) === 0) {
        var old = read(name.slice(PREFIX.length));
        if (!old || !(old.time > OLDEST) || !(old.time <= NOW) || !(old.until > NOW)) store.removeItem(name);
      }
    }
  } catch (error) { /* nothing to do */ }

  // The server has the reply: forget the copy.
  var cleared = document.querySelectorAll("[data-keep-clear]");
  for (var c = 0; c < cleared.length; c++) forget(cleared[c].getAttribute("data-keep-clear"));

  var form = document.querySelector("form[data-keep]");
  if (!form) return;
  var key = form.getAttribute("data-keep");
  // The end of the day after which the copy is dropped (the page's own date; a copy without one is not kept).
  var until = Date.parse(form.getAttribute("data-keep-until") + "T23:59:59Z");

  function answers() {
    var fields = {};
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (!el.name || SKIPPED[el.name] || el.type === "submit" || el.type === "button") continue;
      if (el.type === "checkbox") fields[el.name] = el.checked;
      else if (el.type === "radio") {
        if (!(el.name in fields)) fields[el.name] = "";
        if (el.checked) fields[el.name] = el.value;
      } else fields[el.name] = el.value;
    }
    return fields;
  }

  // The server trims what it stores: a text typed with a space or a line break at its end is the same answer.
  function plain(value) {
    return typeof value === "string" ? value.trim() : value;
  }

  function same(a, b) {
    for (var name in a) if (plain(a[name]) !== plain(b[name])) return false;
    for (var other in b) if (plain(a[other]) !== plain(b[other])) return false;
    return true;
  }

  function keep() {
    try {
      if (!(until > Date.now())) return;
      store.setItem(PREFIX + key, JSON.stringify({ time: Date.now(), until: until, fields: answers() }));
    } catch (error) { /* full or refused: the page itself still holds the answers */ }
  }

  function put(fields) {
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (!el.name || !(el.name in fields) || SKIPPED[el.name]) continue;
      var value = fields[el.name];
      if (el.type === "checkbox") el.checked = value === true;
      else if (el.type === "radio") el.checked = el.value === value;
      else if (el.type !== "submit" && el.type !== "button") el.value = String(value);
    }
  }

  function byId(id) {
    return document.getElementById(id);
  }

  // A copy the same as the reply the server has stored (the page shows it, data-keep-stored) has done its work.
  // A page sent back after a POST (errors, a conflict) shows what was typed, not what is stored: kept then.
  var copy = read(key);
  if (copy && form.hasAttribute("data-keep-stored") && same(copy.fields, answers())) {
    forget(key);
    copy = null;
  }
  // Offer back a copy that differs from what the server sent.
  var offer = byId("keep-offer");
  if (copy && offer && !same(copy.fields, answers())) {
    var when = byId("keep-when");
    var time = byId("keep-time");
    if (when && time && typeof copy.time === "number") {
      var date = new Date(copy.time);
      time.setAttribute("datetime", date.toISOString());
      try {
        time.textContent = date.toLocaleString(document.documentElement.lang || undefined, {
          dateStyle: "long",
          timeStyle: "short",
        });
      } catch (error) {
        time.textContent = date.toLocaleString(); // a language tag this browser does not know
      }
      when.hidden = false;
    }
    offer.hidden = false;
    byId("keep-restore").addEventListener("click", function () {
      put(copy.fields);
      offer.hidden = true;
      keep();
      // The button is gone: focus goes to the confirmation rather than being lost.
      var restored = byId("keep-restored");
      restored.hidden = false;
      restored.focus();
    });
    byId("keep-discard").addEventListener("click", function () {
      offer.hidden = true;
      // What the page shows (the server's copy) becomes the one kept.
      keep();
    });
  }

  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  form.addEventListener("submit", function (event) {
    keep();
    var offline = byId("keep-offline");
    // A browser that knows it has no connection would only show its own error page: stay here instead.
    if (navigator.onLine === false && offline) {
      event.preventDefault();
      offline.hidden = false;
    }
  });
  window.addEventListener("online", function () {
    var offline = byId("keep-offline");
    if (offline) offline.hidden = true;
  });
})();
