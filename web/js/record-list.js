// The asset list and the software list: one page served at /assets.html
// and /software.html, the address says which. The list state — rows by id, the loaded
// order, inline edits, the selection, bulk actions and undo — lives in the
// WASM module's AssetGrid (shared/record_grid.h); this module moves data
// between it, the server and the page: it fetches pages of rows as the
// table scrolls, sends the PATCH and bulk requests the grid builds, and
// hands the replies back.
import { loadRecords } from '/js/records-module.js';
import { getJson, sentence } from '/js/api.js';
import { el } from '/js/dom.js';
import { PAGE_SIZE, LISTS, Names, columnsFor, countOf, formatCount, FIELD_LABEL } from '/js/record-columns.js';
import { RecordTable } from '/js/record-table.js';
import { ACTIONS, bulkDialog, showReport } from '/js/record-bulk.js';
import { HistoryPanel } from '/js/record-history.js';
import { RecordPanel } from '/js/record-panel.js';
import { importDialog } from '/js/record-import.js';
import { confirmDialog } from '/js/confirm-dialog.js';
import { requireSignedIn, goToSignIn } from '/js/signed-in.js';

const list = location.pathname.endsWith('/software.html') ? 'software' : 'assets';
const meta = LISTS[list];
const $ = (id) => document.getElementById(id);
showList();

function showList() {
  document.body.dataset.list = list;
  document.title = `${meta.title} · deskgate`;
  $('list-title').textContent = meta.title;
  $('list-lead').textContent = `Change Impact, Location and who manages each ${meta.one} right in the ` +
    'list, or select rows and change them together.';
  for (const link of document.querySelectorAll('[data-list-link]')) {
    if (link.dataset.listLink === list) link.setAttribute('aria-current', 'page');
  }
}

const FILTERS = [
  { key: 'impact', select: 'filter-impact', any: 'Any impact' },
  { key: 'location_id', select: 'filter-location', any: 'Any location' },
  { key: 'managed_by_group_id', select: 'filter-group', any: 'Any group' },
  { key: 'managed_by_agent_id', select: 'filter-agent', any: 'Any agent' },
];
const SORTS = new Set(columnsFor(list).map((c) => c.sort).filter(Boolean));

let M;
let grid;
let names;
let table;
let historyPanel;
let recordPanel;

function openHistory(id) {
  const pos = grid.positionOf(id);
  historyPanel.open(id, pos >= 0 ? grid.rows(pos, 1)[0] : null);
}
let query = { sort: 'name', dir: 'asc' };
let readOnly = false;
let editing = null;  // {id, field}: the one cell with an open editor
let anchorId = null;  // the row the last plain click toggled (shift-click ranges start there)
let pageBanner = null;  // {loaded}: the header checkbox selected the loaded rows
let hiddenKept = false;  // the person chose to keep selected rows the filter hides
let busy = false;  // a bulk action or undo is on its way
let loadedOnce = false;  // the first page ever arrived (the page is ready)
let settled = false;  // a page of the current query arrived: its total is known

// ---- Fetching pages

let epoch = 0;  // grows with every new query or refresh; older replies are dropped
const pages = new Set();  // page numbers loaded in this epoch
const inflight = new Map();  // page number -> AbortController
const failedAt = new Map();  // page number -> when its fetch last failed (retried after a pause)
const RETRY_MS = 5000;
let fetchTimer = 0;

// The list API's query string for the current query.
function listParams(offset, limit) {
  const params = new URLSearchParams({ offset, limit, sort: query.sort, dir: query.dir });
  if (query.q) params.set('q', query.q);
  for (const { key } of FILTERS) {
    if (key in query) params.set(key, query[key] === null ? 'none' : String(query[key]));
  }
  if (query.retired) params.set('retired', 'true');
  return params;
}

async function fetchRows(offset, limit, signal) {
  const response = await fetch(`/api/${list}?${listParams(offset, limit)}`, { credentials: 'same-origin', signal });
  const text = await response.text();
  if (response.status === 401) {
    goToSignIn();
    throw new Error('signed out');
  }
  if (!response.ok) throw new Error(errorOf(text, response.status));
  return text;
}

