// A search box over a list of choices, shared by the quick switcher and the editor's link
// picker: the input is a combobox over a listbox (ARIA 1.2). Typing asks the server (after a
// pause, cancelling the question before); arrows move through the choices, Ctrl+Home goes to
// the first, Enter takes the one marked (or the first), a press of the mouse takes it too.
//
// bosunCombobox({input, list, status, idPrefix, delay, address, fill, choose, words,
//                markFirst}) wires it up:
// - address(query): the URL that answers the query with JSON;
// - fill(body, add): puts the answer in the list; add(element, value) adds one choice (other
//   nodes it appends, such as group headings, are not choices);
// - choose(value): what taking a choice does;
// - words: {idle, found(count), none(query)}: what the status line says;
// - markFirst: mark the first choice as soon as there are any.
// It returns {show(body, query), clear(), cancel()}.
window.bosunCombobox = ({
  input,
  list,
  status,
  idPrefix,
  delay,
  address,
  fill,
  choose,
  words,
  markFirst = false,
}) => {
  let choices = [];
  let active = -1;
  let pending = null;
  let timer = 0;

  const mark = (index) => {
    if (active >= 0 && choices[active]) choices[active].element.setAttribute("aria-selected", "false");
    active = choices.length ? (index + choices.length) % choices.length : -1;
    if (active < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    const { element } = choices[active];
    element.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", element.id);
    element.scrollIntoView({ block: "nearest" });
  };

  const add = (element, value) => {
    element.setAttribute("role", "option");
    element.setAttribute("aria-selected", "false");
    element.id = `${idPrefix}-${choices.length}`;
    // mousedown, not click: the input keeps the focus, so the choice is not lost on blur.
    element.addEventListener("mousedown", (event) => {
      event.preventDefault();
      choose(value);
    });
    choices.push({ element, value });
    list.append(element);
  };

  const show = (body, query) => {
    list.replaceChildren();
    choices = [];
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (body) fill(body, add);
    const found = choices.length > 0;
    input.setAttribute("aria-expanded", String(found));
    list.hidden = !found;
    if (found && markFirst) mark(0);
    if (!query) status.textContent = words.idle;
    else status.textContent = found ? words.found(choices.length) : words.none(query);
  };

  const cancel = () => {
    window.clearTimeout(timer);
    if (pending) pending.abort();
    pending = null;
  };

  const search = () => {
    const query = input.value.trim();
    cancel();
    if (!query) {
      show(null, "");
      return;
    }
    pending = new AbortController();
    fetch(address(query), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: pending.signal,
    })
      .then((response) => {
        if (!response.ok || response.redirected) throw new Error(String(response.status));
        return response.json();
      })
      .then((body) => {
        if (input.value.trim() === query) show(body, query);
      })
      .catch((error) => {
        if (error.name !== "AbortError") status.textContent = "Search failed; try again.";
      });
  };

  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, delay);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      mark(active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      mark(active < 0 ? -1 : active - 1);
    } else if (event.key === "Home" && event.ctrlKey && choices.length) {
      event.preventDefault();
      mark(0);
    } else if (event.key === "Enter") {
      // Never a form's submit: Enter here means "this one".
      event.preventDefault();
      const chosen = choices[active >= 0 ? active : 0];
      if (chosen) choose(chosen.value);
    }
  });

  return { show, clear: () => show(null, ""), cancel };
};
