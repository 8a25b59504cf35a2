/* The outlines of the editor and the overview (roles/editor/outlines.py).
 *
 * A node whose children the page did not render has a toggle (aria-expanded="false") naming
 * the URL of its children: the first time it is opened they are loaded with htmx into the
 * node's list; after that the toggle only shows or hides the list. The editor tells the server
 * which toggles differ from what it shows by default (data-default), so that a redraw after a
 * write keeps them as the user left them (static/js/editor.js, header X-TeamOrg-View).
 */
(function () {
  "use strict";

  function mark(toggle, open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    toggle.textContent = open ? "\u25BE" : "\u25B8";
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest ? event.target.closest("[data-toggle]") : null;
    if (!toggle) return;
    event.preventDefault();
    var list = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!list) return;
    if (toggle.getAttribute("aria-expanded") === "true") {
      list.hidden = true;
      mark(toggle, false);
      return;
    }
    if (list.childElementCount > 0) {
      list.hidden = false;
      mark(toggle, true);
      return;
    }
    if (toggle.getAttribute("aria-busy") === "true") return;
    toggle.setAttribute("aria-busy", "true");
    htmx
      .ajax("GET", toggle.dataset.childrenUrl, { source: toggle, target: list, swap: "innerHTML" })
      .then(function () {
        toggle.removeAttribute("aria-busy");
        if (list.childElementCount > 0) {
          list.hidden = false;
          mark(toggle, true);
        }
      });
  });
})();
