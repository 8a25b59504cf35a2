/* Inline org chart: loads /orgs/{slug}/chart.svg into the page, with zoom, pan and fit.
 *
 * The SVG is inlined (not an <img>) so its boxes stay links. Clicking a "+N more" box (a link to
 * another chart.svg) redraws the chart here instead of leaving the page. In the editor
 * (data-node-forms on the section) a click on a role or department box opens that node's form in
 * the editor's panel instead of the role page; elsewhere it follows the link.
 *
 * The view is kept as a scale (screen pixels per SVG unit) and the SVG point at the top-left of
 * the viewport, so resizing the box (the "wide chart" toggle, a rotated phone) keeps the text the
 * same size. The default scale is a readable one (READABLE: 11-unit box text at ~14 px, 9-unit
 * notes at ~11 px), not "fit": a whole chart squeezed into a column is unreadable.
 *
 * The chart's options (view, phase, depth, root) and the wide toggle are read from the page's query
 * string, and written back (history.replaceState) when the user changes them, so a chart can be
 * bookmarked and survives a reload.
 *
 * Refresh after an edit: TeamOrgChart.refreshAll(), or fire "teamorg:design-changed" on the
 * document (an htmx response can send `HX-Trigger: teamorg:design-changed`). The server caches
 * by revision and answers 304 when nothing changed, so a refresh is cheap; it keeps the zoom.
 */
