// A real OpenID Connect provider (npm oidc-provider) for deskgate's tests,
// served over HTTPS on 127.0.0.1 with a throwaway CA made here. It adds what
// the tests need around it: a plain login page that never asks for consent,
// a way to sign in without a browser (authorize), one-shot ID token
// mutations to exercise deskgate's validation, and extra JWKS keys to make
// deskgate refetch the key set.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

// oidc-provider warns once at import that Node 20 is not a supported runtime
// (it runs fine) and once per Provider that the in-memory adapter is for
// development: both are expected here, so only those two lines are dropped.
const EXPECTED_NOTICES = [/Unsupported runtime/, /development-only in-memory adapter/];
async function withoutExpectedNotices(fn) {
  const { warn } = console;
  console.warn = (...args) => {
    if (!EXPECTED_NOTICES.some((re) => re.test(String(args[0])))) warn.apply(console, args);
  };
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}
const { default: Provider } = await withoutExpectedNotices(() => import('oidc-provider'));

const SCOPE = 'openid email profile';
// Extra claims that tests put on accounts (Entra-style); the claims config
// must name a claim or the provider drops it.
const DEFAULT_EXTRA_CLAIMS = ['oid', 'tid', 'xms_edov'];

const MUTATIONS = ['signature', 'audience', 'issuer', 'expired', 'nonce', 'unknown_kid', 'extra_key', 'alg_none'];

