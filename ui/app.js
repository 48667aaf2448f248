// Token Desk's window. It renders what the backend says and ticks the expiry countdown;
// every decision about tokens, scopes, certificates and the clipboard is made in Rust.
// Data goes into the page with textContent, never innerHTML.
"use strict";

// A command of the backend, called as `invoke` of @tauri-apps/api/core calls it. The page uses
// nothing else of that API, so `withGlobalTauri` is off and its script is not put into the page
// (no start-up or memory saving showed: docs/benchmarks.md, "Window memory").
const invoke = (command, args) => window.__TAURI_INTERNALS__.invoke(command, args);

const $ = (id) => document.getElementById(id);

const form = $("token-form");
const clientId = $("client-id");
/**
 * The client id of the form: read and write it through these, never through the field. The
 * field holds it, except in presenter mode, where it shows only a shortened form and
 * ui/presenter.js keeps the client id (and replaces these two).
 */
const clientField = {
  read: () => clientId.value,
  write: (id) => {
    clientId.value = id;
  },
};
const secretInput = $("client-secret");
const certInput = $("certificate");
const otherScope = $("other-scope");
const tokenUrl = $("token-url");
const audience = $("audience");
const getButton = $("get-token");
const cancelButton = $("cancel");
const getNewButton = $("get-new-token");
const status = $("status");
const copyButtons = ["copy-token", "copy-header", "copy-curl"].map($);

/** What the page remembers between events. The backend holds everything secret. */
const ui = {
  busy: false,
  /** Whether the backend holds a secret or certificate entered for the client and token URL
   *  shown: changing either makes the backend drop it (it is bound to them). */
  credentialHeld: false,
  /** Whether the user changed Audience (otherwise it follows Token URL). */
  audienceTouched: false,
  clearSeconds: 60,
  /** How long a "Copied" note stays next to its button (the backend's defaults say). */
  copiedNoteMs: 4000,
  /** What the status line describes while it is still true ("secret-dropped": the secret
   *  entered for the old client or token URL was dropped), so it goes once it is not. */
  statusAbout: null,
  token: null,
  revealed: false,
  ticker: null,
  hintTimer: null,
  showTimer: null,
  revealTimer: null,
  /**
   * Whether a token or error was cleared since the credential was entered. One edit of the
   * client can clear the answer (its change event) before it drops the credential (its input
   * event); the second message then reports both.
   */
  resultCleared: false,
};

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A scope name as nodes that may wrap only after each "_" (a <wbr> there), never mid-word. */
function breakable(text) {
  const nodes = [];
  text.split("_").forEach((part, i, parts) => {
    nodes.push(document.createTextNode(i < parts.length - 1 ? `${part}_` : part));
    if (i < parts.length - 1) nodes.push(document.createElement("wbr"));
  });
  return nodes;
}

/** Shows a "Copied" note (`note`, next to its button) for a few seconds. */
function showCopied(note, text) {
  note.textContent = text;
  note.hidden = false;
  clearTimeout(note.copiedTimer);
  note.copiedTimer = setTimeout(() => {
    note.hidden = true;
  }, ui.copiedNoteMs);
}

function setStatus(text, busy = false) {
  ui.statusAbout = null;
  status.textContent = text;
  status.classList.toggle("busy", busy);
}

/** Buttons stay focusable while unavailable, so keyboard focus never falls off the page. */
function setAvailable(button, available) {
  if (available) button.removeAttribute("aria-disabled");
  else button.setAttribute("aria-disabled", "true");
}
const available = (button) => button.getAttribute("aria-disabled") !== "true";

/** A failure from the backend is {kind, message, details}; anything else is a bug here. */
function asFailure(value) {
  if (value && typeof value === "object" && typeof value.message === "string") return value;
  return {
    kind: "internal",
    message: "Something went wrong inside Token Desk. Try again; if it keeps happening, restart the app.",
    details: [String(value)],
  };
}

// ---------------------------------------------------------------------------------------
// Form

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

const checkedScopes = () =>
  [...document.querySelectorAll('input[name="scope"]:checked')].map((b) => b.value);

const authChoice = () => ($("auth-certificate").checked ? "certificate" : "secret");

function showAuthPanel() {
  const cert = authChoice() === "certificate";
  $("secret-panel").hidden = cert;
  $("certificate-panel").hidden = !cert;
}

