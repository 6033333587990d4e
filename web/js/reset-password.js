// A forgotten password, both halves on one page. Without a token it asks
// for the address (the answer never says whether an account uses it);
// with the mailed link's token (in the fragment, never sent in a URL) it
// takes the new password, checked live by the module against the portal's
// policy and again by the server, which also checks reuse.
import { postJson, sentence } from '/js/api.js';
import { renderChecklist } from '/js/checklist.js';
import { el } from '/js/dom.js';
import { loadSignIn } from '/js/signin-module.js';

const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
const asked = new URLSearchParams(location.search).get('portal');
let portal = asked === 'contact' ? 'contact' : 'agent';

function signInLink() {
  $('back-to-sign-in').href = `/login/${portal}.html`;
}

function showError(id, message) {
  $(id).hidden = false;
  $(id).textContent = sentence(message);
}

function requestLink() {
  const form = $('request-form');
  $('reset-lead').textContent = 'Enter the email you sign in with. If an account uses it, we email a link to choose a new password.';
  form.hidden = false;
  const email = new URLSearchParams(location.search).get('email');
  if (email) form.elements.email.value = email;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    $('request-error').hidden = true;
    const address = form.elements.email.value.trim();
    if (!address) return showError('request-error', 'Enter your email.');
    $('request-send').disabled = true;
    try {
      const answer = await postJson(`/api/${portal}/password-reset`, { email: address });
      form.hidden = true;
      $('request-sent').hidden = false;
      $('request-sent').textContent = answer.message;
    } catch (error) {
      $('request-send').disabled = false;
      showError('request-error', error.message);
    }
  });
}

async function chooseNew() {
  let view;
  try {
    view = await postJson('/api/password-reset/lookup', { token });
  } catch (error) {
    $('reset-lead').textContent = '';
    showError('link-error', error.message);
    const again = el('a', { href: `/reset-password.html?portal=${portal}` }, 'Ask for a new link');
    $('link-error').append(' ', again);
    return;
  }
  history.replaceState(null, '', `${location.pathname}?portal=${view.portal}`);  // the token leaves the bar
  portal = view.portal;
  signInLink();
  $('reset-lead').textContent = 'Choose a new password. You will be signed out everywhere else.';
  const form = $('choose-form');
  form.elements.email.value = view.email;
  form.hidden = false;
  const dg = await loadSignIn();
  const rules = dg.passwordRules(view.policy);
  const check = () => dg.checkPassword(view.policy, form.elements.password.value, { email: view.email, name: view.name });
  const update = () => {
    const result = check();
    renderChecklist($('checklist'), rules, result);
    if (result.ok) $('password-error').hidden = true;
  };
  form.addEventListener('input', update);
  update();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    $('choose-error').hidden = true;
    const result = check();
    if (!result.ok) return showError('password-error', result.violations[0].message);
    $('choose-save').disabled = true;
    try {
      await postJson('/api/password-reset/complete', { token, password: form.elements.password.value });
    } catch (error) {
      $('choose-save').disabled = false;
      const [field, ...rest] = error.message.split(': ');
      if (field === 'password') return showError('password-error', rest.join(': '));
      return showError('choose-error', error.message);
    }
    form.hidden = true;
    $('done').hidden = false;
    $('done').replaceChildren('Your password is changed. ',
      el('a', { href: `/login/${portal}.html?${new URLSearchParams({ email: view.email })}` }, 'Sign in'),
      ' with it.');
  });
}

async function main() {
  signInLink();
  if (token) {
    await chooseNew();
  } else {
    requestLink();
  }
  document.body.dataset.ready = 'true';
}

main();
