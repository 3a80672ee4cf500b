// Ordered lists of a form (a team's principles, its areas of ownership, contact rows,
// workstreams). Without JavaScript their Add, Up, Down and Remove buttons post the form and
// get it back rearranged; here they rearrange the page in place, keep the focus on the item
// moved (its same button), and say where it went. Alt+ArrowUp / Alt+ArrowDown in an item's
// input move it too, and items may be dragged by their handle (SortableJS) as well.
// The inputs are posted in the order shown, so nothing needs renumbering for the server;
// only the labels ("Move principle 2 up") follow the order.
(() => {
  let created = 0;

  const setup = (list) => {
    const items = list.querySelector("[data-items]");
    const template = list.querySelector("template[data-new-item]");
    const status = list.querySelector("[data-list-status]");
    const empty = list.querySelector("[data-empty]");
    const noun = list.dataset.noun || "item";
    const name = list.dataset.orderedList;
    const capital = noun.charAt(0).toUpperCase() + noun.slice(1);
    const rows = () => Array.from(items.children).filter((row) => row.matches("[data-item]"));

    const renumber = () => {
      rows().forEach((row, index) => {
        const number = index + 1;
        const label = row.querySelector("[data-label]");
        if (label) label.textContent = `${capital} ${number}`;
        row.querySelectorAll("button[data-op]").forEach((button) => {
          const op = button.dataset.op;
          button.value = `${name}:${op}:${index}`;
          const words = { up: `Move ${noun} ${number} up`, down: `Move ${noun} ${number} down` };
          button.setAttribute("aria-label", words[op] || `Remove ${noun} ${number}`);
        });
      });
      if (empty) empty.hidden = rows().length > 0;
    };

    const say = (text) => {
      if (status) status.textContent = text;
    };

    const move = (row, direction, focusTarget) => {
      const all = rows();
      const index = all.indexOf(row);
      const target = index + direction;
      if (target < 0 || target >= all.length) {
        say(direction < 0 ? `Already first.` : `Already last.`);
        return;
      }
      if (direction < 0) items.insertBefore(row, all[target]);
      else items.insertBefore(row, all[target].nextSibling);
      renumber();
      focusTarget.focus();
      say(`Moved to position ${target + 1} of ${all.length}.`);
    };

    const remove = (row) => {
      const all = rows();
      const index = all.indexOf(row);
      row.remove();
      renumber();
      const left = rows();
      const next = left[Math.min(index, left.length - 1)];
      const focus = next ? next.querySelector('button[data-op="remove"]') : list.querySelector('button[data-op="add"]');
      if (focus) focus.focus();
      say(`${capital} removed; ${left.length} left.`);
    };

    const add = () => {
      const fragment = template.content.cloneNode(true);
      created += 1;
      fragment.querySelectorAll("[id]").forEach((element) => {
        element.id = element.id.replace("_new", `_added${created}`);
      });
      fragment.querySelectorAll("label[for]").forEach((label) => {
        label.htmlFor = label.htmlFor.replace("_new", `_added${created}`);
      });
      items.appendChild(fragment);
      renumber();
      const row = rows().at(-1);
      const input = row.querySelector("input:not([type=hidden]), textarea, select");
      if (input) input.focus();
      say(`${capital} added at position ${rows().length}.`);
    };

    list.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-op]");
      if (!button || !list.contains(button)) return;
      event.preventDefault();
      const row = button.closest("[data-item]");
      const op = button.dataset.op;
      if (op === "add") add();
      else if (op === "remove") remove(row);
      else move(row, op === "up" ? -1 : 1, button);
    });

    list.addEventListener("keydown", (event) => {
      if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
      const field = event.target.closest("input, textarea, select");
      const row = field && field.closest("[data-item]");
      if (!row) return;
      event.preventDefault();
      move(row, event.key === "ArrowUp" ? -1 : 1, field);
    });

    if (typeof Sortable !== "undefined") {
      list.classList.add("draggable");
      Sortable.create(items, {
        handle: ".drag-handle",
        draggable: "[data-item]",
        animation: 0,
        onEnd: (event) => {
          renumber();
          if (event.oldIndex !== event.newIndex) {
            say(`Moved to position ${event.newIndex + 1} of ${rows().length}.`);
          }
        },
      });
    }
  };

  document.querySelectorAll("[data-ordered-list]").forEach(setup);
})();
