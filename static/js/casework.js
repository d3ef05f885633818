// Early Help Assessment autosave (progressive enhancement: "Save draft" works without it).
// Posts the form every 20 seconds when something changed, and when a box loses focus.
// The server checks lock_version: a conflict is reported, never overwritten.
const form = document.getElementById("assessment-form");
if (form) {
  const status = document.getElementById("autosave-status");
  const lock = form.querySelector("input[name=lock_version]");
  let dirty = false;
  let stopped = false;
  let submitting = false;
  let inflight = null;
  const post = async () => {
    const body = new FormData(form);
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: "POST", body, credentials: "same-origin", headers: { "X-Autosave": "1" },
      });
      const data = await response.json();
      if (data.saved) {
        lock.value = data.lock_version;
        status.textContent = `Draft saved at ${data.saved_at}`;
      } else if (data.conflict) {
        stopped = true;
        status.textContent = `${data.message} Your text has not been saved. Select "Save draft" to compare both versions.`;
      } else {
        dirty = true;
        status.textContent = `Draft not saved: ${data.message}`;
      }
    } catch (e) {
      dirty = true;
      status.textContent = "Draft not saved: you may be offline. We will try again.";
    }
  };
  const save = () => {
    if (!dirty || inflight || stopped) return inflight;
    dirty = false;
    inflight = post().finally(() => { inflight = null; });
    return inflight;
  };
  form.addEventListener("input", () => { dirty = true; });
  form.addEventListener("change", () => { dirty = true; });
  form.addEventListener("focusout", save);
  // Leaving a box by pressing a button starts an autosave; the button's own save must wait
  // for it and carry the lock_version it returns, or the editor would conflict with herself.
  form.addEventListener("submit", (event) => {
    stopped = true;
    if (submitting || !inflight) return;
    event.preventDefault();
    const submitter = event.submitter;
    inflight.then(() => {
      submitting = true;
      form.requestSubmit(submitter);
    });
  });
  setInterval(save, 20000);
}
