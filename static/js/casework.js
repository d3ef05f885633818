// Early Help Assessment autosave (progressive enhancement: "Save draft" works without it).
// Posts the form 2 seconds after typing stops, when a box loses focus, every 20 seconds if
// something changed, and when the page is left (reload, tab closed, another page): then a
// keepalive request that outlives the page carries the last words. While a save is pending
// the page says so, and leaving asks first. The server checks lock_version: a conflict is
// reported, never overwritten.
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
  let pause = null;
  const changed = () => {
    dirty = true;
    if (!stopped) status.textContent = "Changes not saved yet";
    clearTimeout(pause);
    pause = setTimeout(save, 2000);
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // Leaving the page: send what is not saved yet with a request that survives the page.
  const saveOnLeaving = () => {
    // A save in flight may be cut off with the page: send again (a repeat is refused as a
    // conflict by lock_version, never written twice).
    if ((!dirty && !inflight) || stopped || submitting) return;
    dirty = false;
    const body = new FormData(form);
    body.append("_autosave", "1");
    fetch(form.dataset.autosaveUrl, {
      method: "POST", body, credentials: "same-origin", keepalive: true,
      headers: { "X-Autosave": "1" },
    }).catch(() => { navigator.sendBeacon(form.dataset.autosaveUrl, body); });
  };
  window.addEventListener("pagehide", saveOnLeaving);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") saveOnLeaving();
  });
  // A save still pending: ask before the page goes (the browser shows its own words).
  window.addEventListener("beforeunload", (event) => {
    if ((dirty || inflight) && !stopped && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
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