(function () {
  "use strict";
  if (window.TeamOrgChart) return; // the include may appear twice on a page

  var SVG_NS = "http://www.w3.org/2000/svg";
  var XLINK_NS = "http://www.w3.org/1999/xlink";
  var READABLE = 1.25; // screen px per SVG unit at the default zoom
  var LARGEST = 6;
  var OPTIONS = ["view", "phase", "depth", "root"];
  var NODE_LINK = /\/orgs\/[-a-zA-Z0-9_]+\/(roles|departments)\/(\d+)\/$/;
  var charts = [];

  function Chart(section) {
    this.section = section;
    this.form = section.querySelector("[data-chart-options]");
    this.viewport = section.querySelector("[data-chart-viewport]");
    this.status = section.querySelector("[data-chart-status]");
    this.wideButton = section.querySelector("[data-chart-wide]");
    this.layout = section.closest("[data-chart-layout]");
    this.svg = null;
    this.home = null; // the whole chart's viewBox {x, y, w, h}
    this.scale = null; // screen px per SVG unit
    this.origin = null; // SVG point at the viewport's top-left corner
    this.request = 0;
    this.readQuery();
    this.bind();
    this.load(false);
  }

  // --- options and the page's query string ---------------------------------------------------
  Chart.prototype.params = function () {
    var params = new URLSearchParams();
    OPTIONS.forEach(function (name) {
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

  // Options from the address bar; a value the form does not offer is ignored, not trusted.
  Chart.prototype.readQuery = function () {
    var query = new URLSearchParams(window.location.search);
    OPTIONS.forEach(function (name) {
      var field = this.form.elements[name];
      var value = query.get(name);
      if (!field || value === null) return;
      if (field.tagName === "SELECT") {
        var offered = Array.prototype.some.call(field.options, function (o) { return o.value === value; });
        if (offered) field.value = value;
      } else if (/^\d{1,18}$/.test(value)) {
        field.value = value;
      }
    }, this);
    if (this.wideButton) this.setWide(query.get("chart") === "wide");
  };

  Chart.prototype.writeQuery = function () {
    var query = new URLSearchParams(window.location.search);
    var params = this.params();
    OPTIONS.forEach(function (name) {
      if (params.has(name)) query.set(name, params.get(name));
      else query.delete(name);
    });
    if (this.wideButton) {
      if (this.isWide()) query.set("chart", "wide");
      else query.delete("chart");
    }
    var search = query.toString();
    var address = window.location.pathname + (search ? "?" + search : "") + window.location.hash;
    if (address !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, "", address);
    }
    // The language switch returns to this address, chart options included.
    document.querySelectorAll("form.language-switch input[name=next]").forEach(function (field) {
      field.value = window.location.pathname + window.location.search;
    });
  };

  Chart.prototype.isWide = function () {
    return this.section.classList.contains("is-wide");
  };

  Chart.prototype.setWide = function (wide) {
    this.section.classList.toggle("is-wide", wide);
    if (this.layout) this.layout.classList.toggle("chart-wide", wide);
    if (this.wideButton) this.wideButton.setAttribute("aria-pressed", wide ? "true" : "false");
  };

  Chart.prototype.setStatus = function (text, isError) {
    this.status.textContent = text || "";
    this.status.hidden = !text;
    this.status.classList.toggle("error", !!isError);
  };

  // keepView: a refresh of the same chart (after an edit) keeps the zoom and position.
  Chart.prototype.load = function (keepView) {
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
        self.show(result.text, keepView);
      })
      .catch(function (error) {
        if (ticket === self.request) self.setStatus(String(error), true);
      });
  };

  Chart.prototype.show = function (text, keepView) {
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
    // The viewBox always has the viewport's proportions, so "meet" never adds a margin.
    svg.setAttribute("preserveAspectRatio", "xMinYMin meet");
    svg = document.importNode(svg, true);
    if (this.svg) this.svg.remove();
    this.viewport.appendChild(svg);
    this.svg = svg;
    this.home = { x: parts[0], y: parts[1], w: parts[2], h: parts[3] };
    this.makeBoxesFocusable();
    this.setStatus("");
    if (keepView && this.scale) this.apply();
    else this.readable();
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

  function linkHref(link) {
    return link.getAttribute("href") || link.getAttributeNS(XLINK_NS, "href") || "";
  }

  // Graphviz nests a department's header link inside the box's own link to the same page: one
  // tab stop per page a box opens, named by its tooltip (the department's or role's name).
  Chart.prototype.makeBoxesFocusable = function () {
    this.svg.querySelectorAll("a").forEach(function (link) {
      var href = linkHref(link);
      var outer = link.parentNode && link.parentNode.closest ? link.parentNode.closest("a") : null;
      if (!href || (outer && linkHref(outer) === href)) {
        link.setAttribute("tabindex", "-1");
        return;
      }
      link.setAttribute("tabindex", "0");
      link.setAttribute("role", "link");
      var node = NODE_LINK.exec(href.split("?")[0]);
      if (node) link.setAttribute("data-node-link", node[1] + "-" + node[2]); // e.g. "roles-12"
      var title = link.getAttributeNS(XLINK_NS, "title") || link.getAttribute("title");
      if (title) link.setAttribute("aria-label", title);
    });
  };

  // --- zoom and pan -------------------------------------------------------------------------
  Chart.prototype.size = function () {
    var rect = this.viewport.getBoundingClientRect();
    return { left: rect.left, top: rect.top, width: rect.width || 1, height: rect.height || 1 };
  };

  Chart.prototype.apply = function () {
    if (!this.svg || !this.scale) return;
    var size = this.size();
    var box = [this.origin.x, this.origin.y, size.width / this.scale, size.height / this.scale];
    this.svg.setAttribute("viewBox", box.join(" "));
    this.section.dataset.chartScale = this.scale.toFixed(3);
  };

  Chart.prototype.fitScale = function () {
    var size = this.size();
    return Math.min(size.width / this.home.w, size.height / this.home.h);
  };

  // The whole chart, centred.
  Chart.prototype.fit = function () {
    if (!this.svg) return;
    this.scale = this.fitScale();
    this.center();
  };

  Chart.prototype.center = function () {
    var size = this.size();
    this.origin = {
      x: this.home.x - (size.width / this.scale - this.home.w) / 2,
      y: this.home.y - (size.height / this.scale - this.home.h) / 2,
    };
    this.apply();
  };

  // The default: a readable size, the top of the chart, centred on the first box (the top
  // department or role). A chart that fits at that size or larger is shown whole.
  Chart.prototype.readable = function () {
    if (!this.svg) return;
    var fit = this.fitScale();
    if (fit >= READABLE) {
      this.scale = Math.min(fit, READABLE * 1.3);
      this.center();
      return;
    }
    var size = this.size();
    this.scale = READABLE;
    this.origin = { x: this.home.x + (this.home.w - size.width / this.scale) / 2, y: this.home.y };
    this.apply();
    var first = this.svg.querySelector("g.node");
    if (first) {
      var rect = first.getBoundingClientRect();
      this.pan(size.left + size.width / 2 - (rect.left + rect.width / 2), 0);
    }
  };

  Chart.prototype.zoom = function (factor, clientX, clientY) {
    if (!this.svg) return;
    var size = this.size();
    var cx = clientX === undefined ? size.width / 2 : clientX - size.left;
    var cy = clientY === undefined ? size.height / 2 : clientY - size.top;
    var scale = this.scale * factor;
    var smallest = Math.min(this.fitScale(), READABLE) / 2;
    scale = Math.max(smallest, Math.min(LARGEST, scale));
    // The SVG point under the cursor stays under the cursor.
    var px = this.origin.x + cx / this.scale;
    var py = this.origin.y + cy / this.scale;
    this.scale = scale;
    this.origin = { x: px - cx / scale, y: py - cy / scale };
    this.apply();
  };

  Chart.prototype.pan = function (dx, dy) {
    if (!this.svg) return;
    this.origin = { x: this.origin.x - dx / this.scale, y: this.origin.y - dy / this.scale };
    this.apply();
  };

  // A box reached with Tab is brought into view.
  Chart.prototype.reveal = function (element) {
    var size = this.size();
    var rect = element.getBoundingClientRect();
    var inside = rect.left >= size.left && rect.right <= size.left + size.width &&
      rect.top >= size.top && rect.bottom <= size.top + size.height;
    if (!inside) {
      this.pan(size.left + size.width / 2 - (rect.left + rect.width / 2),
        size.top + size.height / 2 - (rect.top + rect.height / 2));
    }
  };

  // --- following a box ------------------------------------------------------------------------
  // In the editor a role or department box opens its form in the panel; a "+N more" box draws
  // that part here; anything else is an ordinary link.
  Chart.prototype.open = function (link, event) {
    var href = linkHref(link);
    if (!href) return;
    if (href.indexOf("/chart.svg") !== -1) {
      if (event) event.preventDefault();
      var params = new URL(href, window.location.href).searchParams;
      OPTIONS.forEach(function (name) {
        var field = this.form.elements[name];
        if (field) field.value = params.get(name) || "";
      }, this);
      this.writeQuery();
      this.load(false);
      return;
    }
    var form = this.nodeFormUrl(href);
    if (form && window.htmx) {
      if (event) event.preventDefault();
      window.htmx.ajax("GET", form, { source: this.section, target: "#role-panel" });
      return;
    }
    if (event && event.type === "click") return; // the browser follows the link
    window.location.assign(href);
  };

  Chart.prototype.nodeFormUrl = function (href) {
    if (!this.section.hasAttribute("data-node-forms")) return "";
    var match = NODE_LINK.exec(href.split("?")[0]);
    if (!match) return "";
    var template = match[1] === "roles" ? this.section.dataset.roleForm : this.section.dataset.departmentForm;
    // The template is a reversed URL for node 0: ".../roles/0/".
    return template ? template.replace(/\/0\/$/, "/" + match[2] + "/") : "";
  };

  Chart.prototype.bind = function () {
    var self = this, drag = null, moved = false;
    this.form.addEventListener("change", function (event) {
      if (event.target.name === "view") self.form.elements.root.value = "";
      self.writeQuery();
      self.load(false);
    });
    this.form.addEventListener("submit", function (event) { event.preventDefault(); self.load(false); });
    this.section.querySelector("[data-chart-whole]").addEventListener("click", function () {
      self.form.elements.root.value = "";
      self.writeQuery();
      self.load(false);
    });
    this.form.querySelectorAll("[data-chart-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.getAttribute("data-chart-zoom");
        if (how === "fit") self.fit();
        else if (how === "readable") self.readable();
        else self.zoom(how === "in" ? 1.25 : 0.8);
      });
    });
    if (this.wideButton) {
      this.wideButton.addEventListener("click", function () {
        self.setWide(!self.isWide());
        self.writeQuery();
        self.apply();
        if (self.isWide()) self.section.scrollIntoView({ block: "nearest" });
      });
    }
    if (window.ResizeObserver) new ResizeObserver(function () { self.apply(); }).observe(this.viewport);
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
      if (link) self.open(link, event);
    });
    this.viewport.addEventListener("focusin", function (event) {
      if (self.svg && event.target !== self.viewport && self.svg.contains(event.target)) self.reveal(event.target);
    });
    this.viewport.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      var link = event.target.closest ? event.target.closest("a") : null;
      if ((event.key === "Enter" || event.key === " ") && link && self.svg && self.svg.contains(link)) {
        event.preventDefault();
        self.open(link, null);
        return;
      }
      var step = 60;
      var keys = {
        "+": function () { self.zoom(1.25); }, "=": function () { self.zoom(1.25); },
        "-": function () { self.zoom(0.8); }, "0": function () { self.fit(); },
        "1": function () { self.readable(); },
        ArrowLeft: function () { self.pan(step, 0); }, ArrowRight: function () { self.pan(-step, 0); },
        ArrowUp: function () { self.pan(0, step); }, ArrowDown: function () { self.pan(0, -step); },
      };
      if (self.svg && keys[event.key]) { event.preventDefault(); keys[event.key](); }
    });
  };

  function refreshAll() { charts.forEach(function (chart) { chart.load(true); }); }

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
