/* The readiness report: search, filter by status, group (producer, commune, none), sort by any
   column, open a product's details. Plain JavaScript; its sentences come from the page's
   "strings" JSON block, in the language the page was made in. */
(function () {
  "use strict";
  var strings = JSON.parse(document.getElementById("strings").textContent);
  var table = document.getElementById("report");
  var body = table.tBodies[0];
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var filter = document.getElementById("filter");
  var status = document.getElementById("status");
  var group = document.getElementById("group");
  var shown = document.getElementById("shown");
  var empty = document.getElementById("empty");
  var shortcuts = Array.prototype.slice.call(document.querySelectorAll(".summary button[data-show]"));
  function all(selector) { return Array.prototype.slice.call(body.querySelectorAll(selector)); }
  var products = all("tr.product");
  var details = {};
  all("tr.details").forEach(function (row) { details[row.getAttribute("data-for")] = row; });
  var producerRows = all("tr.producer-row");
  var communeRows = all("tr.commune-row");
  var sortIndex = null, sortSign = 1;

  /* Vietnamese without diacritics, lower case, spaces collapsed: "Côn  Minh" is "con minh". */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\u0111/g, "d")
      .replace(/\u0110/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
  }
  function say(key, values) {
    return strings[key].replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
  }

  /* Each field apart: a phrase is found inside one field, as typed, never across two. */
  var fields = products.map(function (row) { return row.getAttribute("data-search").split("\n").map(fold); });

  function wanted(row) {
    var show = status.value;
    if (show === "ready" || show === "blocked") { return row.getAttribute("data-status") === show; }
    if (show === "expiring") { return row.getAttribute("data-expiring") === "1"; }
    return true;
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

  function compare(type) {
    return function (a, b) {
      if (a.k === null || b.k === null) {  /* empty values last, whatever the direction */
        return a.k === b.k ? a.i - b.i : (a.k === null ? 1 : -1);
      }
      var c = type === "num" ? a.k - b.k : (a.k < b.k ? -1 : a.k > b.k ? 1 : 0);
      if (type === "text" && c !== 0) { c = a.k.localeCompare(b.k, document.documentElement.lang); }
      return c !== 0 ? sortSign * c : a.i - b.i;
    };
  }

  function sorted(rows) {
    if (sortIndex === null) { return rows; }
    var type = headers[sortIndex].getAttribute("data-type");
    return rows.map(function (row, i) { return { row: row, i: i, k: key(row, sortIndex, type) }; })
      .sort(compare(type)).map(function (item) { return item.row; });
  }

  function place(row) {
    body.appendChild(row);
    var more = details[row.id];
    if (more) { body.appendChild(more); }
  }

  /* Lay the rows out: groups in their order, products sorted inside each group. */
  function arrange() {
    var mode = group.value;
    document.body.setAttribute("data-group", mode);
    if (mode === "none") {
      sorted(products).forEach(place);
      return;
    }
    var order = products.map(function (row, i) { return i; });
    var seen = {};
    var communes = mode === "commune" ? communeRows.map(function (r) { return r.getAttribute("data-commune"); }) : [null];
    communes.forEach(function (commune) {
      if (commune !== null) {
        body.appendChild(communeRows.filter(function (r) { return r.getAttribute("data-commune") === commune; })[0]);
      }
      producerRows.forEach(function (producer) {
        if (commune !== null && producer.getAttribute("data-commune") !== commune) { return; }
        var slug = producer.getAttribute("data-producer");
        if (seen[slug]) { return; }
        seen[slug] = true;
        body.appendChild(producer);
        sorted(order.map(function (i) { return products[i]; }).filter(function (row) {
          return row.getAttribute("data-producer") === slug;
        })).forEach(place);
      });
    });
  }

  function apply() {
    var phrase = fold(filter.value);
    var mode = group.value;
    var count = 0, visibleProducers = {}, visibleCommunes = {};
    products.forEach(function (row, i) {
      var visible = wanted(row) && (phrase === "" || fields[i].some(function (f) { return f.indexOf(phrase) !== -1; }));
      row.hidden = !visible;
      if (!visible && details[row.id]) { details[row.id].hidden = true; }
      if (visible && details[row.id]) {
        details[row.id].hidden = row.querySelector("button.open").getAttribute("aria-expanded") !== "true";
      }
      if (visible) {
        count += 1;
        visibleProducers[row.getAttribute("data-producer")] = true;
        visibleCommunes[row.getAttribute("data-commune")] = true;
      }
    });
    producerRows.forEach(function (row) {
      row.hidden = mode === "none" || !visibleProducers[row.getAttribute("data-producer")];
    });
    communeRows.forEach(function (row) {
      row.hidden = mode !== "commune" || !visibleCommunes[row.getAttribute("data-commune")];
    });
    shown.textContent = say("page-shown", { shown: count, total: products.length });
    empty.hidden = count !== 0;
    shortcuts.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-show") === status.value));
    });
  }

  function sortBy(index) {
    var header = headers[index];
    var direction = header.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    headers.forEach(function (h) { if (h.hasAttribute("aria-sort")) { h.setAttribute("aria-sort", "none"); } });
    header.setAttribute("aria-sort", direction);
    sortIndex = index;
    sortSign = direction === "ascending" ? 1 : -1;
    arrange();
    apply();
  }

  headers.forEach(function (header, index) {
    var button = header.querySelector("button");
    if (button) { button.addEventListener("click", function () { sortBy(index); }); }
  });
  products.forEach(function (row) {
    var button = row.querySelector("button.open");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      details[row.id].hidden = !open;
      row.classList.toggle("opened", open);
    });
  });
  filter.addEventListener("input", apply);
  status.addEventListener("change", apply);
  group.addEventListener("change", function () { arrange(); apply(); });
  shortcuts.forEach(function (button) {
    button.addEventListener("click", function () {
      status.value = button.getAttribute("data-show");
      apply();
    });
  });

  /* The summary by commune: a plain sortable table. */
  var communes = document.getElementById("communes");
  if (communes) {
    var heads = Array.prototype.slice.call(communes.tHead.rows[0].cells);
    heads.forEach(function (header, index) {
      header.querySelector("button").addEventListener("click", function () {
        var direction = header.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        header.setAttribute("aria-sort", direction);
        var sign = direction === "ascending" ? 1 : -1, type = header.getAttribute("data-type");
        var tbody = communes.tBodies[0];
        Array.prototype.slice.call(tbody.rows)
          .map(function (row, i) { return { row: row, i: i, k: key(row, index, type) }; })
          .sort(function (a, b) {
            var c = type === "num" ? a.k - b.k : String(a.k).localeCompare(String(b.k), document.documentElement.lang);
            return c !== 0 ? sign * c : a.i - b.i;
          })
          .forEach(function (item) { tbody.appendChild(item.row); });
      });
    });
  }
  arrange();
  apply();
}());
