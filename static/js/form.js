// After a refused form, focus moves to the error summary at its top, so keyboard and
// screen-reader users start at the list of what to correct; each item links to its field.
// Without the script the summary is still there, first in the form, and announced (role alert).
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary[tabindex]");
  if (summary) summary.focus();
})();
