// Small helpers for pages that build their markup in script. Text always
// goes in as text (never as HTML); the CSP allows no inline styles, so looks
// come from classes in app.css.

// el('p', { className: 'hint', id: 'x', hidden: true }, 'text', child…)
// Keys that are element properties (className, hidden, disabled, type…) are
// set as properties; `data` takes an object of data-* values; anything else
// (aria-*, for, inputmode…) becomes an attribute.
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'data') {
      Object.assign(node.dataset, value);
    } else if (key in node && !key.includes('-')) {
      node[key] = value;
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

// "29 Nov 2025, 14:05" in the reader's locale, from Unix seconds.
export function formatTime(seconds) {
  if (!seconds) return '—';
  return new Date(seconds * 1000).toLocaleString(undefined, {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
  });
}

// Today's times as "today, 08:26"; other days as formatTime.
export function formatShort(seconds) {
  if (!seconds) return '—';
  const date = new Date(seconds * 1000);
  return date.toDateString() === new Date().toDateString()
    ? `today, ${date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`
    : formatTime(seconds);
}

export function formatDate(seconds) {
  if (!seconds) return '—';
  return new Date(seconds * 1000).toLocaleDateString(undefined, {
    day: 'numeric', month: 'short', year: 'numeric',
  });
}

// "45 s" / "2 min 05 s" / "1 h 20 min": what a countdown shows.
export function formatWait(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  if (s <= 90) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${String(s % 60).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
}

// "just now" / "3 minutes ago" / "2 hours ago" / "yesterday", from Unix seconds.
export function formatAgo(seconds, now = Date.now() / 1000) {
  const diff = Math.max(0, now - seconds);
  if (diff < 45) return 'just now';
  const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (diff < 3600) return relative.format(-Math.max(1, Math.floor(diff / 60)), 'minute');
  if (diff < 86400) return relative.format(-Math.floor(diff / 3600), 'hour');
  return relative.format(-Math.floor(diff / 86400), 'day');
}
