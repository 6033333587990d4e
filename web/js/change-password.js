// Change-password page: the live checklist uses the portal's policy from
// the session's point of view (the server checks reuse when saving).
import { postJson, sentence } from '/js/api.js';
import { renderChecklist } from '/js/checklist.js';
import { loadSignIn } from '/js/signin-module.js';
import { requireSignedIn } from '/js/signed-in.js';

const form = document.getElementById('password-form');
const checklist = document.getElementById('checklist');
const formError = document.getElementById('form-error');

function fieldError(name, message) {
  const slot = document.getElementById(`${name}-error`);
  slot.hidden = !message;
  slot.textContent = sentence(message ?? '');
  form.elements[name].setAttribute('aria-invalid', message ? 'true' : 'false');
}

async function main() {
  const me = await requireSignedIn({ allowPasswordChange: true });
  if (!me) return;
  if (me.must_change_password) {
    document.getElementById('reason').textContent =
      'Your password must be changed before you continue. Your other sessions will be signed out.';
  }
  const dg = await loadSignIn();
  const policy = me.password_policy;
  const rules = dg.passwordRules(policy);
  const check = () => dg.checkPassword(policy, form.elements.new_password.value,
    { email: me.email, name: me.name });
  form.addEventListener('input', () => {
    const result = check();
    renderChecklist(checklist, rules, result);
    if (result.ok) fieldError('new_password', null);
  });
  renderChecklist(checklist, rules, check());

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.hidden = true;
    fieldError('current_password', null);
    const result = check();
    if (!result.ok) {
      fieldError('new_password', result.violations[0].message);
      return;
    }
    try {
      await postJson('/api/password', {
        current_password: form.elements.current_password.value,
        new_password: form.elements.new_password.value,
      });
      form.hidden = true;
      document.getElementById('done').hidden = false;
    } catch (error) {
      const [field, ...rest] = error.message.split(': ');
      if (field === 'current_password' || field === 'new_password') {
        fieldError(field, rest.join(': '));
      } else {
        formError.hidden = false;
        formError.textContent = error.message;
      }
    }
  });
  document.body.dataset.ready = 'true';
}

main();