async function fetchPage(page) {
  if (pages.has(page) || inflight.has(page)) return;
  const mine = epoch;
  const controller = new AbortController();
  inflight.set(page, controller);
  try {
    const text = await fetchRows(page * PAGE_SIZE, PAGE_SIZE, controller.signal);
    if (mine !== epoch) return;
    grid.loadPage(page * PAGE_SIZE, text);
    pages.add(page);
    settled = true;
    $('load-error').hidden = true;
  } catch (error) {
    if (mine !== epoch || error.name === 'AbortError') return;
    failedAt.set(page, Date.now());
    setTimeout(() => table.scheduleRender(), RETRY_MS);  // which asks for the page again
    showLoadError(`The list could not be loaded: ${error.message}`);
  } finally {
    if (inflight.get(page) === controller) inflight.delete(page);
  }
  if (mine !== epoch) return;
  const first = !loadedOnce;
  loadedOnce = true;
  table.render();
  updateChrome();
  if (first) document.body.dataset.ready = 'true';
}

// The table drew rows [first, first + count): fetch the pages they need
// (right away when idle; after a short pause while scrolling fast), and
// drop requests for pages scrolled far away.
function rangeShown(first, count) {
  updateRangeStatus();
  if (!settled) {
    // The query's total is not known yet: its first page is what is missing.
    first = 0;
    count = 1;
  }
  if (count <= 0) return;
  const from = Math.floor(first / PAGE_SIZE);
  const to = Math.floor((first + count - 1) / PAGE_SIZE);
  for (const [page, controller] of inflight) {
    if (page < from - 1 || page > to + 1) {
      controller.abort();
      inflight.delete(page);
    }
  }
  const missing = [];
  for (let page = from; page <= to; page++) {
    const resting = Date.now() - (failedAt.get(page) ?? -Infinity) < RETRY_MS;
    if (!pages.has(page) && !inflight.has(page) && !resting) missing.push(page);
  }
  if (!missing.length) return;
  clearTimeout(fetchTimer);
  fetchTimer = setTimeout(() => missing.forEach(fetchPage), inflight.size ? 90 : 0);
}

// Forgets what was fetched and fetches what is in view again (after a bulk
// action or undo: rows changed on the server that this page never saw).
function refresh() {
  epoch++;
  for (const controller of inflight.values()) controller.abort();
  inflight.clear();
  pages.clear();
  failedAt.clear();
  const first = Math.floor(table.visible.first / PAGE_SIZE);
  fetchPage(first);
  if (table.visible.first + table.visible.count > (first + 1) * PAGE_SIZE) fetchPage(first + 1);
}

// ---- Query: search, filters, sort

function applyQuery(next, { scrollTop = true } = {}) {
  const previous = query;
  let filterChanged;
  try {
    filterChanged = grid.setQuery(next).filter_changed;
  } catch (error) {
    $('search-error').textContent = sentence(error.message);
    return false;
  }
  $('search-error').textContent = '';
  query = next;
  if (previous.sort !== next.sort || previous.dir !== next.dir) table.showSort({ key: next.sort, dir: next.dir });
  epoch++;
  for (const controller of inflight.values()) controller.abort();
  inflight.clear();
  pages.clear();
  failedAt.clear();
  if (scrollTop) table.resetPosition();
  pageBanner = null;
  settled = false;
  writeUrl();
  fetchPage(0);
  if (filterChanged) checkHidden();
  table.render();
  updateChrome();
  return true;
}

// Rows picked one by one stay selected under a new filter: ask the server
// which of them it hides, so the page can say so before a bulk action.
async function checkHidden() {
  hiddenKept = false;
  const body = grid.hiddenCheckRequest();
  if (!body) return;
  const mine = epoch;
  try {
    const response = await fetch(`/api/${list}/selection`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body, credentials: 'same-origin',
    });
    if (!response.ok || mine !== epoch) return;
    grid.setHidden(await response.text());
  } catch {
    return;  // without an answer the count is unknown; the bulk dialog still names every selected row
  }
  updateChrome();
}

function dropHidden() {
  const dropped = grid.dropHidden();
  table.render();
  updateChrome();
  announce(`${formatCount(dropped)} hidden ${dropped === 1 ? 'row' : 'rows'} deselected.`);
}

function keepHidden() {
  hiddenKept = true;
  updateChrome();
}

function filtersOn(q = query) {
  return !!q.q || !!q.retired || FILTERS.some(({ key }) => key in q);
}

