// Parity of the change check: for every case of the table, the native check
// (deskgate-record-change, built with the tests) and the WebAssembly module
// must print byte-identical JSON. This is what guarantees that the list
// page's verdict on an edit and the server's never disagree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadDeskgate } from '../support/load-wasm.mjs';
import { DESKGATE_BIN } from '../support/paths.mjs';
import { recordChangeCases } from '../parity/record_change_cases.mjs';
import { recordEditCases } from '../parity/record_edit_cases.mjs';

const dg = await loadDeskgate();
const cases = recordChangeCases();
const CHECK_BIN = path.join(path.dirname(DESKGATE_BIN), 'deskgate-record-change');

function nativeJson(list) {
  const input = list.map((c) => `${c.change.toString('hex')}\t${Buffer.from(c.vocabulary).toString('hex')}\n`).join('');
  const run = spawnSync(CHECK_BIN, [], { input });
  assert.equal(run.status, 0, run.stderr?.toString() ?? String(run.error));
  return run.stdout.toString('utf8').split('\n').slice(0, -1);
}

test('the change parity table has at least 100 cases, valid and invalid', () => {
  assert.ok(cases.length >= 100, `${cases.length} cases`);
  const verdicts = cases.map((c) => JSON.parse(dg.validateRecordChangeJson(new Uint8Array(c.change), c.vocabulary)).ok);
  assert.ok(verdicts.filter((ok) => ok).length >= 15);
  assert.ok(verdicts.filter((ok) => !ok).length >= 60);
});

test('native and WebAssembly give byte-identical JSON on every case', () => {
  const native = nativeJson(cases);
  assert.equal(native.length, cases.length);
  const differing = [];
  cases.forEach((c, i) => {
    const wasm = dg.validateRecordChangeJson(new Uint8Array(c.change), c.vocabulary);
    if (wasm !== native[i]) differing.push({ name: c.name, wasm, native: native[i] });
  });
  assert.deepEqual(differing, []);
});

test('a JS string, an object and raw bytes give the same answer', () => {
  for (const c of cases) {
    const text = c.change.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(c.change)) continue;  // not valid UTF-8
    const bytes = dg.validateRecordChangeJson(new Uint8Array(c.change), c.vocabulary);
    assert.equal(dg.validateRecordChangeJson(text, c.vocabulary), bytes, c.name);
    let object;
    try { object = JSON.parse(text); } catch { continue; }
    if (object === null || typeof object !== 'object' || Array.isArray(object)) continue;
    // JSON.parse drops duplicate keys and normalizes escapes, so only compare valid verdicts.
    if (JSON.parse(bytes).ok) {
      assert.equal(dg.validateRecordChangeJson(object, JSON.parse(c.vocabulary)), bytes, c.name);
    }
  }
});

const editCases = recordEditCases();

test('whole records: native and WebAssembly give byte-identical JSON on every case', () => {
  const input = editCases.map((c) => `edit\t${c.kind}\t${c.creating ? 1 : 0}\t${c.record.toString('hex')}\t${Buffer.from(c.vocabulary).toString('hex')}\n`).join('');
  const run = spawnSync(CHECK_BIN, [], { input });
  assert.equal(run.status, 0, run.stderr?.toString() ?? String(run.error));
  const native = run.stdout.toString('utf8').split('\n').slice(0, -1);
  assert.equal(native.length, editCases.length);
  const differing = [];
  editCases.forEach((c, i) => {
    const wasm = dg.validateRecordEditJson(c.kind, new Uint8Array(c.record), c.vocabulary, { creating: c.creating });
    if (wasm !== native[i]) differing.push({ name: c.name, wasm, native: native[i] });
  });
  assert.deepEqual(differing, []);
  const verdicts = editCases.map((c, i) => [c.name, JSON.parse(native[i]).ok]);
  assert.ok(verdicts.filter(([, ok]) => ok).length >= 15, JSON.stringify(verdicts));
  assert.ok(verdicts.filter(([, ok]) => !ok).length >= 25, JSON.stringify(verdicts));
  // A few verdicts spelled out, so the table cannot drift into all-valid or all-invalid.
  const byName = Object.fromEntries(editCases.map((c, i) => [c.name, JSON.parse(native[i])]));
  assert.deepEqual(byName['asset: trimmed text'], { ok: true, record: { name: 'Dell', asset_tag: 'LT-2' } });
  assert.equal(byName['asset: tag of 64 two-byte letters'].ok, true);
  assert.equal(byName['asset: tag of 65'].error, 'asset_tag: at most 64 characters');
  assert.equal(byName['software: licence count 1e3'].record.licence_count, 1000);
});
