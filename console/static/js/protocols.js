// The protocol form: "add an instruction" copies the last row of an applicant's instructions
// with the next number in its field names (instruction rows are read by console/views/
// protocol_forms.py as executor-<request>-<n>, text-..., category-..., due-...).
(function () {
  "use strict";

  function renumber(row, n) {
    row.querySelectorAll("input, select").forEach(function (field) {
      field.name = field.name.replace(/-(\d+)-(\d+)$/, function (_, request) {
        return "-" + request + "-" + n;
      });
      if (field.tagName === "SELECT") { field.value = "none"; } else { field.value = ""; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-add-instruction]").forEach(function (button) {
      button.addEventListener("click", function () {
        var box = button.closest("[data-instructions]");
        var rows = box.querySelectorAll("[data-instruction-row]");
        var counter = button.closest("fieldset").querySelector("[data-rows]");
        var copy = rows[rows.length - 1].cloneNode(true);
        renumber(copy, rows.length);
        box.insertBefore(copy, button);
        counter.value = String(rows.length + 1);
        copy.querySelector("input").focus();
      });
    });
  });
})();
