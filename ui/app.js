// Token Desk's window. It only renders: every decision about tokens is made by the backend.
// Data goes into the page with textContent, never innerHTML.
"use strict";

const { invoke } = window.__TAURI__.core;

const $ = (id) => document.getElementById(id);

const form = $("token-form");
const clientId = $("client-id");
const secretInput = $("client-secret");
const tokenUrl = $("token-url");
const getButton = $("get-token");
const status = $("status");

let countdown = null;

// Labels for the fields of a failure's technical detail.
const DETAIL_LABELS = {
  url: "URL",
  status: "HTTP status",
  oauth_error: "OAuth error",
  oauth_error_description: "OAuth error description",
  retry_after_seconds: "Retry after (seconds)",
  location: "Redirected to",
  scopes: "Scopes named by the server",
  body_excerpt: "Response (secrets removed)",
  cause: "Cause",
  attempts: "Requests sent",
};

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function setStatus(text, busy = false) {
  status.textContent = text;
  status.classList.toggle("busy", busy);
}

/** The backend now holds a secret; the page forgets it and only says that one is set. */
function showSecretSet(label) {
  secretInput.value = "";
  secretInput.placeholder = label;
  secretInput.classList.add("has-secret");
  $("client-secret-hint").textContent = "Kept for this session and never shown. Type a new one to replace it.";
}

async function loadScopes() {
  const list = $("scope-list");
  const scopes = await invoke("scopes");
  for (const scope of scopes) {
    const id = `scope-${scope.name}`;
    const label = el("label", "scope");
    label.htmlFor = id;
    const box = el("input");
    box.type = "checkbox";
    box.id = id;
    box.value = scope.name;
    box.name = "scope";
    label.append(box, el("span", "scope-name", scope.name), el("span", "scope-desc", scope.description));
    list.append(label);
  }
}

function checkedScopes() {
  return [...document.querySelectorAll('input[name="scope"]:checked')].map((b) => b.value);
}

async function startDemo() {
  const button = $("demo-start");
  button.disabled = true;
  setStatus("Starting the simulator…", true);
  try {
    const demo = await invoke("start_demo");
    clientId.value = demo.client_id;
    tokenUrl.value = demo.token_url;
    for (const box of document.querySelectorAll('input[name="scope"]')) {
      box.checked = demo.scopes.includes(box.value);
    }
    showSecretSet("Demo secret set");
    $("demo-intro").hidden = true;
    $("demo-url").textContent = demo.token_url;
    $("demo-running").hidden = false;
    button.hidden = true;
    setStatus("The simulator is running and the form is filled in. Choose Get token.");
    getButton.focus();
  } catch (failure) {
    showFailure(failure);
    button.disabled = false;
  }
}

function formatRemaining(seconds) {
  if (seconds <= 0) return "Expired";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, "0")} s`;
  return `${s} s`;
}

function startCountdown(expiresAt) {
  clearInterval(countdown);
  const dd = $("expires-in");
  const tick = () => {
    const left = Math.max(0, Math.round((Date.parse(expiresAt) - Date.now()) / 1000));
    dd.textContent = formatRemaining(left);
    dd.classList.toggle("soon", left < 120);
    if (left === 0) clearInterval(countdown);
  };
  tick();
  countdown = setInterval(tick, 1000);
}

function fillScopeList(list, scopes, missing) {
  list.replaceChildren(
    ...scopes.map((name) => el("li", missing.includes(name) ? "missing" : "", name)),
  );
  if (scopes.length === 0) list.append(el("li", "", "(none)"));
}

function showToken(view) {
  $("error").hidden = true;
  $("access-token").textContent = view.masked;
  const when = (t) => {
    const d = new Date(t);
    const today = d.toDateString() === new Date().toDateString();
    return today ? d.toLocaleTimeString() : d.toLocaleString([], { dateStyle: "medium", timeStyle: "medium" });
  };
  $("expires-at").textContent = when(view.expires_at);
  $("issued-at").textContent = when(view.issued_at);
  $("from-cache").textContent = view.from_cache
    ? "Yes — reused, no request sent"
    : "No — new from the server";
  startCountdown(view.expires_at);
  fillScopeList($("requested"), view.requested, view.not_granted);
  fillScopeList($("granted"), view.granted, []);
  const notices = [...view.notices];
  if (view.refresh_failure) {
    notices.push(`Renewing failed, so the earlier token is shown: ${view.refresh_failure.message}`);
  }
  $("notices").replaceChildren(...notices.map((n) => el("li", "", n)));
  $("notices").hidden = notices.length === 0;
  $("token-view").hidden = false;
  setStatus(view.not_granted.length > 0
    ? "Token received, but not every requested scope was granted."
    : "Token received.");
}

function detailLines(failure) {
  const detail = failure.detail || {};
  const lines = [`Kind: ${failure.kind}`];
  // Known fields in a reading order first, then anything newer the backend added.
  const keys = [...Object.keys(DETAIL_LABELS), ...Object.keys(detail).filter((k) => !(k in DETAIL_LABELS))];
  for (const key of keys) {
    const value = detail[key];
    if (value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) continue;
    if (key === "attempts" && value === 0) continue;
    const shown = Array.isArray(value) ? value.join(" ") : String(value);
    lines.push(`${DETAIL_LABELS[key] || key}: ${shown}`);
  }
  return lines;
}

function showFailure(failure) {
  // A failure from the backend is {kind, message, detail}; anything else is a bug here.
  const f = failure && typeof failure === "object" && failure.message
    ? failure
    : { kind: "unexpected", message: "Something went wrong in the window.", detail: { cause: String(failure) } };
  $("token-view").hidden = true;
  clearInterval(countdown);
  $("error-message").textContent = f.message;
  $("error-detail").replaceChildren(...detailLines(f).map((line) => el("li", "", line)));
  $("error").querySelector("details").open = false;
  $("error").hidden = false;
  setStatus("No token this time.");
}

async function getToken(event) {
  event.preventDefault();
  getButton.disabled = true;
  setStatus("Getting a token…", true);
  try {
    if (secretInput.value !== "") {
      await invoke("set_secret", { secret: secretInput.value });
      showSecretSet("Secret set");
    }
    const view = await invoke("get_token", {
      form: {
        client_id: clientId.value,
        scopes: checkedScopes(),
        token_url: tokenUrl.value.trim() || null,
        audience: null,
        force: false,
      },
    });
    showToken(view);
  } catch (failure) {
    showFailure(failure);
  } finally {
    getButton.disabled = false;
  }
}

form.addEventListener("submit", getToken);
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !getButton.disabled) {
    form.requestSubmit();
  }
});
$("demo-start").addEventListener("click", startDemo);

loadScopes().catch(showFailure);
