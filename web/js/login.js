// Sign-in page for either portal: one page served at /login/agent.html and
// /login/contact.html, the address says which.
// The portal's login options decide what the card offers: a single sign-on
// button, the email and password form, or both (the button first). After
// the password, a portal with MFA on asks for a second factor: a code from
// the authenticator app, an emailed code or a recovery code, or, when the
// app is required and not yet set up, enrollment in the same card. (Single
// sign-on skips MFA here: the identity provider does its own.)
import { getJson, httpsUrl, postJson, sentence } from '/js/api.js';
import { el, formatWait } from '/js/dom.js';
import { takeProviderSignOut } from '/js/sign-out.js';
import { loadSignIn, looksLikeOneTimeCode } from '/js/signin-module.js';
import { takeReturnPath, takeSignedOutReason } from '/js/signed-in.js';
import { startEnrollment } from '/js/totp-enrollment.js';

const PORTAL_TEXT = {
  agent: {
    title: 'Agent sign-in',
    heading: 'Agent portal',
    intro: 'Sign in to work on tickets, assets and settings.',
    switchQuestion: 'Not on the helpdesk team?',
    switchTo: { href: '/login/contact.html', text: 'Customer sign-in' },
  },
  contact: {
    title: 'Customer sign-in',
    heading: 'Customer portal',
    intro: 'Sign in to follow your requests.',
    switchQuestion: 'On the helpdesk team?',
    switchTo: { href: '/login/agent.html', text: 'Agent sign-in' },
  },
};

const portal = location.pathname.endsWith('/contact.html') ? 'contact' : 'agent';
showPortal(PORTAL_TEXT[portal]);

function showPortal(text) {
  document.body.dataset.portal = portal;
  document.title = `${text.title} · deskgate`;
  document.getElementById('portal-name').textContent = text.heading;
  document.getElementById('intro').textContent = text.intro;
  document.getElementById('switch-question').textContent = text.switchQuestion;
  const forgot = document.getElementById('forgot-password');
  forgot.href = `/reset-password.html?portal=${portal}`;
  forgot.addEventListener('click', () => {
    const email = document.getElementById('login-form').elements.email.value.trim();
    if (email) forgot.href = `/reset-password.html?${new URLSearchParams({ portal, email })}`;
  });
  const link = document.getElementById('switch-link');
  link.href = text.switchTo.href;
  link.textContent = text.switchTo.text;
}
const form = document.getElementById('login-form');
const formError = document.getElementById('form-error');

const ssoBlock = document.getElementById('sso-block');
const ssoButton = document.getElementById('sso-button');
const ssoButtonText = document.getElementById('sso-button-text');
const ssoError = document.getElementById('sso-error');
const providerSignOut = document.getElementById('provider-sign-out');
const noSignIn = document.getElementById('no-sign-in');

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
const linkNotice = document.getElementById('sso-link');
// A single sign-on identity waits in this browser for its account's holder
// to confirm the link: a password sign-in here confirms it.
let linkPending = false;

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
const UNCONFIRMED_GRACE_MS = 10000;
const ASK_ADMIN_SENTENCE = 'Ask your administrator to set up mail, or to help you sign in.';
// Session storage key of a sign-in begun on another page (resumeSignIn).
const PENDING_SIGN_IN = 'deskgate.pending-sign-in';
let countdown;

// A finished sign-in: confirms a link waiting in this browser (the
// password sign-in is what proves the account is the person's), then goes on.
async function finishSignIn(url) {
  if (linkPending) {
    try {
      await postJson(`/api/${portal}/sso/link/confirm`, {});
    } catch {
      // The sign-in stands; the next single sign-on offers the link again.
    }
  }
  location.assign(url);
}

// Where a finished sign-in goes: a forced password change comes first, then
// the suggestion to set up the app, then home.
function destination(status, setupSuggested) {
  if (status === 'password_change_required') return '/account/password.html';
  if (setupSuggested) return '/account/security.html?enroll=1';
  return takeReturnPath() ?? '/home.html';
}

