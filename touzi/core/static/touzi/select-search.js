// A search box before every <select data-searchable>: typing narrows the options (name, short name or pinyin-free
// substring), Enter picks the first match. Keyboard only, no library; without the script the select still works.
(function () {
  var selects = document.querySelectorAll("select[data-searchable]");
  Array.prototype.forEach.call(selects, function (select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-search";
    box.setAttribute("aria-label", select.getAttribute("data-search-label") || "搜索 / search");
    box.placeholder = select.getAttribute("data-search-label") || "搜索 / search";
    box.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(box, select);
    var options = Array.prototype.slice.call(select.options);
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      var first = null;
      options.forEach(function (o) {
        var hit = !q || o.text.toLowerCase().indexOf(q) >= 0;
        o.hidden = !hit;
        o.disabled = !hit && o.value !== "" && !o.selected;
        if (hit && first === null && o.value !== "") { first = o; }
      });
      if (first !== null && q) { select.value = first.value; }
    });
    box.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); select.focus(); }
    });
  });
}());
