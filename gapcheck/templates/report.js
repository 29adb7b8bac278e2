// gapcheck report: filter and sort the tables.  Reads text only (textContent); never writes markup.
(function () {
  "use strict";
  var collator = new Intl.Collator("ja", { numeric: true, sensitivity: "base" });

  function rowsOf(table) { return Array.prototype.slice.call(table.tBodies[0].rows); }

  function applyFilter(box) {
    var details = box.closest("details");
    var table = details.querySelector("table.data");
    var output = details.querySelector("output.shown");
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var rows = rowsOf(table), shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      if (row.gapcheckText === undefined) { row.gapcheckText = row.textContent.toLowerCase(); }
      var hit = words.every(function (w) { return row.gapcheckText.indexOf(w) !== -1; });
      row.hidden = !hit;
      if (hit) { shown++; }
    }
    if (output) { output.textContent = shown + " / " + rows.length + " 件"; }
  }

  function sortBy(th) {
    var table = th.closest("table");
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.children, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var keyed = rowsOf(table).map(function (row, n) {
      var cell = row.cells[index];
      return { row: row, key: cell ? cell.textContent : "", n: n };
    });
    keyed.sort(function (a, b) {
      var c = collator.compare(a.key, b.key);
      return (ascending ? c : -c) || a.n - b.n;
    });
    var body = table.tBodies[0], fragment = document.createDocumentFragment();
    keyed.forEach(function (k) { fragment.appendChild(k.row); });
    body.appendChild(fragment);
  }

  var timer = null;
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("filter")) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () { applyFilter(box); }, 120);
  });
  document.addEventListener("click", function (event) {
    var th = event.target.closest && event.target.closest("table.sortable th");
    if (th) { sortBy(th); }
  });
  document.addEventListener("keydown", function (event) {
    var th = event.target.closest && event.target.closest("table.sortable th");
    if (th && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); sortBy(th); }
  });
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable th"), function (th) {
    th.tabIndex = 0;
    th.title = "クリックで並べ替え";
  });
  document.documentElement.setAttribute("data-ready", "true");
})();
