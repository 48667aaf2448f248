// The token form: the client, what Stitch gave (a secret or a certificate), the scopes and
// Advanced's URLs. The backend holds the secret or certificate once entered and decides
// everything about them; this module renders what it says.

import { $, el, breakable } from "./dom.js";
import { readClientId } from "./client-id.js";
import { EVENTS, emit, on } from "./events.js";
import { showFailure } from "./failure.js";
import { invoke } from "./invoke.js";
import { selectedProfileName, state } from "./state.js";
import { setStatus } from "./status.js";

export const form = $("token-form");
export const secretInput = $("client-secret");
export const certInput = $("certificate");
export const otherScope = $("other-scope");
export const tokenUrl = $("token-url");
export const audience = $("audience");
export const apiUrl = $("api-url");
export const getButton = $("get-token");

function renderScopes(scopes) {
  const list = $("scope-list");
  for (const scope of scopes) {
    const row = el("div", "scope");
    const box = el("input");
    box.type = "checkbox";
    box.id = `scope-${scope.name}`;
    box.name = "scope";
    box.value = scope.name;
    box.setAttribute("aria-describedby", `scope-${scope.name}-desc`);
    const label = el("label", "scope-name");
    label.append(...breakable(scope.name));
    label.htmlFor = box.id;
    const desc = el("span", "scope-desc", scope.description);
    desc.id = `scope-${scope.name}-desc`;
    desc.addEventListener("click", () => box.click());
    row.append(box, label, desc);
    list.append(row);
  }
}

export const scopeBoxes = () => [...document.querySelectorAll('input[name="scope"]')];

export const checkedScopes = () => scopeBoxes().filter((b) => b.checked).map((b) => b.value);

/** The ticked scopes and what is typed under "Another scope". */
export function requestedScopes() {
  const scopes = checkedScopes();
  if (otherScope.value.trim() !== "") scopes.push(otherScope.value);
  return scopes;
}

/** Ticks exactly `names` among the known scopes. */
export function tickOnly(names) {
  for (const box of scopeBoxes()) box.checked = names.includes(box.value);
}

export const authChoice = () => ($("auth-certificate").checked ? "certificate" : "secret");

/** Chooses "A client secret" or "A certificate file" and shows its panel. */
export function chooseAuth(auth) {
  $(auth === "certificate" ? "auth-certificate" : "auth-secret").checked = true;
  showAuthPanel();
}

export function showAuthPanel() {
  const cert = authChoice() === "certificate";
  $("secret-panel").hidden = cert;
  $("certificate-panel").hidden = !cert;
}

/** The one-click scope fix, for Test token and Try it alike: the backend adds `adding` to the
 *  last request, gets a new token and tests it; the form's boxes for them are ticked. */
export async function addMissingScopes(adding) {
  const fixed = await invoke("fix_missing_scopes", {
    missing: adding,
    scopes_to_check: checkedScopes(),
    api_url: apiUrl.value.trim() || null,
  });
  for (const name of adding) {
    const box = $(`scope-${name}`);
    if (box) box.checked = true;
  }
  return fixed;
}

/** The client the form names: what a token request and the code for integrators share. */
function client() {
  return {
    client_id: readClientId(),
    auth: authChoice(),
    scopes: requestedScopes(),
    token_url: tokenUrl.value.trim() || null,
    audience: audience.value.trim() || null,
  };
}

/** The form as get_token takes it (a saved profile's secret comes from the keyring). */
export function tokenForm(force) {
  return { ...client(), force, profile: selectedProfileName() };
}

/** The form's settings for the backend's snippet and collection makers. There is no secret in them. */
export function snippetSettings() {
  return { ...client(), api_url: apiUrl.value.trim() || null };
}

// ---------------------------------------------------------------------------------------
// The secret

/** Show never lingers: it ends when the secret is replaced, the client or profile changes, or
 * focus has been away from the field for as long as the backend's timers say (20 s). */
