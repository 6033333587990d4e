// The page-family modules: each holds its family's API and not the other's,
// and answers as the whole module (the contract's createDeskgate) does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDeskgate } from '../support/load-wasm.mjs';

const [whole, signin, records] = await Promise.all(
  ['deskgate', 'deskgate-signin', 'deskgate-records'].map((name) => loadDeskgate(name)));

test('the sign-in module checks passwords and draws QR codes, and keeps no list state', () => {
  for (const name of ['checkPassword', 'normalizePolicy', 'passwordExpiry', 'policyAdvice', 'passwordRules',
    'qrSvg', 'qrMatrix', 'portalAccessModes']) {
    assert.equal(typeof signin[name], 'function', name);
  }
  assert.equal(signin.AssetGrid, undefined);
  assert.equal(signin.parseRecordChange, undefined);
  const policy = { min_length: 12, require_digit: true };
  for (const password of ['short', 'correct horse battery', 'correct horse battery 9', 'password1234']) {
    assert.deepEqual(signin.checkPassword(policy, password, { email: 'jane@example.com' }),
      whole.checkPassword(policy, password, { email: 'jane@example.com' }), password);
  }
  assert.equal(signin.qrSvg('otpauth://totp/x?secret=JBSWY3DPEHPK3PXP', 'M'),
    whole.qrSvg('otpauth://totp/x?secret=JBSWY3DPEHPK3PXP', 'M'));
});

test('the records module keeps the list state and checks changes, and checks no passwords', () => {
  assert.equal(typeof records.AssetGrid, 'function');
  assert.equal(typeof records.parseRecordChange, 'function');
  assert.equal(records.checkPassword, undefined);
  assert.equal(records.qrSvg, undefined);
  for (const change of [{ impact: 'high' }, { location_id: null }, { impact: 'none' }, {}]) {
    const answer = (dg) => { try { return dg.parseRecordChange(change); } catch (e) { return e.message; } };
    assert.deepEqual(answer(records), answer(whole), JSON.stringify(change));
  }
  const grid = new records.AssetGrid();
  grid.loadPage(0, { total: 1, rows: [{ id: 1, name: 'Laptop', impact: 'low', location_id: null,
    managed_by_group_id: null, managed_by_agent_id: null, version: 1, updated_at: 0 }] });
  assert.equal(grid.total(), 1);
  grid.delete();
});