function readUrl() {
  const params = new URLSearchParams(location.search);
  const q = { sort: 'name', dir: 'asc' };
  if (SORTS.has(params.get('sort'))) q.sort = params.get('sort');
  if (params.get('dir') === 'desc') q.dir = 'desc';
  if (params.get('q')) q.q = params.get('q');
  if (params.get('retired') === 'true') q.retired = true;
  for (const { key } of FILTERS) {
    const value = params.get(key);
    if (!value) continue;
    if (key === 'impact') {
      q.impact = value;  // the module rejects anything but low, medium or high
    } else if (value === 'none' || /^[1-9][0-9]{0,15}$/.test(value)) {
      q[key] = value === 'none' ? null : Number(value);
    }
  }
  return q;
}

// The export gives the list as filtered and sorted now.
function updateExportLink() {
  const exported = listParams(0, 1);
  exported.delete('offset');
  exported.delete('limit');
  $('export-csv').href = `/api/${list}.csv?${exported}`;
}

function writeUrl() {
  updateExportLink();
  const params = listParams(0, 1);
  params.delete('offset');
  params.delete('limit');
  if (params.get('sort') === 'name') params.delete('sort');
  if (params.get('dir') === 'asc') params.delete('dir');
  const search = params.toString();
  window.history.replaceState(null, '', search ? `?${search}` : location.pathname);
}

function setUpFilters() {
  const form = $('filters');
  $('search').placeholder = meta.searchHint;
  for (const { key, select, any } of FILTERS) {
    const box = $(select);
    box.append(el('option', { value: '' }, any));
    for (const option of names.options(key)) {
      box.append(el('option', { value: JSON.stringify(option.value) }, option.value === null ? 'None' : option.label));
    }
  }
  const showQuery = () => {
    $('search').value = query.q ?? '';
    for (const { key, select } of FILTERS) $(select).value = key in query ? JSON.stringify(query[key]) : '';
    $('filter-retired').value = query.retired ? 'true' : '';
    $('clear-filters').disabled = !filtersOn();
  };
  showQuery();
  form.addEventListener('submit', (event) => event.preventDefault());
  const fromForm = () => {
    const next = { sort: query.sort, dir: query.dir };
    const text = $('search').value.trim();
    if (text) next.q = text;
    for (const { key, select } of FILTERS) {
      if ($(select).value !== '') next[key] = JSON.parse($(select).value);
    }
    if ($('filter-retired').value === 'true') next.retired = true;
    return next;
  };
  let searchTimer = 0;
  $('search').addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      applyQuery(fromForm());
      $('clear-filters').disabled = !filtersOn();
    }, 250);
  });
  for (const select of [...FILTERS.map((f) => f.select), 'filter-retired']) {
    $(select).addEventListener('change', () => {
      applyQuery(fromForm());
      $('clear-filters').disabled = !filtersOn();
    });
  }
  $('clear-filters').addEventListener('click', () => {
    applyQuery({ sort: query.sort, dir: query.dir });
    showQuery();
    $('search').focus();
  });
}

function sortBy(key) {
  const dir = query.sort === key && query.dir === 'asc' ? 'desc' : 'asc';
  applyQuery({ ...query, sort: key, dir });
}

// ---- Inline edits

function announce(text) {
  $('announce').textContent = text;
}

function beginEdit(id, field, { picker } = {}) {
  if (readOnly || busy) return;
  if (editing && (editing.id !== id || editing.field !== field)) {
    if (grid.cellState(editing.id, editing.field) === 'editing') grid.cancelEdit(editing.id, editing.field);
  }
  try {
    grid.beginEdit(id, field);
  } catch (error) {
    announce(sentence(error.message));
    return;
  }
  editing = { id, field };
  table.focusEditor = { id, field, picker };
  table.render();
}

function cancelEdit(id, field) {
  if (grid.cellState(id, field) === 'editing') grid.cancelEdit(id, field);
  editing = null;
  table.render();
}

function commit(id, field, value) {
  let result;
  try {
    result = grid.commitEdit(id, field, value);
  } catch (error) {
    // The module refused the value (unknown id, bad value): say why, keep the old one.
    announce(sentence(error.message));
    if (grid.cellState(id, field) === 'editing') grid.cancelEdit(id, field);
    editing = null;
    table.render();
    return;
  }
  editing = null;
  if (result.request) sendPatch(result.request);
  table.render();
  updateChrome();
}

// An error reply's body ({"error", "code", …}), or {} when it is not JSON.
function errorBody(text) {
  try {
    const body = JSON.parse(text);
    return body && typeof body === 'object' ? body : {};
  } catch {
    return {};
  }
}

