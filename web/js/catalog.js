// Groups and locations: one page served at /admin/groups.html and
// /admin/locations.html, the address says which. Add, rename in place, and
// delete; deleting one in use asks where its records (and a group's
// agents) go, and the server moves them with the deletion in one step.
import { getJson, sendJson, sentence } from '/js/api.js';
import { el } from '/js/dom.js';
import { requireSignedIn } from '/js/signed-in.js';

const $ = (id) => document.getElementById(id);
const kind = location.pathname.endsWith('/locations.html') ? 'locations' : 'groups';
const groups = kind === 'groups';
const TEXT = groups
  ? { title: 'Groups', one: 'group', lead: 'Teams of agents. Assets and software are managed by a group; '
    + 'roles that edit “only records of my groups” follow membership.' }
  : { title: 'Locations', one: 'location', lead: 'Where assets and software are. The lists’ filters and '
    + 'dropdowns offer these.' };
let entries = [];

function showKind() {
  document.title = `${TEXT.title} · deskgate`;
  $('catalog-title').textContent = TEXT.title;
  $('catalog-lead').textContent = TEXT.lead;
  $('add-label').textContent = `New ${TEXT.one}`;
  for (const link of document.querySelectorAll('[data-catalog-link]')) {
    if (link.dataset.catalogLink === kind) link.setAttribute('aria-current', 'page');
  }
  for (const node of document.querySelectorAll('[data-groups-only]')) node.hidden = !groups;
}

function fail(id, error) {
  $(id).hidden = false;
  $(id).textContent = sentence(error.message);
}

function row(entry) {
  const name = el('input', { type: 'text', value: entry.name, maxLength: 100, className: 'inline-name',
    'aria-label': `Name of ${entry.name}` });
  const rename = el('button', { type: 'button', className: 'button-secondary' }, 'Rename');
  const remove = el('button', { type: 'button', className: 'ghost danger' }, 'Delete…');
  rename.addEventListener('click', async () => {
    try {
      await sendJson('PATCH', `/api/${kind}/${entry.id}`, { name: name.value });
      await load();
    } catch (error) {
      fail('load-error', error);
    }
  });
  remove.addEventListener('click', () => askDelete(entry));
  const cells = [el('td', {}, name), el('td', { className: 'num' }, String(entry.records))];
  if (groups) cells.push(el('td', { className: 'num' }, String(entry.members)));
  cells.push(el('td', { className: 'row-actions' }, rename, remove));
  return el('tr', { data: { entry: entry.name } }, ...cells);
}

async function askDelete(entry) {
  const used = entry.records > 0 || entry.members > 0;
  const what = [`${entry.records} ${entry.records === 1 ? 'record' : 'records'}`];
  if (groups) what.push(`${entry.members} ${entry.members === 1 ? 'agent' : 'agents'}`);
  $('delete-title').textContent = `Delete ${entry.name}?`;
  $('delete-text').textContent = used
    ? `${what.join(' and ')} use it. Choose where they go; each record’s history says so.`
    : `Nothing uses this ${TEXT.one}.`;
  $('delete-to').closest('label').hidden = !used;
  $('delete-to').replaceChildren(
    ...entries.filter((e) => e.id !== entry.id).map((e) => el('option', { value: e.id }, e.name)),
    el('option', { value: 'none' }, `No ${TEXT.one}`));
  $('delete-error').hidden = true;
  $('delete-form').onsubmit = async (event) => {
    event.preventDefault();
    const query = used ? `?move_to=${encodeURIComponent($('delete-to').value)}` : '';
    try {
      await sendJson('DELETE', `/api/${kind}/${entry.id}${query}`);
    } catch (error) {
      fail('delete-error', error);
      return;
    }
    $('delete-dialog').close();
    await load();
  };
  $('delete-dialog').showModal();
}

async function load() {
  try {
    entries = (await getJson(`/api/${kind}`))[kind];
  } catch (error) {
    if (error.status === 403) error.message = 'Only Administrators manage groups and locations.';
    fail('load-error', error);
    document.body.dataset.ready = 'true';
    return;
  }
  $('load-error').hidden = true;
  $('rows').replaceChildren(...entries.map(row));
  $('empty').hidden = entries.length > 0;
  document.body.dataset.ready = 'true';
}

async function main() {
  showKind();
  const me = await requireSignedIn();
  if (!me) return;
  $('who').textContent = me.email;
  $('add-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('add-error').hidden = true;
    const input = $('add-form').elements.name;
    try {
      await sendJson('POST', `/api/${kind}`, { name: input.value });
      input.value = '';
      await load();
    } catch (error) {
      fail('add-error', error);
    }
  });
  $('delete-cancel').addEventListener('click', () => $('delete-dialog').close());
  await load();
}

main();
