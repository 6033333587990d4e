// Accepting an invitation: the token comes in the URL fragment (never sent
// to the server in a URL or a Referer), the portal's password policy is
// checked live by the module as the person types, and the server checks it
// again. Once the password is set the person signs in; a portal that asks
// for a second factor continues on its sign-in page. Where the portal signs
// in through its identity provider, the person accepts by signing in there
// (the provider's answer comes back to /home.html, or here with
// ?sso_error= when it was refused).
import { getJson, postJson, sentence } from '/js/api.js';
import { renderChecklist } from '/js/checklist.js';
import { loadSignIn } from '/js/signin-module.js';

const form = document.getElementById('invite-form');
const formError = document.getElementById('form-error');
const passwordError = document.getElementById('password-error');
const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
const PORTAL_NAME = { agent: 'the agent portal', contact: 'the customer portal' };

function showLinkError(message) {
  const box = document.getElementById('link-error');
  box.hidden = false;
  box.textContent = message;
  document.getElementById('invite-lead').textContent = '';
  document.body.dataset.ready = 'true';
}

function showPasswordError(message) {
  form.elements.password.setAttribute('aria-invalid', message ? 'true' : 'false');
  passwordError.hidden = !message;
  passwordError.textContent = sentence(message ?? '');
}

// Signs in with the new password: home when that is all, else the portal's
// sign-in page, which carries on with the second factor or its setup (the
// login's answer waits for it in this tab's session storage).
async function signIn(invitation, password) {
  const signInPage = `/login/${invitation.portal}.html`;
  let answer;
  try {
    answer = await postJson(`/api/${invitation.portal}/login`, { email: invitation.email, password });
  } catch {
    location.assign(`${signInPage}?${new URLSearchParams({ email: invitation.email })}`);
    return;
  }
  if (answer.status === 'mfa_required' || answer.status === 'mfa_setup_required') {
    sessionStorage.setItem('deskgate.pending-sign-in',
      JSON.stringify({ portal: invitation.portal, email: invitation.email, result: answer }));
    location.assign(`${signInPage}?continue=1`);
    return;
  }
  location.assign(answer.status === 'ok' ? '/home.html' : `/home.html?status=${encodeURIComponent(answer.status)}`);
}

// Why a single sign-on from this page came back refused.
const SSO_ERRORS = {
  account: 'That account at your identity provider is linked to another deskgate account already. '
    + 'Open the link from your invitation again and sign in with your own account.',
  invitation: 'This invitation was used, withdrawn or has expired. Ask for a new one.',
  deactivated: 'This account has been deactivated. Ask your administrator.',
};

async function offerSingleSignOn(invitation, alsoPassword) {
  const options = await getJson(`/api/${invitation.portal}/login-options`);
  const label = options.sso_label ?? 'single sign-on';
  const button = document.getElementById('sso-button');
  button.classList.toggle('sso-microsoft', label === 'Microsoft');
  document.getElementById('sso-button-text').textContent = `Continue with ${label}`;
  document.getElementById('sso-hint').textContent = `Sign in with your ${label === 'single sign-on'
    ? 'organisation' : label} account: it becomes the way you sign in to ${invitation.email}.`;
  document.getElementById('or-divider').hidden = !alsoPassword;
  document.getElementById('sso-block').hidden = false;
  button.addEventListener('click', async () => {
    const error = document.getElementById('sso-error');
    error.hidden = true;
    button.disabled = true;
    try {
      const { url } = await postJson(`/api/${invitation.portal}/sso/start`, { purpose: 'invitation', invitation: token });
      location.assign(url);
    } catch (failure) {
      button.disabled = false;
      error.hidden = false;
      error.textContent = sentence(failure.message);
    }
  });
}

async function main() {
  const ssoError = new URLSearchParams(location.search).get('sso_error');
  if (ssoError && !token) {
    return showLinkError(SSO_ERRORS[ssoError]
      ?? 'The sign-in at your identity provider did not work. Open the link from your invitation again to retry.');
  }
  if (!token) return showLinkError('This page needs the link from your invitation email.');
  let invitation;
  try {
    invitation = await postJson('/api/invitations/lookup', { token });
  } catch (error) {
    return showLinkError(sentence(error.message));
  }
  history.replaceState(null, '', location.pathname);  // the token stays out of history
  document.getElementById('invite-title').textContent = `Welcome${invitation.name ? `, ${invitation.name}` : ''}`;
  document.getElementById('invite-lead').textContent = invitation.password
    ? `You are invited to ${PORTAL_NAME[invitation.portal]}. Choose a password to finish setting up your account.`
    : `You are invited to ${PORTAL_NAME[invitation.portal]}, which you sign in to through your organisation's account.`;
  if (invitation.sso) await offerSingleSignOn(invitation, invitation.password);
  if (!invitation.password) {
    document.body.dataset.ready = 'true';
    return;
  }
  form.elements.email.value = invitation.email;
  form.hidden = false;

  const dg = await loadSignIn();
  const policy = invitation.policy;
  const rules = dg.passwordRules(policy);
  const context = { email: invitation.email, name: invitation.name };
  const check = () => dg.checkPassword(policy, form.elements.password.value, context);
  const update = () => {
    const result = check();
    renderChecklist(document.getElementById('checklist'), rules, result);
    if (result.ok) showPasswordError(null);
  };
  form.addEventListener('input', update);
  update();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.hidden = true;
    const result = check();
    if (!result.ok) {
      showPasswordError(result.violations[0].message);
      form.elements.password.focus();
      return;
    }
    const password = form.elements.password.value;
    document.getElementById('accept').disabled = true;
    try {
      await postJson('/api/invitations/accept', { token, password });
    } catch (error) {
      document.getElementById('accept').disabled = false;
      const [field, ...rest] = error.message.split(': ');
      if (field === 'password') {
        showPasswordError(rest.join(': '));
      } else {
        formError.hidden = false;
        formError.textContent = sentence(error.message);
      }
      return;
    }
    await signIn(invitation, password);
  });
  document.body.dataset.ready = 'true';
}

main();
