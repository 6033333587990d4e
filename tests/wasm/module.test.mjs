// The WebAssembly module's JavaScript API, loaded in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadDeskgate } from '../support/load-wasm.mjs';
import { WASM_DIR } from '../support/paths.mjs';

const dg = await loadDeskgate();

test('checkPassword returns ok, violations and every rule', () => {
  const result = dg.checkPassword({}, 'plum orchard lantern 42', { email: 'jane@example.com', name: 'Jane' });
  assert.equal(result.ok, true);
  assert.equal(result.length, 23);
  assert.deepEqual(result.violations, []);
  assert.deepEqual(Object.keys(result.rules), ['utf8', 'control_characters', 'min_length',
    'max_length', 'uppercase', 'lowercase', 'digit', 'symbol', 'common', 'personal_info', 'reuse']);
  assert.equal(result.rules.uppercase, 'off');
  assert.equal(result.rules.min_length, 'pass');
});

test('violations come with stable ids and messages', () => {
  const result = dg.checkPassword({ min_length: 10, require_digit: true }, 'sunshine', {});
  assert.equal(result.ok, false);
  assert.deepEqual(result.violations, [
    { rule: 'min_length', message: 'Use at least 10 characters.' },
    { rule: 'digit', message: 'Add a number.' },
    { rule: 'common', message: 'This password is one of the most common; choose one that is harder to guess.' },
  ]);
});

test('length counts code points, not UTF-16 units or bytes', () => {
  assert.equal(dg.checkPassword({}, '🔑🔑🔑', {}).length, 3);
  assert.equal(dg.checkPassword({}, 'e\u0301', {}).length, 2);
  assert.equal(dg.checkPassword({}, '日本語', {}).length, 3);
});

test('a lone surrogate is reported as invalid text', () => {
  const result = dg.checkPassword({}, 'abc\uD800defghijklmn', {});
  assert.equal(result.rules.utf8, 'fail');
  assert.equal(result.violations[0].rule, 'utf8');
});

test('missing policy fields take their defaults; unknown ones are errors naming the field', () => {
  assert.deepEqual(dg.normalizePolicy({ min_length: 14 }), {
    min_length: 14, max_length: 128, require_uppercase: false, require_lowercase: false,
    require_digit: false, require_symbol: false, expiry_days: 0, reuse_history: 0,
  });
  assert.throws(() => dg.checkPassword({ min_lenght: 14 }, 'x', {}), /policy: unknown field "min_lenght"/);
  assert.throws(() => dg.checkPassword({ max_length: 10 }, 'x', {}), /max_length: must be an integer from 64 to 1024/);
  assert.throws(() => dg.checkPassword({ require_digit: 'yes' }, 'x', {}), /require_digit: must be true or false/);
  assert.throws(() => dg.checkPassword({}, 'x', { phone: '1' }), /context: unknown field "phone"/);
  assert.throws(() => dg.checkPassword({}, 42, {}), TypeError);
  assert.throws(() => dg.checkPassword([], 'x', {}), TypeError);
});

test('the reuse rule is unchecked in the browser and judged with a match', () => {
  const policy = { reuse_history: 3 };
  const status = (ctx) => dg.checkPassword(policy, 'plum orchard lantern', ctx).rules.reuse;
  assert.equal(status({}), 'unchecked');
  assert.equal(status({ reuse_match: 2 }), 'fail');
  assert.equal(status({ reuse_match: 0 }), 'pass');
});

test('passwordRules gives the checklist labels for a policy', () => {
  const rules = dg.passwordRules({ min_length: 16, require_symbol: true });
  assert.deepEqual(rules.map((r) => r.rule), Object.keys(dg.checkPassword({}, 'x', {}).rules));
  assert.deepEqual(rules.find((r) => r.rule === 'min_length'),
    { rule: 'min_length', label: 'At least 16 characters', enabled: true });
  assert.equal(rules.find((r) => r.rule === 'symbol').enabled, true);
  assert.equal(rules.find((r) => r.rule === 'digit').enabled, false);
  assert.throws(() => dg.passwordRules({ min_length: 2 }), /min_length/);
});

test('portalAccessModes lists each portal\'s modes, which need single sign-on and which take passwords', () => {
  assert.deepEqual(dg.portalAccessModes('agent'), [
    { mode: 'password', needs_sso: false, allows_password: true },
    { mode: 'sso', needs_sso: true, allows_password: false },
    { mode: 'both', needs_sso: true, allows_password: true }]);
  assert.deepEqual(dg.portalAccessModes('contact').filter((m) => !m.allows_password).map((m) => m.mode), ['sso_only']);
  assert.deepEqual(dg.portalAccessModes('contact').map((m) => m.mode), ['email_only', 'sso_only', 'microsoft_and_email']);
  assert.throws(() => dg.portalAccessModes('robot'), /portal: must be agent or contact/);
});

test('policyAdvice and passwordExpiry', () => {
  assert.deepEqual(dg.policyAdvice({}), []);
  assert.deepEqual(dg.policyAdvice({ expiry_days: 30 }).map((a) => a.field), ['expiry_days']);
  const day = 86400;
  assert.deepEqual(dg.passwordExpiry({ expiry_days: 10 }, 1000, 1000 + 3 * day), {
    expires: true, expired: false, expires_at: 1000 + 10 * day, days_left: 7,
  });
  assert.equal(dg.passwordExpiry({}, 0, 1e9).expires, false);
});

test('the module is an ES module with the createDeskgate factory', () => {
  const js = fs.readFileSync(path.join(WASM_DIR, 'deskgate.js'), 'utf8');
  assert.match(js, /export default createDeskgate/);
  assert.doesNotMatch(js, /new Function|\beval\(/, 'runs under a CSP without unsafe-eval');
});

test('qrSvg and qrMatrix draw symbols and refuse what cannot be drawn', () => {
  const svg = dg.qrSvg('hello', 'M', 'Scan <me>');
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 29 29" shape-rendering="crispEdges"/);
  assert.match(svg, /<title>Scan &lt;me&gt;<\/title>/);
  const m = dg.qrMatrix('hello', 'H');
  assert.equal(m.version, 1);
  assert.equal(m.size, 21);
  assert.ok(m.modules instanceof Uint8Array);
  assert.equal(m.modules.length, 441);
  assert.equal(m.modules[0], 1, 'top-left finder corner is dark');
  assert.equal(dg.qrVersion('x'.repeat(2953), 'L'), 40);
  assert.equal(dg.qrVersion('x'.repeat(2954), 'L'), -1);
  assert.throws(() => dg.qrSvg('x'.repeat(2954), 'L'), /too long for a QR code at level L \(2954 bytes\)/);
  assert.throws(() => dg.qrMatrix('x', 'Z'), /must be L, M, Q or H/);
  assert.throws(() => dg.qrSvg(42), TypeError);
});
