// Photo upload: drop a file on a row to fill its input, and show progress while the browser
// sends the files (a plain form post still works without this script).
(function () {
  "use strict";
  var form = document.getElementById("photo-upload-form");
  if (!form) return;

  form.querySelectorAll("[data-drop-zone]").forEach(function (row) {
    var input = row.querySelector("input[type=file]");
    ["dragenter", "dragover"].forEach(function (name) {
      row.addEventListener(name, function (event) {
        event.preventDefault();
        row.classList.add("border-primary");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      row.addEventListener(name, function () { row.classList.remove("border-primary"); });
    });
    row.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
      }
    });
  });

  var progress = document.getElementById("upload-progress");
  var bar = document.getElementById("upload-progress-bar");
  form.addEventListener("submit", function (event) {
    if (!window.XMLHttpRequest || !window.FormData) return;
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    progress.classList.remove("d-none");
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var percent = Math.round((e.loaded / e.total) * 100);
      bar.style.width = percent + "%";
      bar.textContent = percent < 100 ? percent + " %" : "Processing…";
      progress.setAttribute("aria-valuenow", String(percent));
    });
    xhr.addEventListener("load", function () {
      // Show the page the server answered with (the chart after a redirect, or this form with
      // its errors) without asking for it again: its one-time messages are in this response.
      if (xhr.responseURL) window.history.replaceState(null, "", xhr.responseURL);
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () {
      bar.classList.add("bg-danger");
      bar.textContent = "Upload failed: check the connection and try again.";
    });
    xhr.send(new FormData(form));
  });
})();
