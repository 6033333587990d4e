// Bulk actions of the asset and software lists: the dialog that picks the
// change (every field starts at "Leave unchanged", and "— None —" empties a
// field, which is a different thing), and the report of what a bulk action
// or an undo did, row by row.
import { el } from '/js/dom.js';
import { sentence } from '/js/api.js';
import { EDITABLE, FIELD_LABEL, countOf, formatCount } from '/js/record-columns.js';

export const ACTIONS = [
  { field: 'managed_by_group_id', label: 'Assign group' },
  { field: 'managed_by_agent_id', label: 'Assign agent' },
  { field: 'location_id', label: 'Update location' },
  { field: 'impact', label: 'Set impact' },
];

const UNCHANGED = '';

// "Managed by group → Infrastructure; Impact → High".
export function describeChange(change, names) {
  return Object.entries(change)
    .map(([field, value]) => `${FIELD_LABEL[field]} → ${names.label(field, value)}`)
    .join('; ');
}

// Resolves {change, summary, onlyShown} or null (cancelled). `target` says
// which rows: "the 3 selected assets" or "all 12,345 matching assets".
// With `hidden` selected rows the filters hide, the person chooses whether
// they are changed too (onlyShown: deselect them first).
export function bulkDialog({ M, names, vocabulary, field, target, applyLabel, hidden = 0, selected = 0, list }) {
  const action = ACTIONS.find((a) => a.field === field) ?? ACTIONS[0];
  const selects = {};
  const rows = EDITABLE.map((key) => {
    const select = el('select', { name: key, id: `bulk-${key}` },
      el('option', { value: UNCHANGED }, 'Leave unchanged'),
      ...names.options(key).map((o) => el('option', { value: JSON.stringify(o.value) }, o.label)));
    selects[key] = select;
    return el('label', { className: `field bulk-field${key === field ? ' is-focus' : ''}` },
      el('span', { className: 'field-label' }, FIELD_LABEL[key]), select);
  });
  const problem = el('p', { className: 'field-error', id: 'bulk-error', role: 'alert' });
  const apply = el('button', { type: 'submit', className: 'primary compact', id: 'bulk-apply', disabled: true }, applyLabel);
  const shownCount = selected - hidden;
  const scope = hidden > 0 ? hiddenChoice(hidden, shownCount, list) : null;
  const onlyShown = () => Boolean(scope?.querySelector('input[value="shown"]')?.checked);
  scope?.addEventListener('change', () => {
    apply.textContent = onlyShown() ? `Apply to ${countOf(list, shownCount)}` : applyLabel;
  });
  const cancel = el('button', { type: 'button', className: 'ghost' }, 'Cancel');
  const form = el('form', { method: 'dialog' },
    el('h2', { id: 'bulk-title' }, action.label),
    el('p', { className: 'hint bulk-target' }, `Changes ${target}. Fields left at “Leave unchanged” keep their values; “— None —” empties a field.`),
    ...(scope ? [scope] : []),
    el('div', { className: 'bulk-fields' }, ...rows),
    problem,
    el('div', { className: 'dialog-actions' }, cancel, apply));
  const dialog = el('dialog', { className: 'confirm-dialog bulk-dialog', id: 'bulk-dialog', 'aria-labelledby': 'bulk-title' }, form);
  document.body.append(dialog);

  // The change as the bulk API takes it; checked by the WASM module, as the server will.
  const current = () => {
    const change = {};
    for (const key of EDITABLE) {
      if (selects[key].value !== UNCHANGED) change[key] = JSON.parse(selects[key].value);
    }
    return change;
  };
  const check = () => {
    const change = current();
    if (Object.keys(change).length === 0) {
      problem.textContent = '';
      apply.disabled = true;
      return null;
    }
    const verdict = M.validateRecordChange(change, vocabulary);
    problem.textContent = verdict.ok ? '' : sentence(verdict.error);
    apply.disabled = !verdict.ok;
    return verdict.ok ? verdict.change : null;
  };
  form.addEventListener('change', check);

  return new Promise((resolve) => {
    const finish = (result) => {
      if (dialog.open) dialog.close();
      dialog.remove();
      resolve(result);
    };
    cancel.addEventListener('click', () => finish(null));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(null);
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const change = check();
      if (change) finish({ change, summary: describeChange(change, names), onlyShown: onlyShown() });
    });
    dialog.showModal();
    selects[action.field].focus();
  });
}

