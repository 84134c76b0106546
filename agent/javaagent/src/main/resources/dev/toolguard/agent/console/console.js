// ToolGuard console: draws the overview's charts with uPlot from /console/overview/data, and keeps them fresh.
// Everything else is htmx, declared in the pages' markup.
(function () {
  "use strict";
  var COLORS = { allow: "#1a7f37", deny: "#cf222e", require_approval: "#9a6700", p50: "#0a58ca", p99: "#8250df" };
  var charts = {};

  function width(el) { return Math.max(320, Math.min(el.parentNode.clientWidth || 800, 1100)); }

  function draw(id, opts, data) {
    var el = document.getElementById(id);
    if (!el) { return; }
    if (charts[id]) { charts[id].destroy(); }
    opts.width = width(el);
    opts.height = 220;
    charts[id] = new uPlot(opts, data, el);
  }

  function bars(id, label, names, values, color) {
    var xs = names.map(function (_, i) { return i; });
    draw(id, {
      scales: { x: { time: false, range: [-0.5, Math.max(names.length - 0.5, 0.5)] } },
      axes: [{ values: function (u, ticks) { return ticks.map(function (t) { return names[t] || ""; }); } }, {}],
      series: [{ label: "#" }, { label: label, fill: color, stroke: color, paths: uPlot.paths.bars({ size: [0.6, 60] }),
                                 points: { show: false } }]
    }, [xs, values]);
  }

  function render(d) {
    var minutes = d.minutes || [];
    draw("chart-actions", {
      series: [{}, { label: "allow", stroke: COLORS.allow }, { label: "deny", stroke: COLORS.deny },
               { label: "require_approval", stroke: COLORS.require_approval }]
    }, [minutes, d.allow || [], d.deny || [], d.require_approval || []]);
    draw("chart-latency", {
      series: [{}, { label: "p50 ms", stroke: COLORS.p50, spanGaps: false }, { label: "p99 ms", stroke: COLORS.p99 }]
    }, [minutes, d.p50 || [], d.p99 || []]);
    var tools = d.tools || [];
    bars("chart-tools", "deny rate %", tools.map(function (t) { return t.tool; }),
         tools.map(function (t) { return t.decided ? 100 * t.denied / t.decided : 0; }), COLORS.deny);
    var rules = d.rules || [];
    bars("chart-rules", "denials", rules.map(function (r) { return r.rule; }),
         rules.map(function (r) { return r.denied; }), COLORS.deny);
  }

  function refresh(root) {
    fetch(root.getAttribute("data-overview"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d) { render(d); root.setAttribute("data-drawn", "true"); } });
  }

  // says on the live table whether its stream of decisions is connected (for people: the caption; for tests: data-live)
  document.addEventListener("htmx:sseOpen", function (e) { e.target.setAttribute("data-live", "open"); });
  document.addEventListener("htmx:sseError", function (e) { e.target.setAttribute("data-live", "reconnecting"); });

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-overview]");
    if (!root || typeof uPlot === "undefined") { return; }
    refresh(root);
    setInterval(function () { refresh(root); }, 10000);
  });
})();
