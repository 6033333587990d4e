// The signed-in person's sessions: device, address, last activity.
import { getJson, postJson } from '/js/api.js';
import { goToSignIn, showTopBar } from '/js/signed-in.js';

const list = document.getElementById('sessions');
const status = document.getElementById('status');

// "Chrome on Linux" from a User-Agent string; good enough to recognise a device.
function describe(agent) {
  const browser = /Edg\//.test(agent) ? 'Edge' : /Chrome\//.test(agent) ? 'Chrome'
    : /Firefox\//.test(agent) ? 'Firefox' : /Safari\//.test(agent) ? 'Safari' : 'A browser';
  const system = /Windows/.test(agent) ? 'Windows' : /Android/.test(agent) ? 'Android'
    : /iPhone|iPad/.test(agent) ? 'iOS' : /Mac OS X/.test(agent) ? 'macOS'
      : /Linux/.test(agent) ? 'Linux' : 'an unknown system';
  return agent ? `${browser} on ${system}` : 'Unknown device';
}

function ago(seconds) {
  const minutes = Math.max(0, Math.round((Date.now() / 1000 - seconds) / 60));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 24 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

async function endSession(id) {
  const response = await fetch(`/api/sessions/${id}`, { method: 'DELETE' });
  status.textContent = response.ok ? 'Session ended.' : 'That session had already ended.';
  await load();
}

async function load() {
  let data;
  try {
    data = await getJson('/api/sessions');
  } catch {
    goToSignIn();
    return;
  }
  list.replaceChildren(...data.sessions.map((s) => {
    const li = document.createElement('li');
    li.className = 'session';
    li.dataset.current = String(s.current);
    const what = document.createElement('div');
    const title = document.createElement('strong');
    title.textContent = describe(s.user_agent);
    const meta = document.createElement('span');
    meta.className = 'hint';
    meta.textContent = `${s.ip} · last active ${ago(s.last_seen_at)}`;
    what.append(title, document.createElement('br'), meta);
    li.append(what);
    if (s.current) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = 'This device';
      li.append(badge);
    } else {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'ghost';
      button.textContent = 'End session';
      button.addEventListener('click', () => endSession(s.id));
      li.append(button);
    }
    return li;
  }));
  document.getElementById('end-others').disabled = data.sessions.length < 2;
  document.body.dataset.ready = 'true';
}

document.getElementById('end-others').addEventListener('click', async () => {
  const { ended } = await postJson('/api/sessions/end-others');
  status.textContent = `Signed out of ${ended} other session${ended === 1 ? '' : 's'}.`;
  await load();
});

load();
showTopBar();
