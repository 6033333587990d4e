// Signing out, in one place. A session that began with single sign-on may
// also end the identity provider's session: the server answers with the
// provider's logout address, which travels to the portal's sign-in page in
// sessionStorage (never in the URL), where the page offers it as a link.
import { httpsUrl, postJson } from '/js/api.js';

const KEY = 'deskgate.provider-sign-out';

// Ends this deskgate session and goes to the portal's sign-in page.
export async function signOut(portal) {
  try {
    sessionStorage.removeItem('deskgate.tab-signed-in');  // signed-in.js: no "session ended" after this
  } catch {
    // storage off
  }
  let result = {};
  try {
    result = await postJson('/api/logout');
  } catch {
    // 401: the session had already ended; the sign-in page is still where to go.
  }
  try {
    if (result.end_session_url) {
      sessionStorage.setItem(KEY, JSON.stringify({ portal, url: result.end_session_url }));
    } else {
      sessionStorage.removeItem(KEY);
    }
  } catch {
    // Storage turned off: the offer is a convenience, sign-out itself is done.
  }
  location.assign(`/login/${portal}.html`);
}

// The provider's logout address left by signOut for this portal, once:
// reading it removes it. Only an https address is offered.
export function takeProviderSignOut(portal) {
  let saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    sessionStorage.removeItem(KEY);
  } catch {
    return null;
  }
  if (!saved || saved.portal !== portal || typeof saved.url !== 'string') return null;
  return httpsUrl(saved.url);
}
