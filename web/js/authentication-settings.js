// Settings › Security and Compliance › Agent/Contact Authentication.
// Loads the portal's settings, edits them in four tabs, and saves the
// whole document (PUT replaces it: every section goes back, MFA included);
// the server validates again and names any bad field. Turning MFA or one of
// its methods off, or requiring it at once, is confirmed in a dialog first.
// The Portal Access tab also holds the identity provider for single sign-on,
// which saves on its own (sso-provider.js).
import { getJson, sentence } from '/js/api.js';
import { showTopBar } from '/js/signed-in.js';
import { renderChecklist } from '/js/checklist.js';
import { confirmDialog } from '/js/confirm-dialog.js';
import { guardUnsaved } from '/js/unsaved.js';
import { loadSignIn } from '/js/signin-module.js';
import { el, formatAgo } from '/js/dom.js';
import { setupProvider } from '/js/sso-provider.js';

const portal = new URLSearchParams(location.search).get('portal') === 'contact' ? 'contact' : 'agent';
const form = document.getElementById('settings-form');
const status = document.getElementById('save-status');
const loadError = document.getElementById('load-error');

// Labels and explanations. Which modes exist, which need single sign-on and
// which take passwords come from the module, the same rules the server
// applies (a mode without passwords needs the admin's own recent Test
// sign-in). A label takes the provider's name: "Microsoft Entra single
// sign-on" or "single sign-on".
const MODES = {
  password: {
    label: () => 'Email and password',
    hint: 'Everyone signs in with their email and password, plus the second step when MFA is on.',
  },
  both: {
    label: (sso) => `Email and password, or ${sso}`,
    hint: 'People choose at sign-in. MFA applies to password sign-ins; the identity provider does its own.',
  },
  sso: {
    label: (sso) => `${sentence(sso)} only`,
    hint: 'Passwords are not accepted: every agent signs in through the identity provider.',
  },
  email_only: {
    label: () => 'Email and password only',
    hint: 'Contacts sign in with their email and password.',
  },
  microsoft_and_email: {
    label: (sso, kind) => (kind === 'oidc' ? 'Single sign-on and email sign-in' : 'Microsoft 365 and email sign-in'),
    hint: 'Contacts choose at sign-in: their organization’s account, or their email and password.',
  },
  sso_only: {
    label: (sso) => `${sentence(sso)} only`,
    hint: 'Passwords are not accepted: contacts sign in through the identity provider only.',
  },
};
const POLICY_NUMBERS = ['min_length', 'max_length', 'expiry_days', 'reuse_history'];
const POLICY_FLAGS = ['require_uppercase', 'require_lowercase', 'require_digit', 'require_symbol'];
const SESSION_NUMBERS = ['idle_timeout_minutes', 'absolute_timeout_hours'];
const MFA_FLAGS = ['authenticator_app', 'email_otp'];
const METHOD_NAMES = { authenticator_app: 'the authenticator app', email_otp: 'email codes' };
const PEOPLE = portal === 'agent' ? 'agents' : 'contacts';

function setupHeading() {
  const title = portal === 'agent' ? 'Agent Authentication' : 'Contact Authentication';
  document.getElementById('title').textContent = title;
  document.getElementById('crumb').textContent = title;
  document.title = `${title} · deskgate`;
  document.getElementById(`switch-${portal}`).setAttribute('aria-current', 'page');
}

function setupTabs() {
  const tabs = [...form.querySelectorAll('[role="tab"]')];
  const select = (tab) => {
    for (const t of tabs) {
      const selected = t === tab;
      t.setAttribute('aria-selected', String(selected));
      t.tabIndex = selected ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')).hidden = !selected;
    }
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(tab));
    tab.addEventListener('keydown', (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = tabs[(i + step + tabs.length) % tabs.length];
      select(next);
      next.focus();
    });
  });
}