// Swaps the password form for the next step in the same card.
function showStep(section) {
  form.hidden = true;
  for (const node of [ssoBlock, ssoError, providerSignOut, noSignIn]) node.hidden = true;
  document.getElementById('intro').hidden = true;
  document.getElementById('switch-portal').hidden = true;
  document.getElementById('start-over').hidden = false;
  mfaStep.hidden = section !== mfaStep;
  enrollContainer.hidden = section !== enrollContainer;
  // The code checks and the enrollment's QR code come from the module.
  loadSignIn().catch(() => {});
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
    await tellDelivery(sent.sent_to);
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

// What is true about the emailed code: sent where mail is known to work;
// otherwise said plainly, with the app's setup offered where it can be.
async function tellDelivery(to, waited = 0) {
  let answer;
  try {
    answer = await getJson(`/api/${portal}/mfa/email/delivery`);
  } catch {
    return;  // the plain "sent" stays
  }
  // Mail that is set up but not yet proven gets a few seconds to prove
  // itself (the code is usually out by then) before the page says so.
  if (answer.delivery === 'unconfirmed' && waited < UNCONFIRMED_GRACE_MS) {
    setTimeout(() => tellDelivery(to, waited + 2000), 2000);
    return;
  }
  emailSent.classList.toggle('notice-warn', answer.delivery !== 'works');
  if (answer.delivery === 'not_configured') {
    emailSent.textContent = `Mail is not set up on this deskgate yet, so no code can be emailed to ${to}.`
      + (answer.can_enroll_app ? ' Set up an authenticator app instead.' : ` ${ASK_ADMIN_SENTENCE}`);
  } else if (answer.delivery === 'unconfirmed') {
    emailSent.textContent = `A code for ${to} is waiting to be sent, but mail from deskgate has not been `
      + 'confirmed to arrive yet. If nothing comes within a few minutes, '
      + (answer.can_enroll_app ? 'set up an authenticator app instead.' : 'ask your administrator.');
  }
  document.getElementById('app-instead').hidden = !answer.can_enroll_app;
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
    onDone: (status) => finishSignIn(destination(status, false)),
  }).catch(() => {});
}

// Why the page the person was on sent them here, in a sentence.
const SIGNED_OUT = {
  timeout: 'You were signed out because nothing happened for a while. Sign in again to carry on where you were.',
  ended: 'Your session was ended: you signed out elsewhere, an administrator ended it, or your account '
    + 'changed (a new password, MFA reset or deactivation). Sign in again.',
};

function showSignedOutReason() {
  const text = SIGNED_OUT[takeSignedOutReason()];
  const box = document.getElementById('signed-out-reason');
  box.hidden = !text;
  box.textContent = text ?? '';
}

// A sign-in another page began with the password the person just chose
// (an accepted invitation) and that stopped at a second factor: its answer
// waits in this tab's session storage, its session in the cookie. The
// person carries on with the code or the app's setup, not the password again.
function resumeSignIn() {
  const saved = sessionStorage.getItem(PENDING_SIGN_IN);
  sessionStorage.removeItem(PENDING_SIGN_IN);
  if (!saved || !new URLSearchParams(location.search).has('continue')) return;
  let pending;
  try {
    pending = JSON.parse(saved);
  } catch {
    return;
  }
  if (pending.portal !== portal) return;
  challenge.email = pending.email;
  form.elements.email.value = pending.email;
  if (pending.result.status === 'mfa_required') startChallenge(pending.result);
  if (pending.result.status === 'mfa_setup_required') startSetup();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  formError.hidden = true;
  ssoError.hidden = true;
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
      // Back to the page that sent the person here, once nothing else is due.
      const back = result.status === 'ok' ? takeReturnPath() : null;
      finishSignIn(back ?? `/home.html?status=${encodeURIComponent(result.status)}`);
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
document.getElementById('use-app').addEventListener('click', () => {
  document.getElementById('app-instead').hidden = true;
  startSetup();
});

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
  if (method === 'recovery' ? !code : !looksLikeOneTimeCode(code)) {
    showMfaError(method === 'recovery' ? 'Enter one of your recovery codes.' : 'Enter the 6-digit code.');
    return;
  }
  const button = document.getElementById('verify');
  button.disabled = true;
  try {
    const result = await postJson(`/api/${portal}/mfa/verify`, { method, code });
    clearInterval(countdown);
    finishSignIn(destination(result.status, result.setup_suggested));
  } catch (error) {
    const expired = error.status === 401 && error.body?.sign_in_again === true;
    showMfaError(expired ? EXPIRED : error.message);
    button.disabled = false;
  }
});

