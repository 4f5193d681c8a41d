// Booking form: choosing a kind of visit sets its usual length, unless the length was chosen by
// hand. The server decides the real end time from whatever is submitted.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  var duration = document.getElementById("id_duration");
  if (!kind || !duration || !kind.dataset.defaultMinutes) return;
  var defaults = {};
  kind.dataset.defaultMinutes.split(",").forEach(function (pair) {
    var parts = pair.split(":");
    defaults[parts[0]] = parts[1];
  });
  var touched = false;
  duration.addEventListener("change", function () { touched = true; });
  kind.addEventListener("change", function () {
    var minutes = defaults[kind.value];
    if (touched || !minutes) return;
    if (duration.querySelector('option[value="' + minutes + '"]')) duration.value = minutes;
  });
})();
