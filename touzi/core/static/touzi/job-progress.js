// Polls the progress of background work (imports, briefing generation, backups): every
// <progress data-progress-url> on the page asks its URL each second and the page reloads once the
// job has finished, to show its outcome (a link, or why it failed).
(function () {
  var bars = document.querySelectorAll("progress[data-progress-url]");
  Array.prototype.forEach.call(bars, function (bar) {
    var label = bar.dataset.label ? document.getElementById(bar.dataset.label) : null;
    function poll() {
      fetch(bar.dataset.progressUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (p) {
        var percent = p.total ? Math.floor(100 * p.done / p.total) : 0;
        bar.value = percent;
        if (label) { label.textContent = percent + "%"; }
        if (p.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
      }).catch(function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, 500);
  });
})();
