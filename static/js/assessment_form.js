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
