// The agent and contact lists administrators manage: one page served at
// /admin/agents.html and /admin/contacts.html, the address says which.
// Filters and paging run on the server (GET /api/people); a row opens a
// dialog to edit the name, role and groups, and to deactivate, reactivate,
// require a password change or go to the person's MFA recovery. Every rule
// (administrators only, not yourself, never the last Administrator) is the
// server's; the page shows its answer.
import { getJson, sendJson, sentence } from '/js/api.js';
import { confirmDialog } from '/js/confirm-dialog.js';
import { el, formatAgo, formatDate } from '/js/dom.js';
import { setUpImport } from '/js/people-import.js';
import { requireSignedIn } from '/js/signed-in.js';

const PAGE = 50;
const portal = location.pathname.endsWith('/contacts.html') ? 'contact' : 'agent';
const agents = portal === 'agent';
const TEXT = {
  agent: {
    title: 'Agents',
    lead: 'Everyone on the helpdesk team: their role and groups, how they sign in, and who is deactivated.',
  },
  contact: {
    title: 'Contacts',
    lead: 'The people who use the customer portal: how they sign in, and who is deactivated.',
  },
}[portal];

const $ = (id) => document.getElementById(id);
const form = $('filters');
const dialog = $('person-dialog');
const personForm = $('person-form');
let offset = 0;
let me;
let roles = [];
let groups = [];
let current;  // the person the dialog shows
let searchTimer;
let invitationLink = null;
let sort = { key: 'name', descending: false };

// "Mail is not set up: send this link yourself", with a copy button.
function linkNotice(link) {
  const field = el('input', { type: 'text', readOnly: true, value: link, className: 'link-field', 'aria-label': 'Invitation link' });
  const copy = el('button', { type: 'button', className: 'button-secondary' }, 'Copy link');
  copy.addEventListener('click', async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(link);
      copy.textContent = 'Copied';
    } catch {
      copy.textContent = 'Select and copy';
    }
  });
  return el('div', { className: 'notice invite-link', id: 'invite-link' },
    el('p', {}, 'Mail is not set up, so no email was sent. Send this one-time link to them yourself; it works for 7 days:'),
    el('div', { className: 'link-row' }, field, copy));
}

function showPortal() {
  document.title = `${TEXT.title} · deskgate`;
  $('people-title').textContent = TEXT.title;
  $('people-lead').textContent = TEXT.lead;
  for (const link of document.querySelectorAll('[data-people-link]')) {
    if (link.dataset.peopleLink === portal) link.setAttribute('aria-current', 'page');
  }
  for (const node of document.querySelectorAll('[data-agents-only]')) node.hidden = !agents;
}

function query() {
  const params = new URLSearchParams({ portal });
  for (const name of ['q', 'role_id', 'group_id', 'mfa', 'sso', 'status']) {
    const field = form.elements[name];
    const value = field && !field.closest('[hidden]') ? field.value.trim() : '';
    if (value) params.set(name, value);
  }
  if (sort.key !== 'name' || sort.descending) params.set('sort', `${sort.descending ? '-' : ''}${sort.key}`);
  params.set('limit', PAGE);
  params.set('offset', offset);
  return params;
}

// The sortable headers: a click sorts by that column, a second reverses it.
// Last sign-in starts with the most recent.
function showSort() {
  for (const th of document.querySelectorAll('th[data-sort]')) {
    const on = th.dataset.sort === sort.key;
    th.classList.toggle('is-sorted', on);
    th.setAttribute('aria-sort', on ? (sort.descending ? 'descending' : 'ascending') : 'none');
    th.querySelector('.sort-arrow').textContent = on ? (sort.descending ? '▼' : '▲') : '';
  }
}

function setUpSorting() {
  for (const th of document.querySelectorAll('th[data-sort]')) {
    th.querySelector('button').addEventListener('click', () => {
      const key = th.dataset.sort;
      sort = key === sort.key ? { key, descending: !sort.descending }
        : { key, descending: key === 'last_sign_in' };
      offset = 0;
      showSort();
      load();
    });
  }
  showSort();
}

