// Administration › MFA recovery: pending requests for new recovery codes, a
// lookup by portal and email, and for the person found: view their unused
// codes (audited), issue a new set, or reset their MFA.
import { getJson, postJson, sentence } from '/js/api.js';
import { confirmDialog } from '/js/confirm-dialog.js';
import { el, formatShort } from '/js/dom.js';
import { withStepUp } from '/js/step-up.js';
import { recoveryCodesBlock } from '/js/totp-enrollment.js';
import { requireSignedIn } from '/js/signed-in.js';

const PORTAL_NAMES = { agent: 'Agent', contact: 'Contact' };
const lookupForm = document.getElementById('lookup-form');
const lookupError = document.getElementById('lookup-error');
const card = document.getElementById('person');
const output = document.getElementById('codes-output');
const status = document.getElementById('person-status');
let person = null;

function showStatus(message, tone) {
  status.hidden = !message;
  status.textContent = message ?? '';
  status.className = `notice${tone ? ` notice-${tone}` : ''}`;
}

function showCodes(title, note, codes) {
  output.replaceChildren(el('div', { className: 'codes-panel' },
    el('h3', {}, title),
    el('p', { className: 'hint' }, note),
    recoveryCodesBlock(codes, { email: person.email, label: title })));
}

async function loadRequests() {
  const { requests } = await getJson('/api/mfa/recovery-requests');
  document.getElementById('requests').replaceChildren(...requests.map((r) => {
    const open = el('button', { type: 'button', className: 'ghost' }, 'Open');
    open.addEventListener('click', () => lookup(r.portal, r.email));
    return el('tr', { data: { personId: String(r.person_id) } },
      el('td', {}, el('strong', {}, r.name || r.email), el('br'),
        el('span', { className: 'hint' }, `${r.email} · ${PORTAL_NAMES[r.portal] ?? r.portal}`)),
      el('td', {}, sentence(formatShort(r.requested_at))),
      el('td', { className: 'cell-action' }, open));
  }));
  document.getElementById('no-requests').hidden = requests.length > 0;
}

function renderPerson() {
  const p = person;
  document.getElementById('person-name').textContent = p.name || p.email;
  document.getElementById('person-meta').textContent = `${p.email} · ${PORTAL_NAMES[p.portal] ?? p.portal} portal`;
  const badge = document.getElementById('person-badge');
  badge.textContent = p.totp_enrolled ? 'App set up' : 'No app';
  badge.className = `badge${p.totp_enrolled ? '' : ' badge-off'}`;
  document.getElementById('person-totp').textContent = p.totp_enrolled ? 'Set up' : 'Not set up';
  const left = p.recovery_codes_remaining;
  const codes = document.getElementById('person-codes');
  codes.textContent = String(left);
  codes.className = left <= 3 ? 'warn-text' : '';
  // Actions this viewer may not take on this person are off, with the reason.
  const why = p.can_handle === false ? `${sentence(p.cannot_handle_reason).replace(/[.]?$/, '.')}` : '';
  const note = document.getElementById('cannot-handle');
  note.textContent = why;
  note.hidden = !why;
  card.querySelector('.advice').hidden = Boolean(why);
  for (const id of ['view-codes', 'new-codes', 'reset-mfa']) {
    const button = document.getElementById(id);
    button.disabled = Boolean(why) || (id === 'view-codes' && left === 0);
    button.title = why || (id === 'view-codes' && left === 0 ? 'They have no unused codes left.' : '');
  }
  card.hidden = false;
}

async function lookup(portal, email) {
  lookupForm.elements.portal.value = portal;
  lookupForm.elements.email.value = email;
  lookupError.hidden = true;
  output.replaceChildren();
  showStatus(null);
  try {
    person = await getJson(`/api/people/lookup?${new URLSearchParams({ portal, email })}`);
  } catch (error) {
    person = null;
    card.hidden = true;
    lookupError.hidden = false;
    lookupError.textContent = error.status === 404
      ? `No ${portal === 'agent' ? 'agent' : 'contact'} has the email ${email}.` : error.message;
    return;
  }
  renderPerson();
  card.scrollIntoView({ block: 'nearest' });
}

