// Test token (the token's check), the inspector and the code for integrators. The backend runs
// the test, keeps the request records and writes the code; this module only renders.

import { $, available, breakable, el, setAvailable, showCopied } from "./dom.js";
import { EVENTS, emit, on } from "./events.js";
import { asFailure, showFailure } from "./failure.js";
import { addMissingScopes, apiUrl, authChoice, checkedScopes, form, snippetSettings } from "./form.js";
import { invoke } from "./invoke.js";
import { state } from "./state.js";
import { setStatus } from "./status.js";
import { getToken, showToken } from "./token.js";

export const testButton = $("test-token");
const fixButton = $("fix-scopes");
const retestButton = $("test-new-token");
const check = state.check;

/** The colour of each verdict; its words are the engine's plain answer. */
const TONES = { works: "ok", missing: "bad", cannot_check_safely: "warn" };

const scopeList = (names) =>
  names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;

function apiHost(report) {
  try {
    return new URL(report ? report.api_url : apiUrl.value.trim()).host;
  } catch {
    return "the API";
  }
}

// ---------------------------------------------------------------------------------------
// Token test

/** Says where this token goes: the API URL a test will call and the one in Copy as cURL
 *  (the profile's or the token URL's, unless Advanced names another), so an imported API
 *  URL is never invisible. */
export function showApiTarget() {
  const box = $("api-target");
  const token = state.token.view;
  if (!token) {
    box.textContent = "";
    return;
  }
  const test = apiUrl.value.trim() || token.api_url;
  box.replaceChildren();
  if (test === token.api_url) {
    box.append("Test token and Copy as cURL send this token to ", el("code", "", test));
  } else {
    box.append("Test token sends this token to ", el("code", "", test), "; Copy as cURL to ");
    box.append(el("code", "", token.api_url));
  }
}

function setTesting(busy, text) {
  check.busy = busy;
  [testButton, fixButton, retestButton].forEach((b) => setAvailable(b, !busy));
  testButton.textContent = busy ? "Testing…" : "Test token";
  $("token-check").setAttribute("aria-busy", String(busy));
  if (text) setStatus(text, busy);
}

function clearTest() {
  check.missing = [];
  $("test-result").hidden = true;
  $("test-error").hidden = true;
  fixButton.hidden = true;
  retestButton.hidden = true;
}

/** The summary's colour: good only when the API accepted the token with every scope it needs. */
export function summaryClass(report) {
  return `test-summary ${report.accepted && report.missing_scopes.length === 0 ? "ok" : "bad"}`;
}

/** One row per scope of a test report: the plain answer first ("Yes, works", "No — missing",
 *  "Allowed, not tried (…)"), the scope, then the detail. */
export function scopeRows(report) {
  return report.scopes.map((scope) => {
    const tone = TONES[scope.verdict] || "warn";
    const row = el("li", `test-scope ${tone}`);
    row.dataset.scope = scope.scope;
    row.dataset.verdict = scope.verdict;
    const name = el("span", "scope-name");
    name.append(...breakable(scope.scope));
    row.append(el("span", `pill answer ${tone}`, scope.answer), name, el("span", "test-note", scope.note));
    return row;
  });
}

function renderReport(report) {
  clearTest();
  const summary = $("test-summary");
  summary.textContent = report.summary;
  summary.className = summaryClass(report);
  $("test-scopes").replaceChildren(...scopeRows(report));
  $("test-scopes").hidden = report.scopes.length === 0;
  if (!report.accepted) {
    retestButton.hidden = false;
  } else if (report.missing_scopes.length > 0) {
    check.missing = [...report.missing_scopes];
    fixButton.textContent = `Add ${scopeList(check.missing)} and get a new token`;
    fixButton.hidden = false;
  }
  $("test-result").hidden = false;
  emit(EVENTS.checked, report);
}

function showTestFailure(failure) {
  clearTest();
  const f = showFailure("test-error", failure);
  setStatus(`The test did not finish. ${f.message}`);
}

async function testToken() {
  if (check.busy || !available(testButton)) return;
  setTesting(true, `Testing the token at ${apiHost()}…`);
  try {
    const report = await invoke("check_token", {
      scopes_to_check: checkedScopes(),
      api_url: apiUrl.value.trim() || null,
    });
    renderReport(report);
    setStatus(`Test finished. ${report.summary}`);
  } catch (failure) {
    showTestFailure(failure);
  } finally {
    setTesting(false);
    refreshInspector();
  }
}

/** The one-click fix: the backend adds the scopes, gets a new token and tests again. */
async function fixScopes() {
  if (check.busy || !available(fixButton) || check.missing.length === 0) return;
  const adding = [...check.missing];
  setTesting(true, `Getting a new token with ${scopeList(adding)}…`);
  try {
    const fixed = await addMissingScopes(adding);
    showToken(fixed.token);
    renderReport(fixed.report);
    setStatus(`New token with ${scopeList(adding)} received and tested. ${fixed.report.summary}`);
    testButton.focus();
  } catch (failure) {
    showTestFailure(failure);
  } finally {
    setTesting(false);
    refreshInspector();
  }
}

/** After "expired or not accepted": a fresh token, then the test again. */
async function newTokenAndRetest() {
  if (check.busy || !available(retestButton)) return;
  if (await getToken(true)) await testToken();
}

