// Site-wide behaviour, kept to what HTML and CSS cannot do alone.

// The main menu folds behind a "Menu" button on narrow screens. Without JavaScript the button
// stays hidden and the menu stays open (the CSS folds it only under `.js-menu`).
(() => {
  const button = document.querySelector(".menu-toggle");
  const menu = document.getElementById("main-menu");
  if (!button || !menu) return;
  document.documentElement.classList.add("js-menu");
  button.hidden = false;
  const setOpen = (open) => {
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  };
  button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.classList.contains("open")) {
      setOpen(false);
      button.focus();
    }
  });
})();

// When an htmx answer replaces the part of the page that held the focus (the "Cancel" button
// of an override, say), the focus would fall back to the top of the page: it goes to the
// answer's message instead, so someone on a keyboard carries on from there.
document.addEventListener("htmx:afterSettle", () => {
  const focused = document.activeElement;
  if (focused && focused !== document.body && focused.isConnected) return;
  const message = document.querySelector('main [role="alert"], main [role="status"]');
  if (!message) return;
  message.setAttribute("tabindex", "-1");
  message.focus();
});