// The choice for selected rows the filters hide: change them too, or only
// the rows shown (not offered when every selected row is hidden).
function hiddenChoice(hidden, shown, list) {
  const option = (value, text, checked) => el('label', { className: 'choice' },
    el('input', { type: 'radio', name: 'bulk-scope', value, checked }), ' ', text);
  const them = hidden === 1 ? 'it' : 'them';
  return el('fieldset', { className: 'bulk-scope', id: 'bulk-scope' },
    el('legend', {}, `${formatCount(hidden)} of the selected ${hidden === 1 ? 'row is' : 'rows are'} not shown: the filters hide ${them}.`),
    option('all', `Change all ${formatCount(hidden + shown)} selected, including the ${formatCount(hidden)} not shown`, true),
    ...(shown > 0 ? [option('shown', `Change only the ${countOf(list, shown)} shown (deselect the others)`, false)] : []));
}

const WHY = {
  not_found: 'no longer exists',
  forbidden: 'your role may not edit it',
  conflict: 'changed by someone else meanwhile',
};

// Fills `box` with the report of a bulk action ({updated, unchanged,
// not_found, forbidden, conflict, not_undoable, problems}) or of a failed one.
export function showReport(box, { list, title, report, error, nameOf, onDismiss, outcomes, verb = 'updated' }) {
  const dismiss = el('button', { type: 'button', className: 'report-dismiss', id: 'report-dismiss', 'aria-label': 'Dismiss the report' }, '×');
  dismiss.addEventListener('click', () => {
    box.hidden = true;
    box.replaceChildren();
    onDismiss?.();
  });
  const parts = [el('div', { className: 'report-head' }, el('strong', {}, title), dismiss)];
  if (error) {
    box.className = 'bulk-report report-error';
    parts.push(el('p', {}, `Nothing changed: ${sentence(error)}`));
  } else {
    const problems = report.problems ?? [];
    box.className = `bulk-report ${problems.length ? 'report-warn' : 'report-ok'}`;
    const chip = (key, text, n) => el('li', { className: `report-count count-${key}`, data: { count: n } },
      el('strong', {}, formatCount(n)), ` ${text}`);
    parts.push(el('ul', { className: 'report-counts' },
      chip('updated', verb, report.updated ?? 0),
      chip('unchanged', report.retire ? `already ${verb}` : 'already had these values', report.unchanged ?? 0),
      chip('not_found', 'not found', report.not_found ?? 0),
      chip('forbidden', 'not allowed', report.forbidden ?? 0),
      ...(report.conflict ? [chip('conflict', 'changed meanwhile', report.conflict)] : [])));
    // A summarised reply lists only its first problems; problems_total counts them all.
    const total = Math.max(report.problems_total ?? 0, problems.length);
    if (problems.length) {
      const shown = problems.slice(0, 8);
      parts.push(el('p', { className: 'report-sub' }, `Not changed (${formatCount(total)}):`),
        el('ul', { className: 'report-problems' }, ...shown.map((p) => el('li', { data: { id: p.id, outcome: p.outcome } },
          el('span', { className: 'problem-name' }, nameOf(p.id)), ` — ${WHY[p.outcome] ?? p.outcome}`))));
      if (total > shown.length) parts.push(el('p', { className: 'hint' }, `…and ${formatCount(total - shown.length)} more.`));
    }
    if (report.summarised) {
      const link = outcomes
        ? [el('a', { href: outcomes, id: 'bulk-outcomes', download: '' }, 'Download every row\'s outcome (CSV)'), '. ']
        : [];
      parts.push(el('p', { className: 'hint' }, ...link, report.retire ? ''
        : `Undo is not offered for a change of this many ${list === 'software' ? 'software records' : 'assets'}.`));
    } else if (report.not_undoable) {
      parts.push(el('p', { className: 'hint' },
        `${countOf(list, report.not_undoable)} changed on the server had not been loaded in this page, so Undo cannot put them back.`));
    }
  }
  box.replaceChildren(...parts);
  box.hidden = false;
}