// ---------------------------------------------------------------------------------------
// Inspector

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function block(title, text) {
  const part = el("div", "exchange-part");
  part.append(el("h4", "", title));
  const pre = el("pre", "code", text);
  pre.tabIndex = 0;
  pre.setAttribute("aria-label", title);
  part.append(pre);
  return part;
}

const lines = (pairs, sep) => pairs.map(([k, v]) => `${k}${sep}${v}`).join("\n");

function renderExchange(box, exchange, nothing) {
  if (!exchange) {
    box.replaceChildren(el("p", "none", nothing));
    return false;
  }
  const parts = [el("p", "exchange-line mono", `${exchange.method} ${exchange.url}`)];
  if (exchange.proxy) parts.push(el("p", "exchange-line", `Proxy: ${exchange.proxy}`));
  parts.push(block("Request headers", lines(exchange.request_headers, ": ")));
  if (exchange.form && exchange.form.length) parts.push(block("Form fields", lines(exchange.form, " = ")));
  if (exchange.assertion) {
    parts.push(block("Client assertion — header", JSON.stringify(exchange.assertion.header, null, 2)));
    parts.push(block("Client assertion — claims (signature not shown)", JSON.stringify(exchange.assertion.claims, null, 2)));
  }
  if (exchange.request_body) parts.push(block("Request body", pretty(exchange.request_body)));
  const answer =
    exchange.status != null
      ? `Answer: HTTP ${exchange.status} after ${exchange.elapsed_ms} ms`
      : `No answer after ${exchange.elapsed_ms} ms: ${exchange.error || "unknown reason"}`;
  parts.push(el("p", `exchange-line ${exchange.status != null && exchange.status < 400 ? "ok" : "bad"}`, answer));
  if (exchange.response_headers.length) parts.push(block("Response headers", lines(exchange.response_headers, ": ")));
  if (exchange.response_body) parts.push(block("Response body", pretty(exchange.response_body)));
  box.replaceChildren(...parts);
  return true;
}

/** Shows the last token request and the last API test, when the inspector is open. */
export async function refreshInspector() {
  if (!$("inspector").open) return;
  try {
    const view = await invoke("inspector");
    setAvailable($("copy-token-exchange"), renderExchange($("token-exchange"), view.token, "No token request yet."));
    setAvailable($("copy-api-exchange"), renderExchange($("api-exchange"), view.api, "No token test yet."));
  } catch (failure) {
    showFailure("inspector-note", failure);
  }
}

async function copyExchange(which, button) {
  if (!available(button)) return;
  try {
    const done = await invoke("copy_exchange", { which });
    const what = which === "token" ? "the token request" : "the API test";
    setStatus(`Copied ${what} (secret masked). The clipboard will be cleared in ${done.clear_after_seconds} s.`);
  } catch (failure) {
    setStatus(asFailure(failure).message);
  }
}

// ---------------------------------------------------------------------------------------
// Code for integrators

/** Shows the code for the form's settings, when Code for integrators is open. */
export async function refreshSnippet() {
  if (!$("snippets").open) return;
  if (!check.flowTouched) $("snippet-flow").value = authChoice();
  try {
    const all = await invoke("snippets", { settings: snippetSettings() });
    const lang = $("snippet-lang").value;
    const flow = $("snippet-flow").value;
    const chosen = all.find((s) => s.lang === lang && s.flow === flow) || all[0];
    $("snippet-code").textContent = chosen ? chosen.code : "";
  } catch (failure) {
    showFailure("snippet-code", failure);
  }
}

function refreshSnippetSoon() {
  clearTimeout(check.snippetTimer);
  check.snippetTimer = setTimeout(refreshSnippet, 250);
}

async function copySnippet() {
  try {
    const done = await invoke("copy_snippet", {
      settings: snippetSettings(),
      lang: $("snippet-lang").value,
      flow: $("snippet-flow").value,
    });
    showCopied($("snippet-note"), `Copied. It holds no secret. The clipboard will be cleared in ${done.clear_after_seconds} s.`);
    setStatus(`Copied the ${$("snippet-lang").selectedOptions[0].textContent} code.`);
  } catch (failure) {
    setStatus(asFailure(failure).message);
  }
}

// ---------------------------------------------------------------------------------------
// Wiring

testButton.addEventListener("click", testToken);
fixButton.addEventListener("click", fixScopes);
retestButton.addEventListener("click", newTokenAndRetest);
on(EVENTS.token, () => {
  clearTest();
  showApiTarget();
  refreshInspector();
});
apiUrl.addEventListener("input", showApiTarget);
on(EVENTS.noToken, () => {
  clearTest();
  refreshInspector();
});
$("inspector").addEventListener("toggle", refreshInspector);
$("copy-token-exchange").addEventListener("click", (e) => copyExchange("token", e.currentTarget));
$("copy-api-exchange").addEventListener("click", (e) => copyExchange("api", e.currentTarget));
$("snippets").addEventListener("toggle", refreshSnippet);
$("snippet-lang").addEventListener("change", refreshSnippet);
$("snippet-flow").addEventListener("change", () => {
  check.flowTouched = true;
  refreshSnippet();
});
$("copy-snippet").addEventListener("click", copySnippet);
form.addEventListener("input", refreshSnippetSoon);
form.addEventListener("change", refreshSnippetSoon);
