// Request for support autosave (progressive enhancement: "Save as draft" works without it).
// Every 15 seconds, if something changed, the form is posted as a draft; the first save
// creates the draft and later saves (and "Send request") go to it.
const form = document.getElementById("main-form");
if (form) {
  const status = document.getElementById("autosave-status");
  let dirty = false;
  let inflight = null;
  const save = async () => {
    if (!dirty || inflight) return;
    dirty = false;
    const body = new FormData(form);
    body.set("action", "autosave");
    // getAttribute: the buttons named "action" shadow form.action.
    inflight = fetch(form.getAttribute("action"), {
      method: "POST", body, credentials: "same-origin", headers: { "X-Autosave": "1" },
    })
      .then((response) => response.json())
      .then((data) => {
        if (data.saved) {
          form.setAttribute("action", data.action_url);
          status.textContent = `Draft saved at ${data.saved_at}`;
        }
      })
      .catch(() => {
        dirty = true;
        status.textContent = "Draft not saved: you may be offline. We will try again.";
      })
      .finally(() => { inflight = null; });
    await inflight;
  };
  form.addEventListener("input", () => { dirty = true; });
  form.addEventListener("change", () => { dirty = true; });
  form.addEventListener("focusout", (event) => {
    // Leaving a box saves at once, unless the user is pressing one of the form's buttons.
    if (event.relatedTarget && event.relatedTarget.type === "submit") return;
    save();
  });
  form.addEventListener("submit", (event) => {
    // Let an autosave in flight finish first, so the send goes to the same draft.
    if (inflight) {
      event.preventDefault();
      const button = event.submitter;
      inflight.finally(() => form.requestSubmit(button));
    }
  });
  setInterval(save, 15000);
}
