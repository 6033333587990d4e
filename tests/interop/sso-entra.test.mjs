// Microsoft Entra ID's shape of OpenID Connect, played by the test provider
// mounted at {origin}/{tenant}/v2.0: deskgate configured with kind "entra"
// finds the discovery document under the tenant, identifies people by
// "oid" (not the per-application "sub"), trusts emails only from tenants
// it was told to trust, and refuses other tenants.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, PASSWORD } from '../support/mfa.mjs';
import { ssoSignIn, startSsoWorld, Visitor } from '../support/sso.mjs';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '0a1b2c3d-0000-4000-8000-000000000001';

let world;
let admin;

before(async () => {
  world = await startSsoWorld({
    entraTenant: TENANT,
    accounts: [
      { sub: 'pairwise-erin-1', email: 'erin@contoso.test', name: 'Erin', extra: { oid: 'oid-erin', tid: TENANT } },
      { sub: 'pairwise-guest', email: 'gus@fabrikam.test', name: 'Gus', extra: { oid: 'oid-gus', tid: OTHER_TENANT } },
    ],
  });
  addUser(world.server, { email: 'admin@contoso.test', name: 'Ada Admin', role: 'Administrator' });
  addUser(world.server, { email: 'erin@contoso.test', name: 'Erin Agent', role: 'Agent' });
  addUser(world.server, { email: 'gus@fabrikam.test', name: 'Gus Agent', role: 'Agent' });
  admin = new Visitor(world.server);
  const login = await admin.call('POST', '/api/agent/login', { email: 'admin@contoso.test', password: PASSWORD });
  assert.equal(login.status, 200);
});

after(async () => { await world?.stop(); });

async function configure(extra) {
  const saved = await admin.call('PUT', '/api/settings/sso/agent', world.provider('agent', extra));
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  return saved.body;
}

async function lastSsoLogin() {
  const audit = await admin.call('GET', '/api/audit?event=login.success');
  return audit.body.events.find((e) => e.details.method === 'sso');
}

test('Entra: the email counts only from a trusted tenant; oid is the identity', async () => {
  const saved = await configure({});
  assert.equal(saved.provider.kind, 'entra');
  assert.equal((await admin.call('PUT', '/api/settings/authentication/agent',
    { portal_access: { mode: 'both' } })).status, 200);
  const options = await new Visitor(world.server).call('GET', '/api/agent/login-options');
  assert.equal(options.body.sso_label, 'Microsoft');

  // Entra sends no email_verified: without a trusted tenant (or xms_edov),
  // the address cannot link an account.
  const untrusted = await ssoSignIn(new Visitor(world.server), world.op, 'agent', 'erin@contoso.test');
  assert.equal(untrusted.target.searchParams.get('sso_error'), 'account');

  // The admin trusts this tenant's emails to link agents' accounts.
  await configure({ allowed_tenants: [TENANT], link_by_email: true });
  const erin = new Visitor(world.server);
  const first = await ssoSignIn(erin, world.op, 'agent', 'erin@contoso.test');
  assert.equal(first.target.pathname, '/home.html');
  assert.equal((await erin.call('GET', '/api/me')).body.email, 'erin@contoso.test');
  assert.equal((await lastSsoLogin()).details.matched_by, 'email');

  // Another application's pairwise "sub" and a new address: the oid still finds Erin.
  world.op.addAccount({ sub: 'pairwise-erin-2', email: 'erin.new@contoso.test', name: 'Erin',
    extra: { oid: 'oid-erin', tid: TENANT } });
  const again = new Visitor(world.server);
  await ssoSignIn(again, world.op, 'agent', 'erin.new@contoso.test');
  assert.equal((await again.call('GET', '/api/me')).body.email, 'erin@contoso.test');
  assert.equal((await lastSsoLogin()).details.matched_by, 'subject');
});

test('Entra: tenants outside the allowed list are refused', async () => {
  const guest = await ssoSignIn(new Visitor(world.server), world.op, 'agent', 'gus@fabrikam.test');
  assert.equal(guest.target.searchParams.get('sso_error'), 'tenant');
  // The email vouched for by its own tenant (xms_edov) does not lift the tenant rule.
  const vouched = await ssoSignIn(new Visitor(world.server), world.op, 'agent', 'gus@fabrikam.test',
    { mutation: { claims: { xms_edov: true } } });
  assert.equal(vouched.target.searchParams.get('sso_error'), 'tenant');

  // Without a tenant list, a domain-verified email (xms_edov) links.
  await configure({ allowed_domains: ['fabrikam.test'], link_by_email: true });
  const open = await ssoSignIn(new Visitor(world.server), world.op, 'agent', 'gus@fabrikam.test',
    { mutation: { claims: { xms_edov: true } } });
  assert.equal(open.target.pathname, '/home.html');
  await configure({ allowed_domains: ['contoso.test'], link_by_email: true });
  const wrongDomain = await ssoSignIn(new Visitor(world.server), world.op, 'agent', 'gus@fabrikam.test',
    { mutation: { claims: { xms_edov: true } } });
  assert.equal(wrongDomain.target.searchParams.get('sso_error'), 'domain');
});
