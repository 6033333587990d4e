// The one top bar of every signed-in page: the product's areas the person
// may use, the portal they are in, who they are (their account pages) and
// Sign out. requireSignedIn mounts it; a page's own section links (People:
// Agents, Contacts, Roles…) move to a second row under it.
import { getJson, postJson } from '/js/api.js';
import { goToSignIn } from '/js/signed-in.js';
import { signOut } from '/js/sign-out.js';

const WARN_BEFORE = 60;  // seconds: the warning comes a minute before the idle timeout
const CHECK_EVERY = 30;  // seconds between looks at the session (not counted as activity)

// [href, label, which paths belong to it, who sees it]
const AREAS = [
  ['/home.html', 'Home', ['/home.html'], () => true],
  ['/assets.html', 'Assets', ['/assets.html'], (me) => me.portal === 'agent'],
  ['/software.html', 'Software', ['/software.html'], (me) => me.portal === 'agent'],
  ['/admin/agents.html', 'People', ['/admin/agents.html', '/admin/contacts.html', '/admin/roles.html',
    '/admin/groups.html', '/admin/locations.html'], (me, p) => p.has('administrator')],
  ['/settings/index.html', 'Settings', ['/settings/', '/admin/mfa.html', '/admin/outbox.html'],
    (me, p) => p.has('administrator') || p.has('manage_authentication') || p.has('manage_agent_mfa')],
  ['/admin/audit.html', 'Audit log', ['/admin/audit.html'], (me, p) => p.has('read_audit')],
  ['/account/security.html', 'Your account', ['/account/'], () => true],
];

const PORTAL_NAME = { agent: 'Agent portal', contact: 'Customer portal' };

function link(href, text, current) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  if (current) a.setAttribute('aria-current', 'page');
  return a;
}

export function mountTopBar(me) {
  const header = document.querySelector('header.topbar');
  if (!header || header.dataset.mounted) return;
  header.dataset.mounted = 'true';
  const permissions = new Set(me.permissions ?? []);
  const here = location.pathname;

  // The page's own section links become the row under the bar (unless
  // the bar has them all already).
  const areaHrefs = new Set(AREAS.filter(([, , , visible]) => visible(me, permissions)).map(([href]) => href));
  const sections = header.querySelector('nav.topbar-nav');
  if (sections && [...sections.querySelectorAll('a')].every((a) => areaHrefs.has(a.getAttribute('href')))) {
    sections.remove();
  } else if (sections) {
    sections.className = 'subnav-links';
    const row = document.createElement('div');
    row.className = 'subnav';
    row.append(sections);
    header.after(row);
  }
  // Elements pages fill in themselves keep their ids (and handlers).
  const who = header.querySelector('#who') ?? document.createElement('span');
  who.id = 'who';
  who.className = 'topbar-who';
  who.textContent = me.email;
  let exit = header.querySelector('#sign-out');
  if (!exit) {
    exit = document.createElement('button');
    exit.type = 'button';
    exit.id = 'sign-out';
    exit.addEventListener('click', () => {
      exit.disabled = true;
      signOut(me.portal);
    });
  }
  exit.className = 'topbar-button';
  exit.textContent = 'Sign out';

  const brand = header.querySelector('.brand') ?? link('/home.html', 'deskgate');
  brand.href = '/home.html';
  const nav = document.createElement('nav');
  nav.className = 'topbar-areas';
  nav.setAttribute('aria-label', 'deskgate');
  for (const [href, label, paths, visible] of AREAS) {
    if (!visible(me, permissions)) continue;
    nav.append(link(href, label, paths.some((p) => here === p || (p.endsWith('/') && here.startsWith(p)))));
  }
  const account = document.createElement('a');
  account.className = 'topbar-person';
  account.href = '/account/security.html';
  account.title = 'Your account';
  account.append(who);
  const portal = document.createElement('span');
  portal.className = 'topbar-portal';
  portal.textContent = PORTAL_NAME[me.portal] ?? me.portal;
  const end = document.createElement('div');
  end.className = 'topbar-end topbar-me';
  end.append(portal, account, exit);
  header.replaceChildren(brand, nav, end);
  watchSession();
}

// The session watch: a banner a minute before the idle timeout, with
// "Stay signed in"; a session that ends (timeout, or ended elsewhere) sends
// the page to sign-in with the reason.
function banner() {
  let box = document.getElementById('session-warning');
  if (box) return box;
  box = document.createElement('div');
  box.id = 'session-warning';
  box.className = 'session-warning';
  box.setAttribute('role', 'alertdialog');
  box.setAttribute('aria-live', 'assertive');
  const text = document.createElement('p');
  text.id = 'session-warning-text';
  const stay = document.createElement('button');
  stay.type = 'button';
  stay.id = 'stay-signed-in';
  stay.className = 'primary compact';
  stay.textContent = 'Stay signed in';
  box.append(text, stay);
  box.hidden = true;
  document.body.append(box);
  return box;
}

export function watchSession() {
  let deadlines = null;
  let fetchedAt = 0;
  const box = banner();
  const remaining = () => deadlines.idle_ends_at - (deadlines.now + (Date.now() - fetchedAt) / 1000);
  // Timed out: off to sign-in, so an idle screen shows nothing more. Ended
  // otherwise (elsewhere, by an administrator): the page says so and waits
  // for the person, who may be reading it.
  const ended = (reason) => {
    if ((reason ?? (deadlines && remaining() <= 0 ? 'timeout' : 'ended')) === 'timeout') {
      goToSignIn('timeout');
      return;
    }
    clearInterval(reading);
    clearInterval(ticking);
    document.getElementById('session-warning-text').textContent =
      'Your session has ended: you signed out elsewhere, an administrator ended it, or your account changed.';
    const again = document.getElementById('stay-signed-in');
    again.textContent = 'Sign in again';
    again.onclick = () => goToSignIn('ended');
    box.hidden = false;
  };
  let reading = 0;
  let ticking = 0;
  const read = async (keepAlive = false) => {
    try {
      deadlines = keepAlive ? await postJson('/api/session/keep-alive') : await getJson('/api/session');
      fetchedAt = Date.now();
    } catch (error) {
      if (error.status === 401) ended(error.body?.reason);
    }
  };
  document.getElementById('stay-signed-in').onclick = async () => {
    await read(true);
    box.hidden = true;
  };
  const tick = async () => {
    if (!deadlines) return;
    const left = remaining();
    if (left <= 0) {
      await read();  // activity elsewhere (another tab) may have moved it
      if (deadlines && remaining() <= 0) ended();
      return;
    }
    if (left <= WARN_BEFORE) {
      if (box.hidden) await read();  // another tab may have kept it alive
      const now = remaining();
      box.hidden = now > WARN_BEFORE;
      document.getElementById('session-warning-text').textContent =
        `You will be signed out in ${Math.max(1, Math.round(now))} seconds because nothing happened for a while.`;
    } else {
      box.hidden = true;
    }
  };
  read();
  reading = setInterval(() => { read(); }, CHECK_EVERY * 1000);
  ticking = setInterval(tick, 1000);
}