async function refreshPerson() {
  try {
    person = await getJson(`/api/people/lookup?${new URLSearchParams({ portal: person.portal, email: person.email })}`);
    renderPerson();
  } catch {
    // keep what is shown; the action's own message says what happened
  }
}

// Runs an action button's request, keeping the button off while it runs.
async function act(button, work) {
  button.disabled = true;
  showStatus(null);
  try {
    await work();
  } catch (error) {
    showStatus(sentence(error.message), 'error');
  } finally {
    button.disabled = false;
    if (person) renderPerson();
  }
}

function wireActions() {
  const view = document.getElementById('view-codes');
  view.addEventListener('click', () => act(view, async () => {
    const { recovery_codes: codes } =
      await withStepUp(() => getJson(`/api/people/${person.id}/mfa/recovery-codes`));
    showStatus(null);
    showCodes('Unused recovery codes', 'This view is now in the audit log. Give the person one code over a channel '
      + 'you trust (a call you placed, not a reply to an email).', codes);
  }));

  const fresh = document.getElementById('new-codes');
  fresh.addEventListener('click', async () => {
    const ok = await confirmDialog({
      title: 'Generate new recovery codes?',
      message: [`${person.email} gets 10 new codes and every code they hold now stops working.`,
        'Their pending requests are marked as handled.'],
      confirmLabel: 'Generate new codes',
    });
    if (!ok) return;
    await act(fresh, async () => {
      const { recovery_codes: codes } =
        await withStepUp(() => postJson(`/api/people/${person.id}/mfa/recovery-codes`));
      person.recovery_codes_remaining = codes.length;
      showStatus('New codes issued. The old ones no longer work.', 'ok');
      showCodes('New recovery codes', 'Hand these to the person; they are not shown again here until '
        + 'someone views them (which is audited).', codes);
      await loadRequests();
    });
  });

  const reset = document.getElementById('reset-mfa');
  reset.addEventListener('click', async () => {
    const ok = await confirmDialog({
      title: `Reset MFA for ${person.email}?`,
      message: ['Their authenticator app and recovery codes are removed and they are signed out everywhere.',
        'At their next sign-in they set up MFA again, as if new.'],
      confirmLabel: 'Reset MFA',
      danger: true,
    });
    if (!ok) return;
    await act(reset, async () => {
      await withStepUp(() => postJson(`/api/people/${person.id}/mfa/reset`));
      output.replaceChildren();
      await refreshPerson();
      showStatus('MFA reset. They set it up again at their next sign-in.', 'ok');
      await loadRequests();
    });
  });
}

async function main() {
  const me = await requireSignedIn();
  if (!me) return;
  const loadError = document.getElementById('load-error');
  if (!me.permissions.includes('manage_agent_mfa')) {
    loadError.hidden = false;
    loadError.textContent = 'You need the “Access to Agent Recovery Code and Reset MFA” permission to help '
      + 'people with MFA recovery.';
    document.body.dataset.ready = 'true';
    return;
  }
  try {
    await loadRequests();
  } catch (error) {
    loadError.hidden = false;
    loadError.textContent = error.status === 403
      ? 'You need the “Access to Agent Recovery Code and Reset MFA” permission to help people with MFA recovery.'
      : error.message;
    document.body.dataset.ready = 'true';
    return;
  }
  document.getElementById('content').hidden = false;
  // Opened from the people lists: /admin/mfa.html?portal=agent&email=…
  const asked = new URLSearchParams(location.search);
  if (asked.get('email') && ['agent', 'contact'].includes(asked.get('portal'))) {
    lookup(asked.get('portal'), asked.get('email'));
  }
  lookupForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const email = lookupForm.elements.email.value.trim();
    if (!email) {
      lookupError.hidden = false;
      lookupError.textContent = 'Enter the email the person signs in with.';
      return;
    }
    lookup(lookupForm.elements.portal.value, email);
  });
  wireActions();
  document.body.dataset.ready = 'true';
}

main();
