// Settings › Portal Access › Identity provider: the portal's OpenID Connect
// provider for single sign-on. It is saved on its own (GET|PUT|DELETE
// /api/settings/sso/{portal}), apart from the page's "Save changes"; its
// controls belong to #provider-form through form="provider-form", so Enter in
// one of them saves the provider and never the rest of the page. A Test
// sign-in runs the real flow with the saved settings and comes back to this
// page with its result (?sso_test=ok|failed&sso_reason=…; the failure's
// explanation is read from the server, so no link can put words here). The server
// checks every field and names the bad one; the page only guides.
import { httpsUrl, postJson, sendJson, sentence } from '/js/api.js';
import { confirmDialog } from '/js/confirm-dialog.js';
import { el, formatAgo, formatTime } from '/js/dom.js';
import { withStepUp } from '/js/step-up.js';

const $ = (id) => document.getElementById(id);
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

// "a, b\nc" → ['a', 'b', 'c']
function list(text) {
  return text.split(/[\s,;]+/).filter(Boolean);
}

function nowSeconds() {
  return Date.now() / 1000;
}

// ?sso_test=… from a Test sign-in: read once, then dropped from the address.
function takeTestResult(portal) {
  const params = new URLSearchParams(location.search);
  const result = params.get('sso_test');
  if (result === null) return null;
  history.replaceState(history.state, '', `${location.pathname}?portal=${portal}${location.hash}`);
  return { ok: result === 'ok' };
}

