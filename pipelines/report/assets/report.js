/* rxqa report: findings table (filter, search, sort, pages) and page view.
   Data is put on screen with textContent and createElement only, never innerHTML. */
(function () {
  "use strict";
  /* The data comes as JSON, or for a large report packed (deflate, then base64; html.py
     data_block), which the browser unpacks natively: a few MB less for it to parse. */
  var holder = document.getElementById("rxqa-data");
  if (holder.type === "application/json") start(JSON.parse(holder.textContent));
  else unpack(holder.textContent).then(function (text) { start(JSON.parse(text)); });

  function unpack(text) {
    var binary = atob(text), bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"))).text();
  }

  function start(data) {
    var rows = data.findings, pages = data.pages, rank = data.severityRank;
    var C = {};
    data.fields.forEach(function (name, i) { C[name] = i; });
    var $ = function (id) { return document.getElementById(id); };

    function el(tag, className, text) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      if (text !== undefined && text !== null) node.textContent = String(text);
      return node;
    }
    function add(parent) {
      for (var i = 1; i < arguments.length; i++) {
        var child = arguments[i];
        if (child !== null && child !== undefined) parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
      return parent;
    }
    function sevBadge(sev) {
      var known = Object.prototype.hasOwnProperty.call(rank, sev);
      var badge = el("span", "sev" + (known ? " sev-" + sev : ""));
      var icon = el("span", "icon");
      icon.setAttribute("aria-hidden", "true");
      return add(badge, icon, String(sev));
    }
    function link(href, text) {
      var a = el("a", null, text);
      a.setAttribute("href", href);
      return a;
    }
    function safeHref(url) {
      try {
        var parsed = new URL(url);
        return (parsed.protocol === "http:" || parsed.protocol === "https:") ? parsed.href : "";
      } catch (e) { return ""; }
    }
    function pathNode(parent, path) {  /* a page path that may wrap after each "/" */
      path.split("/").forEach(function (part, i, all) {
        add(parent, part + (i < all.length - 1 ? "/" : ""));
        if (i < all.length - 1) parent.appendChild(document.createElement("wbr"));
      });
      return parent;
    }
    function plural(n, word) { return fmt(n) + " " + word + (n === 1 ? "" : "s"); }
    function pageHref(p) { return "#page=" + encodeURIComponent(pages[p].page); }
    function ruleName(code) { return Object.prototype.hasOwnProperty.call(data.rules, code) ? data.rules[code] : ""; }
    var NUMBERS = new Intl.NumberFormat("en");  /* one formatter: toLocaleString makes a new one per call */
    function fmt(n) { return NUMBERS.format(Number(n)); }

    /* ---------- findings table ---------- */
    var sections = [], sectionIndex = {};
    var rowSection = new Int32Array(rows.length);
    rows.forEach(function (r, i) {
      var s = r[C.section];
      if (!Object.prototype.hasOwnProperty.call(sectionIndex, s)) { sectionIndex[s] = sections.length; sections.push(s); }
      rowSection[i] = sectionIndex[s];
    });
    var haystack = null;
    function searchText(i) {
      if (haystack === null) {
        haystack = rows.map(function (r) {
          return [r[C.code], ruleName(r[C.code]), pages[r[C.page]].page, r[C.section], r[C.text], r[C.message], r[C.suggestion], r[C.fingerprint]].join("\n").toLowerCase();
        });
      }
      return haystack[i];
    }
    var keys = {
      severity: function (r) { return rank[r[C.severity]] || 0; },
      code: function (r) { return r[C.code]; },
      page: function (r) { return pages[r[C.page]].page; },
      line: function (r) { return r[C.line]; },
      section: function (r) { return r[C.section].toLowerCase(); },
      text: function (r) { return r[C.text].toLowerCase(); },
      message: function (r) { return r[C.message].toLowerCase(); },
      status: function (r) { return r[C.status]; }
    };
    function natural(a, b) {  /* page, line, column: the order of the text */
      var pa = pages[a[C.page]].page, pb = pages[b[C.page]].page;
      if (pa !== pb) return pa < pb ? -1 : 1;
      return (a[C.line] - b[C.line]) || (a[C.column] - b[C.column]);
    }
    var firstDir = { severity: -1 };  /* most severe first; every other column A to Z */
    var state = { sort: "severity", dir: -1, page: 0, size: Number($("p-size").value) || 100 };
    var order = [], matches = [];

    function sortRows() {
      var key = keys[state.sort], dir = state.dir;
      var values = rows.map(key);
      order = rows.map(function (_, i) { return i; });
      order.sort(function (a, b) {
        var va = values[a], vb = values[b];
        if (va !== vb) return (va < vb ? -1 : 1) * dir;
        return natural(rows[a], rows[b]);
      });
      document.querySelectorAll("#findings-table th[data-sort]").forEach(function (th) {
        if (th.getAttribute("data-sort") === state.sort) th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
        else th.removeAttribute("aria-sort");
      });
    }

    function applyFilters() {
      var sev = $("f-severity").value, code = $("f-code").value, page = $("f-page").value;
      var section = $("f-section").value, status = $("f-status").value;
      var q = $("f-search").value.trim().toLowerCase();
      var p = page === "" ? -1 : Number(page), s = section === "" ? -1 : Number(section);
      matches = order.filter(function (i) {
        var r = rows[i];
        return (!sev || r[C.severity] === sev) && (!code || r[C.code] === code) && (p < 0 || r[C.page] === p) &&
          (s < 0 || rowSection[i] === s) && (!status || r[C.status] === status) && (!q || searchText(i).indexOf(q) !== -1);
      });
      state.page = 0;
      renderTable();
    }

    function findingRow(i) {
      var r = rows[i], tr = el("tr");
      tr.setAttribute("data-finding", String(i));
      add(tr, add(el("td"), sevBadge(r[C.severity])));
      var code = link("#rule-" + r[C.code], r[C.code]);
      code.setAttribute("title", ruleName(r[C.code]));
      add(tr, add(el("td"), code));
      add(tr, add(el("td", "page"), pathNode(link(pageHref(r[C.page]), null), pages[r[C.page]].page)));
      add(tr, el("td", "num", r[C.line] + ":" + r[C.column]));
      add(tr, el("td", null, r[C.section] || "(none)"));
      add(tr, el("td", "text", r[C.text]));
      var msg = add(el("td"), el("div", null, r[C.message]));
      if (r[C.suggestion]) add(msg, add(el("div", "suggest"), el("b", null, "Write instead: "), r[C.suggestion]));
      add(tr, msg);
      add(tr, el("td", null, r[C.status]));
      return tr;
    }

    function renderTable() {
      var size = state.size, total = matches.length;
      var last = Math.max(0, Math.ceil(total / size) - 1);
      state.page = Math.min(Math.max(0, state.page), last);
      var start = state.page * size, end = Math.min(total, start + size);
      var body = document.createDocumentFragment();
      for (var k = start; k < end; k++) body.appendChild(findingRow(matches[k]));
      var tbody = $("findings-table").tBodies[0];
      tbody.replaceChildren(body);
      if (total === 0) {
        var td = el("td", null, "No findings match these filters.");
        td.colSpan = 8;
        tbody.appendChild(add(el("tr"), td));
      }
      $("match-count").textContent = (total === rows.length ? plural(total, "finding") : fmt(total) + " of " + plural(rows.length, "finding") + " match") +
        (total ? "; showing " + fmt(start + 1) + "\u2013" + fmt(end) : "");
      $("match-count").setAttribute("data-count", String(total));
      $("p-info").textContent = "Page " + fmt(state.page + 1) + " of " + fmt(last + 1);
      $("p-first").disabled = $("p-prev").disabled = state.page === 0;
      $("p-next").disabled = $("p-last").disabled = state.page >= last;
    }

    function addOptions(parent, items) {  /* items: [value, label] */
      items.forEach(function (it) { var o = el("option", null, it[1]); o.value = String(it[0]); parent.appendChild(o); });
    }
    function fillSelect(select, items) {
      var frag = document.createDocumentFragment();
      addOptions(frag, items);
      select.appendChild(frag);
    }

    var perPage = new Int32Array(pages.length);
    rows.forEach(function (r) { perPage[r[C.page]]++; });
    var pageIds = pages.map(function (_, i) { return i; }).sort(function (a, b) { return pages[a].page < pages[b].page ? -1 : 1; });
    fillSelect($("f-section"), sections.map(function (s, i) { return [i, s || "(none)"]; }).sort(function (a, b) {
      var la = a[1].toLowerCase(), lb = b[1].toLowerCase(); return la < lb ? -1 : la > lb ? 1 : 0;
    }));
    /* The two page lists hold every page with findings (thousands on a large site), and making
       them takes longer than the whole table: they are filled once the table is on screen, their
       options made a few thousand at a time so that the page answers in between (each chunk a
       task of a few tens of ms; smaller ones spent more time between them than making options),
       and each list put in place at once (appending to a live list of thousands is far slower). Pages without findings
       have no page view, so they are not listed at all. */
    var LIST_CHUNK = 2500;
    function fillPageLists(done) {
      var shown = pageIds.filter(function (i) { return perPage[i] > 0; });
      var lists = [
        [$("f-page"), shown.map(function (i) { return [i, pages[i].page + " (" + perPage[i] + ")"]; })],
        [$("page-select"), shown.map(function (i) { return [i, pages[i].page + " (" + plural(perPage[i], "finding") + ")"]; })]
      ];
      var list = 0, start = 0, frag = document.createDocumentFragment();
      (function step() {  /* options are made a chunk at a time, then each list is put in place at once */
        if (list >= lists.length) { done(); return; }
        var items = lists[list][1];
        addOptions(frag, items.slice(start, start + LIST_CHUNK));
        start += LIST_CHUNK;
        if (start >= items.length) {
          lists[list][0].appendChild(frag);
          frag = document.createDocumentFragment();
          list++;
          start = 0;
        }
        setTimeout(step, 0);
      })();
    }

    var timer = null;
    ["f-severity", "f-code", "f-page", "f-section", "f-status"].forEach(function (id) { $(id).addEventListener("change", applyFilters); });
    $("f-search").addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(applyFilters, 150); });
    $("filters").addEventListener("submit", function (e) { e.preventDefault(); applyFilters(); });
    $("filters").addEventListener("reset", function () { setTimeout(applyFilters, 0); });
    document.querySelectorAll("#findings-table th[data-sort] button").forEach(function (button) {
      button.addEventListener("click", function () {
        var key = button.parentNode.getAttribute("data-sort");
        state.dir = state.sort === key ? -state.dir : (firstDir[key] || 1);
        state.sort = key;
        sortRows();
        applyFilters();
      });
    });
    $("p-first").addEventListener("click", function () { state.page = 0; renderTable(); });
    $("p-prev").addEventListener("click", function () { state.page--; renderTable(); });
    $("p-next").addEventListener("click", function () { state.page++; renderTable(); });
    $("p-last").addEventListener("click", function () { state.page = 1e9; renderTable(); });
    $("p-size").addEventListener("change", function () { state.size = Number($("p-size").value) || 100; state.page = 0; renderTable(); });

    /* ---------- page view ---------- */
    var GAP = 0;  /* a block left out of a large report (html.py GAP) */
    function spansFor(p) {  /* block index -> [{start, end, i}] for the findings located in the text */
      var byBlock = {}, blocks = pages[p].blocks;
      rows.forEach(function (r, i) {
        if (r[C.page] !== p) return;
        var b = r[C.block], text = r[C.text];
        if (b < 0 || b >= blocks.length || !text || blocks[b] === GAP) return;
        var block = blocks[b][2], start = r[C.index];
        if (start < 0 || block.substr(start, text.length) !== text) start = block.indexOf(text);
        if (start < 0) return;
        (byBlock[b] = byBlock[b] || []).push({ start: start, end: start + text.length, i: i });
      });
      return byBlock;
    }

    function highlighted(node, text, spans) {
      spans.sort(function (a, b) { return (a.start - b.start) || (b.end - a.end); });
      var cursor = 0, lastMark = null, marks = [];
      spans.forEach(function (s) {
        var r = rows[s.i];
        if (s.end <= cursor && lastMark) {  /* inside the previous highlight: it carries this finding too */
          lastMark.codes.push(r[C.code]);
          located[s.i] = lastMark.node;
          return;
        }
        var start = Math.max(s.start, cursor);
        if (start > cursor) add(node, text.slice(cursor, start));
        var mark = el("mark", null, text.slice(start, s.end));
        mark.setAttribute("data-code", r[C.code]);
        mark.setAttribute("data-finding", String(s.i));
        mark.setAttribute("title", r[C.code] + " (" + r[C.severity] + "): " + r[C.message]);
        mark.tabIndex = -1;
        add(node, mark);
        located[s.i] = mark;
        lastMark = { node: mark, codes: [r[C.code]] };
        marks.push(lastMark);
        cursor = s.end;
      });
      if (cursor < text.length) add(node, text.slice(cursor));
      marks.forEach(function (m) {  /* label: the codes, at most three, and how many findings more */
        var unique = m.codes.filter(function (c, k) { return m.codes.indexOf(c) === k; });
        var label = unique.slice(0, 3).join(" ");
        if (m.codes.length > 3) label += " (" + fmt(m.codes.length) + " findings)";
        else if (unique.length > 3) label += " …";
        add(m.node, el("span", "mark-code", label));
      });
      return node;
    }

    var located = {};
    function renderText(p) {
      var box = $("page-text"), blocks = pages[p].blocks, spans = spansFor(p), group = null, groupKind = "";
      located = {};
      box.replaceChildren();
      if (!blocks.length) add(box, el("p", "empty", "rxqa read no text from this page."));
      blocks.forEach(function (b, i) {
        if (b === GAP) {
          if (groupKind !== "gap") add(box, el("p", "gap", "\u2026 (text without findings left out of this large report)"));
          groupKind = "gap";
          return;
        }
        var kind = b[0], depth = b[1], text = b[2], node;
        if (kind === "list_item" || kind === "table_cell") {
          if (groupKind !== kind) { group = el(kind === "list_item" ? "ul" : "div", kind === "list_item" ? null : "cells"); groupKind = kind; add(box, group); }
          node = el(kind === "list_item" ? "li" : "span", kind === "list_item" ? null : "cell");
          add(group, highlighted(node, text, spans[i] || []));
          return;
        }
        groupKind = "";
        node = kind === "heading" ? el("h" + Math.min(6, 4 + Math.max(0, depth - 1))) : el("p");
        add(box, highlighted(node, text, spans[i] || []));
      });
    }

    var CHUNK = 200;
    function findingItem(i) {
      var r = rows[i], li = el("li");
      li.setAttribute("data-finding", String(i));
      add(li, sevBadge(r[C.severity]), " ", link("#rule-" + r[C.code], r[C.code] + " " + ruleName(r[C.code])));
      add(li, el("div", "meta", "line " + r[C.line] + ", column " + r[C.column] + (r[C.section] ? " \u00b7 " + r[C.section] : "") + " \u00b7 " + r[C.status]));
      /* quote marks as text: thousands of <q> elements make layout quadratic in chromium */
      add(li, add(el("div"), "Written: ", el("span", "written", "\u201c" + r[C.text] + "\u201d")));
      add(li, el("div", null, r[C.message]));
      if (r[C.suggestion]) add(li, add(el("div", "suggest"), el("b", null, "Write instead: "), r[C.suggestion]));
      var mark = located[i];
      if (mark) {
        var show = el("button", null, "Show in text");
        show.type = "button";
        show.addEventListener("click", function () { mark.scrollIntoView({ block: "center" }); mark.focus(); });
        add(li, show);
      } else {
        add(li, el("div", "meta", "(not located in the page text)"));
      }
      return li;
    }

    function renderPageFindings(p) {
      var list = $("page-findings"), mine = [], done = 0;
      rows.forEach(function (r, i) { if (r[C.page] === p) mine.push(i); });
      mine.sort(function (a, b) { return natural(rows[a], rows[b]); });
      list.replaceChildren();
      var more = $("page-findings-more");
      function next() {  /* long lists come in chunks, so a page with thousands of findings opens at once */
        var frag = document.createDocumentFragment(), stop = Math.min(mine.length, done + CHUNK);
        for (; done < stop; done++) frag.appendChild(findingItem(mine[done]));
        list.appendChild(frag);
        more.hidden = done >= mine.length;
        more.textContent = "Show " + fmt(Math.min(CHUNK, mine.length - done)) + " more of " + fmt(mine.length - done) + " remaining";
      }
      more.onclick = next;
      if (!mine.length) list.appendChild(el("li", null, "No findings on this page."));
      next();
    }

    function renderTableData(table, columns, values) {
      var head = add(el("thead"), add.apply(null, [el("tr")].concat(columns.map(function (c) { var th = el("th", null, c.replace(/_/g, " ")); th.scope = "col"; return th; }))));
      var body = el("tbody");
      (values || []).forEach(function (row) { add(body, add.apply(null, [el("tr")].concat(row.map(function (v) { return el("td", null, v); })))); });
      if (!values || !values.length) { var td = el("td", null, "None."); td.colSpan = columns.length; add(body, add(el("tr"), td)); }
      table.replaceChildren(head, body);
    }

    function showPage(p, focus) {
      if (!(p >= 0 && p < pages.length)) return;
      var info = pages[p];
      $("page-select").value = String(p);
      $("page-detail").hidden = false;
      $("page-title").textContent = info.page;
      var meta = $("page-meta");
      meta.replaceChildren();
      var href = info.url ? safeHref(info.url) : "";
      if (href) { var a = link(href, info.url); a.rel = "noopener noreferrer"; add(meta, "Published at ", a, ". "); }
      else if (info.url) add(meta, "Address (not a web link): ", el("code", null, info.url), ". ");
      add(meta, plural(perPage[p], "finding") + ".");
      renderText(p);
      renderPageFindings(p);
      renderTableData($("page-drugs"), data.drugColumns, data.drugs[String(p)]);
      renderTableData($("page-regimens"), data.regimenColumns, data.regimens[String(p)]);
      var first = $("page-text").querySelector("mark"), box = $("page-text");
      box.scrollTop = first ? Math.max(0, first.offsetTop - 60) : 0;
      if (focus) { $("page-view").scrollIntoView(); $("page-title").focus(); }
    }

    function fromHash() {
      var hash = location.hash;
      if (hash.indexOf("#page=") !== 0) return;
      var name;
      try { name = decodeURIComponent(hash.slice(6)); } catch (e) { return; }
      for (var i = 0; i < pages.length; i++) if (pages[i].page === name) { showPage(i, true); return; }
    }
    $("page-select").addEventListener("change", function () {
      var v = $("page-select").value;
      if (v === "") return;
      if (location.hash === pageHref(Number(v))) showPage(Number(v), false);
      else location.hash = pageHref(Number(v));
    });
    window.addEventListener("hashchange", fromHash);

    sortRows();
    applyFilters();
    requestAnimationFrame(function () {
      setTimeout(function () {
        fillPageLists(function () {
          fromHash();
          document.documentElement.setAttribute("data-ready", "true");
        });
      }, 0);
    });
  }
})();
