/* Names for the story form's controls that Django's admin and its widgets leave
   unnamed, so a screen reader says what each one is (WCAG 4.1.2, 1.3.1):
   - the rich-text body (the editor package's contenteditable);
   - the split date and time boxes ("Date:" and "Time:" are plain text);
   - fields in table rows (updates and corrections, curated stories), whose only
     label is the column heading;
   - the story pickers' select2 boxes;
   - aria-describedby pointing at help text a table row never renders.
   Everything here only adds attributes; it runs again when rows are added. */
(function () {
  "use strict";
  let counter = 0;

  function text(node) {
    // The visible words, without the help icon's "(...)" alt text.
    const copy = node.cloneNode(true);
    copy.querySelectorAll("img, .help").forEach((img) => img.remove());
    return copy.textContent.replace(/\s+/g, " ").replace(/[\s:?]+$/, "").trim();
  }

  function idFor(node) {
    if (!node.id) node.id = "desk-a11y-" + ++counter;
    return node.id;
  }

  function columnHeading(cell) {
    const table = cell.closest("table");
    const headings = table && table.tHead && table.tHead.rows[0];
    return headings ? headings.cells[cell.cellIndex] : null;
  }

  function rowNumber(row) {
    const rows = Array.from(row.parentNode.children).filter(
      (r) => r.matches("tr.form-row:not(.empty-form)")
    );
    return rows.indexOf(row) + 1;
  }

  // A control's name as the page shows it: its label, else its column heading and
  // row, else the label of its form row.
  function fieldName(control) {
    if (control.id) {
      const label = document.querySelector('label[for="' + CSS.escape(control.id) + '"]');
      if (label) return text(label);
    }
    const cell = control.closest("td");
    if (cell) {
      const heading = columnHeading(cell);
      if (heading) return text(heading) + ", row " + rowNumber(cell.parentNode);
    }
    const row = control.closest(".form-row");
    const label = row && row.querySelector("label:not([for])");
    return label ? text(label) : "";
  }

  function unnamed(control) {
    return !(
      control.hasAttribute("aria-label") ||
      control.hasAttribute("aria-labelledby") ||
      (control.labels && control.labels.length)
    );
  }

  function inTemplateRow(node) {
    return Boolean(node.closest(".empty-form"));
  }

  // "Date: <input> ... Time: <input>": the words become real labels, and each box
  // is named with its field ("Publication time, date").
  function labelSplitDateTime(root) {
    root.querySelectorAll("p.datetime input[type=text]").forEach((input) => {
      if (inTemplateRow(input) || input.hasAttribute("aria-label")) return;
      const words = input.previousSibling;
      if (words && words.nodeType === Node.TEXT_NODE && words.textContent.trim()) {
        const label = document.createElement("label");
        label.htmlFor = input.id;
        label.textContent = words.textContent.trim();
        words.textContent = words.textContent.replace(/\S[\s\S]*$/, "");
        input.before(label, " ");
      }
      const part = input.classList.contains("vTimeField") ? "time" : "date";
      const field = fieldName(input.closest("p.datetime"));
      input.setAttribute("aria-label", field ? field + ", " + part : part);
    });
  }

  function labelTableRows(root) {
    root
      .querySelectorAll("td input:not([type=hidden]), td select, td textarea")
      .forEach((control) => {
        if (inTemplateRow(control) || !unnamed(control)) return;
        if (control.closest("p.datetime, .select2")) return;
        const name = fieldName(control);
        if (name) control.setAttribute("aria-label", name);
      });
  }

  // Help text that a table row does not render lives in its column heading's icon.
  function repairDescriptions(root) {
    root.querySelectorAll("[aria-describedby]").forEach((node) => {
      const ids = node.getAttribute("aria-describedby").split(/\s+/).filter(Boolean);
      const kept = ids.filter((id) => document.getElementById(id));
      if (kept.length === ids.length) return;
      const cell = node.closest("td");
      const help = cell && columnHeading(cell)?.querySelector("img.help");
      if (help) kept.push(idFor(help));
      if (kept.length) node.setAttribute("aria-describedby", kept.join(" "));
      else node.removeAttribute("aria-describedby");
    });
  }

  // select2 (Django's autocomplete) names its box after the chosen value only,
  // which is empty until something is chosen; its search box has no name.
  function labelPickers(root) {
    root.querySelectorAll("span.select2").forEach((container) => {
      const select = container.previousElementSibling;
      if (!select || select.tagName !== "SELECT") return;
      const name = fieldName(select);
      if (!name) return;
      const label = select.id && document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
      const selection = container.querySelector(".select2-selection");
      if (selection && !selection.dataset.deskNamed) {
        const shown = selection.getAttribute("aria-labelledby");
        if (label) {
          selection.setAttribute("aria-labelledby", [idFor(label), shown].filter(Boolean).join(" "));
        } else {
          selection.removeAttribute("aria-labelledby");
          selection.setAttribute("aria-label", name);
        }
        selection.dataset.deskNamed = "1";
      }
      container
        .querySelectorAll(".select2-selection__rendered[role=textbox], .select2-search__field")
        .forEach((box) => {
          if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", name);
        });
    });
  }

  function labelEditor(editorElement, textarea) {
    const label = document.querySelector('label[for="' + CSS.escape(textarea.id) + '"]');
    if (label) editorElement.setAttribute("aria-labelledby", idFor(label));
    const help = textarea.getAttribute("aria-describedby");
    if (help) editorElement.setAttribute("aria-describedby", help);
    editorElement.setAttribute("aria-multiline", "true");
  }

  function labelEditors(root) {
    root.querySelectorAll(".prose-editor").forEach((wrapper) => {
      const textarea = wrapper.querySelector("textarea");
      const editable = wrapper.querySelector("[contenteditable]");
      if (textarea && editable && !editable.hasAttribute("aria-labelledby")) {
        labelEditor(editable, textarea);
      }
    });
  }

  function labelAll() {
    labelSplitDateTime(document);
    labelTableRows(document);
    repairDescriptions(document);
    labelPickers(document);
    labelEditors(document);
  }

  document.addEventListener("prose-editor:ready", (event) => {
    labelEditor(event.detail.editor.view.dom, event.detail.textarea);
  });

  document.addEventListener("DOMContentLoaded", () => {
    labelAll();
    // select2 and the editor draw themselves after this, and "Add another" adds
    // rows: name whatever appears, once things settle.
    let pending = false;
    const insideEditor = (mutation) => {
      const node = mutation.target;
      const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
      return Boolean(element && element.closest(".prose-editor"));
    };
    new MutationObserver((mutations) => {
      // Typing in the body changes nothing to name.
      if (pending || mutations.every(insideEditor)) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        labelAll();
      });
    }).observe(document.getElementById("content") || document.body, {
      childList: true,
      subtree: true,
    });
  });
})();
