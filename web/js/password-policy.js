// Password requirements page: the policy form and a live checklist, both
// computed by the WebAssembly module on every change.
import { renderChecklist } from '/js/checklist.js';
import { loadSignIn } from '/js/signin-module.js';

const form = document.getElementById('policy-form');
const password = document.getElementById('password');
const nameInput = document.getElementById('ctx-name');
const emailInput = document.getElementById('ctx-email');
const checklist = document.getElementById('checklist');
const verdict = document.getElementById('verdict');
const lengthHint = document.getElementById('length-hint');
const policyError = document.getElementById('policy-error');
const policyJson = document.getElementById('policy-json');
const toggle = document.getElementById('toggle-visibility');

// The form as a policy object. Empty numbers are left out (defaults apply);
// validation is the module's job, so its messages name the field.
function readPolicy() {
  const policy = {};
  for (const input of form.querySelectorAll('input')) {
    if (input.type === 'checkbox') {
      policy[input.name] = input.checked;
    } else if (input.value.trim() !== '') {
      policy[input.name] = Number(input.value);
    }
  }
  return policy;
}

function showAdvice(dg, policy) {
  const notes = new Map();
  for (const { field, note } of dg.policyAdvice(policy)) {
    const key = field.startsWith('require_') ? 'composition' : field;
    notes.set(key, note);
  }
  for (const el of form.querySelectorAll('[data-advice-for]')) {
    const note = notes.get(el.dataset.adviceFor);
    el.hidden = !note;
    el.textContent = note ?? '';
  }
}

function renderVerdict(result, typed) {
  if (!typed) {
    verdict.className = 'verdict';
    verdict.textContent = 'Type a password to check it against the policy.';
    return;
  }
  verdict.className = `verdict ${result.ok ? 'verdict-ok' : 'verdict-bad'}`;
  verdict.textContent = result.ok
    ? 'This password meets the policy.'
    : result.violations[0].message;
}

async function main() {
  const dg = await loadSignIn();

  const update = () => {
    const policy = readPolicy();
    let normalized;
    try {
      normalized = dg.normalizePolicy(policy);
    } catch (error) {
      policyError.hidden = false;
      policyError.textContent = error.message;
      form.querySelector(`[name="${error.message.split(':')[0]}"]`)?.setAttribute('aria-invalid', 'true');
      return;
    }
    policyError.hidden = true;
    form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
    policyJson.textContent = JSON.stringify(normalized, null, 2);
    showAdvice(dg, normalized);

    const result = dg.checkPassword(normalized, password.value, {
      email: emailInput.value,
      name: nameInput.value,
    });
    lengthHint.textContent = `${result.length} character${result.length === 1 ? '' : 's'}`;
    renderChecklist(checklist, dg.passwordRules(normalized), result);
    renderVerdict(result, password.value.length > 0);
  };

  form.addEventListener('input', update);
  form.addEventListener('submit', (event) => event.preventDefault());
  for (const input of [password, nameInput, emailInput]) input.addEventListener('input', update);
  toggle.addEventListener('click', () => {
    const show = password.type === 'password';
    password.type = show ? 'text' : 'password';
    toggle.textContent = show ? 'Hide' : 'Show';
    toggle.setAttribute('aria-pressed', String(show));
  });
  document.body.dataset.ready = 'true';
  update();
}

main().catch((error) => {
  verdict.className = 'verdict verdict-bad';
  verdict.textContent = `The password rules could not be loaded: ${error.message}`;
  throw error;
});
