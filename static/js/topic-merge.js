/* Merging topics: choosing the topic to keep recounts the preview at once.
   Without JavaScript the "Show counts for this choice" button does the same. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[name=target]").forEach(function (radio) {
      radio.addEventListener("change", function () { radio.form.submit(); });
    });
  });
})();