function showError(error) {
  const box = $('load-error');
  box.hidden = false;
  box.textContent = error.status === 403 ? 'Only Administrators manage people.' : sentence(error.message);
}

// "App since 3 Nov 2026 · 8 codes left", or what is missing.
function securityText(p) {
  if (!p.mfa.app_enrolled) return p.sso_linked ? 'Single sign-on · no app' : 'No authenticator app';
  const codes = `${p.mfa.recovery_codes_left} code${p.mfa.recovery_codes_left === 1 ? '' : 's'} left`;
  return `App since ${formatDate(p.mfa.app_enrolled_at)} · ${codes}`;
}

function lastSignInText(p) {
  if (!p.last_sign_in.at) return 'Never';
  const how = p.last_sign_in.method === 'sso' ? 'single sign-on' : 'password';
  return `${formatAgo(p.last_sign_in.at)} · ${how}`;
}

function statusBadge(p) {
  if (!p.active) return el('span', { className: 'badge badge-off' }, 'Deactivated');
  if (p.status === 'invited') {
    return el('span', { className: 'badge badge-warn' }, p.invitation_expires_at ? 'Invited' : 'Invitation withdrawn');
  }
  if (p.must_change_password) return el('span', { className: 'badge badge-warn' }, 'Must change password');
  return el('span', { className: 'badge' }, 'Active');
}

function row(p) {
  const open = el('button', { type: 'button', className: 'link-button person-open', data: { id: p.id } },
    p.name || p.email);
  open.addEventListener('click', () => openPerson(p.id));
  const cells = [
    el('td', {}, open, el('span', { className: 'cell-note' }, p.email)),
  ];
  if (agents) {
    const names = p.groups.map((g) => g.name).join(', ');
    cells.push(el('td', {}, p.role.name ?? '—', el('span', { className: 'cell-note' }, names || 'No groups')));
  }
  cells.push(el('td', {}, securityText(p)), el('td', {}, lastSignInText(p)),
    el('td', { className: 'num' }, String(p.active_sessions)), el('td', {}, statusBadge(p)));
  return el('tr', { data: { person: p.email } }, ...cells);
}

async function load() {
  let page;
  try {
    page = await getJson(`/api/people?${query()}`);
  } catch (error) {
    showError(error);
    document.body.dataset.ready = 'true';
    return;
  }
  $('load-error').hidden = true;
  $('rows').replaceChildren(...page.rows.map(row));
  $('empty').hidden = page.rows.length > 0;
  const last = Math.min(offset + page.rows.length, page.total);
  const many = TEXT.title.toLowerCase();
  $('people-count').textContent = `${page.total.toLocaleString()} ${page.total === 1 ? many.slice(0, -1) : many}`;
  $('range').textContent = page.total ? `${offset + 1}–${last} of ${page.total.toLocaleString()}` : '';
  $('prev').disabled = offset === 0;
  $('next').disabled = last >= page.total;
  document.body.dataset.ready = 'true';
}

function fact(label, value) {
  return el('div', {}, el('dt', {}, label), el('dd', {}, value));
}

function fillDialog(p) {
  current = p;
  $('person-name').textContent = p.name || p.email;
  $('person-email').textContent = p.email;
  const badge = statusBadge(p);
  $('person-status').className = badge.className;
  $('person-status').textContent = badge.textContent;
  $('person-facts').replaceChildren(
    fact('Sign-in security', securityText(p)),
    fact('Last sign-in', lastSignInText(p)),
    fact('Open sessions', String(p.active_sessions)),
    fact('Single sign-on', p.sso_linked ? 'Linked' : 'Not linked'));
  personForm.elements.name.value = p.name;
  if (agents) {
    $('person-role').replaceChildren(...roles.map((r) =>
      el('option', { value: r.id, selected: r.id === p.role.id }, r.name)));
    const mine = new Set(p.groups.map((g) => g.id));
    $('person-groups').replaceChildren(...(groups.length ? groups.map((g) =>
      el('label', { className: 'check' },
        el('input', { type: 'checkbox', name: 'group', value: g.id, checked: mine.has(g.id) }), g.name))
      : [el('p', { className: 'hint' }, 'No groups yet.')]));
  }
  $('person-error').hidden = true;
  $('person-actions').replaceChildren(...actionsFor(p));
}

