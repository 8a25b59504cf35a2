/* Inline org chart: loads /orgs/{slug}/chart.svg into the page, with zoom and pan.
 *
 * The SVG is inlined (not an <img>) so its boxes stay links. Clicking a "+N more" box (a link to
 * another chart.svg) redraws the chart here instead of leaving the page.
 *
 * Refresh after an edit: TeamOrgChart.refreshAll(), or fire "teamorg:design-changed" on the
 * document (an htmx response can send `HX-Trigger: teamorg:design-changed`). The server caches
 * by revision and answers 304 when nothing changed, so a refresh is cheap.
 */
(function () {
  "use strict";
  if (window.TeamOrgChart) return; // the include may appear twice on a page

  var SVG_NS = "http://www.w3.org/2000/svg";
  var charts = [];

  function Chart(section) {
    this.section = section;
    this.form = section.querySelector("[data-chart-options]");
    this.viewport = section.querySelector("[data-chart-viewport]");
    this.status = section.querySelector("[data-chart-status]");
    this.svg = null;
    this.box = null; // current viewBox {x, y, w, h}
    this.home = null;
    this.request = 0;
    this.bind();
    this.load();
  }

  Chart.prototype.params = function () {
    var params = new URLSearchParams();
    ["view", "phase", "depth", "root"].forEach(function (name) {
      var field = this.form.elements[name];
      if (field && field.value) params.set(name, field.value);
    }, this);
    return params;
  };

  Chart.prototype.url = function (base, extra) {
    var params = this.params();
    if (extra) Object.keys(extra).forEach(function (k) { params.set(k, extra[k]); });
    return base + "?" + params.toString();
  };

  Chart.prototype.setStatus = function (text, isError) {
    this.status.textContent = text || "";
    this.status.hidden = !text;
    this.status.classList.toggle("error", !!isError);
  };

  Chart.prototype.load = function () {
    var self = this;
    var ticket = ++this.request;
    var data = this.section.dataset;
    this.form.querySelectorAll("[data-chart-download]").forEach(function (link) {
      var kind = link.getAttribute("data-chart-download");
      link.href = self.url(kind === "svg" ? data.src : data[kind], { download: "1" });
    });
    this.section.querySelector("[data-chart-whole]").hidden = !this.form.elements.root.value;
    if (!this.svg) this.setStatus(this.status.textContent || "…");
    fetch(this.url(data.src), { credentials: "same-origin", headers: { Accept: "image/svg+xml" } })
      .then(function (response) {
        return response.text().then(function (text) { return { ok: response.ok, text: text }; });
      })
      .then(function (result) {
        if (ticket !== self.request) return; // a newer request is on its way
        if (!result.ok) { self.setStatus(result.text, true); return; }
        self.show(result.text);
      })
      .catch(function (error) {
        if (ticket === self.request) self.setStatus(String(error), true);
      });
  };

  Chart.prototype.show = function (text) {
    var doc = new DOMParser().parseFromString(text, "image/svg+xml");
    var svg = doc.documentElement;
    if (!svg || svg.namespaceURI !== SVG_NS || doc.getElementsByTagName("parsererror").length) {
      this.setStatus("?", true);
      return;
    }
    scrub(svg);
    var parts = (svg.getAttribute("viewBox") || "0 0 100 100").split(/[\s,]+/).map(Number);
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    svg = document.importNode(svg, true);
    if (this.svg) this.svg.remove();
    this.viewport.appendChild(svg);
    this.svg = svg;
    this.home = { x: parts[0], y: parts[1], w: parts[2], h: parts[3] };
    this.setBox(this.home);
    this.setStatus("");
  };

  // Defence in depth: the server escapes every label, and the page still drops anything active.
  function scrub(root) {
    root.querySelectorAll("script, foreignObject, iframe, object, embed").forEach(function (el) {
      el.remove();
    });
    root.querySelectorAll("*").forEach(function (el) {
      Array.prototype.slice.call(el.attributes).forEach(function (attr) {
        var name = attr.name.toLowerCase();
        if (name.indexOf("on") === 0) el.removeAttribute(attr.name);
        if ((name === "href" || name === "xlink:href") && attr.value.charAt(0) !== "/") {
          el.removeAttribute(attr.name);
        }
      });
    });
  }

  Chart.prototype.setBox = function (box) {
    this.box = box;
    this.svg.setAttribute("viewBox", [box.x, box.y, box.w, box.h].join(" "));
  };

  // Scale of one screen pixel in SVG units (preserveAspectRatio "meet" uses the larger ratio).
  Chart.prototype.unit = function () {
    var rect = this.viewport.getBoundingClientRect();
    return Math.max(this.box.w / rect.width, this.box.h / rect.height);
  };

  Chart.prototype.zoom = function (factor, clientX, clientY) {
    if (!this.svg) return;
    var rect = this.viewport.getBoundingClientRect();
    var unit = this.unit();
    var cx = clientX === undefined ? rect.width / 2 : clientX - rect.left;
    var cy = clientY === undefined ? rect.height / 2 : clientY - rect.top;
    // The SVG point under the cursor stays under the cursor.
    var offsetX = (rect.width * unit - this.box.w) / 2;
    var offsetY = (rect.height * unit - this.box.h) / 2;
    var px = this.box.x - offsetX + cx * unit;
    var py = this.box.y - offsetY + cy * unit;
    var w = this.box.w / factor, h = this.box.h / factor;
    var minW = this.home.w / 20, maxW = this.home.w * 4;
    if (w < minW || w > maxW) return;
    this.setBox({ x: px - (px - this.box.x) / factor, y: py - (py - this.box.y) / factor, w: w, h: h });
  };

  Chart.prototype.pan = function (dx, dy) {
    var unit = this.unit();
    this.setBox({ x: this.box.x - dx * unit, y: this.box.y - dy * unit, w: this.box.w, h: this.box.h });
  };

  Chart.prototype.bind = function () {
    var self = this, drag = null, moved = false;
    this.form.addEventListener("change", function (event) {
      if (event.target.name === "view") self.form.elements.root.value = "";
      self.load();
    });
    this.form.addEventListener("submit", function (event) { event.preventDefault(); self.load(); });
    this.section.querySelector("[data-chart-whole]").addEventListener("click", function () {
      self.form.elements.root.value = "";
      self.load();
    });
    this.form.querySelectorAll("[data-chart-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.getAttribute("data-chart-zoom");
        if (how === "reset") { if (self.home) self.setBox(self.home); }
        else self.zoom(how === "in" ? 1.25 : 0.8);
      });
    });
    this.viewport.addEventListener("wheel", function (event) {
      if (!event.ctrlKey && !event.metaKey) return; // plain wheel scrolls the page
      event.preventDefault();
      self.zoom(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX, event.clientY);
    }, { passive: false });
    this.viewport.addEventListener("pointerdown", function (event) {
      if (!self.svg || event.button !== 0) return;
      drag = { x: event.clientX, y: event.clientY, id: event.pointerId };
      moved = false;
    });
    this.viewport.addEventListener("pointermove", function (event) {
      if (!drag || event.pointerId !== drag.id) return;
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (!moved && Math.abs(dx) + Math.abs(dy) < 5) return;
      if (!moved) { self.viewport.setPointerCapture(event.pointerId); self.viewport.classList.add("dragging"); }
      moved = true;
      self.pan(dx, dy);
      drag.x = event.clientX;
      drag.y = event.clientY;
    });
    function endDrag() { drag = null; self.viewport.classList.remove("dragging"); }
    this.viewport.addEventListener("pointerup", endDrag);
    this.viewport.addEventListener("pointercancel", endDrag);
    this.viewport.addEventListener("click", function (event) {
      if (moved) { event.preventDefault(); moved = false; return; }
      var link = event.target.closest ? event.target.closest("a") : null;
      if (!link) return;
      var href = link.getAttribute("href") || link.getAttributeNS("http://www.w3.org/1999/xlink", "href");
      if (!href || href.indexOf("/chart.svg") === -1) return;
      // "+N more": draw that part of the organization here.
      event.preventDefault();
      var params = new URL(href, window.location.href).searchParams;
      ["view", "phase", "root", "depth"].forEach(function (name) {
        var field = self.form.elements[name];
        if (field) field.value = params.get(name) || "";
      });
      self.load();
    });
    this.viewport.addEventListener("keydown", function (event) {
      var step = 40;
      var keys = {
        "+": function () { self.zoom(1.25); }, "=": function () { self.zoom(1.25); },
        "-": function () { self.zoom(0.8); }, "0": function () { if (self.home) self.setBox(self.home); },
        ArrowLeft: function () { self.pan(step, 0); }, ArrowRight: function () { self.pan(-step, 0); },
        ArrowUp: function () { self.pan(0, step); }, ArrowDown: function () { self.pan(0, -step); },
      };
      if (self.svg && keys[event.key]) { event.preventDefault(); keys[event.key](); }
    });
  };

  function refreshAll() { charts.forEach(function (chart) { chart.load(); }); }

  function start() {
    document.querySelectorAll("[data-org-chart]").forEach(function (section) {
      if (!section.teamorgChart) { section.teamorgChart = new Chart(section); charts.push(section.teamorgChart); }
    });
  }

  window.TeamOrgChart = { refreshAll: refreshAll, start: start, charts: charts };
  document.addEventListener("teamorg:design-changed", refreshAll);
  document.addEventListener("htmx:afterSettle", start); // a chart swapped in by htmx
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
