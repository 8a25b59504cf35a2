/* The head-count grid: a cell is saved as one unit, with what its two inputs hold.
 *
 * A cell (form.hc-cell) is posted when the focus leaves it, or on Enter, and only if its inputs
 * differ from the saved values (data-saved-min / data-saved-max, which the server writes into
 * every cell it renders). Tabbing from "at least" to "at most" inside one cell sends nothing:
 * the old grid saved on every input's change and the server's filled-in "at most" raced the
 * keyboard (2, Tab, 4 was saved as 2–42).
 *
 * The answer replaces the cell out of band. If the user has typed into that cell again while the
 * request was on its way, the answer must not overwrite what they typed: only the cell's saved
 * values are updated, and the cell stays marked as unsaved until the next save.
 */
(function () {
  "use strict";

  function cellOf(el) {
    return el && el.closest ? el.closest("form.hc-cell") : null;
  }

  function typed(cell) {
    return { min: cell.elements.min_count.value.trim(), max: cell.elements.max_count.value.trim() };
  }

  function isUnsaved(cell) {
    var now = typed(cell);
    return now.min !== (cell.dataset.savedMin || "") || now.max !== (cell.dataset.savedMax || "");
  }

  function mark(cell) {
    cell.classList.toggle("is-unsaved", isUnsaved(cell));
  }

  function commit(cell) {
    if (!isUnsaved(cell)) return;
    htmx.trigger(cell, "hc-commit");
  }

  document.addEventListener("input", function (event) {
    var cell = cellOf(event.target);
    if (cell) mark(cell);
  });

  document.addEventListener("focusout", function (event) {
    var cell = cellOf(event.target);
    if (!cell) return;
    if (event.relatedTarget && cell.contains(event.relatedTarget)) return; // still in this cell
    commit(cell);
  });

  // What a request carried, to tell afterwards whether the user has typed since.
  document.addEventListener("htmx:configRequest", function (event) {
    var cell = cellOf(event.detail.elt);
    if (!cell || event.detail.elt !== cell) return;
    cell.dataset.sentMin = (event.detail.parameters.min_count || "").trim();
    cell.dataset.sentMax = (event.detail.parameters.max_count || "").trim();
    cell.classList.add("is-saving");
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var cell = cellOf(event.detail.elt);
    if (cell) cell.classList.remove("is-saving");
  });

  // The answer must never change an input the user is in, or one they changed since the request
  // left: a saved 2–2 arriving while they type the "at most" 5 would give 52. Then only the
  // saved values, the untouched inputs and the error state are taken from the answer.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var incoming = event.detail.fragment && event.detail.fragment.querySelector
      ? event.detail.fragment.querySelector("form.hc-cell")
      : null;
    var live = event.detail.target;
    if (!incoming || !live || !live.matches || !live.matches("form.hc-cell")) return;
    var now = typed(live);
    var sent = { min: live.dataset.sentMin || "", max: live.dataset.sentMax || "" };
    var editing = live.contains(document.activeElement);
    if (!editing && now.min === sent.min && now.max === sent.max) return; // swap it whole
    event.detail.shouldSwap = false;
    live.dataset.savedMin = incoming.dataset.savedMin || "";
    live.dataset.savedMax = incoming.dataset.savedMax || "";
    ["min_count", "max_count"].forEach(function (name) {
      var input = live.elements[name];
      var key = name === "min_count" ? "min" : "max";
      if (input !== document.activeElement && input.value.trim() === sent[key]) {
        input.value = incoming.elements[name].value;
      }
      var invalid = incoming.elements[name].getAttribute("aria-invalid");
      if (invalid) {
        input.setAttribute("aria-invalid", invalid);
        input.setAttribute("aria-describedby", incoming.elements[name].getAttribute("aria-describedby"));
      } else {
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      }
    });
    var oldError = live.querySelector(".hc-error");
    if (oldError) oldError.remove();
    var newError = incoming.querySelector(".hc-error");
    if (newError) live.appendChild(newError.cloneNode(true));
    live.classList.toggle("has-error", incoming.classList.contains("has-error"));
    mark(live);
  });
})();
