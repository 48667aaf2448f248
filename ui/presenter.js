// Presenter mode: the window on a shared screen. One switch in the header (also
// `token-desk-app --presenter`): larger type, a guided strip of three steps, the token always
// hidden (the backend refuses Reveal), secrets never readable, client ids and thumbprints
// shortened (the backend shortens the inspector and the code; this file lays the shortened
// client id over the form's field). Entering is instant; leaving asks once. Loaded last;
// uses the helpers of app.js and tester.js. textContent only.
"use strict";

const presenter = {
  on: false,
  /** The step the demo is at: "token", "test" or "code". */
  step: "token",
  /** The thumbprint and subject as the backend gave them, to put back when leaving. */
  fullThumbprint: null,
  fullSubject: null,
  /** What this file wrote over them, so its own writes are not taken for a new certificate. */
  shortThumbprint: null,
  shortSubject: null,
  /** The client id the overlay's shortened text was made from. */
  shortFor: null,
};

const presenterSwitch = $("presenter-switch");
const STEPS = ["token", "test", "code"];

function setStep(step) {
  presenter.step = step;
  const at = STEPS.indexOf(step);
  STEPS.forEach((name, i) => {
    const button = $(`step-${name}`);
    button.classList.toggle("done", i < at);
    if (i === at) button.setAttribute("aria-current", "step");
    else button.removeAttribute("aria-current");
  });
}

/** A step of the strip, clicked: the control that does it, in view and focused. */
function goToStep(step) {
  let target = getButton;
  if (step === "test" && !$("token-view").hidden) target = testButton;
  if (step === "code") {
    $("snippets").open = true;
    target = $("snippet-code");
  }
  target.scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
}

/** The client id (and certificate facts) as presenter mode shows them: shortened. */
async function updateShortened() {
  const overlay = $("client-id-short");
  const thumb = $("cert-thumbprint");
  const subject = $("cert-subject");
  if (!presenter.on) {
    overlay.hidden = true;
    clientId.classList.remove("shortened");
    presenter.shortThumbprint = null;
    presenter.shortSubject = null;
    if (presenter.fullThumbprint !== null) thumb.textContent = presenter.fullThumbprint;
    if (presenter.fullSubject !== null) subject.textContent = presenter.fullSubject;
    return;
  }
  const short = await invoke("shortened", {
    clientId: clientId.value,
    thumbprint: presenter.fullThumbprint,
    subject: presenter.fullSubject,
  });
  if (!presenter.on) return;
  overlay.textContent = short.client_id;
  presenter.shortFor = clientId.value.trim();
  ["live-confirm-text", "profile-secret-state"].forEach((id) => shortenQuotes($(id)));
  const typing = document.activeElement === clientId;
  overlay.hidden = clientId.value.trim() === "" || typing;
  clientId.classList.toggle("shortened", !overlay.hidden);
  if (presenter.fullThumbprint !== null) {
    presenter.shortThumbprint = short.thumbprint;
    thumb.textContent = short.thumbprint;
  }
  if (presenter.fullSubject !== null) {
    presenter.shortSubject = short.subject;
    subject.textContent = short.subject;
  }
}

function updateOffline() {
  $("presenter-offline").hidden = !(presenter.on && document.body.classList.contains("on-simulator"));
}

/** Shows the mode the backend reports. */
function applyPresenter(on) {
  presenter.on = on;
  document.documentElement.classList.toggle("presenter", on);
  document.body.classList.toggle("presenter", on);
  presenterSwitch.setAttribute("aria-checked", String(on));
  $("reveal").hidden = on;
  $("presenter-token-note").hidden = !on;
  $("secret-toggle").hidden = on;
  if (on) {
    hideSecret();
    hideRevealed();
  }
  updateOffline();
  updateShortened().catch(() => {});
  refreshInspector();
  refreshSnippet();
}

async function enterPresenter() {
  applyPresenter((await invoke("set_presenter_mode", { on: true })).on);
  setStatus("Presenter mode is on: the token stays hidden and client IDs are shortened.");
}

async function leavePresenter() {
  closeDialog("leave-presenter-dialog");
  applyPresenter((await invoke("set_presenter_mode", { on: false })).on);
  setStatus("Presenter mode is off.");
  presenterSwitch.focus();
}

presenterSwitch.addEventListener("click", () => {
  if (!presenter.on) enterPresenter().catch((f) => setStatus(asFailure(f).message));
  else openDialog("leave-presenter-dialog", presenterSwitch, "stay-presenter");
});
$("leave-presenter").addEventListener("click", () => leavePresenter().catch((f) => setStatus(asFailure(f).message)));
$("stay-presenter").addEventListener("click", () => {
  closeDialog("leave-presenter-dialog");
  setStatus("Presenter mode stays on.");
});
for (const step of STEPS) $(`step-${step}`).addEventListener("click", () => goToStep(step));

// The strip follows the demo: a token moves it to "Test it", a finished test to "Show the code".
document.addEventListener("token-desk:token", () => {
  if (presenter.step === "token") setStep("test");
});
document.addEventListener("token-desk:no-token", (event) => {
  if (event.detail === null) setStep("token"); // the client changed: start over
});
new MutationObserver(() => {
  if (!$("test-result").hidden && presenter.step !== "code") setStep("code");
}).observe($("test-result"), { attributes: true, attributeFilter: ["hidden"] });
new MutationObserver(updateOffline).observe(document.body, { attributes: true, attributeFilter: ["class"] });

// The client id changes by typing, a profile (which fires "input") or the demo: each time,
// the overlay follows.
document.addEventListener("token-desk:demo", () => {
  if (presenter.on) updateShortened().catch(() => {});
});
for (const event of ["input", "focus", "blur"]) {
  clientId.addEventListener(event, () => {
    if (presenter.on) updateShortened().catch(() => {});
  });
}
// A newly read certificate: its facts arrive in full from app.js and are shortened here.
new MutationObserver(() => {
  const thumb = $("cert-thumbprint").textContent;
  const subject = $("cert-subject").textContent;
  const fresh = thumb !== presenter.shortThumbprint || subject !== presenter.shortSubject;
  if (thumb !== presenter.shortThumbprint) presenter.fullThumbprint = thumb || null;
  if (subject !== presenter.shortSubject) presenter.fullSubject = subject || null;
  if (presenter.on && fresh) updateShortened().catch(() => {});
}).observe($("certificate-facts"), { childList: true, subtree: true, characterData: true });

// Texts that quote the client id (the Live confirmation, a profile's certificate subject):
// shortened like the field while presenter mode is on.
function shortenQuotes(element) {
  const full = clientId.value.trim();
  const short = $("client-id-short").textContent;
  if (!presenter.on || full.length < 12 || presenter.shortFor !== full || !element.textContent.includes(full)) return;
  element.textContent = element.textContent.split(full).join(short);
}
for (const id of ["live-confirm-text", "profile-secret-state"]) {
  const element = $(id);
  new MutationObserver(() => shortenQuotes(element)).observe(element, { childList: true, characterData: true, subtree: true });
}

invoke("presenter_mode")
  .then((mode) => applyPresenter(mode.on))
  .catch(() => {});
