// Presenter mode: the window on a shared screen. One switch in the header (also
// `token-desk-app --presenter`): larger type, a guided strip of three steps, the token always
// hidden (the backend refuses Reveal), secrets never readable, client ids and thumbprints
// shortened and files named without their folders (the backend shortens the inspector, the
// code and its messages; this file shows the form's client id and certificate facts
// shortened). The Client ID field shows the shortened form even while it is typed in: typing
// goes to the client id kept here, never into the field, so the page's markup never holds the
// whole id. Entering is instant; leaving asks once. Loaded last; uses the helpers of app.js and
// tester.js. textContent only.
"use strict";

const presenter = {
  on: false,
  /** The step the demo is at: "token", "test" or "code". */
  step: "token",
  /** The thumbprint, subject and certificate path as the backend gave them, to put back when leaving. */
  fullThumbprint: null,
  fullSubject: null,
  fullPath: null,
  /** What this file wrote over them, so its own writes are not taken for a new certificate. */
  shortThumbprint: null,
  shortSubject: null,
  shortPath: null,
  /** While on: the client id typed or filled in. The field shows only `shownId`, its short form. */
  clientId: "",
  shownId: "",
  /** The client id `shownId` was made from. */
  shortFor: null,
  /** Whether the client id changed since the field took focus (app.js hears "change" on blur). */
  editedSinceFocus: false,
  /** Requests for the short forms, counted, so an answer overtaken by a newer edit is dropped. */
  asked: 0,
};

const presenterSwitch = $("presenter-switch");
const STEPS = ["token", "test", "code"];
/** How app.js and profiles.js read and write the client id while presenter mode is off. */
const fieldClientId = { read: clientField.read, write: clientField.write };

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

/** The client id (and certificate facts) as presenter mode shows them: shortened by the backend. */
async function updateShortened() {
  const thumb = $("cert-thumbprint");
  const subject = $("cert-subject");
  if (!presenter.on) {
    presenter.shortThumbprint = null;
    presenter.shortSubject = null;
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
  presenter.shortFor = id.trim();
  presenter.shownId = short.client_id;
  clientId.value = short.client_id;
  ["live-confirm-text", "profile-secret-state"].forEach((elementId) => shortenQuotes($(elementId)));
  if (presenter.fullThumbprint !== null) {
    presenter.shortThumbprint = short.thumbprint;
    thumb.textContent = short.thumbprint;
  }
  if (presenter.fullSubject !== null) {
    presenter.shortSubject = short.subject;
    subject.textContent = short.subject;
  }
  if (presenter.fullPath !== null && short.file_name !== null && certInput.value === presenter.fullPath) {
    presenter.shortPath = short.file_name;
    certInput.value = short.file_name;
  }
}

/** The client id became `id` by typing: kept here, shown shortened, and announced to app.js. */
function typedClientId(id) {
  presenter.clientId = id;
  presenter.editedSinceFocus = true;
  updateShortened().catch(() => {});
  clientId.dispatchEvent(new Event("input")); // the client changed: the credential entered goes
}

/**
 * An edit of the Client ID field, taken before it reaches the field. The field shows the short
 * form, so where the caret stands means nothing: text is added at the end, a deletion removes
 * the last character, and an edit of the whole selected field replaces the whole client id.
 */
function takeEdit(event) {
  if (!presenter.on || clientId.readOnly) return;
  event.preventDefault();
  const type = event.inputType || "";
  const whole = clientId.value !== "" && clientId.selectionStart === 0 && clientId.selectionEnd === clientId.value.length;
  let id = whole ? "" : presenter.clientId;
  if (type.startsWith("insert")) {
    const text = event.data ?? (event.dataTransfer ? event.dataTransfer.getData("text/plain") : "");
    id += (text || "").replace(/[\r\n]+/g, "");
  } else if (type.startsWith("delete")) {
    if (!whole && type !== "deleteContentForward") id = id.slice(0, -1);
  } else {
    return; // undo, redo, formatting: nothing to do on a shortened field
  }
  typedClientId(id);
}

/**
 * An edit that reached the field anyway (an engine without `beforeinput`, autofill, a test
 * driver's clear): measured against what the field showed, applied to the client id kept
 * here, and the field shows the short form again at once.
 */
function catchEdit(event) {
  if (!presenter.on || !event.isTrusted || clientId.value === presenter.shownId) return;
  const now = clientId.value;
  const was = presenter.shownId;
  let id = presenter.clientId;
  if (now === "") id = "";
  else if (now.startsWith(was)) id += now.slice(was.length);
  else if (was.startsWith(now)) id = id.slice(0, Math.max(0, id.length - (was.length - now.length)));
  else id = now;
  clientId.value = was;
  event.stopImmediatePropagation();
  typedClientId(id);
}

function updateOffline() {
  $("presenter-offline").hidden = !(presenter.on && document.body.classList.contains("on-simulator"));
}

/** Shows the mode the backend reports. */
function applyPresenter(on) {
  const was = presenter.on;
  if (on && !was) {
    // From now on the client id lives here and the field shows it shortened.
    presenter.clientId = clientId.value;
    presenter.shownId = clientId.value;
    clientField.read = () => presenter.clientId;
    clientField.write = (id) => {
      presenter.clientId = id;
      updateShortened().catch(() => {});
    };
    if (certInput.value.includes("/") || certInput.value.includes("\\")) presenter.fullPath = certInput.value;
  } else if (!on && was) {
    clientId.value = presenter.clientId;
    Object.assign(clientField, fieldClientId);
  }
  presenter.on = on;
  document.documentElement.classList.toggle("presenter", on);
  document.body.classList.toggle("presenter", on);
  presenterSwitch.setAttribute("aria-checked", String(on));
  $("client-id-presenter-note").hidden = !on;
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
  document.dispatchEvent(new CustomEvent("token-desk:presenter", { detail: on }));
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

// The client id changes by typing (taken here, before the field), a profile or the demo (through
// clientField.write): each time, the field shows the new short form.
document.addEventListener("token-desk:demo", () => {
  if (presenter.on) updateShortened().catch(() => {});
});
clientId.addEventListener("beforeinput", takeEdit);
clientId.addEventListener("input", catchEdit, true);
clientId.addEventListener("focus", () => {
  presenter.editedSinceFocus = false;
});
clientId.addEventListener("blur", () => {
  if (presenter.on && presenter.editedSinceFocus) clientId.dispatchEvent(new Event("change"));
  presenter.editedSinceFocus = false;
});
// A newly read certificate: its facts arrive in full from app.js and are shortened here.
new MutationObserver(() => {
  const thumb = $("cert-thumbprint").textContent;
  const subject = $("cert-subject").textContent;
  const fresh = thumb !== presenter.shortThumbprint || subject !== presenter.shortSubject;
  if (thumb !== presenter.shortThumbprint) presenter.fullThumbprint = thumb || null;
  if (subject !== presenter.shortSubject) presenter.fullSubject = subject || null;
  // The path arrives with them (in presenter mode already by its file name only).
  if (fresh && certInput.value !== presenter.shortPath) presenter.fullPath = certInput.value || null;
  if (presenter.on && fresh) updateShortened().catch(() => {});
}).observe($("certificate-facts"), { childList: true, subtree: true, characterData: true });

// Texts that quote the client id (the Live confirmation, a profile's certificate subject):
// shortened like the field while presenter mode is on.
function shortenQuotes(element) {
  const full = presenter.clientId.trim();
  const short = presenter.shownId;
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
