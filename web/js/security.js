// Your account › Sign-in security: MFA status, authenticator-app enrollment
// (or moving it to a new phone), recovery codes left, and a request to an
// administrator for new codes.
import { getJson, postJson } from '/js/api.js';
import { el, formatDate, formatTime } from '/js/dom.js';
import { loadSignIn, looksLikeOneTimeCode } from '/js/signin-module.js';
import { startEnrollment } from '/js/totp-enrollment.js';
import { requireSignedIn } from '/js/signed-in.js';

const overview = document.getElementById('overview');
const enrollBox = document.getElementById('enroll');
const requestStatus = document.getElementById('request-status');
const wantsEnroll = new URLSearchParams(location.search).get('enroll') === '1';
let me;
let mfa;

function badge(id, text, tone) {
  const el = document.getElementById(id);
  el.textContent = text;
  el.className = `badge${tone ? ` badge-${tone}` : ''}`;
}

function text(id, value) {
  const el = document.getElementById(id);
  el.textContent = value ?? '';
  el.hidden = !value;
}

function render() {
  const appOn = mfa.methods.authenticator_app;
  const enrolled = mfa.totp.enrolled;
  document.getElementById('app-status').textContent = enrolled
    ? `Set up on ${formatDate(mfa.totp.enrolled_at)}. You enter a code from it when you sign in.`
    : 'Not set up. Apps such as Microsoft Authenticator, Google Authenticator or Authy show a new code every 30 seconds.';
  badge('app-badge', enrolled ? 'Set up' : 'Not set up', enrolled ? null : 'off');
  text('app-note', appOn ? null : enrolled
    ? 'Authenticator apps are turned off for this portal for now, so sign-in does not ask for your app.'
    : 'Your administrator has not turned on authenticator apps for this portal.');
  const start = document.getElementById('start-enroll');
  start.hidden = !appOn;
  start.textContent = enrolled ? 'Move to a new phone' : 'Set up authenticator app';
  start.className = enrolled ? 'ghost' : 'primary compact';

  const { remaining, low, per_set: perSet } = mfa.recovery_codes;
  const plural = remaining === 1 ? 'code' : 'codes';
  document.getElementById('codes-status-text').textContent = enrolled || remaining
    ? `${remaining} unused ${plural} left. Each one signs you in once without your phone.`
    : `You get ${perSet} recovery codes when you set up the app.`;
  badge('codes-badge', `${remaining} left`, low ? 'warn' : remaining ? null : 'off');
  text('codes-low', low && (enrolled || remaining)
    ? `Only ${remaining} recovery ${plural} left. Get a new set before you run out: set up the app again `
      + '(“Move to a new phone”) or ask an administrator.'
    : null);
  document.getElementById('request-codes').closest('.button-row').hidden = !(appOn || enrolled);
  const request = mfa.recovery_request ?? {};
  if (request.next_allowed_at && request.next_allowed_at * 1000 > Date.now() && requestStatus.hidden) {
    text('request-status', `You asked on ${formatTime(request.last_requested_at)}. An administrator will `
      + `contact you; you can ask again after ${formatTime(request.next_allowed_at)}.`);
  }

  const emailOn = mfa.methods.email_otp;
  document.getElementById('email-status').textContent = emailOn
    ? `At sign-in you can have a 6-digit code sent to ${me.email}. It works once, for 10 minutes.`
    : 'Emailed sign-in codes are off for this portal.';
  badge('email-badge', emailOn ? 'On' : 'Off', emailOn ? null : 'off');
}

async function load() {
  mfa = await getJson('/api/mfa');
  render();
}

