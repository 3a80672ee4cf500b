// The page editor: nothing typed is lost by leaving, and Ctrl+S / Cmd+S saves.
(() => {
  const form = document.querySelector("form[data-unsaved-guard]");
  if (!form) return;
  const field = (name) => form.querySelector(`[name="${name}"]`);
  const watched = ["title", "markdown", "team", "review_by", "path"].map(field).filter(Boolean);
  const initial = new Map(watched.map((element) => [element, element.value]));
  // A form shown with a conflict holds text that is not saved yet, whatever it was loaded with.
  const startedUnsaved = form.hasAttribute("data-unsaved");
  let submitting = false;

  const unsaved = () =>
    startedUnsaved || watched.some((element) => element.value !== initial.get(element));

  window.addEventListener("beforeunload", (event) => {
    if (submitting || !unsaved()) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers need a value to ask
  });

  form.addEventListener("submit", () => {
    submitting = true;
  });

  // Cancel is a link: ask before it throws typed text away (beforeunload covers the rest).
  form.querySelectorAll("a[role=button]").forEach((link) => {
    link.addEventListener("click", (event) => {
      if (unsaved() && !window.confirm("Leave without saving? Your changes will be lost.")) {
        event.preventDefault();
      } else {
        submitting = true;
      }
    });
  });

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
      event.preventDefault();
      submitting = true;
      form.requestSubmit();
    }
  });
})();