function toggleSecretVisibility() {
  const button = $("secret-toggle");
  const showing = secretInput.type === "text";
  if (!showing && state.presenter.on) return; // never readable on a shared screen
  secretInput.type = showing ? "password" : "text";
  button.textContent = showing ? "Show" : "Hide";
  button.setAttribute("aria-label", showing ? "Show secret" : "Hide secret");
  clearTimeout(state.form.showTimer);
  // Turned on from the button, focus is already away from the field: the linger starts now.
  if (!showing && document.activeElement !== secretInput) lingerThenHide();
}

function lingerThenHide() {
  state.form.showTimer = setTimeout(hideSecret, state.timers.showLingerMs);
}

export function hideSecret() {
  clearTimeout(state.form.showTimer);
  if (secretInput.type === "text") toggleSecretVisibility();
}

/** The backend now holds a secret: the page forgets it and only says that one is set. */
export function showSecretSet(isSet) {
  clearTimeout(state.form.showTimer);
  secretInput.classList.remove("rejected");
  secretInput.value = "";
  secretInput.type = "password";
  $("secret-toggle").textContent = "Show";
  $("secret-toggle").setAttribute("aria-label", "Show secret");
  secretInput.classList.toggle("has-secret", isSet);
  secretInput.placeholder = isSet ? "✓ Secret set — type a new one to replace it" : "";
  $("client-secret-hint").textContent = isSet
    ? "A secret is set for this client and token URL only. It is never shown; type a new one to replace it."
    : "Handed to Token Desk once and never shown again.";
  if (isSet) secretNoLongerMissing();
}

/** The token server did not accept the secret entered: the field says so, not "set". */
export function showSecretRejected() {
  secretInput.classList.remove("has-secret");
  secretInput.classList.add("rejected");
  secretInput.placeholder = "Not accepted — type it again";
  $("client-secret-hint").textContent =
    "The token server did not accept this secret for this client. Type it again, exactly as Stitch gave it.";
}

/** A secret is entered again: a notice that it was dropped is no longer true, so it goes. */
function secretNoLongerMissing() {
  if (state.status.about === "secret-dropped") setStatus("A secret is entered for this client. Choose Get token.");
}

/** The backend holds a secret or certificate for the client and token URL shown now. */
export function credentialEntered() {
  state.form.credentialHeld = true;
  state.token.resultCleared = false;
}

/** The form's client and token URL: what an entered secret or certificate is bound to. */
export const destination = () => ({ clientId: readClientId(), tokenUrl: tokenUrl.value.trim() || null });

/** Hands the typed secret to the backend, for the client and token URL shown now. */
export async function storeSecret() {
  const stored = await invoke("set_secret", { secret: secretInput.value, ...destination() });
  showSecretSet(stored.secret_set);
  state.form.credentialHeld = stored.secret_set;
  if (stored.secret_set) state.token.resultCleared = false;
}

/** The page no longer shows a secret or certificate as set (the backend has dropped it). */
export function forgetShownCredential() {
  state.form.credentialHeld = false;
  showSecretSet(false);
  certInput.value = "";
  $("certificate-facts").hidden = true;
}

// ---------------------------------------------------------------------------------------
// The certificate

const VALIDITY = {
  valid: ["Valid", "ok"],
  expires_soon: ["Expires soon", "warn"],
  expired: ["Expired", "bad"],
  not_yet_valid: ["Not valid yet", "bad"],
};

function formatDate(rfc3339) {
  return new Date(rfc3339).toLocaleDateString([], { year: "numeric", month: "long", day: "numeric" });
}

export function renderCertificate(view) {
  credentialEntered();
  secretNoLongerMissing();
  certInput.value = view.path;
  certInput.scrollLeft = certInput.scrollWidth;
  $("certificate-error").hidden = true;
  $("cert-subject").textContent = view.subject;
  $("cert-thumbprint").textContent = view.thumbprint;
  $("cert-expires").textContent = formatDate(view.not_after);
  const [text, tone] = VALIDITY[view.validity] || [view.validity, "warn"];
  const pill = $("cert-validity");
  pill.textContent = text;
  pill.className = `pill ${tone}`;
  $("cert-warning").textContent = view.warning || "";
  $("cert-warning").hidden = !view.warning;
  $("certificate-facts").hidden = false;
  emit(EVENTS.certificate, view);
}