function actionButton(label, onClick, danger = false) {
  const button = el('button', { type: 'button', className: danger ? 'button-secondary danger' : 'button-secondary' },
    label);
  button.addEventListener('click', onClick);
  return button;
}

function actionsFor(p) {
  const self = p.id === me.id;
  const actions = [];
  if (p.active && !self) {
    actions.push(actionButton('Deactivate…', () => deactivate(p), true));
  } else if (!p.active) {
    actions.push(actionButton('Reactivate', () => act(() => sendJson('POST', `/api/people/${p.id}/reactivate`, {}))));
  }
  if (p.status === 'invited' && p.active) {
    actions.push(actionButton(p.invitation_expires_at ? 'Resend invitation' : 'Invite again', () =>
      act(async () => showLink(await sendJson('POST', `/api/people/${p.id}/invitation`, {})))));
    if (p.invitation_expires_at) {
      actions.push(actionButton('Withdraw invitation', () =>
        act(() => sendJson('DELETE', `/api/people/${p.id}/invitation`)), true));
    }
  }
  if (p.sso_linked) {
    actions.push(actionButton('Unlink single sign-on', async () => {
      const ok = await confirmDialog({
        title: `Unlink ${p.name || p.email} from single sign-on?`,
        message: ['Their sessions from single sign-on end. At their next single sign-on, the identity links again '
          + 'only once they confirm it is theirs.'],
        confirmLabel: 'Unlink',
        danger: true,
      });
      if (ok) await act(() => sendJson('POST', `/api/people/${p.id}/sso/unlink`, {}));
    }));
  }
  if (p.active && p.status !== 'invited' && !p.must_change_password && !self) {
    actions.push(actionButton('Require password change', () =>
      act(() => sendJson('POST', `/api/people/${p.id}/require-password-change`, {}))));
  }
  if (me.permissions.includes('manage_agent_mfa')) {
    actions.push(el('a', {
      className: 'button-secondary',
      href: `/admin/mfa.html?${new URLSearchParams({ portal, email: p.email })}`,
    }, 'MFA and recovery codes'));
  }
  return actions;
}

async function deactivate(p) {
  const sessions = p.active_sessions === 1 ? 'their open session ends' : `their ${p.active_sessions} open sessions end`;
  const ok = await confirmDialog({
    title: `Deactivate ${p.name || p.email}?`,
    message: [`They cannot sign in any more, by password or single sign-on, and ${sessions} now.`,
      'Their history and records stay. You can reactivate them later.'],
    confirmLabel: 'Deactivate',
    danger: true,
  });
  if (ok) await act(() => sendJson('POST', `/api/people/${p.id}/deactivate`, {}));
}

// A fresh invitation: mailed, or (without mail) the link to pass on.
function showLink(issued) {
  const done = issued.mailed ? null : issued.link;
  invitationLink = done;
  return issued.person;
}

// Runs a change, then shows the person as the server now has them.
async function act(work) {
  const error = $('person-error');
  error.hidden = true;
  invitationLink = null;
  try {
    const answer = await work();
    fillDialog(answer && answer.id ? answer : await getJson(`/api/people/${current.id}`));
    if (invitationLink) {
      $('person-actions').append(linkNotice(invitationLink));
    }
    await load();
  } catch (failure) {
    error.hidden = false;
    error.textContent = sentence(failure.message);
  }
}

async function openPerson(id) {
  try {
    fillDialog(await getJson(`/api/people/${id}`));
  } catch (error) {
    showError(error);
    return;
  }
  dialog.showModal();
}

