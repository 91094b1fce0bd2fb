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
