// Progress reports: a Print button on the report page, and on the form, the sections
// each purpose starts with, until the person ticks something themselves.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  var sections = document.querySelector(".report-sections");
  if (!sections) { return; }
  var touched = false;
  sections.addEventListener("change", function () { touched = true; });
  document.querySelectorAll('input[name="purpose"]').forEach(function (radio) {
    radio.addEventListener("change", function () {
      if (touched || !radio.checked) { return; }
      var keys = (sections.getAttribute("data-" + radio.value) || "").split(" ");
      sections.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
        box.checked = keys.indexOf(box.value) !== -1;
      });
    });
  });
})();
