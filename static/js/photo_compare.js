// Before/after overlay: the later photo sits on top, clipped, and the slider reveals it from
// the left.
// The form's selects submit as soon as they change, so comparing is two clicks.
(function () {
  "use strict";
  var slider = document.getElementById("compare-slider");
  var top = document.getElementById("compare-top");
  if (slider && top) {
    var image = top.querySelector("img");
    var update = function () {
      image.style.clipPath = "inset(0 " + (100 - Number(slider.value)) + "% 0 0)";
    };
    slider.addEventListener("input", update);
    update();
  }
  var form = document.getElementById("compare-form");
  if (form) {
    var series = document.getElementById("series");
    series.addEventListener("change", function () {
      // A new series has other photos: let the server choose its baseline and latest.
      form.querySelectorAll("select[name=before], select[name=after]").forEach(function (s) {
        s.disabled = true;
      });
      form.submit();
    });
    form.querySelectorAll("select[name=before], select[name=after]").forEach(function (s) {
      s.addEventListener("change", function () { form.submit(); });
    });
  }
})();
