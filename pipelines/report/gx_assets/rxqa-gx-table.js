/* rxqa: a small, local stand-in for the bootstrap-table plugin (and a vegaEmbed stub)
   that Great Expectations' Data Docs pages load from a CDN. It renders the tables
   GX builds with $(table).bootstrapTable({columns, data, ...}): header, rows, row
   links (rowAttributes), click-row events, a search box and sortable columns.
   Written for rxqa (MIT); no code from bootstrap-table. */
(function (window) {
  "use strict";
  var $ = window.jQuery;

  if (!window.vegaEmbed) {
    window.vegaEmbed = function (el) {
      var node = typeof el === "string" ? window.document.querySelector(el) : el;
      if (node) { node.textContent = "(chart not available offline)"; }
      return Promise.resolve({});
    };
  }
  if (!$ || $.fn.bootstrapTable) { return; }

  function truthy(v) { return v === true || v === "true"; }
  function resolve(fn) { return typeof fn === "function" ? fn : (typeof fn === "string" ? window[fn] : null); }
  function plain(html) { var d = window.document.createElement("div"); d.innerHTML = html == null ? "" : String(html); return d.textContent || ""; }

  function render($table, o) {
    var cols = o.columns || [], data = o.data || [], rowAttributes = resolve(o.rowAttributes), rowStyle = resolve(o.rowStyle);
    var state = $table.data("rxqaTable") || { sortField: o.sortName || null, sortDir: o.sortOrder === "desc" ? -1 : 1, query: "" };
    $table.data("rxqaTable", state);
    var rows = data.slice();
    if (state.query) {
      var q = state.query.toLowerCase();
      rows = rows.filter(function (row) {
        return cols.some(function (c) { return plain(row[c.field]).toLowerCase().indexOf(q) >= 0; });
      });
    }
    if (state.sortField) {
      var col = cols.filter(function (c) { return c.field === state.sortField; })[0] || {};
      var key = col.sortName || state.sortField;
      rows.sort(function (a, b) {
        var x = a[key], y = b[key];
        if (typeof x !== "number" || typeof y !== "number") { x = plain(x); y = plain(y); }
        return (x < y ? -1 : x > y ? 1 : 0) * state.sortDir;
      });
    }
    var table = $table[0], doc = window.document;
    $table.addClass("table table-sm table-hover rxqa-table").empty();
    var thead = doc.createElement("thead"), htr = doc.createElement("tr");
    cols.forEach(function (c) {
      if (c.visible === false || c.visible === "false") { return; }
      var th = doc.createElement("th");
      th.innerHTML = c.title == null ? "" : String(c.title);
      if (truthy(c.sortable) || truthy(o.sortable)) {
        th.className = "rxqa-sortable";
        th.tabIndex = 0;
        th.setAttribute("role", "button");
        if (state.sortField === c.field) { th.setAttribute("aria-sort", state.sortDir > 0 ? "ascending" : "descending"); }
        var sort = function () {
          state.sortDir = state.sortField === c.field ? -state.sortDir : 1;
          state.sortField = c.field;
          render($table, o);
        };
        th.addEventListener("click", sort);
        th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
      }
      htr.appendChild(th);
    });
    thead.appendChild(htr);
    table.appendChild(thead);
    var tbody = doc.createElement("tbody");
    rows.forEach(function (row, index) {
      var tr = doc.createElement("tr");
      var attrs = rowAttributes ? rowAttributes(row, index) || {} : {};
      Object.keys(attrs).forEach(function (k) { if (attrs[k] != null) { tr.setAttribute(k, attrs[k]); } });
      var style = rowStyle ? rowStyle(row, index) || {} : {};
      if (style.css) { Object.keys(style.css).forEach(function (k) { tr.style[k] = style.css[k]; }); }
      if (style.classes) { tr.className += " " + style.classes; }
      cols.forEach(function (c) {
        if (c.visible === false || c.visible === "false") { return; }
        var td = doc.createElement("td");
        td.innerHTML = row[c.field] == null ? "" : String(row[c.field]);
        tr.appendChild(td);
      });
      tr.addEventListener("click", function () { $table.trigger("click-row.bs.table", [row, $(tr)]); });
      if (tr.hasAttribute("data-href")) {
        tr.tabIndex = 0;
        tr.addEventListener("keydown", function (e) { if (e.key === "Enter") { $table.trigger("click-row.bs.table", [row, $(tr)]); } });
      }
      tbody.appendChild(tr);
    });
    if (!rows.length) {
      var empty = doc.createElement("tr"), td = doc.createElement("td");
      td.colSpan = Math.max(cols.length, 1);
      td.textContent = "No matching records";
      empty.appendChild(td);
      tbody.appendChild(empty);
    }
    table.appendChild(tbody);
  }

  $.fn.bootstrapTable = function (options) {
    if (typeof options === "string") {
      if (options === "resetSearch" || options === "clearFilterControl") {
        this.each(function () {
          var $t = $(this), o = $t.data("rxqaOptions"), st = $t.data("rxqaTable");
          if (o && st) { st.query = ""; $t.data("rxqaSearch") && ($t.data("rxqaSearch").value = ""); render($t, o); }
        });
      }
      return this;
    }
    return this.each(function () {
      var $t = $(this), o = options || {};
      $t.data("rxqaOptions", o);
      if (truthy(o.search)) {
        var input = window.document.createElement("input");
        input.type = "search";
        input.placeholder = "Search";
        input.className = "form-control form-control-sm rxqa-search";
        input.setAttribute("aria-label", "Search this table");
        input.addEventListener("input", function () { $t.data("rxqaTable").query = input.value; render($t, o); });
        $t.data("rxqaSearch", input);
        var toolbar = o.toolbar ? $(o.toolbar) : $();
        if (toolbar.length) { toolbar.append(input); } else { $t.before(input); }
      }
      render($t, o);
    });
  };
})(window);
