/* Inline org chart: loads /orgs/{slug}/chart.svg into the page, with zoom, pan, fit, a "go to"
 * search and an overview map.
 *
 * The SVG is inlined (not an <img>) so its boxes stay links. Clicking a "+N more" box (a link to
 * another chart.svg) redraws the chart here instead of leaving the page. In the editor
 * (data-node-forms on the section) a click on a role or department box opens that node's form in
 * the editor's panel instead of the role page; elsewhere it follows the link.
 *
 * The view is kept as a scale (screen pixels per SVG unit) and the SVG point at the top-left of
 * the viewport, so resizing the box (the "wide chart" toggle, a rotated phone) keeps the text the
 * same size. The chart opens at max(fit, readable): "readable" is the scale at which the smallest
 * text of a box is at least LEGIBLE_PX on screen (Graphviz's SVG units are points and its box
 * text is 9–11 pt, so about 1.25 px per unit), because a whole chart squeezed into a column is a
 * thin strip nobody can read. "Fit" stays a button (and the 0 key).
 *
 * The chart's options (view, phase, depth, root, orient, span), the wide toggle and the view (zoom=fit,
 * or zoom=<scale>&cx=&cy= the SVG point at the centre) are read from the page's query string and
 * written back (history.replaceState) when the user changes them, so a chart can be bookmarked
 * and survives a reload. The untouched default view writes nothing.
 *
 * Refresh after an edit: TeamOrgChart.refreshAll(), or fire "teamorg:design-changed" on the
 * document (an htmx response can send `HX-Trigger: teamorg:design-changed`). The server caches
 * by revision and answers 304 when nothing changed, so a refresh is cheap; it keeps the view.
 * When the event's detail lists the design's phases ({phases: [{id, name}, …]}, as the editor's
 * answers do: roles/editor/responses.py), the phase menu offers those first: a write can delete
 * phases (an import undone) or add them (an import redone), and a refresh must not ask for a
 * phase that is gone (the server answers 400). A chosen phase that is gone falls back to the
 * menu's default, the first phase, in the address too.
 */
