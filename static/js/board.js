// The board page: cards dragged between columns (SortableJS), moved with Alt+arrow keys when
// a card has the focus, one move request at a time (a second drag waits for the first, none
// is lost), and a poll of the board's version so that others' moves show within a second or
// two. Without JavaScript the cards' arrow buttons are plain forms and all of this is extra.
(() => {
  const columns = () => document.getElementById("board-columns");
  const first = columns();
  if (!first || typeof htmx === "undefined") return;
  const moveUrl = first.dataset.moveUrl;
  const versionUrl = first.dataset.versionUrl;
  const canWork = first.dataset.canWork === "true";
  const status = document.getElementById("board-status");
  // SortableJS leaves style attributes on the cards it animated; htmx's settling would copy
  // them onto the swapped-in cards with setAttribute, which the CSP (style-src 'self') blocks.
  htmx.config.attributesToSettle = ["class", "width", "height"];

  let queue = Promise.resolve();
  let pending = 0; // moves sent or waiting
  let dragging = false;
  let refreshing = false;
  // {ticket, move}: what had the focus when the latest move was made (its card, or which of
  // its buttons), to be given it back when the answers come in.
  let refocus = null;

  const csrfToken = () => {
    const field = document.querySelector('input[name="csrfmiddlewaretoken"]');
    if (field) return field.value;
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  };

  const previousCard = (card) => {
    let node = card.previousElementSibling;
    while (node && !node.classList.contains("card")) node = node.previousElementSibling;
    return node;
  };

  // Each move waits for the one before it; the values are taken at the drop, so a card
  // dropped while another move is on its way is sent as soon as that one has its answer.
  const send = (values) => {
    pending += 1;
    const run = () =>
      htmx.ajax("POST", moveUrl, {
        target: "#board-status",
        swap: "innerHTML",
        values,
        headers: { "X-CSRFToken": csrfToken() },
      });
    queue = queue.then(run, run).finally(() => {
      pending -= 1;
    });
    return queue;
  };

  const setUp = (root) => {
    if (!canWork || typeof Sortable === "undefined" || !root.querySelectorAll) return;
    const lists = root.matches?.(".board-cards") ? [root] : root.querySelectorAll(".board-cards");
    lists.forEach((list) => {
      if (list.dataset.sortable) return;
      list.dataset.sortable = "on";
      Sortable.create(list, {
        group: "board",
        draggable: ".card",
        filter: ".card-moves",
        preventOnFilter: false,
        animation: 120,
        onStart: () => {
          dragging = true;
        },
        onEnd: (event) => {
          dragging = false;
          if (event.from === event.to && event.oldIndex === event.newIndex) return;
          const card = event.item;
          const above = previousCard(card);
          refocus = { ticket: card.dataset.ticket, move: null };
          send({
            ticket: card.dataset.ticket,
            column: event.to.dataset.column,
            after: above ? above.dataset.ticket : "",
          });
        },
      });
    });
  };
  htmx.onLoad(setUp);

  // A refusal (409 stale, 403 not allowed) carries the columns as they are: swap them in,
  // so the card goes back where it is. (The site's htmx config swaps 400s already.)
  document.addEventListener("htmx:beforeSwap", (event) => {
    const { xhr } = event.detail;
    if (event.detail.target !== status) return;
    if (xhr.status === 409 || xhr.status === 403) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // A move that got no usable answer: say so and show the board as it is.
  const failed = (event) => {
    if (event.detail.target !== status) return;
    status.textContent = "The move could not be made; the board is shown as it is now.";
    refresh();
  };
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", (event) => {
    const code = event.detail.xhr.status;
    if (code !== 400 && code !== 403 && code !== 409) failed(event);
  });

  // A card's move buttons submit the page's one move form (`move` = ticket:column:after):
  // sent in the same queue as drags, and the focus kept on the card, or on the same button
  // when that had it. (Without JavaScript the form posts and the page comes back.)
  document.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (event.target.id !== "board-move" || !button?.value) return;
    event.preventDefault();
    const [ticket, column, after] = button.value.split(":");
    refocus = { ticket, move: document.activeElement === button ? button.dataset.move : null };
    send({ ticket, column, after });
  });
  const restoreFocus = (target = refocus) => {
    if (!target) return;
    const card = document.getElementById(`ticket-${target.ticket}`);
    if (!card) return;
    const selector = target.move === "key" ? ".card-key" : `[data-move="${target.move}"]`;
    const button = target.move && card.querySelector(selector);
    (button || card).focus();
    card.scrollIntoView({ block: "nearest", inline: "nearest" });
  };

  // Our move's answer: when the board went from the version this page shows to the next one,
  // that change was ours and its columns are here already; no need to fetch them again.
  document.addEventListener("htmx:afterRequest", (event) => {
    const board = columns();
    const version = Number(event.detail.xhr?.getResponseHeader("X-Board-Version"));
    if (board && version && version === Number(board.dataset.version) + 1) {
      board.dataset.version = String(version);
    }
  });
  // The focus goes back as soon as the answer is in: htmx swaps the message, then each column
  // out of band (a column swapped after the focus was put back would take it away again), so
  // after each of those swaps, and once more when all has settled. Only a focus that was lost
  // (or that htmx put on the card, where one of its buttons had it): the person may have
  // moved on with Tab while moves were on their way.
  const lost = () => {
    const focused = document.activeElement;
    return (
      !focused ||
      focused === document.body ||
      focused === status ||
      !focused.isConnected ||
      (refocus?.move && focused.id === `ticket-${refocus.ticket}`)
    );
  };
  const answerPart = (element) => element === status || element.classList?.contains("board-column");
  document.addEventListener("htmx:afterSwap", (event) => {
    if (refocus && answerPart(event.target) && lost()) restoreFocus();
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target === status && lost()) restoreFocus();
  });

  // Keys on a focused card: Alt+arrow moves it (its arrow buttons), arrows alone go to the
  // card above, below, or the first one of the column beside.
  const KEYS = { ArrowUp: "up", ArrowDown: "down", ArrowLeft: "left", ArrowRight: "right" };
  document.addEventListener("keydown", (event) => {
    const card = event.target;
    if (!card.classList?.contains("card") || !KEYS[event.key]) return;
    const direction = KEYS[event.key];
    if (event.altKey) {
      const button = card.querySelector(`[data-move="${direction}"]`);
      if (!button) return;
      event.preventDefault();
      button.form.requestSubmit(button);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.shiftKey) return;
    let next = null;
    if (direction === "up") next = previousCard(card);
    else if (direction === "down") {
      next = card.nextElementSibling;
      if (next && !next.classList.contains("card")) next = null;
    } else {
      const column = card.closest(".board-column");
      const beside =
        direction === "left" ? column.previousElementSibling : column.nextElementSibling;
      next = beside?.querySelector?.(".card");
    }
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });

  // Where each card is: its column's name and its key, to tell what others changed.
  const layout = () => {
    const where = new Map();
    document.querySelectorAll("#board-columns .board-column").forEach((section) => {
      const name = section.querySelector("h2")?.textContent;
      section.querySelectorAll(".card").forEach((card) => {
        where.set(card.dataset.ticket, { name, key: card.querySelector(".card-key")?.textContent });
      });
    });
    return where;
  };
  // Said in the live region: the cards that others moved to another column or added (three
  // at most, then how many more), nothing when the columns hold the same cards.
  const announce = (before, after) => {
    const told = [];
    after.forEach((now, ticket) => {
      const was = before.get(ticket);
      if (!was) told.push(`${now.key} added to ${now.name}`);
      else if (was.name !== now.name) told.push(`${now.key} moved to ${now.name}`);
    });
    if (!told.length) return;
    const more = told.length > 3 ? `, and ${told.length - 3} more changes` : "";
    status.textContent = `Changed by someone else: ${told.slice(0, 3).join(", ")}${more}.`;
  };

  // "Show more": the address keeps how many cards the longest column shows (`limit`), so
  // that the columns fetched again (others' moves, a move's answer, a reload) keep them.
  const keepShown = () => {
    let shown = 0;
    document.querySelectorAll("#board-columns .board-cards").forEach((list) => {
      shown = Math.max(shown, list.querySelectorAll(".card").length);
    });
    const url = new URL(window.location.href);
    const limit = Math.ceil(shown / 50) * 50;
    if (limit <= Number(url.searchParams.get("limit") || 50)) return;
    url.searchParams.set("limit", String(limit));
    window.history.replaceState(window.history.state, "", url);
  };
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.requestConfig?.path?.includes("/cards/")) keepShown();
  });

  // Others' moves: ask every second whether the board's version has changed (204: no); when
  // it has, fetch the columns again (as the address says: filters, cards shown), unless a
  // drag or a move of ours is under way.
  const refresh = async ({ tell = false } = {}) => {
    const board = columns();
    if (!board || refreshing) return;
    refreshing = true;
    // What has the focus (a card, its key or one of its buttons) has it again afterwards.
    const active = document.activeElement;
    const card = active?.closest?.(".card");
    const focused = card && {
      ticket: card.dataset.ticket,
      move: active.dataset.move || (active.classList.contains("card-key") ? "key" : null),
    };
    const before = layout();
    try {
      await htmx.ajax("GET", board.dataset.columnsUrl + window.location.search, {
        target: "#board-columns",
        swap: "outerHTML",
      });
      if (tell) announce(before, layout());
      if (focused) restoreFocus(focused);
    } finally {
      refreshing = false;
    }
  };
  const poll = async () => {
    const board = columns();
    if (!board || dragging || pending || refreshing || document.hidden) return;
    try {
      const response = await fetch(`${versionUrl}?v=${board.dataset.version}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.status !== 200 || dragging || pending) return;
      // A move of ours answered meanwhile may have brought the page to that version already.
      const { version } = await response.json();
      if (version <= Number(columns()?.dataset.version)) return;
      await refresh({ tell: true });
    } catch {
      // Offline for a moment: the next poll tries again.
    }
  };
  setInterval(poll, 1000);
})();
