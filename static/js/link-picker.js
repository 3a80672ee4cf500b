// The editor's link picker: typing "[[" in the text, the "Link to a page…" button or
// Ctrl+Shift+L (Cmd+Shift+L) opens a search over pages and their sections
// (GET /handbook/-/link-targets?q=&from_path=). Its search box is the shared combobox
// (combobox.js), as in the quick switcher: arrows move, Enter inserts a markdown link with
// the relative href the server computed; Escape goes back to the text where it was.
(() => {
  const panel = document.getElementById("link-picker");
  const textarea = document.querySelector("textarea[data-link-targets-url]");
  const opener = document.querySelector("[data-link-picker-open]");
  if (!panel || !textarea || !opener || !window.bosunCombobox) return;
  const input = panel.querySelector('[role="combobox"]');
  const list = panel.querySelector('[role="listbox"]');
  const pathField = textarea.form.querySelector('[name="path"]');
  // Where the link goes: the selection (or caret) when the picker opened; with "[[", the
  // two brackets typed are replaced too.
  let range = null;

  opener.hidden = false;

  const close = ({ back = true } = {}) => {
    if (panel.hidden) return;
    box.cancel();
    panel.hidden = true;
    opener.setAttribute("aria-expanded", "false");
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    if (back && range) {
      textarea.focus();
      textarea.setSelectionRange(range.end, range.end);
    }
    range = null;
  };

  const choose = (result) => {
    if (!range) return;
    const { start, end, text } = range;
    const label = (text || result.label).replace(/[[\]]/g, "");
    close({ back: false });
    window.bosunEditorInsert(`[${label}](${result.href})`, start, end);
  };

  const box = window.bosunCombobox({
    input,
    list,
    status: panel.querySelector(".link-picker-status"),
    idPrefix: "link-picker-option",
    delay: 150,
    address: (query) => {
      const from = pathField ? pathField.value : "";
      return `${textarea.dataset.linkTargetsUrl}?q=${encodeURIComponent(query)}&from_path=${encodeURIComponent(from)}`;
    },
    fill: (body, add) => {
      for (const result of body.results) {
        const option = document.createElement("li");
        option.className = result.anchor ? "link-picker-section" : "link-picker-page";
        const label = document.createElement("span");
        label.textContent = result.label;
        const detail = document.createElement("small");
        detail.textContent = result.href;
        option.append(label, " ", detail);
        option.title = result.detail;
        add(option, result);
      }
    },
    choose,
    words: {
      idle: "Type part of a page's title or path; page#section for its sections.",
      found: (count) => `${count} found. Arrows to choose, Enter to insert.`,
      none: (query) => `Nothing matches “${query}”.`,
    },
    markFirst: true,
  });

  const open = ({ brackets = false } = {}) => {
    const end = textarea.selectionEnd;
    const start = brackets ? end - 2 : textarea.selectionStart;
    range = { start, end, text: brackets ? "" : textarea.value.slice(start, end) };
    panel.hidden = false;
    opener.setAttribute("aria-expanded", "true");
    input.value = "";
    box.clear();
    input.focus();
  };

  opener.addEventListener("click", () => open());
  textarea.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.shiftKey && event.key.toLowerCase() === "l") {
      event.preventDefault();
      open();
    }
  });
  textarea.addEventListener("input", (event) => {
    if (event.inputType !== "insertText" || event.data !== "[") return;
    const caret = textarea.selectionEnd;
    if (caret >= 2 && textarea.value.slice(caret - 2, caret) === "[[") open({ brackets: true });
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Tab") {
      close({ back: false });
    }
  });
  input.addEventListener("blur", () => {
    window.setTimeout(() => {
      if (!panel.contains(document.activeElement)) close({ back: false });
    }, 0);
  });
})();
