// Keys for the review page (j/k move — on an event's page, to the next/previous event —,
// c confirm, r reject, e edit, o open, u undo) and
// "add a missed event" from a text selection. Everything also works without this file.
(function () {
  "use strict";
  var page = document.body.getAttribute("data-page");
  var ROW_KEY = "twinwatch-row";

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, button, [contenteditable]");
  }

  function submitTo(form, action) {
    if (action) { form.setAttribute("action", action); }
    form.submit();
  }

  // The selected row is remembered by event id, with the id of the row after it: once the
  // selected event is decided and leaves the list, the one after it is selected. A different
  // filter selects the remembered event only if it is listed, else the first row.
  function filterOf(search) {
    return search.replace(/([?&])page=\d+&?/, "$1").replace(/[?&]$/, "");
  }

  function initialRow(rows) {
    var saved = {};
    try { saved = JSON.parse(sessionStorage.getItem(ROW_KEY) || "{}") || {}; } catch (e) { saved = {}; }
    var ids = rows.map(function (row) { return row.getAttribute("data-id"); });
    if (ids.indexOf(saved.id) >= 0) { return ids.indexOf(saved.id); }
    if (saved.filter === filterOf(location.search) && ids.indexOf(saved.after) >= 0) {
      return ids.indexOf(saved.after);
    }
    return 0;
  }

  function queuePage() {
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-event-row]"));
    var at = rows.length ? initialRow(rows) : 0;
    var rejectForm = document.getElementById("reject-form");
    var actionForm = document.getElementById("action-form");

    function select(index) {
      if (!rows.length) { return; }
      rows[at].classList.remove("selected");
      at = Math.max(0, Math.min(index, rows.length - 1));
      rows[at].classList.add("selected");
      rows[at].scrollIntoView({block: "nearest"});
      var after = rows[at + 1] || rows[at - 1];
      sessionStorage.setItem(ROW_KEY, JSON.stringify({
        id: rows[at].getAttribute("data-id"), after: after ? after.getAttribute("data-id") : null,
        filter: filterOf(location.search)}));
    }
    select(at);
    rows.forEach(function (row, index) {
      row.addEventListener("click", function () { select(index); });
    });

    function eventPath(suffix) {
      return "/events/" + rows[at].getAttribute("data-id") + suffix;
    }

    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && rejectForm) { rejectForm.classList.add("hidden"); return; }
      if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey || !rows.length) { return; }
      var handled = true;
      if (event.key === "j") { select(at + 1); }
      else if (event.key === "k") { select(at - 1); }
      else if (event.key === "o" || event.key === "Enter") { location.href = rows[at].getAttribute("data-href"); }
      else if (event.key === "e") { location.href = rows[at].getAttribute("data-href") + "#edit"; }
      else if (event.key === "c" && actionForm) { submitTo(actionForm, eventPath("/confirm")); }
      else if (event.key === "r" && rejectForm) {
        rejectForm.setAttribute("action", eventPath("/reject"));
        document.getElementById("reject-id").textContent = rows[at].getAttribute("data-id");
        rejectForm.classList.remove("hidden");
        document.getElementById("reject-reason").focus();
      } else { handled = false; }
      if (handled) { event.preventDefault(); }
    });
  }

  function eventPage() {
    var confirmForm = document.getElementById("confirm-form");
    var places = document.querySelectorAll(".use-place");
    Array.prototype.forEach.call(places, function (button) {
      button.addEventListener("click", function () {
        document.getElementById("edit-partner_canonical").value = button.getAttribute("data-name");
        document.getElementById("edit-partner_country").value = button.getAttribute("data-country");
        document.getElementById("edit-partner_region").value = button.getAttribute("data-region");
      });
    });
    if (location.hash === "#edit" && document.getElementById("edit-date")) {
      document.getElementById("edit-date").focus();
    }
    document.addEventListener("keydown", function (event) {
      if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey || !confirmForm) { return; }
      var handled = true;
      if (event.key === "c") { confirmForm.submit(); }
      else if (event.key === "r") { document.getElementById("reject-reason").focus(); }
      else if (event.key === "e") { document.getElementById("edit-date").focus(); }
      else { handled = false; }
      if (handled) { event.preventDefault(); }
    });
  }

  // j/k walk the queue the reviewer came from (with or without the right to decide).
  function eventNavigation() {
    document.addEventListener("keydown", function (event) {
      if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) { return; }
      var link = event.key === "j" ? document.getElementById("next-event")
        : event.key === "k" ? document.getElementById("prev-event") : null;
      if (link) { event.preventDefault(); location.href = link.getAttribute("href"); }
    });
  }

  // The selection's offset in the text (the server checks it against the selected words).
  function selectionToForm() {
    var container = document.getElementById("doc-text");
    var selected = document.getElementById("add-selected");
    if (!container || !selected) { return; }
    container.addEventListener("mouseup", function () {
      var selection = window.getSelection();
      if (!selection || selection.isCollapsed || !container.contains(selection.anchorNode)) { return; }
      var range = selection.getRangeAt(0);
      var before = document.createRange();
      before.setStart(container, 0);
      before.setEnd(range.startContainer, range.startOffset);
      var text = range.toString();
      var leading = text.length - text.replace(/^\s+/, "").length;
      document.getElementById("add-start").value = String(before.toString().length + leading);
      selected.value = text.trim();
      document.getElementById("add-event").open = true;
    });
  }

  document.addEventListener("keydown", function (event) {
    var undo = document.getElementById("undo-form");
    if (event.key === "u" && undo && !typing(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      undo.submit();
    }
  });
  if (page === "queue") { queuePage(); }
  if (page === "event") { eventPage(); eventNavigation(); }
  selectionToForm();
  var mark = document.getElementById("evidence");
  if (mark && mark.textContent) { mark.scrollIntoView({block: "center"}); window.scrollTo(0, 0); }
})();
