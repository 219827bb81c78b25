// The register's events over time: one bubble per signing event (date × agreed investment, size = agreements).
(function () {
  var el = document.getElementById("events-data");
  var node = document.getElementById("events-chart");
  if (!el || !node || typeof echarts === "undefined") return;
  var data = JSON.parse(el.textContent);
  var c = echarts.init(node, null, {renderer: "svg"});
  c.setOption({
    tooltip: {formatter: function (p) { return p.data[3] + "<br>" + p.data[0] + " · " + p.data[2] + " · " + p.data[1] + " " + data.unit; }},
    xAxis: {type: "time"},
    yAxis: {type: "value", name: data.unit},
    series: [{type: "scatter", data: data.points, symbolSize: function (v) { return Math.min(60, 8 + 3 * v[2]); },
              itemStyle: {color: "#b5121b", opacity: 0.7}}]
  });
  window.addEventListener("resize", function () { c.resize(); });
})();
