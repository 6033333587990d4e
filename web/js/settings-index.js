// The Settings index: the settings areas this person's role opens.
import { requireSignedIn } from '/js/signed-in.js';

async function main() {
  const me = await requireSignedIn();
  if (!me) return;
  const items = [...document.querySelectorAll('#links [data-needs]')];
  for (const item of items) item.hidden = !me.permissions.includes(item.dataset.needs);
  document.getElementById('nothing').hidden = items.some((item) => !item.hidden);
  document.body.dataset.ready = 'true';
}

main();