// The mode choices, each with what it needs: a provider for any single
// sign-on mode, and the admin's own recent Test sign-in to turn passwords
// off. `saved` is the mode in effect; `checked` the one picked on the page.
function renderModes(dg, checked, saved, provider) {
  const box = document.getElementById('access-modes');
  const kind = provider?.kind;
  const ssoName = kind === 'oidc' ? 'single sign-on' : 'Microsoft Entra single sign-on';
  const configured = Boolean(provider?.configured);
  const all = dg.portalAccessModes(portal);
  const savedAllowsPasswords = all.find((m) => m.mode === saved)?.allows_password !== false;
  // Passwords only, then both ways, then single sign-on only.
  const rank = (m) => (!m.needs_sso ? 0 : m.allows_password ? 1 : 2);
  const modes = [...all].sort((a, b) => rank(a) - rank(b));
  // Rendered again when the provider changes (and as "3 minutes ago" ages):
  // a focused choice keeps the focus.
  const focused = box.contains(document.activeElement) ? document.activeElement.value : null;
  box.replaceChildren(...modes.map(({ mode: value, needs_sso: needsSso, allows_password: allowsPassword }) => {
    const info = MODES[value] ?? { label: () => value, hint: '' };
    let need = null;
    if (needsSso && !configured) {
      need = ['Set up the identity provider below first.', 'muted'];
    } else if (!allowsPassword && savedAllowsPasswords) {
      need = provider.testedByMeRecently()
        ? [`Ready: you completed a Test sign-in ${formatAgo(provider.testedAt)}.`, 'ok']
        : ['Run Test sign-in below first: with passwords off, nobody could sign in if single sign-on failed.', 'warn'];
    }
    return el('label', { className: 'check check-block' },
      el('input', {
        type: 'radio', name: 'mode', value,
        checked: value === checked,
        // Without a provider a single sign-on mode would lock everyone out;
        // the server refuses it too.
        disabled: needsSso && !configured && value !== checked,
      }),
      el('span', {},
        el('strong', {}, info.label(ssoName, kind)),
        el('span', { className: 'hint' }, info.hint),
        need && el('span', { className: `mode-need mode-need-${need[1]}` }, need[0])));
  }));
  if (focused) box.querySelector(`input[value="${focused}"]`)?.focus();
}

function fill(dg, settings, provider) {
  renderModes(dg, settings.portal_access.mode, settings.portal_access.mode, provider);
  for (const name of POLICY_NUMBERS) form.elements[name].value = settings.password[name];
  for (const name of POLICY_FLAGS) form.elements[name].checked = settings.password[name];
  form.querySelector(`input[name="enforce_policy"][value="${settings.password.enforce_policy}"]`).checked = true;
  for (const name of SESSION_NUMBERS) form.elements[name].value = settings.session[name];
  for (const name of MFA_FLAGS) form.elements[name].checked = settings.mfa[name];
  form.elements.issuer.value = settings.mfa.issuer;
  form.querySelector(`input[name="enforcement"][value="${settings.mfa.enforcement}"]`).checked = true;
  describeMfa();
}

// Whether mail gets out (GET /api/mail/status), for the warning beside
// email codes; null until known.
let mail = null;

// Email codes are only as good as mail: while none has been delivered the
// MFA tab says so, loudly once email codes are ticked.
function describeMail() {
  const box = document.getElementById('mail-warning');
  if (!mail || mail.delivery === 'works') {
    box.hidden = true;
    return;
  }
  const email = form.elements.email_otp.checked;
  const what = mail.delivery === 'not_configured'
    ? 'Mail is not set up on this deskgate, so no email code can reach anyone.'
    : 'No mail from deskgate has been delivered yet, so nobody knows that email codes arrive.';
  const then = email
    ? ' People asked for an email code would be stuck: those who can will be offered the authenticator app instead.'
    : ' Set up mail and send a test email before turning email codes on.';
  box.replaceChildren(what + then);
  if (me?.permissions?.includes('administrator')) {
    box.append(' ', Object.assign(document.createElement('a'), { href: '/settings/mail.html', textContent: 'Set up mail' }));
  }
  box.classList.toggle('notice-error', email);
  box.hidden = false;
}

// One line under the methods: what people will be asked.
function describeMfa() {
  describeMail();
  const app = form.elements.authenticator_app.checked;
  const email = form.elements.email_otp.checked;
  document.getElementById('mfa-summary').textContent = app && email
    ? 'People choose between their app and an emailed code at sign-in, and can switch.'
    : app ? 'Everyone uses an authenticator app; people without one set it up at their next sign-in.'
      : email ? 'People get a code by email at every sign-in.'
        : 'MFA is off: people sign in with their password alone.';
}

// What is wrong with the issuer, as a sentence, or null: the rule is
// shared/'s CheckIssuer, the one the server applies.
function issuerProblem(dg, value) {
  const problem = dg.issuerProblem(value);
  return problem ? sentence(problem.replace(/^issuer: /, '')) : null;
}

