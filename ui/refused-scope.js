// Refused scopes named one by one. When the server names the scope, the message says it and
// "Untick it and try again" is offered; when it does not and several were asked for, "Find
// which one" has the backend ask for each scope on its own (one request per scope, on that
// click only). Loaded after app.js and uses its helpers. textContent only.
"use strict";

const refused = {
  /** The failure on screen, if it is a scope refusal. */
  failure: null,
  /** The scopes to untick: named by the server or found by the probe. */
  names: [],
  busy: false,
};

/** The form as get_token takes it, for the probe (the same client, secret and scopes). */
function probeForm() {
  const scopes = checkedScopes();
  if (otherScope.value.trim() !== "") scopes.push(otherScope.value);
  const auth = authChoice();
  return {
    client_id: clientField.read(),
    auth,
    scopes,
    token_url: tokenUrl.value.trim() || null,
    audience: audience.value.trim() || null,
    force: false,
    profile: window.selectedProfileName ? window.selectedProfileName() : null,
  };
}

function showRefused(failure) {
  refused.failure = failure && failure.kind === "scope_not_allowed" ? failure : null;
  refused.names = refused.failure ? [...(failure.refused_scopes || [])] : [];
  const several = checkedScopes().length + (otherScope.value.trim() !== "" ? 1 : 0) > 1;
  const find = refused.failure !== null && refused.names.length === 0 && several;
  $("refused-actions").hidden = refused.failure === null || (!find && refused.names.length === 0);
  $("find-refused").hidden = !find;
  $("find-refused-hint").hidden = !find;
  $("refused-result").textContent = "";
  $("refused-result").hidden = true;
  showUntick();
}

function showUntick() {
  const tickable = refused.names.filter((n) => $(`scope-${n}`));
  const button = $("untick-refused");
  button.hidden = tickable.length === 0;
  button.textContent = tickable.length > 1 ? "Untick them and try again" : "Untick it and try again";
}

async function findRefused() {
  if (refused.busy || !available($("find-refused"))) return;
  refused.busy = true;
  setAvailable($("find-refused"), false);
  const count = probeForm().scopes.length;
  setStatus(`Asking for each of the ${count} scopes on its own…`, true);
  try {
    const probe = await invoke("find_refused_scope", { form: probeForm() });
    refused.names = probe.refused;
    const result = $("refused-result");
    result.textContent = probe.summary;
    result.hidden = false;
    $("find-refused").hidden = true;
    $("find-refused-hint").hidden = true;
    showUntick();
    setStatus(probe.summary);
    (!$("untick-refused").hidden ? $("untick-refused") : result).focus();
  } catch (failure) {
    setStatus(asFailure(failure).message);
  } finally {
    refused.busy = false;
    setAvailable($("find-refused"), true);
  }
}

function untickAndRetry() {
  for (const name of refused.names) {
    const box = $(`scope-${name}`);
    if (box) box.checked = false;
  }
  setStatus(`${refused.names.join(", ")} unticked. Getting a token without ${refused.names.length > 1 ? "them" : "it"}…`);
  form.requestSubmit();
}

document.addEventListener("token-desk:no-token", (event) => showRefused(event.detail));
document.addEventListener("token-desk:token", () => showRefused(null));
$("find-refused").addEventListener("click", findRefused);
$("untick-refused").addEventListener("click", untickAndRetry);
