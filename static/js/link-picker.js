// The editor's link picker: typing "[[" in the text, the "Link to a page…" button or
// Ctrl+Shift+L (Cmd+Shift+L) opens a search over pages and their sections
// (GET /handbook/-/link-targets?q=&from_path=). Its input is a combobox over a listbox, as in
// the quick switcher: arrows move, Enter inserts a markdown link with the relative href the
// server computed, Escape goes back to the text where it was.
(() => {
  const panel = document.getElementById("link-picker");
  const textarea = document.querySelector("textarea[data-link-targets-url]");
  const opener = document.querySelector("[data-link-picker-open]");
  if (!panel || !textarea || !opener) return;
  const input = panel.querySelector('[role="combobox"]');
  const list = panel.querySelector('[role="listbox"]');
  const status = panel.querySelector(".link-picker-status");
  const url = textarea.dataset.linkTargetsUrl;
  const pathField = textarea.form.querySelector('[name="path"]');
  let options = [];
  let active = -1;
  let pending = null;
  let timer = 0;
  // Where the link goes: the selection (or caret) when the picker opened; with "[[", the
  // two brackets typed are replaced too.
  let range = null;

  opener.hidden = false;

  const setActive = (index) => {
    if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
    active = options.length ? (index + options.length) % options.length : -1;
    if (active < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    const option = options[active];
    option.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  };

  const render = (results, query) => {
    list.replaceChildren();
    options = results.map((result, index) => {
      const option = document.createElement("li");
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.id = `link-picker-option-${index}`;
      option.className = result.anchor ? "link-picker-section" : "link-picker-page";
      const label = document.createElement("span");
      label.textContent = result.label;
      const detail = document.createElement("small");
      detail.textContent = result.href;
      option.append(label, " ", detail);
      option.title = result.detail;
      option.result = result;
      // mousedown, not click: the input keeps the focus, so the choice is not lost on blur.
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(result);
      });
      list.append(option);
      return option;
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    const found = options.length > 0;
    input.setAttribute("aria-expanded", String(found));
    list.hidden = !found;
    if (found) setActive(0);
    if (!query) status.textContent = "Type part of a page's title or path; page#section for its sections.";
    else if (found) status.textContent = `${options.length} found. Arrows to choose, Enter to insert.`;
    else status.textContent = `Nothing matches “${query}”.`;
  };

  const search = () => {
    const query = input.value.trim();
    if (pending) pending.abort();
    if (!query) {
      render([], "");
      return;
    }
    pending = new AbortController();
    const from = pathField ? pathField.value : "";
    fetch(`${url}?q=${encodeURIComponent(query)}&from_path=${encodeURIComponent(from)}`, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: pending.signal,
    })
      .then((response) => {
        if (!response.ok || response.redirected) throw new Error(String(response.status));
        return response.json();
      })
      .then((body) => {
        if (input.value.trim() === query) render(body.results, query);
      })
      .catch((error) => {
        if (error.name !== "AbortError") status.textContent = "Search failed; try again.";
      });
  };

  const open = ({ brackets = false } = {}) => {
    const end = textarea.selectionEnd;
    const start = brackets ? end - 2 : textarea.selectionStart;
    range = { start, end, text: brackets ? "" : textarea.value.slice(start, end) };
    panel.hidden = false;
    opener.setAttribute("aria-expanded", "true");
    input.value = "";
    render([], "");
    input.focus();
  };

  const close = ({ back = true } = {}) => {
    if (panel.hidden) return;
    if (pending) pending.abort();
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

  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 150);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive(active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive(active < 0 ? -1 : active - 1);
    } else if (event.key === "Enter") {
      // Never the form's submit: Enter in the picker means "this one".
      event.preventDefault();
      const chosen = options[active >= 0 ? active : 0];
      if (chosen) choose(chosen.result);
    } else if (event.key === "Escape") {
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
