/* The story picker: link the words selected in the body editor to a chosen story.
   The link is stored as href="story:<id>" and resolved to the story's current
   address on the public page (see articles/richtext.py). */
(function () {
  "use strict";
  let editor = null;

  document.addEventListener("prose-editor:ready", function (event) {
    if (event.detail.textarea.name === "body") editor = event.detail.editor;
  });

  function chosenStory() {
    const select = document.getElementById("id_link_story");
    if (!select || !select.value) return null;
    const option = select.options[select.selectedIndex];
    return { id: select.value, headline: option ? option.text : "" };
  }

  function linkSelection(status) {
    const story = chosenStory();
    if (!editor) { status.textContent = "The body editor is still loading."; return; }
    if (!story) { status.textContent = "Choose a story first."; return; }
    const href = "story:" + story.id;
    const { from, to } = editor.state.selection;
    if (from === to) {
      // Nothing selected: insert the story's headline as the link text.
      editor.chain().focus().insertContent({
        type: "text", text: story.headline,
        marks: [{ type: "link", attrs: { href: href } }],
      }).run();
    } else {
      editor.chain().focus().extendMarkRange("link").setLink({ href: href }).run();
    }
    status.textContent = "Linked to “" + story.headline + "”.";
  }

  document.addEventListener("DOMContentLoaded", function () {
    const row = document.querySelector(".field-link_story");
    if (!row) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button story-link-button";
    button.textContent = "Link the selected words";
    const status = document.createElement("span");
    status.className = "story-link-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () { linkSelection(status); });
    const anchor = row.querySelector(".related-widget-wrapper, select");
    (anchor || row).after(button, status);
  });
})();
