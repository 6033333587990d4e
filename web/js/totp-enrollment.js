// Authenticator-app enrollment and the recovery codes that follow it; one
// component for the sign-in card (when a portal requires the app) and for
// the Security page (to enroll, or to move to a new phone).
//
//   await startEnrollment(container, { portal, email, onDone(status) })
//
// The QR code is drawn by the WebAssembly module from the server's otpauth
// URI; the secret only becomes the enrolled one when a code from it is
// confirmed, and the recovery codes the server then returns are shown once.
import { postJson } from '/js/api.js';
import { loadSignIn } from '/js/signin-module.js';
import { el } from '/js/dom.js';

export const RECOVERY_FILE_NAME = 'deskgate-recovery-codes.txt';
const QR_TARGET_PX = 256;  // about this wide, at a whole number of pixels per module

function isoDay(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

// The .txt file: a header line naming the account and the day, then one code a line.
export function recoveryCodesText(codes, email, date = new Date()) {
  const header = `deskgate recovery codes for ${email || 'your account'}, ${isoDay(date)}` +
    ' (each code works once)';
  return [header, ...codes].join('\n') + '\n';
}

function downloadText(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = el('a', { href: url, download: name, className: 'visually-hidden' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function copyText(text, status, what) {
  try {
    await navigator.clipboard.writeText(text);
    status.className = 'save-status save-ok';
    status.textContent = `${what} copied.`;
  } catch {
    status.className = 'save-status save-error';
    status.textContent = 'Copying was blocked: select the text and copy it by hand.';
  }
}

// The codes in a grid with "Download .txt" and "Copy". Used after
// enrollment, and on the administrators' page when they hand out codes.
export function recoveryCodesBlock(codes, { email, label = 'Recovery codes' } = {}) {
  const status = el('span', { className: 'save-status', id: 'codes-status', role: 'status' });
  const download = el('button', { type: 'button', className: 'ghost', id: 'download-codes' }, 'Download .txt');
  const copy = el('button', { type: 'button', className: 'ghost', id: 'copy-codes' }, 'Copy');
  download.addEventListener('click', () => {
    downloadText(RECOVERY_FILE_NAME, recoveryCodesText(codes, email));
    status.className = 'save-status save-ok';
    status.textContent = `Saved as ${RECOVERY_FILE_NAME}.`;
  });
  copy.addEventListener('click', () => copyText(codes.join('\n'), status, 'Codes'));
  return el('div', { className: 'recovery-block' },
    el('ol', { className: 'recovery-grid', id: 'recovery-codes', 'aria-label': label },
      codes.map((code) => el('li', { className: 'mono' }, code))),
    el('div', { className: 'button-row' }, download, copy, status));
}

// The once-only view after enrollment: Continue stays off until the person
// says the codes are saved.
export function showRecoveryCodes(container, codes, { email, onContinue, continueLabel = 'Continue' }) {
  const saved = el('input', { type: 'checkbox', id: 'codes-saved' });
  const next = el('button', { type: 'button', className: 'primary', id: 'codes-continue', disabled: true },
    continueLabel);
  saved.addEventListener('change', () => { next.disabled = !saved.checked; });
  next.addEventListener('click', () => {
    next.disabled = true;
    onContinue?.();
  });
  container.replaceChildren(el('div', { className: 'enrollment', id: 'recovery-step' },
    el('h2', {}, 'Save your recovery codes'),
    el('p', { className: 'hint' }, 'Each code signs you in once if you lose your phone. ',
      el('strong', {}, 'This is the only time they are shown:'),
      ' download or copy them and keep them somewhere safe, such as a password manager.'),
    recoveryCodesBlock(codes, { email }),
    el('label', { className: 'check saved-check' }, saved, el('span', {}, 'I have saved these codes')),
    next));
  saved.focus();
}

// Draws the otpauth URI as a QR code at a whole number of pixels per
// module, so every module is equally crisp for a phone camera.
function drawQr(figure, dg, uri) {
  figure.innerHTML = dg.qrSvg(uri, 'M', 'Authenticator setup code');
  const svg = figure.querySelector('svg');
  const box = svg?.viewBox?.baseVal;
  if (box?.width) {
    const scale = Math.max(2, Math.floor(QR_TARGET_PX / box.width));
    svg.style.width = `${box.width * scale}px`;
  }
}

// `currentCode`: a code from the app in use, when moving to a new phone
// (the server asks for it before handing out a new secret).
export async function startEnrollment(container, {
  portal, email, onDone, onCancel, heading = 'Set up your authenticator app', intro, currentCode,
}) {
  container.replaceChildren(el('p', { className: 'hint' }, 'Preparing a setup code…'));
  let setup;
  let dg;
  try {
    const body = currentCode ? { current_code: currentCode } : {};
    [setup, dg] = await Promise.all([postJson(`/api/${portal}/mfa/totp/setup`, body), loadSignIn()]);
  } catch (error) {
    container.replaceChildren(el('p', { className: 'form-error', id: 'totp-error', role: 'alert' },
      error.status === 401 ? 'Your sign-in has expired. Reload the page and sign in again.' : error.message));
    throw error;
  }

  const figure = el('figure', { className: 'qr', id: 'totp-qr' });
  drawQr(figure, dg, setup.otpauth_uri);
  const keyStatus = el('span', { className: 'save-status', role: 'status' });
  const copyKey = el('button', { type: 'button', className: 'ghost', id: 'copy-key' }, 'Copy key');
  copyKey.addEventListener('click', () => copyText(setup.secret, keyStatus, 'Key'));

  const code = el('input', {
    type: 'text', name: 'code', id: 'totp-code', className: 'otp-input', inputmode: 'numeric', autocomplete: 'one-time-code',
    pattern: '[0-9]*', maxLength: 7, spellcheck: false, required: true, 'aria-describedby': 'totp-error',
  });
  const error = el('p', { className: 'form-error', id: 'totp-error', role: 'alert', hidden: true });
  const confirm = el('button', { type: 'submit', className: 'primary', id: 'totp-confirm' }, 'Confirm');
  const form = el('form', { id: 'totp-form', noValidate: true },
    el('label', { className: 'field' }, el('span', { className: 'field-label' }, 'Code from the app'), code),
    error, confirm);
  if (onCancel) {
    const cancel = el('button', { type: 'button', className: 'ghost cancel-enroll', id: 'totp-cancel' }, 'Cancel');
    cancel.addEventListener('click', onCancel);
    form.append(cancel);
  }

  const showError = (message) => {
    error.hidden = false;
    error.textContent = message;
    code.setAttribute('aria-invalid', 'true');
    code.select();
    code.focus();
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    code.removeAttribute('aria-invalid');
    const value = code.value.replace(/\s/g, '');
    if (!dg.isOneTimeCode(value)) return showError('Enter the 6-digit code your app shows.');
    confirm.disabled = true;
    try {
      const result = await postJson(`/api/${portal}/mfa/totp/confirm`, { code: value });
      showRecoveryCodes(container, result.recovery_codes, {
        email, onContinue: () => onDone?.(result.status),
      });
    } catch (failure) {
      showError(failure.status === 401
        ? 'Your sign-in has expired. Reload the page and sign in again.' : failure.message);
    } finally {
      confirm.disabled = false;
    }
  });

  container.replaceChildren(el('div', { className: 'enrollment', id: 'enroll-step' },
    el('h2', {}, heading),
    intro ? el('p', { className: 'hint' }, intro) : null,
    el('ol', { className: 'steps' },
      el('li', {}, 'Open an authenticator app (Microsoft Authenticator, Google Authenticator, Authy…) and add an account.'),
      el('li', {}, 'Scan this QR code. Can\'t scan it? Type the setup key instead.'),
      el('li', {}, 'Enter the 6-digit code the app shows.')),
    el('div', { className: 'enroll-grid' },
      figure,
      el('div', { className: 'manual-key-box' },
        el('span', { className: 'field-label' }, 'Setup key'),
        el('code', { className: 'manual-key', id: 'totp-key' }, setup.grouped_key ?? setup.secret),
        el('span', { className: 'hint' }, 'Time-based · 6 digits · 30 seconds'),
        el('div', { className: 'button-row' }, copyKey, keyStatus))),
    form));
  code.focus();
  return setup;
}
