/* The readiness report: filter by text and status, sort by any column. Plain JavaScript. */
(function () {
  "use strict";
  var table = document.getElementById("report");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var filter = document.getElementById("filter");
  var status = document.getElementById("status");
  var shown = document.getElementById("shown");
  var empty = document.getElementById("empty");
  var shortcuts = Array.prototype.slice.call(document.querySelectorAll(".summary button[data-show]"));

  /* Vietnamese without diacritics, lower case: "Miến" matches "mien" and "miến". */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/\u0111/g, "d").replace(/\u0110/g, "D").toLowerCase();
  }

  var texts = rows.map(function (row) { return fold(row.textContent.replace(/\s+/g, " ")); });

  function matches(row, wanted) {
    if (wanted === "ready" || wanted === "blocked") { return row.getAttribute("data-status") === wanted; }
    if (wanted === "expiring") { return row.getAttribute("data-expiring") === "1"; }
    return true;
  }

  function apply() {
    var words = fold(filter.value).split(/\s+/).filter(Boolean);
    var wanted = status.value;
    var count = 0;
    rows.forEach(function (row, i) {
      var visible = matches(row, wanted) && words.every(function (w) { return texts[i].indexOf(w) !== -1; });
      row.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = count + " / " + rows.length + " sản phẩm";
    empty.hidden = count !== 0;
    shortcuts.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-show") === wanted));
    });
  }

  function key(row, index, type) {
    var value = row.cells[index].getAttribute("data-sort");
    if (value === null || value === "") { return null; }
    if (type === "num") {
      var number = parseFloat(value);
      return isNaN(number) ? null : number;
    }
    return type === "date" ? value : fold(value);
  }

  function sortBy(index) {
    var header = headers[index];
    var type = header.getAttribute("data-type");
    var direction = header.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    var sign = direction === "ascending" ? 1 : -1;
    headers.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
    header.setAttribute("aria-sort", direction);
    var order = rows.map(function (row, i) { return { row: row, i: i, k: key(row, index, type) }; });
    order.sort(function (a, b) {
      if (a.k === null || b.k === null) {  /* empty values last, whatever the direction */
        return a.k === b.k ? a.i - b.i : (a.k === null ? 1 : -1);
      }
      var c = type === "num" ? a.k - b.k : (a.k < b.k ? -1 : a.k > b.k ? 1 : 0);
      if (type === "text" && c !== 0) { c = a.k.localeCompare(b.k, "vi"); }
      return c !== 0 ? sign * c : a.i - b.i;
    });
    order.forEach(function (item) { body.appendChild(item.row); });
  }

  headers.forEach(function (header, index) {
    var button = header.querySelector("button");
    if (button) { button.addEventListener("click", function () { sortBy(index); }); }
  });
  filter.addEventListener("input", apply);
  status.addEventListener("change", apply);
  shortcuts.forEach(function (button) {
    button.addEventListener("click", function () {
      status.value = button.getAttribute("data-show");
      apply();
    });
  });
  apply();
}());
