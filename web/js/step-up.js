// Step-up: dangerous changes (the identity provider, someone else's second
// factor) need the person to have proved who they are in the last five
// minutes, so a stolen session alone cannot make them. When the server
// answers 403 {"code":"reauthentication_required"}, withStepUp asks for the
// password (and a code, as their sign-in does) in a dialog, proves it with
// POST /api/reauthenticate, and runs the change again.
//
//   const saved = await withStepUp(() => sendJson('PUT', url, body));
//
// Resolves to the change's answer. Throws the change's own error, or a
// StepUpCancelled when the person closes the dialog.
import { getJson, postJson, sentence } from '/js/api.js';
import { el } from '/js/dom.js';
import { loadSignIn, looksLikeOneTimeCode } from '/js/signin-module.js';

export class StepUpCancelled extends Error {
  constructor() {
    super('Cancelled: nothing was changed.');
    this.cancelled = true;
  }
}

const METHOD_TEXT = {
  totp: { label: 'Code from your authenticator app', choose: 'Authenticator app' },
  email: { label: 'Code from the email', choose: 'Email me a code' },
};

let dialog;

function build() {
  loadSignIn().catch(() => {});  // the code check
  const form = el('form', { id: 'step-up-form', noValidate: true },
    el('h2', { id: 'step-up-title' }, 'Confirm it’s you'),
    el('p', { className: 'hint step-up-why', id: 'step-up-why' },
      'Changing how people sign in or handling someone’s second factor needs your password again, so '
      + 'that a session left open cannot be used for it. This lasts five minutes.'),
    el('div', { className: 'field' },
      el('label', { className: 'field-label', for: 'step-up-password' }, 'Your password'),
      el('input', { type: 'password', id: 'step-up-password', autocomplete: 'current-password', required: true })),
    el('fieldset', { className: 'field', id: 'step-up-methods', hidden: true },
      el('legend', { className: 'field-label' }, 'Second factor')),
    el('div', { className: 'field', id: 'step-up-code-field', hidden: true },
      el('label', { className: 'field-label', for: 'step-up-code', id: 'step-up-code-label' }, 'Code'),
      el('input', {
        type: 'text', id: 'step-up-code', inputmode: 'numeric', autocomplete: 'one-time-code',
        maxLength: 6, className: 'otp-input', pattern: '[0-9]{6}',
      }),
      el('button', { type: 'button', className: 'ghost', id: 'step-up-send', hidden: true }, 'Email me a code'),
      el('p', { className: 'hint', id: 'step-up-sent', hidden: true, 'aria-live': 'polite' })),
    el('p', { className: 'form-error', id: 'step-up-error', hidden: true, role: 'alert' }),
    el('div', { className: 'dialog-actions' },
      el('button', { type: 'button', className: 'ghost', id: 'step-up-cancel' }, 'Cancel'),
      el('button', { type: 'submit', className: 'primary compact', id: 'step-up-confirm' }, 'Confirm')));
  dialog = el('dialog', { className: 'confirm-dialog step-up-dialog', id: 'step-up-dialog', 'aria-labelledby': 'step-up-title' },
    form);
  document.body.append(dialog);
  return dialog;
}

// The person's answer: true once proved, false when they cancel.
async function ask() {
  const needs = await getJson('/api/reauthenticate');
  dialog ??= build();
  const $ = (id) => dialog.querySelector(`#${id}`);
  const form = $('step-up-form');
  const password = $('step-up-password');
  const code = $('step-up-code');
  const error = $('step-up-error');
  const send = $('step-up-send');
  const sent = $('step-up-sent');
  const methodsBox = $('step-up-methods');
  let method = needs.methods[0] ?? '';

  const showError = (text) => { error.hidden = !text; error.textContent = text ?? ''; };
  const useMethod = (m) => {
    method = m;
    $('step-up-code-field').hidden = !m;
    $('step-up-code-label').textContent = METHOD_TEXT[m]?.label ?? 'Code';
    send.hidden = m !== 'email';
    sent.hidden = true;
    code.value = '';
  };
  password.value = '';
  showError(null);
  if (!needs.password) {
    showError('Your account has no password, so this change cannot be confirmed here. Ask an administrator.');
  }
  methodsBox.replaceChildren(methodsBox.firstElementChild);
  methodsBox.hidden = needs.methods.length < 2;
  for (const m of needs.methods) {
    const radio = el('input', { type: 'radio', name: 'step-up-method', value: m, checked: m === method });
    radio.addEventListener('change', () => useMethod(m));
    methodsBox.append(el('label', { className: 'check' }, radio, ` ${METHOD_TEXT[m]?.choose ?? m}`));
  }
  useMethod(method);

  return new Promise((resolve) => {
    const finish = (answer) => {
      form.removeEventListener('submit', onSubmit);
      $('step-up-cancel').removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      send.removeEventListener('click', onSend);
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const onCancel = (event) => { event.preventDefault(); finish(false); };
    const onSend = async () => {
      send.disabled = true;
      try {
        const { sent_to: to } = await postJson('/api/reauthenticate/email');
        sent.hidden = false;
        sent.textContent = `We sent a code to ${to}. It works for 10 minutes.`;
        code.focus();
      } catch (err) {
        showError(sentence(err.message));
      } finally {
        send.disabled = false;
      }
    };
    const onSubmit = async (event) => {
      event.preventDefault();
      if (!password.value) return showError('Enter your password.');
      const typed = code.value.replace(/\s/g, '');
      if (method && !looksLikeOneTimeCode(typed)) {
        return showError('Enter the 6-digit code.');
      }
      const confirm = $('step-up-confirm');
      confirm.disabled = true;
      showError(null);
      try {
        await postJson('/api/reauthenticate', method
          ? { password: password.value, method, code: typed }
          : { password: password.value });
        password.value = '';
        finish(true);
      } catch (err) {
        // "password: …" / "code: …" → the sentence after the field.
        showError(sentence(err.message.replace(/^(password|code|method): /, '')));
        (err.message.startsWith('code') ? code : password).select();
      } finally {
        confirm.disabled = false;
      }
    };
    form.addEventListener('submit', onSubmit);
    $('step-up-cancel').addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
    send.addEventListener('click', onSend);
    dialog.showModal();
    password.focus();
  });
}

export async function withStepUp(work) {
  try {
    return await work();
  } catch (error) {
    if (error.body?.code !== 'reauthentication_required') throw error;
    if (!(await ask())) throw new StepUpCancelled();
    return work();
  }
}