function read() {
  const policy = {};
  for (const name of POLICY_NUMBERS) policy[name] = Number(form.elements[name].value);
  for (const name of POLICY_FLAGS) policy[name] = form.elements[name].checked;
  const session = {};
  for (const name of SESSION_NUMBERS) session[name] = Number(form.elements[name].value);
  return {
    portal_access: { mode: form.querySelector('input[name="mode"]:checked')?.value },
    password: { ...policy, enforce_policy: form.querySelector('input[name="enforce_policy"]:checked').value },
    session,
    mfa: {
      authenticator_app: form.elements.authenticator_app.checked,
      email_otp: form.elements.email_otp.checked,
      issuer: form.elements.issuer.value.trim(),
      enforcement: form.querySelector('input[name="enforcement"]:checked')?.value,
    },
  };
}

// Asks before MFA gets weaker (a method or all of it turned off) and before
// newly required MFA ends everyone's sessions. Resolves true to go on.
async function confirmMfaChange(dg, before, after) {
  const wasOn = before.authenticator_app || before.email_otp;
  const isOn = after.authenticator_app || after.email_otp;
  if (wasOn && !isOn) {
    return confirmDialog({
      title: `Turn off multi-factor authentication for ${PEOPLE}?`,
      message: [`${sentence(PEOPLE)} will sign in with their password alone.`,
        'Anyone who learns a password can then sign in as its owner.'],
      confirmLabel: 'Turn off MFA',
      danger: true,
    });
  }
  const off = MFA_FLAGS.filter((name) => before[name] && !after[name]);
  if (off.length) {
    const [name] = off;
    const other = name === 'authenticator_app' ? 'an emailed code' : 'their authenticator app';
    return confirmDialog({
      title: `Turn off ${METHOD_NAMES[name]} for ${PEOPLE}?`,
      message: [`${sentence(PEOPLE)} will no longer be offered ${METHOD_NAMES[name]} at sign-in; they use ${other} instead.`,
        name === 'email_otp'
          ? 'Anyone without an authenticator app set up will have to set one up at their next sign-in.'
          : 'Their app setup and recovery codes are not used while the app is off.'],
      confirmLabel: `Turn off ${METHOD_NAMES[name].replace(/^the /, '')}`,
      danger: true,
    });
  }
  if (dg.mfaChangeEndsSessions(before, after)) {
    return confirmDialog({
      title: `Require MFA for ${PEOPLE} now?`,
      message: [`Every active session of the ${portal} portal ends now, except yours.`,
        `${sentence(PEOPLE)} sign in again with the second step.`],
      confirmLabel: 'Save and sign them out',
    });
  }
  return true;
}

// The page's own fields (the identity provider clears its errors itself).
function clearErrors() {
  const own = (node) => !node.closest('#provider-section');
  for (const slot of form.querySelectorAll('[data-error-for]')) if (own(slot)) slot.hidden = true;
  for (const node of form.querySelectorAll('[aria-invalid]')) if (own(node)) node.removeAttribute('aria-invalid');
}

// Every problem of a refused save under its field; the first one's tab opens.
function showErrors(messages) {
  for (const message of [...messages].reverse()) showError(message);
}

// "password.min_length: must be …" → shown under that field, on its tab.
function showError(message) {
  const [path, ...rest] = message.split(': ');
  const slot = form.querySelector(`[data-error-for="${path}"]`);
  if (!slot) {
    status.className = 'save-status save-error';
    status.textContent = message;
    return;
  }
  slot.hidden = false;
  slot.textContent = sentence(rest.join(': '));
  const field = form.elements[path.split('.').pop()];
  field?.setAttribute?.('aria-invalid', 'true');
  const panel = slot.closest('[role="tabpanel"]');
  document.querySelector(`[aria-controls="${panel.id}"]`).click();
  field?.focus?.();
  status.className = 'save-status save-error';
  const count = form.querySelectorAll('[data-error-for]:not([hidden])').length;
  status.textContent = count > 1 ? `Fix the ${count} highlighted fields and save again.`
    : 'Fix the highlighted field and save again.';
}

let me;

