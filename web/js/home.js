// Landing page after sign-in: who is signed in, the areas they may use
// (grouped), waiting recovery-code requests for those who handle them,
// and sign-out.
import { getJson } from '/js/api.js';
import { signOut as endSession } from '/js/sign-out.js';
import { requireSignedIn } from '/js/signed-in.js';

const greeting = document.getElementById('greeting');
const summary = document.getElementById('summary');
const signOut = document.getElementById('sign-out');

// "2 waiting" on the MFA recovery card while people wait for new codes.
async function showWaitingRequests() {
  let waiting = 0;
  try {
    waiting = (await getJson('/api/mfa/recovery-requests')).requests.length;
  } catch {
    return;
  }
  if (!waiting) return;
  const title = document.querySelector('#links a[href="/admin/mfa.html"] strong');
  const badge = document.createElement('span');
  badge.className = 'badge badge-warn card-badge';
  badge.id = 'recovery-waiting';
  badge.textContent = `${waiting} waiting`;
  badge.setAttribute('aria-label', `${waiting} recovery-code request${waiting === 1 ? '' : 's'} waiting`);
  title?.after(badge);
}

async function main() {
  const me = await requireSignedIn();
  if (!me) return;
  greeting.textContent = `Welcome, ${me.name || me.email}`;
  document.getElementById('who').textContent = me.email;
  summary.textContent = me.portal === 'agent'
    ? `You are signed in to the agent portal as ${me.role}.`
    : 'You are signed in to the customer portal.';
  const links = document.getElementById('links');
  for (const item of links.querySelectorAll('[data-needs]')) {
    item.hidden = !me.permissions.includes(item.dataset.needs);
  }
  for (const item of links.querySelectorAll('[data-portal]')) {
    item.hidden = item.dataset.portal !== me.portal;
  }
  // An area with nothing this person may open is not shown at all.
  for (const area of links.querySelectorAll('.home-area')) {
    area.hidden = ![...area.querySelectorAll('li')].some((item) => !item.hidden);
  }
  if (me.permissions.includes('manage_agent_mfa')) showWaitingRequests();
  signOut.hidden = false;
  signOut.addEventListener('click', () => {
    signOut.disabled = true;
    endSession(me.portal);
  });
  document.body.dataset.ready = 'true';
}

main();
