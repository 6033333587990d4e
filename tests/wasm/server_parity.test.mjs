// Parity through the running server's routes, not a CLI tool: every change
// of the parity tables sent as a PATCH gets the verdict the record panel's
// check (validateRecordEdit) gives in the page, and list filters sent as bulk
// selections are read as the page's grid reads them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { loadDeskgate } from '../support/load-wasm.mjs';
import { startServer } from '../support/server.mjs';
import { DESKGATE_BIN } from '../support/paths.mjs';
import { addUser, apiLogin } from '../support/mfa.mjs';
import { recordChangeCases } from '../parity/record_change_cases.mjs';
import { recordEditCases } from '../parity/record_edit_cases.mjs';

const dg = await loadDeskgate('deskgate-records');
let server;
let admin;
let vocabulary;

before(async () => {
  server = await startServer();
  addUser(server, { email: 'admin@example.com', role: 'Administrator' });
  execFileSync(DESKGATE_BIN, ['seed', '--assets', '40', '--software', '5', '--db', server.dbPath]);
  ({ client: admin } = await apiLogin(server, 'agent', 'admin@example.com'));
  const names = await admin.call('GET', '/api/records/names');
  assert.equal(names.status, 200);
  const ids = (list) => list.map((n) => n.id).sort((a, b) => a - b);
  vocabulary = { locations: ids(names.body.locations), groups: ids(names.body.groups), agents: ids(names.body.agents) };
});
after(() => server?.stop());

// A raw PATCH of asset 1 at its current version; answers {status, body}.
async function patch(bytes) {
  const current = await admin.call('GET', '/api/assets/1');
  const response = await fetch(`${server.url}/api/assets/1`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', Cookie: admin.cookie, 'If-Match': `"${current.body.version}"` },
    body: bytes,
  });
  let body = {};
  try { body = await response.json(); } catch { /* not JSON */ }
  return { status: response.status, body };
}

const withoutPrefix = (message) => message.replace(/^(change|record): /, '');

// Inline changes and whole-record edits of an asset, each body once: the
// tables' own ids are replaced by the server's vocabulary below.
function patchBodies() {
  const bodies = [...recordChangeCases().map((c) => ({ name: c.name, bytes: c.change }))];
  for (const c of recordEditCases()) {
    if (c.kind === 'asset' && !c.creating) bodies.push({ name: c.name, bytes: c.record });
  }
  return bodies;
}

test('every change of the parity tables: the PATCH route answers as the page\'s check', async () => {
  const seen = new Set();
  let accepted = 0;
  for (const c of patchBodies()) {
    const key = c.bytes.toString('hex');
    if (seen.has(key)) continue;  // each change once, against the server's own ids
    seen.add(key);
    const verdict = JSON.parse(dg.validateRecordEditJson('asset', new Uint8Array(c.bytes), vocabulary, { creating: false }));
    const answer = await patch(c.bytes);
    if (verdict.ok) {
      assert.equal(answer.status, 200, `${c.name}: ${JSON.stringify(answer.body)}`);
      accepted += 1;
    } else {
      assert.equal(answer.status, 400, `${c.name}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.code, 'invalid_argument', c.name);
      assert.equal(withoutPrefix(answer.body.error), withoutPrefix(verdict.error), c.name);
    }
  }
  assert.ok(seen.size >= 60 && accepted >= 8, `${seen.size} changes, ${accepted} accepted`);
});

test('list filters: a bulk selection is read as the page\'s query, and selects what the list shows', async () => {
  const [location] = vocabulary.locations;
  const filters = [
    {}, { q: 'a' }, { impact: 'high' }, { impact: null }, { location_id: location }, { location_id: null },
    { managed_by_group_id: null, impact: 'low' }, { q: 'x'.repeat(201) }, { impact: 'none' },
    { location_id: -1 }, { location_id: 'one' }, { q: 7 },
  ];
  const grid = new dg.AssetGrid();
  try {
    for (const filter of filters) {
      let pageError = null;
      try { grid.setQuery(filter); } catch (error) { pageError = error.message; }
      const name = JSON.stringify(filter);
      if (pageError) {
        const bulk = await admin.call('POST', '/api/assets/bulk',
          { selection: { filter, except: [] }, change: { impact: 'medium' } });
        assert.equal(bulk.status, 400, `${name}: ${JSON.stringify(bulk.body)}`);
        assert.equal(bulk.body.code, 'invalid_argument', name);
        continue;
      }
      // The list with the same filter shows as many records as the action sees.
      const params = new URLSearchParams({ limit: '1' });
      for (const [key, value] of Object.entries(filter)) {
        if (value !== null || key.endsWith('_id')) params.set(key, value === null ? 'none' : String(value));
      }
      const list = await admin.call('GET', `/api/assets?${params}`);
      assert.equal(list.status, 200, name);
      const bulk = await admin.call('POST', '/api/assets/bulk',
        { selection: { filter, except: [] }, change: { impact: 'medium' } });
      assert.equal(bulk.status, 200, `${name}: ${JSON.stringify(bulk.body)}`);
      assert.equal(bulk.body.results.length, list.body.total, name);
    }
  } finally {
    grid.delete();
  }
});
