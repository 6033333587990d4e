// Importing people from a CSV file on the Agents and Contacts pages: the
// file is read in the page and sent to POST /api/people/import, first as a
// dry run whose per-row report is shown, then for real — all rows or
// none. Every rule (columns, addresses, duplicates) is the server's.
import { sendJson, sentence } from '/js/api.js';
import { el } from '/js/dom.js';

const $ = (id) => document.getElementById(id);
const SHOWN_ROWS = 200;

const OUTCOME = {
  invited: ['New: will be invited', 'badge'],
  exists: ['Already here: skipped', 'badge badge-muted'],
  error: ['Problem', 'badge badge-warn'],
};

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function reportRow(row, written) {
  const [label, badgeClass] = OUTCOME[row.outcome];
  const result = row.outcome === 'invited' && written ? 'Invited' : label;
  return el('tr', { className: row.outcome === 'error' ? 'import-problem' : '' },
    el('td', { className: 'num' }, String(row.row)),
    el('td', {}, row.name || '—'),
    el('td', {}, row.email || '—'),
    el('td', {}, el('span', { className: badgeClass }, result),
      row.error ? el('span', { className: 'cell-note' }, sentence(row.error)) : null));
}

// name,email,link for the people whose links were not mailed.
function linksFile(rows) {
  const quote = (text) => `"${String(text).replaceAll('"', '""')}"`;
  const lines = ['name,email,link', ...rows.filter((r) => r.link)
    .map((r) => [r.name, r.email, r.link].map(quote).join(','))];
  return new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv' });
}

export function setUpImport({ portal, noun, onImported }) {
  const dialog = $('import-dialog');
  const fileInput = $('import-file');
  const error = $('import-error');
  const run = $('import-run');
  let csv = null;

  function showError(message) {
    error.hidden = !message;
    error.textContent = message ? sentence(message) : '';
  }

  function showReport(report) {
    const problems = report.rows.filter((r) => r.outcome === 'error');
    const shown = [...problems, ...report.rows.filter((r) => r.outcome !== 'error')].slice(0, SHOWN_ROWS);
    $('import-rows').replaceChildren(...shown.map((r) => reportRow(r, report.written)));
    $('import-more').hidden = report.rows.length <= SHOWN_ROWS;
    $('import-more').textContent = `Showing ${SHOWN_ROWS} of ${report.rows.length} rows, problems first.`;
    const summary = $('import-summary');
    const parts = [];
    if (report.written) {
      parts.push(`Invited ${plural(report.invited, noun.one, noun.many)}.`);
    } else if (report.invited) {
      parts.push(`${plural(report.invited, `new ${noun.one}`, `new ${noun.many}`)} will be invited.`);
    }
    if (report.existing) {
      parts.push(report.written
        ? `${plural(report.existing, 'address was', 'addresses were')} here already and skipped.`
        : `${plural(report.existing, 'address is', 'addresses are')} here already and will be skipped.`);
    }
    if (report.errors) parts.push(`${plural(report.errors, 'row has a problem', 'rows have problems')}: fix the file and choose it again. Nothing has been imported.`);
    if (!report.written && !report.errors && !report.invited) parts.push('Nobody new to invite.');
    summary.textContent = parts.join(' ');
    summary.className = `notice ${report.errors ? 'notice-warn' : report.written ? 'notice-ok' : ''}`;
    $('import-report').hidden = false;
    const links = $('import-links');
    links.hidden = !(report.written && !report.mailed);
    if (!links.hidden) {
      const download = $('import-links-download');
      URL.revokeObjectURL(download.href);
      download.href = URL.createObjectURL(linksFile(report.rows));
      download.download = `${portal}-invitation-links.csv`;
    }
    run.hidden = report.written;
    run.disabled = Boolean(report.errors) || !report.invited;
    run.textContent = report.invited ? `Invite ${plural(report.invited, noun.one, noun.many)}` : 'Import';
  }

  async function send(dryRun) {
    showError('');
    try {
      return await sendJson('POST', '/api/people/import', { portal, csv, dry_run: dryRun });
    } catch (failure) {
      if (failure.body?.rows) return failure.body;  // bad rows: the report says which
      showError(failure.message);
      return null;
    }
  }

  fileInput.addEventListener('change', async () => {
    $('import-report').hidden = true;
    run.disabled = true;
    const file = fileInput.files[0];
    if (!file) return;
    if (file.size > 1024 * 1024) {
      showError('The file is larger than 1 MB: split it into smaller files.');
      return;
    }
    csv = await file.text();
    const report = await send(true);
    if (report) showReport(report);
  });

  $('import-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (csv === null || run.disabled) return;
    run.disabled = true;
    const report = await send(false);
    if (!report) return;
    showReport(report);
    if (report.written) await onImported();
  });

  $('import-open').addEventListener('click', () => {
    $('import-title').textContent = `Import ${noun.many} from CSV`;
    $('import-form').reset();
    csv = null;
    showError('');
    $('import-report').hidden = true;
    $('import-links').hidden = true;
    run.hidden = false;
    run.disabled = true;
    run.textContent = 'Import';
    dialog.showModal();
  });
  $('import-close').addEventListener('click', () => dialog.close());
}
