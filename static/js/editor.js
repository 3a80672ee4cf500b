// The page editor: what is typed is autosaved as a draft on the server (and asked about
// before leaving until it is), Ctrl+S / Cmd+S saves, images can be pasted or chosen, and a
// broken link's suggestion can be taken with one button. The link picker is link-picker.js.
(() => {
  const form = document.querySelector("form[data-unsaved-guard]");
  if (!form) return;
  const field = (name) => form.querySelector(`[name="${name}"]`);
  const watched = ["title", "markdown", "team", "review_by", "path", "change_summary"]
    .map(field)
    .filter(Boolean);
  const textarea = field("markdown");
  const status = document.getElementById("editor-status");
  const csrf = field("csrfmiddlewaretoken").value;
  const snapshot = () => new Map(watched.map((element) => [element, element.value]));
  // What is safe on the server: the page as loaded, then each autosaved draft.
  let kept = snapshot();
  // A form shown with a conflict holds text that is not saved yet, whatever it was loaded with.
  let startedUnsaved = form.hasAttribute("data-unsaved");
  let submitting = false;

  const unsaved = () =>
    startedUnsaved || watched.some((element) => element.value !== kept.get(element));

  const say = (message) => {
    if (status) status.textContent = message;
  };

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

  const post = (url, body) =>
    fetch(url, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      credentials: "same-origin",
    }).then((response) =>
      response
        .json()
        .catch(() => ({}))
        .then((answer) => ({ ok: response.ok, answer })),
    );

  // Autosave: a few seconds after typing stops, the fields go to the server as a draft.
  const draftUrl = textarea && textarea.dataset.draftUrl;
  const autosaveDelay = Number(form.dataset.autosaveDelay || 2000);
  let timer = 0;
  let saving = null;
  const autosave = () => {
    if (!unsaved() || submitting) return;
    const sent = snapshot();
    const body = new FormData();
    for (const element of watched) body.append(element.name, element.value);
    body.append("base_version", field("base_version").value);
    saving = post(draftUrl, body)
      .then(({ ok, answer }) => {
        if (!ok) throw new Error("refused");
        kept = sent;
        startedUnsaved = false;
        say(answer.message);
      })
      .catch(() => say("The draft could not be saved; your text is still here."))
      .finally(() => {
        saving = null;
      });
  };
  // "Discard draft" throws the typed text away on purpose: no question, and no autosave
  // left to bring the draft back.
  const discard = document.querySelector("form[data-discard-draft]");
  if (discard) {
    discard.addEventListener("submit", () => {
      window.clearTimeout(timer);
      submitting = true;
    });
  }
  if (draftUrl) {
    form.addEventListener("input", (event) => {
      if (!watched.includes(event.target)) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(autosave, autosaveDelay);
    });
    form.addEventListener("change", (event) => {
      if (watched.includes(event.target) && !saving) {
        window.clearTimeout(timer);
        timer = window.setTimeout(autosave, autosaveDelay);
      }
    });
  }

  // Text put in at the caret (or over the selection), as if typed: the preview and the
  // autosave follow.
  const insert = (text, start = textarea.selectionStart, end = textarea.selectionEnd) => {
    textarea.focus();
    textarea.setRangeText(text, start, end, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  };
  window.bosunEditorInsert = insert;

  // Images: pasted into the text or chosen with the button, uploaded, linked where the caret is.
  const uploadUrl = textarea && textarea.dataset.uploadUrl;
  const chooser = form.querySelector("[data-image-choose]");
  const picker = form.querySelector("[data-image-input]");
  const upload = (file) => {
    const body = new FormData();
    body.append("image", file, file.name || "pasted-image.png");
    const team = field("team");
    if (team) body.append("team", team.value);
    say(`Uploading ${file.name || "the image"}…`);
    return post(uploadUrl, body)
      .then(({ ok, answer }) => {
        if (!ok) {
          const reasons = Object.values(answer).flat();
          say(reasons.length ? reasons.join(" ") : "The image could not be uploaded.");
          return;
        }
        insert(answer.markdown);
        say("Image uploaded and linked in the text.");
      })
      .catch(() => say("The image could not be uploaded; try again."));
  };
  if (uploadUrl && chooser && picker) {
    chooser.hidden = false;
    chooser.addEventListener("click", () => picker.click());
    picker.addEventListener("change", () => {
      const [file] = picker.files;
      if (file) upload(file).finally(() => textarea.focus());
      picker.value = "";
    });
    textarea.addEventListener("paste", (event) => {
      const files = [...(event.clipboardData ? event.clipboardData.files : [])].filter((file) =>
        file.type.startsWith("image/"),
      );
      if (!files.length) return;
      event.preventDefault();
      files.reduce((previous, file) => previous.then(() => upload(file)), Promise.resolve());
    });
  }

  // "Use …" next to a broken link in the preview: the link is rewritten as suggested.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-link-fix]");
    if (!button || !textarea) return;
    const wrong = `](${button.dataset.from})`;
    const at = textarea.value.indexOf(wrong);
    if (at < 0) return;
    insert(`](${button.dataset.to})`, at, at + wrong.length);
    say(`The link now reads ${button.dataset.to}.`);
  });

  const hint = form.querySelector("[data-editor-hint]");
  if (hint) hint.hidden = false;
})();