// ---- Single sign-on ----

// What a refused single sign-on means for the person, by the reason the
// server puts in ?sso_error=. Only known reasons are shown; the rest read
// as a generic failure (the address can be typed by anyone).
const TRUST_REASONS = new Set(['token', 'signature', 'issuer', 'audience', 'expired', 'nonce', 'claims']);
const ASK = portal === 'agent' ? 'ask your administrator' : 'contact the helpdesk';
const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

function ssoRefusal(reason, provider) {
  const Provider = capital(provider);
  if (reason === 'state') {
    return ['That sign-in could not be finished: it expired, was already used, or was not started here.',
      'Start again.'];
  }
  if (reason === 'browser') {
    return ['That sign-in was started in another browser or window.', 'Start again here, in this browser.'];
  }
  if (reason === 'provider') {
    return [`${Provider} did not sign you in: it declined the sign-in, or could not be reached.`,
      `Try again in a moment. If it keeps happening, ${ASK}.`];
  }
  if (reason === 'config') return ['Single sign-on is not offered on this portal at the moment.', ''];
  if (reason === 'throttled') {
    return ['Too many sign-ins from your network failed recently.', 'Wait a few minutes, then try again.'];
  }
  if (TRUST_REASONS.has(reason)) {
    return [`You were not signed in: the answer from ${provider} could not be verified.`,
      `Try again. If it keeps happening, ${ASK}.`];
  }
  if (reason === 'tenant') {
    return ['You were not signed in: accounts from your organization are not allowed on this portal.',
      `${capital(ASK)} if you think they should be.`];
  }
  if (reason === 'domain') {
    return ['You were not signed in: your email address is not in a domain this portal accepts.',
      `${capital(ASK)} if you think it should be.`];
  }
  if (reason === 'deactivated') {
    return ['This account has been deactivated.', `${capital(ASK)} if you need it again.`];
  }
  if (reason === 'account') {
    return [`${Provider} signed you in, but that identity could not be matched to an account on this portal.`,
      `${capital(ASK)} to check your account.`];
  }
  return ['Single sign-on did not complete.', 'Try again.'];
}

// A headline, what to do next, and the server's own words when it gave any.
function showSsoError(headline, next, technical) {
  ssoError.replaceChildren(el('strong', {}, headline), next ? ` ${next}` : '',
    technical ? el('span', { className: 'error-detail' }, `Details: ${technical}`) : '');
  ssoError.hidden = false;
}

// "Microsoft", or what to call any other OpenID provider in a sentence.
function providerName(options) {
  return options.sso_label === 'Microsoft' ? 'Microsoft' : 'your identity provider';
}

// ?sso_error=REASON from a refused sign-in: shown once, then taken out of
// the address so a reload or a bookmark does not show it again.
function takeSsoError() {
  const params = new URLSearchParams(location.search);
  const reason = params.get('sso_error');
  if (reason === null) return null;
  params.delete('sso_error');
  const query = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  return reason;
}

function resetSsoButton(options) {
  ssoButton.disabled = false;
  ssoButtonText.textContent = `Sign in with ${options.sso_label || 'single sign-on'}`;
}

function setupSso(options) {
  const microsoft = options.sso_label === 'Microsoft';
  ssoButton.classList.toggle('sso-microsoft', microsoft);
  resetSsoButton(options);
  ssoButton.addEventListener('click', async () => {
    formError.hidden = true;
    ssoError.hidden = true;
    ssoButton.disabled = true;
    ssoButtonText.textContent = microsoft ? 'Opening Microsoft sign-in…' : 'Opening sign-in…';
    let url;
    try {
      ({ url } = await postJson(`/api/${portal}/sso/start`, { purpose: 'login' }));
    } catch (error) {
      resetSsoButton(options);
      if (error.status === undefined) {
        showSsoError('Could not reach deskgate.', 'Check your connection and try again.');
      } else if (error.status === 429) {
        showSsoError('Too many sign-in attempts from this network.',
          `Try again in ${formatWait(error.retryAfter ?? 60)}.`);
      } else {
        showSsoError('Single sign-on could not start.',
          `Try again in a moment; if it keeps happening, ${ASK}.`, error.message);
      }
      return;
    }
    const target = httpsUrl(url);
    if (!target) {
      resetSsoButton(options);
      showSsoError('Single sign-on could not start.', `${capital(ASK)}.`, 'the sign-in address is not https');
      return;
    }
    location.assign(target.href);
  });
  // Back from the provider's page (the page comes back from the cache): the
  // button works again.
  addEventListener('pageshow', (event) => { if (event.persisted) resetSsoButton(options); });
}