function toggleSecretVisibility() {
  const button = $("secret-toggle");
  const showing = secretInput.type === "text";
  if (!showing && document.body.classList.contains("presenter")) return; // never readable on a shared screen
  secretInput.type = showing ? "password" : "text";
  button.textContent = showing ? "Show" : "Hide";
  button.setAttribute("aria-label", showing ? "Show secret" : "Hide secret");
  clearTimeout(ui.showTimer);
  // Turned on from the button, focus is already away from the field: the 20 s start now.
  if (!showing && document.activeElement !== secretInput) ui.showTimer = setTimeout(hideSecret, SHOW_LINGER_MS);
}

/** Show never lingers: it ends when the secret is replaced, the client or profile changes, or
 * focus has been away from the field for SHOW_LINGER_MS. */
const SHOW_LINGER_MS = 20000;
function hideSecret() {
  clearTimeout(ui.showTimer);
  if (secretInput.type === "text") toggleSecretVisibility();
}

/** The backend now holds a secret: the page forgets it and only says that one is set. */
function showSecretSet(isSet) {
  clearTimeout(ui.showTimer);
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
function showSecretRejected() {
  secretInput.classList.remove("has-secret");
  secretInput.classList.add("rejected");
  secretInput.placeholder = "Not accepted — type it again";
  $("client-secret-hint").textContent =
    "The token server did not accept this secret for this client. Type it again, exactly as Stitch gave it.";
}

/** A secret is entered again: a notice that it was dropped is no longer true, so it goes. */
function secretNoLongerMissing() {
  if (ui.statusAbout === "secret-dropped") setStatus("A secret is entered for this client. Choose Get token.");
}

const VALIDITY = {
  valid: ["Valid", "ok"],
  expires_soon: ["Expires soon", "warn"],
  expired: ["Expired", "bad"],
  not_yet_valid: ["Not valid yet", "bad"],
};

function formatDate(rfc3339) {
  return new Date(rfc3339).toLocaleDateString([], { year: "numeric", month: "long", day: "numeric" });
}

function renderCertificate(view) {
  ui.credentialHeld = true;
  ui.resultCleared = false;
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
}

function showCertificateError(failure) {
  $("certificate-facts").hidden = true;
  $("certificate-error").textContent = asFailure(failure).message;
  $("certificate-error").hidden = false;
}

/** The form's client and token URL: what an entered secret or certificate is bound to. */
const destination = () => ({ clientId: clientField.read(), tokenUrl: tokenUrl.value.trim() || null });

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
    showCertificateError(failure);
  }
}

/** The page no longer shows a secret or certificate as set (the backend has dropped it). */
function forgetShownCredential() {
  ui.credentialHeld = false;
  showSecretSet(false);
  certInput.value = "";
  $("certificate-facts").hidden = true;
}

/** The client or token URL changed: the secret or certificate entered was for the old one,
 *  so the backend drops it and the user enters it again for the new one. */
async function destinationChanged() {
  if (!ui.credentialHeld) return;
  // The same edit usually clears the previous client's answer too (see forgetResult): say both.
  const cleared = forgetResult() || ui.resultCleared;
  forgetShownCredential();
  await invoke("forget_credential");
  setStatus(
    cleared
      ? "The client or token URL changed: the previous client's token and messages were cleared, and the secret entered for it was dropped. Enter the secret again."
      : "The client or token URL changed, so the secret entered for the old one was dropped. Enter it again.",
  );
  ui.statusAbout = "secret-dropped";
}

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

/** The simulator badge and card, as the backend decides from the form's client and token URL
 *  (the card shows only while the form points at the simulator or nothing is set up). */
async function updateSimulatorBadge() {
  const asked = { clientId: clientId.value, tokenUrl: tokenUrl.value.trim() || null };
  const view = await invoke("form_view", asked).catch(() => null);
  if (!view || asked.clientId !== clientId.value || asked.tokenUrl !== (tokenUrl.value.trim() || null)) return;
  $("simulator-badge").hidden = !view.on_simulator;
  document.body.classList.toggle("on-simulator", view.on_simulator);
  $("demo").hidden = !view.demo_card;
}

// ---------------------------------------------------------------------------------------
// The simulator