// `savedMode()` answers {needsSso, passwords} for the portal's saved mode;
// `onChange()` runs when the provider is saved or removed (the mode choices
// depend on it).
export function setupProvider({ portal, me, initial, loadError, savedMode, onChange }) {
  const section = $('provider-section');
  const providerForm = $('provider-form');
  const status = $('provider-status');
  const kinds = [...document.querySelectorAll('input[name="sso_kind"]')];
  const fields = {
    tenant: $('sso-tenant'),
    issuer: $('sso-issuer'),
    client_id: $('sso-client-id'),
    client_secret: $('sso-client-secret'),
    allowed_tenants: $('sso-allowed-tenants'),
    allowed_domains: $('sso-allowed-domains'),
    create_contacts: $('sso-create-contacts'),
    link_by_email: $('sso-link-by-email'),
  };
  const administrator = me.permissions.includes('administrator');
  const save = $('save-provider');
  const remove = $('remove-provider');
  const test = $('test-sso');
  const testError = $('test-error');
  const people = portal === 'agent' ? 'agents' : 'contacts';

  let current = { configured: false, redirect_url: '' };
  let baseline = '';

  const kind = () => kinds.find((k) => k.checked)?.value ?? 'entra';

  // The PUT body, without the secret.
  function body() {
    const k = kind();
    const out = { kind: k };
    if (k === 'entra') {
      out.tenant = fields.tenant.value.trim();
      // Another Microsoft cloud's sign-in host, set through the API, stays.
      if (current.provider?.kind === 'entra' && current.provider.authority) out.authority = current.provider.authority;
    } else {
      out.issuer = fields.issuer.value.trim();
    }
    out.client_id = fields.client_id.value.trim();
    out.allowed_tenants = k === 'entra' ? list(fields.allowed_tenants.value) : [];
    out.allowed_domains = list(fields.allowed_domains.value);
    if (portal === 'contact') out.create_contacts = fields.create_contacts.checked;
    out.link_by_email = fields.link_by_email.checked;
    return out;
  }

  const dirty = () => JSON.stringify(body()) !== baseline || fields.client_secret.value.trim() !== '';

  function testedByMeRecently() {
    const t = current.tested;
    return Boolean(current.configured && t && t.by_id === me.id && nowSeconds() <= t.valid_until);
  }

  function clearErrors() {
    for (const slot of section.querySelectorAll('[data-error-for]')) slot.hidden = true;
    for (const input of section.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  }

  function say(text, tone = '') {
    status.className = `save-status${tone ? ` save-${tone}` : ''}`;
    status.textContent = text;
  }

  // "issuer: must be …" → under the Issuer URL field; "provider: …" and
  // anything without a field of its own → beside the buttons.
  function showError(message) {
    const [path, ...rest] = message.split(': ');
    const text = sentence(rest.join(': '));
    const slot = section.querySelector(`[data-error-for="sso.${path}"]`);
    if (!rest.length || !slot || slot.parentElement.closest('[hidden]')) {
      say(rest.length && path === 'provider' ? text : sentence(message), 'error');
      return;
    }
    slot.hidden = false;
    slot.textContent = text;
    const input = path === 'kind' ? kinds[0] : fields[path];
    input?.setAttribute('aria-invalid', 'true');
    input?.focus();
    say('Fix the highlighted field and save the provider again.', 'error');
  }

  function fill(data) {
    current = data;
    const p = data.provider ?? {};
    for (const k of kinds) k.checked = k.value === (p.kind ?? 'entra');
    fields.tenant.value = p.tenant ?? '';
    fields.issuer.value = p.issuer ?? '';
    fields.client_id.value = p.client_id ?? '';
    fields.client_secret.value = '';
    fields.allowed_tenants.value = (p.allowed_tenants ?? []).join('\n');
    fields.allowed_domains.value = (p.allowed_domains ?? []).join('\n');
    fields.create_contacts.checked = Boolean(p.create_contacts);
    fields.link_by_email.checked = Boolean(p.link_by_email);
    $('redirect-url').textContent = data.redirect_url ?? '';
    baseline = JSON.stringify(body());
    clearErrors();
    render();
  }

  function renderTest() {
    const entra = kind() === 'entra';
    const where = entra ? 'Microsoft’s sign-in page' : 'the provider’s sign-in page';
    $('test-explain').textContent = portal === 'agent'
      ? `Opens ${where} in this tab. Sign in there as yourself (the account for ${me.email}) and you come back `
        + 'here with the result. It checks the whole sign-in with the saved settings and changes nothing for '
        + 'anyone else. A successful test lets you switch this portal to single sign-on only within 24 hours.'
      : `Opens ${where} in this tab. Sign in there with any account and you come back here with the result. `
        + 'It checks the whole sign-in with the saved settings and changes nothing for anyone else. A successful '
        + 'test lets you switch this portal to single sign-on only within 24 hours.';

    const line = $('test-status');
    const t = current.tested;
    let text;
    let tone;
    if (!current.configured) {
      [text, tone] = ['Save the provider first, then test it here.', 'muted'];
    } else if (dirty()) {
      [text, tone] = ['Unsaved changes: save the provider first. The test uses the saved settings.', 'warn'];
    } else if (!t) {
      [text, tone] = ['Not tested since the last change.', 'warn'];
    } else {
      const mine = t.by_id === me.id;
      const fresh = nowSeconds() <= t.valid_until;
      const passwordsOn = savedMode().passwords;
      text = `Tested by ${mine ? 'you' : t.by || 'another administrator'} ${formatAgo(t.at)}.`;
      tone = 'ok';
      if (passwordsOn && mine && !fresh) {
        text += ' That was over 24 hours ago: test again before switching to single sign-on only.';
        tone = 'warn';
      } else if (passwordsOn && !mine) {
        text += ' Switching to single sign-on only needs a test by you.';
      }
    }
    line.className = `test-status test-${tone}`;
    line.textContent = text;
    line.title = t && current.configured ? `Tested ${formatTime(t.at)}` : '';
    test.disabled = !current.configured || dirty();
  }

  function render() {
    const k = kind();
    for (const node of section.querySelectorAll('[data-kind]')) node.hidden = node.dataset.kind !== k;
    $('redirect-where').hidden = k !== 'entra';
    $('sso-client-id-hint').textContent = k === 'entra'
      ? 'From the app registration’s Overview page: “Application (client) ID”.'
      : 'The client ID the provider gave deskgate’s app registration.';
    $('secret-badge').hidden = !current.client_secret_set;
    $('sso-secret-hint').textContent = current.client_secret_set
      ? 'A secret is stored. Enter a new one to replace it.'
      : k === 'entra'
        ? 'From Certificates & secrets › Client secrets: copy the secret’s Value (not its Secret ID).'
        : 'The client secret the provider issued for deskgate’s app registration.';
    $('create-contacts-field').hidden = portal !== 'contact';
    // Trusted emails make a provider able to sign people in as themselves:
    // the server lets only Administrators set them (or touch such a provider).
    fields.link_by_email.disabled = !administrator;
    $('sso-link-by-email-admin').hidden = administrator;
    const adminOnly = !administrator && (portal === 'agent' || Boolean(current.provider?.link_by_email));
    $('provider-admin-only').hidden = !adminOnly;
    $('provider-admin-only').textContent = portal === 'agent'
      ? 'Whoever controls this portal’s identity provider can sign agents in, so only an Administrator can '
        + 'change it. You can run a Test sign-in.'
      : 'This provider’s email addresses link accounts, so only an Administrator can change it. You can run a '
        + 'Test sign-in.';
    save.disabled = adminOnly;
    remove.disabled = adminOnly;

    const badge = $('provider-badge');
    badge.textContent = !current.configured ? 'Not set up' : current.tested ? 'Tested' : 'Not tested';
    badge.className = `badge${!current.configured ? ' badge-off' : current.tested ? '' : ' badge-warn'}`;
    $('provider-locked').hidden = !(current.configured && !savedMode().passwords);
    remove.hidden = !current.configured;

    let insecure = false;
    try {
      const url = new URL(current.redirect_url);
      insecure = url.protocol === 'http:' && !LOOPBACK.has(url.hostname);
    } catch {
      // no address yet
    }
    $('redirect-advice').hidden = !insecure;
    renderTest();
  }

  async function copyRedirect() {
    const address = $('redirect-url');
    const button = $('copy-redirect');
    const selectAddress = () => {
      const range = document.createRange();
      range.selectNodeContents(address);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
    };
    let copied = false;
    try {
      await navigator.clipboard.writeText(address.textContent);
      copied = true;
    } catch {
      // No clipboard API outside a secure context (plain http): copy the selection.
      selectAddress();
      try {
        copied = document.execCommand('copy');
      } catch {
        copied = false;
      }
    }
    if (copied) {
      button.textContent = 'Copied';
      setTimeout(() => { button.textContent = 'Copy'; }, 2000);
    } else {
      selectAddress();
      say('Copy the selected address (Ctrl+C or ⌘C).');
    }
  }

  providerForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    if (current.configured && !dirty()) {
      say('No changes to save.');
      return;
    }
    const document_ = body();
    const secret = fields.client_secret.value.trim();
    if (secret) document_.client_secret = secret;
    const wasTested = Boolean(current.tested);
    save.disabled = true;
    say('Saving…');
    try {
      fill(await withStepUp(() => sendJson('PUT', `/api/settings/sso/${portal}`, document_)));
      say(wasTested
        ? 'Saved. The earlier test no longer counts: run Test sign-in again.'
        : 'Saved. Next, run Test sign-in to check that it works.', 'ok');
      onChange();
    } catch (error) {
      if (error.status === undefined) say('Could not reach deskgate. Try again.', 'error');
      else showError(error.message);
    } finally {
      render();
    }
  });

  remove.addEventListener('click', async () => {
    clearErrors();
    if (savedMode().needsSso) {
      say('This portal’s sign-in uses single sign-on: choose email and password sign-in above and save that '
        + 'first, then remove the provider.', 'error');
      return;
    }
    const sure = await confirmDialog({
      title: `Remove the identity provider for ${people}?`,
      message: ['Its settings and the stored client secret are deleted.',
        'Single sign-on cannot be offered on this portal until a provider is set up again.'],
      confirmLabel: 'Remove provider',
      danger: true,
    });
    if (!sure) return;
    try {
      fill(await withStepUp(() => sendJson('DELETE', `/api/settings/sso/${portal}`)));
      say('Provider removed.', 'ok');
      onChange();
    } catch (error) {
      showError(error.message);
    }
  });

  test.addEventListener('click', async () => {
    testError.hidden = true;
    test.disabled = true;
    test.textContent = 'Opening…';
    const fail = (message) => {
      testError.replaceChildren(el('strong', {}, 'The test could not start. '), sentence(message));
      testError.hidden = false;
      test.textContent = 'Test sign-in';
      renderTest();
    };
    let url;
    try {
      ({ url } = await postJson(`/api/${portal}/sso/start`, { purpose: 'test' }));
    } catch (error) {
      fail(error.status === undefined ? 'deskgate could not be reached.' : error.message);
      return;
    }
    const target = httpsUrl(url);
    if (!target) {
      fail('the sign-in address is not https.');
      return;
    }
    location.assign(target.href);
  });
  addEventListener('pageshow', (event) => {
    if (event.persisted) {
      test.textContent = 'Test sign-in';
      renderTest();
    }
  });

  for (const k of kinds) k.addEventListener('change', () => { clearErrors(); render(); });
  section.addEventListener('input', () => {
    if (status.classList.contains('save-ok')) say('');
    renderTest();
  });
  $('copy-redirect').addEventListener('click', copyRedirect);
  // "3 minutes ago" keeps moving, and a test runs out after 24 hours.
  setInterval(() => { renderTest(); onChange(); }, 30000);

  if (initial) fill(initial);
  else render();
  if (loadError) say(`The identity provider could not be loaded: ${loadError}`, 'error');

  // Success is claimed only when the saved record agrees (anyone can type
  // the address); a failure's explanation is the server's record of this
  // admin's last failed test, shown as text.
  const result = takeTestResult(portal);
  if (result && !result.ok) result.message = current.last_test_failure?.message ?? '';
  if (result && (!result.ok || testedByMeRecently())) {
    const notice = $('sso-test-result');
    notice.className = `notice ${result.ok ? 'notice-ok' : 'notice-error'}`;
    if (result.ok) {
      notice.replaceChildren(el('strong', {}, 'Test sign-in succeeded. '),
        'The provider signed you in and deskgate accepted its answer.',
        savedMode().passwords ? ' You can switch this portal to single sign-on only within the next 24 hours.' : '');
    } else {
      notice.replaceChildren(el('strong', {}, 'Test sign-in failed. '),
        result.message ? `${sentence(result.message.slice(0, 300))}. ` : '',
        'Check the settings below and the provider’s app registration, then test again.');
    }
    notice.hidden = false;
  }
  section.hidden = false;

  return {
    get configured() { return Boolean(current.configured); },
    get kind() { return current.provider?.kind ?? null; },
    get dirty() { return dirty(); },
    testedByMeRecently,
    // When the current test ran, for the mode hints ("3 minutes ago").
    get testedAt() { return current.tested?.at ?? null; },
    render,
  };
}
