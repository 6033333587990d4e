// The mail server page (Administrators): the SMTP settings, saved with
// every bad field shown at once, a test email sent through them, and
// whether mail gets out at all (GET /api/settings/mail).
import { getJson, sendJson, sentence } from '/js/api.js';
import { el, formatAgo } from '/js/dom.js';
import { requireSignedIn } from '/js/signed-in.js';
import { guardUnsaved } from '/js/unsaved.js';

const $ = (id) => document.getElementById(id);
const form = $('mail-form');
const FIELDS = ['host', 'port', 'username', 'password', 'from'];
let state;

function showFieldErrors(problems) {
  const byField = {};
  for (const problem of problems) {
    const [field, ...rest] = problem.split(': ');
    if (FIELDS.includes(field) && !byField[field]) byField[field] = rest.join(': ');
  }
  for (const field of FIELDS) {
    const message = byField[field];
    form.elements[field].setAttribute('aria-invalid', message ? 'true' : 'false');
    $(`${field}-error`).textContent = message ? sentence(message) : '';
  }
  return Object.keys(byField).length;
}

function showHealth() {
  const d = state.delivery;
  const lines = [];
  let tone = 'ok';
  let headline;
  if (!state.configured) {
    tone = 'warn';
    headline = 'Mail is not set up. Nothing is sent: email codes, invitations and password links wait in the outbox.';
  } else if (d.last_delivered_at) {
    headline = `Mail works: the server last accepted a message ${formatAgo(d.last_delivered_at)}.`;
  } else {
    tone = 'warn';
    headline = 'No mail has been delivered through these settings yet. Send a test email.';
  }
  if (d.last_error) {
    tone = 'warn';
    lines.push(`Last delivery error: ${d.last_error}`);
  }
  if (d.waiting) lines.push(`${d.waiting} message${d.waiting === 1 ? '' : 's'} waiting in the outbox.`);
  $('health').className = `card mail-health notice-${tone}`;
  $('health').replaceChildren(el('p', { className: 'mail-headline' }, headline),
    ...lines.map((line) => el('p', { className: 'hint' }, line)));
}

function fill() {
  const s = state.settings;
  const readOnly = state.source === 'command_line';
  $('flags-note').hidden = !readOnly;
  for (const input of form.querySelectorAll('input')) input.disabled = readOnly;
  $('save').hidden = readOnly;
  $('remove').hidden = readOnly || !s;
  $('send-test').disabled = readOnly || !s;
  if (s) {
    form.elements.host.value = s.host;
    form.elements.port.value = s.port;
    form.elements.starttls.checked = s.starttls;
    form.elements.username.value = s.username;
    form.elements.from.value = s.from;
  }
  form.elements.password.value = '';
  form.elements.password.placeholder = s?.password_set ? 'Saved (leave empty to keep it)' : '';
  $('password-hint').textContent = s?.password_set ? 'A password is saved; it is never shown.' : '';
  clean = JSON.stringify(formBody());
  showHealth();
}

// The form as a save would send it (the password only when typed).
function formBody() {
  const body = {
    host: form.elements.host.value.trim(),
    port: Number(form.elements.port.value),
    starttls: form.elements.starttls.checked,
    username: form.elements.username.value.trim(),
    from: form.elements.from.value.trim(),
  };
  if (form.elements.password.value) body.password = form.elements.password.value;
  return body;
}

let clean = '';  // the form as last filled from the server

async function save(event) {
  event.preventDefault();
  $('form-error').hidden = true;
  const body = formBody();
  $('save').disabled = true;
  try {
    state = await sendJson('PUT', '/api/settings/mail', body);
    showFieldErrors([]);
    fill();
    $('save-status').textContent = 'Saved. Send a test email to check it.';
    $('save-status').className = 'save-status save-ok';
  } catch (error) {
    const shown = showFieldErrors(error.body?.errors ?? [error.message]);
    if (!shown) {
      $('form-error').hidden = false;
      $('form-error').textContent = sentence(error.message);
    }
    $('save-status').textContent = '';
  } finally {
    $('save').disabled = false;
  }
}

async function sendTest(event) {
  event.preventDefault();
  const result = $('test-result');
  const button = $('send-test');
  button.disabled = true;
  result.hidden = false;
  result.className = 'notice';
  result.textContent = 'Sending…';
  try {
    const answer = await sendJson('POST', '/api/settings/mail/test', { to: $('test-form').elements.to.value.trim() });
    result.className = answer.sent ? 'notice notice-ok' : 'notice notice-error';
    result.textContent = answer.sent
      ? `Sent to ${answer.to}: the mail server accepted it. Check that it arrived.`
      : `Not sent: ${answer.error}`;
    state = await getJson('/api/settings/mail');
    showHealth();
  } catch (error) {
    result.className = 'notice notice-error';
    result.textContent = sentence(error.message);
  } finally {
    button.disabled = false;
  }
}

// Each field's error goes as soon as the field changes.
function clearOnInput() {
  for (const field of FIELDS) {
    form.elements[field].addEventListener('input', () => {
      form.elements[field].setAttribute('aria-invalid', 'false');
      $(`${field}-error`).textContent = '';
    });
  }
}

async function main() {
  const me = await requireSignedIn();
  if (!me) return;
  $('who').textContent = me.email;
  try {
    state = await getJson('/api/settings/mail');
  } catch (error) {
    $('load-error').hidden = false;
    $('load-error').textContent = error.status === 403 ? 'Only Administrators set up mail.' : sentence(error.message);
    document.body.dataset.ready = 'true';
    return;
  }
  $('content').hidden = false;
  $('test-form').elements.to.value = me.email;
  fill();
  clearOnInput();
  guardUnsaved(() => JSON.stringify(formBody()) !== clean, 'Your mail server settings are not saved yet.');
  form.addEventListener('submit', save);
  $('test-form').addEventListener('submit', sendTest);
  $('remove').addEventListener('click', async () => {
    state = await sendJson('DELETE', '/api/settings/mail').then(() => getJson('/api/settings/mail'));
    form.reset();
    fill();
  });
  document.body.dataset.ready = 'true';
}

main();
