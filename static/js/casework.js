// Early Help Assessment autosave (progressive enhancement: "Save draft" works without it).
// Posts the form every 20 seconds when something changed, and when a box loses focus.
// The server checks lock_version: a conflict is reported, never overwritten.
const form = document.getElementById("assessment-form");
if (form) {
  const status = document.getElementById("autosave-status");
  const lock = form.querySelector("input[name=lock_version]");
  let dirty = false;
  let busy = false;
  let stopped = false;
  const save = async () => {
    if (!dirty || busy || stopped) return;
    busy = true;
    dirty = false;
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
    } finally {
      busy = false;
    }
  };
  form.addEventListener("input", () => { dirty = true; });
  form.addEventListener("change", () => { dirty = true; });
  form.addEventListener("focusout", save);
  setInterval(save, 20000);
}
