// Importing an inventory into the asset or software list from a CSV file:
// the file is read in the page and sent to POST /api/{list}/import as a dry
// run first — how each header was read, what would be added or updated,
// and every problem by row and column — then for real, all rows or none.
// Every rule (columns, values, names, duplicates) is the server's.
import { el } from '/js/dom.js';
import { sentence } from '/js/api.js';
import { LISTS, countOf, formatCount } from '/js/record-columns.js';

const SHOWN_PROBLEMS = 200;

async function post(list, body) {
  const response = await fetch(`/api/${list}/import`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body), credentials: 'same-origin',
  }).catch(() => null);
  if (!response) return { error: 'the server could not be reached' };
  const data = await response.json().catch(() => ({}));
  if (!response.ok && !Array.isArray(data.problems)) return { error: data.error ?? `the server answered ${response.status}` };
  return { report: data };
}

// Opens the dialog; resolves once it closes (true when something was imported).
export function importDialog({ list }) {
  const meta = LISTS[list];
  const file = el('input', { type: 'file', id: 'import-file', accept: '.csv,text/csv' });
  const create = el('input', { type: 'checkbox', id: 'import-create-locations' });
  const status = el('p', { className: 'hint', id: 'import-status', 'aria-live': 'polite' },
    'Choose a CSV file. Its first row names the columns — the export writes one in this form.');
  const result = el('div', { className: 'import-result', id: 'import-result' });
  const run = el('button', { type: 'button', className: 'primary compact', id: 'import-run', disabled: true }, 'Import');
  const close = el('button', { type: 'button', className: 'ghost', id: 'import-close' }, 'Close');
  const dialog = el('dialog', { className: 'confirm-dialog import-dialog', id: 'record-import-dialog', 'aria-labelledby': 'import-title' },
    el('h2', { id: 'import-title' }, `Import ${meta.many} from CSV`),
    el('p', { className: 'hint' }, list === 'assets'
      ? 'Rows whose asset tag is already in the list update that asset; other rows add one. Locations, groups and agents are named as in the list.'
      : 'Rows whose name and version are already in the list update that record; other rows add one. Locations, groups and agents are named as in the list.'),
    el('label', { className: 'field' }, el('span', { className: 'field-label' }, 'File'), file),
    el('label', { className: 'choice' }, create, ' Add the locations the file names that do not exist yet'),
    status, result,
    el('div', { className: 'dialog-actions' }, close, run));
  document.body.append(dialog);
  let csv = null;
  let imported = false;

  const columnsLine = (report) => el('p', { className: 'import-columns', id: 'import-columns' }, 'Columns: ',
    ...report.columns.flatMap((c, i) => [i ? ', ' : '', el('span', { className: c.column ? 'mapped' : 'ignored' },
      c.column ? `${c.header.trim()} → ${c.column}` : `${c.header.trim()} (ignored)`)]));

  const show = (report) => {
    const problems = report.problems ?? [];
    const counts = report.written
      ? `Imported: ${formatCount(report.created)} added, ${formatCount(report.updated)} updated, ${formatCount(report.unchanged)} unchanged.`
      : `${formatCount(report.rows)} rows: ${formatCount(report.created)} would be added, ${formatCount(report.updated)} updated, ${formatCount(report.unchanged)} unchanged.`;
    const parts = [columnsLine(report), el('p', { className: 'import-counts', id: 'import-counts' }, counts)];
    if (report.locations_created?.length) {
      parts.push(el('p', { className: 'hint' }, `${report.written ? 'New' : 'Would add'} locations: ${report.locations_created.join(', ')}.`));
    }
    if (problems.length) {
      parts.push(el('p', { className: 'form-error' }, `${formatCount(problems.length)} ${problems.length === 1 ? 'problem' : 'problems'} to fix first; nothing is imported until there are none.`),
        el('div', { className: 'import-table-wrap' }, el('table', { className: 'import-table', id: 'import-problems' },
          el('thead', {}, el('tr', {}, el('th', {}, 'Row'), el('th', {}, 'Column'), el('th', {}, 'Problem'))),
          el('tbody', {}, ...problems.slice(0, SHOWN_PROBLEMS).map((p) => el('tr', {},
            el('td', { className: 'num' }, String(p.row)), el('td', {}, p.column), el('td', {}, sentence(p.error))))))));
      if (problems.length > SHOWN_PROBLEMS) parts.push(el('p', { className: 'hint' }, `…and ${formatCount(problems.length - SHOWN_PROBLEMS)} more.`));
    }
    result.replaceChildren(...parts);
    const changes = report.created + report.updated;
    run.disabled = report.written || problems.length > 0 || changes === 0;
    run.textContent = changes ? `Import ${countOf(list, changes)}` : 'Import';
  };

  const check = async () => {
    if (csv === null) return;
    run.disabled = true;
    status.textContent = 'Checking the file…';
    const { report, error } = await post(list, { csv, dry_run: true, create_locations: create.checked });
    status.textContent = error ? sentence(error) : 'Checked. Nothing has been written yet.';
    if (report) show(report);
    else result.replaceChildren();
  };

  file.addEventListener('change', async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    csv = await chosen.text();
    await check();
  });
  create.addEventListener('change', check);
  run.addEventListener('click', async () => {
    run.disabled = true;
    status.textContent = 'Importing…';
    const { report, error } = await post(list, { csv, dry_run: false, create_locations: create.checked });
    if (error) {
      status.textContent = sentence(error);
      return;
    }
    imported ||= report.written;
    status.textContent = report.written ? 'Done.' : 'Nothing was imported.';
    show(report);
  });

  return new Promise((resolve) => {
    const finish = () => {
      if (dialog.open) dialog.close();
      dialog.remove();
      resolve(imported);
    };
    close.addEventListener('click', finish);
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish();
    });
    dialog.showModal();
    file.focus();
  });
}