async function startDemo(client) {
  const buttons = [$("demo-secret"), $("demo-certificate")];
  if (!buttons.every(available)) return;
  buttons.forEach((b) => setAvailable(b, false));
  setStatus("Starting the simulator…", true);
  try {
    const demo = await invoke("start_demo", { client });
    clientField.write(demo.client_id);
    $(demo.auth === "certificate" ? "auth-certificate" : "auth-secret").checked = true;
    showAuthPanel();
    if (demo.auth === "secret") {
      showSecretSet(true);
      ui.credentialHeld = true;
      ui.resultCleared = false;
    }
    if (demo.certificate) renderCertificate(demo.certificate);
    tokenUrl.value = demo.token_url;
    audience.value = demo.audience;
    ui.audienceTouched = false;
    for (const box of document.querySelectorAll('input[name="scope"]')) {
      box.checked = demo.scopes.includes(box.value);
    }
    otherScope.value = "";
    updateScopeHints();
    updateSimulatorBadge();
    $("demo").classList.add("running");
    $("demo-title").textContent = "The simulator is running";
    $("demo-intro").hidden = true;
    $("demo-url").textContent = new URL(demo.token_url).host;
    $("demo-running").hidden = false;
    forgetResult(); // another client: the previous one's answer goes
    document.dispatchEvent(new CustomEvent("token-desk:demo", { detail: demo }));
    const which = demo.auth === "certificate" ? "certificate" : "secret";
    setStatus(`The demo ${which} client is filled in (Simulator — not Stitch). Choose Get token.`);
    getButton.focus();
  } catch (failure) {
    showFailure(failure);
  } finally {
    buttons.forEach((b) => setAvailable(b, true));
  }
}

// ---------------------------------------------------------------------------------------
// Getting a token

function setBusy(busy, force) {
  ui.busy = busy;
  setAvailable(getButton, !busy);
  setAvailable(getNewButton, !busy);
  getButton.textContent = busy ? "Getting token…" : "Get token";
  cancelButton.hidden = !busy;
  $("shortcut").hidden = busy;
  $("shortcut-cancel").hidden = !busy;
  $("progress").hidden = !busy;
  $("token-view").classList.toggle("stale", busy);
  form.setAttribute("aria-busy", String(busy));
  if (busy) {
    let host = "the token server";
    try {
      host = new URL(tokenUrl.value.trim()).host || host;
    } catch {
      // The backend explains a bad URL.
    }
    setStatus(force ? `Asking ${host} for a new token…` : `Getting a token from ${host}…`, true);
  }
}

async function getToken(force) {
  if (ui.busy) return;
  setBusy(true, force);
  try {
    const auth = authChoice();
    if (auth === "secret" && secretInput.value !== "") await storeSecret();
    const scopes = checkedScopes();
    if (otherScope.value.trim() !== "") scopes.push(otherScope.value);
    const view = await invoke("get_token", {
      form: {
        client_id: clientField.read(),
        auth,
        scopes,
        token_url: tokenUrl.value.trim() || null,
        audience: audience.value.trim() || null,
        force,
        // The saved profile chosen in ui/profiles.js, if any: its secret comes from the keyring.
        profile: window.selectedProfileName ? window.selectedProfileName() : null,
      },
    });
    showToken(view);
  } catch (failure) {
    showFailure(failure);
  } finally {
    setBusy(false);
  }
}

/** Hands the typed secret to the backend, for the client and token URL shown now. */
async function storeSecret() {
  const stored = await invoke("set_secret", { secret: secretInput.value, ...destination() });
  showSecretSet(stored.secret_set);
  ui.credentialHeld = stored.secret_set;
  if (stored.secret_set) ui.resultCleared = false;
}

async function cancel() {
  if (!ui.busy) return;
  setStatus("Cancelling…", true);
  await invoke("cancel_token");
}

/** Puts the answer (`target`: the token or the error) in plain sight and gives it focus, so
 * it is seen and read out even when the page was scrolled elsewhere or zoomed. */
function revealResult(target) {
  target.tabIndex = -1;
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: "center" });
}

/** A control that takes focus is always in plain sight: inside the window and clear of the
 * sticky action bar. WebKit alone leaves a control peeking out below the bar, and at high page
 * zoom scrolls by device pixels, leaving the control below the window. */
