// Autosave for every long form (progressive enhancement: the form's own "Save draft" button
// works without it). A form opts in with data-autosave; it posts to data-autosave-url, or to
// its own action with the fields in data-autosave-fields ("action=autosave").
// Posts 2 seconds after typing stops, when a box loses focus, every 20 seconds if something
// changed, and when the page is left (reload, tab closed, another page): then a keepalive
// request that outlives the page carries the last words. While a save is pending the page
// says so, and leaving asks first. Where the form carries a lock_version the server checks
// it: a conflict is reported, never overwritten. The server may answer with a new
// action_url (the first save of a request creates its draft; later saves go to it).
for (const form of document.querySelectorAll("form[data-autosave]")) {
  const status = document.getElementById("autosave-status");
  const lock = form.querySelector("input[name=lock_version]");
  const url = () => form.dataset.autosaveUrl || form.getAttribute("action") || window.location.href;
  const formBody = () => {
    const body = new FormData(form);
    for (const pair of (form.dataset.autosaveFields || "").split(" ").filter(Boolean)) {
      const [name, value] = pair.split("=");
      body.set(name, value);
    }
    return body;
  };
  const say = (text) => { if (status) status.textContent = text; };
  let dirty = false;
  let stopped = false;
  let submitting = false;
  let inflight = null;
  const post = async () => {
    try {
      const response = await fetch(url(), {
        method: "POST", body: formBody(), credentials: "same-origin",
        headers: { "X-Autosave": "1" },
      });
      const data = await response.json();
      if (data.saved) {
        if (lock && data.lock_version) lock.value = data.lock_version;
        if (data.action_url) form.setAttribute("action", data.action_url);
        say(`Draft saved at ${data.saved_at}`);
      } else if (data.conflict) {
        stopped = true;
        say(`${data.message} Your text has not been saved. Select "Save draft" to compare both versions.`);
      } else {
        dirty = true;
        say(`Draft not saved: ${data.message}`);
      }
    } catch (e) {
      dirty = true;
      say("Draft not saved: you may be offline. We will try again.");
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
    if (!stopped) say("Changes not saved yet");
    clearTimeout(pause);
    pause = setTimeout(save, 2000);
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // Leaving the page: send what is not saved yet with a request that survives the page.
  const saveOnLeaving = () => {
    // A save in flight may be cut off with the page: send again (with a lock_version a
    // repeat is refused as a conflict, never written twice; a request draft is overwritten
    // with the same words).
    if ((!dirty && !inflight) || stopped || submitting) return;
    dirty = false;
    const body = formBody();
    body.append("_autosave", "1");
    fetch(url(), {
      method: "POST", body, credentials: "same-origin", keepalive: true,
      headers: { "X-Autosave": "1" },
    }).catch(() => { navigator.sendBeacon(url(), body); });
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
  form.addEventListener("focusout", (event) => {
    // Pressing one of the form's buttons submits it: no separate save.
    if (event.relatedTarget && event.relatedTarget.type === "submit") return;
    save();
  });
  // Leaving a box by pressing a button may start an autosave; the button's own save waits
  // for it and carries what it returned (the lock_version, the draft's address), or the
  // editor would conflict with herself.
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
