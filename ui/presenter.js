// Presenter mode: the window on a shared screen. One switch in the header (also
// `token-desk-app --presenter`): larger type, a guided strip of four steps (the fourth, Try it, only here), the token always
// hidden (the backend refuses Reveal), secrets never readable, client ids and thumbprints
// shortened and files named without their folders (the backend shortens the inspector, the
// code and its messages; this module shows the form's client id and certificate facts
// shortened; ui/client-id.js keeps the client id typed). Entering is instant; leaving asks once.

import { refreshInspector, refreshSnippet, testButton } from "./check.js";
import { holdClientId, quoted, showShortClientId } from "./client-id.js";
import { closeDialog, openDialog } from "./dialogs.js";
import { $ } from "./dom.js";
import { EVENTS, emit, on } from "./events.js";
import { asFailure } from "./failure.js";
import { certInput, getButton, hideSecret } from "./form.js";
import { invoke } from "./invoke.js";
import { state } from "./state.js";
import { setStatus } from "./status.js";
import { hideRevealed } from "./token.js";

const presenter = state.presenter;
const presenterSwitch = $("presenter-switch");
const STEPS = ["token", "test", "code", "try"];

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
  if (step === "try" && !$("try-it").hidden) target = $("try-it-body").hidden ? $("try-it-live") : $("create-payment-request");
  target.scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
}

/** The client id (and certificate facts) as presenter mode shows them: shortened by the backend. */
async function updateShortened() {
  const thumb = $("cert-thumbprint");
  const subject = $("cert-subject");
  if (!presenter.on) {
    if (presenter.fullThumbprint !== null) thumb.textContent = presenter.fullThumbprint;
    if (presenter.fullSubject !== null) subject.textContent = presenter.fullSubject;
    if (presenter.fullPath !== null && certInput.value === presenter.shortPath) certInput.value = presenter.fullPath;
    presenter.shortPath = null;
    return;
  }
  const asked = ++presenter.asked;
  const id = presenter.clientId;
  const short = await invoke("shortened", {
    clientId: id,
    thumbprint: presenter.fullThumbprint,
    subject: presenter.fullSubject,
    path: presenter.fullPath,
  });
  if (!presenter.on || asked !== presenter.asked) return;
  showShortClientId(short.client_id, id);
  // Texts that quote the client id are shortened like the field.
  for (const quoting of [$("live-confirm-text"), $("profile-secret-state")]) {
    quoting.textContent = quoted(quoting.textContent);
  }
  if (presenter.fullThumbprint !== null) thumb.textContent = short.thumbprint;
  if (presenter.fullSubject !== null) subject.textContent = short.subject;
  if (presenter.fullPath !== null && short.file_name !== null && certInput.value === presenter.fullPath) {
    presenter.shortPath = short.file_name;
    certInput.value = short.file_name;
  }
}

const shorten = () => updateShortened().catch(() => {});

function updateOffline() {
  $("presenter-offline").hidden = !(presenter.on && state.form.onSimulator);
}

/** Shows the mode the backend reports. */
function applyPresenter(active) {
  if (active && !presenter.on && (certInput.value.includes("/") || certInput.value.includes("\\"))) {
    presenter.fullPath = certInput.value;
  }
  holdClientId(active);
  presenter.on = active;
  document.documentElement.classList.toggle("presenter", active);
  document.body.classList.toggle("presenter", active);
  presenterSwitch.setAttribute("aria-checked", String(active));
  $("client-id-presenter-note").hidden = !active;
  $("reveal").hidden = active;
  $("presenter-token-note").hidden = !active;
  $("step-try-item").hidden = !active;
  $("secret-toggle").hidden = active;
  if (active) {
    hideSecret();
    hideRevealed();
  }
  updateOffline();
  shorten();
  refreshInspector();
  refreshSnippet();
  emit(EVENTS.presenter, active);
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
on(EVENTS.token, () => {
  if (presenter.step === "token") setStep("test");
});
on(EVENTS.noToken, (failure) => {
  if (failure === null) setStep("token"); // the client changed: start over
});
on(EVENTS.checked, () => {
  if (presenter.step !== "code") setStep("code");
});
on(EVENTS.tried, () => setStep("try"));
on(EVENTS.simulator, updateOffline);

// The client id changes by typing, a profile or the demo (ui/client-id.js says so): each
// time, the field shows the new short form.
on(EVENTS.clientId, () => {
  if (presenter.on) shorten();
});
on(EVENTS.demo, () => {
  if (presenter.on) shorten();
});
// A newly read certificate: its facts arrive in full (the path, in presenter mode, already by
// its file name only) and are shortened here.
on(EVENTS.certificate, (view) => {
  presenter.fullThumbprint = view.thumbprint || null;
  presenter.fullSubject = view.subject || null;
  presenter.fullPath = view.path || null;
  if (presenter.on) shorten();
});

/** Shows the mode the backend is in (on with `--presenter`). */
export async function start() {
  try {
    applyPresenter((await invoke("presenter_mode")).on);
  } catch {
    // The window works as it is without presenter mode.
  }
}
