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

// The village picker (issue 27 §2): province → regency/city → district → village, each step filled
// from /wilayah/anak.json; the chosen village's code goes into the form's village code box, which
// can still be typed directly.
function fillSelect(select, items) {
  select.innerHTML = "";
  var blank = document.createElement("option");
  blank.value = "";
  blank.textContent = "—";
  select.appendChild(blank);
  items.forEach(function (item) {
    var option = document.createElement("option");
    option.value = item.code;
    option.textContent = item.name;
    select.appendChild(option);
  });
  select.disabled = items.length === 0;
}
function loadChildren(picker, code, select) {
  fetch(picker.getAttribute("data-source") + "?kode=" + encodeURIComponent(code), { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (data) { fillSelect(select, data.items); });
}
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-village-picker]").forEach(function (picker) {
    var steps = Array.prototype.slice.call(picker.querySelectorAll("select[data-level]"));
    var box = picker.querySelector("input[name=village_code]");
    loadChildren(picker, "", steps[0]);
    steps.forEach(function (select, index) {
      select.addEventListener("change", function () {
        steps.slice(index + 1).forEach(function (later) { fillSelect(later, []); });
        if (!select.value) return;
        if (index + 1 < steps.length) {
          loadChildren(picker, select.value, steps[index + 1]);
        } else {
          box.value = select.value;
        }
      });
    });
  });
});

// The NIK checked as typed (issue 27 §2): once 16 digits are in, /wilayah/nik.json says what the NIK
// encodes (regency, birth date, sex) or what is wrong with it, beside the box. It never says whether
// anyone holds the NIK; the form's own check on sending does.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-nik-check]").forEach(function (box) {
    var said = document.getElementById(box.getAttribute("aria-describedby"));
    box.addEventListener("input", function () {
      var digits = box.value.replace(/\D/g, "");
      if (digits.length < 16) { said.textContent = ""; box.removeAttribute("aria-invalid"); return; }
      fetch(box.getAttribute("data-nik-check") + "?nik=" + encodeURIComponent(box.value), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (data.errors.length) {
            box.setAttribute("aria-invalid", "true");
            said.textContent = data.errors.map(function (e) { return e.message; }).join(" ");
          } else {
            box.removeAttribute("aria-invalid");
            said.textContent = [data.regency, data.birth_date, data.sex === "P" ? "perempuan" : "laki-laki"].join(" · ");
          }
        });
    });
  });
});
