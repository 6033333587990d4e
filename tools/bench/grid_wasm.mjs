// The asset list's state in the WebAssembly build, in Node, with 100,000
// rows loaded: the operations the docs/budgets.md budget names (select all
// matching, a 50,000-row range select, building a bulk request), each as
// the median of repeated runs, plus a few related figures for context.
import { loadDeskgate } from '../../tests/support/load-wasm.mjs';

const ROWS = 100000;
const PAGE = 1000;
const RUNS = 21;
const BUDGET_MS = 10;

const dg = await loadDeskgate();
const grid = new dg.AssetGrid();
grid.setVocabulary({ locations: [1, 2, 3, 4, 5], groups: [1, 2, 3], agents: [1, 2, 3, 4] });

function row(id) {
  return { id, name: `Laptop ${id}`, asset_tag: `A-${String(id).padStart(6, '0')}`, type: 'laptop',
    impact: ['low', 'medium', 'high'][id % 3], location_id: 1 + (id % 5), managed_by_group_id: 1 + (id % 3),
    managed_by_agent_id: id % 7 === 0 ? null : 1 + (id % 4), version: 1, updated_at: 1700000000 + id };
}

let start = performance.now();
for (let offset = 0; offset < ROWS; offset += PAGE) {
  const rows = [];
  for (let i = 1; i <= PAGE; i++) rows.push(row(offset + i));
  grid.loadPage(offset, JSON.stringify({ total: ROWS, rows }));
}
const loadMs = performance.now() - start;

// The median of RUNS timed runs of `measured`, each after an untimed `setup`.
function medianMs(setup, measured) {
  for (let i = 0; i < 3; i++) { setup(); measured(); }  // warm up the JIT
  const samples = [];
  for (let r = 0; r < RUNS; r++) {
    setup();
    const t = performance.now();
    measured();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[RUNS >> 1];
}

const results = [];
function report(label, ms, budgeted = true) {
  const verdict = budgeted ? ` (budget ${BUDGET_MS} ms: ${ms <= BUDGET_MS ? 'within' : 'OVER'})` : '';
  results.push(ms);
  console.log(`grid wasm, ${label}: median ${ms.toFixed(3)} ms${verdict}`);
}

let sink = 0;
const none = () => {};

report('select all matching, 100,000 rows', medianMs(() => grid.clearSelection(), () => {
  grid.selectAllMatching();
  sink += grid.selectedCount();
}));

report('50,000-row range select (click, shift-click)', medianMs(() => grid.clearSelection(), () => {
  grid.toggle(20001);
  sink += grid.shiftClick(70000);
}));
if (grid.selectedCount() !== 50000) throw new Error(`range selected ${grid.selectedCount()} rows`);

// A bulk request for an explicit 50,000-id selection (the range above): the
// POST body as bytes, ready for fetch.
report('build bulk request, 50,000 ids', medianMs(none, () => {
  sink += grid.bulkRequest({ managed_by_group_id: 2 }).length;
}));

grid.selectAllMatching();
for (let id = 1; id <= 100; id++) grid.toggle(id * 7);
report('build bulk request, all 100,000 matching minus 100', medianMs(none, () => {
  sink += grid.bulkRequest({ location_id: 3 }).length;
}));

// For context (no budget): showing a bulk change at once on every loaded row.
report('begin bulk (request + optimistic values), all matching', medianMs(none, () => {
  sink += grid.beginBulk({ location_id: 3 }).length;
  grid.bulkFailed(0);
}), false);
report('render 50 rows (rows())', medianMs(none, () => { sink += grid.rows(40000, 50).length; }), false);
console.log(`grid wasm, loading ${ROWS} rows in pages of ${PAGE}: ${loadMs.toFixed(0)} ms (setup, no budget)`);
grid.delete();
if (sink === 0) console.log('');  // keeps the results observable
