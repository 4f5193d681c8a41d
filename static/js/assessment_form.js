// Live row, column and ECCA totals for the scar-count grid. A preview only: the server computes
// and stores the score. Weights come from the column headers, which the server renders.
(function () {
  "use strict";
  var table = document.getElementById("scar-grid");
  if (!table) return;

  function grade(count) {
    if (count === 0) return 0;
    if (count < 5) return 1;
    if (count <= 20) return 2;
    return 3;
  }

  function value(input) {
    var n = parseInt(input.value, 10);
    return isNaN(n) || n < 0 ? 0 : n;
  }

  var weights = Array.prototype.map.call(
    table.querySelectorAll("thead th[data-weight]"),
    function (th) { return parseInt(th.dataset.weight, 10); }
  );

  function update() {
    var columns = weights.map(function () { return 0; });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var total = 0;
      row.querySelectorAll("input.count-cell").forEach(function (input, i) {
        var n = value(input);
        total += n;
        columns[i] += n;
      });
      row.querySelector(".row-total").textContent = total;
    });
    var ecca = 0;
    var colTotals = table.querySelectorAll("tfoot .col-total");
    var colPoints = table.querySelectorAll("tfoot .col-points");
    columns.forEach(function (count, i) {
      var points = weights[i] * grade(count);
      ecca += points;
      colTotals[i].textContent = count;
      colPoints[i].textContent = points;
    });
    table.querySelector(".grand-total").textContent = columns.reduce(function (a, b) { return a + b; }, 0);
    document.getElementById("ecca-preview").textContent = ecca;
  }

  table.addEventListener("input", update);
  update();
})();

// Counts entered once: a Goodman & Baron subtype that an ECCA type maps to (data-from-ecca, set
// by the server) follows that type's grid total until the dermatologist types in it; clearing it
// makes it follow the grid again. The server applies the same rule to an empty field on save.
(function () {
  "use strict";
  var form = document.getElementById("assessment-form");
  if (!form) return;
  var mapped = form.querySelectorAll("input[data-from-ecca]");
  if (!mapped.length) return;

  function typeTotal(scarType) {
    var total = 0;
    form.querySelectorAll("input.count-cell").forEach(function (input) {
      if (input.name.slice(-(scarType.length + 2)) === "__" + scarType) {
        var n = parseInt(input.value, 10);
        if (!isNaN(n) && n > 0) total += n;
      }
    });
    return total;
  }

  mapped.forEach(function (field) {
    var scarType = field.dataset.fromEcca;
    var current = parseInt(field.value, 10);
    field.dataset.follows = String(field.value === "" || current === typeTotal(scarType));
    field.addEventListener("input", function () {
      field.dataset.follows = String(field.value === "");
    });
  });

  form.addEventListener("input", function (event) {
    if (!event.target.classList.contains("count-cell")) return;
    mapped.forEach(function (field) {
      if (field.dataset.follows !== "true") return;
      var total = typeTotal(field.dataset.fromEcca);
      field.value = total > 0 ? String(total) : "";
    });
  });
})();

// DLQI item 7: the "how much of a problem" part is asked only when the answer is not "yes"
// ("yes" scores 3 whatever else is ticked).
(function () {
  "use strict";
  var problem = document.getElementById("dlqi-work-problem");
  if (!problem) return;
  var prevented = document.querySelectorAll("input[name='dlqi_7']");

  function update() {
    var yes = document.querySelector("input[name='dlqi_7'][value='yes']:checked") !== null;
    problem.querySelectorAll("input").forEach(function (input) {
      input.disabled = yes;
      if (yes) input.checked = false;
    });
  }

  prevented.forEach(function (input) { input.addEventListener("change", update); });
  update();
})();
