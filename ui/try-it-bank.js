// Try it on the API: the bank account check (a person's or a company's account). Apart from the
// payment request card, which it shares nothing with but the section's call (ui/try-it-call.js).
// The backend checks, sends and words every answer; this module renders.

import { $, el, onEnter, revealResult } from "./dom.js";
import { invoke } from "./invoke.js";
import { setStatus } from "./status.js";
import { call, where } from "./try-it-call.js";

// ---------------------------------------------------------------------------------------
// The bank account

const FINDING_TONES = { verified: "ok", refuted: "bad", unknown: "warn" };
const FINDING_WORDS = { verified: "Verified", refuted: "Refuted", unknown: "Unknown" };

function showHolderFields() {
  const company = $("bav-company").checked;
  $("bav-person-fields").hidden = company;
  $("bav-company-fields").hidden = !company;
}

async function verifyAccount() {
  const company = $("bav-company").checked;
  const form = {
    bank: $("bav-bank").value,
    account_number: $("bav-account-number").value,
    id_number: company ? null : $("bav-id-number").value,
    family_name: company ? null : $("bav-family-name").value,
    registration: company ? $("bav-registration").value : null,
    business_name: company ? $("bav-business-name").value : null,
  };
  const verified = await call($("verify-account"), "Verifying…", () =>
    invoke("verify_bank_account", { form, ...where() }),
  );
  if (!verified) return;
  const summary = $("bav-summary");
  summary.textContent = verified.summary;
  summary.className = `test-summary ${verified.result === "verified" ? "ok" : "bad"}`;
  summary.dataset.result = verified.result;
  $("bav-checks").replaceChildren(
    ...verified.checks.map((c) => {
      const tone = FINDING_TONES[c.finding] || "warn";
      const row = el("li", `test-scope ${tone}`);
      row.dataset.finding = c.finding;
      row.append(el("span", `pill answer ${tone}`, FINDING_WORDS[c.finding] || c.finding), el("span", "", c.question));
      return row;
    }),
  );
  $("bav-result").hidden = false;
  setStatus(verified.summary);
  revealResult(summary);
}

// ---------------------------------------------------------------------------------------
// Wiring

$("verify-account").addEventListener("click", verifyAccount);
for (const id of ["bav-person", "bav-company"]) $(id).addEventListener("change", showHolderFields);
for (const id of ["bav-account-number", "bav-id-number", "bav-family-name", "bav-registration", "bav-business-name"]) {
  onEnter(id, verifyAccount);
}
