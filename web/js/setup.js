// First-run setup page: the token comes from the URL fragment (never sent
// to the server in the URL), the password is checked live by the module.
import { postJson, sentence } from '/js/api.js';
import { renderChecklist } from '/js/checklist.js';
import { loadSignIn } from '/js/signin-module.js';

const form = document.getElementById('setup-form');
const checklist = document.getElementById('checklist');
const formError = document.getElementById('form-error');
const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
// The server applies its default policy to the first administrator.
const POLICY = {};

function showFieldError(field, message) {
  const input = form.elements[field];
  const slot = document.getElementById(`${field}-error`);
  input?.setAttribute('aria-invalid', message ? 'true' : 'false');
  if (slot) {
    slot.hidden = !message;
    slot.textContent = sentence(message ?? '');
  }
}

async function main() {
  const dg = await loadSignIn();
  const rules = dg.passwordRules(POLICY);
  const check = () => dg.checkPassword(POLICY, form.elements.password.value, {
    email: form.elements.email.value,
    name: form.elements.name.value,
  });
  const update = () => {
    const result = check();
    renderChecklist(checklist, rules, result);
    if (result.ok) showFieldError('password', null);
  };
  form.addEventListener('input', update);
  update();

  if (!token) {
    formError.hidden = false;
    formError.textContent = 'This page needs the setup link that deskgate printed when it started.';
    document.getElementById('create').disabled = true;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.hidden = true;
    showFieldError('email', null);
    showFieldError('password', null);
    const result = check();
    if (!result.ok) {
      showFieldError('password', result.violations[0].message);
      form.elements.password.focus();
      return;
    }
    const account = { email: form.elements.email.value, password: form.elements.password.value };
    try {
      await postJson('/api/setup', { token, name: form.elements.name.value, ...account });
      history.replaceState(null, '', location.pathname);  // drop the used token
    } catch (error) {
      const [field, ...rest] = error.message.split(': ');
      if (['email', 'password', 'name'].includes(field)) {
        showFieldError(field, rest.join(': '));
      } else {
        formError.hidden = false;
        formError.textContent = error.message;
      }
      return;
    }
    // Signed in at once; where that needs more (it should not, on a new
    // deskgate), the sign-in link below takes over.
    let signedIn = false;
    try {
      signedIn = (await postJson('/api/agent/login', account)).status === 'ok';
    } catch {
      // the sign-in link still works
    }
    form.hidden = true;
    const done = document.getElementById('done');
    if (signedIn) {
      done.replaceChildren('The administrator account is ready and you are signed in. ',
        Object.assign(document.createElement('a'), { href: '/home.html', id: 'continue-home', textContent: 'Continue to Home' }),
        '.');
    }
    done.hidden = false;
    document.getElementById(signedIn ? 'continue-home' : 'done').focus?.();
  });
  document.body.dataset.ready = 'true';
}

main();