(function () {
  "use strict";
  if (window.TeamOrgChart) return; // the include may appear twice on a page

  var SVG_NS = "http://www.w3.org/2000/svg";
  var XLINK_NS = "http://www.w3.org/1999/xlink";
  var LEGIBLE_PX = 11; // the smallest text of a box on screen at the default zoom
  var READABLE = 1.25; // screen px per SVG unit at least, even if every text were larger
  var LARGEST = 6;
  var STEP = 1.25; // one press of + or −
  var OPTIONS = ["view", "phase", "depth", "root", "orient", "span"];
  var ORIENTS = ["tb", "lr"];
  var VIEW_PARAMS = ["zoom", "cx", "cy"];
  var NODE_LINK = /\/orgs\/[-a-zA-Z0-9_]+\/(roles|departments)\/(\d+)\/$/;
  var HIGHLIGHT_MS = 2500;
  var charts = [];
  var counter = 0;

  function Chart(section) {
    this.section = section;
    this.form = section.querySelector("[data-chart-options]");
    this.viewport = section.querySelector("[data-chart-viewport]");
    this.status = section.querySelector("[data-chart-status]");
    this.wideButton = section.querySelector("[data-chart-wide]");
    this.orientButton = section.querySelector("[data-chart-orient]");
    this.finder = section.querySelector("[data-chart-find]");
    this.map = section.querySelector("[data-chart-map]");
    this.mapButton = section.querySelector("[data-chart-map-toggle]");
    this.layout = section.closest("[data-chart-layout]");
    this.svg = null;
    this.home = null; // the whole chart's viewBox {x, y, w, h}
    this.scale = null; // screen px per SVG unit
    this.origin = null; // SVG point at the viewport's top-left corner
    // "readable" (the default, not in the address), "fit", or "free" (zoomed or moved by hand).
    this.mode = "readable";
    this.wanted = null; // the view asked for by the address, used once the chart is drawn
    this.request = 0;
    this.writeTimer = null;
    this.found = { query: "", index: -1 };
    this.id = ++counter;
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
      } else if (name === "orient") {
        if (ORIENTS.indexOf(value) !== -1) field.value = value;
      } else if (/^\d{1,18}$/.test(value)) {
        field.value = value;
      }
    }, this);
    this.showOrient();
    if (this.wideButton) this.setWide(query.get("chart") === "wide");
    var zoom = query.get("zoom");
    if (zoom === "fit") {
      this.mode = "fit";
    } else if (zoom !== null) {
      var wanted = { scale: Number(zoom), x: Number(query.get("cx")), y: Number(query.get("cy")) };
      var valid = [wanted.scale, wanted.x, wanted.y].every(function (n) { return isFinite(n); });
      if (valid && wanted.scale > 0 && query.get("cx") !== null && query.get("cy") !== null) {
        this.wanted = wanted;
        this.mode = "free";
      }
    }
  };

  Chart.prototype.writeQuery = function () {
    window.clearTimeout(this.writeTimer);
    this.writeTimer = null;
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
    VIEW_PARAMS.forEach(function (name) { query.delete(name); });
    if (this.mode === "fit") {
      query.set("zoom", "fit");
    } else if (this.mode === "free" && this.scale) {
      var centre = this.centre();
      query.set("zoom", this.scale.toFixed(3));
      query.set("cx", centre.x.toFixed(1));
      query.set("cy", centre.y.toFixed(1));
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

  // Panning sends many events a second; the address follows once the movement pauses.
  Chart.prototype.writeQuerySoon = function () {
    var self = this;
    window.clearTimeout(this.writeTimer);
    this.writeTimer = window.setTimeout(function () { self.writeQuery(); }, 250);
  };

  Chart.prototype.isWide = function () {
    return this.section.classList.contains("is-wide");
  };

  Chart.prototype.setWide = function (wide) {
    this.section.classList.toggle("is-wide", wide);
    if (this.layout) this.layout.classList.toggle("chart-wide", wide);
    if (this.wideButton) this.wideButton.setAttribute("aria-pressed", wide ? "true" : "false");
  };

  // The button names the direction it switches to; its title says what it does.
  Chart.prototype.showOrient = function () {
    if (!this.orientButton) return;
    var across = this.form.elements.orient.value === "lr";
    var data = this.orientButton.dataset;
    this.orientButton.textContent = across ? data.labelTb : data.labelLr;
    this.orientButton.title = across ? data.titleTb : data.titleLr;
  };

  // The phase menu offers `phases` ([{id, name}] in order, named as the server renders them),
  // keeping the chosen phase while it exists; otherwise the first phase is chosen, as on a
  // fresh page. The address follows: it never keeps a phase the menu no longer offers.
  Chart.prototype.setPhases = function (phases) {
    var field = this.form.elements.phase;
    if (!field || !Array.isArray(phases)) return;
    var chosen = field.value;
    var same = field.options.length === phases.length && phases.every(function (phase, index) {
      var option = field.options[index];
      return option.value === String(phase.id) && option.textContent === String(phase.name);
    });
    if (!same) {
      field.textContent = "";
      phases.forEach(function (phase) {
        var option = document.createElement("option");
        option.value = String(phase.id);
        option.textContent = String(phase.name);
        field.appendChild(option);
      });
    }
    var kept = phases.some(function (phase) { return String(phase.id) === chosen; });
    if (kept) field.value = chosen;
    else if (field.options.length) field.selectedIndex = 0;
    var named = new URLSearchParams(window.location.search).get("phase");
    if (named !== null && named !== field.value) this.writeQuery();
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
      var extra = { download: "1" };
      if (link.dataset.full) extra.full = "1"; // the whole chart, not only the levels that fit
      if (link.dataset.paper) extra.paper = link.dataset.paper; // the print on pages
      link.href = self.url(kind === "svg" ? data.src : data[kind], extra);
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
    this.home = { x: parts[0], y: parts[1], w: parts[2] || 1, h: parts[3] || 1 };
    this.readableScale = readableScale(svg);
    this.makeBoxesFocusable();
    this.indexBoxes();
    this.drawMap();
    this.setStatus("");
    if (keepView && this.scale) this.apply();
    else if (this.wanted) this.restore(this.wanted);
    else if (this.mode === "fit") this.fit();
    else this.readable();
    this.wanted = null;
  };

  // The scale at which the smallest text of any box is LEGIBLE_PX on screen.
  function readableScale(svg) {
    var smallest = Infinity;
    svg.querySelectorAll("g.node text[font-size]").forEach(function (text) {
      var size = parseFloat(text.getAttribute("font-size"));
      if (size > 0 && size < smallest) smallest = size;
    });
    return isFinite(smallest) ? Math.max(READABLE, LEGIBLE_PX / smallest) : READABLE;
  }

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

  // The SVG point at the centre of the viewport.
  Chart.prototype.centre = function () {
    var size = this.size();
    return { x: this.origin.x + size.width / 2 / this.scale, y: this.origin.y + size.height / 2 / this.scale };
  };

  Chart.prototype.centreOn = function (x, y) {
    var size = this.size();
    this.origin = { x: x - size.width / 2 / this.scale, y: y - size.height / 2 / this.scale };
    this.apply();
  };

  Chart.prototype.apply = function () {
    if (!this.svg || !this.scale) return;
    var size = this.size();
    // The centre of the view stays on the chart: a chart cannot be dragged out of sight.
    var half = { x: size.width / 2 / this.scale, y: size.height / 2 / this.scale };
    var cx = Math.min(this.home.x + this.home.w, Math.max(this.home.x, this.origin.x + half.x));
    var cy = Math.min(this.home.y + this.home.h, Math.max(this.home.y, this.origin.y + half.y));
    this.origin = { x: cx - half.x, y: cy - half.y };
    var box = [this.origin.x, this.origin.y, size.width / this.scale, size.height / this.scale];
    this.svg.setAttribute("viewBox", box.join(" "));
    this.section.dataset.chartScale = this.scale.toFixed(3);
    this.section.dataset.chartMode = this.mode;
    this.lastSize = size;
    this.showMapView();
  };

  Chart.prototype.fitScale = function () {
    var size = this.size();
    return Math.min(size.width / this.home.w, size.height / this.home.h);
  };

  Chart.prototype.smallest = function () {
    return Math.min(this.fitScale(), this.readableScale) / 2;
  };

  // The whole chart, centred.
  Chart.prototype.fit = function () {
    if (!this.svg) return;
    this.mode = "fit";
    this.scale = this.fitScale();
    this.centreOn(this.home.x + this.home.w / 2, this.home.y + this.home.h / 2);
  };

  // The default: max(fit, readable), the top of the chart, centred on the first box (the top
  // department or role). A chart that fits at a readable size or larger is shown whole.
  Chart.prototype.readable = function () {
    if (!this.svg) return;
    this.mode = "readable";
    var fit = this.fitScale();
    if (fit >= this.readableScale) {
      this.scale = Math.min(fit, this.readableScale * 1.3);
      this.centreOn(this.home.x + this.home.w / 2, this.home.y + this.home.h / 2);
      return;
    }
    var size = this.size();
    this.scale = this.readableScale;
    this.origin = { x: this.home.x + (this.home.w - size.width / this.scale) / 2, y: this.home.y };
    this.apply();
    var first = this.svg.querySelector("g.node");
    if (first) {
      var rect = first.getBoundingClientRect();
      // The title and the legend sit above the boxes; when they would push the first box into
      // the lower part of the view, the view starts just above that box instead.
      var dy = rect.bottom > size.top + size.height * 0.6 ? size.top + 24 - rect.top : 0;
      this.move(size.left + size.width / 2 - (rect.left + rect.width / 2), dy);
    }
  };

  // The view the address asked for, within the limits a user could reach by hand.
  Chart.prototype.restore = function (wanted) {
    this.mode = "free";
    this.scale = Math.max(this.smallest(), Math.min(LARGEST, wanted.scale));
    this.centreOn(wanted.x, wanted.y);
  };

  Chart.prototype.zoom = function (factor, clientX, clientY) {
    if (!this.svg) return;
    var size = this.size();
    var cx = clientX === undefined ? size.width / 2 : clientX - size.left;
    var cy = clientY === undefined ? size.height / 2 : clientY - size.top;
    var scale = Math.max(this.smallest(), Math.min(LARGEST, this.scale * factor));
    // The SVG point under the cursor stays under the cursor.
    var px = this.origin.x + cx / this.scale;
    var py = this.origin.y + cy / this.scale;
    this.scale = scale;
    this.origin = { x: px - cx / scale, y: py - cy / scale };
    this.mode = "free";
    this.apply();
    this.writeQuerySoon();
  };

  // Moves the drawing by screen pixels without changing the mode (the default view uses it).
  Chart.prototype.move = function (dx, dy) {
    this.origin = { x: this.origin.x - dx / this.scale, y: this.origin.y - dy / this.scale };
    this.apply();
  };

  Chart.prototype.pan = function (dx, dy) {
    if (!this.svg) return;
    this.mode = "free";
    this.move(dx, dy);
    this.writeQuerySoon();
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

  // --- "go to": find a box by its role or department name -------------------------------------
  function normal(text) {
    return (text || "").normalize("NFKC").trim().toLowerCase();
  }

  // The boxes a search can reach (every role and department link, in chart order) and the list
  // of their names the search field offers.
  Chart.prototype.indexBoxes = function () {
    this.boxes = [];
    this.found = { query: "", index: -1 };
    if (!this.finder) return;
    var names = [];
    this.svg.querySelectorAll("a[data-node-link][aria-label]").forEach(function (link) {
      var name = link.getAttribute("aria-label");
      this.boxes.push({ name: name, key: normal(name), link: link });
      if (names.indexOf(name) === -1) names.push(name);
    }, this);
    var list = this.finder.querySelector("datalist");
    list.textContent = "";
    names.forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      list.appendChild(option);
    });
    this.say("");
  };

  Chart.prototype.say = function (text) {
    var output = this.finder && this.finder.querySelector("[data-chart-find-result]");
    if (output) output.textContent = text;
  };

  // Exact names first, then names containing the text. The same search again goes to the next
  // box with that name.
  Chart.prototype.find = function (text) {
    if (!this.svg || !this.finder) return;
    var key = normal(text);
    var messages = this.finder.dataset;
    if (!key) { this.say(messages.msgEmpty); return; }
    var matches = this.boxes.filter(function (box) { return box.key === key; });
    if (!matches.length) matches = this.boxes.filter(function (box) { return box.key.indexOf(key) !== -1; });
    if (!matches.length) {
      this.say(messages.msgNone.replace("%(name)s", text.trim()));
      return;
    }
    var index = this.found.query === key ? (this.found.index + 1) % matches.length : 0;
    this.found = { query: key, index: index };
    var box = matches[index];
    this.goTo(box.link);
    var said = messages.msgFound.replace("%(name)s", box.name);
    if (matches.length > 1) {
      said += " " + messages.msgCount.replace("%(n)s", index + 1).replace("%(count)s", matches.length);
    }
    this.say(said);
  };

  // Centre a box at a readable size at least, and outline it for a moment.
  Chart.prototype.goTo = function (link) {
    if (this.scale < this.readableScale) this.scale = this.readableScale;
    this.apply();
    // The box's centre in the viewBox's units, from where it is on screen now (its own getBBox
    // is in the drawing group's units, which Graphviz shifts with a transform).
    var size = this.size();
    var rect = link.getBoundingClientRect();
    this.mode = "free";
    this.centreOn(this.origin.x + (rect.left + rect.width / 2 - size.left) / this.scale,
      this.origin.y + (rect.top + rect.height / 2 - size.top) / this.scale);
    this.writeQuery();
    this.highlight(link.getBBox());
  };

  // `box` is in the link's own units: the outline goes into the same group as the link.
  Chart.prototype.highlight = function (box) {
    var graph = this.svg.querySelector("g.graph") || this.svg;
    var old = this.svg.querySelector(".org-chart-found");
    if (old) old.remove();
    var rect = document.createElementNS(SVG_NS, "rect");
    var pad = 3;
    rect.setAttribute("class", "org-chart-found");
    rect.setAttribute("x", box.x - pad);
    rect.setAttribute("y", box.y - pad);
    rect.setAttribute("width", box.width + 2 * pad);
    rect.setAttribute("height", box.height + 2 * pad);
    rect.setAttribute("rx", 4);
    graph.appendChild(rect);
    window.setTimeout(function () { rect.remove(); }, HIGHLIGHT_MS);
  };

  // --- the overview map: the whole chart small, the visible part outlined ---------------------
  Chart.prototype.drawMap = function () {
    if (!this.map) return;
    this.map.textContent = "";
    var copy = this.svg.cloneNode(true);
    // A picture only: no ids twice on the page, nothing to tab to or follow.
    copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    copy.querySelectorAll("a").forEach(function (link) {
      link.removeAttribute("href");
      link.removeAttributeNS(XLINK_NS, "href");
      link.removeAttribute("tabindex");
      link.removeAttribute("role");
      link.removeAttribute("aria-label");
    });
    copy.setAttribute("viewBox", [this.home.x, this.home.y, this.home.w, this.home.h].join(" "));
    copy.setAttribute("preserveAspectRatio", "none");
    copy.setAttribute("focusable", "false");
    this.mapView = document.createElementNS(SVG_NS, "rect");
    this.mapView.setAttribute("class", "org-chart-map-view");
    this.mapView.setAttribute("vector-effect", "non-scaling-stroke");
    copy.appendChild(this.mapView);
    this.map.appendChild(copy);
    this.mapSvg = copy;
  };

  // The map is shown when part of the chart is out of view and the user has not turned it off.
  Chart.prototype.showMapView = function () {
    if (!this.map || !this.mapView) return;
    var size = this.size();
    var seen = { w: size.width / this.scale, h: size.height / this.scale };
    var whole = seen.w >= this.home.w - 0.5 && seen.h >= this.home.h - 0.5;
    var wanted = !this.mapButton || this.mapButton.getAttribute("aria-pressed") === "true";
    this.map.hidden = whole || !wanted;
    if (this.map.hidden) return;
    // At most a third of the viewport's width and a quarter of its height, the chart's shape.
    var room = { w: Math.min(200, size.width / 3), h: Math.min(140, size.height / 4) };
    var ratio = Math.min(room.w / this.home.w, room.h / this.home.h);
    this.map.style.width = Math.max(24, this.home.w * ratio) + "px";
    this.map.style.height = Math.max(16, this.home.h * ratio) + "px";
    this.mapView.setAttribute("x", this.origin.x);
    this.mapView.setAttribute("y", this.origin.y);
    this.mapView.setAttribute("width", seen.w);
    this.mapView.setAttribute("height", seen.h);
  };

  Chart.prototype.mapPoint = function (event) {
    var rect = this.map.getBoundingClientRect();
    return {
      x: this.home.x + (event.clientX - rect.left) / (rect.width || 1) * this.home.w,
      y: this.home.y + (event.clientY - rect.top) / (rect.height || 1) * this.home.h,
    };
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
        // A link that says nothing of the direction keeps the one the user chose.
        if (field && (name !== "orient" || params.has(name))) field.value = params.get(name) || "";
      }, this);
      this.showOrient();
      this.newChart();
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

  // Another chart (view, phase, depth, part or direction): "fit" stays chosen, a hand-made zoom
  // and position belong to the old drawing.
  Chart.prototype.newChart = function () {
    if (this.mode === "free") this.mode = "readable";
    this.wanted = null;
    this.writeQuery();
    this.load(false);
  };

  Chart.prototype.bind = function () {
    var self = this, pointers = {}, moved = false, pinch = null;
    this.form.addEventListener("change", function (event) {
      if (event.target.name === "view") self.form.elements.root.value = "";
      self.newChart();
    });
    this.form.addEventListener("submit", function (event) { event.preventDefault(); self.load(false); });
    this.section.querySelector("[data-chart-whole]").addEventListener("click", function () {
      self.form.elements.root.value = "";
      self.newChart();
    });
    this.form.querySelectorAll("[data-chart-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.getAttribute("data-chart-zoom");
        if (how === "fit") self.fit();
        else if (how === "readable") self.readable();
        else { self.zoom(how === "in" ? STEP : 1 / STEP); return; }
        self.writeQuery();
      });
    });
    if (this.orientButton) {
      this.orientButton.addEventListener("click", function () {
        var field = self.form.elements.orient;
        field.value = field.value === "lr" ? "tb" : "lr";
        self.showOrient();
        self.newChart();
      });
    }
    if (this.wideButton) {
      this.wideButton.addEventListener("click", function () {
        self.setWide(!self.isWide());
        self.writeQuery();
        self.resized();
        if (self.isWide()) self.section.scrollIntoView({ block: "nearest" });
      });
    }
    if (this.mapButton) {
      this.mapButton.setAttribute("aria-pressed", window.innerWidth >= 600 ? "true" : "false");
      this.mapButton.addEventListener("click", function () {
        var on = self.mapButton.getAttribute("aria-pressed") !== "true";
        self.mapButton.setAttribute("aria-pressed", on ? "true" : "false");
        self.showMapView();
      });
    }
    if (this.finder) {
      var list = this.finder.querySelector("datalist");
      var field = this.finder.querySelector("input");
      list.id = "org-chart-names-" + this.id;
      field.setAttribute("list", list.id);
      this.finder.addEventListener("submit", function (event) {
        event.preventDefault();
        self.find(field.value);
      });
      // Picking a name from the list (not typing a letter) goes there at once.
      field.addEventListener("input", function (event) {
        if (event.inputType && event.inputType !== "insertReplacementText") return;
        var key = normal(field.value);
        if (key && self.boxes && self.boxes.some(function (box) { return box.key === key; })) self.find(field.value);
      });
    }
    if (this.map) {
      var mapDrag = null;
      this.map.addEventListener("pointerdown", function (event) {
        if (event.button !== 0) return;
        event.stopPropagation();
        event.preventDefault();
        mapDrag = event.pointerId;
        self.map.setPointerCapture(event.pointerId);
        var point = self.mapPoint(event);
        self.mode = "free";
        self.centreOn(point.x, point.y);
      });
      this.map.addEventListener("pointermove", function (event) {
        if (mapDrag !== event.pointerId) return;
        var point = self.mapPoint(event);
        self.centreOn(point.x, point.y);
      });
      var endMapDrag = function () {
        if (mapDrag === null) return;
        mapDrag = null;
        self.writeQuery();
      };
      this.map.addEventListener("pointerup", endMapDrag);
      this.map.addEventListener("pointercancel", endMapDrag);
    }
    if (window.ResizeObserver) new ResizeObserver(function () { self.resized(); }).observe(this.viewport);

    // Ctrl (or ⌘) + wheel, and a touchpad pinch, zoom. A plain wheel moves the chart once the
    // chart has focus (a click or Tab into it); before that it scrolls the page as usual.
    this.viewport.addEventListener("wheel", function (event) {
      if (!self.svg) return;
      var unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? self.size().height : 1;
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        self.zoom(Math.pow(1.0015, -event.deltaY * unit), event.clientX, event.clientY);
        return;
      }
      if (!self.viewport.contains(document.activeElement)) return;
      event.preventDefault();
      var dx = event.deltaX * unit, dy = event.deltaY * unit;
      if (event.shiftKey && !dx) { dx = dy; dy = 0; }
      self.pan(-dx, -dy);
    }, { passive: false });

    // One pointer drags; two (fingers) pinch and move.
    function spread() {
      var ids = Object.keys(pointers);
      var a = pointers[ids[0]], b = pointers[ids[1]];
      return { distance: Math.hypot(a.x - b.x, a.y - b.y) || 1, x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    }
    this.viewport.addEventListener("pointerdown", function (event) {
      if (!self.svg) return;
      if (event.pointerType === "mouse") {
        if (event.button !== 0) return;
        pointers = {}; // a press released outside the chart left nothing to undo
      }
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      moved = false;
      if (Object.keys(pointers).length === 2) {
        pinch = spread();
        Object.keys(pointers).forEach(function (id) { self.viewport.setPointerCapture(Number(id)); });
      }
    });
    this.viewport.addEventListener("pointermove", function (event) {
      var pointer = pointers[event.pointerId];
      if (!pointer) return;
      var count = Object.keys(pointers).length;
      if (count === 2 && pinch) {
        pointer.x = event.clientX;
        pointer.y = event.clientY;
        var now = spread();
        moved = true;
        self.move(now.x - pinch.x, now.y - pinch.y);
        self.zoom(now.distance / pinch.distance, now.x, now.y);
        pinch = now;
        return;
      }
      if (count !== 1) return;
      var dx = event.clientX - pointer.x, dy = event.clientY - pointer.y;
      if (!moved && Math.abs(dx) + Math.abs(dy) < 5) return;
      if (!moved) { self.viewport.setPointerCapture(event.pointerId); self.viewport.classList.add("dragging"); }
      moved = true;
      self.pan(dx, dy);
      pointer.x = event.clientX;
      pointer.y = event.clientY;
    });
    function endPointer(event) {
      delete pointers[event.pointerId];
      if (Object.keys(pointers).length < 2) pinch = null;
      if (!Object.keys(pointers).length) self.viewport.classList.remove("dragging");
    }
    this.viewport.addEventListener("pointerup", endPointer);
    this.viewport.addEventListener("pointercancel", endPointer);
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
        "+": function () { self.zoom(STEP); }, "=": function () { self.zoom(STEP); },
        "-": function () { self.zoom(1 / STEP); }, "0": function () { self.fit(); self.writeQuery(); },
        "1": function () { self.readable(); self.writeQuery(); },
        ArrowLeft: function () { self.pan(step, 0); }, ArrowRight: function () { self.pan(-step, 0); },
        ArrowUp: function () { self.pan(0, step); }, ArrowDown: function () { self.pan(0, -step); },
      };
      if (self.svg && keys[event.key]) { event.preventDefault(); keys[event.key](); }
    });
  };

  // "Fit" follows the viewport's size; any other view keeps its scale (the text stays the size
  // it was) and its centre.
  Chart.prototype.resized = function () {
    if (!this.svg || !this.scale) return;
    if (this.mode === "fit") { this.fit(); return; }
    if (this.lastSize) {
      var size = this.size();
      this.origin = {
        x: this.origin.x + (this.lastSize.width - size.width) / 2 / this.scale,
        y: this.origin.y + (this.lastSize.height - size.height) / 2 / this.scale,
      };
    }
    this.apply();
  };

  // After an edit: the phase menu first (from the event, when it says), then the chart.
  function refreshAll(event) {
    var phases = event && event.detail ? event.detail.phases : null;
    charts.forEach(function (chart) {
      chart.setPhases(phases);
      chart.load(true);
    });
  }

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
