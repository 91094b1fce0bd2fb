// Behaviour shared by every page, kept out of the markup: the Content-Security-Policy allows no
// inline event handlers (config/settings/base.py).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});

// The menu on a phone: one button opens and closes it (the menu is always shown on wider screens).
document.addEventListener("click", function (event) {
  var button = event.target instanceof Element ? event.target.closest("[data-menu-toggle]") : null;
  if (!button) return;
  var open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", open ? "true" : "false");
  document.body.classList.toggle("menu-open", open);
});

// A table wider than a phone scrolls inside itself (paritrana.css); one that does must be reachable
// by keyboard to be scrolled, so it takes a place in the tab order while it overflows.
function markScrollableTables() {
  document.querySelectorAll("main table").forEach(function (table) {
    if (table.scrollWidth > table.clientWidth + 1) {
      table.setAttribute("tabindex", "0");
    } else if (table.getAttribute("tabindex") === "0") {
      table.removeAttribute("tabindex");
    }
  });
}
document.addEventListener("DOMContentLoaded", markScrollableTables);
window.addEventListener("resize", markScrollableTables);
