// The asset and software list state (AssetGrid) through the module's
// JavaScript API, as the list pages use it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDeskgate } from '../support/load-wasm.mjs';

const dg = await loadDeskgate();

function row(id, over = {}) {
  return { id, name: `Asset ${id}`, asset_tag: `A-${id}`, type: 'laptop', impact: 'low',
    location_id: null, managed_by_group_id: null, managed_by_agent_id: null, version: 1,
    updated_at: 1700000000, ...over };
}

function page(total, rows) { return { total, rows }; }

function ids(first, count, over = {}) {
  return Array.from({ length: count }, (_, i) => row(first + i, over));
}

const text = (bytes) => {
  assert.ok(bytes instanceof Uint8Array);
  return new TextDecoder().decode(bytes);
};

function withGrid(fn) {
  const grid = new dg.AssetGrid();
  try { fn(grid); } finally { grid.delete(); }
}

test('rows load by page and render with their state', () => withGrid((grid) => {
  grid.setVocabulary({ locations: [1, 2, 3], groups: [10], agents: [100] });
  assert.deepEqual(grid.setQuery({ sort: 'name', dir: 'asc' }), { filter_changed: false });
  grid.loadPage(0, page(120, ids(1, 50)));
  grid.loadPage(100, JSON.stringify(page(120, ids(101, 20))));  // text works too
  assert.equal(grid.total(), 120);
  assert.equal(grid.isLoaded(49), true);
  assert.equal(grid.isLoaded(50), false);
  assert.equal(grid.positionOf(101), 100);
  const rows = grid.rows(49, 2);
  assert.deepEqual(rows[0], { ...row(50), selected: false });
  assert.equal(rows[1], null);
  assert.throws(() => grid.loadPage(0, { total: 1, rows: [{ id: 1 }] }), /row: version must be/);
  assert.throws(() => grid.setQuery({ sort: 'colour' }), /sort: must be one of/);
}));

test('an inline edit goes saving, then saved, and can be undone', () => withGrid((grid) => {
  grid.setVocabulary({ locations: [1, 2, 3] });
  grid.loadPage(0, page(3, ids(1, 3, { version: 4 })));
  grid.beginEdit(2, 'location_id');
  assert.equal(grid.cellState(2, 'location_id'), 'editing');
  const { request } = grid.commitEdit(2, 'location_id', 3);
  assert.deepEqual(request, { id: 2, field: 'location_id', if_match: '"4"', body: { location_id: 3 } });
  assert.equal(grid.rows(1, 1)[0].location_id, 3);
  assert.deepEqual(grid.rows(1, 1)[0].cells, { location_id: { state: 'saving', value: 3 } });
  assert.deepEqual(grid.saveSucceeded(2, row(2, { version: 5, location_id: 3 })), { request: null });
  assert.equal(grid.cellState(2, 'location_id'), 'saved');
  grid.dismiss(2, 'location_id');
  assert.equal(grid.status().undo_depth, 1);
  const undo = grid.undo();
  assert.deepEqual(undo, { patches: [{ id: 2, field: 'location_id', if_match: '"5"',
    body: { location_id: null } }], bulk: [], skipped: [] });
  grid.saveSucceeded(2, row(2, { version: 6 }));
  assert.equal(grid.status().undo_depth, 0);
  assert.equal(grid.rows(1, 1)[0].location_id, null);
}));

