// Single sign-on against a real OpenID provider (npm oidc-provider) over
// HTTPS with a throwaway CA: provider settings, the SSO-only lockout guard,
// account linking, every kind of untrustworthy ID token, state handling,
// MFA only for passwords, contacts created on first sign-in, sessions and
// logout. The provider's token responses are altered on request to make
// the bad tokens (tests/support/oidc_provider.mjs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addRole, addUser, PASSWORD, startSmtpSink, totpCode } from '../support/mfa.mjs';
import { startServer } from '../support/server.mjs';
import {
  confirmLinkWithPassword, linkAccount, startAtProvider, ssoSignIn, startSsoWorld, Visitor,
} from '../support/sso.mjs';

const clockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskgate-clock-'));
const clockFile = path.join(clockDir, 'offset');
fs.writeFileSync(clockFile, '0');
const setClock = (seconds) => fs.writeFileSync(clockFile, String(seconds));

const accounts = [
  { sub: 'sub-ada', email: 'admin@example.com', name: 'Ada Admin' },
  { sub: 'sub-bo', email: 'bo@example.com', name: 'Bo Admin' },
  { sub: 'sub-dee', email: 'dee@example.com', name: 'Dee Admin' },
  { sub: 'sub-sam', email: 'sam@example.com', name: 'Sam Agent' },
  { sub: 'sub-tina', email: 'tina@example.com', name: 'Tina Agent' },
  { sub: 'sub-mallory', email: 'mallory@example.com', name: 'Mallory' },
  { sub: 'sub-unverified', email: 'uma@example.com', name: 'Uma', email_verified: false },
  { sub: 'sub-carol', email: 'carol@example.org', name: 'Carol Contact' },
  { sub: 'sub-newbie', email: 'newbie@example.org', name: 'Nell Newbie' },
  { sub: 'sub-pat', email: 'pat.private@example.net', name: 'Pat at home' },
];

let world;
let sink;
let admin;
let otherAdmin;

async function signedInAdmin(server, email) {
  const visitor = new Visitor(server);
  const login = await visitor.call('POST', '/api/agent/login', { email, password: PASSWORD });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return visitor;
}

async function putSettings(portal, body, who = admin) {
  return who.call('PUT', `/api/settings/authentication/${portal}`, body);
}

async function events(event) {
  const answer = await admin.call('GET', `/api/audit?event=${encodeURIComponent(event)}&limit=500`);
  assert.equal(answer.status, 200);
  return answer.body.events;
}

// The next message to `to` whose subject matches, skipping others (notices).
async function mailTo(to, subject) {
  for (;;) {
    const message = await sink.waitForMessage(to);
    if (subject.test(message.headers)) return message;
  }
}

async function me(visitor) {
  return visitor.call('GET', '/api/me');
}

before(async () => {
  sink = await startSmtpSink();
  world = await startSsoWorld({ accounts, serverArgs: ['--clock-file', clockFile, ...sink.args] });
  const { server } = world;
  addUser(server, { email: 'admin@example.com', name: 'Ada Admin', role: 'Administrator' });
  addUser(server, { email: 'bo@example.com', name: 'Bo Admin', role: 'Administrator' });
  addUser(server, { email: 'dee@example.com', name: 'Dee Admin', role: 'Administrator' });
  addUser(server, { email: 'sam@example.com', name: 'Sam Agent', role: 'Agent' });
  addUser(server, { email: 'tina@example.com', name: 'Tina Agent', role: 'Agent' });
  addUser(server, { email: 'uma@example.com', name: 'Uma Agent', role: 'Agent' });
  addUser(server, { portal: 'contact', email: 'carol@example.org', name: 'Carol' });
  admin = await signedInAdmin(server, 'admin@example.com');
  otherAdmin = await signedInAdmin(server, 'bo@example.com');
});

after(async () => {
  await world?.stop();
  await sink?.stop();
  fs.rmSync(clockDir, { recursive: true, force: true });
});

test('outbound HTTPS verifies the provider certificate', async () => {
  // The same provider, from a server that was not given its CA.
  const server = await startServer({ args: ['--sso-allow-private-networks'] });
  try {
    addUser(server, { email: 'admin@example.com', name: 'Ada Admin', role: 'Administrator' });
    const visitor = await signedInAdmin(server, 'admin@example.com');
    const saved = await visitor.call('PUT', '/api/settings/sso/agent', world.provider('agent'));
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const start = await visitor.call('POST', '/api/agent/sso/start', { purpose: 'test' });
    assert.equal(start.status, 409);
    assert.match(start.body.error, /certificate|SSL/i);
  } finally {
    await server.stop();
  }
});

