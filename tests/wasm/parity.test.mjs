// Parity: for every case of the table, the native CLI and the WebAssembly
// module must print byte-identical JSON. This is what guarantees that the
// browser's live checklist and the server's verdict never disagree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { loadDeskgate } from '../support/load-wasm.mjs';
import { DESKGATE_BIN } from '../support/paths.mjs';
import { parityCases } from '../parity/cases.mjs';

const dg = await loadDeskgate();
const cases = parityCases();

test('the parity table has at least 200 cases', () => {
  assert.ok(cases.length >= 200, `${cases.length} cases`);
});

function nativeJson({ policy, password, context }) {
  const args = ['policy', 'check', '--policy', policy];
  if (context.email !== undefined) args.push('--email', context.email);
  if (context.name !== undefined) args.push('--name', context.name);
  // The CLI drops exactly one trailing "\n": append one so the bytes arrive intact.
  const run = spawnSync(DESKGATE_BIN, args, { input: Buffer.concat([password, Buffer.from('\n')]) });
  assert.equal(run.status, 0, run.stderr.toString());
  return run.stdout.toString('utf8').replace(/\n$/, '');
}

test('native and WebAssembly give byte-identical JSON on every case', () => {
  let differing = [];
  for (const c of cases) {
    const wasm = dg.checkPasswordJson(JSON.parse(c.policy), new Uint8Array(c.password), c.context);
    const native = nativeJson(c);
    if (wasm !== native) differing.push({ name: c.name, wasm, native });
  }
  assert.deepEqual(differing, []);
});

test('a JS string and its UTF-8 bytes give the same answer', () => {
  for (const c of cases) {
    const text = c.password.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(c.password)) continue;  // not valid UTF-8
    const policy = JSON.parse(c.policy);
    assert.equal(dg.checkPasswordJson(policy, text, c.context),
      dg.checkPasswordJson(policy, new Uint8Array(c.password), c.context), c.name);
  }
});