function keepInPlainSight(event) {
  const target = event.target;
  if (!(target instanceof Element) || target === document.body || target.closest("dialog")) return;
  const margin = 12;
  const r = target.getBoundingClientRect();
  let bottom = window.innerHeight - margin;
  const bar = document.querySelector(".actions");
  if (bar && !bar.contains(target) && getComputedStyle(bar).position === "sticky") {
    const b = bar.getBoundingClientRect();
    const barFollows = target.compareDocumentPosition(bar) & Node.DOCUMENT_POSITION_FOLLOWING;
    if (barFollows && r.right > b.left && r.left < b.right) bottom = Math.min(bottom, b.top - margin);
  }
  // The Live banner sticks to the top: a control is in plain sight only below it.
  let top = margin;
  const banner = $("live-banner");
  if (!banner.hidden && !banner.contains(target)) top = Math.max(top, banner.getBoundingClientRect().bottom + margin);
  if (r.bottom > bottom) window.scrollBy(0, Math.min(r.bottom - bottom, r.top - top));
  else if (r.top < top) window.scrollBy(0, r.top - top);
}

/** The client or profile changed: the previous client's token, error and test go. */
function forgetResult() {
  if (ui.busy) return false;
  const had = ui.token !== null || !$("error").hidden;
  clearInterval(ui.ticker);
  hideRevealed();
  ui.token = null;
  $("token-view").hidden = true;
  $("error").hidden = true;
  $("empty").hidden = false;
  invoke("forget_token").catch(() => {});
  document.dispatchEvent(new CustomEvent("token-desk:no-token", { detail: null }));
  if (had) {
    ui.resultCleared = true;
    setStatus("The previous client's token and messages were cleared.");
  }
  return had;
}

// ---------------------------------------------------------------------------------------
// The token

