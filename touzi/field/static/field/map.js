// The project map and the point picker, drawn with the vendored ECharts over the vendored county outlines
// (static/field/beihai-counties.geojson, GCJ-02 like the map apps the outlines come from). Nothing is fetched from
// outside the server: the vendored county outlines are the background.
// With a tile server (TOUZI_MAP_TILE_URL: the page then carries #map-tiles and loads the vendored Leaflet instead of
// ECharts), the same points, clusters, lines, outlines and click-through are drawn by Leaflet over its tiles, in the
// tiles' datum (wgs84 or gcj02): the outlines are converted to WGS-84 for WGS-84 tiles, the points taken as stored.
(function () {
  "use strict";
  var PI = Math.PI, A = 6378245.0, EE = 0.00669342162296594323;
  function tLat(x, y) {
    var r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * PI) + 20 * Math.sin(2 * x * PI)) * 2 / 3;
    r += (20 * Math.sin(y * PI) + 40 * Math.sin(y / 3 * PI)) * 2 / 3;
    return r + (160 * Math.sin(y / 12 * PI) + 320 * Math.sin(y * PI / 30)) * 2 / 3;
  }
  function tLon(x, y) {
    var r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * PI) + 20 * Math.sin(2 * x * PI)) * 2 / 3;
    r += (20 * Math.sin(x * PI) + 40 * Math.sin(x / 3 * PI)) * 2 / 3;
    return r + (150 * Math.sin(x / 12 * PI) + 300 * Math.sin(x / 30 * PI)) * 2 / 3;
  }
  // WGS-84 → GCJ-02 (the same published formula as touzi/lib/geo.py), [lon, lat] in and out.
  function toGcj(p) {
    var lon = p[0], lat = p[1];
    var dLat = tLat(lon - 105, lat - 35), dLon = tLon(lon - 105, lat - 35);
    var rad = lat / 180 * PI, magic = 1 - EE * Math.sin(rad) * Math.sin(rad), sq = Math.sqrt(magic);
    dLat = (dLat * 180) / ((A * (1 - EE)) / (magic * sq) * PI);
    dLon = (dLon * 180) / (A / sq * Math.cos(rad) * PI);
    return [lon + dLon, lat + dLat];
  }
  // GCJ-02 → WGS-84 by fixed-point iteration (touzi/lib/geo.py does the same): a few steps reach a millimetre.
  function fromGcj(p) {
    var w = [p[0], p[1]];
    for (var i = 0; i < 6; i++) {
      var g = toGcj(w);
      w = [w[0] - (g[0] - p[0]), w[1] - (g[1] - p[1])];
    }
    return w;
  }
  function json(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function geoOption(name) {
    return {
      map: name, roam: true, zoom: 1.1, scaleLimit: { min: 0.8, max: 60 },
      label: { show: true, color: "#5b6470", fontSize: 11 },
      itemStyle: { areaColor: "#f1f3f5", borderColor: "#8a94a0" },
      emphasis: { label: { show: true }, itemStyle: { areaColor: "#e6eaee" } },
      select: { disabled: true }
    };
  }
  document.querySelectorAll(".legend .swatch").forEach(function (s) {
    s.style.background = s.getAttribute("data-colour");
  });

  // Screen-space clustering, the same for both renderers: points in one CELL-pixel grid cell become one bubble at
  // their centroid, then bubbles whose circles would overlap merge until none do (the grid alone put neighbouring
  // cells' bubbles on top of each other, and "3" beside "145" read "3145"). `pixel(p)` gives [x, y] or null,
  // `radius(group)` a bubble's radius in pixels. Returns [{members, x, y}].
  var CELL = 36;
  function bubble(n) { return Math.min(48, 18 + 4 * Math.sqrt(n)); }
  function clusters(points, pixel, radius) {
    var cells = {}, list = [];
    points.forEach(function (p) {
      var px = pixel(p);
      if (!px) { return; }
      var key = Math.floor(px[0] / CELL) + ":" + Math.floor(px[1] / CELL);
      var c = cells[key] || (cells[key] = { members: [], x: 0, y: 0 });
      c.members.push(p); c.x += px[0]; c.y += px[1];
    });
    Object.keys(cells).forEach(function (k) {
      var c = cells[k];
      list.push({ members: c.members, x: c.x / c.members.length, y: c.y / c.members.length });
    });
    for (var merged = true; merged;) {
      merged = false;
      for (var i = 0; i < list.length; i++) {
        for (var j = i + 1; j < list.length; j++) {
          var a = list[i], b = list[j];
          if (Math.hypot(a.x - b.x, a.y - b.y) < radius(a) + radius(b) + 1) {
            var na = a.members.length, nb = b.members.length;
            a.x = (a.x * na + b.x * nb) / (na + nb); a.y = (a.y * na + b.y * nb) / (na + nb);
            a.members = a.members.concat(b.members);
            list.splice(j, 1); j--; merged = true;
          }
        }
      }
    }
    return list;
  }

  function start(el, geojson) {
    echarts.registerMap("beihai", geojson);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    window.addEventListener("resize", function () { chart.resize(); });
    el.setAttribute("data-ready", "1");
    if (el.getAttribute("data-pick")) { picker(chart); } else { projects(chart, el); }
  }

  function picker(chart) {
    var point = json("map-point");
    var shown = point ? [toGcj(point)] : [];
    function draw() {
      chart.setOption({ geo: geoOption("beihai"), series: [{ type: "scatter", coordinateSystem: "geo",
        data: shown, symbolSize: 14, itemStyle: { color: "#b5121b" } }] });
    }
    draw();
    chart.getZr().on("click", function (e) {
      var c = chart.convertFromPixel({ geoIndex: 0 }, [e.offsetX, e.offsetY]);
      if (!c) { return; }
      shown = [c];
      draw();
      var lat = document.getElementById("id_lat"), lon = document.getElementById("id_lon");
      var datum = document.getElementById("id_datum"), source = document.getElementById("id_source");
      lat.value = c[1].toFixed(6); lon.value = c[0].toFixed(6);
      if (datum) { datum.value = "gcj02"; }  // the outlines, and so the clicked point, are GCJ-02
      if (source) { source.value = "map"; }
    });
  }

  function projects(chart, el) {
    var points = json("map-points") || [], legend = json("map-legend") || [];
    var colours = {};
    legend.forEach(function (l) { colours[l.key] = l.colour; });
    var maxInv = points.reduce(function (m, p) { return Math.max(m, parseFloat(p.investment) || 0); }, 1);
    function size(inv) { return 8 + 22 * Math.sqrt((parseFloat(inv) || 0) / maxInv); }
    var lines = points.filter(function (p) { return p.shape && p.shape.length > 1; }).map(function (p) {
      var coords = p.shape.slice();
      if (p.shape_kind === "Polygon") { coords.push(coords[0]); }
      return { coords: coords, lineStyle: { color: colours[p.category] || "#555" }, id: p.id };
    });
    chart.setOption({ geo: geoOption("beihai"), tooltip: { trigger: "item", formatter: function (x) {
      var d = x.data || {};
      return d.count > 1 ? d.count + " 个项目 / projects" : (d.name || "") + (d.code ? "<br>" + d.code : "");
    } } });
    function radius(g) { return (g.members.length === 1 ? size(g.members[0].investment) : bubble(g.members.length)) / 2; }
    function cluster() {
      var out = [];
      clusters(points, function (p) { return chart.convertToPixel({ geoIndex: 0 }, p.value) || null; }, radius)
        .forEach(function (g) {
          var group = g.members;
          if (group.length === 1) {
            var p = group[0];
            out.push({ name: p.name, code: p.code, value: p.value, id: p.id, count: 1,
              symbolSize: size(p.investment), itemStyle: { color: colours[p.category] || "#555" } });
            return;
          }
          var lon = 0, lat = 0, worst = null;
          group.forEach(function (p) {
            lon += p.value[0]; lat += p.value[1];
            if (worst === null || legend.findIndex(function (l) { return l.key === p.category; }) <
                legend.findIndex(function (l) { return l.key === worst; })) { worst = p.category; }
          });
          out.push({ name: "", value: [lon / group.length, lat / group.length], count: group.length,
            symbolSize: bubble(group.length),
            label: { show: true, formatter: String(group.length), color: "#fff", fontWeight: "bold" },
            itemStyle: { color: colours[worst] || "#555", borderColor: "#fff", borderWidth: 2 } });
        });
      chart.setOption({ series: [
        { type: "lines", coordinateSystem: "geo", polyline: true, data: lines, silent: true,
          lineStyle: { width: 3, opacity: 0.8 } },
        { type: "scatter", coordinateSystem: "geo", data: out, id: "projects", emphasis: { scale: 1.3 } }
      ] });
      el.setAttribute("data-drawn", String(out.length));
    }
    cluster();
    var timer = null;
    chart.on("georoam", function () { clearTimeout(timer); timer = setTimeout(cluster, 120); });
    chart.on("click", function (e) {
      var d = e.data || {};
      if (d.count === 1 && d.id) { window.location.href = (el.getAttribute("data-project-url") || "/projects/0/").replace("/0/", "/" + d.id + "/"); return; }
      if (d.count > 1) {  // zoom into the cluster
        var geo = chart.getOption().geo[0];
        chart.setOption({ geo: { center: d.value, zoom: (geo.zoom || 1) * 2.5 } });
        cluster();
      }
    });
  }

  // ---- Leaflet over the installation's tiles -------------------------------------------------------------------
  function tiled(el, geojson, tiles) {
    var wgs = tiles.datum === "wgs84";
    function convertRing(ring) { return ring.map(function (c) { return wgs ? fromGcj(c) : c; }); }
    function convertGeometry(g) {
      if (g.type === "Polygon") { return { type: g.type, coordinates: g.coordinates.map(convertRing) }; }
      if (g.type === "MultiPolygon") {
        return { type: g.type, coordinates: g.coordinates.map(function (poly) { return poly.map(convertRing); }) };
      }
      return g;
    }
    var outlines = { type: "FeatureCollection", features: (geojson.features || []).map(function (f) {
      return { type: "Feature", properties: f.properties || {}, geometry: convertGeometry(f.geometry) };
    }) };
    var map = L.map(el, { zoomSnap: 0.5, attributionControl: true, scrollWheelZoom: true });
    map.attributionControl.setPrefix(false);
    var layer = L.tileLayer(tiles.url, { maxZoom: tiles.max_zoom || 18, crossOrigin: false });
    var loaded = 0;
    layer.on("tileload", function () { loaded += 1; el.setAttribute("data-tiles-loaded", String(loaded)); });
    layer.addTo(map);
    if (tiles.attribution) {  // text, never markup: Leaflet writes attributions as HTML
      var span = document.createElement("span");
      span.textContent = tiles.attribution;
      map.attributionControl.addAttribution(span.innerHTML);
    }
    var counties = L.geoJSON(outlines, { interactive: false, style: function () {
      return { color: "#5b6470", weight: 1.5, fill: false };
    } }).addTo(map);
    el.setAttribute("data-ready", "1");
    el.setAttribute("data-tiles", tiles.datum);
    function here(p) { return wgs ? p.wgs84 : p.value; }  // [lon, lat] in the tiles' datum
    if (el.getAttribute("data-pick")) { tiledPicker(map, counties, wgs, tiles.datum); } else { tiledProjects(map, el, counties, here, wgs); }
  }

  function tiledPicker(map, counties, wgs, datum) {
    var point = json("map-point"), marker = null;
    function show(latlng) {
      if (marker) { marker.setLatLng(latlng); } else {
        marker = L.circleMarker(latlng, { radius: 7, color: "#fff", weight: 2, fillColor: "#b5121b", fillOpacity: 1 }).addTo(map);
      }
    }
    if (point) {
      var p = wgs ? point : toGcj(point);
      map.setView([p[1], p[0]], 14);
      show([p[1], p[0]]);
    } else { map.fitBounds(counties.getBounds()); }
    map.on("click", function (e) {
      show(e.latlng);
      var lat = document.getElementById("id_lat"), lon = document.getElementById("id_lon");
      var datumField = document.getElementById("id_datum"), source = document.getElementById("id_source");
      lat.value = e.latlng.lat.toFixed(6); lon.value = e.latlng.lng.toFixed(6);
      if (datumField) { datumField.value = datum; }  // a clicked point is in the tiles' datum
      if (source) { source.value = "map"; }
    });
  }

  function tiledProjects(map, el, counties, here, wgs) {
    var points = json("map-points") || [], legend = json("map-legend") || [];
    var colours = {}, rank = {};
    legend.forEach(function (l, i) { colours[l.key] = l.colour; rank[l.key] = i; });
    var maxInv = points.reduce(function (m, p) { return Math.max(m, parseFloat(p.investment) || 0); }, 1);
    function size(inv) { return 8 + 22 * Math.sqrt((parseFloat(inv) || 0) / maxInv); }
    var projectUrl = el.getAttribute("data-project-url") || "/projects/0/";
    points.forEach(function (p) {
      if (!p.shape || p.shape.length < 2) { return; }
      var coords = p.shape.map(function (c) { var d = wgs ? fromGcj(c) : c; return [d[1], d[0]]; });
      var style = { color: colours[p.category] || "#555", weight: 3, opacity: 0.8, interactive: false };
      (p.shape_kind === "Polygon" ? L.polygon(coords, style) : L.polyline(coords, style)).addTo(map);
    });
    function label(text) { var s = document.createElement("span"); s.textContent = text; return s; }
    var group = L.layerGroup().addTo(map);
    function radius(g) { return (g.members.length === 1 ? size(g.members[0].investment) : bubble(g.members.length)) / 2; }
    function cluster() {
      group.clearLayers();
      var zoom = map.getZoom(), drawn = 0;
      clusters(points, function (p) {
        var c = here(p), px = map.project([c[1], c[0]], zoom);
        return [px.x, px.y];
      }, radius).forEach(function (g) {
        var members = g.members;
        drawn += 1;
        if (members.length === 1) {
          var p = members[0], c = here(p);
          L.circleMarker([c[1], c[0]], { radius: size(p.investment) / 2, color: "#fff", weight: 1,
            fillColor: colours[p.category] || "#555", fillOpacity: 0.9, className: "map-point" })
            .bindTooltip(label(p.name + (p.code ? " · " + p.code : "")))
            .on("click", function () { window.location.href = projectUrl.replace("/0/", "/" + p.id + "/"); })
            .addTo(group);
          return;
        }
        var lon = 0, lat = 0, worst = null;
        members.forEach(function (m) {
          var c = here(m);
          lon += c[0]; lat += c[1];
          if (worst === null || (rank[m.category] || 0) < (rank[worst] || 0)) { worst = m.category; }
        });
        var at = [lat / members.length, lon / members.length];
        var d = Math.round(bubble(members.length));
        var icon = L.divIcon({ className: "map-cluster", html: String(members.length), iconSize: [d, d] });
        var marker = L.marker(at, { icon: icon, keyboard: false, title: members.length + " 个项目 / projects" })
          .on("click", function () { map.setView(at, Math.min(map.getZoom() + 2, map.getMaxZoom())); })
          .addTo(group);
        marker.getElement().style.backgroundColor = colours[worst] || "#555";  // CSSOM: allowed by the CSP
      });
      el.setAttribute("data-drawn", String(drawn));
      el.setAttribute("data-zoom", String(zoom));
    }
    if (points.length) {
      map.fitBounds(L.latLngBounds(points.map(function (p) { var c = here(p); return [c[1], c[0]]; })).pad(0.2),
        { maxZoom: 14 });
    } else { map.fitBounds(counties.getBounds()); }
    cluster();
    map.on("zoomend", cluster);
  }

  var tileConfig = json("map-tiles");
  document.querySelectorAll(".chart.map").forEach(function (el) {
    if (tileConfig) {
      if (typeof L === "undefined") { el.textContent = "Leaflet missing"; return; }
      fetch(el.getAttribute("data-outlines"), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (geojson) { tiled(el, geojson, tileConfig); })
        .catch(function () { el.textContent = "—"; });
      return;
    }
    if (typeof echarts === "undefined") { el.textContent = "ECharts missing"; return; }
    fetch(el.getAttribute("data-outlines"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geojson) { start(el, geojson); })
      .catch(function () { el.textContent = "—"; });
  });
}());
