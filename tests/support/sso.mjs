// Single sign-on without a browser: a deskgate client with a cookie jar
// (the session and the SSO binding cookie), and a sign-in that goes
// deskgate → the test OpenID provider → deskgate's callback.
import assert from 'node:assert/strict';

export class Visitor {
  constructor(server) {
    this.server = server;
    this.cookies = new Map();
  }

  cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  remember(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (value === '' || attributes.some((a) => /max-age=0/i.test(a.trim()))) {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, value);
      }
    }
  }

  // A JSON API call; answers {status, body}.
  async call(method, url, body) {
    const response = await fetch(`${this.server.url}${url}`, {
      method,
      headers: { 'Content-Type': 'application/json', Cookie: this.cookieHeader() },
      body: method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify(body ?? {}),
    });
    this.remember(response);
    const text = await response.text();
    let data = {};
    try { data = JSON.parse(text); } catch { data = { text }; }
    return { status: response.status, body: data };
  }

  // Follows deskgate's answer at the callback URL: where it sends the
  // browser next (the page's meta refresh), and whether a session came with it.
  async visitCallback(callbackUrl) {
    const response = await fetch(callbackUrl, {
      headers: { Cookie: this.cookieHeader() }, redirect: 'manual',
    });
    const sessionSet = response.headers.getSetCookie().some((c) => c.startsWith('deskgate_session='));
    this.remember(response);
    const html = await response.text();
    const match = html.match(/http-equiv="refresh" content="0; url=([^"]+)"/);
    assert.ok(match, `no onward link in ${html}`);
    return { target: new URL(match[1].replaceAll('&amp;', '&'), this.server.url), sessionSet };
  }
}

// Starts a sign-in at deskgate, signs in at the provider as `email`, and
// returns the provider's redirect back (not yet visited).
export async function startAtProvider(visitor, op, portal, email, purpose = 'login') {
  const start = await visitor.call('POST', `/api/${portal}/sso/start`, { purpose });
  assert.equal(start.status, 200, JSON.stringify(start.body));
  return op.authorize(start.body.url, email);
}

// The whole round trip; answers where the browser ends up.
export async function ssoSignIn(visitor, op, portal, email, { purpose = 'login', mutation } = {}) {
  const callback = await startAtProvider(visitor, op, portal, email, purpose);
  if (mutation) op.setNextTokenMutation(mutation);
  return visitor.visitCallback(callback);
}

// The holder confirms the link a first single sign-on left in this
// browser: a password sign-in in the same browser, then the confirmation.
export async function confirmLinkWithPassword(visitor, portal, email, password) {
  const login = await visitor.call('POST', `/api/${portal}/login`, { email, password });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  assert.equal(login.body.status, 'ok', 'a sign-in without a second step');
  const confirmed = await visitor.call('POST', `/api/${portal}/sso/link/confirm`, {});
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  assert.equal(confirmed.body.status, 'linked');
}

// The first single sign-on of an existing account, confirmed by its holder
// with their password: afterwards the identity signs in on its own.
export async function linkAccount(visitor, op, portal, email, password) {
  const first = await ssoSignIn(visitor, op, portal, email);
  assert.equal(first.target.searchParams.get('sso_link'), 'pending', first.target.href);
  assert.equal(first.sessionSet, false);
  await confirmLinkWithPassword(visitor, portal, email, password);
}

// deskgate and a test OpenID provider that know each other: one
// confidential client per portal whose redirect URLs point at this server.
// deskgate reads its --sso-ca-file on each request, so the provider's CA
// (made when it starts, after deskgate) is copied into place afterwards.
// With `entraTenant`, the provider plays Microsoft Entra ID for that
// tenant: its issuer is {origin}/{tenant}/v2.0 and provider() configures
// deskgate with kind "entra" and the provider's origin as the authority.
export async function startSsoWorld({ accounts, serverArgs = [], trustProvider = true, entraTenant } = {}) {
  const { startServer } = await import('./server.mjs');
  const { startOidcProvider } = await import('./oidc_provider.mjs');
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskgate-sso-ca-'));
  const caFile = path.join(caDir, 'ca.pem');
  // The test provider listens on 127.0.0.1, which deskgate reaches only when told to.
  const server = await startServer({
    args: [...(trustProvider ? ['--sso-ca-file', caFile] : []), '--sso-allow-private-networks',
      ...serverArgs],
  });
  const client = (portal) => ({
    client_id: `deskgate-${portal}`,
    client_secret: `${portal}-secret-${Math.random().toString(36).slice(2)}`,
    redirect_uris: [`${server.url}/api/${portal}/sso/callback`],
    post_logout_redirect_uris: [`${server.url}/login/${portal}.html`],
  });
  const clients = { agent: client('agent'), contact: client('contact') };
  const issuerPath = entraTenant ? `/${entraTenant}/v2.0` : '';
  let op;
  try {
    op = await startOidcProvider({ clients: Object.values(clients), accounts, issuerPath });
    fs.copyFileSync(op.caFile, caFile);
  } catch (error) {
    // The caller never gets a world to stop: stop what started here.
    await op?.stop();
    await server.stop().catch(() => {});
    fs.rmSync(caDir, { recursive: true, force: true });
    throw error;
  }
  return {
    server,
    op,
    clients,
    // The settings body that points a portal at this provider.
    provider(portal, extra = {}) {
      const where = entraTenant
        ? { kind: 'entra', tenant: entraTenant, authority: op.origin }
        : { kind: 'oidc', issuer: op.issuer };
      return {
        ...where, client_id: clients[portal].client_id,
        client_secret: clients[portal].client_secret, ...extra,
      };
    },
    async stop() {
      await op.stop();
      await server.stop();
      fs.rmSync(caDir, { recursive: true, force: true });
    },
  };
}