const b64u = (data) => Buffer.from(data).toString('base64url');
const fromB64uJson = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
const unescapeHtml = (s) => s.replace(/&(amp|lt|gt|quot|#39);/g,
  (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]);
const escapeHtml = (s) => String(s).replace(/[&<>"']/g,
  (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

// RSA 2048 signing key with a kid; `jwk` keeps the private part, which the
// provider needs for its own signing.
function newSigningKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = crypto.randomBytes(8).toString('hex');
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const { d, p, q, dp, dq, qi, ...publicJwk } = jwk;
  return { kid, privateKey, jwk, publicJwk };
}

function signRs256(header, payload, privateKey) {
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
  return `${input}.${b64u(crypto.sign('sha256', Buffer.from(input), privateKey))}`;
}

// CA (CA:TRUE) and a leaf for 127.0.0.1/localhost signed by it, with openssl.
function makeCertificates(dir) {
  const file = (name) => path.join(dir, name);
  const openssl = (args) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-keyout', file('ca.key'), '-out', file('ca.pem'), '-subj', '/CN=deskgate test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('leaf.key'),
    '-out', file('leaf.csr'), '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(file('leaf.ext'), [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ].join('\n'));
  openssl(['x509', '-req', '-in', file('leaf.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'),
    '-set_serial', `0x${crypto.randomBytes(8).toString('hex')}`, '-days', '2',
    '-extfile', file('leaf.ext'), '-out', file('leaf.pem')]);
  return { caFile: file('ca.pem'), key: fs.readFileSync(file('leaf.key')), cert: fs.readFileSync(file('leaf.pem')) };
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>${body}</body></html>`;
}

function loginPage(uid, clientId, error) {
  return page('Test OpenID provider: sign in', `
<h1>deskgate test OpenID provider</h1>
<p>Sign in to <code>${escapeHtml(clientId)}</code></p>
${error ? `<p role="alert" id="op-error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
  <label>Email <input name="email" type="text" autocomplete="username" autofocus></label>
  <button type="submit" id="op-sign-in">Sign in</button>
</form>`);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// `issuerPath` puts the issuer below the origin, as Microsoft Entra's
// "https://login.microsoftonline.com/{tenant}/v2.0" is; the provider is
// then mounted there.
export async function startOidcProvider({ clients = [], accounts = [], issuerPath = '' } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskgate-oidc-'));
  const tls = makeCertificates(dir);

  const accountsBySub = new Map(accounts.map((a) => [a.sub, a]));
  const findByEmail = (email) => [...accountsBySub.values()]
    .find((a) => a.email.toLowerCase() === String(email).trim().toLowerCase());
  const extraClaimNames = [...new Set([...DEFAULT_EXTRA_CLAIMS,
    ...accounts.flatMap((a) => Object.keys(a.extra ?? {}))])];

  const signingKey = newSigningKey();
  const extraKeys = []; // published by publishExtraKey(), never used by the provider itself
  let nextMutation = null;
  let jwksRequests = 0;

  // The handler needs the provider and the provider needs the port: listen
  // on port 0 first and build the provider with the issuer that includes it.
  let provider;
  let providerCallback;
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const { pathname } = new URL(req.url, 'https://127.0.0.1');
    // Chromium asks for it on every page; a 404 would show as a console error.
    if (pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const match = pathname.match(/^\/interaction\/([^/]+)(\/login)?$/);
    if (!match) {
      if (issuerPath && pathname.startsWith(issuerPath)) {
        // Mounted below the origin: the provider sees the path without its
        // prefix and learns the prefix from originalUrl, as under express.
        req.originalUrl = req.url;
        req.url = req.url.slice(issuerPath.length) || '/';
      }
      providerCallback(req, res);
      return;
    }
    handleInteraction(req, res, match[2] === '/login').catch((err) => {
      console.error('test OpenID provider: interaction failed:', err);
      if (!res.headersSent) {
        res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`interaction failed: ${err.message}\n`);
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `https://127.0.0.1:${server.address().port}`;
  const issuer = `${origin}${issuerPath}`;

  const ttl = 60 * 60;
  // A provider that cannot be built must not leave its server listening.
  try {
    provider = await withoutExpectedNotices(() => new Provider(issuer, {
      clients: clients.map((client) => ({
        grant_types: ['authorization_code'],
        response_types: ['code'],
        ...client,
        // A client may name its method (e.g. client_secret_basic); the provider
        // accepts only the one registered.
        token_endpoint_auth_method: client.token_endpoint_auth_method
          ?? (client.client_secret ? 'client_secret_post' : 'none'),
      })),
      jwks: { keys: [signingKey.jwk] },
      cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
      pkce: { required: () => true }, // S256 is the only method oidc-provider 9 accepts
      // Put the scope's claims in the ID token itself (deskgate reads them there).
      conformIdTokenClaims: false,
      scopes: SCOPE.split(' '),
      claims: {
        openid: ['sub', ...extraClaimNames],
        email: ['email', 'email_verified'],
        profile: ['name'],
      },
      async findAccount(ctx, sub) {
        const account = accountsBySub.get(sub);
        if (!account) return undefined;
        return {
          accountId: sub,
          async claims() {
            return {
              sub,
              email: account.email,
              email_verified: account.email_verified ?? true,
              name: account.name,
              ...account.extra,
            };
          },
        };
      },
      features: {
        devInteractions: { enabled: false },
        rpInitiatedLogout: {
          enabled: true,
          // Own pages: the defaults import a web font, which cannot load here.
          async logoutSource(ctx, form) {
            ctx.body = page('Test OpenID provider: sign out', `
  <h1>deskgate test OpenID provider</h1>
  <p>Sign out of the test provider?</p>
  ${form}
  <button type="submit" form="op.logoutForm" name="logout" value="yes" id="op-sign-out">Sign out</button>
  <button type="submit" form="op.logoutForm" id="op-stay">Stay signed in</button>`);
          },
          async postLogoutSuccessSource(ctx) {
            ctx.body = page('Test OpenID provider: signed out',
              '<h1>deskgate test OpenID provider</h1><p id="op-signed-out">Signed out.</p>');
          },
        },
      },
      async renderError(ctx, out) {
        ctx.type = 'html';
        ctx.body = page('Test OpenID provider: error', `<h1>deskgate test OpenID provider</h1>
  ${Object.entries(out).map(([k, v]) => `<p><b>${escapeHtml(k)}</b>: <span class="op-${escapeHtml(k)}">${escapeHtml(v)}</span></p>`).join('\n')}`);
      },
      // The defaults, set only to keep the provider's "you SHOULD change" notices out of test logs.
      ttl: {
        AccessToken: ttl, AuthorizationCode: 60, IdToken: ttl, Interaction: ttl,
        Session: 14 * 24 * ttl, Grant: 14 * 24 * ttl,
      },
    }));
  } catch (error) {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  // Without a listener, 500s are silent.
  provider.on('server_error', (ctx, err) => {
    console.error(`test OpenID provider: server_error on ${ctx.method} ${ctx.path}:`, err);
  });

  // After the provider: count JWKS GETs and add the extra keys; apply the
  // one-shot mutation to the next token response that carries an ID token.
  provider.use(async (ctx, next) => {
    await next();
    const route = ctx.oidc?.route;
    if (route === 'jwks' && ctx.method === 'GET') {
      jwksRequests += 1;
      if (ctx.status === 200 && extraKeys.length) {
        ctx.body = { keys: [...ctx.body.keys, ...extraKeys.map((k) => k.publicJwk)] };
        ctx.type = 'application/jwk-set+json; charset=utf-8';
      }
    } else if (route === 'token' && ctx.status === 200 && ctx.body?.id_token && nextMutation) {
      const mode = nextMutation;
      nextMutation = null;
      ctx.body.id_token = mutateIdToken(ctx.body.id_token, mode);
    }
  });
  providerCallback = provider.callback();

  function mutateIdToken(token, mode) {
    const [h, p, s] = token.split('.');
    const header = fromB64uJson(h);
    const payload = fromB64uJson(p);
    const resign = (claims) => signRs256(header, { ...payload, ...claims }, signingKey.privateKey);
    const now = Math.floor(Date.now() / 1000);
    if (typeof mode === 'object' && mode.claims) return resign(mode.claims);
    switch (mode) {
      case 'signature': {
        const sig = Buffer.from(s, 'base64url');
        sig[sig.length >> 1] ^= 0x5a;
        return `${h}.${p}.${b64u(sig)}`;
      }
      case 'audience': return resign({ aud: 'some-other-client' });
      case 'issuer': return resign({ iss: 'https://evil.example' });
      case 'expired': return resign({ exp: now - 600, iat: now - 4200 });
      case 'nonce': return resign({ nonce: 'not-the-nonce' });
      case 'unknown_kid': {
        const stray = newSigningKey(); // never published
        return signRs256({ ...header, kid: stray.kid }, payload, stray.privateKey);
      }
      case 'extra_key': {
        const key = extraKeys.at(-1);
        return signRs256({ ...header, kid: key.kid }, payload, key.privateKey);
      }
      case 'alg_none': // other header fields (kid included) stay as issued
        return `${b64u(JSON.stringify({ ...header, alg: 'none' }))}.${p}.`;
      default: throw new Error(`unknown token mutation ${JSON.stringify(mode)}`);
    }
  }

  // Consent is granted with the login (or silently, should the provider ask
  // for it alone), so the tests never see a consent step.
  async function grantFor(details, accountId) {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId, clientId: details.params.client_id });
    grant.addOIDCScope(SCOPE);
    return grant.save();
  }

  async function handleInteraction(req, res, isLogin) {
    const details = await provider.interactionDetails(req, res);
    const clientId = details.params.client_id;
    if (details.prompt.name === 'consent' && details.session?.accountId) {
      const grantId = await grantFor(details, details.session.accountId);
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: false });
      return;
    }
    const showForm = (status, error) => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(loginPage(details.uid, clientId, error));
    };
    if (!isLogin) {
      showForm(200);
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST' }).end();
      return;
    }
    const email = (await readForm(req)).get('email') ?? '';
    const account = findByEmail(email);
    if (!account) {
      showForm(200, `No account for ${email}`);
      return;
    }
    const grantId = await grantFor({ ...details, grantId: undefined }, account.sub);
    await provider.interactionFinished(req, res,
      { login: { accountId: account.sub }, consent: { grantId } },
      { mergeWithLastSubmission: false });
  }

  const ca = fs.readFileSync(tls.caFile);
  function request(url, { method = 'GET', headers = {}, body } = {}) {
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method, headers, ca, agent: false }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  // Signs in as `email` without a browser. A fresh cookie jar per call, so
  // an earlier sign-in never answers for this one.
  async function authorize(authorizeUrl, email) {
    const jar = new Map();
    let url = new URL(authorizeUrl);
    let method = 'GET';
    let body;
    for (let hop = 0; hop < 20; hop += 1) {
      if (url.origin !== origin) return url.href; // the client's redirect_uri: not fetched
      const headers = {};
      if (jar.size) headers.Cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      if (body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
      const res = await request(url, { method, headers, body });
      for (const line of res.headers['set-cookie'] ?? []) {
        const [pair, ...attrs] = line.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        const expired = attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now());
        if (!value || expired) jar.delete(name); else jar.set(name, value);
      }
      if (res.status >= 300 && res.status < 400 && res.headers.location) {
        url = new URL(res.headers.location, url);
        method = 'GET';
        body = undefined;
        continue;
      }
      const form = res.status === 200 && /^\/interaction\/[^/]+$/.test(url.pathname)
        && res.body.match(/<form method="post" action="([^"]+)"/);
      if (form && method === 'GET') {
        url = new URL(form[1].replace(/&amp;/g, '&'), url);
        method = 'POST';
        body = new URLSearchParams({ email }).toString();
        continue;
      }
      // Not a redirect and not the login form: the page's text says why.
      const error = res.body.match(/id="op-error">([^<]*)/)?.[1]
        ?? res.body.replace(/<title>.*?<\/title>|<[^>]+>/gs, ' ').replace(/\s+/g, ' ').trim().slice(0, 300);
      throw new Error(`sign-in as ${email} stopped at ${method} ${url.pathname} (${res.status}): ${unescapeHtml(error)}`);
    }
    throw new Error('too many redirects');
  }

  return {
    issuer,
    origin,
    caFile: tls.caFile,
    dir,
    addAccount(account) {
      // The claims config is fixed at start: an unnamed claim would be dropped silently.
      const unnamed = Object.keys(account.extra ?? {}).filter((n) => !extraClaimNames.includes(n));
      if (unnamed.length) throw new Error(`claims ${unnamed} were not named when the provider started`);
      accountsBySub.set(account.sub, account);
    },
    setNextTokenMutation(mode) {
      // Checked here: a bad mode found during /token would only be a 500 there.
      if (!(MUTATIONS.includes(mode) || (typeof mode === 'object' && mode?.claims))) {
        throw new Error(`unknown token mutation ${JSON.stringify(mode)}`);
      }
      if (mode === 'extra_key' && !extraKeys.length) throw new Error('publishExtraKey() first');
      nextMutation = mode;
    },
    publishExtraKey() {
      const key = newSigningKey();
      extraKeys.push(key);
      return key.kid;
    },
    get jwksRequests() { return jwksRequests; },
    authorize,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
