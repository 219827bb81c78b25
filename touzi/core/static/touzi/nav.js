// The menu behind a button on narrow screens (touzi.css hides `header.top nav` below 760 px unless `.open`).
// Without this script the nav keeps the `no-js` class and simply wraps.
(function () {
  var nav = document.getElementById("main-nav");
  var button = document.getElementById("menu-toggle");
  if (!nav || !button) { return; }
  nav.classList.remove("no-js");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
}());
