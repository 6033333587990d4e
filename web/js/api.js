// Calls to deskgate's JSON API. Errors come back as {error}; this turns
// them into thrown Errors carrying the HTTP status.
export async function postJson(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body ?? {}),
    credentials: 'same-origin',
  });
  return readJson(response);
}

export async function getJson(path) {
  return readJson(await fetch(path, { credentials: 'same-origin' }));
}

// PUT, DELETE…: a JSON body when given, none otherwise.
export async function sendJson(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  return readJson(response);
}

async function readJson(response) {
  let data = {};
  try {
    data = await response.json();
  } catch {
    // an empty or non-JSON body: keep {}
  }
  if (!response.ok) {
    const error = new Error(data.error ?? `Request failed (${response.status})`);
    error.status = response.status;
    error.body = data;
    // Seconds to wait before asking again (429s say so in a header, some in the body too).
    const retryAfter = Number(data.retry_after ?? response.headers.get('Retry-After'));
    if (Number.isFinite(retryAfter) && retryAfter > 0) error.retryAfter = retryAfter;
    throw error;
  }
  return data;
}

// "must be …" → "Must be …": field messages read as sentences on a page.
export function sentence(text) {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

// `text` as a URL when it is an https address, else null: the only kind of
// address the pages send people to at an identity provider.
export function httpsUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}
