// Forms marked data-keep (the report forms): (1) what was typed is kept in sessionStorage until the page reports
// success, so a failed upload on a weak connection loses nothing; (2) an image picked in an input marked
// data-resize that is larger than MAX_BYTES is resized in the browser (canvas → JPEG, longer side MAX_SIDE)
// before upload. A canvas copy carries no EXIF, so the usual phone photo (2–5 MB) is sent as taken and only an
// oversized one is shrunk (and then flagged "no EXIF" for the reviewer, not refused). The server re-encodes
// every photo anyway (touzi/lib/photos.py).
(function () {
  "use strict";
  var MAX_BYTES = 6 * 1024 * 1024, MAX_SIDE = 2400;
  var form = document.querySelector("form[data-keep]");
  if (!form) { return; }
  var key = "touzi-form:" + location.pathname + location.search;
  var fields = form.querySelectorAll("input:not([type=file]):not([type=hidden]):not([type=checkbox]), textarea, select");

  // (2) keep what was typed
  try {
    var saved = JSON.parse(sessionStorage.getItem(key) || "{}");
    fields.forEach(function (f) {
      if (f.name && saved[f.name] !== undefined && !f.value) { f.value = saved[f.name]; }
    });
  } catch (e) { /* storage unavailable: nothing kept */ }
  function keep() {
    var data = {};
    fields.forEach(function (f) { if (f.name) { data[f.name] = f.value; } });
    try { sessionStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* full or private */ }
  }
  form.addEventListener("input", keep);
  if (document.querySelector(".messages .success")) {
    try { sessionStorage.removeItem(key); } catch (e) { /* ignore */ }
  }

  // (1) resize large photos before upload
  var input = form.querySelector("input[type=file][data-resize]");
  if (!input || !window.DataTransfer || !HTMLCanvasElement.prototype.toBlob) { return; }
  var status = document.createElement("p");
  status.className = "upload-status muted";
  status.setAttribute("aria-live", "polite");
  input.parentNode.appendChild(status);
  function shrink(file) {
    return new Promise(function (resolve) {
      if (!/^image\//.test(file.type) || file.size <= MAX_BYTES) { resolve(file); return; }
      var url = URL.createObjectURL(file), img = new Image();
      img.onload = function () {
        var scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(img.naturalWidth * scale);
        canvas.height = Math.round(img.naturalHeight * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) {
          resolve(blob ? new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg",
            lastModified: file.lastModified }) : file);
        }, "image/jpeg", 0.85);
      };
      img.onerror = function () { URL.revokeObjectURL(url); resolve(file); };
      img.src = url;
    });
  }
  input.addEventListener("change", function () {
    var files = Array.prototype.slice.call(input.files);
    if (!files.some(function (f) { return f.size > MAX_BYTES; })) {
      status.textContent = files.length ? files.length + " ✓" : "";
      return;
    }
    status.textContent = "…";
    Promise.all(files.map(shrink)).then(function (out) {
      var dt = new DataTransfer();
      out.forEach(function (f) { dt.items.add(f); });
      input.files = dt.files;
      status.textContent = out.length + " ✓";
    });
  });
}());
