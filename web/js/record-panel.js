// The record panel of the asset and software lists: every field of one
// record, to read or change, or a new record to add. Each field is checked
// as it is typed by the WebAssembly module with the server's own rules
// (validateRecordEdit); Save sends POST or PATCH (If-Match), Retire sends
// DELETE (after a confirmation), Restore brings a retired record back.
import { el, formatTime } from '/js/dom.js';
import { sentence } from '/js/api.js';
import { confirmDialog } from '/js/confirm-dialog.js';
import { EDITABLE, FIELD_LABEL, LISTS } from '/js/record-columns.js';

// The panel's fields by list: [key, label, kind]. Text fields send trimmed
// text; "status" and "licence" have their own controls.
const FIELDS = {
  assets: [
    ['name', 'Name', 'text'], ['asset_tag', 'Asset tag', 'text'], ['type', 'Type', 'text'],
    ['serial_number', 'Serial number', 'text'], ['status', 'Status', 'status'],
  ],
  software: [
    ['name', 'Name', 'text'], ['publisher', 'Publisher', 'text'],
    ['version_string', 'Version', 'text'], ['licence_count', 'Licences', 'licence'],
  ],
};
const REQUIRED = { assets: ['name', 'asset_tag'], software: ['name'] };
const STATUS_LABEL = { in_use: 'In use', in_stock: 'In stock' };