test('failures roll back and conflicts show the current row', () => withGrid((grid) => {
  grid.loadPage(0, page(2, ids(1, 2)));
  grid.commitEdit(1, 'impact', 'high');
  assert.deepEqual(grid.saveFailed(1, 'You may not edit this asset.'), { request: null });
  assert.equal(grid.rows(0, 1)[0].impact, 'low');
  assert.deepEqual(grid.rows(0, 1)[0].cells.impact,
    { state: 'failed', value: 'high', message: 'You may not edit this asset.' });
  grid.commitEdit(2, 'managed_by_group_id', 7);
  grid.saveConflict(2, { error: 'Someone else changed this asset.', current: row(2, { version: 3, impact: 'medium' }) });
  const shown = grid.rows(1, 1)[0];
  assert.equal(shown.impact, 'medium');
  assert.equal(shown.version, 3);
  assert.equal(shown.cells.managed_by_group_id.state, 'conflict');
  assert.throws(() => grid.commitEdit(1, 'impact', null), /impact: cannot be none/);
  assert.throws(() => grid.commitEdit(1, 'name', 'x'), /field: no editable field "name"/);
  assert.throws(() => grid.commitEdit(1, 'impact'), TypeError);
  assert.throws(() => grid.cancelEdit(1, 'impact'), /not being edited/);
}));

test('selection: toggle, shift-range, page, all matching, clear', () => withGrid((grid) => {
  grid.loadPage(0, page(1000, ids(1, 100)));
  assert.equal(grid.toggle(10), true);
  assert.equal(grid.shiftClick(20), 0);
  assert.equal(grid.selectedCount(), 11);
  assert.equal(grid.setRange(90, 20, true), 10);  // 10 positions not loaded
  assert.equal(grid.selectedCount(), 21);
  assert.equal(text(grid.bulkRequest({ impact: 'high' })),
    '{"selection":{"ids":[10,11,12,13,14,15,16,17,18,19,20,91,92,93,94,95,96,97,98,99,100]},"change":{"impact":"high"}}');
  grid.selectAllMatching();
  grid.toggle(5);
  assert.deepEqual(grid.status(), { selected: 999, all_matching: true, bulk_pending: false, undo_depth: 0, hidden: 0 });
  assert.equal(grid.isSelected(5), false);
  assert.equal(grid.isSelected(6), true);
  assert.equal(text(grid.bulkRequest({ managed_by_agent_id: null })),
    '{"selection":{"filter":{},"except":[5]},"change":{"managed_by_agent_id":null}}');
  grid.clearSelection();
  assert.equal(grid.selectedCount(), 0);
  assert.throws(() => grid.bulkRequest({ impact: 'high' }), /no rows are selected/);
}));

test('a filter change drops all matching; a sort change keeps it', () => withGrid((grid) => {
  grid.loadPage(0, page(100, ids(1, 100)));
  grid.selectAllMatching();
  assert.deepEqual(grid.setQuery({ sort: 'updated_at', dir: 'desc' }), { filter_changed: false });
  assert.equal(grid.status().all_matching, true);
  assert.deepEqual(grid.setQuery({ sort: 'updated_at', dir: 'desc', impact: 'high' }), { filter_changed: true });
  assert.equal(grid.status().all_matching, false);
  assert.equal(grid.selectedCount(), 0);
}));

test('picked rows a new filter hides: asked about, counted, dropped', () => withGrid((grid) => {
  grid.loadPage(0, page(100, ids(1, 100)));
  assert.equal(grid.hiddenCheckRequest(), null);
  grid.toggle(4);
  grid.toggle(9);
  assert.deepEqual(grid.setQuery({ location_id: 2 }), { filter_changed: true });
  const body = JSON.parse(grid.hiddenCheckRequest());
  assert.deepEqual(body.ids.sort((a, b) => a - b), [4, 9]);
  assert.deepEqual(body.filter, { location_id: 2 });
  grid.setHidden({ shown: 1, hidden: [9] });
  assert.equal(grid.status().hidden, 1);
  assert.throws(() => grid.setHidden({ hidden: 'nine' }), /hidden must be a list of ids/);
  assert.equal(grid.dropHidden(), 1);
  assert.deepEqual([grid.status().selected, grid.status().hidden], [1, 0]);
  assert.equal(grid.isSelected(4), true);
}));

