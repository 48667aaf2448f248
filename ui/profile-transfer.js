// Saved profiles, exported and imported: export writes them (never a secret) to a file the
// backend asks for; import shows the backend's review of a file, with any server that is not
// Stitch's own flagged, and imports on confirmation. Apart from ui/profiles.js (the list and
// choosing), whose exports it uses to show the list again. This module only renders.

import { closeDialog, openDialog } from "./dialogs.js";
import { $, available, el, setAvailable } from "./dom.js";
import { hideFailure } from "./failure.js";
import { invoke } from "./invoke.js";
import { profileError, refreshProfiles } from "./profiles.js";
import { state } from "./state.js";
import { setStatus } from "./status.js";

const profiles = state.profiles;

// ---------------------------------------------------------------------------------------
// Export and import

async function exportProfiles(opener) {
  if (!available(opener)) return;
  hideFailure("profile-error");
  try {
    const done = await invoke("export_profiles", {});
    if (done) {
      const n = done.count === 1 ? "1 profile" : `${done.count} profiles`;
      setStatus(`Exported ${n} to ${done.path}. The file holds no secrets.`);
    }
  } catch (failure) {
    profileError(failure);
  }
}

function planSection(title, lines) {
  if (lines.length === 0) return [];
  const list = el("ul", "plan-list");
  list.append(...lines.map((line) => el("li", "", line)));
  return [el("h3", "", title), list];
}

/** One profile of the file as the backend reviewed it: client, Test or LIVE (from the client
 *  id), and each server it would talk to, flagged in words when it is not Stitch's own. */
function reviewCard(review) {
  const card = el("li", `import-review${review.needs_trust ? " flagged" : ""}`);
  const head = el("p", "review-head");
  head.append(el("strong", "", review.name), " ");
  head.append(el("span", `pill ${review.environment === "live" ? "bad" : "ok"}`, review.environment === "live" ? "LIVE" : "Test"));
  card.append(head, el("p", "review-client", `Client ID: ${review.client_id}`));
  if (review.environment_note) card.append(el("p", "review-note", review.environment_note));
  const hosts = el("ul", "review-hosts");
  for (const host of review.hosts) {
    const row = el("li", host.flag ? "host flagged" : "host");
    row.append(el("span", "host-role", `${host.role}: `), el("span", "host-name mono", host.host), " ");
    if (host.flag) {
      row.append(el("span", "pill warn", "Not Stitch"), el("span", "host-flag", host.flag));
    } else {
      row.append(el("span", "host-verdict", "✓ Stitch's own"));
    }
    hosts.append(row);
  }
  card.append(hosts);
  return card;
}

/** The hosts to trust, each once, as the confirmation names them. */
function flaggedHosts(plan) {
  const hosts = plan.reviews.flatMap((r) => r.hosts.filter((h) => h.flag).map((h) => h.host));
  return [...new Set(hosts)];
}

function updateImportButton() {
  const plan = profiles.plan;
  if (!plan) return;
  const trusted = $("import-trust").checked;
  const count = plan.reviews.filter((r) => trusted || !r.needs_trust).length;
  const button = $("import-confirm");
  button.hidden = plan.reviews.length === 0;
  setAvailable(button, count > 0);
  button.textContent = count === 1 ? "Import 1 profile" : `Import ${count} profiles`;
  const left = plan.reviews.length - count;
  $("import-left-out").textContent =
    left === 0 ? "" : `${left === 1 ? "1 profile" : `${left} profiles`} will be left out unless you trust the servers above.`;
}

async function importProfiles(opener) {
  hideFailure("profile-error");
  try {
    const plan = await invoke("plan_import", {});
    if (!plan) return;
    profiles.plan = plan;
    const parts = [
      el("p", "hint", `From ${plan.path}. Secrets are never in an export file: add each profile's secret with Replace secret.`),
    ];
    if (plan.reviews.length > 0) {
      const list = el("ul", "import-reviews");
      list.append(...plan.reviews.map(reviewCard));
      parts.push(el("h3", "", "New profiles in the file"), list);
    }
    parts.push(
      ...planSection("Already here, unchanged", plan.unchanged),
      ...planSection(
        "Not imported — a different profile with this name exists here",
        plan.conflicts.map((c) => `${c.name} (differs in: ${c.differences.join(", ")})`),
      ),
    );
    if (plan.reviews.length === 0) parts.push(el("p", "", "There is nothing new to import."));
    $("import-plan").replaceChildren(...parts);

    const hosts = flaggedHosts(plan);
    $("import-trust-box").hidden = hosts.length === 0;
    $("import-trust").checked = false;
    $("import-trust-hosts").textContent =
      hosts.length <= 1 ? hosts.join("") : `${hosts.slice(0, -1).join(", ")} and ${hosts[hosts.length - 1]}`;
    updateImportButton();
    const first = plan.reviews.length === 0 ? "import-cancel" : hosts.length > 0 ? "import-trust" : "import-confirm";
    openDialog("import-dialog", opener, first);
  } catch (failure) {
    profileError(failure);
  }
}

async function confirmImport() {
  if (!available($("import-confirm"))) return;
  const trustHosts = $("import-trust").checked;
  closeDialog("import-dialog");
  try {
    const done = await invoke("import_profiles", { trustHosts });
    await refreshProfiles();
    const parts = [done.added.length === 0 ? "Nothing was imported." : `Imported: ${done.added.join(", ")}.`];
    for (const left of done.not_trusted) parts.push(`"${left.name}" — ${left.reason}`);
    const note = $("import-note");
    note.replaceChildren(...parts.map((p) => el("p", "", p)));
    note.hidden = done.not_trusted.length === 0;
    setStatus(parts.join(" "));
  } catch (failure) {
    profileError(failure);
  }
}

// ---------------------------------------------------------------------------------------
// Wiring

$("export-profiles").addEventListener("click", (e) => exportProfiles(e.currentTarget));
$("import-profiles").addEventListener("click", (e) => importProfiles(e.currentTarget));
$("import-confirm").addEventListener("click", confirmImport);
$("import-trust").addEventListener("change", updateImportButton);
$("import-cancel").addEventListener("click", () => closeDialog("import-dialog"));
