// Polls an import's progress and reloads the page when it has finished.
(function () {
  var bar = document.getElementById("import-progress");
  if (!bar) return;
  var label = document.getElementById("import-percent");
  function poll() {
    fetch(bar.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (p) {
      var percent = p.total ? Math.floor(100 * p.done / p.total) : 0;
      bar.value = percent;
      label.textContent = percent + "%";
      if (p.status === "running") { setTimeout(poll, 1000); } else { window.location.reload(); }
    }).catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
