// The scar register's face diagram. Placing (register page): a tap on a view fills the form's
// view and x / y (fractions of the drawing) and, with "Place on tap" ticked, places the scar at
// once. Picking (CROSS and punch forms): a tap on a numbered mark ticks or unticks that scar in
// the procedure's list, and the number of scars follows. Everything also works without this
// script: marks are links, and the forms take a region or x / y typed in.
(function () {
  "use strict";
  var WIDTH = 200;
  var SCAR_BOXES = 'input[type=checkbox][name$="-scars"]';
  var HEIGHT = 260;

  function svgPoint(svg, event) {
    var point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    var local = point.matrixTransform(svg.getScreenCTM().inverse());
    return { x: local.x / WIDTH, y: local.y / HEIGHT };
  }

  function clamp(value) {
    return Math.min(1, Math.max(0, Math.round(value * 1000) / 1000));
  }

  function initPlacing(container) {
    var form = document.getElementById("scar-place-form");
    if (!form) return;
    var onTap = document.getElementById("place-on-tap");
    var wrapper = form.querySelector("[data-place-on-tap-wrapper]");
    if (wrapper) wrapper.classList.remove("d-none");
    // While each tap places a scar, marks do not take taps: a finger's tap near a mark would
    // otherwise be snapped onto it by the browser and open that scar instead.
    function mode() {
      container.classList.toggle("placing-on-tap", !!(onTap && onTap.checked));
    }
    if (onTap) onTap.addEventListener("change", mode);
    mode();
    container.querySelectorAll("svg[data-face-view]").forEach(function (svg) {
      svg.classList.add("placing");
      svg.addEventListener("click", function (event) {
        if (event.target.closest(".scar-mark")) return; // a tap on a mark opens that scar
        var p = svgPoint(svg, event);
        form.querySelector("[name=view]").value = svg.dataset.faceView;
        form.querySelector("[name=x]").value = clamp(p.x);
        form.querySelector("[name=y]").value = clamp(p.y);
        var region = form.querySelector("[name=place_region]");
        if (region) region.value = "";
        var pending = svg.querySelector(".pending-mark");
        if (!pending) {
          pending = document.createElementNS("http://www.w3.org/2000/svg", "circle");
          pending.setAttribute("class", "pending-mark");
          pending.setAttribute("r", "5.5");
          pending.setAttribute("fill", "none");
          pending.setAttribute("stroke", "#0d6efd");
          pending.setAttribute("stroke-width", "2");
          svg.appendChild(pending);
        }
        pending.setAttribute("cx", String(clamp(p.x) * WIDTH));
        pending.setAttribute("cy", String(clamp(p.y) * HEIGHT));
        if (onTap && onTap.checked) {
          form.requestSubmit();
        } else {
          form.querySelector("[name=scar_type]").focus();
        }
      });
    });
  }

  function initPicking(card) {
    var boxes = card.querySelectorAll(SCAR_BOXES);
    var count = card.querySelector("input[name$=scars_treated]");
    var regionPick = card.querySelector("select[name$=pick_region]");
    function box(pk) {
      return card.querySelector(SCAR_BOXES + '[value="' + pk + '"]');
    }
    function refresh() {
      var picked = 0;
      card.querySelectorAll(".scar-mark[data-scar]").forEach(function (mark) {
        var b = box(mark.dataset.scar);
        var on = !!(b && b.checked);
        mark.classList.toggle("picked", on);
        mark.setAttribute("aria-checked", on ? "true" : "false");
        var circle = mark.querySelector("circle");
        if (circle) circle.setAttribute("stroke-width", on ? "3" : "1");
      });
      boxes.forEach(function (b) { if (b.checked) picked += 1; });
      if (count && picked) count.value = String(picked);
    }
    card.querySelectorAll(".scar-mark[data-scar]").forEach(function (mark) {
      mark.setAttribute("role", "checkbox");
      mark.setAttribute("tabindex", "0");
      function toggle() {
        var b = box(mark.dataset.scar);
        if (!b) return;
        b.checked = !b.checked;
        refresh();
      }
      mark.addEventListener("click", toggle);
      mark.addEventListener("keydown", function (event) {
        if (event.key === " " || event.key === "Enter") {
          event.preventDefault();
          toggle();
        }
      });
    });
    boxes.forEach(function (b) { b.addEventListener("change", refresh); });
    if (regionPick) {
      regionPick.addEventListener("change", function () {
        card.querySelectorAll(".scar-mark[data-scar]").forEach(function (mark) {
          if (mark.dataset.region === regionPick.value && mark.dataset.type === "ice_pick" &&
              mark.dataset.status === "active") {
            var b = box(mark.dataset.scar);
            if (b) b.checked = true;
          }
        });
        refresh();
      });
    }
    refresh();
  }

  document.querySelectorAll("[data-scar-place]").forEach(initPlacing);
  document.querySelectorAll(".procedure-card").forEach(function (card) {
    if (card.querySelector(SCAR_BOXES)) initPicking(card);
  });
  // Procedure cards added later by session_form.js.
  var procedures = document.getElementById("procedures");
  if (procedures && window.MutationObserver) {
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === 1 && node.classList.contains("procedure-card") &&
              node.querySelector(SCAR_BOXES)) {
            initPicking(node);
          }
        });
      });
    }).observe(procedures, { childList: true });
  }
})();
