// An in-page confirmation (a modal <dialog>): window.confirm would block the
// page, cannot be styled and cannot say what the action does.
//
//   if (await confirmDialog({ title, message, confirmLabel, danger: true })) …
//
// Resolves true on the confirm button, false on Cancel or Escape.
import { el } from '/js/dom.js';

let dialog;

function build() {
  dialog = el('dialog', { className: 'confirm-dialog', id: 'confirm-dialog', 'aria-labelledby': 'confirm-title' },
    el('h2', { id: 'confirm-title' }),
    el('div', { className: 'confirm-message', id: 'confirm-message' }),
    el('div', { className: 'dialog-actions' },
      el('button', { type: 'button', className: 'ghost', data: { action: 'cancel' } }, 'Cancel'),
      el('button', { type: 'button', className: 'primary compact', data: { action: 'confirm' } }, 'Confirm')));
  document.body.append(dialog);
  return dialog;
}

export function confirmDialog({ title, message, confirmLabel = 'Confirm', danger = false }) {
  dialog ??= build();
  dialog.querySelector('#confirm-title').textContent = title;
  const body = dialog.querySelector('#confirm-message');
  body.replaceChildren(...(Array.isArray(message) ? message : [message]).map((line) => el('p', {}, line)));
  const confirm = dialog.querySelector('[data-action="confirm"]');
  const cancel = dialog.querySelector('[data-action="cancel"]');
  confirm.textContent = confirmLabel;
  confirm.classList.toggle('danger', danger);
  return new Promise((resolve) => {
    const finish = (answer) => {
      confirm.removeEventListener('click', onConfirm);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const onConfirm = () => finish(true);
    const onCancel = (event) => { event.preventDefault(); finish(false); };
    confirm.addEventListener('click', onConfirm);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
    dialog.showModal();
    // The safe choice has the focus, so Enter does not confirm by accident.
    cancel.focus();
  });
}