// ?sso_link=pending after a single sign-on that must be confirmed, and
// #sso_link=TOKEN from the mailed link: read once, then taken out of the
// address (the token must not stay in history).
function takeLinkParams() {
  const params = new URLSearchParams(location.search);
  const pending = params.get('sso_link') === 'pending';
  params.delete('sso_link');
  const hash = new URLSearchParams(location.hash.slice(1));
  const token = hash.get('sso_link');
  if (pending || token) {
    const query = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}`);
  }
  return { pending, token };
}

async function showPendingLink(options) {
  let link;
  try {
    link = await getJson(`/api/${portal}/sso/link`);
  } catch {
    return;
  }
  if (!link.pending) return;
  linkPending = true;
  const provider = providerName(options);
  const parts = [el('strong', {}, `Link your ${provider === 'Microsoft' ? 'Microsoft' : 'single sign-on'} account. `),
    `${capital(provider)} signed you in, but your deskgate account (${link.email}) is not linked to it yet, `
    + 'and only you can link it.'];
  if (link.password) parts.push(' Sign in below with your password once: the link is made as you sign in.');
  if (link.mailed) {
    parts.push(` ${link.password ? 'Or open' : 'Open'} the link we emailed to ${link.email}, in this browser, `
      + 'within 10 minutes.');
  }
  if (!link.password && !link.mailed) parts.push(` ${capital(ASK)} to link your account.`);
  linkNotice.replaceChildren(...parts);
  linkNotice.hidden = false;
}

// The mailed link: it signs the person in when opened in the browser that
// signed in at the provider.
async function confirmMailedLink(token) {
  try {
    await postJson(`/api/${portal}/sso/link/confirm`, { token });
  } catch (error) {
    showSsoError('That link did not sign you in.', `${sentence(error.message)}.`);
    return false;
  }
  location.assign('/home.html');
  return true;
}

// The mailed link pasted into this tab changes only the fragment: read it.
addEventListener('hashchange', () => {
  if (new URLSearchParams(location.hash.slice(1)).has('sso_link')) location.reload();
});

async function main() {
  const signedOutAt = takeProviderSignOut(portal);
  const refusal = takeSsoError();
  const link = takeLinkParams();
  if (link.token && await confirmMailedLink(link.token)) return;
  let options;
  try {
    options = await getJson(`/api/${portal}/login-options`);
  } catch {
    options = { password: true, sso: false, sso_label: '' };  // the password form still works
  }
  form.hidden = !options.password;
  ssoBlock.hidden = !options.sso;
  document.getElementById('or-divider').hidden = !(options.sso && options.password);
  noSignIn.hidden = options.sso || options.password;
  if (options.sso) setupSso(options);

  if (signedOutAt) {
    document.getElementById('provider-name').textContent =
      options.sso_label === 'Microsoft' ? 'Microsoft' : signedOutAt.hostname;
    document.getElementById('provider-sign-out-link').href = signedOutAt.href;
    providerSignOut.hidden = false;
  }
  if (refusal !== null) {
    const [headline, next] = ssoRefusal(refusal, providerName(options));
    showSsoError(headline, next);
  }
  if (link.pending || link.token) await showPendingLink(options);
  // Arriving from an accepted invitation: the address is known.
  const invited = new URLSearchParams(location.search).get('email');
  if (invited && !form.elements.email.value) form.elements.email.value = invited;
  resumeSignIn();
  showSignedOutReason();
  if (!form.hidden) (form.elements.email.value ? form.elements.password : form.elements.email).focus();
  document.body.dataset.ready = 'true';
}

main();