// "Your role does not allow…" and friends, from an error reply.
function errorOf(text, status) {
  const body = errorBody(text);
  if (body.error) return sentence(body.error);
  if (status === 401) return 'Your session has ended; sign in again.';
  return status ? `The server answered ${status}.` : 'The server could not be reached.';
}

// Whether a refusal says the person may edit nothing at all (their role),
// rather than this one row (outcome "forbidden": a group-scoped role).
function refusesAllEdits(text, status) {
  const body = errorBody(text);
  return status === 403 && body.code === 'permission_denied' && !body.outcome;
}

// Sends one PATCH the grid built (an inline save or an inline undo) and
// gives the grid the reply; the grid may answer with the row's next save.
async function sendPatch(request) {
  let status = 0;
  let text = '';
  try {
    const response = await fetch(`/api/${list}/${request.id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'If-Match': request.if_match },
      body: JSON.stringify(request.body),
      credentials: 'same-origin',
    });
    status = response.status;
    text = await response.text();
  } catch {
    status = 0;
  }
  let next = null;
  try {
    if (status === 200) {
      next = grid.saveSucceeded(request.id, text);
      fadeSaved(request.id, request.field);
      announce(`Saved ${FIELD_LABEL[request.field]}.`);
      historyPanel.refreshIf(request.id);
    } else if (status === 412) {
      next = grid.saveConflict(request.id, text);
      announce('Someone else changed this row. Their value is shown.');
    } else {
      const message = status === 404 ? `This ${meta.one} no longer exists.` : errorOf(text, status);
      next = grid.saveFailed(request.id, message);
      announce(`Not saved: ${message}`);
      if (refusesAllEdits(text, status)) setReadOnly();
    }
  } catch (error) {
    announce(sentence(error.message));
  }
  table.render();
  updateChrome();
  if (next?.request) sendPatch(next.request);
}

// A saved tick shows, fades (CSS), then the cell goes back to idle.
function fadeSaved(id, field) {
  setTimeout(() => {
    try {
      if (grid.cellState(id, field) === 'saved') {
        grid.dismiss(id, field);
        table.render();
      }
    } catch {
      // the row is gone
    }
  }, 2400);
}

function cellAction(id, field, action, value) {
  try {
    if (action === 'dismiss') {
      grid.dismiss(id, field);
      table.render();
    } else if (action === 'retry') {
      commit(id, field, value);
    }
  } catch (error) {
    announce(sentence(error.message));
  }
}

function setReadOnly() {
  if (readOnly) return;
  readOnly = true;
  table.readOnly = true;
  const box = $('read-only');
  box.textContent = `Your role lets you view ${meta.many} but not change them. An administrator can give your role the asset permission.`;
  box.hidden = false;
  $('new-record').hidden = true;
  $('import-csv').hidden = true;
  table.render();
  updateChrome();
}

// ---- Selection

async function toggleRow(id, shift) {
  pageBanner = null;
  if (!shift || anchorId === null || anchorId === id) {
    grid.toggle(id);
    anchorId = id;
  } else if (grid.shiftClick(id) > 0) {
    // Rows between the anchor and this one are not loaded yet: fetch them, then repeat.
    table.render();
    updateChrome();
    await loadBetween(anchorId, id);
    grid.shiftClick(id);
  }
  table.render();
  updateChrome();
}

// Loads every page between two rows' positions (500 rows a request).
async function loadBetween(a, b) {
  const from = Math.min(grid.positionOf(a), grid.positionOf(b));
  const to = Math.max(grid.positionOf(a), grid.positionOf(b));
  if (from < 0) return;
  const mine = epoch;
  $('range-status').textContent = 'Loading the rows in between…';
  for (let offset = Math.floor(from / PAGE_SIZE) * PAGE_SIZE; offset <= to; offset += 5 * PAGE_SIZE) {
    const page = offset / PAGE_SIZE;
    let need = false;
    for (let p = page; p < page + 5; p++) need ||= !pages.has(p) && p * PAGE_SIZE <= to;
    if (!need) continue;
    let text;
    try {
      text = await fetchRows(offset, 5 * PAGE_SIZE);
    } catch (error) {
      showLoadError(`The list could not be loaded: ${error.message}`);
      return;
    }
    if (mine !== epoch) return;
    grid.loadPage(offset, text);
    for (let p = page; p < page + 5; p++) pages.add(p);
  }
}

function togglePage() {
  if (grid.status().selected > 0) {
    grid.clearSelection();
    pageBanner = null;
  } else {
    const total = grid.total();
    const skipped = grid.setRange(0, total, true);
    pageBanner = { loaded: total - skipped };
  }
  table.render();
  updateChrome();
}

function selectAllMatching() {
  grid.selectAllMatching();
  pageBanner = null;
  table.render();
  updateChrome();
}

function clearSelection() {
  grid.clearSelection();
  pageBanner = null;
  table.render();
  updateChrome();
}

// ---- Bulk actions and undo

function targetText(status) {
  if (status.all_matching) {
    return `all ${countOf(list, status.selected)} ${filtersOn() ? 'matching the filters' : 'in the list'}`;
  }
  return status.selected === 1 ? `the selected ${meta.one}` : `the ${countOf(list, status.selected)} selected`;
}

async function runBulk(field) {
  const status = grid.status();
  if (!status.selected || busy || readOnly) return;
  const picked = await bulkDialog({
    M, names, vocabulary: names.vocabulary(), field,
    target: targetText(status), applyLabel: `Apply to ${countOf(list, status.selected)}`,
    hidden: status.all_matching ? 0 : status.hidden, selected: status.selected, list,
  });
  if (!picked) return;
  if (picked.onlyShown) grid.dropHidden();
  let body;
  try {
    body = grid.beginBulk(picked.change);
  } catch (error) {
    showReport($('bulk-report'), { list, title: 'Bulk change', error: error.message, onDismiss: updateChrome });
    return;
  }
  busy = true;
  table.render();
  updateChrome();
  $('bulk-report').hidden = true;
  const reply = await postBulk(body);
  let report;
  try {
    report = reply.ok ? grid.bulkSucceeded(0, reply.text) : grid.bulkFailed(0);
  } catch (error) {
    reply.ok = false;
    reply.error = error.message;
  }
  busy = false;
  showReport($('bulk-report'), {
    list, title: reply.ok ? `Bulk change: ${picked.summary}` : 'Bulk change failed',
    report, error: reply.ok ? null : reply.error, nameOf, onDismiss: updateChrome,
    outcomes: report?.summarised ? outcomesLink(reply.text) : null,
  });
  if (refusesAllEdits(reply.text, reply.status)) setReadOnly();
  announce(reply.ok ? `${formatCount(report.updated)} updated.` : `Nothing changed: ${reply.error}`);
  // The rows a selection by filter named are not all loaded: read the list again.
  if (status.all_matching && reply.ok) grid.clearSelection();
  refresh();
  table.render();
  updateChrome();
}

async function postBulk(body, action = 'bulk') {
  try {
    const response = await fetch(`/api/${list}/${action}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body, credentials: 'same-origin',
    });
    const text = await response.text();
    return { ok: response.ok, status: response.status, text, error: response.ok ? null : errorOf(text, response.status) };
  } catch {
    return { ok: false, status: 0, text: '', error: 'the server could not be reached' };
  }
}

