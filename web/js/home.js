// Landing page after sign-in: who is signed in, and sign-out.
import { signOut as endSession } from '/js/sign-out.js';
import { requireSignedIn } from '/js/signed-in.js';

const greeting = document.getElementById('greeting');
const summary = document.getElementById('summary');
const signOut = document.getElementById('sign-out');

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
  signOut.hidden = false;
  signOut.addEventListener('click', () => {
    signOut.disabled = true;
    endSession(me.portal);
  });
  document.body.dataset.ready = 'true';
}

main();
