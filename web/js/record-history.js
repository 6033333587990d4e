// The history side panel of one asset or software record: who changed what
// and when, each field as before → after, ids resolved to names.
import { el, formatTime } from '/js/dom.js';
import { getJson } from '/js/api.js';
import { FIELD_LABEL, LISTS } from '/js/record-columns.js';

export class HistoryPanel {
  constructor({ list, names }) {
    this.list = list;
    this.names = names;
    this.id = null;
    this.opener = null;
    this.title = el('h2', { id: 'history-title' }, 'History');
    this.subtitle = el('p', { className: 'hint history-subtitle' });
    this.body = el('div', { className: 'history-body', id: 'history-body', 'aria-live': 'polite' });
    this.closeButton = el('button', { type: 'button', className: 'report-dismiss', id: 'history-close', 'aria-label': 'Close the history' }, '×');
    this.panel = el('aside', {
      className: 'side-panel', id: 'history-panel', hidden: true, role: 'dialog',
      'aria-labelledby': 'history-title', tabIndex: -1,
    },
    el('header', { className: 'side-panel-head' }, el('div', {}, this.title, this.subtitle), this.closeButton),
    this.body);
    document.body.append(this.panel);
    this.closeButton.addEventListener('click', () => this.close());
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        this.close();
      }
    });
  }

  get openId() { return this.panel.hidden ? null : this.id; }

  async open(id, row) {
    this.id = id;
    this.opener = document.activeElement;
    this.title.textContent = row?.name ?? `${LISTS[this.list].one} #${id}`;
    const detail = row ? LISTS[this.list].details.map((d) => row[d.key]).filter(Boolean).join(' · ') : '';
    this.subtitle.textContent = detail ? `History · ${detail}` : 'History';
    this.panel.hidden = false;
    this.closeButton.focus();
    await this.load();
  }

  // Reloads when the panel shows `id` (after one of its cells was saved).
  refreshIf(id) {
    if (this.openId === id) this.load();
  }

  async load() {
    const id = this.id;
    this.body.replaceChildren(el('p', { className: 'hint' }, 'Loading…'));
    let data;
    try {
      data = await getJson(`/api/${this.list}/${id}/history`);
    } catch (error) {
      if (id === this.id) this.body.replaceChildren(el('p', { className: 'form-error' }, error.message));
      return;
    }
    if (id !== this.id) return;
    if (!data.history.length) {
      this.body.replaceChildren(el('p', { className: 'empty-state history-empty' },
        `No changes yet: this ${LISTS[this.list].one} still has the values it was created with.`));
      return;
    }
    this.body.replaceChildren(el('ol', { className: 'history-list' }, ...data.history.map((entry) => this.entry(entry))));
  }

  entry(entry) {
    const changes = Object.entries(entry.changes ?? {});
    return el('li', { className: 'history-entry' },
      el('div', { className: 'history-meta' },
        el('span', { className: 'history-actor' }, entry.actor || 'someone'),
        entry.bulk ? el('span', { className: 'badge badge-off' }, 'Bulk change') : null,
        el('time', { className: 'history-time', dateTime: new Date(entry.at * 1000).toISOString() }, formatTime(entry.at))),
      el('dl', { className: 'history-changes' }, ...changes.map(([field, [before, after]]) => el('div', { className: 'history-change', data: { field } },
        el('dt', {}, FIELD_LABEL[field] ?? field),
        el('dd', {}, el('span', { className: 'before' }, this.names.label(field, before)),
          el('span', { className: 'arrow', 'aria-label': 'changed to' }, ' → '),
          el('span', { className: 'after' }, this.names.label(field, after)))))));
  }

  close() {
    if (this.panel.hidden) return;
    this.panel.hidden = true;
    this.id = null;
    if (this.opener?.isConnected) this.opener.focus({ preventScroll: true });
  }
}