async function save(event) {
  event.preventDefault();
  const change = { name: personForm.elements.name.value };
  if (agents) {
    change.role_id = Number($('person-role').value);
    change.group_ids = [...$('person-groups').querySelectorAll('input:checked')].map((c) => Number(c.value));
  }
  if (!change.name.trim()) {
    $('person-error').hidden = false;
    $('person-error').textContent = 'Enter a name.';
    return;
  }
  await act(() => sendJson('PATCH', `/api/people/${current.id}`, change));
  if ($('person-error').hidden) dialog.close();
}

function openInvite() {
  const form = $('invite-form');
  form.reset();
  form.hidden = false;
  $('invite-title').textContent = agents ? 'Invite an agent' : 'Invite a contact';
  $('invite-hint').textContent = 'They get a one-time link, valid for 7 days, to choose their password.';
  if (agents) {
    $('invite-role').replaceChildren(...roles.map((r) => el('option', { value: r.id, selected: r.name === 'Agent' }, r.name)));
    $('invite-groups').replaceChildren(...(groups.length ? groups.map((g) =>
      el('label', { className: 'check' }, el('input', { type: 'checkbox', value: g.id }), g.name))
      : [el('p', { className: 'hint' }, 'No groups yet.')]));
  }
  $('invite-error').hidden = true;
  $('invite-done').hidden = true;
  $('invite-send').hidden = false;
  $('invite-dialog').showModal();
}

async function sendInvite(event) {
  event.preventDefault();
  const form = $('invite-form');
  const body = { portal, name: form.elements.name.value.trim(), email: form.elements.email.value.trim() };
  const error = $('invite-error');
  error.hidden = true;
  if (!body.name || !body.email) {
    error.hidden = false;
    error.textContent = 'Enter their name and email.';
    return;
  }
  if (agents) {
    body.role_id = Number($('invite-role').value);
    body.group_ids = [...$('invite-groups').querySelectorAll('input:checked')].map((c) => Number(c.value));
  }
  let issued;
  try {
    issued = await sendJson('POST', '/api/people/invite', body);
  } catch (failure) {
    error.hidden = false;
    error.textContent = sentence(failure.message);
    return;
  }
  const done = $('invite-done');
  done.hidden = false;
  done.replaceChildren(issued.mailed
    ? el('p', { className: 'notice notice-ok' }, `Invitation sent to ${issued.person.email}.`)
    : linkNotice(issued.link));
  $('invite-send').hidden = true;
  await load();
}

async function loadChoices() {
  if (!agents) return;
  [roles, groups] = await Promise.all([
    getJson('/api/roles').then((r) => r.roles),
    getJson('/api/groups').then((g) => g.groups),
  ]);
  $('filter-role').append(...roles.map((r) => el('option', { value: r.id }, r.name)));
  $('filter-group').append(...groups.map((g) => el('option', { value: g.id }, g.name)));
}

async function main() {
  showPortal();
  me = await requireSignedIn();
  if (!me) return;
  $('who').textContent = me.email;
  if (!me.permissions.includes('administrator')) {
    showError({ status: 403 });
    document.body.dataset.ready = 'true';
    return;
  }
  try {
    await loadChoices();
  } catch (error) {
    showError(error);
  }
  form.addEventListener('change', () => { offset = 0; load(); });
  form.addEventListener('submit', (event) => { event.preventDefault(); offset = 0; load(); });
  form.elements.q.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { offset = 0; load(); }, 250);
  });
  $('prev').addEventListener('click', () => { offset = Math.max(0, offset - PAGE); load(); });
  $('next').addEventListener('click', () => { offset += PAGE; load(); });
  personForm.addEventListener('submit', save);
  $('invite-open').addEventListener('click', openInvite);
  $('invite-form').addEventListener('submit', sendInvite);
  $('invite-close').addEventListener('click', () => $('invite-dialog').close());
  $('person-close').addEventListener('click', () => dialog.close());
  setUpSorting();
  setUpImport({
    portal,
    noun: agents ? { one: 'agent', many: 'agents' } : { one: 'contact', many: 'contacts' },
    onImported: load,
  });
  await load();
}

main();
