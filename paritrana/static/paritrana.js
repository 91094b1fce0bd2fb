// Behaviour shared by every page, kept out of the markup: the Content-Security-Policy allows no
// inline event handlers (config/settings/base.py).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});