async function main() {
  setupHeading();
  setupTabs();
  let settings;
  const ssoRequest = getJson(`/api/settings/sso/${portal}`).then((data) => ({ data }), (error) => ({ error }));
  try {
    [settings, me] = await Promise.all([getJson(`/api/settings/authentication/${portal}`), showTopBar()]);
    if (!me) me = await getJson('/api/me');
  } catch (error) {
    loadError.hidden = false;
    loadError.textContent = error.status === 401
      ? 'Sign in as an administrator to see these settings.'
      : error.status === 403
        ? 'You need the “Access to Agent & Contact Authentication” permission to see these settings.'
        : error.message;
    document.body.dataset.ready = 'true';
    return;
  }
  getJson('/api/mail/status').then((status) => {
    mail = status;
    describeMail();
  }, () => {});
  const dg = await loadSignIn();
  let saved = settings;
  const sso = await ssoRequest;
  const modeOf = (value) => dg.portalAccessModes(portal).find((m) => m.mode === value);
  const provider = setupProvider({
    portal,
    me,
    initial: sso.data,
    loadError: sso.error?.message,
    savedMode: () => ({
      needsSso: Boolean(modeOf(saved.portal_access.mode)?.needs_sso),
      passwords: modeOf(saved.portal_access.mode)?.allows_password !== false,
    }),
    // Saved or removed: the modes it allows change; the pick on the page stays.
    onChange: () => renderModes(dg, form.querySelector('input[name="mode"]:checked')?.value ?? saved.portal_access.mode,
      saved.portal_access.mode, provider),
  });
  fill(dg, settings, provider);
  form.hidden = false;

  const tryPassword = document.getElementById('try-password');
  const updatePreview = () => {
    let policy;
    try {
      const { enforce_policy: _enforce, ...fields } = read().password;
      policy = dg.normalizePolicy(fields);
    } catch {
      return;  // the field error shows on save; keep the last preview
    }
    const notes = new Map(dg.policyAdvice(policy).map(({ field, note }) =>
      [field.startsWith('require_') ? 'composition' : field, note]));
    for (const el of form.querySelectorAll('[data-advice-for]')) {
      el.hidden = !notes.has(el.dataset.adviceFor);
      el.textContent = notes.get(el.dataset.adviceFor) ?? '';
    }
    renderChecklist(document.getElementById('checklist'), dg.passwordRules(policy),
      dg.checkPassword(policy, tryPassword.value, {}));
  };
  form.addEventListener('input', (event) => {
    if (event.target.form !== form) return;  // the identity provider's own controls
    status.textContent = '';
    // A field's error goes as soon as what is in it could be right.
    const slot = form.querySelector(`[data-error-for$=".${event.target.name}"]`);
    if (slot && event.target.name !== 'issuer' && event.target.checkValidity?.()) {
      slot.hidden = true;
      event.target.removeAttribute('aria-invalid');
    }
    if (event.target.name === 'issuer') {
      const problem = issuerProblem(dg, event.target.value);
      const slot = form.querySelector('[data-error-for="mfa.issuer"]');
      slot.hidden = !problem;
      slot.textContent = problem ?? '';
      if (problem) event.target.setAttribute('aria-invalid', 'true');
      else event.target.removeAttribute('aria-invalid');
    }
    describeMfa();
    updatePreview();
  });
  updatePreview();

  // Leaving by any link (the other portal, the top bar) with unsaved changes asks first.
  const savedForm = () => JSON.stringify(read());
  let clean = savedForm();
  guardUnsaved(() => savedForm() !== clean || provider.dirty,
    `Your changes to the ${PEOPLE}' settings are not saved yet.`);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    const document_ = read();
    const problem = dg.issuerProblem(form.elements.issuer.value);
    if (problem) return showError(`mfa.${problem}`);
    if (!await confirmMfaChange(dg, saved.mfa, document_.mfa)) {
      status.className = 'save-status';
      status.textContent = 'Not saved.';
      return;
    }
    status.className = 'save-status';
    status.textContent = 'Saving…';
    const response = await fetch(`/api/settings/authentication/${portal}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(document_),
    });
    const body = await response.json();
    if (!response.ok) return showErrors(body.errors ?? [body.error]);
    const endedSessions = dg.mfaChangeEndsSessions(saved.mfa, body.mfa);
    saved = body;
    fill(dg, body, provider);
    clean = savedForm();
    provider.render();
    status.className = 'save-status save-ok';
    status.textContent = endedSessions
      ? `Saved. Every other session of the ${portal} portal has ended.`
      : 'Saved. New sign-ins use these settings.';
    if (provider.dirty) status.textContent += ' The identity provider has unsaved changes: use Save provider.';
  });
  document.body.dataset.ready = 'true';
}

main();
