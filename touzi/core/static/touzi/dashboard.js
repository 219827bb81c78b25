// Draws the dashboard's charts from the JSON the page embeds (#dashboard-data). ECharts is served locally.
(function () {
  var el = document.getElementById("dashboard-data");
  if (!el || typeof echarts === "undefined") return;
  var data = JSON.parse(el.textContent);
  var L = data.labels;
  var red = "#b5121b", grey = "#8c959f", gold = "#bf8700", blue = "#0969da";
  var charts = [];

  // A phone's chart gives its labels less room (the bars and lines still fill the width).
  function narrow(id) {
    var node = document.getElementById(id);
    return !!node && node.clientWidth < 560;
  }

  function chart(id, option) {
    var node = document.getElementById(id);
    if (!node) return;
    var c = echarts.init(node, null, {renderer: "svg"});
    c.setOption(option);
    charts.push(c);
  }

  var h = data.headline;
  if (h) {
    var n = h.months.length;
    var series = [
      {name: L.current, type: "line", data: h.current, itemStyle: {color: red}, lineStyle: {width: 3}},
      {name: L.last_year, type: "line", data: h.last_year, itemStyle: {color: grey}, lineStyle: {type: "dashed"}},
      {name: L.plan, type: "line", data: h.plan, itemStyle: {color: gold}, lineStyle: {type: "dotted"}, symbol: "none"}
    ];
    if (h.forecast) {
      // A fan from the last observed month to December: the point forecast and its 80% interval.
      var f = h.forecast, start = h.current.length - 1;
      while (start > 0 && h.current[start] === null) start--;
      var low = new Array(n).fill(null), band = new Array(n).fill(null), point = new Array(n).fill(null);
      var steps = n - 1 - start;
      for (var i = start; i < n; i++) {
        var t = steps ? (i - start) / steps : 1;
        var lo = f.observed + (f.low - f.observed) * t, hi = f.observed + (f.high - f.observed) * t;
        low[i] = +lo.toFixed(2); band[i] = +(hi - lo).toFixed(2);
        point[i] = +(f.observed + (f.point - f.observed) * t).toFixed(2);
      }
      series.push({name: L.interval, type: "line", data: low, stack: "fan", symbol: "none", lineStyle: {opacity: 0}});
      series.push({name: L.interval, type: "line", data: band, stack: "fan", symbol: "none", lineStyle: {opacity: 0},
                   areaStyle: {color: "rgba(181,18,27,0.15)"}, tooltip: {show: false}});
      series.push({name: L.forecast, type: "line", data: point, itemStyle: {color: red}, lineStyle: {type: "dashed"},
                   symbol: "circle"});
    }
    var small = narrow("chart-headline");
    chart("chart-headline", {
      tooltip: {trigger: "axis"}, legend: {top: 0},
      grid: {left: small ? 48 : 60, right: small ? 12 : 20, top: small ? 64 : 40, bottom: 30},
      xAxis: {type: "category", data: h.months},
      yAxis: {type: "value", name: h.unit, splitLine: {lineStyle: {color: "#eee"}}},
      series: series.concat([{type: "line", data: [], markLine: {symbol: "none", label: {formatter: h.name + " " + h.target, position: "insideEndTop"},
                              lineStyle: {color: red}, data: [{yAxis: h.target}]}}])
    });
  }

  if (data.targets.length) {
    var names = data.targets.map(function (t) { return t.name; });
    var thin = narrow("chart-targets");
    // One row per target, tall enough for a name broken over two lines (a phone truncates to one): a fixed
    // height squeezed 34 rows into 17 px each and the broken names overlapped their neighbours.
    var box = document.getElementById("chart-targets");
    if (box) box.style.height = Math.max(320, names.length * (thin ? 20 : 30) + 60) + "px";
    chart("chart-targets", {
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}}, legend: {top: 0},
      grid: {left: thin ? 130 : 220, right: thin ? 16 : 30, top: 30, bottom: 20},
      xAxis: {type: "value", max: function (v) { return Math.max(100, Math.ceil(v.max / 10) * 10); },
              splitNumber: thin ? 2 : 5, axisLabel: {formatter: "{value}%", hideOverlap: true}},
      yAxis: {type: "category", data: names, inverse: true,
              axisLabel: {width: thin ? 116 : 200, overflow: thin ? "truncate" : "break", lineHeight: 13}},
      series: [
        // The series' own colour is the legend's swatch; each bar's status colour overrides it.
        {name: L.attainment, type: "bar", itemStyle: {color: "#1a7f37"}, data: data.targets.map(function (t) {
          var color = t.status === "at_risk" ? red : (t.status === "behind" ? gold : "#1a7f37");
          return {value: t.attainment, itemStyle: {color: color}};
        })},
        {name: L.elapsed, type: "scatter", symbol: "rect", symbolSize: [3, 16], itemStyle: {color: "#1f2328"},
         data: data.targets.map(function (t) { return t.elapsed; })}
      ]
    });
  }

  function rankChart(id, rows) {
    if (!rows.length) return;
    var thin = narrow(id);  // a phone: fewer amounts on the axis, and none drawn over another
    chart(id, {
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}}, legend: {top: 0},
      grid: {left: 110, right: 40, top: 30, bottom: 20},
      xAxis: [{type: "value", name: L.wan || "万元", splitNumber: thin ? 2 : 5, axisLabel: {hideOverlap: true}}],
      yAxis: {type: "category", data: rows.map(function (r) { return r.label; }), inverse: true,
              axisLabel: {width: 100, overflow: "break", lineHeight: 13}},
      series: [
        {name: L.ytd, type: "bar", data: rows.map(function (r) { return r.ytd; }), itemStyle: {color: red}},
        {name: L.planned, type: "bar", data: rows.map(function (r) { return r.planned; }), itemStyle: {color: "#d0d7de"}}
      ]
    });
  }
  rankChart("chart-counties", data.counties);
  rankChart("chart-domains", data.domains);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
