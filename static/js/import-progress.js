// While a ledger file is being read, the import's page asks for the rows read so far every
// second and shows them (in a polite live region); when the reading is done it reloads, to show
// the preview. Without the script the page has a link to reload it by hand.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) return;
  var url = box.getAttribute("data-progress-url");
  var rows = document.getElementById("import-rows");
  var lines = document.getElementById("import-lines");
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) { setTimeout(poll, 3000); return; }
        if (p.status !== "reading") { window.location.reload(); return; }
        rows.textContent = p.rows;
        lines.textContent = p.lines;
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
