// The quick switcher: Ctrl+K (Cmd+K on a Mac) or the "Jump to…" button opens a dialog that
// finds pages, teams, people, rotas and boards as one types (GET /switch/?q=). The input is a
// combobox over a listbox of options: arrows move, Enter opens, Escape closes and gives the
// focus back to where it was.
(() => {
  const dialog = document.getElementById("switcher");
  const opener = document.querySelector(".switcher-open");
  if (!dialog || !opener || typeof dialog.showModal !== "function") return;
  const input = dialog.querySelector('[role="combobox"]');
  const list = dialog.querySelector('[role="listbox"]');
  const status = dialog.querySelector(".switcher-status");
  const url = input.dataset.url;
  let options = [];
  let active = -1;
  let returnTo = null;
  let pending = null;
  let timer = 0;

  opener.hidden = false;
  const keys = opener.querySelector("kbd");
  if (keys && /Mac|iPhone|iPad/.test(navigator.platform)) keys.textContent = "⌘ K";

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

  const render = (groups, query) => {
    list.replaceChildren();
    options = [];
    active = -1;
    input.removeAttribute("aria-activedescendant");
    for (const group of groups) {
      const heading = document.createElement("li");
      heading.setAttribute("role", "presentation");
      heading.className = "switcher-group";
      heading.textContent = group.label;
      list.append(heading);
      for (const result of group.results) {
        const option = document.createElement("li");
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.id = `switcher-option-${options.length}`;
        option.dataset.url = result.url;
        const label = document.createElement("span");
        label.className = "switcher-label";
        label.textContent = result.label;
        option.append(label);
        if (result.detail) {
          const detail = document.createElement("small");
          detail.textContent = result.detail;
          option.append(" ", detail);
        }
        option.addEventListener("click", () => window.location.assign(result.url));
        options.push(option);
        list.append(option);
      }
    }
    const found = options.length > 0;
    input.setAttribute("aria-expanded", String(found));
    list.hidden = !found;
    if (!query) status.textContent = "";
    else if (found) status.textContent = `${options.length} found. Arrows to choose, Enter to open.`;
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
    fetch(`${url}?q=${encodeURIComponent(query)}`, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: pending.signal,
    })
      .then((response) => {
        if (!response.ok || response.redirected) throw new Error(String(response.status));
        return response.json();
      })
      .then((body) => {
        if (input.value.trim() === query) render(body.groups, query);
      })
      .catch((error) => {
        if (error.name !== "AbortError") status.textContent = "Search failed; try again.";
      });
  };

  const open = () => {
    if (dialog.open) {
      input.select();
      return;
    }
    returnTo = document.activeElement;
    dialog.showModal();
    input.focus();
    input.select();
  };

  const close = () => {
    if (dialog.open) dialog.close();
  };

  dialog.addEventListener("close", () => {
    if (pending) pending.abort();
    if (returnTo && returnTo.isConnected) returnTo.focus();
    returnTo = null;
  });
  // A click on the backdrop (outside the dialog's box) closes it too.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) close();
  });

  opener.addEventListener("click", open);
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
      event.preventDefault();
      open();
    }
  });

  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 120);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive(active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive(active < 0 ? -1 : active - 1);
    } else if (event.key === "Home" && options.length && event.ctrlKey) {
      event.preventDefault();
      setActive(0);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const chosen = options[active >= 0 ? active : 0];
      if (chosen) window.location.assign(chosen.dataset.url);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
})();
