// Sign-in page for either portal (the body's data-portal says which).
// After the password, a portal with MFA on asks for a second factor: a code
// from the authenticator app, an emailed code or a recovery code, or, when
// the app is required and not yet set up, enrollment in the same card.
import { postJson } from '/js/api.js';
import { formatWait } from '/js/dom.js';
import { startEnrollment } from '/js/totp-enrollment.js';

const portal = document.body.dataset.portal;
const form = document.getElementById('login-form');
const formError = document.getElementById('form-error');

const mfaStep = document.getElementById('mfa-step');
const mfaForm = document.getElementById('mfa-form');
const mfaError = document.getElementById('mfa-error');
const otp = document.getElementById('otp');
const recoveryCode = document.getElementById('recovery-code');
const emailSent = document.getElementById('email-sent');
const resendRow = document.getElementById('resend-row');
const resend = document.getElementById('resend');
const options = document.getElementById('mfa-options');
const askAdmin = document.getElementById('ask-admin');
const askAdminStatus = document.getElementById('ask-admin-status');
const enrollContainer = document.getElementById('enroll-container');

const EXPIRED = 'Your sign-in has expired (it lasts 15 minutes). Sign in again.';
const METHOD_TEXT = {
  totp: { label: 'Code from your app', prompt: 'Enter the 6-digit code from your authenticator app.' },
  email: { label: 'Code from the email', prompt: 'Enter the 6-digit code we emailed you. It works for 10 minutes.' },
  recovery: {
    label: 'Recovery code',
    prompt: 'Enter one of the recovery codes you saved when you set up your app. Each one works once.',
  },
};

const challenge = { methods: [], method: null, email: '', emailRequested: false };
let countdown;

// Where a finished sign-in goes: a forced password change comes first, then
// the suggestion to set up the app, then home.
function destination(status, setupSuggested) {
  if (status === 'password_change_required') return '/account/password.html';
  if (setupSuggested) return '/account/security.html?enroll=1';
  return '/home.html';
}

// Swaps the password form for the next step in the same card.
function showStep(section) {
  form.hidden = true;
  document.getElementById('intro').hidden = true;
  document.getElementById('switch-portal').hidden = true;
  document.getElementById('start-over').hidden = false;
  mfaStep.hidden = section !== mfaStep;
  enrollContainer.hidden = section !== enrollContainer;
}

function showMfaError(message) {
  mfaError.hidden = !message;
  mfaError.textContent = message ?? '';
  const input = challenge.method === 'recovery' ? recoveryCode : otp;
  if (message) {
    input.setAttribute('aria-invalid', 'true');
    input.select();
    input.focus();
  } else {
    input.removeAttribute('aria-invalid');
  }
}

function startCountdown(seconds) {
  clearInterval(countdown);
  const until = Date.now() + seconds * 1000;
  const tick = () => {
    const left = (until - Date.now()) / 1000;
    if (left <= 0) {
      clearInterval(countdown);
      resend.disabled = false;
      resend.textContent = 'Resend code';
      return;
    }
    resend.disabled = true;
    resend.textContent = `Resend code in ${formatWait(left)}`;
  };
  tick();
  countdown = setInterval(tick, 1000);
}

function useMethod(method) {
  challenge.method = method;
  const text = METHOD_TEXT[method];
  document.getElementById('mfa-prompt').textContent = text.prompt;
  document.getElementById('otp-field').hidden = method === 'recovery';
  document.getElementById('otp-label').textContent = text.label;
  document.getElementById('recovery-field').hidden = method !== 'recovery';
  emailSent.hidden = method !== 'email' || !emailSent.textContent;
  resendRow.hidden = method !== 'email' || !challenge.emailRequested;
  for (const button of options.querySelectorAll('[data-switch]')) {
    const other = button.dataset.switch;
    button.parentElement.hidden = other === method || !challenge.methods.includes(other);
  }
  // Asking an administrator helps people who use the app (new codes).
  askAdmin.parentElement.hidden = !challenge.methods.some((m) => m === 'totp' || m === 'recovery');
  options.hidden = ![...options.children].some((li) => !li.hidden);
  showMfaError(null);
  otp.value = '';
  recoveryCode.value = '';
  (method === 'recovery' ? recoveryCode : otp).focus();
}

