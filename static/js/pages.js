/* Behaviour every page shares, here instead of inline handlers: the Content-Security-Policy
   allows scripts only from our static files (teamorg/settings.py). */
(function () {
  "use strict";

  function ready() {
    // The language menu switches as soon as a language is picked (the button is for no-JS).
    var select = document.getElementById("language-select");
    if (select) {
      select.addEventListener("change", function () {
        select.form.submit();
      });
    }
    // Error pages: "back" only when there is a page to go back to.
    document.querySelectorAll("[data-go-back]").forEach(function (button) {
      if (window.history.length > 1) button.hidden = false;
      button.addEventListener("click", function () {
        window.history.back();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
