/* The org-chart editor: revision bookkeeping, drag and drop, inline forms and ordered lines.
 *
 * Every write is an htmx form post that says which revision its values were read at: a form
 * sends the revision it was rendered at (its hidden field: what the user saw of the things it
 * changes), anything else the page's (data-revision on #editor). The server refuses a write
 * only when it changes a field someone else changed since then. Each successful write answers
 * with HX-Trigger "teamorg:design-changed" {revision, phases}, which updates the page's revision
 * (and the chart's phase menu, then the chart, see static/charts/chart.js). Requests are queued
 * (hx-sync on #editor), so a second write leaves only after the first one's revision is known.
 * Every request carries the tab's random id: the tab's own earlier writes are never a conflict
 * for it, and the same person in another tab is told it was them.
 */
(function () {
  "use strict";
  var editor = document.getElementById("editor");
  if (!editor) return;

  var lastOpener = null; // the button that opened the inline form now showing
  var dragged = null; // {kind, id, node}

  function closest(el, selector) {
    return el && el.closest ? el.closest(selector) : null;
  }

  // --- revision and results ---------------------------------------------------------------
  var tab =
    window.crypto && window.crypto.randomUUID
      ? window.crypto.randomUUID()
      : Date.now().toString(36) + Math.random().toString(36).slice(2);

  // What the user has open that the server would not show by default (outline nodes opened or
  // closed, the head-count grid's page and department), sent with every request so that the
  // redraw after a write keeps it (roles/editor/outlines.py, outline_view).
  function viewState() {
    var parts = [];
    editor.querySelectorAll("[data-toggle]").forEach(function (toggle) {
      var open = toggle.getAttribute("aria-expanded") === "true";
      var byDefault = toggle.dataset.default === "expanded";
      if (open === byDefault) return;
      var node = closest(toggle, "[data-node]");
      if (!node) return;
      var key = node.dataset.kind + "-" + node.dataset.node;
      parts.push((open ? "expanded=" : "collapsed=") + encodeURIComponent(key));
    });
    var grid = editor.querySelector("[data-grid-state]");
    if (grid) {
      if (grid.dataset.department) parts.push("hc_department=" + encodeURIComponent(grid.dataset.department));
      if (grid.dataset.page) parts.push("hc_page=" + encodeURIComponent(grid.dataset.page));
    }
    return parts.join("&");
  }

  document.addEventListener("htmx:configRequest", function (event) {
    if (!editor.contains(event.detail.elt)) return;
    event.detail.headers["X-TeamOrg-Client"] = tab;
    event.detail.headers["X-TeamOrg-View"] = viewState();
    if (event.detail.verb === "get") return;
    if (!event.detail.parameters.revision) {
      event.detail.parameters.revision = editor.dataset.revision;
    }
  });

  // A form refused for an edit conflict keeps what the user typed; it moves on to the revision
  // the conflict was found at, so sending it again keeps their value on purpose.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || xhr.status !== 409 || !editor.contains(event.detail.elt)) return;
    var revision = xhr.getResponseHeader("X-TeamOrg-Conflict-Revision");
    var form = closest(event.detail.elt, "form");
    if (revision && form && form.elements.revision) form.elements.revision.value = revision;
  });

  document.addEventListener("teamorg:design-changed", function (event) {
    var detail = event.detail || {};
    if (detail.revision) editor.dataset.revision = String(detail.revision);
  });

  document.addEventListener("teamorg:focus", function (event) {
    var id = event.detail && event.detail.id;
    var node = id ? document.getElementById(id) : null;
    var name = node ? node.querySelector(".node-name") : null;
    if (name) name.focus();
  });

  function showAlert(text) {
    var alert = document.getElementById("editor-alert");
    alert.textContent = "";
    var box = document.createElement("div");
    box.className = "alert-box";
    var p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
    alert.appendChild(box);
  }

  document.addEventListener("htmx:responseError", function (event) {
    if (!editor.contains(event.detail.elt)) return;
    // A wait for the database that ran out (teamorg/busy.py) says so, and that to try again.
    var xhr = event.detail.xhr;
    var busy = xhr && xhr.status === 503 && xhr.getResponseHeader("X-TeamOrg-Busy");
    showAlert(busy ? xhr.responseText : editor.dataset.msgFailed);
  });
  document.addEventListener("htmx:sendError", function (event) {
    if (editor.contains(event.detail.elt)) showAlert(editor.dataset.msgOffline);
  });

  // While another form is loading into the panel, the one still showing is inert: what the
  // user types there would be lost with it (htmx even moves the focus into the new form's field
  // of the same id, so the rest of the typing would land there without its first characters).
  function panelLoading(event) {
    var target = event.detail.target;
    return target && target.id === "role-panel" && event.detail.requestConfig.verb === "get";
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!panelLoading(event)) return;
    event.detail.target.inert = true;
    event.detail.target.setAttribute("aria-busy", "true");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!panelLoading(event)) return;
    event.detail.target.inert = false;
    event.detail.target.removeAttribute("aria-busy");
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "role-panel" && event.detail.requestConfig.verb === "get") {
      target.scrollIntoView({ block: "start" });
      var heading = target.querySelector("#role-panel-title");
      if (heading) heading.focus({ preventScroll: true });
    }
  });

  // --- undo and redo from the keyboard ------------------------------------------------------
  // Ctrl+Z undoes the last change to the design, Ctrl+Shift+Z or Ctrl+Y redoes (Cmd on a
  // Mac), except while the focus is in something that edits text: there the browser's own
  // undo of the typing must keep working.
  function editsText(el) {
    if (!el || !el.tagName) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select";
  }
  document.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    var key = (event.key || "").toLowerCase();
    var redo = key === "y" || (key === "z" && event.shiftKey);
    if (key !== "z" && key !== "y") return;
    if (editsText(event.target)) return;
    event.preventDefault(); // nothing else on the page has a Ctrl+Z of its own
    var button = document.querySelector(redo ? "#undo-bar [data-redo]" : "#undo-bar [data-undo]");
    if (!button || button.disabled) return;
    // The bar is swapped in again after every change; make sure htmx has bound this copy
    // before clicking it (a click in between would do nothing).
    htmx.process(button);
    button.click();
  });

  // --- inline forms: open, cancel, dismiss -------------------------------------------------
  editor.addEventListener("click", function (event) {
    var opener = closest(event.target, "[data-opens-slot]");
    if (opener) lastOpener = opener;
    if (closest(event.target, "[data-cancel]")) {
      var slot = closest(event.target, "[data-slot]");
      if (slot) slot.textContent = "";
      if (lastOpener && document.contains(lastOpener)) lastOpener.focus();
    }
    if (closest(event.target, "[data-dismiss-alert]")) {
      document.getElementById("editor-alert").textContent = "";
    }
    if (closest(event.target, "[data-close-role]")) {
      var panel = document.getElementById("role-panel");
      var placeholder = document.getElementById("role-placeholder");
      panel.textContent = "";
      if (placeholder) panel.appendChild(placeholder.content.cloneNode(true));
    }
  });

  editor.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var slot = closest(event.target, "[data-slot]");
    if (!slot) return;
    slot.textContent = "";
    if (lastOpener && document.contains(lastOpener)) lastOpener.focus();
  });

  // --- drag and drop ------------------------------------------------------------------------
  function position(row, event) {
    if (row.hasAttribute("data-drop-root")) return "last-child";
    var rect = row.getBoundingClientRect();
    var y = (event.clientY - rect.top) / rect.height;
    if (y < 0.25) return "left";
    if (y > 0.75) return "right";
    return "last-child";
  }

  function clearMarks() {
    editor.querySelectorAll(".drop-before, .drop-after, .drop-inside").forEach(function (el) {
      el.classList.remove("drop-before", "drop-after", "drop-inside");
    });
  }

  editor.addEventListener("dragstart", function (event) {
    var row = closest(event.target, "[data-drag]");
    if (!row) return;
    var node = closest(row, "[data-node]");
    dragged = { kind: node.dataset.kind, id: node.dataset.node, node: node };
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.kind + ":" + dragged.id);
    node.classList.add("is-dragging");
  });

  editor.addEventListener("dragend", function () {
    if (dragged) dragged.node.classList.remove("is-dragging");
    dragged = null;
    clearMarks();
  });

  function dropTarget(event) {
    var row = closest(event.target, "[data-drop]");
    if (!row || !dragged || row.dataset.kind !== dragged.kind) return null;
    if (closest(row, "[data-node]") === dragged.node) return null; // onto itself: nothing to do
    return row;
  }

  editor.addEventListener("dragover", function (event) {
    var row = dropTarget(event);
    if (!row) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    clearMarks();
    var where = position(row, event);
    row.classList.add(where === "left" ? "drop-before" : where === "right" ? "drop-after" : "drop-inside");
  });

  editor.addEventListener("dragleave", function (event) {
    var row = closest(event.target, "[data-drop]");
    if (row && !row.contains(event.relatedTarget)) row.classList.remove("drop-before", "drop-after", "drop-inside");
  });

  editor.addEventListener("drop", function (event) {
    var row = dropTarget(event);
    if (!row) return;
    event.preventDefault();
    var form = document.getElementById("dnd-move-form");
    var target = row.hasAttribute("data-drop-root") ? "" : closest(row, "[data-node]").dataset.node;
    form.elements.kind.value = dragged.kind;
    form.elements.node.value = dragged.id;
    form.elements.target.value = target;
    form.elements.position.value = position(row, event);
    form.elements.revision.value = editor.dataset.revision; // the outline the user dropped on
    clearMarks();
    if (form.requestSubmit) form.requestSubmit();
    else htmx.trigger(form, "submit");
  });

  // --- ordered lines of the role form -------------------------------------------------------
  function renumber(fieldset) {
    var label = fieldset.dataset.lineLabel;
    fieldset.querySelectorAll("[data-line-list] > li").forEach(function (li, index) {
      var name = label + " " + (index + 1);
      // Each line has a text per language, each labelled "<line> · <language>".
      li.querySelectorAll("textarea[data-line-part=text]").forEach(function (textarea) {
        textarea.setAttribute("aria-label", name + " · " + textarea.dataset.languageName);
      });
      // A requirement's kind and whether it is required or preferred.
      li.querySelectorAll("select[data-label-prefix]").forEach(function (select) {
        select.setAttribute("aria-label", select.dataset.labelPrefix + ": " + name);
      });
      li.querySelectorAll("[data-line-action]").forEach(function (button) {
        button.setAttribute("aria-label", button.title + ": " + name);
      });
    });
  }

  // The role form's 一人多职 list: the filter box hides the roles that do not match.
  editor.addEventListener("input", function (event) {
    var filter = event.target.closest && event.target.closest("[data-combination-filter]");
    if (!filter) return;
    var words = filter.value.trim().toLowerCase();
    var set = closest(filter, "[data-combinations]");
    set.querySelectorAll("[data-combination-text]").forEach(function (item) {
      var text = item.dataset.combinationText.toLowerCase();
      item.hidden = words !== "" && text.indexOf(words) === -1;
    });
  });
  editor.addEventListener("keydown", function (event) {
    // Enter in the filter box filters; it does not save the role.
    if (event.key === "Enter" && closest(event.target, "[data-combination-filter]")) {
      event.preventDefault();
    }
  });

  editor.addEventListener("click", function (event) {
    var add = closest(event.target, "[data-line-add]");
    if (add) {
      var fieldset = closest(add, "[data-lines]");
      var template = fieldset.querySelector("template[data-line-template]");
      var list = fieldset.querySelector("[data-line-list]");
      list.appendChild(template.content.cloneNode(true));
      renumber(fieldset);
      list.lastElementChild.querySelector("textarea").focus();
      return;
    }
    var button = closest(event.target, "[data-line-action]");
    if (!button) return;
    var li = closest(button, "li");
    var set = closest(li, "[data-lines]");
    var action = button.dataset.lineAction;
    if (action === "up" && li.previousElementSibling) {
      li.parentNode.insertBefore(li, li.previousElementSibling);
    } else if (action === "down" && li.nextElementSibling) {
      li.parentNode.insertBefore(li.nextElementSibling, li);
    } else if (action === "remove") {
      var next = li.nextElementSibling || li.previousElementSibling;
      li.remove();
      renumber(set);
      var focusTo = next ? next.querySelector("textarea") : set.querySelector("[data-line-add]");
      focusTo.focus();
      return;
    }
    renumber(set);
    button.focus();
  });
})();