// Retires the selected records (or, in the Retired list, restores them),
// after a confirmation that names how many.
async function runRetire() {
  const status = grid.status();
  if (!status.selected || busy || readOnly) return;
  const restoring = !!query.retired;
  const count = countOf(list, status.selected);
  const hidden = status.all_matching || !status.hidden ? []
    : [`${formatCount(status.hidden)} of them are not shown by the current filter, and are included.`];
  const confirmed = await confirmDialog({
    title: restoring ? `Restore ${count}?` : `Retire ${count}?`,
    message: [restoring
      ? `They go back to the ${meta.title.toLowerCase()} list with the status they had.`
      : `They leave the ${meta.title.toLowerCase()} list and are kept under Retired with their history; you can restore them at any time.`,
    ...hidden],
    confirmLabel: restoring ? `Restore ${count}` : `Retire ${count}`,
    danger: !restoring,
  });
  if (!confirmed) return;
  let body;
  try {
    body = grid.selectionRequest();
  } catch (error) {
    showReport($('bulk-report'), { list, title: 'Retire', error: error.message, onDismiss: updateChrome });
    return;
  }
  busy = true;
  updateChrome();
  $('bulk-report').hidden = true;
  const reply = await postBulk(body, restoring ? 'bulk/restore' : 'bulk/retire');
  busy = false;
  const report = reply.ok ? retireReport(reply.text) : null;
  const verb = restoring ? 'restored' : 'retired';
  showReport($('bulk-report'), {
    list, title: reply.ok ? `${restoring ? 'Restored' : 'Retired'}: ${count}` : `${restoring ? 'Restore' : 'Retire'} failed`,
    report, error: reply.ok ? null : reply.error, nameOf, onDismiss: updateChrome, verb,
    outcomes: report?.summarised ? outcomesLink(reply.text) : null,
  });
  if (refusesAllEdits(reply.text, reply.status)) setReadOnly();
  announce(reply.ok ? `${formatCount(report.updated)} ${verb}.` : `Nothing changed: ${reply.error}`);
  if (reply.ok) grid.clearSelection();
  refresh();
  table.render();
  updateChrome();
}

