// The MFA rules the pages run (the sign-in module) against the running
// server: the issuer rule answers as a settings PUT does, the one-time code
// shape as shared/'s, the recovery-code count as the security page's API,
// and "this save ends sessions" as the server's own decision to end them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadDeskgate } from '../support/load-wasm.mjs';
import { startServer } from '../support/server.mjs';
import { addUser, apiLogin } from '../support/mfa.mjs';

const dg = await loadDeskgate('deskgate-signin');
let server;
let admin;

before(async () => {
  server = await startServer();
  addUser(server, { email: 'admin@example.com', role: 'Administrator' });
  addUser(server, { email: 'agent@example.com', role: 'Agent' });
  ({ client: admin } = await apiLogin(server, 'agent', 'admin@example.com'));
});
after(() => server?.stop());

async function putMfa(fields) {
  const current = await admin.call('GET', '/api/settings/authentication/agent');
  return admin.call('PUT', '/api/settings/authentication/agent',
    { ...current.body, mfa: { ...current.body.mfa, ...fields } });
}

test('the issuer rule: the page refuses what the server refuses, with its words', async () => {
  const issuers = ['', '   ', 'Acme:Desk', 'Acme\u0007', 'A'.repeat(64), 'A'.repeat(65), 'é'.repeat(64),
    ' Acme Helpdesk ', 'Acme Helpdesk', '\u200bAcme', 'x\ud83d\ude00'];
  for (const issuer of issuers) {
    const problem = dg.issuerProblem(issuer);
    const saved = await putMfa({ issuer });
    if (problem === null) {
      assert.equal(saved.status, 200, `${JSON.stringify(issuer)}: ${JSON.stringify(saved.body)}`);
    } else {
      assert.equal(saved.status, 400, JSON.stringify(issuer));
      assert.equal(saved.body.error, `mfa.${problem}`, JSON.stringify(issuer));
      assert.equal(saved.body.code, 'invalid_argument');
    }
  }
});

test('the code shape and the recovery-code count come from shared/', async () => {
  for (const code of ['123456', '000000', '12345', '1234567', '12 456', '١٢٣٤٥٦', 'abcdef', '']) {
    assert.equal(dg.isOneTimeCode(code), /^[0-9]{6}$/.test(code), JSON.stringify(code));
  }
  const rules = dg.mfaRules();
  assert.equal(rules.code_digits, 6);
  const status = await admin.call('GET', '/api/mfa');
  assert.equal(status.status, 200, JSON.stringify(status.body));
  assert.equal(status.body.recovery_codes.per_set, rules.recovery_code_count);
});

test('"this save ends sessions" is the server\'s decision, told in advance', async () => {
  const off = { authenticator_app: false, email_otp: false, enforcement: 'immediately' };
  const cases = [
    [off, { ...off, authenticator_app: true, enforcement: 'immediately' }],
    [off, { ...off, authenticator_app: true, enforcement: 'next_login' }],
    [off, { ...off, email_otp: true, enforcement: 'immediately' }],
    [off, { ...off, enforcement: 'next_login' }],
    [{ ...off, enforcement: 'next_login' }, { ...off, email_otp: true, authenticator_app: true }],
  ];
  for (const [from, to] of cases) {
    assert.equal((await putMfa(from)).status, 200);
    const { client: agent } = await apiLogin(server, 'agent', 'agent@example.com');
    assert.equal((await agent.call('GET', '/api/me')).status, 200);
    assert.equal((await putMfa(to)).status, 200);
    const ended = (await agent.call('GET', '/api/me')).status === 401;
    assert.equal(dg.mfaChangeEndsSessions(from, to), ended, `${JSON.stringify(from)} → ${JSON.stringify(to)}`);
  }
  await putMfa(off);
});