test('a bulk action is optimistic, reconciled and undone by previous value', () => withGrid((grid) => {
  grid.setVocabulary({ locations: [1, 2, 3] });
  grid.loadPage(0, page(4, [row(1, { location_id: 1 }), row(2, { location_id: 2 }),
    row(3, { location_id: 1 }), row(4)]));
  grid.setRange(0, 4, true);
  const body = text(grid.beginBulk({ location_id: 3 }));
  assert.equal(body, '{"selection":{"ids":[1,2,3,4]},"change":{"location_id":3}}');
  assert.equal(grid.status().bulk_pending, true);
  assert.equal(grid.rows(0, 4).every((r) => r.location_id === 3), true);
  const report = grid.bulkSucceeded(0, { results: [
    { id: 1, outcome: 'updated', version: 2 }, { id: 2, outcome: 'updated', version: 2 },
    { id: 3, outcome: 'forbidden', version: 1 }, { id: 4, outcome: 'not_found' }],
  updated: 2, unchanged: 0, not_found: 1, forbidden: 1 });
  assert.deepEqual(report, { done: true, updated: 2, unchanged: 0, not_found: 1, forbidden: 1,
    conflict: 0, not_undoable: 0, problems: [{ id: 3, outcome: 'forbidden' }, { id: 4, outcome: 'not_found' }] });
  assert.equal(grid.rows(2, 1)[0].location_id, 1);
  assert.equal(grid.rows(2, 1)[0].refused, 'forbidden');
  assert.equal(grid.positionOf(4), -1);
  const undo = grid.undo();
  assert.deepEqual(undo.bulk, [
    { selection: { ids: [1] }, change: { location_id: 1 } },
    { selection: { ids: [2] }, change: { location_id: 2 } }]);
  assert.equal(grid.bulkFailed(1).done, false);
  assert.equal(grid.bulkSucceeded(0, { results: [{ id: 1, outcome: 'updated', version: 3 }] }).done, true);
  assert.equal(grid.status().undo_depth, 1);  // the part that failed can be undone again
  assert.throws(() => grid.bulkSucceeded(0, { results: [] }), /no bulk request 0/);
}));

test('undo goes at least ten steps back', () => withGrid((grid) => {
  grid.loadPage(0, page(12, ids(1, 12)));
  for (let id = 1; id <= 12; id++) {
    grid.commitEdit(id, 'impact', 'medium');
    grid.saveSucceeded(id, row(id, { version: 2, impact: 'medium' }));
  }
  assert.equal(grid.status().undo_depth, 12);
  for (let id = 12; id >= 1; id--) {
    const { patches } = grid.undo();
    assert.equal(patches[0].id, id);
    assert.deepEqual(patches[0].body, { impact: 'low' });
    grid.saveSucceeded(id, row(id, { version: 3 }));
  }
  assert.throws(() => grid.undo(), /nothing to undo/);
}));

test('grids are independent and deleted ones answer nothing', () => {
  const a = new dg.AssetGrid();
  const b = new dg.AssetGrid();
  a.loadPage(0, page(5, ids(1, 5)));
  assert.equal(b.total(), 0);
  a.delete();
  assert.equal(a.total(), 0);
  assert.throws(() => a.loadPage(0, page(1, ids(1, 1))), /grid: deleted/);
  b.delete();
});

test('parseRecordChange and validateRecordChange use the server rules', () => {
  assert.deepEqual(dg.parseRecordChange({ managed_by_agent_id: 4, impact: 'high' }),
    { impact: 'high', managed_by_agent_id: 4 });
  assert.deepEqual(dg.parseRecordChange('{"location_id":null}'), { location_id: null });
  assert.throws(() => dg.parseRecordChange({}), /change: names no field/);
  assert.throws(() => dg.parseRecordChange({ location_id: '3' }), /location_id: must be a positive integer or null/);
  assert.deepEqual(dg.validateRecordChange({ location_id: 2 }, { locations: [1, 2] }),
    { ok: true, change: { location_id: 2 } });
  assert.deepEqual(dg.validateRecordChange({ location_id: 5 }, { locations: [1, 2] }),
    { ok: false, error: 'location_id: no location 5' });
  assert.throws(() => dg.validateRecordChange({ location_id: 2 }, { rooms: [] }), /vocabulary: unknown field "rooms"/);
});
