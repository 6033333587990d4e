// Administration › Outbox: the mail deskgate queued (sign-in codes), with
// delivery state. Bodies hold codes: the API never returns them.
import { getJson, sentence } from '/js/api.js';
import { el, formatShort } from '/js/dom.js';
import { goToSignIn, showTopBar } from '/js/signed-in.js';

const STATE_TEXT = { sent: 'Sent', queued: 'Queued', expired: 'Expired' };
const STATE_TONE = { sent: '', queued: ' badge-warn', expired: ' badge-off' };

function when(m, smtp) {
  if (m.state === 'sent') return `Sent ${formatShort(m.sent_at)}`;
  if (m.state === 'expired') return `Expired ${formatShort(m.expires_at)}`;
  // Without a mail server nothing is tried: only the expiry matters.
  const next = smtp && m.next_attempt_at ? `Next try ${formatShort(m.next_attempt_at)} · ` : '';
  return `${next}${next ? 'expires' : 'Expires'} ${formatShort(m.expires_at)}`;
}

async function load() {
  let data;
  try {
    data = await getJson('/api/outbox');
  } catch (error) {
    if (error.status === 401) {
      goToSignIn();
      return;
    }
    const box = document.getElementById('load-error');
    box.hidden = false;
    box.textContent = error.status === 403
      ? 'You need the “Access to Agent & Contact Authentication” permission to see the outbox.'
      : error.message;
    document.body.dataset.ready = 'true';
    return;
  }
  document.getElementById('no-smtp').hidden = data.smtp_configured;
  // data-label: the column's name, shown beside each value on narrow screens.
  const cell = (label, className, ...content) => el('td', { className, 'data-label': label }, ...content);
  document.getElementById('rows').replaceChildren(...data.messages.map((m) => el('tr', { data: { state: m.state } },
    cell('Recipient', 'recipient', m.recipient),
    cell('Subject', 'nowrap', m.subject),
    cell('State', null, el('span', { className: `badge${STATE_TONE[m.state] ?? ''}` }, STATE_TEXT[m.state] ?? m.state)),
    cell('Attempts', 'num', String(m.attempts)),
    cell('Last error', m.last_error ? 'error-text' : 'hint', m.last_error || '—'),
    cell('Created', 'nowrap', sentence(formatShort(m.created_at))),
    cell('Sent / expires', 'nowrap', when(m, data.smtp_configured)))));
  const counts = data.messages.reduce((acc, m) => ({ ...acc, [m.state]: (acc[m.state] ?? 0) + 1 }), {});
  document.getElementById('summary').textContent = data.messages.length
    ? Object.entries(counts).map(([state, n]) => `${n} ${(STATE_TEXT[state] ?? state).toLowerCase()}`).join(' · ')
    : 'No messages yet.';
  document.getElementById('outbox').hidden = false;
  document.body.dataset.ready = 'true';
}

document.getElementById('refresh').addEventListener('click', load);
load();
showTopBar();
