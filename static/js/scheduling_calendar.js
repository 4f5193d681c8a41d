// Calendar pages: picking a date or a dermatologist goes there at once (the buttons remain for
// keyboards and for when this script does not load).
(function () {
  "use strict";
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.querySelectorAll("input, select").forEach(function (field) {
      field.addEventListener("change", function () { form.submit(); });
    });
  });
})();
