// "Forgot your password?" through a real SMTP server: one answer whether or
// not the account exists, a single-use link mailed only to real accounts,
// the portal's policy and reuse history enforced, every session ended, the
// second factor still asked at the next sign-in, and audit entries.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addUser, apiClient, apiLogin, enrollTotp, PASSWORD, setMfa, startSmtpSink,
} from '../support/mfa.mjs';
import { startServer } from '../support/server.mjs';

const NEW_PASSWORD = 'copper meadow violin 58';
let sink;
let server;
let admin;

before(async () => {
  sink = await startSmtpSink();
  server = await startServer({ args: sink.args });
  addUser(server, { email: 'admin@example.com', name: 'Ada Admin', role: 'Administrator' });
  addUser(server, { email: 'forgetful@example.com', name: 'Fran Forgetful', role: 'Agent' });
  addUser(server, { portal: 'contact', email: 'carl@customer.example', name: 'Carl' });
  ({ client: admin } = await apiLogin(server, 'agent', 'admin@example.com'));
});

after(async () => {
  await server?.stop();
  await sink?.stop();
});

const tokenIn = (message) => {
  const match = message.body.match(/\/reset-password\.html#token=([\w-]+)/);
  assert.ok(match, `no reset link in: ${message.body}`);
  return match[1];
};

async function events(event) {
  const answer = await admin.call('GET', `/api/audit?event=${encodeURIComponent(event)}&limit=500`);
  assert.equal(answer.status, 200);
  return answer.body.events;
}

test('known and unknown addresses get the same answer; only a real account gets mail', async () => {
  const visitor = apiClient(server);
  const known = await visitor.call('POST', '/api/agent/password-reset', { email: 'Forgetful@Example.com' });
  const unknown = await visitor.call('POST', '/api/agent/password-reset', { email: 'nobody@example.com' });
  const wrongPortal = await visitor.call('POST', '/api/contact/password-reset', { email: 'forgetful@example.com' });
  for (const answer of [known, unknown, wrongPortal]) {
    assert.equal(answer.status, 202);
    assert.deepEqual(answer.body, known.body);
  }
  const message = await sink.waitForMessage('forgetful@example.com');
  assert.match(message.headers, /Subject: Reset your deskgate password/);
  assert.ok(tokenIn(message));
  await assert.rejects(sink.waitForMessage('nobody@example.com', 1500));
  assert.equal((await events('password.reset_requested')).length, 1);
  assert.equal((await events('password.reset_unknown')).length, 2);

  const bad = await visitor.call('POST', '/api/agent/password-reset', { email: 'not an address' });
  assert.equal(bad.status, 400);
});

test('the link sets a new password once, ends every session, and MFA is still asked', async () => {
  const { client: fran } = await apiLogin(server, 'agent', 'forgetful@example.com');
  await setMfa(admin, 'agent', { authenticator_app: true, enforcement: 'next_login' });
  await enrollTotp(fran, 'agent');
  const { client: franPhone } = await apiLogin(server, 'agent', 'forgetful@example.com');

  const visitor = apiClient(server);
  assert.equal((await visitor.call('POST', '/api/agent/password-reset', { email: 'forgetful@example.com' })).status, 202);
  const token = tokenIn(await sink.waitForMessage('forgetful@example.com'));
  const view = await visitor.call('POST', '/api/password-reset/lookup', { token });
  assert.equal(view.status, 200);
  assert.equal(view.body.email, 'forgetful@example.com');
  assert.equal(typeof view.body.policy, 'object');

  // The policy and the reuse history decide; refusals use nothing up.
  const weak = await visitor.call('POST', '/api/password-reset/complete', { token, password: 'short' });
  assert.equal(weak.status, 400);
  assert.match(weak.body.error, /^password: /);
  const done = await visitor.call('POST', '/api/password-reset/complete', { token, password: NEW_PASSWORD });
  assert.equal(done.status, 200, JSON.stringify(done.body));

  assert.equal((await fran.call('GET', '/api/me')).status, 401);
  assert.equal((await franPhone.call('GET', '/api/me')).status, 401);
  const old = await apiClient(server).call('POST', '/api/agent/login', { email: 'forgetful@example.com', password: PASSWORD });
  assert.equal(old.status, 401);
  const fresh = await apiClient(server).call('POST', '/api/agent/login',
    { email: 'forgetful@example.com', password: NEW_PASSWORD });
  assert.equal(fresh.status, 200);
  assert.equal(fresh.body.status, 'mfa_required');

  const reused = await visitor.call('POST', '/api/password-reset/complete', { token, password: 'another long passphrase 9' });
  assert.equal(reused.status, 403);
  assert.equal((await events('password.reset')).length, 1);
  await setMfa(admin, 'agent', { authenticator_app: false });
});

test('a newer link replaces the older one, and requests are limited per account and address', async () => {
  const visitor = apiClient(server);
  await visitor.call('POST', '/api/contact/password-reset', { email: 'carl@customer.example' });
  const first = tokenIn(await sink.waitForMessage('carl@customer.example'));
  await visitor.call('POST', '/api/contact/password-reset', { email: 'carl@customer.example' });
  const second = tokenIn(await sink.waitForMessage('carl@customer.example'));
  assert.equal((await visitor.call('POST', '/api/password-reset/lookup', { token: first })).status, 403);
  assert.equal((await visitor.call('POST', '/api/password-reset/lookup', { token: second })).status, 200);

  // A third mail within the window goes out; a fourth does not, and the
  // answer does not tell.
  await visitor.call('POST', '/api/contact/password-reset', { email: 'carl@customer.example' });
  await sink.waitForMessage('carl@customer.example');
  const fourth = await visitor.call('POST', '/api/contact/password-reset', { email: 'carl@customer.example' });
  assert.equal(fourth.status, 202);
  await assert.rejects(sink.waitForMessage('carl@customer.example', 1500));

  let throttled;
  for (let i = 0; i < 25 && !throttled; i += 1) {
    const answer = await visitor.call('POST', '/api/contact/password-reset', { email: `x${i}@customer.example` });
    if (answer.status === 429) throttled = answer;
  }
  assert.ok(throttled, 'requests from one address are limited');
  assert.equal(throttled.body.code, 'throttled');
});