/** The backend's chooser asks for the file (the page never names one) and reads it for the
 *  client and token URL shown now. */
async function chooseCertificate() {
  try {
    const view = await invoke("choose_certificate", destination());
    if (view) {
      renderCertificate(view);
      setStatus("Certificate read. Its private key stays on this computer.");
    }
  } catch (failure) {
    forgetShownCredential();
    showFailure("certificate-error", failure);
  }
}

// ---------------------------------------------------------------------------------------
// Scope hints and the simulator badge

/** Hints for typed scopes come from the backend (it knows Stitch's scopes and near misses). */
async function updateScopeHints() {
  const box = $("other-scope-hint");
  const text = otherScope.value;
  const hints = text.trim() === "" ? [] : await invoke("scope_hints", { text });
  box.replaceChildren(
    ...hints.map((hint) => {
      const line = el("p", "hint-line", hint.message);
      const target = hint.suggestion && $(`scope-${hint.suggestion}`);
      if (target) {
        const use = el("button", "link", `Use ${hint.suggestion}`);
        use.type = "button";
        use.addEventListener("click", () => {
          target.checked = true;
          otherScope.value = text
            .split(/[\s,]+/)
            .filter((s) => s !== "" && s !== hint.scope)
            .join(" ");
          updateScopeHints();
          otherScope.focus();
          setStatus(`${hint.suggestion} is ticked.`);
        });
        line.append(" ", use);
      }
      return line;
    }),
  );
}

/** Empties "Another scope" and its hints. */
export function clearOtherScope() {
  otherScope.value = "";
  updateScopeHints();
}

/** The simulator badge and card, as the backend decides from the form's client and token URL
 *  (the card shows only while the form points at the simulator or nothing is set up). */
export async function updateSimulatorBadge() {
  const asked = { clientId: $("client-id").value, tokenUrl: tokenUrl.value.trim() || null };
  const view = await invoke("form_view", asked).catch(() => null);
  if (!view || asked.clientId !== $("client-id").value || asked.tokenUrl !== (tokenUrl.value.trim() || null)) return;
  $("simulator-badge").hidden = !view.on_simulator;
  document.body.classList.toggle("on-simulator", view.on_simulator);
  state.form.onSimulator = view.on_simulator;
  $("demo").hidden = !view.demo_card;
  emit(EVENTS.simulator);
}

// ---------------------------------------------------------------------------------------
// Wiring and start

for (const radio of document.querySelectorAll('input[name="auth"]')) {
  radio.addEventListener("change", showAuthPanel);
}
$("secret-toggle").addEventListener("click", toggleSecretVisibility);
secretInput.addEventListener("focus", () => clearTimeout(state.form.showTimer));
secretInput.addEventListener("blur", () => {
  clearTimeout(state.form.showTimer);
  if (secretInput.type === "text") lingerThenHide();
});
secretInput.addEventListener("input", () => {
  if (secretInput.value !== "") secretNoLongerMissing();
});
$("choose-certificate").addEventListener("click", chooseCertificate);
otherScope.addEventListener("input", () => {
  clearTimeout(state.form.hintTimer);
  state.form.hintTimer = setTimeout(() => updateScopeHints().catch(() => {}), 250);
});
tokenUrl.addEventListener("input", () => {
  if (!state.form.audienceTouched) audience.value = tokenUrl.value;
  updateSimulatorBadge();
});
audience.addEventListener("input", () => {
  state.form.audienceTouched = audience.value.trim() !== "" && audience.value !== tokenUrl.value;
});
on(EVENTS.clientId, ({ typed }) => {
  if (typed) updateSimulatorBadge();
});

/** Fills the form with Stitch's defaults and the scopes the backend knows. */
export async function start() {
  const defaults = await invoke("defaults");
  tokenUrl.value = defaults.token_url;
  audience.value = defaults.audience;
  renderScopes(defaults.scopes);
  showAuthPanel();
  updateSimulatorBadge();
}