// Moving to a new phone starts with a code from the current one: a
// session alone (say, a borrowed laptop) cannot replace someone's app.
function askCurrentCode(error) {
  loadSignIn().catch(() => {});  // the code check, and the enrollment after it
  overview.hidden = true;
  enrollBox.hidden = false;
  requestStatus.hidden = true;
  const input = el('input', {
    type: 'text', id: 'current-code', name: 'current_code', inputMode: 'numeric',
    autocomplete: 'one-time-code', maxLength: 6, pattern: '[0-9]{6}', required: true,
  });
  const form = el('form', { id: 'current-code-form', className: 'stack', noValidate: true },
    el('h2', {}, 'Move to a new phone'),
    el('p', { className: 'hint' }, 'First enter the 6-digit code your current authenticator app shows.'),
    el('label', { className: 'field' }, el('span', { className: 'field-label' }, 'Code from your current app'), input),
    el('p', { className: 'form-error', id: 'current-code-error', role: 'alert', hidden: !error }, error ?? ''),
    el('div', { className: 'button-row' },
      el('button', { type: 'submit', className: 'primary compact' }, 'Continue'),
      el('button', { type: 'button', className: 'ghost', id: 'current-code-cancel' }, 'Cancel')));
  form.querySelector('#current-code-cancel').addEventListener('click', () => {
    enrollBox.hidden = true;
    enrollBox.replaceChildren();
    overview.hidden = false;
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const code = input.value.trim();
    if (!looksLikeOneTimeCode(code)) {
      const slot = form.querySelector('#current-code-error');
      slot.textContent = 'Enter the 6-digit code.';
      slot.hidden = false;
      return;
    }
    enroll(code);
  });
  enrollBox.replaceChildren(form);
  input.focus();
}

function enroll(currentCode) {
  const moving = mfa.totp.enrolled;
  if (moving && !currentCode) {
    askCurrentCode();
    return;
  }
  overview.hidden = true;
  enrollBox.hidden = false;
  requestStatus.hidden = true;
  startEnrollment(enrollBox, {
    portal: me.portal,
    email: me.email,
    heading: moving ? 'Move to a new phone' : 'Set up your authenticator app',
    intro: moving
      ? 'Your current app keeps working until you confirm a code from the new one. You then get a new set of '
        + 'recovery codes, and the old ones stop working.'
      : null,
    currentCode,
    onCancel: () => {
      enrollBox.hidden = true;
      enrollBox.replaceChildren();
      overview.hidden = false;
    },
    onDone: async (status) => {
      if (status === 'password_change_required') {
        location.assign('/account/password.html');
        return;
      }
      history.replaceState(null, '', location.pathname);
      document.getElementById('suggestion').hidden = true;
      enrollBox.hidden = true;
      enrollBox.replaceChildren();
      await load();
      overview.hidden = false;
      // Said in the app's own card, not under recovery codes.
      text('app-done', moving ? 'Your new phone is set up.' : 'Your authenticator app is set up.');
    },
  }).catch((error) => {
    // A wrong current code (or a throttle) asks again with the reason.
    if (moving && error.status !== 401) askCurrentCode(error.message);
  });
}

async function main() {
  me = await requireSignedIn();
  if (!me) return;
  try {
    await load();
  } catch (error) {
    text('load-error', error.message);
    document.body.dataset.ready = 'true';
    return;
  }
  overview.hidden = false;
  document.getElementById('start-enroll').addEventListener('click', () => enroll());
  document.getElementById('request-codes').addEventListener('click', async () => {
    const button = document.getElementById('request-codes');
    button.disabled = true;
    requestStatus.className = 'notice';
    try {
      await postJson('/api/mfa/recovery-request');
      text('request-status', 'Request sent. An administrator will check it is you and give you new recovery codes.');
      requestStatus.className = 'notice notice-ok';
    } catch (error) {
      text('request-status', error.message);
      requestStatus.className = 'notice notice-error';
    } finally {
      button.disabled = false;
    }
  });
  if (wantsEnroll && mfa.methods.authenticator_app && !mfa.totp.enrolled) {
    document.getElementById('suggestion').hidden = false;
    enroll();
  }
  document.body.dataset.ready = 'true';
}

main();
