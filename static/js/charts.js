/* MitraSehat charts (Chart.js, vendored): drawn from the JSON a page emits with json_script.
   The fund page emits #fund-charts: {contributors: {labels, pledged, received},
   programs: {labels, disbursed}, series: {pledged, received, disbursed}} (whole rupiah); review
   pages emit #health-trend. */
(function () {
  "use strict";

  function rupiah(value) {
    return "Rp" + Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  // Axis ticks in Indonesian short units: rb (ribu), jt (juta), M (miliar).
  function shortRupiah(value) {
    var abs = Math.abs(value);
    if (abs >= 1e9) return "Rp" + (value / 1e9).toLocaleString("id-ID", { maximumFractionDigits: 1 }) + " M";
    if (abs >= 1e6) return "Rp" + (value / 1e6).toLocaleString("id-ID", { maximumFractionDigits: 1 }) + " jt";
    if (abs >= 1e3) return "Rp" + (value / 1e3).toLocaleString("id-ID", { maximumFractionDigits: 1 }) + " rb";
    return rupiah(value);
  }

  var PALETTE = ["#0f766e", "#2563eb", "#d97706", "#7c3aed", "#db2777", "#059669", "#64748b", "#dc2626"];

  function fundCharts() {
    var source = document.getElementById("fund-charts");
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var tooltip = { callbacks: { label: function (ctx) {
      var name = ctx.chart.config.type === "doughnut" ? ctx.label : ctx.dataset.label;
      return name + ": " + rupiah(ctx.raw);
    } } };

    var contributors = document.getElementById("chart-contributors");
    if (contributors) {
      new window.Chart(contributors, {
        type: "bar",
        data: {
          labels: data.contributors.labels,
          datasets: [
            { label: data.series.pledged, data: data.contributors.pledged, backgroundColor: "#cbd5e1", borderRadius: 4, maxBarThickness: 22 },
            { label: data.series.received, data: data.contributors.received, backgroundColor: "#0f766e", borderRadius: 4, maxBarThickness: 22 }
          ]
        },
        options: {
          indexAxis: "y",
          maintainAspectRatio: false,
          animation: false,
          scales: { x: { ticks: { callback: shortRupiah, maxRotation: 0, maxTicksLimit: 6 } }, y: { ticks: { autoSkip: false } } },
          plugins: { tooltip: tooltip, legend: { position: "bottom" } }
        }
      });
    }

    var programs = document.getElementById("chart-programs");
    if (programs && data.programs.labels.length) {
      new window.Chart(programs, {
        type: "doughnut",
        data: {
          labels: data.programs.labels,
          datasets: [{ label: data.series.disbursed, data: data.programs.disbursed, backgroundColor: PALETTE }]
        },
        options: { maintainAspectRatio: false, animation: false, plugins: { tooltip: tooltip, legend: { display: false } } }
      });
    }
  }

  // Health review trend (#health-trend: {labels, scores, label}): a line with the band edges.
  function healthTrend() {
    var source = document.getElementById("health-trend");
    var canvas = document.getElementById("chart-health-trend");
    if (!source || !canvas || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var edge = function (value, color) {
      return { data: data.labels.map(function () { return value; }), borderColor: color, borderDash: [4, 4], borderWidth: 1, pointRadius: 0, fill: false };
    };
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.label, data: data.scores, borderColor: "#0f766e", backgroundColor: "#0f766e", tension: 0.2, spanGaps: true },
          edge(75, "#16a34a"), edge(50, "#dc2626")
        ]
      },
      options: {
        maintainAspectRatio: false, animation: false,
        scales: { y: { min: 0, max: 100, ticks: { stepSize: 25 } }, x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } } },
        plugins: { legend: { display: false } }
      }
    });
  }

  // Dashboard (#dashboard-charts: {types: {labels, series[{label, data}]}, bands: {labels, codes,
  // data}, funds: {labels, data}}).
  var BAND_COLORS = { healthy: "#198754", watch: "#ffc107", at_risk: "#dc3545", insufficient: "#6c757d", early: "#0dcaf0" };
  var STATUS_COLORS = ["#0f766e", "#d97706", "#2563eb", "#94a3b8"];

  function dashboardCharts() {
    var source = document.getElementById("dashboard-charts");
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var types = document.getElementById("chart-types");
    if (types) {
      new window.Chart(types, {
        type: "bar",
        data: {
          labels: data.types.labels,
          datasets: data.types.series.map(function (s, i) {
            return { label: s.label, data: s.data, backgroundColor: STATUS_COLORS[i % STATUS_COLORS.length], borderRadius: 3, maxBarThickness: 40 };
          })
        },
        options: {
          maintainAspectRatio: false, animation: false,
          scales: { x: { stacked: true, ticks: { maxRotation: 0, autoSkip: false } }, y: { stacked: true, ticks: { precision: 0 } } },
          plugins: { legend: { position: "bottom" } }
        }
      });
    }
    var bands = document.getElementById("chart-bands");
    if (bands) {
      new window.Chart(bands, {
        type: "doughnut",
        data: {
          labels: data.bands.labels,
          datasets: [{ data: data.bands.data, backgroundColor: data.bands.codes.map(function (c) { return BAND_COLORS[c] || "#94a3b8"; }) }]
        },
        options: { maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } } }
      });
    }
    var funds = document.getElementById("chart-funds");
    if (funds) {
      new window.Chart(funds, {
        type: "bar",
        data: { labels: data.funds.labels, datasets: [{ data: data.funds.data, backgroundColor: ["#cbd5e1", "#0f766e", "#d97706", "#2563eb"], borderRadius: 4, maxBarThickness: 48 }] },
        options: {
          indexAxis: "y", maintainAspectRatio: false, animation: false,
          scales: { x: { ticks: { callback: shortRupiah, maxRotation: 0, maxTicksLimit: 6 } } },
          plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (ctx) { return rupiah(ctx.raw); } } } }
        }
      });
    }
  }

  function all() { fundCharts(); healthTrend(); dashboardCharts(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", all);
  } else {
    all();
  }
})();
