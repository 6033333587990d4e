// The asset and software lists in Chromium: inline edits saved and kept
// after a reload, a conflict with someone else's edit, shift-click ranges,
// select all matching → bulk assign → report, undo of inline and bulk
// changes (checked through the API), keyboard editing, refusals for roles
// that may not edit, and a 1,000,000-row list scrolled to the middle and the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openPage, useServerAndBrowser } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { DESKGATE_BIN, ROOT } from '../support/paths.mjs';

const env = await useServerAndBrowser();
const PASSWORD = 'plum orchard lantern 42';
const SHOTS = path.join(ROOT, 'build/screenshots');
let names;  // GET /api/records/names
let admin;  // an API client signed in as the administrator the page uses

function cli(server, args, input) {
  return execFileSync(DESKGATE_BIN, [...args, '--db', server.dbPath], { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

function addAgent(server, email, role, name) {
  const args = ['user', 'add', '--portal', 'agent', '--email', email];
  if (name) args.push('--name', name);
  if (role) args.push('--role', role);
  cli(server, args, `${PASSWORD}\n`);
}

// fetch with its own session: someone else, behind the page's back.
async function apiClient(server, email) {
  const login = await fetch(`${server.url}/api/agent/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  assert.equal(login.status, 200);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  return {
    async call(method, url, body, headers = {}) {
      const response = await fetch(`${server.url}${url}`, {
        method,
        headers: { 'Content-Type': 'application/json', Cookie: cookie, ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
    async get(url) {
      const reply = await this.call('GET', url);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      return reply.body;
    },
  };
}

async function openList(email, { list = 'assets', query = '', width = 1280, height = 900, server = env.server } = {}) {
  const context = await env.browser.newContext({ viewport: { width, height } });
  const { page, problems } = await openPage(context, `${server.url}/login/agent.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForSelector('#sign-out:not([hidden])');
  await page.goto(`${server.url}/${list}.html${query}`);
  await page.waitForSelector('body[data-ready="true"] .grid-row:not(.is-loading)');
  return { page, problems, context };
}

const rowSel = (id) => `.grid-row[data-id="${id}"]`;
const cellSel = (id, field) => `${rowSel(id)} .cell.col-${field}`;

async function idAt(page, position) {
  await page.waitForSelector(`.grid-row[aria-rowindex="${position + 2}"]:not(.is-loading)`);
  return Number(await page.getAttribute(`.grid-row[aria-rowindex="${position + 2}"]`, 'data-id'));
}

// A named id other than `except` (a location, group or agent).
function another(list, ...except) {
  return names[list].find((n) => !except.includes(n.id));
}

// Ignores the console noise of expected refusals (the browser logs failed fetches).
function unexpected(problems) {
  return problems.filter((p) => !/status of (401|403|409|412)/.test(p));
}

// Seeds the shared server and signs the administrator's API client in, once.
let ready;
function setup() {
  ready ??= (async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    cli(env.server, ['seed', '--assets', '300', '--software', '50']);
    addAgent(env.server, 'ada@example.com', 'Administrator', 'Ada Admin');
    addAgent(env.server, 'bob@example.com', 'Administrator', 'Bob Other');
    admin = await apiClient(env.server, 'ada@example.com');
    names = await admin.get('/api/records/names');
  })();
  return ready;
}

test('an inline edit is saved, shows a tick, survives a reload and lands in the history', async () => {
  await setup();
  const { page, problems, context } = await openList('ada@example.com');
  const id = await idAt(page, 0);
  const before = await admin.get(`/api/assets/${id}`);
  const target = another('locations', before.location_id);

  await page.click(cellSel(id, 'location_id'));
  const select = `${cellSel(id, 'location_id')} select.cell-select`;
  await page.waitForSelector(select);
  await page.selectOption(select, JSON.stringify(target.id));
  await page.waitForSelector(`${cellSel(id, 'location_id')}.state-saved .cell-tick`);
  assert.equal(await page.textContent(`${cellSel(id, 'location_id')} .cell-value`), target.name);
  const saved = await admin.get(`/api/assets/${id}`);
  assert.equal(saved.location_id, target.id);
  assert.equal(saved.version, before.version + 1);
  await page.waitForSelector(`${cellSel(id, 'location_id')}.state-idle`, { timeout: 5000 });  // the tick fades

  await page.reload();
  await page.waitForSelector(`body[data-ready="true"] ${rowSel(id)}`);
  assert.equal(await page.textContent(`${cellSel(id, 'location_id')} .cell-value`), target.name);

  // The history panel names the location before and after.
  await page.click(`${rowSel(id)} .row-name`);
  await page.waitForSelector('#history-panel:not([hidden]) .history-entry');
  const change = page.locator('#history-panel .history-change[data-field="location_id"]').first();
  const was = names.locations.find((n) => n.id === before.location_id)?.name ?? 'None';
  assert.equal(await change.locator('.before').textContent(), was);
  assert.equal(await change.locator('.after').textContent(), target.name);
  assert.equal(await page.textContent('#history-panel .history-actor'), 'ada@example.com');
  await page.screenshot({ path: path.join(SHOTS, 'assets-history.png') });
  await page.keyboard.press('Escape');
  await page.waitForSelector('#history-panel', { state: 'hidden' });
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('a conflict shows the value someone else saved, and "retry mine" wins over it', async () => {
  await setup();
  const { page, problems, context } = await openList('ada@example.com');
  const id = await idAt(page, 1);
  const loaded = await admin.get(`/api/assets/${id}`);
  const theirs = another('groups', loaded.managed_by_group_id);
  const mine = another('groups', loaded.managed_by_group_id, theirs.id);

  // Bob changes the group behind the page's back.
  const bob = await apiClient(env.server, 'bob@example.com');
  const patched = await bob.call('PATCH', `/api/assets/${id}`, { managed_by_group_id: theirs.id },
    { 'If-Match': `"${loaded.version}"` });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));

  await page.click(cellSel(id, 'managed_by_group_id'));
  await page.selectOption(`${cellSel(id, 'managed_by_group_id')} select.cell-select`, JSON.stringify(mine.id));
  const panel = `${cellSel(id, 'managed_by_group_id')}.state-conflict .panel-conflict`;
  await page.waitForSelector(panel);
  assert.equal(await page.textContent(`${panel} .theirs`), theirs.name);
  assert.equal(await page.textContent(`${panel} .mine`), mine.name);
  assert.match(await page.textContent(panel), /Changed by someone else: now/);
  assert.equal(await page.textContent(`${cellSel(id, 'managed_by_group_id')} .cell-value`), theirs.name);
  await page.screenshot({ path: path.join(SHOTS, 'assets-conflict.png') });
  assert.equal((await admin.get(`/api/assets/${id}`)).managed_by_group_id, theirs.id);

  await page.click(`${panel} [data-cell-action="retry"]`);
  await page.waitForSelector(`${cellSel(id, 'managed_by_group_id')}.state-saved`);
  assert.equal((await admin.get(`/api/assets/${id}`)).managed_by_group_id, mine.id);
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('shift-click selects a range, including rows not loaded yet', async () => {
  await setup();
  const { page, problems, context } = await openList('ada@example.com');
  const first = await idAt(page, 2);
  const last = await idAt(page, 7);
  await page.click(`${rowSel(first)} .row-check`);
  await page.click(`${rowSel(last)} .row-check`, { modifiers: ['Shift'] });
  await page.waitForSelector('#selected-count[data-count="6"]');
  assert.equal(await page.textContent('#selected-count'), '6 selected');
  assert.equal(await page.locator('.grid-row[aria-selected="true"]').count(), 6);

  // A new anchor at row 10, then a shift-click on the last row: the 200
  // rows between are fetched before the range is set.
  const tenth = await idAt(page, 10);
  await page.click(`${rowSel(tenth)} .row-check`);
  await page.waitForSelector('#selected-count[data-count="7"]');
  await page.$eval('#grid-viewport', (v) => { v.scrollTop = v.scrollHeight; });
  const end = await idAt(page, 299);
  await page.click(`${rowSel(end)} .row-check`, { modifiers: ['Shift'] });
  await page.waitForSelector('#selected-count[data-count="296"]');
  await page.$eval('#grid-viewport', (v) => { v.scrollTop = 150 * 44; });
  await page.waitForSelector('.grid-row[aria-rowindex="152"][aria-selected="true"]');
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('select all matching a filter → assign a group in bulk → report → new group after reload', async () => {
  await setup();
  const location = names.locations[0];
  const all = await admin.get(`/api/assets?location_id=${location.id}&limit=500`);
  assert.ok(all.total >= 5, 'the seed spreads assets over locations');
  const { page, problems, context } = await openList('ada@example.com');
  await page.selectOption('#filter-location', JSON.stringify(location.id));
  await page.waitForSelector(`#list-count:text("${all.total} assets")`);
  await page.waitForSelector(`${rowSel(all.rows[0].id)}`);
  assert.match(page.url(), new RegExp(`location_id=${location.id}`));

  await page.click('#select-page');
  await page.waitForSelector('#selection-banner:not([hidden])');
  assert.match(await page.textContent('#selection-banner'), new RegExp(`All ${all.total} assets on this page are selected`));
  await page.click('#select-all-matching');
  await page.waitForSelector(`#selection-banner:has-text("All ${all.total} assets matching the filters are selected.")`);
  // Leave one row out.
  const kept = all.rows[1];
  await page.click(`${rowSel(kept.id)} .row-check`);
  await page.waitForSelector(`#selected-count[data-count="${all.total - 1}"]`);
  assert.match(await page.textContent('#selection-banner'), /1 unticked row is left out/);

  const group = names.groups.find((g) => g.name === 'Infrastructure') ?? names.groups[0];
  const already = all.rows.filter((r) => r.id !== kept.id && r.managed_by_group_id === group.id).length;
  await page.click('[data-bulk="managed_by_group_id"]');
  await page.waitForSelector('#bulk-dialog[open]');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'bulk-managed_by_group_id');
  assert.equal(await page.inputValue('#bulk-location_id'), '');  // leave unchanged
  await page.selectOption('#bulk-managed_by_group_id', JSON.stringify(group.id));
  await page.screenshot({ path: path.join(SHOTS, 'assets-bulk-dialog.png') });
  await page.click('#bulk-apply');
  await page.waitForSelector('#bulk-report:not([hidden]) .count-updated');
  assert.equal(Number(await page.getAttribute('#bulk-report .count-updated', 'data-count')), all.total - 1 - already);
  assert.equal(Number(await page.getAttribute('#bulk-report .count-unchanged', 'data-count')), already);
  assert.equal(Number(await page.getAttribute('#bulk-report .count-not_found', 'data-count')), 0);
  assert.equal(Number(await page.getAttribute('#bulk-report .count-forbidden', 'data-count')), 0);
  assert.match(await page.textContent('#bulk-report'), new RegExp(`Managed by group → ${group.name}`));
  await page.screenshot({ path: path.join(SHOTS, 'assets-bulk-report.png') });

  await page.reload();
  await page.waitForSelector(`body[data-ready="true"] ${rowSel(all.rows[0].id)}`);
  for (const row of all.rows.slice(0, 8)) {
    const shown = await page.textContent(`${cellSel(row.id, 'managed_by_group_id')} .cell-value`);
    const expected = row.id === kept.id ? (names.groups.find((g) => g.id === kept.managed_by_group_id)?.name ?? 'None') : group.name;
    assert.equal(shown, expected, `row ${row.id}`);
  }
  const after = await admin.get(`/api/assets?location_id=${location.id}&limit=500`);
  for (const row of after.rows) {
    assert.equal(row.managed_by_group_id, row.id === kept.id ? kept.managed_by_group_id : group.id);
  }
  // The dismissed report goes away.
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('selected rows a new filter hides are counted, kept or left out of a bulk action', async () => {
  await setup();
  const { page, problems, context } = await openList('ada@example.com', { query: '?sort=asset_tag' });
  const ids = [await idAt(page, 10), await idAt(page, 11), await idAt(page, 12), await idAt(page, 13)];
  const [shownLocation, elsewhere] = [names.locations[1], names.locations[2]];
  // The last of the four is in the location filtered to below; the others are not.
  for (const [k, id] of ids.entries()) {
    const row = await admin.get(`/api/assets/${id}`);
    const reply = await admin.call('PATCH', `/api/assets/${id}`,
      { location_id: k === 3 ? shownLocation.id : elsewhere.id, impact: 'low' }, { 'If-Match': `"${row.version}"` });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
  }
  await page.reload();
  await page.waitForSelector(`body[data-ready="true"] ${rowSel(ids[0])}`);
  await page.click(`${rowSel(ids[0])} .row-check`);
  await page.click(`${rowSel(ids[3])} .row-check`, { modifiers: ['Shift'] });
  await page.waitForSelector('#selected-count[data-count="4"]');

  await page.selectOption('#filter-location', JSON.stringify(shownLocation.id));
  await page.waitForSelector('#hidden-note');
  assert.equal(await page.textContent('#hidden-note'),
    '3 of the 4 selected rows are not shown: the filters hide them. A bulk action would still change them.');
  assert.equal(await page.textContent('#selected-count'), '4 selected (3 not shown)');
  await page.screenshot({ path: path.join(SHOTS, 'assets-hidden-selection.png') });
  await page.click('#keep-hidden');
  await page.waitForSelector('#selection-banner', { state: 'hidden' });
  assert.equal(await page.textContent('#selected-count'), '4 selected (3 not shown)');

  // The bulk dialog asks again, and "only the shown" changes the one row in view.
  await page.click('[data-bulk="impact"]');
  await page.waitForSelector('#bulk-dialog[open] #bulk-scope');
  assert.match(await page.textContent('#bulk-scope legend'), /^3 of the selected rows are not shown/);
  assert.equal(await page.textContent('#bulk-apply'), 'Apply to 4 assets');
  await page.check('#bulk-scope input[value="shown"]');
  assert.equal(await page.textContent('#bulk-apply'), 'Apply to 1 asset');
  await page.selectOption('#bulk-impact', JSON.stringify('high'));
  await page.screenshot({ path: path.join(SHOTS, 'assets-hidden-bulk-dialog.png') });
  await page.click('#bulk-apply');
  await page.waitForSelector('#bulk-report:not([hidden]) .count-updated[data-count="1"]');
  assert.equal((await admin.get(`/api/assets/${ids[3]}`)).impact, 'high');
  for (const id of ids.slice(0, 3)) assert.equal((await admin.get(`/api/assets/${id}`)).impact, 'low');
  await page.waitForSelector('#selected-count[data-count="1"]');

  // Back to every location: nothing is hidden; pick a row, filter again, drop it from the banner.
  await page.selectOption('#filter-location', '');
  await page.waitForSelector(`${rowSel(ids[0])}`);
  await page.click(`${rowSel(ids[0])} .row-check`);
  await page.waitForSelector('#selected-count[data-count="2"]');
  await page.selectOption('#filter-location', JSON.stringify(shownLocation.id));
  await page.waitForSelector('#hidden-note');
  await page.click('#drop-hidden');
  await page.waitForSelector('#selected-count[data-count="1"]');
  assert.equal(await page.textContent('#selected-count'), '1 selected');
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('a record is added, edited, retired and restored in its panel', async () => {
  await setup();
  const { page, problems, context } = await openList('ada@example.com');
  const before = (await admin.get('/api/assets?limit=1')).total;
  await page.click('#new-record');
  await page.waitForSelector('#record-panel:not([hidden]) #record-name:focus');
  assert.equal(await page.textContent('#record-title'), 'New asset');
  await page.fill('#record-name', '  QA Laptop ');
  await page.click('#record-save');
  // The module checks with the server's rules: nothing is sent without a tag.
  await page.waitForSelector('#record-asset_tag-error:text("Required")');
  await page.fill('#record-asset_tag', 'QA-0001');
  assert.equal(await page.textContent('#record-asset_tag-error'), '');
  await page.fill('#record-type', 'Laptop');
  await page.fill('#record-serial_number', 'SN-QA-1');
  await page.selectOption('#record-status', 'in_stock');
  await page.selectOption('#record-location_id', JSON.stringify(names.locations[0].id));
  await page.fill('#record-notes', 'Spare for the QA team.');
  await page.screenshot({ path: path.join(SHOTS, 'asset-panel-new.png') });
  await page.click('#record-save');
  await page.waitForSelector('#record-title:text("QA Laptop")');
  const found = await admin.get('/api/assets?q=QA-0001');
  assert.equal(found.total, 1);
  const id = found.rows[0].id;
  const created = await admin.get(`/api/assets/${id}`);
  assert.equal(created.serial_number, 'SN-QA-1');
  assert.equal(created.status, 'in_stock');
  assert.equal(created.location_id, names.locations[0].id);
  assert.equal(created.notes, 'Spare for the QA team.');
  await page.waitForSelector(`#list-count:text("${before + 1} assets")`);

  // A second tag the same as another asset's is refused under the field.
  const other = (await admin.get('/api/assets?limit=1')).rows[0];
  await page.fill('#record-asset_tag', other.asset_tag);
  await page.click('#record-save');
  await page.waitForSelector(`#record-asset_tag-error:has-text("${other.asset_tag} is another asset's tag")`);
  await page.fill('#record-asset_tag', 'QA-0001');
  await page.fill('#record-serial_number', 'SN-QA-2');
  await page.click('#record-save');
  await page.waitForSelector('#record-save[disabled]');  // saved: nothing left to save
  assert.equal((await admin.get(`/api/assets/${id}`)).serial_number, 'SN-QA-2');

  // Retire (asked first), then find it under Retired and restore it.
  await page.click('#record-retire');
  await page.waitForSelector('#confirm-dialog[open]');
  assert.match(await page.textContent('#confirm-title'), /Retire QA Laptop\?/);
  await page.click('#confirm-dialog [data-action="confirm"]');
  await page.waitForSelector('#record-restore:not([hidden])');
  assert.equal((await admin.get(`/api/assets/${id}`)).status, 'retired');
  await page.waitForSelector(`#list-count:text("${before} assets")`);
  await page.click('#record-close');
  await page.selectOption('#filter-retired', 'true');
  await page.waitForSelector(`${rowSel(id)} .open-button`);
  assert.match(page.url(), /retired=true/);
  await page.click(`${rowSel(id)} .open-button`);
  await page.waitForSelector('#record-note:has-text("This asset is retired")');
  assert.equal(await page.isDisabled('#record-serial_number'), true);
  await page.screenshot({ path: path.join(SHOTS, 'asset-panel-retired.png') });
  await page.click('#record-restore');
  await page.waitForSelector('#record-retire:not([hidden])');
  assert.equal((await admin.get(`/api/assets/${id}`)).status, 'in_stock');
  assert.deepEqual(unexpected(problems), []);
  await context.close();

  const mobile = await openList('ada@example.com', { width: 390, height: 844 });
  await mobile.page.click('#new-record');
  await mobile.page.waitForSelector('#record-panel:not([hidden])');
  await mobile.page.screenshot({ path: path.join(SHOTS, 'asset-panel-new-mobile.png') });
  await mobile.context.close();
});

test('selected rows are retired after a confirmation, and restored from the Retired list', async () => {
  await setup();
  const { page, problems, context } = await openList('ada@example.com', { query: '?sort=asset_tag' });
  const before = (await admin.get('/api/assets?limit=1')).total;
  const ids = [await idAt(page, 5), await idAt(page, 6), await idAt(page, 7)];
  for (const id of ids) await page.click(`${rowSel(id)} .row-check`);
  await page.waitForSelector('#selected-count[data-count="3"]');
  assert.equal(await page.textContent('#bulk-retire'), 'Retire…');

  // Cancel changes nothing; confirming retires the three.
  await page.click('#bulk-retire');
  await page.waitForSelector('#confirm-dialog[open]');
  assert.equal(await page.textContent('#confirm-title'), 'Retire 3 assets?');
  await page.click('#confirm-dialog [data-action="cancel"]');
  assert.equal((await admin.get('/api/assets?limit=1')).total, before);
  await page.click('#bulk-retire');
  await page.waitForSelector('#confirm-dialog[open]');
  await page.screenshot({ path: path.join(SHOTS, 'assets-bulk-retire-confirm.png') });
  await page.click('#confirm-dialog [data-action="confirm"]');
  await page.waitForSelector('#bulk-report:not([hidden]) .count-updated[data-count="3"]');
  assert.match(await page.textContent('#bulk-report'), /3 retired/);
  await page.waitForSelector(`#list-count:text("${before - 3} assets")`);
  await page.waitForSelector('#selected-count[data-count="0"]');
  for (const id of ids) assert.equal((await admin.get(`/api/assets/${id}`)).status, 'retired');
  await page.screenshot({ path: path.join(SHOTS, 'assets-bulk-retired.png') });

  // In the Retired list the same button restores.
  await page.selectOption('#filter-retired', 'true');
  await page.waitForSelector(`${rowSel(ids[0])}`);
  assert.equal(await page.textContent('#bulk-retire'), 'Restore…');
  await page.click('#select-page');
  await page.waitForSelector('#selected-count:not([data-count="0"])');
  const retired = Number(await page.getAttribute('#selected-count', 'data-count'));
  await page.click('#bulk-retire');
  await page.waitForSelector('#confirm-dialog[open]');
  assert.match(await page.textContent('#confirm-title'), new RegExp(`^Restore ${retired} assets?\\?$`));
  await page.click('#confirm-dialog [data-action="confirm"]');
  await page.waitForSelector(`#bulk-report:not([hidden]) .count-updated[data-count="${retired}"]`);
  assert.match(await page.textContent('#bulk-report'), /restored/);
  for (const id of ids) assert.notEqual((await admin.get(`/api/assets/${id}`)).status, 'retired');
  assert.equal((await admin.get('/api/assets?limit=1&retired=true')).total, 0);
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('an inventory file: checked with problems by row and column, fixed, imported, exported back', async () => {
  await setup();
  const { page, problems, context } = await openList('ada@example.com');
  const total = (await admin.get('/api/assets?limit=1')).total;
  const dir = fs.mkdtempSync(path.join(ROOT, 'build', 'import-'));
  const bad = path.join(dir, 'inventory.csv');
  fs.writeFileSync(bad, `Name;Asset tag;Type;Impact;Location;Colour\r\nKiosk 1;KIOSK-1;Kiosk;urgent;${names.locations[0].name};red\r\nKiosk 2;KIOSK-2;Kiosk;low;Atlantis;blue\r\n`);
  await page.click('#import-csv');
  await page.waitForSelector('#record-import-dialog[open]');
  await page.setInputFiles('#import-file', bad);
  await page.waitForSelector('#import-problems');
  const cells = await page.$$eval('#import-problems tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  assert.deepEqual(cells.map(([row, column]) => [row, column]), [['2', 'impact'], ['3', 'location']]);
  assert.match(await page.textContent('#import-columns'), /Asset tag → asset_tag.*Colour \(ignored\)/);
  assert.equal(await page.isDisabled('#import-run'), true);
  await page.screenshot({ path: path.join(SHOTS, 'assets-import-problems.png') });
  assert.equal((await admin.get('/api/assets?limit=1')).total, total, 'a dry run writes nothing');

  // Fixed: the impact corrected, new locations allowed.
  const good = path.join(dir, 'inventory-fixed.csv');
  fs.writeFileSync(good, fs.readFileSync(bad, 'utf8').replace('urgent', 'high'));
  await page.setInputFiles('#import-file', good);
  await page.waitForSelector('#import-problems');  // Atlantis is still unknown
  await page.check('#import-create-locations');
  await page.waitForSelector('#import-run:not([disabled]):text("Import 2 assets")');
  assert.match(await page.textContent('#import-counts'), /2 would be added/);
  await page.click('#import-run');
  await page.waitForSelector('#import-counts:has-text("Imported: 2 added")');
  await page.screenshot({ path: path.join(SHOTS, 'assets-import-done.png') });
  await page.click('#import-close');
  await page.waitForSelector(`#list-count:text("${total + 2} assets")`);
  assert.equal((await admin.get('/api/assets?q=KIOSK-1')).rows[0].impact, 'high');

  // The export link follows the filters, and its file holds the new rows.
  await page.fill('#search', 'KIOSK');
  await page.waitForSelector('#list-count:text-is("2 assets")');
  const href = await page.getAttribute('#export-csv', 'href');
  assert.match(href, /^\/api\/assets\.csv\?.*q=KIOSK/);
  const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href);
  assert.equal(csv.split('\r\n').filter(Boolean).length, 3);
  assert.match(csv, /"Kiosk 2","KIOSK-2","Kiosk","","in_use","low","Atlantis"/);
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('undo puts back an inline edit and a bulk action (checked through the API)', async () => {
  await setup();
  const { page, problems, context } = await openList('ada@example.com', { query: '?sort=asset_tag' });
  // Inline: impact of the row at position 3.
  const id = await idAt(page, 3);
  const before = await admin.get(`/api/assets/${id}`);
  const impact = before.impact === 'high' ? 'low' : 'high';
  await page.click(cellSel(id, 'impact'));
  await page.selectOption(`${cellSel(id, 'impact')} select.cell-select`, JSON.stringify(impact));
  await page.waitForSelector(`${cellSel(id, 'impact')}.state-saved`);
  assert.equal((await admin.get(`/api/assets/${id}`)).impact, impact);
  await page.waitForSelector('#undo[data-depth="1"]');
  assert.equal(await page.textContent('#undo'), 'Undo (1)');

  // Bulk: the location of rows 4 to 6 (each had its own).
  const ids = [await idAt(page, 4), await idAt(page, 5), await idAt(page, 6)];
  const was = await Promise.all(ids.map((i) => admin.get(`/api/assets/${i}`)));
  const location = another('locations', ...was.map((r) => r.location_id));
  await page.click(`${rowSel(ids[0])} .row-check`);
  await page.click(`${rowSel(ids[2])} .row-check`, { modifiers: ['Shift'] });
  await page.waitForSelector('#selected-count[data-count="3"]');
  await page.click('[data-bulk="location_id"]');
  await page.selectOption('#bulk-location_id', JSON.stringify(location.id));
  await page.click('#bulk-apply');
  await page.waitForSelector('#bulk-report:not([hidden]) .count-updated[data-count="3"]');
  for (const i of ids) assert.equal((await admin.get(`/api/assets/${i}`)).location_id, location.id);
  await page.waitForSelector('#undo[data-depth="2"]');

  await page.click('#undo');  // the bulk action first
  await page.waitForSelector('#undo[data-depth="1"]:not([disabled])');
  for (const [k, i] of ids.entries()) {
    assert.equal((await admin.get(`/api/assets/${i}`)).location_id, was[k].location_id, `row ${i}`);
  }
  assert.equal((await admin.get(`/api/assets/${id}`)).impact, impact);  // not yet
  await page.waitForSelector(`${cellSel(ids[1], 'location_id')} .cell-value:text("${names.locations.find((n) => n.id === was[1].location_id)?.name ?? 'None'}")`);

  await page.keyboard.press('Control+z');  // then the inline edit
  await page.waitForSelector('#undo[data-depth="0"]');
  await page.waitForSelector(`${cellSel(id, 'impact')} .impact-${before.impact}`);
  assert.equal((await admin.get(`/api/assets/${id}`)).impact, before.impact);
  assert.equal(await page.isDisabled('#undo'), true);
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('keyboard: Enter edits, Escape cancels, Tab saves and moves to the next editable cell', async () => {
  await setup();
  const { page, problems, context } = await openList('ada@example.com');
  const id = await idAt(page, 8);
  const before = await admin.get(`/api/assets/${id}`);
  await page.click(`${cellSel(id, 'asset_tag')}`);  // a cell that is not editable: just the active cell
  await page.waitForSelector(`${cellSel(id, 'asset_tag')}.is-active`);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector(`${cellSel(id, 'impact')}.is-active`);

  // Enter opens the editor; arrows move through the options without saving; Escape cancels.
  await page.keyboard.press('Enter');
  const editor = `${cellSel(id, 'impact')} select.cell-select`;
  await page.waitForSelector(`${editor}:focus`);
  const step = before.impact === 'high' ? 'ArrowUp' : 'ArrowDown';
  await page.keyboard.press(step);
  assert.notEqual(await page.inputValue(editor), JSON.stringify(before.impact));
  assert.equal(await page.locator(`${cellSel(id, 'impact')}.state-saving`).count(), 0);
  await page.keyboard.press('Escape');
  await page.waitForSelector(`${cellSel(id, 'impact')}.state-idle .impact-${before.impact}`);
  assert.equal((await admin.get(`/api/assets/${id}`)).version, before.version);
  await page.waitForSelector('#grid-viewport:focus');

  // F2 edits too; Tab saves and opens the Location editor of the same row.
  await page.keyboard.press('F2');
  await page.waitForSelector(`${editor}:focus`);
  await page.keyboard.press(step);
  const chosen = JSON.parse(await page.inputValue(editor));
  await page.keyboard.press('Tab');
  await page.waitForSelector(`${cellSel(id, 'location_id')} select.cell-select:focus`);
  await page.waitForSelector(`${cellSel(id, 'impact')}.state-saved .impact-${chosen}`);
  assert.equal((await admin.get(`/api/assets/${id}`)).impact, chosen);
  await page.keyboard.press('Escape');
  await page.waitForSelector(`${cellSel(id, 'location_id')}.is-active.state-idle`);

  // Arrows move the active cell down a row; Shift+Tab from Location goes back to Impact.
  await page.keyboard.press('ArrowDown');
  const next = await idAt(page, 9);
  await page.waitForSelector(`${cellSel(next, 'location_id')}.is-active`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${cellSel(next, 'location_id')} select.cell-select:focus`);
  await page.keyboard.press('Shift+Tab');
  await page.waitForSelector(`${cellSel(next, 'impact')} select.cell-select:focus`);
  await page.keyboard.press('Escape');
  await page.waitForSelector(`${cellSel(next, 'impact')}.is-active.state-idle`);
  // Space selects the active row.
  await page.keyboard.press(' ');
  await page.waitForSelector(`${rowSel(next)}[aria-selected="true"]`);
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});

test('roles that may not edit: a view-only list, and bulk rows report "not allowed"', async () => {
  await setup();
  cli(env.server, ['role', 'add', '--name', 'Viewer']);
  cli(env.server, ['role', 'add', '--name', 'Group editor', '--permissions', 'edit_group_assets']);
  addAgent(env.server, 'viewer@example.com', 'Viewer');
  addAgent(env.server, 'scoped@example.com', 'Group editor');

  // /api/me says the role may not edit: the list is view-only from the start.
  const viewer = await openList('viewer@example.com', { list: 'software' });
  await viewer.page.waitForSelector('#read-only:not([hidden])');
  assert.match(await viewer.page.textContent('#read-only'), /view .* but not change them/);
  const id = await idAt(viewer.page, 0);
  const before = await admin.get(`/api/software/${id}`);
  await viewer.page.click(cellSel(id, 'managed_by_agent_id'));
  await viewer.page.keyboard.press('Enter');
  assert.equal(await viewer.page.locator(`${cellSel(id, 'managed_by_agent_id')} select.cell-select`).count(), 0);
  await viewer.page.screenshot({ path: path.join(SHOTS, 'software-refused.png') });
  // The server refuses all the same, should a page try.
  const refused = await viewer.page.evaluate(async ([rowId, version]) => (await fetch(`/api/software/${rowId}`, {
    method: 'PATCH', headers: { 'Content-Type': 'application/json', 'If-Match': `"${version}"` },
    body: JSON.stringify({ impact: 'high' }),
  })).status, [id, before.version]);
  assert.equal(refused, 403);
  assert.equal((await admin.get(`/api/software/${id}`)).version, before.version);
  await viewer.context.close();

  // A group editor in no group: every row is someone else's.
  const scoped = await openList('scoped@example.com', { list: 'software' });
  const a = await idAt(scoped.page, 0);
  const b = await idAt(scoped.page, 1);
  await scoped.page.click(`${rowSel(a)} .row-check`);
  await scoped.page.click(`${rowSel(b)} .row-check`);
  await scoped.page.click('[data-bulk="impact"]');
  await scoped.page.selectOption('#bulk-impact', JSON.stringify('high'));
  await scoped.page.click('#bulk-apply');
  await scoped.page.waitForSelector('#bulk-report:not([hidden]) .count-forbidden[data-count="2"]');
  assert.equal(await scoped.page.locator('#bulk-report .report-problems li[data-outcome="forbidden"]').count(), 2);
  await scoped.page.waitForSelector(`${rowSel(a)}.is-refused`);
  await scoped.page.click('#report-dismiss');
  await scoped.page.waitForSelector('#bulk-report', { state: 'hidden' });
  // Their cells are shown, not offered: no caret, the reason on hover, and a click opens nothing.
  const why = 'You may edit only records managed by your groups.';
  await scoped.page.waitForSelector(`${cellSel(a, 'impact')}.read-only`);
  assert.equal(await scoped.page.getAttribute(cellSel(a, 'impact'), 'title'), why);
  assert.equal(await scoped.page.locator(`${cellSel(a, 'impact')} .cell-caret`).count(), 0);
  await scoped.page.click(cellSel(a, 'impact'));
  assert.equal(await scoped.page.locator(`${cellSel(a, 'impact')} select.cell-select`).count(), 0);
  assert.deepEqual(unexpected(scoped.problems), []);
  await scoped.context.close();

  // In a group, the rows that group manages are theirs to change, and no
  // others; handing one to another group is refused in the page.
  const group = names.groups[0];
  const other = names.groups[1];
  const { rows: [person] } = await admin.get('/api/people?portal=agent&q=scoped%40example.com');
  assert.equal((await admin.call('PATCH', `/api/people/${person.id}`, { group_ids: [group.id] })).status, 200);
  const [mine, theirs] = [await admin.get(`/api/software/${a}`), await admin.get(`/api/software/${b}`)];
  for (const [row, g] of [[mine, group.id], [theirs, other.id]]) {
    const reply = await admin.call('PATCH', `/api/software/${row.id}`, { managed_by_group_id: g }, { 'If-Match': `"${row.version}"` });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
  }
  const member = await openList('scoped@example.com', { list: 'software' });
  await member.page.waitForSelector(`${cellSel(b, 'impact')}.read-only`);
  assert.equal(await member.page.locator(`${cellSel(a, 'impact')}.read-only`).count(), 0);
  await member.page.click(cellSel(a, 'managed_by_group_id'));
  await member.page.selectOption(`${cellSel(a, 'managed_by_group_id')} select.cell-select`, JSON.stringify(other.id));
  await member.page.waitForSelector(`${cellSel(a, 'managed_by_group_id')}.state-failed .cell-panel:has-text("Not saved. You may hand records only to one of your groups")`);
  assert.equal((await admin.get(`/api/software/${a}`)).managed_by_group_id, group.id);
  await member.page.screenshot({ path: path.join(SHOTS, 'software-group-scope.png') });
  assert.deepEqual(unexpected(member.problems), []);
  await member.context.close();
});

// Signs in and opens a page without waiting for rows (for lists that have none).
async function signIn(server, email, url) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, problems } = await openPage(context, `${server.url}/login/agent.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForSelector('#sign-out:not([hidden])');
  if (url) await page.goto(`${server.url}${url}`);
  return { page, problems, context };
}

test('empty states: no match, and no records at all; home links to both lists', async () => {
  await setup();
  const home = await signIn(env.server, 'ada@example.com');
  assert.equal(await home.page.isVisible('a[href="/assets.html"]'), true);
  assert.equal(await home.page.isVisible('a[href="/software.html"]'), true);
  await home.page.goto(`${env.server.url}/assets.html?q=zz-nothing-matches`);
  await home.page.waitForSelector('body[data-ready="true"] #grid-empty:not([hidden])');
  assert.match(await home.page.textContent('#grid-empty'), /No assets match these filters/);
  await home.page.click('#empty-clear');
  await home.page.waitForSelector('.grid-row:not(.is-loading)');
  assert.equal(await home.page.inputValue('#search'), '');
  assert.deepEqual(unexpected(home.problems), []);
  await home.context.close();

  // A server with an empty database explains how to get demo data.
  const empty = await startServer();
  try {
    addAgent(empty, 'ada@example.com', 'Administrator');
    const fresh = await signIn(empty, 'ada@example.com', '/software.html');
    await fresh.page.waitForSelector('body[data-ready="true"] #grid-empty:not([hidden])');
    assert.match(await fresh.page.textContent('#grid-empty'), /tools\/run --demo/);
    await fresh.page.screenshot({ path: path.join(SHOTS, 'software-empty.png') });
    assert.deepEqual(unexpected(fresh.problems), []);
    await fresh.context.close();
  } finally {
    await empty.stop();
  }
});

test('a 1,000,000-row list: the middle after a jump, and the last row (time printed, not asserted)', async () => {
  await setup();
  const big = await startServer();
  try {
    const t0 = Date.now();
    cli(big, ['seed', '--assets', '1000000', '--software', '10']);
    const seeded = Date.now() - t0;
    addAgent(big, 'ada@example.com', 'Administrator');
    const { page, problems, context } = await openList('ada@example.com', { server: big });
    await page.waitForSelector('#list-count:text("1,000,000 assets")');
    // Rows loaded and drawn in view: their positions (aria-rowindex − 2).
    const shownPositions = () => page.$$eval('.grid-row:not(.is-loading)', (rows) => {
      const view = document.getElementById('grid-viewport').getBoundingClientRect();
      return rows.filter((r) => {
        const box = r.getBoundingClientRect();
        return box.bottom > view.top + 42 && box.top < view.bottom;
      }).map((r) => Number(r.getAttribute('aria-rowindex')) - 2).sort((a, b) => a - b);
    });
    const timing = await page.evaluate(async () => {
      const viewport = document.getElementById('grid-viewport');
      const started = performance.now();
      // Dragging the scrollbar to the middle.
      viewport.scrollTop = (viewport.scrollHeight - viewport.clientHeight) / 2;
      const middle = () => [...document.querySelectorAll('.grid-row:not(.is-loading)')]
        .some((r) => Math.abs(Number(r.getAttribute('aria-rowindex')) - 500000) < 100);
      while (!middle()) await new Promise((resolve) => requestAnimationFrame(resolve));
      const shown = performance.now() - started;
      // Then scroll on (pages load on the way), timing each frame.
      let last = performance.now();
      const frames = [];
      for (let i = 0; i < 60; i++) {
        viewport.scrollTop += 70;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        frames.push(now - last);
        last = now;
      }
      frames.sort((a, b) => a - b);
      return { shown, median: frames[30], worst: frames[59], rows: document.querySelectorAll('.grid-row').length };
    });
    console.log(`# 1,000,000 rows: seeded in ${seeded} ms; the middle rendered ${timing.shown.toFixed(0)} ms after the jump; `
      + `frames while scrolling: median ${timing.median.toFixed(1)} ms, worst ${timing.worst.toFixed(1)} ms `
      + `(headless Chromium, software rendering); ${timing.rows} row elements in the page`);
    assert.ok(timing.rows < 80, 'only the rows in view are in the page');

    // The middle again: the rows in view are consecutive and in the list's order.
    await page.$eval('#grid-viewport', (v) => { v.scrollTop = (v.scrollHeight - v.clientHeight) / 2; });
    await page.waitForFunction(() => document.querySelectorAll('.grid-row.is-loading').length === 0);
    let positions = await shownPositions();
    assert.ok(positions.length >= 10, `rows in view: ${positions}`);
    assert.ok(Math.abs(positions[0] - 500000) < 50, `the middle: ${positions[0]}`);
    positions.forEach((p, i) => assert.equal(p, positions[0] + i));
    const names = await page.$$eval('.grid-row:not(.is-loading) .row-name', (cells) => cells.map((c) => c.textContent));
    assert.ok(names.every((n, i) => i === 0 || names[i - 1] <= n), 'sorted by name');
    await page.screenshot({ path: path.join(SHOTS, 'assets-1m-middle.png') });

    // The end of the list is reachable (a canvas 44 million pixels tall would not be).
    await page.$eval('#grid-viewport', (v) => { v.scrollTop = v.scrollHeight; });
    await page.waitForSelector('.grid-row[aria-rowindex="1000001"]:not(.is-loading)');
    positions = await shownPositions();
    assert.equal(positions.at(-1), 999999);
    // The keyboard walks from there: Home goes back to the first row.
    await page.click('.grid-row[aria-rowindex="1000001"] .cell.col-asset_tag');
    await page.keyboard.press('Control+Home');
    await page.waitForSelector('.grid-row[aria-rowindex="2"]:not(.is-loading)');
    assert.equal((await shownPositions())[0], 0);

    // Every asset of one impact (tens of thousands): the reply is a summary
    // with every row's outcome to download, and no undo.
    await page.selectOption('#filter-impact', JSON.stringify('medium'));
    const bigAdmin = await apiClient(big, 'ada@example.com');
    const matching = (await bigAdmin.get('/api/assets?limit=1&impact=medium')).total;
    assert.ok(matching > 10000, 'enough rows for a summarised reply');
    await page.waitForSelector(`#list-count:text("${matching.toLocaleString('en-US')} assets")`);
    await page.click('#select-page');
    await page.click('#select-all-matching');
    await page.waitForSelector(`#selected-count[data-count="${matching}"]`);
    await page.click('#bulk-retire');
    await page.waitForSelector('#confirm-dialog[open]');
    const started = Date.now();
    await page.click('#confirm-dialog [data-action="confirm"]');
    await page.waitForSelector(`#bulk-report:not([hidden]) .count-updated[data-count="${matching}"]`, { timeout: 60000 });
    console.log(`# ${matching} assets retired in one action: report shown ${Date.now() - started} ms after the click`);
    assert.match(await page.textContent('#bulk-report'), /Download every row's outcome/);
    assert.equal(await page.getAttribute('#undo', 'data-depth'), '0');
    await page.screenshot({ path: path.join(SHOTS, 'assets-bulk-summary.png') });
    const csv = await page.evaluate(async () => {
      const link = document.getElementById('bulk-outcomes').getAttribute('href');
      return (await fetch(link)).text();
    });
    const lines = csv.trim().split('\r\n');
    assert.equal(lines[0], 'id,outcome,version');
    assert.equal(lines.length, matching + 1);
    assert.ok(lines.slice(1).every((line) => /^\d+,updated,\d+$/.test(line)));
    assert.equal((await bigAdmin.get('/api/assets?limit=1&impact=medium')).total, 0);
    assert.equal((await bigAdmin.get('/api/assets?limit=1&impact=medium&retired=true')).total, matching);
    assert.deepEqual(unexpected(problems), []);
    await context.close();
  } finally {
    await big.stop();
  }
});

test('screenshots of both lists at 1280 and 390 pixels wide', async () => {
  await setup();
  for (const [width, height] of [[1280, 900], [390, 844]]) {
    const assets = await openList('ada@example.com', { width, height });
    const { page } = assets;
    // Phones see the whole page (clicks scroll it); desktops the window.
    const shot = (name) => page.screenshot({ path: path.join(SHOTS, name), fullPage: width < 600 });
    // A few rows ticked: the bulk bar shows the count.
    const ids = [await idAt(page, 1), await idAt(page, 2), await idAt(page, 4)];
    for (const id of ids) await page.click(`${rowSel(id)} .row-check`);
    await page.waitForSelector('#selected-count[data-count="3"]');
    await shot(`assets-${width}.png`);
    // The header checkbox: the loaded page, then the offer to select everything matching.
    await page.click('#select-page');  // clears the three
    await page.click('#select-page');
    await page.waitForSelector('#select-all-matching');
    await shot(`assets-page-selected-${width}.png`);
    await page.click('#banner-clear');
    // An open editor.
    const id = await idAt(page, 0);
    await page.click(`${rowSel(id)} .cell.col-impact`);
    await page.waitForSelector(`${cellSel(id, 'impact')} select.cell-select:focus`);
    await shot(`assets-editing-${width}.png`);
    await page.keyboard.press('Escape');
    await page.click(`${rowSel(id)} .row-name`);
    await page.waitForSelector('#history-panel:not([hidden]) .history-body :is(.history-entry, .history-empty)');
    await page.screenshot({ path: path.join(SHOTS, `assets-history-${width}.png`) });  // the panel covers the window
    assert.deepEqual(unexpected(assets.problems), []);
    await assets.context.close();

    const software = await openList('ada@example.com', { list: 'software', width, height });
    await software.page.screenshot({ path: path.join(SHOTS, `software-${width}.png`) });
    if (width < 600) {
      await software.page.click(`${rowSel(await idAt(software.page, 0))} .row-check`);
      await software.page.click('[data-bulk="location_id"]');
      await software.page.waitForSelector('#bulk-dialog[open]');
      await software.page.screenshot({ path: path.join(SHOTS, `software-bulk-dialog-${width}.png`) });
    }
    assert.deepEqual(unexpected(software.problems), []);
    await software.context.close();
  }
});
