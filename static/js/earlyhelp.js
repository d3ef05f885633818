// Progressive enhancement only: every page works without this file.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

// A form's button ignores a second click within a second (GOV.UK Frontend's Button, read
// when initAll starts it): a double click records one consent or one note, not two.
for (const button of document.querySelectorAll('form button[data-module="govuk-button"]')) {
  if (!("preventDoubleClick" in button.dataset)) button.dataset.preventDoubleClick = "true";
}
initAll();

// A form sent again after Back records once (earlyhelp.pages): a browser that fetches the
// page again restores a typed field (after this script has run) but not a hidden one, so
// the one-time token is kept in a field it restores, and sent from it.
for (const kept of document.querySelectorAll("input[name=once_kept]")) {
  const once = kept.form && kept.form.elements.namedItem("once");
  if (!once) continue;
  if (!kept.value) kept.value = once.value;
  kept.form.addEventListener("submit", () => { if (kept.value) once.value = kept.value; });
}

// Session expiry warning: show before the idle timeout, offer to stay signed in.
const body = document.body;
const idle = Number(body.dataset.sessionIdle || 0);
const warnBefore = Number(body.dataset.sessionWarning || 0);
if (idle > 0) {
  const panel = document.getElementById("session-warning");
  const stay = document.getElementById("session-keep-alive");
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  let warnTimer, endTimer;
  const arm = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(() => { panel.hidden = false; stay.focus(); }, Math.max(0, idle - warnBefore) * 1000);
    endTimer = setTimeout(() => { window.location.href = body.dataset.signOut; }, idle * 1000);
  };
  stay.addEventListener("click", async () => {
    const headers = csrf ? { "X-CSRFToken": csrf.value } : {};
    await fetch(body.dataset.keepAlive, { method: "POST", headers, credentials: "same-origin" });
    panel.hidden = true;
    arm();
  });
  arm();
}
