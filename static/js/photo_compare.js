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

// Zoom and pan kept in step on both sides: pinch on touch, wheel and drag with a mouse, or the
// buttons. The state is in fractions of the viewport, so both sides show the same part of each
// photo whatever their pixel sizes; the image always covers its viewport.
(function () {
  "use strict";
  var viewports = Array.prototype.slice.call(document.querySelectorAll("[data-zoom-viewport]"));
  if (!viewports.length) return;
  var state = { scale: 1, x: 0, y: 0 };
  var MAX = 8;

  function clamp(value, low, high) { return Math.min(high, Math.max(low, value)); }

  function apply() {
    state.x = clamp(state.x, 1 - state.scale, 0);
    state.y = clamp(state.y, 1 - state.scale, 0);
    var transform = "translate(" + (state.x * 100) + "%, " + (state.y * 100) + "%) scale(" + state.scale + ")";
    viewports.forEach(function (viewport) {
      viewport.querySelector("img").style.transform = transform;
      viewport.dataset.zoom = state.scale.toFixed(2);
    });
  }

  // Zoom by `factor` keeping the point (fx, fy), in fractions of the viewport, where it is.
  function zoom(factor, fx, fy) {
    var scale = clamp(state.scale * factor, 1, MAX);
    var ratio = scale / state.scale;
    state.x = fx - (fx - state.x) * ratio;
    state.y = fy - (fy - state.y) * ratio;
    state.scale = scale;
    apply();
  }

  function fraction(viewport, clientX, clientY) {
    var box = viewport.getBoundingClientRect();
    return { x: (clientX - box.left) / box.width, y: (clientY - box.top) / box.height, box: box };
  }

  viewports.forEach(function (viewport) {
    var pointers = new Map();
    var pinch = null;
    viewport.addEventListener("wheel", function (event) {
      event.preventDefault();
      var at = fraction(viewport, event.clientX, event.clientY);
      zoom(Math.exp(-event.deltaY * 0.0015), at.x, at.y);
    }, { passive: false });
    viewport.addEventListener("pointerdown", function (event) {
      // Keeps the drag when the pointer leaves the photo (refused for a pointer already gone).
      try { viewport.setPointerCapture(event.pointerId); } catch (error) { /* drag stays inside */ }
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    });
    viewport.addEventListener("pointermove", function (event) {
      var last = pointers.get(event.pointerId);
      if (!last) return;
      var box = viewport.getBoundingClientRect();
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (pointers.size === 1) {
        state.x += (event.clientX - last.x) / box.width;
        state.y += (event.clientY - last.y) / box.height;
        apply();
        return;
      }
      var points = Array.from(pointers.values()).slice(0, 2);
      var distance = Math.hypot(points[0].x - points[1].x, points[0].y - points[1].y);
      var mid = fraction(viewport, (points[0].x + points[1].x) / 2, (points[0].y + points[1].y) / 2);
      if (pinch && pinch > 0) zoom(distance / pinch, mid.x, mid.y);
      pinch = distance;
    });
    ["pointerup", "pointercancel"].forEach(function (name) {
      viewport.addEventListener(name, function (event) {
        pointers.delete(event.pointerId);
        pinch = null;
      });
    });
  });

  var button = function (id, handler) {
    var element = document.getElementById(id);
    if (element) element.addEventListener("click", handler);
  };
  button("compare-zoom-in", function () { zoom(1.5, 0.5, 0.5); });
  button("compare-zoom-out", function () { zoom(1 / 1.5, 0.5, 0.5); });
  button("compare-zoom-reset", function () { state = { scale: 1, x: 0, y: 0 }; apply(); });
  button("compare-grid-toggle", function (event) {
    var pair = document.getElementById("compare-pair");
    var on = pair.classList.toggle("show-grid");
    event.currentTarget.setAttribute("aria-pressed", String(on));
  });
  apply();
})();
