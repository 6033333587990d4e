// Audit log page: filters, paging, and a CSV export of the same filters.
import { getJson } from '/js/api.js';
import { describe } from '/js/audit-words.js';
import { showTopBar } from '/js/signed-in.js';

const PAGE = 50;
const form = document.getElementById('filters');
const rows = document.getElementById('rows');
const summary = document.getElementById('summary');
let offset = 0;

// Query parameters for the current filters; dates are local days.
function query() {
  const params = new URLSearchParams();
  const person = form.elements.person.value.trim();
  if (person) params.set('person', person);
  if (form.elements.event.value) params.set('event', form.elements.event.value);
  const day = (value, plus) => Math.floor(new Date(`${value}T00:00:00`).getTime() / 1000) + plus;
  if (form.elements.from.value) params.set('from', day(form.elements.from.value, 0));
  if (form.elements.to.value) params.set('to', day(form.elements.to.value, 86400));
  return params;
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

async function load() {
  const params = query();
  document.getElementById('export').href = `/api/audit.csv?${params}`;
  params.set('limit', PAGE);
  params.set('offset', offset);
  let data;
  try {
    data = await getJson(`/api/audit?${params}`);
  } catch (error) {
    const box = document.getElementById('load-error');
    box.hidden = false;
    box.textContent = error.status === 403 ? 'Your role does not open the audit log.'
      : error.status === 401 ? 'Sign in as an administrator first.' : error.message;
    document.body.dataset.ready = 'true';
    return;
  }
  rows.replaceChildren(...data.events.map((e) => {
    const tr = document.createElement('tr');
    tr.dataset.event = e.event;
    const [title, detail] = describe(e);
    const what = cell(title, 'audit-what');
    if (detail) what.append(Object.assign(document.createElement('span'), { className: 'cell-note', textContent: detail }));
    what.append(Object.assign(document.createElement('span'), { className: 'cell-note mono audit-event', textContent: e.event }));
    tr.append(cell(new Date(e.at * 1000).toLocaleString()), what,
      cell(e.actor || '—'), cell(e.target || '—'), cell(e.ip || '—', 'mono'));
    return tr;
  }));
  const last = Math.min(offset + data.events.length, data.total);
  summary.textContent = data.total ? `${offset + 1}–${last} of ${data.total}` : 'No matching events.';
  document.getElementById('prev').disabled = offset === 0;
  document.getElementById('next').disabled = last >= data.total;
  document.body.dataset.ready = 'true';
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  offset = 0;
  load();
});
document.getElementById('prev').addEventListener('click', () => { offset = Math.max(0, offset - PAGE); load(); });
document.getElementById('next').addEventListener('click', () => { offset += PAGE; load(); });
load();
showTopBar();
