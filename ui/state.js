// What the page remembers between events, in one place. The backend holds everything secret
// and decides everything; this is only what the page needs to render and to know what it
// sent. Each part is written by the module named in its comment and may be read by any.

export const state = {
  /** How long the page's timers run, from the backend's `timers` (set once at start). */
  timers: { showLingerMs: null, revealSeconds: null, countdownSecondMs: null, copiedNoteMs: null, statusCheckMs: null },

  /** The status line (ui/status.js). */
  status: {
    /** What the status line describes while it is still true ("secret-dropped": the secret
     *  entered for the old client or token URL was dropped), so it goes once it is not. */
    about: null,
  },

  /** The token form (ui/form.js). */
  form: {
    /** Whether the backend holds a secret or certificate entered for the client and token URL
     *  shown: changing either makes the backend drop it (it is bound to them). */
    credentialHeld: false,
    /** Whether the user changed Audience (otherwise it follows Token URL). */
    audienceTouched: false,
    /** Whether the form points at the built-in simulator, as the backend last said. */
    onSimulator: false,
    hintTimer: null,
    showTimer: null,
  },

  /** The token and its answer (ui/token.js). */
  token: {
    busy: false,
    /** The token view shown, or null. */
    view: null,
    revealed: false,
    ticker: null,
    revealTimer: null,
    /**
     * Whether a token or error was cleared since the credential was entered. One edit of the
     * client can clear the answer (its change event) before it drops the credential (its input
     * event); the second message then reports both.
     */
    resultCleared: false,
  },

  /** "Copied" notes (ui/dom.js): the timer that hides each, by the note's id. */
  copiedTimers: new Map(),

  /** The token test, inspector and code for integrators (ui/check.js). */
  check: {
    busy: false,
    /** The scopes the last report says are missing: what Fix adds. */
    missing: [],
    /** Whether the user picked a snippet flow (otherwise it follows the form's choice). */
    flowTouched: false,
    snippetTimer: null,
  },

  /** Advanced: company network (ui/network.js). What the backend last said is in effect, so a
   *  field that still shows it is not "changed". */
  network: {
    sentProxy: "",
    sentTimeout: "",
  },

  /** Saved profiles (ui/profiles.js; the name dialog: ui/profile-editor.js; the import plan:
   *  ui/profile-transfer.js). */
  profiles: {
    /** The profiles as the backend last listed them. */
    list: [],
    /** The chosen profile (a view from the backend), or null. */
    selected: null,
    /** "rename" or "duplicate", for the name dialog. */
    nameMode: "rename",
    clientIdHint: null,
    /** The import plan shown in the import dialog. */
    plan: null,
    /**
     * What was typed for "No profile" before a profile was chosen (client, token URL, audience,
     * API URL, kind of secret, scopes; never a secret), put back when "No profile" is chosen again.
     */
    typed: null,
  },

  /** The Live guard (ui/live-guard.js): what to do once a Live token is confirmed. */
  live: { proceed: null },

  /** Dialogs (ui/dialogs.js): the button that opened one, to give focus back. */
  dialogs: { opener: null },

  /** A refused scope (ui/refused-scope.js). */
  refusedScope: {
    /** The failure on screen, if it is a scope refusal. */
    failure: null,
    /** The scopes to untick: named by the server or found by asking for each. */
    names: [],
    busy: false,
  },

  /** "Test a token you were handed" (ui/handed.js). */
  handed: { busy: false },

  /** Try it on the API (ui/try-it.js and its parts, ui/try-it-*.js). */
  tryIt: {
    busy: false,
    /** Whether the token on screen is a test client's (the backend said so). */
    offered: false,
    /** Whether the forms got their demo values (once: what a person typed stays). */
    prefilled: false,
    /** The payment request on the card (its id), its state name, and the refund's id. */
    request: null,
    state: null,
    refund: null,
    /** The scopes the API said are missing: what the section's fix adds. */
    missing: [],
    /** The next token shown comes from that fix, for the same client: the card stays. */
    keepOnNewToken: false,
    /** The status check waiting to run while the request is pending. */
    watchTimer: null,
    /** Whether a call was made (Code for integrators then offers its code), and its refresh. */
    called: false,
    codeTimer: null,
  },

  /** Presenter mode (ui/presenter.js; the client id typed in it: ui/client-id.js). */
  presenter: {
    on: false,
    /** The step the demo is at: "token", "test", "code" or "try". */
    step: "token",
    /** The certificate's thumbprint, subject and path as the backend gave them. */
    fullThumbprint: null,
    fullSubject: null,
    fullPath: null,
    /** The path as shown shortened, so it is put back only if still shown. */
    shortPath: null,
    /** While on: the client id typed or filled in. The field shows only `shownId`, its short form. */
    clientId: "",
    shownId: "",
    /** The client id `shownId` was made from. */
    shortFor: null,
    /** Whether the client id changed since the field took focus. */
    editedSinceFocus: false,
    /** Requests for the short forms, counted, so an answer overtaken by a newer edit is dropped. */
    asked: 0,
  },
};

/** The saved profile the token form uses, or null for the client typed in the form. */
export const selectedProfileName = () => (state.profiles.selected ? state.profiles.selected.name : null);