export class RecordPanel {
  // actions: {saved(row, created), retired(row), restored(row), openHistory(id)}
  constructor({ list, names, M, canEdit, actions }) {
    this.list = list;
    this.kind = list === 'assets' ? 'asset' : 'software';
    this.names = names;
    this.M = M;
    this.canEdit = canEdit;
    this.actions = actions;
    this.row = null;
    this.opener = null;
    this.title = el('h2', { id: 'record-title' });
    this.subtitle = el('p', { className: 'hint history-subtitle', id: 'record-subtitle' });
    this.closeButton = el('button', { type: 'button', className: 'report-dismiss', id: 'record-close', 'aria-label': 'Close' }, '×');
    this.inputs = {};
    this.errors = {};
    const rows = [...FIELDS[list].map(([key, label, type]) => this.field(key, label, type)),
      ...EDITABLE.map((key) => this.field(key, FIELD_LABEL[key], 'ref')),
      this.field('notes', 'Notes', 'notes')];
    this.problem = el('p', { className: 'form-error', id: 'record-error', role: 'alert', hidden: true });
    this.save = el('button', { type: 'submit', className: 'primary compact', id: 'record-save' }, 'Save');
    this.retire = el('button', { type: 'button', className: 'ghost danger', id: 'record-retire' }, 'Retire');
    this.restore = el('button', { type: 'button', className: 'ghost', id: 'record-restore' }, 'Restore');
    this.history = el('button', { type: 'button', className: 'link-button', id: 'record-history' }, 'History');
    this.note = el('p', { className: 'notice notice-warn', id: 'record-note', hidden: true });
    this.form = el('form', { className: 'record-form', id: 'record-form', novalidate: true },
      this.note, el('div', { className: 'record-fields' }, ...rows), this.problem,
      el('div', { className: 'record-actions' }, this.save, this.retire, this.restore, this.history));
    this.panel = el('aside', {
      className: 'side-panel record-panel', id: 'record-panel', hidden: true, role: 'dialog',
      'aria-labelledby': 'record-title', tabIndex: -1,
    },
    el('header', { className: 'side-panel-head' }, el('div', {}, this.title, this.subtitle), this.closeButton),
    el('div', { className: 'record-body' }, this.form));
    document.body.append(this.panel);
    this.closeButton.addEventListener('click', () => this.close());
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        this.close();
      }
    });
    this.form.addEventListener('input', () => this.check(false));
    this.form.addEventListener('change', () => this.check(false));
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.retire.addEventListener('click', () => this.setRetired(true));
    this.restore.addEventListener('click', () => this.setRetired(false));
    this.history.addEventListener('click', () => this.actions.openHistory(this.row.id));
  }

  field(key, label, type) {
    let input;
    if (type === 'status') {
      input = el('select', { name: key }, ...Object.entries(STATUS_LABEL).map(([v, l]) => el('option', { value: v }, l)));
    } else if (type === 'ref') {
      input = el('select', { name: key },
        ...this.names.options(key).map((o) => el('option', { value: JSON.stringify(o.value) }, o.label)));
    } else if (type === 'notes') {
      input = el('textarea', { name: key, rows: 4 });
    } else {
      input = el('input', {
        type: type === 'licence' ? 'number' : 'text', name: key, autocomplete: 'off', spellcheck: false,
        min: type === 'licence' ? 0 : undefined, inputMode: type === 'licence' ? 'numeric' : undefined,
      });
    }
    input.id = `record-${key}`;
    this.inputs[key] = { input, type };
    this.errors[key] = el('span', { className: 'field-error', id: `record-${key}-error` });
    const required = REQUIRED[this.list].includes(key);
    return el('label', { className: `field${type === 'notes' ? ' field-wide' : ''}` },
      el('span', { className: 'field-label' }, label, required ? el('span', { className: 'required', 'aria-hidden': 'true' }, ' *') : null),
      input, this.errors[key]);
  }

  // The record as the form holds it, in the API's shape.
  values() {
    const out = {};
    for (const [key, { input, type }] of Object.entries(this.inputs)) {
      if (type === 'ref') out[key] = JSON.parse(input.value);
      else if (type === 'licence') out[key] = input.value.trim() === '' ? null : Number(input.value);
      else out[key] = input.value;
    }
    return out;
  }

  // For an edit: only what differs from the loaded row (a PATCH names what it changes).
  changes() {
    const now = this.values();
    if (!this.row) return now;
    const shown = this.formValues(this.row);
    return Object.fromEntries(Object.entries(now).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(shown[key])));
  }

  formValues(row) {
    const out = {};
    for (const [key, { type }] of Object.entries(this.inputs)) {
      if (type === 'status') out[key] = row.status === 'in_stock' ? 'in_stock' : 'in_use';
      else if (type === 'ref') out[key] = row[key] ?? null;
      else if (type === 'licence') out[key] = row[key] ?? null;
      else out[key] = row[key] ?? '';
    }
    return out;
  }

  // Checks the form with the server's rules; shows the first problem under
  // its field (all at submit). Returns the body to send, or null.
  check(submitting) {
    for (const span of Object.values(this.errors)) span.textContent = '';
    for (const { input } of Object.values(this.inputs)) input.removeAttribute('aria-invalid');
    this.problem.hidden = true;
    const body = this.changes();
    if (this.row && Object.keys(body).length === 0) {
      this.save.disabled = true;
      return null;
    }
    this.save.disabled = !this.editable;
    const verdict = this.M.validateRecordEdit(this.kind, body, this.names.vocabulary(), { creating: !this.row });
    if (verdict.ok) return body;
    const [field] = verdict.error.split(':');
    // A required field still empty is only reported on Save, not while typing elsewhere.
    const quiet = !submitting && /: required$/.test(verdict.error) && document.activeElement !== this.inputs[field]?.input;
    if (this.errors[field] && !quiet) {
      this.errors[field].textContent = sentence(verdict.error.slice(field.length + 1).trim());
      this.inputs[field].input.setAttribute('aria-invalid', 'true');
    } else if (!this.errors[field]) {
      this.problem.textContent = sentence(verdict.error);
      this.problem.hidden = false;
    }
    return null;
  }

  get editable() {
    return this.canEdit() && !(this.row?.retired_at);
  }

  show(row) {
    this.row = row;
    const meta = LISTS[this.list];
    this.title.textContent = row ? row.name : `New ${meta.one}`;
    this.subtitle.textContent = row
      ? `${row.retired_at ? `Retired ${formatTime(row.retired_at)} · ` : ''}Last changed ${formatTime(row.updated_at)}`
      : 'Fields marked * are required.';
    const values = this.formValues(row ?? { impact: 'low' });
    for (const [key, { input, type }] of Object.entries(this.inputs)) {
      input.value = type === 'ref' ? JSON.stringify(values[key]) : (values[key] ?? '');
      input.disabled = !this.editable;
    }
    this.save.textContent = row ? 'Save changes' : `Add ${meta.one}`;
    this.save.hidden = !this.editable;
    this.retire.hidden = !row || !!row.retired_at || !this.canEdit();
    this.restore.hidden = !row || !row.retired_at || !this.canEdit();
    this.history.hidden = !row;
    this.note.hidden = true;
    if (row?.retired_at) {
      this.note.textContent = `This ${meta.one} is retired: it is left out of the list and keeps everything it held. Restore it to change it.`;
      this.note.hidden = false;
    } else if (!this.canEdit()) {
      this.note.textContent = `Your role lets you view ${meta.many} but not change them.`;
      this.note.hidden = false;
    }
    this.check(false);
  }

  async open(id) {
    this.opener = document.activeElement;
    this.panel.hidden = false;
    this.title.textContent = 'Loading…';
    let row;
    try {
      const response = await fetch(`/api/${this.list}/${id}`, { credentials: 'same-origin' });
      row = await response.json();
      if (!response.ok) throw new Error(row.error ?? `The server answered ${response.status}.`);
    } catch (error) {
      this.title.textContent = sentence(error.message);
      return;
    }
    this.show(row);
    this.inputs.name.input.focus();
  }

  openNew() {
    this.opener = document.activeElement;
    this.panel.hidden = false;
    this.show(null);
    this.inputs.name.input.focus();
  }

  async submit() {
    const body = this.check(true);
    if (!body) return;
    this.save.disabled = true;
    const creating = !this.row;
    const response = await fetch(creating ? `/api/${this.list}` : `/api/${this.list}/${this.row.id}`, {
      method: creating ? 'POST' : 'PATCH',
      headers: { 'Content-Type': 'application/json', ...(creating ? {} : { 'If-Match': `"${this.row.version}"` }) },
      body: JSON.stringify(body), credentials: 'same-origin',
    }).catch(() => null);
    this.save.disabled = false;
    const data = response ? await response.json().catch(() => ({})) : {};
    if (!response || !response.ok) {
      this.showProblem(response, data);
      return;
    }
    this.show(data);
    this.actions.saved(data, creating);
  }

  showProblem(response, data) {
    if (response?.status === 412 && data.current) {
      this.problem.textContent = 'Someone else changed this record since you opened it. Their values are shown now; make your change again.';
      this.problem.hidden = false;
      this.open(this.row.id);
      return;
    }
    const message = data.error ?? (response ? `The server answered ${response.status}.` : 'The server could not be reached.');
    const [field] = message.split(':');
    if (this.errors[field]) {
      this.errors[field].textContent = sentence(message.slice(field.length + 1).trim());
      this.inputs[field].input.setAttribute('aria-invalid', 'true');
      this.inputs[field].input.focus();
    } else {
      this.problem.textContent = `Not saved: ${sentence(message)}`;
      this.problem.hidden = false;
    }
  }

  async setRetired(retired) {
    const meta = LISTS[this.list];
    if (retired) {
      const ok = await confirmDialog({
        title: `Retire ${this.row.name}?`,
        message: [`The ${meta.one} leaves the list and keeps everything it holds, with its history. You can restore it from the retired ${meta.many}.`],
        confirmLabel: `Retire ${meta.one}`,
        danger: true,
      });
      if (!ok) return;
    }
    const response = await fetch(`/api/${this.list}/${this.row.id}${retired ? '' : '/restore'}`, {
      method: retired ? 'DELETE' : 'POST', credentials: 'same-origin',
      headers: { 'If-Match': `"${this.row.version}"`, ...(retired ? {} : { 'Content-Type': 'application/json' }) },
      body: retired ? undefined : '{}',
    }).catch(() => null);
    const data = response ? await response.json().catch(() => ({})) : {};
    if (!response || !response.ok) {
      this.showProblem(response, data);
      return;
    }
    this.show(data);
    (retired ? this.actions.retired : this.actions.restored)(data);
  }

  close() {
    if (this.panel.hidden) return;
    this.panel.hidden = true;
    this.row = null;
    if (this.opener?.isConnected) this.opener.focus({ preventScroll: true });
  }
}
