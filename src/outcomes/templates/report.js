/* Fit the report's tables and charts to the screen and to paper (works with report.css; runs offline).
 *
 * - On a phone, a table wider than the screen is shown one row per block ("stacked"), each cell labelled with
 *   its column's name, instead of running off the side (on a wider screen it scrolls within its frame).
 * - A chart narrower than NARROW px gets smaller type and its long labels (legend entries, subplot titles,
 *   axis titles, category names) wrapped onto several lines, so nothing is cut off at the edge.
 * - Before printing, the charts are drawn at the printable width of an A4 page (PRINT_WIDTH, the width left
 *   by report.css's @page margins) and folded details are opened; afterwards the screen layout comes back.
 */
(function () {
  "use strict";
  var PRINT_WIDTH = 703; /* 210 mm - 2 x 12 mm = 186 mm at 96 px per inch */
  var NARROW = 560;
  var FONT_NARROW = 11;
  var printing = false;

  function each(selector, f) { Array.prototype.forEach.call(document.querySelectorAll(selector), f); }

  var PHONE = window.matchMedia("screen and (max-width: 40rem)"); /* as report.css's phone layout */

  function fitTables() {
    each(".table-wrap", function (wrap) {
      wrap.classList.remove("stacked");
      if (!PHONE.matches || wrap.scrollWidth <= wrap.clientWidth + 1) return;
      var heads = Array.prototype.map.call(wrap.querySelectorAll("thead th"), function (th) { return th.textContent; });
      Array.prototype.forEach.call(wrap.querySelectorAll("tbody tr"), function (tr) {
        Array.prototype.forEach.call(tr.children, function (td, i) {
          if (!td.hasAttribute("data-label")) td.setAttribute("data-label", heads[i] || "");
        });
      });
      wrap.classList.add("stacked");
    });
  }

  /* "a long label" -> "a long<br>label": lines of at most `width` characters, broken at spaces (earlier breaks
   * are joined first, so a label wrapped for a wide chart is wrapped anew). */
  function wrap(text, width) {
    if (typeof text !== "string" || text.length <= width) return text;
    var lines = [], line = "";
    text.split("<br>").join(" ").split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) lines.push(line);
    return lines.join("<br>");
  }

  function charsFor(px, size) { return Math.max(12, Math.floor(px / (size * 0.6))); }

  function wrapAll(values, limit) {
    return values.map(function (c) { return typeof c === "string" ? wrap(c, Math.max(limit, 8)) : c; });
  }

  function hasLong(values) {
    return Array.isArray(values) && values.some(function (c) { return typeof c === "string" && c.length > 14; });
  }

  /* A grid of small charts side by side becomes one column on a narrow screen: each subplot the full width and
   * SUBPLOT px high, its title (a paper annotation centred over it) moved with it. Returns the titles' indexes. */
  var SUBPLOT = 240, TITLE = 62, TICKS = 34, TITLE_FONT = 13;
  function columnChanges(layout, out) {
    var plots = Object.keys(layout).filter(function (k) {
      return /^xaxis\d*$/.test(k) && layout[k] && Array.isArray(layout[k].domain) && layout["y" + k.slice(1)];
    }).map(function (k) {
      return { x: k, y: "y" + k.slice(1), xd: layout[k].domain, yd: layout["y" + k.slice(1)].domain || [0, 1] };
    });
    var columns = {};
    plots.forEach(function (p) { columns[p.xd[0].toFixed(3)] = true; });
    if (plots.length < 2 || Object.keys(columns).length < 2) return {};
    plots.sort(function (a, b) { return (b.yd[1] - a.yd[1]) || (a.xd[0] - b.xd[0]); });
    var n = plots.length, height = n * SUBPLOT, margin = layout.margin || {}, titles = {};
    out.layout.height = height + (margin.t || 80) + (margin.b || 60) + 160;
    out.layout["legend.y"] = -TICKS / height;
    plots.forEach(function (p, i) {
      var top = 1 - i / n - TITLE / height, bottom = 1 - (i + 1) / n + TICKS / height;
      (layout.annotations || []).forEach(function (a, j) {
        var over = a.xref === "paper" && a.yref === "paper" && Math.abs(a.x - (p.xd[0] + p.xd[1]) / 2) < 0.01 &&
          Math.abs(a.y - p.yd[1]) < 0.01;
        if (!over) return;
        out.layout["annotations[" + j + "].x"] = 0.5;
        out.layout["annotations[" + j + "].y"] = top;
        out.layout["annotations[" + j + "].font.size"] = TITLE_FONT;
        titles[j] = true;
      });
      out.layout[p.x + ".domain"] = [0, 1];
      out.layout[p.y + ".domain"] = [bottom, top];
    });
    return titles;
  }

  /* The layout and trace changes that fit one chart to a narrow width, with lines of at most `chars` characters
   * across the whole chart: {layout: {path: value}, data: {name: [...], x: [...], y: [...]}}. */
  function narrowChanges(gd, width, chars) {
    var layout = gd.layout || {}, out = { layout: {}, data: {} };
    out.layout["font.size"] = FONT_NARROW;
    out.layout["margin.l"] = Math.min((layout.margin || {}).l || 60, 40);
    out.layout["margin.r"] = Math.min((layout.margin || {}).r || 20, 10);
    var titles = columnChanges(layout, out);
    (layout.annotations || []).forEach(function (a, i) {
      out.layout["annotations[" + i + "].xanchor"] = a.xanchor;
      if (typeof a.text !== "string") return;
      /* a title centred over one subplot of a grid has only that subplot's width */
      var share = a.xref === "paper" && a.xanchor === "center" && !titles[i] ? Math.min(1, 2 * Math.min(a.x, 1 - a.x)) : 1;
      out.layout["annotations[" + i + "].text"] = wrap(a.text, Math.max(8, Math.floor(chars * share)));
    });
    Object.keys(layout).forEach(function (key) {
      var axis = layout[key];
      if (!/^[xy]axis\d*$/.test(key) || !axis) return;
      var across = key[0] === "x";
      if (axis.title && typeof axis.title.text === "string") {
        out.layout[key + ".title.text"] = wrap(axis.title.text, across ? chars : Math.floor(chars * 0.8));
      }
      if (hasLong(axis.ticktext)) {
        var n = axis.ticktext.length;
        out.layout[key + ".ticktext"] = wrapAll(axis.ticktext, across ? Math.floor(chars / n) + 4 : Math.floor(chars * 0.4));
      }
    });
    var traces = gd.data || [];
    var names = traces.map(function (t) { return typeof t.name === "string" ? wrap(t.name, chars - 4) : t.name; });
    if (names.some(function (n, i) { return n !== traces[i].name; })) out.data.name = names;
    ["x", "y"].forEach(function (axis) {
      var changed = false;
      var values = traces.map(function (t) {
        var v = t[axis];
        if (!hasLong(v)) return v;
        changed = true;
        return wrapAll(v, axis === "y" ? Math.floor(chars * 0.4) : Math.floor(chars / v.length) + 4);
      });
      if (changed) out.data[axis] = values;
    });
    return out;
  }

  /* Whether any text of the chart reaches past its edges. */
  function spills(gd) {
    var box = gd.getBoundingClientRect();
    return Array.prototype.some.call(gd.querySelectorAll(".main-svg text"), function (t) {
      var r = t.getBoundingClientRect();
      return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1);
    });
  }

  /* What `changes` would replace, as it is now (so the chart can be put back as it was). */
  function current(gd, changes) {
    var out = { layout: {}, data: {} }, layout = gd.layout || {};
    Object.keys(changes.layout).forEach(function (path) {
      var node = layout;
      path.replace(/\[(\d+)\]/g, ".$1").split(".").forEach(function (part) { node = node == null ? undefined : node[part]; });
      out.layout[path] = node === undefined ? null : node;
    });
    Object.keys(changes.data).forEach(function (key) {
      out.data[key] = (gd.data || []).map(function (t) { return t[key]; });
    });
    return out;
  }

  function apply(gd, changes) {
    var traces = (gd.data || []).map(function (t, i) { return i; });
    return window.Plotly.update(gd, changes.data, changes.layout, traces);
  }

  /* Narrow: wrap the chart's labels, shorter lines each time, until no text spills over its edges. */
  function narrowFit(gd, width, chars, tries) {
    var changes = narrowChanges(gd._fitSource, width, chars);
    return apply(gd, changes).then(function () {
      if (!spills(gd)) return;
      if (tries > 1) return narrowFit(gd, width, Math.floor(chars * 0.7), tries - 1);
      return turnAnnotations(gd);
    });
  }

  /* A note still past an edge (one pinned near the chart's side) is turned to extend inwards. */
  function turnAnnotations(gd) {
    var box = gd.getBoundingClientRect(), turn = {};
    Array.prototype.forEach.call(gd.querySelectorAll("g.annotation[data-index]"), function (g) {
      var r = g.getBoundingClientRect(), i = g.getAttribute("data-index");
      if (r.right > box.right + 1) turn["annotations[" + i + "].xanchor"] = "right";
      else if (r.left < box.left - 1) turn["annotations[" + i + "].xanchor"] = "left";
    });
    if (Object.keys(turn).length) return window.Plotly.relayout(gd, turn);
  }

  function fitChart(gd) {
    if (!window.Plotly || !gd.layout) return;
    var width = gd.parentElement ? gd.parentElement.clientWidth : gd.clientWidth;
    var narrow = width > 0 && width < NARROW;
    if (narrow === !!gd._fitOriginal) { window.Plotly.Plots.resize(gd); return; }
    if (narrow) {
      /* every label the tightest wrap would touch, as it is now, to put back on a wider screen */
      gd._fitOriginal = current(gd, narrowChanges(gd, width, 8));
      gd._fitSource = { layout: JSON.parse(JSON.stringify(gd.layout)), data: gd.data.map(function (t) {
        return { name: t.name, x: t.x, y: t.y };
      }) };
      narrowFit(gd, width, charsFor(width - 20, FONT_NARROW), 4);
    } else {
      apply(gd, gd._fitOriginal);
      gd._fitOriginal = null;
    }
  }

  function fitCharts() { if (!printing) each(".js-plotly-plot", fitChart); }

  var timer = null;
  function fitAll() { fitTables(); fitCharts(); }
  function later() { clearTimeout(timer); timer = setTimeout(fitAll, 150); }

  window.addEventListener("load", fitAll);
  window.addEventListener("resize", later);
  window.addEventListener("beforeprint", function () {
    printing = true;
    each("details", function (d) { d.open = true; });
    if (!window.Plotly) return;
    each(".js-plotly-plot", function (gd) {
      if (gd._fitOriginal) { apply(gd, gd._fitOriginal); gd._fitOriginal = null; }
      window.Plotly.relayout(gd, { width: PRINT_WIDTH });
    });
  });
  window.addEventListener("afterprint", function () {
    printing = false;
    if (window.Plotly) each(".js-plotly-plot", function (gd) { window.Plotly.relayout(gd, { width: null }); });
    fitAll();
  });
})();
