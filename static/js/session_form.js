// "Add a procedure": clones the chosen modality's empty form (rendered by the server inside a
// <template>) and tells its Django formset there is one more form.
(function () {
  "use strict";
  var container = document.getElementById("procedures");
  if (!container) return;

  document.querySelectorAll("[data-add-procedure]").forEach(function (button) {
    button.addEventListener("click", function () {
      var modality = button.dataset.addProcedure;
      var total = document.getElementById("id_" + modality + "-TOTAL_FORMS");
      var template = document.getElementById("empty-" + modality);
      if (!total || !template) return;
      var index = parseInt(total.value, 10);
      var wrapper = document.createElement("div");
      wrapper.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var card = wrapper.firstElementChild;
      container.appendChild(card);
      total.value = String(index + 1);
      var first = card.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
      card.scrollIntoView({ behavior: "smooth", block: "start" });
    });
  });
})();
