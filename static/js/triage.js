// The triage page's answers (htmx): a stale version (409) or an empty ready column comes with
// the page as it is now, and a refusal (403) with its reason for the status line; both are
// shown like any answer, where htmx would drop them as errors.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  const ours = event.detail.elt.closest("#triage-body");
  if (ours && (status === 409 || status === 403)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