// A retire or restore reply as the report shows it: counts and problems.
function retireReport(text) {
  const reply = JSON.parse(text);
  const problems = reply.summary ? reply.failures
    : reply.results.filter((r) => r.outcome === 'not_found' || r.outcome === 'forbidden');
  return {
    updated: reply.updated, unchanged: reply.unchanged, not_found: reply.not_found, forbidden: reply.forbidden,
    problems: problems.map(({ id, outcome }) => ({ id, outcome })),
    problems_total: reply.summary ? reply.failures_total : problems.length,
    summarised: !!reply.summary,
    retire: true,
  };
}

// Where a summarised bulk reply keeps every row's outcome (a same-site path).
function outcomesLink(text) {
  try {
    const link = JSON.parse(text).outcomes;
    return typeof link === 'string' && link.startsWith(`/api/${list}/bulk/outcomes/`) ? link : null;
  } catch {
    return null;
  }
}

function nameOf(id) {
  return table.seenNames.get(id) ?? `${meta.one} #${id}`;
}

async function undo() {
  if (busy || grid.status().undo_depth === 0) return;
  let requests;
  try {
    requests = grid.undo();
  } catch (error) {
    announce(sentence(error.message));
    return;
  }
  busy = true;
  table.render();
  updateChrome();
  const patches = requests.patches.map((request) => sendPatch(request));
  const totals = { updated: 0, unchanged: 0, not_found: 0, forbidden: 0, conflict: 0, not_undoable: 0, problems: [] };
  let failed = null;
  await Promise.all(requests.bulk.map(async (body, part) => {
    // undo() hands bodies back parsed (beginBulk gives text): send them as JSON either way.
    const reply = await postBulk(typeof body === 'string' ? body : JSON.stringify(body));
    try {
      const report = reply.ok ? grid.bulkSucceeded(part, reply.text) : grid.bulkFailed(part);
      for (const key of ['updated', 'unchanged', 'not_found', 'forbidden', 'conflict']) totals[key] += report[key] ?? 0;
      totals.problems.push(...(report.problems ?? []));
    } catch (error) {
      reply.error ??= error.message;
    }
    if (!reply.ok) failed = reply.error;
  }));
  await Promise.all(patches);
  busy = false;
  const skipped = requests.skipped.length;
  if (requests.bulk.length) {
    showReport($('bulk-report'), {
      list, title: failed ? 'Undo failed' : 'Undo of the bulk change', report: totals, error: failed, nameOf, onDismiss: updateChrome,
    });
    refresh();
  }
  announce(skipped
    ? `Undone, except ${countOf(list, skipped)} changed since, which were left alone.`
    : 'Undone.');
  if (skipped) {
    const box = $('bulk-report');
    box.append(el('p', { className: 'hint' }, `${countOf(list, skipped)} changed since and were left alone: ${requests.skipped.slice(0, 8).map(nameOf).join(', ')}.`));
    box.hidden = false;
  }
  table.render();
  updateChrome();
}

// ---- The chrome around the table: counts, banner, bulk bar, empty state

function updateRangeStatus() {
  const total = grid.total();
  const { first, count } = table.visible;
  const text = !settled ? 'Loading…'
    : total === 0 ? '' : `${formatCount(first + 1)}–${formatCount(first + count)} of ${countOf(list, total)}`;
  setText($('range-status'), text);
}

