// The guard every signed-in page runs first: who is signed in, or off to
// the sign-in page of their portal (a contact to the contact one), which
// brings them back to this page afterwards.
import { getJson } from '/js/api.js';
import { mountTopBar } from '/js/topbar.js';

const PORTAL_KEY = 'deskgate.portal';
const RETURN_KEY = 'deskgate.return_to';

// The portal this browser last signed in to: a page reached after the
// session ended cannot ask the server any more.
function lastPortal() {
  try {
    return localStorage.getItem(PORTAL_KEY) === 'contact' ? 'contact' : 'agent';
  } catch {
    return 'agent';
  }
}

// Why a signed-in page sent the person to sign in, for the sign-in page to
// say: "timeout" (idle too long) or "ended" (signed out elsewhere, by an
// administrator, or by a security change).
const REASON_KEY = 'deskgate.signed-out';

// Off to sign-in, coming back to this page after (the page is remembered
// for this tab, so the sign-in page's address stays the plain one).
export function goToSignIn(reason = null) {
  markSignedIn(false);
  try {
    sessionStorage.setItem(RETURN_KEY, location.pathname + location.search);
    if (reason) sessionStorage.setItem(REASON_KEY, reason);
  } catch {
    // storage off: sign-in then leads home
  }
  location.replace(`/login/${lastPortal()}.html`);
}

// Whether this tab was signed in (set by every signed-in page, cleared by
// signing out), so that a session ended elsewhere can be told apart from
// a first visit.
const TAB_KEY = 'deskgate.tab-signed-in';

export function markSignedIn(on) {
  try {
    if (on) sessionStorage.setItem(TAB_KEY, '1');
    else sessionStorage.removeItem(TAB_KEY);
  } catch {
    // storage off: no reason is shown
  }
}

function wasSignedIn() {
  try {
    const was = sessionStorage.getItem(TAB_KEY) === '1';
    sessionStorage.removeItem(TAB_KEY);
    return was;
  } catch {
    return false;
  }
}

// The reason goToSignIn left, once: reading it removes it.
export function takeSignedOutReason() {
  try {
    const reason = sessionStorage.getItem(REASON_KEY);
    sessionStorage.removeItem(REASON_KEY);
    return reason;
  } catch {
    return null;
  }
}

// The signed-in person (/api/me), or null after sending the browser to
// sign in. Unless `allowPasswordChange`, someone who must change their
// password first is sent to do that.
export async function requireSignedIn({ allowPasswordChange = false } = {}) {
  let me;
  try {
    me = await getJson('/api/me');
  } catch {
    // Signed out (401), or the server cannot tell who this is: sign in —
    // saying so when this tab was signed in until now.
    goToSignIn(wasSignedIn() ? 'ended' : null);
    return null;
  }
  markSignedIn(true);
  try {
    localStorage.setItem(PORTAL_KEY, me.portal);
  } catch {
    // storage off: contacts then land on the agent sign-in page, which links theirs
  }
  if (me.must_change_password && !allowPasswordChange) {
    location.replace('/account/password.html');
    return null;
  }
  mountTopBar(me);
  return me;
}

// For pages that handle being signed out themselves: the top bar when
// someone is signed in, nothing otherwise.
export async function showTopBar() {
  try {
    const me = await getJson('/api/me');
    markSignedIn(true);
    mountTopBar(me);
    return me;
  } catch {
    return null;
  }
}

// `path` as a page of this site to go to, or null: resolved by the URL
// parser the browser will use (which drops tabs and newlines and reads a
// backslash as a slash, so "/\t/evil.example" would leave the site), kept
// only when it stays on this origin and is not a sign-in page or the API.
function sitePage(path) {
  if (typeof path !== 'string' || !path.startsWith('/')) return null;
  let url;
  try {
    url = new URL(path, location.origin);
  } catch {
    return null;
  }
  if (url.origin !== location.origin) return null;
  if (url.pathname.startsWith('/login/') || url.pathname.startsWith('/api/')) return null;
  return url.pathname + url.search + url.hash;
}

// Where a sign-in returns to, used once: the page named by ?next=, else
// the page that sent this tab to sign in, when it is a page of this site
// (never another origin, never a sign-in page); else null.
export function takeReturnPath(search = location.search) {
  let remembered = null;
  try {
    remembered = sessionStorage.getItem(RETURN_KEY);
    sessionStorage.removeItem(RETURN_KEY);
  } catch {
    // storage off
  }
  const next = new URLSearchParams(search).get('next');
  return next !== null ? sitePage(next) : sitePage(remembered);
}
