// Unsaved changes: a page with a form asks before the person leaves it by
// any link (top bar, sections, portal switch) and lets the browser ask on
// reload or close. `isDirty` says whether there is anything to lose.
//
//   guardUnsaved(() => formState() !== saved, 'Your changes to the agents' settings are not saved yet.');
import { confirmDialog } from '/js/confirm-dialog.js';

export function guardUnsaved(isDirty, message) {
  document.addEventListener('click', async (event) => {
    const link = event.target.closest?.('a[href]');
    if (!link || event.defaultPrevented || !isDirty()) return;
    // New tabs, downloads and in-page anchors leave nothing behind.
    if (link.target === '_blank' || link.hasAttribute('download') || event.ctrlKey || event.metaKey
      || event.shiftKey || link.getAttribute('href').startsWith('#')) return;
    event.preventDefault();
    const leave = await confirmDialog({
      title: 'Leave without saving?',
      message: [message],
      confirmLabel: 'Leave without saving',
      danger: true,
    });
    if (leave) {
      leaving = true;
      location.assign(link.href);
    }
  }, true);
  let leaving = false;
  window.addEventListener('beforeunload', (event) => {
    if (leaving || !isDirty()) return;
    event.preventDefault();
    event.returnValue = '';
  });
}