// Writes text only when it differs (a write makes the next read of a size lay the page out again).
function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function buildBulkBar() {
  const bar = $('bulk-bar');
  const count = el('span', { className: 'bulk-count', id: 'selected-count' });
  const buttons = ACTIONS.map((action) => {
    const button = el('button', { type: 'button', className: 'ghost', data: { bulk: action.field } }, action.label);
    button.addEventListener('click', () => runBulk(action.field));
    return button;
  });
  const retire = el('button', { type: 'button', className: 'ghost danger', id: 'bulk-retire', data: { bulk: 'retire' } }, 'Retire…');
  retire.addEventListener('click', runRetire);
  buttons.push(retire);
  const clear = el('button', { type: 'button', className: 'link-button', id: 'clear-selection' }, 'Clear selection');
  clear.addEventListener('click', clearSelection);
  const undoButton = el('button', { type: 'button', className: 'ghost undo-button', id: 'undo' });
  undoButton.addEventListener('click', undo);
  bar.append(el('div', { className: 'bulk-left' }, count, el('div', { className: 'bulk-actions' }, ...buttons), clear),
    undoButton);
  document.addEventListener('keydown', (event) => {
    const z = event.key === 'z' || event.key === 'Z';
    if (z && (event.ctrlKey || event.metaKey) && !event.shiftKey && !event.target.closest('input, select, textarea, dialog')) {
      event.preventDefault();
      undo();
    }
  });
}

function updateChrome() {
  const status = grid.status();
  const total = grid.total();
  const selected = status.selected;
  if (settled) setText($('list-count'), countOf(list, total));
  $('list-count').classList.toggle('is-stale', !settled);
  $('record-card').setAttribute('aria-busy', settled ? 'false' : 'true');

  // Bulk bar.
  const count = $('selected-count');
  count.textContent = selected ? `${formatCount(selected)} selected${status.hidden ? ` (${formatCount(status.hidden)} not shown)` : ''}`
    : readOnly ? `Viewing only: your role may not change ${meta.many}` : 'Select rows to change them together';
  $('bulk-bar').classList.toggle('read-only', readOnly);
  $('bulk-bar').classList.toggle('has-selection', selected > 0);
  // An empty database has nothing to select or undo.
  $('bulk-bar').hidden = settled && total === 0 && !filtersOn() && !selected && !status.undo_depth;
  count.classList.toggle('is-on', selected > 0);
  count.dataset.count = String(selected);
  for (const button of $('bulk-bar').querySelectorAll('[data-bulk]')) button.disabled = !selected || busy || readOnly;
  setText($('bulk-retire'), query.retired ? 'Restore…' : 'Retire…');
  $('bulk-retire').classList.toggle('danger', !query.retired);
  const undoButton = $('undo');
  undoButton.textContent = status.undo_depth ? `Undo (${status.undo_depth})` : 'Undo';
  undoButton.dataset.depth = String(status.undo_depth);
  undoButton.disabled = !status.undo_depth || busy;
  undoButton.title = status.undo_depth
    ? `Undo the last change (${status.undo_depth} step${status.undo_depth === 1 ? '' : 's'} can be undone; Ctrl+Z)`
    : 'Nothing to undo';

  // Header checkbox and the banner above the table.
  const pageChecked = status.all_matching || (pageBanner !== null && selected > 0);
  table.showPageBox({ checked: pageChecked, mixed: selected > 0 && !pageChecked, disabled: total === 0 && selected === 0 });
  const banner = $('selection-banner');
  if (status.all_matching) {
    const excluded = total - selected;
    banner.replaceChildren(el('span', {},
      `All ${countOf(list, selected)} ${filtersOn() ? 'matching the filters' : 'in the list'} are selected.`,
      excluded > 0 ? ` ${formatCount(excluded)} unticked ${excluded === 1 ? 'row is' : 'rows are'} left out.` : ''),
    bannerButton('Clear selection', clearSelection, 'banner-clear'));
    banner.hidden = false;
  } else if (status.hidden > 0 && !hiddenKept) {
    const n = status.hidden;
    banner.replaceChildren(el('span', { id: 'hidden-note' },
      `${n === selected ? (n === 1 ? 'The selected row is' : `All ${formatCount(n)} selected rows are`) : `${formatCount(n)} of the ${formatCount(selected)} selected ${n === 1 ? 'row is' : 'rows are'}`} not shown: the filters hide ${n === 1 ? 'it' : 'them'}. A bulk action would still change ${n === 1 ? 'it' : 'them'}.`),
    bannerButton(n === selected ? 'Deselect them' : 'Keep only the rows shown', dropHidden, 'drop-hidden'),
    bannerButton(n === 1 ? 'Keep it selected' : 'Keep them selected', keepHidden, 'keep-hidden'));
    banner.hidden = false;
  } else if (pageBanner && selected > 0) {
    banner.replaceChildren(el('span', {}, `All ${countOf(list, pageBanner.loaded)} on this page are selected.`),
      bannerButton(`Select all ${countOf(list, total)} matching`, selectAllMatching, 'select-all-matching'),
      bannerButton('Clear selection', clearSelection, 'banner-clear'));
    banner.hidden = false;
  } else {
    banner.hidden = true;
  }
  $('clear-selection').hidden = !selected || !banner.hidden;  // the banner has its own

  // Empty states.
  if (settled && total === 0) {
    table.showEmpty(filtersOn() ? [
      el('p', { className: 'empty-title' }, `No ${meta.many} match these filters.`),
      el('p', { className: 'hint' }, 'Try fewer words, or another impact, location, group or agent.'),
      bannerButton('Clear filters', () => $('clear-filters').click(), 'empty-clear'),
    ] : [
      el('p', { className: 'empty-title' }, `There are no ${meta.many} yet.`),
      el('p', { className: 'hint' }, 'To try deskgate with demo data, stop the server and start it with ',
        el('code', {}, 'tools/run --demo'), ', which fills empty asset and software lists. For a database of your own: ',
        el('code', {}, `deskgate seed --assets 2000 --software 600 --db FILE`), '.'),
    ]);
  } else if (settled || total > 0) {
    table.showEmpty(null);
  }
  updateRangeStatus();
}

