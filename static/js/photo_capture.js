// Photo capture: the device camera's live picture with the baseline of the same view and lighting
// ghosted over it, take, review beside the baseline, keep (stored through the upload pipeline)
// or retake, then on to the next view of the standard series. Where the camera cannot be used,
// the page says why and the file input (with `capture`, so a phone opens its camera app) stays.
(function () {
  "use strict";
  var form = document.getElementById("capture-form");
  if (!form) return;
  var $ = function (id) { return document.getElementById(id); };
  var baselines = JSON.parse($("capture-baselines").textContent || "{}");
  var viewSelect = $("capture-view");
  var regionSelect = $("capture-region");
  var lightingSelect = $("capture-lighting");
  var camera = $("capture-camera");
  var review = $("capture-review");
  var fallback = $("capture-fallback");
  var reason = $("capture-reason");
  var video = $("capture-video");
  var ghost = $("capture-ghost");
  var stage = $("capture-stage");
  var shot = $("capture-shot");
  var reviewBaseline = $("capture-review-baseline");
  var reviewCaption = $("capture-review-caption");
  var baselineNote = $("capture-baseline-note");
  var statusBox = $("capture-status");
  var opacity = $("capture-opacity");
  var steps = Array.prototype.slice.call(form.querySelectorAll(".capture-step"));
  var order = steps.map(function (b) { return b.dataset.view; });
  var stream = null;

  function seriesKey() {
    var view = viewSelect.value;
    var region = view === "close_up" ? regionSelect.value : "";
    return [view, region, lightingSelect.value].join("|");
  }

  function say(text, kind) {
    statusBox.textContent = text;
    statusBox.className = "mb-2 alert alert-" + (kind || "info");
  }

  // The baseline of the chosen view and lighting, over the camera and in the review.
  function showBaseline() {
    var baseline = baselines[seriesKey()];
    $("capture-region-field").hidden = viewSelect.value !== "close_up";
    steps.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.view === viewSelect.value)); });
    var label = viewSelect.options[viewSelect.selectedIndex].text;
    [ghost, reviewBaseline].forEach(function (img) {
      img.hidden = !baseline;
      if (baseline) {
        if (img.getAttribute("src") !== baseline.url) img.src = baseline.url;
        img.alt = "Baseline, " + label + ", " + baseline.taken_on;
      } else {
        img.removeAttribute("src");
      }
    });
    baselineNote.textContent = baseline
      ? "Baseline ghosted: " + label + ", " + baseline.taken_on + "."
      : "No baseline for this view and lighting yet: this picture will be it.";
    reviewCaption.textContent = baseline ? "Baseline, " + baseline.taken_on : baselineNote.textContent;
  }

  function setOpacity() { ghost.style.opacity = String(Number(opacity.value) / 100); }

  function useFallback(why) {
    camera.hidden = true;
    review.hidden = true;
    fallback.hidden = false;
    reason.hidden = false;
    reason.textContent = why + " Use the file input below: on a phone or tablet it opens the camera app.";
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
  }

  function whyNot(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") {
      return "Camera permission was refused for this page.";
    }
    if (name === "NotFoundError" || name === "OverconstrainedError") return "No camera was found on this device.";
    if (name === "NotReadableError") return "The camera is in use by another app.";
    return "The camera could not be started (" + (name || "unknown error") + ").";
  }

  function startCamera() {
    if (!window.isSecureContext) {
      return useFallback("The camera needs a secure (HTTPS) connection.");
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.HTMLCanvasElement) {
      return useFallback("This browser cannot use the camera from a web page.");
    }
    navigator.mediaDevices
      .getUserMedia({ audio: false, video: { facingMode: { ideal: "environment" }, width: { ideal: 1920 }, height: { ideal: 1440 } } })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.addEventListener("loadedmetadata", function () {
          // The stage takes the camera's shape, so the ghost and the picture line up.
          if (video.videoWidth && video.videoHeight) {
            stage.style.setProperty("--capture-ratio", String(video.videoWidth / video.videoHeight));
          }
        });
        return video.play();
      })
      .then(function () {
        fallback.hidden = true;
        camera.hidden = false;
        camera.dataset.ready = "true";
      })
      .catch(function (error) { useFallback(whyNot(error)); });
  }

  function take() {
    if (!video.videoWidth) return say("The camera is not ready yet.", "warning");
    shot.width = video.videoWidth;
    shot.height = video.videoHeight;
    shot.getContext("2d").drawImage(video, 0, 0, shot.width, shot.height);
    camera.hidden = true;
    review.hidden = false;
    $("capture-keep").focus();
  }

  function retake() {
    review.hidden = true;
    camera.hidden = false;
  }

  // The next view of the standard series not yet taken (after the current one, wrapping round).
  function nextView() {
    var start = order.indexOf(viewSelect.value);
    for (var i = 1; i <= order.length; i += 1) {
      var candidate = order[(start + i) % order.length];
      if (!steps[order.indexOf(candidate)].classList.contains("btn-success")) return candidate;
    }
    return viewSelect.value;
  }

  function kept(photo, millis) {
    var step = steps[order.indexOf(photo.view)];
    if (step) {
      step.classList.remove("btn-outline-secondary");
      step.classList.add("btn-success");
      step.querySelector(".capture-done").classList.remove("visually-hidden");
    }
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = photo.detail;
    link.textContent = photo.label + ", " + photo.taken_on;
    item.appendChild(link);
    $("capture-kept").appendChild(item);
    statusBox.dataset.roundTripMs = String(Math.round(millis));
    say(photo.label + " stored (" + Math.round(millis) + " ms).", "success");
    // The new picture is the baseline of its series only if there was none.
    var key = seriesKey();
    if (!baselines[key]) baselines[key] = { url: photo.display, taken_on: photo.taken_on };
    viewSelect.value = nextView();
    showBaseline();
    retake();
  }

  function keep() {
    var button = $("capture-keep");
    button.disabled = true;
    var started = performance.now();
    // The review shows the canvas itself and the picture is sent as a Blob in the form data, so
    // no blob: URL is ever made and the CSP's img-src needs nothing beyond 'self'.
    shot.toBlob(function (blob) {
      if (!blob) {
        button.disabled = false;
        return say("The picture could not be encoded: retake it.", "danger");
      }
      var data = new FormData(form);
      data.delete("file");
      data.append("file", blob, "capture-" + viewSelect.value + ".jpg");
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().catch(function () { return { error: "The server refused the picture (" + response.status + ")." }; })
            .then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (result) {
          if (!result.ok) return say(result.body.error || "The picture was not stored.", "danger");
          kept(result.body, performance.now() - started);
        })
        .catch(function () { say("The picture was not stored: check the connection and keep it again.", "danger"); })
        .then(function () { button.disabled = false; });
    }, "image/jpeg", 0.92);
  }

  steps.forEach(function (button) {
    button.addEventListener("click", function () {
      viewSelect.value = button.dataset.view;
      showBaseline();
    });
  });
  [viewSelect, regionSelect, lightingSelect].forEach(function (s) { s.addEventListener("change", showBaseline); });
  opacity.addEventListener("input", setOpacity);
  $("capture-guides").addEventListener("change", function (event) {
    stage.classList.toggle("capture-no-guides", !event.target.checked);
  });
  $("capture-take").addEventListener("click", take);
  $("capture-retake").addEventListener("click", retake);
  $("capture-keep").addEventListener("click", keep);
  setOpacity();
  showBaseline();
  startCamera();
})();