function formatRemaining(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, "0")} s`;
  return `${s} s`;
}

function formatTime(rfc3339) {
  const d = new Date(rfc3339);
  const time = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  return d.toDateString() === new Date().toDateString()
    ? `${time} today`
    : `${d.toLocaleDateString([], { day: "numeric", month: "short" })}, ${time}`;
}

function urgencyOf(left, thresholds) {
  if (left <= 0) return "expired";
  if (left <= thresholds.critical_seconds) return "critical";
  if (left <= thresholds.soon_seconds) return "soon";
  return "normal";
}

const URGENCY_NEWS = {
  soon: "The token expires in less than 5 minutes.",
  critical: "The token expires in less than a minute.",
  expired: "The token has expired. Choose Get new token for a fresh one.",
};

/** Ticks the countdown from the time left the backend reported, on the page's monotonic clock. */
function startCountdown(view) {
  clearInterval(ui.ticker);
  const started = performance.now();
  const countdown = $("countdown");
  const lifetime = $("lifetime");
  let last = urgencyOf(view.remaining_seconds, view.thresholds);
  const tick = () => {
    const left = Math.max(0, view.remaining_seconds - Math.floor((performance.now() - started) / 1000));
    const urgency = urgencyOf(left, view.thresholds);
    countdown.textContent = urgency === "expired" ? "Expired" : formatRemaining(left);
    countdown.className = `countdown ${urgency}`;
    countdown.dataset.urgency = urgency;
    lifetime.value = view.expires_in > 0 ? Math.min(1, left / view.expires_in) : 0;
    lifetime.className = `lifetime ${urgency}`;
    if (urgency !== last) {
      last = urgency;
      if (URGENCY_NEWS[urgency]) setStatus(URGENCY_NEWS[urgency]);
    }
    if (urgency === "expired") {
      clearInterval(ui.ticker);
      showExpired(true);
    }
  };
  showExpired(false);
  tick();
  ui.ticker = setInterval(tick, 1000);
}

function showExpired(expired) {
  $("expired").hidden = !expired;
  $("token-view").classList.toggle("expired", expired);
  getNewButton.className = expired ? "primary" : "secondary";
  copyButtons.forEach((b) => setAvailable(b, !expired));
  if (expired) $("copy-note").hidden = true;
}

function fillScopeList(list, scopes, missing) {
  list.replaceChildren(
    ...scopes.map((name) => {
      const item = el("li", missing.includes(name) ? "missing" : "");
      item.append(el("span", "scope-tag-name"));
      item.firstChild.append(...breakable(name));
      if (missing.includes(name)) item.append(el("span", "flag", "Not granted"));
      return item;
    }),
  );
  if (scopes.length === 0) list.append(el("li", "none", "None"));
}

function showToken(view) {
  hideRevealed();
  ui.token = view;
  ui.resultCleared = false;
  $("error").hidden = true;
  $("empty").hidden = true;
  $("access-token").textContent = view.masked;
  $("access-token").classList.remove("revealed");
  $("reveal").textContent = "Reveal";
  $("copy-note").hidden = true;
  $("issued-at").textContent = formatTime(view.issued_at);
  $("expires-at").textContent = formatTime(view.expires_at);
  $("from-cache").textContent = `${view.from_cache ? "Yes" : "No"} — ${view.source}`;
  fillScopeList($("requested-scopes"), view.requested, view.not_granted);
  fillScopeList($("granted-scopes"), view.granted, []);

  const notices = [...view.notices];
  if (view.not_granted.length > 0) {
    const names = view.not_granted.join(", ");
    notices.push(`Not granted: ${names}. The token works, but not for what ${view.not_granted.length === 1 ? "that scope allows" : "those scopes allow"}.`);
  }
  if (view.refresh_failure) {
    notices.push(`Getting a new token failed, so the earlier one is shown. ${view.refresh_failure.message}`);
  }
  $("notices").replaceChildren(...notices.map((n) => el("li", "", n)));
  $("notices").hidden = notices.length === 0;
  $("token-view").hidden = false;
  startCountdown(view);
  revealResult($("token-view").querySelector(".token-box"));

  const source = view.from_cache ? "Token reused (kept from earlier) — no request was sent." : "New token received.";
  setStatus(view.not_granted.length > 0 ? `${source} Not every requested scope was granted.` : source);
  document.dispatchEvent(new CustomEvent("token-desk:token", { detail: view }));
}

/** Reveal never lingers: the token hides again after this long, counting down on screen. */
const REVEAL_SECONDS = 20;

function hideRevealed() {
  clearInterval(ui.revealTimer);
  $("reveal-note").hidden = true;
  if (!ui.revealed) return;
  const output = $("access-token");
  output.textContent = ui.token ? ui.token.masked : "";
  output.classList.remove("revealed");
  $("reveal").textContent = "Reveal";
  ui.revealed = false;
}

async function toggleReveal() {
  if (!ui.token || !available($("reveal"))) return;
  const output = $("access-token");
  if (ui.revealed) {
    hideRevealed();
    return;
  }
  try {
    output.textContent = await invoke("reveal_token");
    output.classList.add("revealed");
    $("reveal").textContent = "Hide";
    ui.revealed = true;
    const note = $("reveal-note");
    let left = REVEAL_SECONDS;
    const tick = () => {
      if (left <= 0) return hideRevealed();
      note.textContent = `Hides again in ${left} s`;
      left -= 1;
    };
    note.hidden = false;
    tick();
    clearInterval(ui.revealTimer);
    ui.revealTimer = setInterval(tick, 1000);
  } catch (failure) {
    setStatus(asFailure(failure).message);
  }
}

const COPIED = { token: "the token", header: "the Authorization header", curl: "a cURL command" };

async function copy(what, button) {
  if (!available(button)) return;
  try {
    const done = await invoke("copy", { what });
    showCopied($("copy-note"), `Copied. The clipboard will be cleared in ${done.clear_after_seconds} s.`);
    setStatus(`Copied ${COPIED[what]}. The clipboard will be cleared in ${done.clear_after_seconds} s.`);
  } catch (failure) {
    setStatus(asFailure(failure).message);
  }
}

// ---------------------------------------------------------------------------------------
// Failures

function showFailure(failure) {
  const f = asFailure(failure);
  clearInterval(ui.ticker);
  hideRevealed();
  ui.token = null;
  $("token-view").hidden = true;
  $("empty").hidden = true;
  const box = $("error");
  box.classList.toggle("calm", f.kind === "cancelled");
  $("error-message").textContent = f.message;
  // A lone "kind: …" line adds nothing for a person: no toggle then.
  fillDetails("error", f.details, 2);
  if (f.credential_rejected && !(window.selectedProfileName && window.selectedProfileName())) showSecretRejected();
  box.hidden = false;
  revealResult($("error-message"));
  setStatus(f.kind === "cancelled" ? "Request cancelled." : "No token this time. The reason is below.");
  document.dispatchEvent(new CustomEvent("token-desk:no-token", { detail: f }));
}

/**
 * Puts a failure's technical lines into the closed Details list `${prefix}-details`; its
 * toggle `${prefix}-details-toggle` shows only when there are at least `least` lines.
 */
function fillDetails(prefix, lines, least = 1) {
  const details = $(`${prefix}-details`);
  details.replaceChildren(...(lines || []).map((line) => el("li", "", line)));
  details.hidden = true;
  const toggle = $(`${prefix}-details-toggle`);
  toggle.setAttribute("aria-expanded", "false");
  toggle.hidden = (lines || []).length < least;
}

/** Opens or closes the Details list that `fillDetails(prefix, …)` filled. */
function toggleDetails(prefix) {
  const toggle = $(`${prefix}-details-toggle`);
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  $(`${prefix}-details`).hidden = !open;
}

/** Runs `action` when Enter is pressed in the field `id`, instead of submitting a form. */
function onEnter(id, action) {
  $(id).addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      action();
    }
  });
}

// ---------------------------------------------------------------------------------------
// Wiring

form.addEventListener("submit", (event) => {
  event.preventDefault();
  getToken(false);
});
getButton.addEventListener("click", (event) => {
  if (!available(getButton)) event.preventDefault();
});
getNewButton.addEventListener("click", () => {
  if (available(getNewButton)) getToken(true);
});
cancelButton.addEventListener("click", cancel);
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    if (!ui.busy) form.requestSubmit();
  } else if (event.key === "Escape" && ui.busy) {
    cancel();
  }
});

for (const radio of document.querySelectorAll('input[name="auth"]')) {
  radio.addEventListener("change", showAuthPanel);
}
$("secret-toggle").addEventListener("click", toggleSecretVisibility);
secretInput.addEventListener("focus", () => clearTimeout(ui.showTimer));
secretInput.addEventListener("blur", () => {
  clearTimeout(ui.showTimer);
  if (secretInput.type === "text") ui.showTimer = setTimeout(hideSecret, SHOW_LINGER_MS);
});
document.addEventListener("focusin", keepInPlainSight);
for (const changed of [clientId, $("profile-select")]) {
  changed.addEventListener("change", () => {
    hideSecret();
    forgetResult();
  });
}
$("choose-certificate").addEventListener("click", chooseCertificate);
otherScope.addEventListener("input", () => {
  clearTimeout(ui.hintTimer);
  ui.hintTimer = setTimeout(() => updateScopeHints().catch(() => {}), 250);
});
tokenUrl.addEventListener("input", () => {
  if (!ui.audienceTouched) audience.value = tokenUrl.value;
  updateSimulatorBadge();
  destinationChanged();
});
clientId.addEventListener("input", () => {
  updateSimulatorBadge();
  destinationChanged();
});
secretInput.addEventListener("input", () => {
  if (secretInput.value !== "") secretNoLongerMissing();
});
audience.addEventListener("input", () => {
  ui.audienceTouched = audience.value.trim() !== "" && audience.value !== tokenUrl.value;
});
$("demo-secret").addEventListener("click", () => startDemo("secret"));
$("demo-certificate").addEventListener("click", () => startDemo("certificate"));
$("reveal").addEventListener("click", toggleReveal);
$("copy-token").addEventListener("click", (e) => copy("token", e.currentTarget));
$("copy-header").addEventListener("click", (e) => copy("header", e.currentTarget));
$("copy-curl").addEventListener("click", (e) => copy("curl", e.currentTarget));
$("error-details-toggle").addEventListener("click", () => toggleDetails("error"));

async function init() {
  const defaults = await invoke("defaults");
  tokenUrl.value = defaults.token_url;
  audience.value = defaults.audience;
  ui.clearSeconds = defaults.clipboard_clear_seconds;
  ui.copiedNoteMs = defaults.copied_note_ms;
  renderScopes(defaults.scopes);
  showAuthPanel();
  updateSimulatorBadge();
}

init().catch(showFailure);