test('provider settings: the secret is sealed and never shown; the redirect URL is given', async () => {
  const none = await admin.call('GET', '/api/settings/sso/agent');
  assert.equal(none.status, 200);
  assert.equal(none.body.configured, false);
  assert.equal(none.body.redirect_url, `${world.server.url}/api/agent/sso/callback`);

  // Bad settings change nothing and name the field.
  const bad = await admin.call('PUT', '/api/settings/sso/agent',
    { ...world.provider('agent'), issuer: 'http://127.0.0.1:1' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error, /^issuer: /);
  assert.equal((await admin.call('GET', '/api/settings/sso/agent')).body.configured, false);
  const agentCreation = await admin.call('PUT', '/api/settings/sso/agent',
    world.provider('agent', { create_contacts: true }));
  assert.equal(agentCreation.status, 400);
  assert.match(agentCreation.body.error, /^create_contacts: agents are never created/);

  const saved = await admin.call('PUT', '/api/settings/sso/agent', world.provider('agent'));
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.equal(saved.body.configured, true);
  assert.equal(saved.body.client_secret_set, true);
  assert.equal(saved.body.provider.issuer, world.op.issuer);
  assert.equal(saved.body.tested, null);
  const secret = world.clients.agent.client_secret;
  assert.ok(!JSON.stringify(saved.body).includes(secret));
  for (const file of [world.server.dbPath, `${world.server.dbPath}-wal`]) {
    if (fs.existsSync(file)) assert.ok(!fs.readFileSync(file).includes(secret), `secret in ${file}`);
  }
  const audit = await events('settings.sso.changed');
  assert.equal(audit.length, 1);
  assert.ok(!JSON.stringify(audit).includes(secret));

  // Only admins with Access to Agent & Contact Authentication.
  const sam = await signedInAdmin(world.server, 'sam@example.com');
  assert.equal((await sam.call('GET', '/api/settings/sso/agent')).status, 403);
  assert.equal((await sam.call('PUT', '/api/settings/sso/agent', world.provider('agent'))).status, 403);
  assert.equal((await sam.call('POST', '/api/agent/sso/start', { purpose: 'test' })).status, 403);
  assert.equal((await new Visitor(world.server).call('GET', '/api/settings/sso/agent')).status, 401);
});

test('a password-only portal offers no single sign-on', async () => {
  const options = await new Visitor(world.server).call('GET', '/api/agent/login-options');
  assert.deepEqual(options.body, { password: true, sso: false, sso_label: '' });
  const start = await new Visitor(world.server).call('POST', '/api/agent/sso/start', {});
  assert.equal(start.status, 409);
});

test('switching to SSO-only needs a test sign-in by the admin making the change', async () => {
  const refused = await putSettings('agent', { portal_access: { mode: 'sso' } });
  assert.equal(refused.status, 400);
  assert.match(refused.body.error, /^portal_access\.mode: complete a Test sign-in/);

  // A test in which the provider signs in someone else does not count.
  const wrong = await ssoSignIn(admin, world.op, 'agent', 'sam@example.com', { purpose: 'test' });
  assert.equal(wrong.target.pathname, '/settings/authentication.html');
  assert.equal(wrong.target.searchParams.get('sso_test'), 'failed');
  assert.equal(wrong.target.searchParams.get('sso_reason'), 'test');
  // The explanation waits on the server for this admin (a link cannot put words there).
  const failure = (await admin.call('GET', '/api/settings/sso/agent')).body.last_test_failure;
  assert.match(failure.message, /signed you in as sam@example.com, which is not your account/);
  assert.equal((await otherAdmin.call('GET', '/api/settings/sso/agent')).body.last_test_failure, undefined);

  // Another admin's test does not vouch for this admin.
  const bo = await ssoSignIn(otherAdmin, world.op, 'agent', 'bo@example.com', { purpose: 'test' });
  assert.equal(bo.target.searchParams.get('sso_test'), 'ok');
  assert.equal(bo.sessionSet, false, 'a test signs nobody in');
  assert.equal((await putSettings('agent', { portal_access: { mode: 'sso' } })).status, 400);

  const ada = await ssoSignIn(admin, world.op, 'agent', 'admin@example.com', { purpose: 'test' });
  assert.equal(ada.target.searchParams.get('sso_test'), 'ok');
  // Signed in here and back from the provider as themselves: each admin's test links them.
  const linkedByTest = (await events('sso.linked')).filter((e) => e.details.matched_by === 'test');
  assert.deepEqual(linkedByTest.map((e) => e.target).sort(), ['admin@example.com', 'bo@example.com']);
  const status = await admin.call('GET', '/api/settings/sso/agent');
  assert.equal(status.body.tested.by, 'admin@example.com');
  assert.equal(status.body.tested.valid_until, status.body.tested.at + 24 * 3600);
  // Saving the same settings (no new secret) keeps the test.
  const { client_secret: _, ...sameSettings } = world.provider('agent');
  const resaved = await admin.call('PUT', '/api/settings/sso/agent', sameSettings);
  assert.equal(resaved.body.tested.by, 'admin@example.com');
  assert.equal(resaved.body.client_secret_set, true);
  const switched = await putSettings('agent', { portal_access: { mode: 'sso' } });
  assert.equal(switched.status, 200, JSON.stringify(switched.body));
  assert.equal((await events('sso.test_succeeded')).length, 2);

  // SSO-only: passwords are refused before they are checked.
  const options = await new Visitor(world.server).call('GET', '/api/agent/login-options');
  assert.deepEqual(options.body, { password: false, sso: true, sso_label: 'single sign-on' });
  const password = await new Visitor(world.server).call('POST', '/api/agent/login',
    { email: 'sam@example.com', password: PASSWORD });
  assert.equal(password.status, 403);
  assert.match(password.body.error, /single sign-on only/);

  // While SSO-only, the provider cannot be swapped out from under everyone;
  // a new secret is fine, and clears the test.
  const swap = await admin.call('PUT', '/api/settings/sso/agent',
    world.provider('agent', { client_id: 'some-other-app' }));
  assert.equal(swap.status, 400);
  assert.match(swap.body.error, /single sign-on only/);
  const rotated = await admin.call('PUT', '/api/settings/sso/agent', world.provider('agent'));
  assert.equal(rotated.status, 200);
  assert.equal(rotated.body.tested, null);
  const remove = await admin.call('DELETE', '/api/settings/sso/agent');
  assert.equal(remove.status, 409);

  // Back to both; going SSO-only again needs a new test.
  assert.equal((await putSettings('agent', { portal_access: { mode: 'both' } })).status, 200);
  assert.equal((await putSettings('agent', { portal_access: { mode: 'sso' } })).status, 400);
});

test('the first sign-in of an existing account waits for its holder; later ones find the subject', async () => {
  // The provider says "sam@example.com, verified": that alone signs nobody in.
  const sam = new Visitor(world.server);
  const first = await ssoSignIn(sam, world.op, 'agent', 'sam@example.com');
  assert.equal(first.target.pathname, '/login/agent.html');
  assert.equal(first.target.searchParams.get('sso_link'), 'pending');
  assert.equal(first.sessionSet, false);
  assert.equal((await me(sam)).status, 401);
  const pending = await sam.call('GET', '/api/agent/sso/link');
  assert.deepEqual(pending.body, { pending: true, email: 's•••@example.com', password: true, mailed: true });
  assert.deepEqual((await new Visitor(world.server).call('GET', '/api/agent/sso/link')).body, { pending: false });

  // Another browser, another person, or a session from before the provider
  // sign-in cannot confirm it.
  const elsewhere = await signedInAdmin(world.server, 'sam@example.com');
  assert.equal((await elsewhere.call('POST', '/api/agent/sso/link/confirm', {})).status, 404);
  const tinaHere = new Visitor(world.server);
  tinaHere.cookies = new Map(sam.cookies);  // Sam's browser, Tina signs in
  await tinaHere.call('POST', '/api/agent/login', { email: 'tina@example.com', password: PASSWORD });
  assert.equal((await tinaHere.call('POST', '/api/agent/sso/link/confirm', {})).status, 404);
  const earlier = new Visitor(world.server);
  await earlier.call('POST', '/api/agent/login', { email: 'sam@example.com', password: PASSWORD });
  await ssoSignIn(earlier, world.op, 'agent', 'sam@example.com');
  assert.equal((await earlier.call('POST', '/api/agent/sso/link/confirm', {})).status, 404);

  // Sam signs in with his password in that browser: the link is his.
  await confirmLinkWithPassword(sam, 'agent', 'sam@example.com', PASSWORD);
  const linked = (await events('sso.linked')).find((e) => e.target === 'sam@example.com');
  assert.equal(linked.details.matched_by, 'password');
  assert.equal((await sam.call('POST', '/api/agent/sso/link/confirm', {})).status, 404, 'once');
  const again = new Visitor(world.server);
  const second = await ssoSignIn(again, world.op, 'agent', 'sam@example.com');
  assert.equal(second.target.pathname, '/home.html');
  assert.ok(second.sessionSet);
  assert.equal((await me(again)).body.email, 'sam@example.com');
  let logins = (await events('login.success')).filter((e) => e.details.method === 'sso');
  assert.equal(logins[0].details.matched_by, 'subject');

  // The email changes at the provider: the subject still finds Sam.
  world.op.addAccount({ sub: 'sub-sam', email: 'sam.renamed@example.com', name: 'Sam Agent' });
  const renamed = new Visitor(world.server);
  await ssoSignIn(renamed, world.op, 'agent', 'sam.renamed@example.com');
  assert.equal((await me(renamed)).body.email, 'sam@example.com');
  logins = (await events('login.success')).filter((e) => e.details.method === 'sso');
  assert.equal(logins[0].details.matched_by, 'subject');

  // Someone else takes Sam's old address at the provider: Sam's account
  // answers to Sam's subject only.
  world.op.addAccount({ sub: 'sub-mallory', email: 'sam@example.com', name: 'Mallory' });
  const mallory = new Visitor(world.server);
  const takeover = await ssoSignIn(mallory, world.op, 'agent', 'sam@example.com');
  assert.equal(takeover.target.pathname, '/login/agent.html');
  assert.equal(takeover.target.searchParams.get('sso_error'), 'account');
  assert.equal(takeover.sessionSet, false);
  assert.equal((await me(mallory)).status, 401);
  world.op.addAccount({ sub: 'sub-mallory', email: 'mallory@example.com', name: 'Mallory' });

  // No agent account: agents are never created by single sign-on.
  const stranger = await ssoSignIn(new Visitor(world.server), world.op, 'agent', 'mallory@example.com');
  assert.equal(stranger.target.searchParams.get('sso_error'), 'account');
  // An address the provider does not vouch for links nothing.
  const unverified = await ssoSignIn(new Visitor(world.server), world.op, 'agent', 'uma@example.com');
  assert.equal(unverified.target.searchParams.get('sso_error'), 'account');
  const refusals = (await events('sso.refused')).map((e) => e.details.message);
  assert.ok(refusals.some((m) => /linked to another identity/.test(m)));
  assert.ok(refusals.some((m) => /no agent account uses mallory@example.com/.test(m)));
  assert.ok(refusals.some((m) => /did not confirm an email/.test(m)));
});

test('a provider that asserts an Administrator\'s email takes nothing: the mailed link needs that browser', async () => {
  // The situation of a provider controlled by someone else: it claims Dee,
  // an Administrator, with a verified email.
  const attacker = new Visitor(world.server);
  const claim = await ssoSignIn(attacker, world.op, 'agent', 'dee@example.com');
  assert.equal(claim.target.searchParams.get('sso_link'), 'pending');
  assert.equal(claim.sessionSet, false);
  // Dee is told, at his own address; the link works only in the browser
  // that signed in at the provider.
  const mail = await mailTo('dee@example.com', /Subject: Confirm your single sign-on/);
  const token = mail.body.match(/#sso_link=([A-Za-z0-9_-]{43})/)[1];
  const deesBrowser = new Visitor(world.server);
  const fromDee = await deesBrowser.call('POST', '/api/agent/sso/link/confirm', { token });
  assert.equal(fromDee.status, 404);
  assert.equal((await me(deesBrowser)).status, 401);
  // Without the mailbox, the browser that signed in gets nothing either.
  const guessed = await attacker.call('POST', '/api/agent/sso/link/confirm', { token: 'x'.repeat(43) });
  assert.equal(guessed.status, 404);
  assert.equal((await me(attacker)).status, 401);
  // Both together (the holder, in the browser they used): signed in and linked.
  const both = await attacker.call('POST', '/api/agent/sso/link/confirm', { token });
  assert.equal(both.status, 200, JSON.stringify(both.body));
  assert.equal((await me(attacker)).body.email, 'dee@example.com');
  const login = (await events('login.success')).find((e) => e.details.matched_by === 'mail');
  assert.equal(login.target, 'dee@example.com');
  assert.equal((await attacker.call('POST', '/api/agent/sso/link/confirm', { token })).status, 404, 'once');
});

test('untrustworthy ID tokens are refused and create, link and change nothing', async () => {
  const cases = [
    ['signature', 'signature'],
    ['alg_none', 'signature'],
    ['audience', 'audience'],
    ['issuer', 'issuer'],
    ['expired', 'expired'],
    ['nonce', 'nonce'],
    [{ claims: { iat: Math.floor(Date.now() / 1000) + 3600 } }, 'expired'],
  ];
  const successes = (await events('login.success')).length;
  for (const [mutation, reason] of cases) {
    const tina = new Visitor(world.server);
    const answer = await ssoSignIn(tina, world.op, 'agent', 'tina@example.com', { mutation });
    const label = JSON.stringify(mutation);
    assert.equal(answer.target.pathname, '/login/agent.html', label);
    assert.equal(answer.target.searchParams.get('sso_error'), reason, label);
    assert.equal(answer.sessionSet, false, label);
    assert.equal((await me(tina)).status, 401, label);
  }

  // A key id the provider never published: one refetch of its keys, then refused.
  const before = world.op.jwksRequests;
  const unknown = await ssoSignIn(new Visitor(world.server), world.op, 'agent', 'tina@example.com',
    { mutation: 'unknown_kid' });
  assert.equal(unknown.target.searchParams.get('sso_error'), 'signature');
  assert.equal(world.op.jwksRequests, before + 1);

  assert.equal((await events('login.success')).length, successes, 'no one signed in');
  const refused = (await events('sso.refused')).slice(0, cases.length + 1);
  assert.deepEqual(new Set(refused.map((e) => e.details.reason)),
    new Set(['signature', 'audience', 'issuer', 'expired', 'nonce']));

  // Nothing was linked: Tina's first good sign-in still waits for her, and she confirms it.
  const tina = new Visitor(world.server);
  await linkAccount(tina, world.op, 'agent', 'tina@example.com', PASSWORD);
  const linked = (await events('sso.linked')).find((e) => e.target === 'tina@example.com');
  assert.equal(linked.details.matched_by, 'password');
});

test('a rotated key is fetched once and accepted', async () => {
  world.op.publishExtraKey();
  const before = world.op.jwksRequests;
  const sam = new Visitor(world.server);
  const answer = await ssoSignIn(sam, world.op, 'agent', 'sam.renamed@example.com',
    { mutation: 'extra_key' });
  assert.equal(answer.target.pathname, '/home.html');
  assert.equal(world.op.jwksRequests, before + 1);
  assert.equal((await me(sam)).body.email, 'sam@example.com');
});

test('a state works once, in the browser that began it, for ten minutes', async () => {
  const sam = new Visitor(world.server);
  const callback = await startAtProvider(sam, world.op, 'agent', 'sam.renamed@example.com');
  // Another browser (someone handed the link) gets nothing, and uses the state up.
  const other = await new Visitor(world.server).visitCallback(callback);
  assert.equal(other.target.searchParams.get('sso_error'), 'browser');
  assert.equal(other.sessionSet, false);
  const replay = await sam.visitCallback(callback);
  assert.equal(replay.target.searchParams.get('sso_error'), 'state');

  const fresh = await startAtProvider(sam, world.op, 'agent', 'sam.renamed@example.com');
  assert.equal((await sam.visitCallback(fresh)).target.pathname, '/home.html');
  const again = await sam.visitCallback(fresh);
  assert.equal(again.target.searchParams.get('sso_error'), 'state');
  assert.equal(again.sessionSet, false);

  const slow = new Visitor(world.server);
  const late = await startAtProvider(slow, world.op, 'agent', 'sam.renamed@example.com');
  setClock(601);
  try {
    const expired = await slow.visitCallback(late);
    assert.equal(expired.target.searchParams.get('sso_error'), 'state');
  } finally {
    setClock(0);
  }

  // A provider error comes back as such.
  const start = await sam.call('POST', '/api/agent/sso/start', {});
  const state = new URL(start.body.url).searchParams.get('state');
  const denied = await sam.visitCallback(
    `${world.server.url}/api/agent/sso/callback?error=access_denied&state=${state}`);
  assert.equal(denied.target.searchParams.get('sso_error'), 'provider');
});

test('MFA applies to password sign-in in mode both, never to single sign-on', async () => {
  const saved = await putSettings('agent', {
    portal_access: { mode: 'both' },
    mfa: { authenticator_app: true, enforcement: 'next_login' },
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const password = await new Visitor(world.server).call('POST', '/api/agent/login',
    { email: 'tina@example.com', password: PASSWORD });
  assert.equal(password.status, 200);
  assert.equal(password.body.status, 'mfa_setup_required');

  const tina = new Visitor(world.server);
  const sso = await ssoSignIn(tina, world.op, 'agent', 'tina@example.com');
  assert.equal(sso.target.pathname, '/home.html');
  assert.equal((await me(tina)).status, 200);
  assert.equal((await putSettings('agent', { portal_access: { mode: 'both' } })).status, 200);
});

test('a password sign-in still in its second step does not finish once the portal is SSO-only', async () => {
  assert.equal((await putSettings('agent', {
    portal_access: { mode: 'both' }, mfa: { authenticator_app: true },
  })).status, 200);
  const uma = new Visitor(world.server);
  const login = await uma.call('POST', '/api/agent/login', { email: 'uma@example.com', password: PASSWORD });
  assert.equal(login.body.status, 'mfa_setup_required');
  const setup = await uma.call('POST', '/api/agent/mfa/totp/setup');
  assert.equal(setup.status, 200);

  const test = await ssoSignIn(admin, world.op, 'agent', 'admin@example.com', { purpose: 'test' });
  assert.equal(test.target.searchParams.get('sso_test'), 'ok');
  assert.equal((await putSettings('agent', {
    portal_access: { mode: 'sso' }, mfa: { authenticator_app: true },
  })).status, 200);
  const confirm = await uma.call('POST', '/api/agent/mfa/totp/confirm', { code: totpCode(setup.body.secret) });
  assert.equal(confirm.status, 403);
  assert.match(confirm.body.error, /single sign-on only/);
  assert.equal((await me(uma)).status, 401);
  assert.equal((await putSettings('agent', { portal_access: { mode: 'both' }, mfa: {} })).status, 200);
});

test('contacts: linked by email, created on first sign-in only when allowed', async () => {
  const needsProvider = await putSettings('contact', { portal_access: { mode: 'microsoft_and_email' } });
  assert.equal(needsProvider.status, 400);
  assert.match(needsProvider.body.error, /configure an identity provider first/);
  assert.equal((await admin.call('PUT', '/api/settings/sso/contact', world.provider('contact'))).status, 200);
  assert.equal((await putSettings('contact', { portal_access: { mode: 'microsoft_and_email' } })).status, 200);

  // An Administrator trusts this provider's emails for contacts: Carol
  // links at her first sign-in.
  assert.equal((await admin.call('PUT', '/api/settings/sso/contact',
    world.provider('contact', { link_by_email: true }))).status, 200);
  const carol = new Visitor(world.server);
  assert.equal((await ssoSignIn(carol, world.op, 'contact', 'carol@example.org')).target.pathname, '/home.html');
  assert.equal((await events('login.success')).find((e) => e.target === 'carol@example.org').details.matched_by,
    'email');
  const carolMe = await me(carol);
  assert.equal(carolMe.body.portal, 'contact');
  assert.equal(carolMe.body.email, 'carol@example.org');

  const newbie = new Visitor(world.server);
  const refused = await ssoSignIn(newbie, world.op, 'contact', 'newbie@example.org');
  assert.equal(refused.target.searchParams.get('sso_error'), 'account');
  assert.equal((await events('contact.created_by_sso')).length, 0);

  assert.equal((await admin.call('PUT', '/api/settings/sso/contact',
    world.provider('contact', { create_contacts: true, link_by_email: true }))).status, 200);
  const created = await ssoSignIn(newbie, world.op, 'contact', 'newbie@example.org');
  assert.equal(created.target.pathname, '/home.html');
  const newbieMe = await me(newbie);
  assert.equal(newbieMe.body.email, 'newbie@example.org');
  assert.equal(newbieMe.body.name, 'Nell Newbie');
  assert.equal((await events('contact.created_by_sso')).length, 1);
  // Created once; the next sign-in finds the same contact by subject.
  const again = new Visitor(world.server);
  await ssoSignIn(again, world.op, 'contact', 'newbie@example.org');
  assert.equal((await me(again)).body.id, newbieMe.body.id);
  assert.equal((await events('contact.created_by_sso')).length, 1);
  // An agent-portal identity is not a contact-portal one.
  const agentSide = await ssoSignIn(new Visitor(world.server), world.op, 'agent', 'newbie@example.org');
  assert.equal(agentSide.target.searchParams.get('sso_error'), 'account');
});

test('a deactivated account signs in through the provider no more, until reactivated', async () => {
  const carol = new Visitor(world.server);
  assert.equal((await ssoSignIn(carol, world.op, 'contact', 'carol@example.org')).target.pathname, '/home.html');
  const carolId = (await me(carol)).body.id;
  const off = await admin.call('POST', `/api/people/${carolId}/deactivate`, {});
  assert.equal(off.status, 200);
  assert.equal((await me(carol)).status, 401);

  const refused = await ssoSignIn(new Visitor(world.server), world.op, 'contact', 'carol@example.org');
  assert.equal(refused.target.pathname, '/login/contact.html');
  assert.equal(refused.target.searchParams.get('sso_error'), 'deactivated');
  assert.equal((await events('sso.refused')).filter((e) => e.details.reason === 'deactivated').length, 1);

  assert.equal((await admin.call('POST', `/api/people/${carolId}/reactivate`, {})).status, 200);
  const back = new Visitor(world.server);
  assert.equal((await ssoSignIn(back, world.op, 'contact', 'carol@example.org')).target.pathname, '/home.html');
  assert.equal((await me(back)).body.id, carolId);
  const row = await admin.call('GET', `/api/people/${carolId}`);
  assert.equal(row.body.sso_linked, true);
  assert.equal(row.body.last_sign_in.method, 'sso');
});

test('SSO sessions time out like others; logout offers the provider end-session', async () => {
  const sam = new Visitor(world.server);
  await ssoSignIn(sam, world.op, 'agent', 'sam.renamed@example.com');
  const out = await sam.call('POST', '/api/logout');
  assert.equal(out.status, 200);
  const endSession = new URL(out.body.end_session_url);
  assert.equal(`${endSession.origin}${endSession.pathname}`, `${world.op.issuer}/session/end`);
  assert.equal(endSession.searchParams.get('client_id'), 'deskgate-agent');
  assert.equal(endSession.searchParams.get('post_logout_redirect_uri'),
    `${world.server.url}/login/agent.html`);
  assert.equal((await me(sam)).status, 401);

  // A password session has no provider to sign out of.
  const bo = await signedInAdmin(world.server, 'bo@example.com');
  const boOut = await bo.call('POST', '/api/logout');
  assert.equal(boOut.body.end_session_url, undefined);

  // The portal's inactivity timeout (30 minutes by default) ends SSO sessions too.
  const idle = new Visitor(world.server);
  await ssoSignIn(idle, world.op, 'agent', 'sam.renamed@example.com');
  assert.equal((await me(idle)).status, 200);
  setClock(31 * 60);
  try {
    assert.equal((await me(idle)).status, 401);
  } finally {
    setClock(0);
  }
});

test('another provider or application asks for the secret again, and links start over', async () => {
  const { client_secret: _, ...withoutSecret } = world.provider('agent', { client_id: 'another-app' });
  const refused = await admin.call('PUT', '/api/settings/sso/agent', withoutSecret);
  assert.equal(refused.status, 400);
  assert.match(refused.body.error, /^client_secret: enter the client secret again/);
  // Another application, then back: Sam's link went with the first change,
  // so his next sign-in links by email again.
  assert.equal((await admin.call('PUT', '/api/settings/sso/agent',
    world.provider('agent', { client_id: 'another-app', client_secret: 'x' }))).status, 200);
  assert.equal((await admin.call('PUT', '/api/settings/sso/agent', world.provider('agent'))).status, 200);
  world.op.addAccount({ sub: 'sub-sam', email: 'sam@example.com', name: 'Sam Agent' });
  const sam = new Visitor(world.server);
  await linkAccount(sam, world.op, 'agent', 'sam@example.com', PASSWORD);
  assert.equal((await ssoSignIn(sam, world.op, 'agent', 'sam@example.com')).target.pathname, '/home.html');
});

test('an SSO session is not held up by a password change it has no password for', async () => {
  const sam = new Visitor(world.server);
  await ssoSignIn(sam, world.op, 'agent', 'sam@example.com');
  const id = (await me(sam)).body.id;
  assert.equal((await admin.call('POST', `/api/people/${id}/require-password-change`)).status, 200);
  const again = new Visitor(world.server);
  await ssoSignIn(again, world.op, 'agent', 'sam@example.com');
  assert.equal((await again.call('GET', '/api/assets?limit=1')).status, 200);
  // A password sign-in still must change it first.
  const password = await signedInAdmin(world.server, 'sam@example.com');
  assert.equal((await password.call('GET', '/api/assets?limit=1')).status, 403);
});

test('provider changes: Administrators only on the agent portal, a recent re-authentication, every Administrator told', async () => {
  addRole(world.server, 'Security Lead', ['manage_authentication']);
  addUser(world.server, { email: 'lead@example.com', name: 'Lee Lead', role: 'Security Lead' });
  const lead = await signedInAdmin(world.server, 'lead@example.com');
  // The agent portal's provider signs agents in: Administrators only.
  assert.equal((await lead.call('PUT', '/api/settings/sso/agent', world.provider('agent'))).status, 403);
  assert.equal((await lead.call('DELETE', '/api/settings/sso/agent')).status, 403);
  // The contact portal's is theirs, unless its emails link accounts (the
  // contacts test above trusted them: only an Administrator undoes that).
  const untrust = await lead.call('PUT', '/api/settings/sso/contact', world.provider('contact'));
  assert.equal(untrust.status, 403);
  assert.equal((await admin.call('PUT', '/api/settings/sso/contact', world.provider('contact'))).status, 200);
  const contact = await lead.call('PUT', '/api/settings/sso/contact', world.provider('contact'));
  assert.equal(contact.status, 200, JSON.stringify(contact.body));
  const trusted = await lead.call('PUT', '/api/settings/sso/contact',
    world.provider('contact', { link_by_email: true }));
  assert.equal(trusted.status, 403);
  assert.equal(trusted.body.code, 'permission_denied');

  // Six minutes after signing in, a provider change needs the password again.
  setClock(6 * 60);
  try {
    const stale = await admin.call('PUT', '/api/settings/sso/agent', world.provider('agent'));
    assert.equal(stale.status, 403);
    assert.equal(stale.body.code, 'reauthentication_required');
    const asks = await admin.call('GET', '/api/reauthenticate');
    assert.deepEqual({ ...asks.body, valid_until: 0 }, { password: true, methods: [], valid_until: 0 });
    const wrong = await admin.call('POST', '/api/reauthenticate', { password: 'not the password' });
    assert.equal(wrong.status, 400);
    const proved = await admin.call('POST', '/api/reauthenticate', { password: PASSWORD });
    assert.equal(proved.status, 200, JSON.stringify(proved.body));
    const saved = await admin.call('PUT', '/api/settings/sso/agent',
      world.provider('agent', { allowed_domains: ['example.com'] }));
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
  } finally {
    setClock(0);
  }
  assert.equal((await events('reauthentication.success')).length, 1);
  assert.equal((await events('reauthentication.failure')).length, 1);
  // Every Administrator hears of it, at their own address.
  for (const to of ['admin@example.com', 'bo@example.com', 'dee@example.com']) {
    const notice = await mailTo(to, /Subject: deskgate: the agent portal's sign-in provider was changed/);
    assert.match(notice.body, /by admin@example\.com/);
  }
  assert.equal((await admin.call('PUT', '/api/settings/sso/agent', world.provider('agent'))).status, 200);
});

test('trusted emails link agents at once, but never an Administrator', async () => {
  addUser(world.server, { email: 'eve@example.com', name: 'Eve Admin', role: 'Administrator' });
  addUser(world.server, { email: 'newagent@example.com', name: 'Nia Agent', role: 'Agent' });
  world.op.addAccount({ sub: 'sub-eve', email: 'eve@example.com', name: 'Eve Admin' });
  world.op.addAccount({ sub: 'sub-nia', email: 'newagent@example.com', name: 'Nia Agent' });
  assert.equal((await admin.call('PUT', '/api/settings/sso/agent',
    world.provider('agent', { link_by_email: true }))).status, 200);
  const nia = new Visitor(world.server);
  assert.equal((await ssoSignIn(nia, world.op, 'agent', 'newagent@example.com')).target.pathname, '/home.html');
  const eve = new Visitor(world.server);
  const claim = await ssoSignIn(eve, world.op, 'agent', 'eve@example.com');
  assert.equal(claim.target.searchParams.get('sso_link'), 'pending');
  assert.equal((await me(eve)).status, 401);
  assert.equal((await admin.call('PUT', '/api/settings/sso/agent', world.provider('agent'))).status, 200);
});

test('on an SSO-only portal an invitation is accepted by signing in at the provider, which links that identity', async () => {
  assert.equal((await admin.call('PUT', '/api/settings/sso/contact', world.provider('contact'))).status, 200);
  const tested = await ssoSignIn(admin, world.op, 'contact', 'carol@example.org', { purpose: 'test' });
  assert.equal(tested.target.searchParams.get('sso_test'), 'ok');
  const only = await putSettings('contact', { portal_access: { mode: 'sso_only' } });
  assert.equal(only.status, 200, JSON.stringify(only.body));

  const invited = await admin.call('POST', '/api/invitations',
    { portal: 'contact', email: 'pat@customer.example', name: 'Pat Customer' });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
  assert.equal(invited.body.mailed, true);
  const mail = await mailTo('pat@customer.example', /You are invited/);
  assert.match(mail.body, /signing in with your organisation's account/);
  const token = mail.body.match(/invite\.html#token=([\w-]+)/)[1];

  const pat = new Visitor(world.server);
  const open = await pat.call('POST', '/api/invitations/lookup', { token });
  assert.equal(open.status, 200);
  assert.equal(open.body.password, false);
  assert.equal(open.body.sso, true);
  // No password can be chosen on this portal.
  const password = await pat.call('POST', '/api/invitations/accept', { token, password: PASSWORD });
  assert.equal(password.status, 409);
  // The wrong portal's sign-in does not take the link.
  const agentSide = await pat.call('POST', '/api/agent/sso/start', { purpose: 'invitation', invitation: token });
  assert.equal(agentSide.status, 403);

  // Pat's account at the provider has another address: the invitation,
  // not the email claim, says whose account this is.
  const start = await pat.call('POST', '/api/contact/sso/start', { purpose: 'invitation', invitation: token });
  assert.equal(start.status, 200, JSON.stringify(start.body));
  const back = await pat.visitCallback(await world.op.authorize(start.body.url, 'pat.private@example.net'));
  assert.equal(back.target.pathname, '/home.html');
  assert.equal(back.sessionSet, true);
  const patMe = (await me(pat)).body;
  assert.equal(patMe.email, 'pat@customer.example');
  const accepted = (await events('person.invitation_accepted')).filter((e) => e.target === 'pat@customer.example');
  assert.equal(accepted.length, 1);
  const signIn = (await events('login.success')).find((e) => e.target === 'pat@customer.example');
  assert.equal(signIn.details.matched_by, 'invitation');
  const row = await admin.call('GET', `/api/people/${patMe.id}`);
  assert.equal(row.body.sso_linked, true);
  assert.equal(row.body.status, 'active');

  // Used once; later sign-ins find Pat by the provider's subject.
  assert.equal((await pat.call('POST', '/api/invitations/lookup', { token })).status, 403);
  assert.equal((await pat.call('POST', '/api/contact/sso/start', { purpose: 'invitation', invitation: token })).status, 403);
  const later = new Visitor(world.server);
  assert.equal((await ssoSignIn(later, world.op, 'contact', 'pat.private@example.net')).target.pathname, '/home.html');
  assert.equal((await me(later)).body.id, patMe.id);

  // An identity linked to someone else cannot take an invitation.
  const quinn = await admin.call('POST', '/api/invitations',
    { portal: 'contact', email: 'quinn@customer.example', name: 'Quinn' });
  const quinnToken = (await mailTo('quinn@customer.example', /You are invited/)).body.match(/#token=([\w-]+)/)[1];
  const visitor = new Visitor(world.server);
  const quinnStart = await visitor.call('POST', '/api/contact/sso/start', { purpose: 'invitation', invitation: quinnToken });
  const refused = await visitor.visitCallback(await world.op.authorize(quinnStart.body.url, 'pat.private@example.net'));
  assert.equal(refused.target.pathname, '/invite.html');
  assert.equal(refused.target.searchParams.get('sso_error'), 'account');
  assert.equal(refused.sessionSet, false);
  const stillOpen = await admin.call('GET', '/api/invitations?portal=contact');
  assert.ok(stillOpen.body.invitations.some((i) => i.id === quinn.body.id));

  assert.equal((await putSettings('contact', { portal_access: { mode: 'microsoft_and_email' } })).status, 200);
});

test('identity provider addresses on loopback, link-local or private networks are refused, with one message', async () => {
  const server = await startServer();  // without --sso-allow-private-networks
  try {
    addUser(server, { email: 'admin@example.com', name: 'Ada Admin', role: 'Administrator' });
    const visitor = await signedInAdmin(server, 'admin@example.com');
    const messages = [];
    for (const issuer of [world.op.issuer, 'https://127.0.0.1:22', 'https://169.254.169.254',
      'https://10.0.0.1', 'https://[::1]:8443', 'https://192.168.1.1:9']) {
      const saved = await visitor.call('PUT', '/api/settings/sso/agent',
        { kind: 'oidc', issuer, client_id: 'deskgate-agent', client_secret: 's' });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const start = await visitor.call('POST', '/api/agent/sso/start', { purpose: 'test' });
      assert.equal(start.status, 409, issuer);
      messages.push(start.body.error.replace(/cannot reach \S+/, 'cannot reach HOST'));
    }
    assert.equal(new Set(messages).size, 1, messages.join('\n'));
    assert.match(messages[0], /no loopback, link-local or private address/);
  } finally {
    await server.stop();
  }
});

test('starting sign-ins is limited per address (each start stores an attempt)', async () => {
  // Runs last: it uses up this address's allowance on this server.
  const visitor = new Visitor(world.server);
  let answer;
  let started = 0;
  for (let i = 0; i < 400; i += 1) {
    answer = await visitor.call('POST', '/api/agent/sso/start', {});
    if (answer.status !== 200) break;
    started += 1;
  }
  assert.equal(answer.status, 429);
  assert.match(answer.body.error, /too many sign-ins from this address/);
  // Earlier tests started some from this address too; the limit is 300 per 15 minutes.
  assert.ok(started > 200 && started <= 300, `${started} starts before the limit`);

  // Refused answers at the callback are limited too (100 per 15 minutes);
  // past the limit nothing is looked up or audited.
  let last;
  for (let i = 0; i < 110; i += 1) {
    last = await visitor.visitCallback(`${world.server.url}/api/agent/sso/callback?state=forged&code=x`);
  }
  assert.equal(last.target.searchParams.get('sso_error'), 'throttled');
  assert.equal((await events('sso.throttled')).length, 1);
});
