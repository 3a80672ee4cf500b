// The quick switcher: Ctrl+K (Cmd+K on a Mac) or the "Jump to…" button opens a dialog that
// finds pages, teams, people, rotas and boards as one types (GET /switch/?q=). Its search box
// is the shared combobox (combobox.js): arrows move, Enter opens; Escape closes and gives the
// focus back to where it was.
(() => {
  const dialog = document.getElementById("switcher");
  const opener = document.querySelector(".switcher-open");
  if (!dialog || !opener || typeof dialog.showModal !== "function" || !window.bosunCombobox) return;
  const input = dialog.querySelector('[role="combobox"]');
  const list = dialog.querySelector('[role="listbox"]');
  let returnTo = null;

  opener.hidden = false;
  const keys = opener.querySelector("kbd");
  if (keys && /Mac|iPhone|iPad/.test(navigator.platform)) keys.textContent = "⌘ K";

  const box = window.bosunCombobox({
    input,
    list,
    status: dialog.querySelector(".switcher-status"),
    idPrefix: "switcher-option",
    delay: 120,
    address: (query) => `${input.dataset.url}?q=${encodeURIComponent(query)}`,
    fill: (body, add) => {
      for (const group of body.groups) {
        const heading = document.createElement("li");
        heading.setAttribute("role", "presentation");
        heading.className = "switcher-group";
        heading.textContent = group.label;
        list.append(heading);
        for (const result of group.results) {
          const option = document.createElement("li");
          const label = document.createElement("span");
          label.className = "switcher-label";
          label.textContent = result.label;
          option.append(label);
          if (result.detail) {
            const detail = document.createElement("small");
            detail.textContent = result.detail;
            option.append(" ", detail);
          }
          option.dataset.url = result.url;
          add(option, result.url);
        }
      }
    },
    choose: (address) => window.location.assign(address),
    words: {
      idle: "",
      found: (count) => `${count} found. Arrows to choose, Enter to open.`,
      none: (query) => `Nothing matches “${query}”.`,
    },
  });

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
    box.cancel();
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
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
})();