function bannerButton(text, onClick, id) {
  const button = el('button', { type: 'button', className: 'link-button', id }, text);
  button.addEventListener('click', onClick);
  return button;
}

function showLoadError(text) {
  const box = $('load-error');
  box.textContent = text;
  box.hidden = false;
}

// ---- Start

async function main() {
  const me = await requireSignedIn();
  if (!me) return;
  $('who').textContent = me.email;
  if (me.portal !== 'agent') {
    showLoadError('Assets and software are for agents.');
    $('filters').hidden = true;
    $('record-card').hidden = true;
    document.body.dataset.ready = 'true';
    return;
  }
  let namesData;
  try {
    [M, namesData] = await Promise.all([loadRecords(), getJson('/api/records/names')]);
  } catch (error) {
    showLoadError(`The list could not be loaded: ${error.message}`);
    document.body.dataset.ready = 'true';
    return;
  }
  names = new Names(namesData);
  grid = new M.AssetGrid();
  grid.setVocabulary(names.vocabulary());
  if (namesData.edit_scope) grid.setEditScope(namesData.edit_scope);
  window.addEventListener('pagehide', () => grid.delete());
  historyPanel = new HistoryPanel({ list, names });
  recordPanel = new RecordPanel({
    list, names, M, canEdit: () => !readOnly,
    actions: {
      saved: (row, created) => {
        announce(created ? `${sentence(meta.one)} ${row.name} added.` : `${row.name} saved.`);
        historyPanel.refreshIf(row.id);
        refresh();
      },
      retired: (row) => {
        announce(`${row.name} retired. It is listed under Retired.`);
        refresh();
      },
      restored: (row) => {
        announce(`${row.name} restored.`);
        refresh();
      },
      openHistory,
    },
  });
  $('new-record').textContent = `New ${meta.one}`;
  $('new-record').addEventListener('click', () => recordPanel.openNew());
  $('import-csv').addEventListener('click', async () => {
    if (await importDialog({ list })) refresh();
  });
  table = new RecordTable({
    root: $('grid'), columns: columnsFor(list), grid, names,
    label: meta.title,
    actions: {
      rangeShown, sortBy, togglePage, toggleRow, beginEdit, cancelEdit, commit, cellAction,
      openHistory,
      openRecord: (id) => recordPanel.open(id),
    },
  });
  buildBulkBar();
  // The role's asset permission, from the server (which checks it again):
  // without one the list is view-only from the start.
  if (!me.permissions.includes('edit_assets') && !me.permissions.includes('edit_group_assets')) {
    setReadOnly();
  }
  let start = readUrl();
  try {
    grid.setQuery(start);
  } catch {
    start = { sort: 'name', dir: 'asc' };
  }
  query = start;
  updateExportLink();
  setUpFilters();
  table.showSort({ key: query.sort, dir: query.dir });
  applyQuery(query);
}

main();