async function sendEmailCode() {
  challenge.emailRequested = true;
  resend.disabled = true;
  try {
    const sent = await postJson(`/api/${portal}/mfa/email/send`);
    emailSent.textContent = `We sent a code to ${sent.sent_to}.`;
    startCountdown(sent.resend_after ?? 60);
    showMfaError(null);
  } catch (error) {
    if (error.status === 429) startCountdown(error.retryAfter ?? 60);
    else resend.disabled = false;
    showMfaError(error.status === 401 ? EXPIRED : error.message);
  }
  if (challenge.method === 'email') {
    emailSent.hidden = !emailSent.textContent;
    resendRow.hidden = false;
  }
}

function startChallenge(result) {
  challenge.methods = result.methods ?? [];
  showStep(mfaStep);
  const preferred = challenge.methods[0] ?? 'totp';
  useMethod(preferred);
  // An emailed code is useless until it is sent: send it at once.
  if (preferred === 'email') sendEmailCode();
}

function startSetup() {
  showStep(enrollContainer);
  startEnrollment(enrollContainer, {
    portal,
    email: challenge.email,
    intro: 'This portal asks for a code from an authenticator app at every sign-in. Setting it up takes a minute.',
    onDone: (status) => location.assign(destination(status, false)),
  }).catch(() => {});
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  formError.hidden = true;
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    challenge.email = form.elements.email.value;
    const result = await postJson(`/api/${portal}/login`, {
      email: form.elements.email.value,
      password: form.elements.password.value,
    });
    if (result.status === 'mfa_required') {
      form.elements.password.value = '';
      startChallenge(result);
    } else if (result.status === 'mfa_setup_required') {
      form.elements.password.value = '';
      startSetup();
    } else {
      location.assign(`/home.html?status=${encodeURIComponent(result.status)}`);
    }
  } catch (error) {
    formError.hidden = false;
    formError.textContent = error.message;
    form.elements.password.select();
  } finally {
    button.disabled = false;
  }
});

for (const button of options.querySelectorAll('[data-switch]')) {
  button.addEventListener('click', () => {
    const method = button.dataset.switch;
    useMethod(method);
    if (method === 'email' && !challenge.emailRequested) sendEmailCode();
  });
}
resend.addEventListener('click', sendEmailCode);

askAdmin.addEventListener('click', async () => {
  askAdmin.disabled = true;
  askAdminStatus.hidden = false;
  askAdminStatus.classList.remove('notice-error');
  try {
    await postJson('/api/mfa/recovery-request');
    askAdminStatus.textContent =
      'Request sent. An administrator will check it is you and give you new recovery codes.';
  } catch (error) {
    askAdminStatus.classList.add('notice-error');
    askAdminStatus.textContent = error.status === 401 ? EXPIRED : error.message;
    askAdmin.disabled = false;
  }
});

mfaForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const method = challenge.method;
  const code = method === 'recovery' ? recoveryCode.value.trim() : otp.value.replace(/\s/g, '');
  if (method === 'recovery' ? !code : !/^\d{6}$/.test(code)) {
    showMfaError(method === 'recovery' ? 'Enter one of your recovery codes.' : 'Enter the 6-digit code.');
    return;
  }
  const button = document.getElementById('verify');
  button.disabled = true;
  try {
    const result = await postJson(`/api/${portal}/mfa/verify`, { method, code });
    clearInterval(countdown);
    location.assign(destination(result.status, result.setup_suggested));
  } catch (error) {
    const expired = error.status === 401 && error.body?.sign_in_again === true;
    showMfaError(expired ? EXPIRED : error.message);
    button.disabled = false;
  }
});

document.body.dataset.ready = 'true';
