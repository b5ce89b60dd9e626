// The ranking board's script. The board works without it: typed places, the move buttons and
// the save button all post the form. With it, the same form is posted in the background after
// each move or drag, the server's freshly rendered rows (with the cut line) are swapped in,
// focus stays on the control that was used, and a live region tells screen-reader users
// what happened.
(function () {
  "use strict";
  var form = document.getElementById("ranking-form");
  if (!form || !form.dataset.board) return;
  var body = document.getElementById("board-rows");
  var status = document.getElementById("board-status");
  var version = document.getElementById("ranking-version");
  var busy = false;
  var sortable = null;

  function announce(text) {
    // Clear first so that the same message twice is still read out.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function renumber() {
    var n = 0;
    body.querySelectorAll("tr[data-item]").forEach(function (row) {
      var input = row.querySelector(".rank-input");
      if (!input) return;
      if (input.value.trim() !== "" || row.dataset.dragged === "1") {
        n += 1;
        input.value = String(n);
      }
      delete row.dataset.dragged;
    });
  }

  // One save at a time: while one is on its way the rows do not show its result yet, so a
  // drag then would post an order built on stale rows. Dragging waits for the answer.
  function setBusy(value) {
    busy = value;
    if (sortable) sortable.option("disabled", value);
  }

  // Focus back on the control that was used. A move button the server now renders disabled
  // (the row reached the top or the bottom) cannot take focus: its row's place field does.
  function focusAgain(id) {
    var again = id && document.getElementById(id);
    if (again && again.disabled) {
      var row = again.closest("tr");
      again = row && row.querySelector(".rank-input");
    }
    if (again) again.focus();
  }

  function save(submitter) {
    if (submitter && submitter.disabled) return;
    if (busy) return;
    setBusy(true);
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var focusId = document.activeElement && document.activeElement.id;
    announce("Sparar …");
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(data),
      headers: { "X-Requested-With": "portfolj-board" },
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status === 409) {
        // Someone else saved first: let the server show both orders and offer to re-apply.
        if (submitter && submitter.name) {
          var hidden = document.createElement("input");
          hidden.type = "hidden"; hidden.name = submitter.name; hidden.value = submitter.value;
          form.appendChild(hidden);
        }
        form.submit();
        return null;
      }
      if (!response.ok) {
        announce("Rangordningen kunde inte sparas. Kontrollera platserna och spara igen.");
        form.submit();
        return null;
      }
      version.value = response.headers.get("X-Ranking-Version") || version.value;
      var message = decodeURIComponent((response.headers.get("X-Announcement") || "").replace(/\+/g, " "));
      return response.text().then(function (html) {
        body.innerHTML = html;
        // The rows come with the columns the user shows now; if they were chosen anew in
        // another tab, the header no longer fits them: the saved order is shown afresh.
        var first = body.querySelector("tr[data-item]");
        if (first && first.children.length !== form.querySelectorAll("thead th").length) {
          window.location.reload();
          return;
        }
        focusAgain(focusId);
        announce(message);
      });
    }).catch(function () {
      announce("Anslutningen bröts. Rangordningen är inte sparad; försök igen.");
    }).finally(function () { setBusy(false); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    save(event.submitter);
  });

  if (window.Sortable) {
    sortable = window.Sortable.create(body, {
      handle: ".drag-handle",
      draggable: "tr[data-item]",
      animation: 120,
      // Pointer events rather than the browser's own drag and drop: the same on touch screens,
      // and what automated browsers can drive.
      forceFallback: true,
      onEnd: function (event) {
        if (event.oldIndex === event.newIndex) return;
        event.item.dataset.dragged = "1";
        renumber();
        save(null);
      }
    });
  }
})();
