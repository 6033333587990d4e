// The roles page: the built-in roles, read-only, and custom roles whose
// permissions are checkboxes in the brief's words. Saving applies to the
// members' next request; deleting a role with members asks where they go.
// The rules are the server's (PeopleService); the page shows its answers.
import { getJson, sendJson, sentence } from '/js/api.js';
import { confirmDialog } from '/js/confirm-dialog.js';
import { el } from '/js/dom.js';
import { requireSignedIn } from '/js/signed-in.js';

const $ = (id) => document.getElementById(id);

const FLAGS = [
  { key: 'manage_authentication', label: 'Access to Agent & Contact Authentication',
    hint: 'Portal access, multi-factor authentication, password requirements and session timeouts of both portals.' },
  { key: 'manage_agent_mfa', label: 'Access to Agent Recovery Code and Reset MFA',
    hint: 'View or reissue someone’s recovery codes, and reset their MFA when they lose their phone.' },
  { key: 'read_audit', label: 'Audit log',
    hint: 'Read and export the record of sign-ins, settings changes and security events.' },
];
const ASSET_EDIT = [
  { value: 'all', label: 'Edit every asset and software record' },
  { value: 'own_groups', label: 'Edit only records managed by their groups' },
  { value: 'none', label: 'View assets and software only' },
];

let roles = [];

function roleForm(role) {
  const fixed = role.builtin;
  const form = el('form', { className: 'card role-card', data: { role: role.name }, novalidate: true });
  const title = role.id
    ? el('div', { className: 'status-row' },
      el('div', {}, el('h2', {}, role.name),
        el('p', { className: 'hint' }, `${role.members} ${role.members === 1 ? 'member' : 'members'}`)),
      fixed ? el('span', { className: 'badge badge-off' }, 'Built-in') : null)
    : el('h2', {}, 'New role');
  const name = fixed ? null : el('label', { className: 'field' }, el('span', { className: 'field-label' }, 'Name'),
    el('input', { type: 'text', name: 'name', value: role.name ?? '', maxLength: 100, required: true, autocomplete: 'off' }));
  const flags = FLAGS.map((f) => el('label', { className: 'permission' },
    el('input', { type: 'checkbox', name: f.key, checked: role.administrator || role[f.key], disabled: fixed }),
    el('span', {}, el('strong', {}, f.label), el('span', { className: 'cell-note' }, f.hint))));
  const assets = el('fieldset', { className: 'asset-edit' }, el('legend', { className: 'field-label' }, 'Assets and software'),
    ...ASSET_EDIT.map((a) => el('label', { className: 'check' },
      el('input', { type: 'radio', name: 'asset_edit', value: a.value, checked: (role.asset_edit ?? 'none') === a.value,
        disabled: fixed }), a.label)));
  const admin = role.administrator
    ? el('p', { className: 'hint' }, 'Administrators also manage people, roles and every setting.') : null;
  const error = el('p', { className: 'form-error', role: 'alert', hidden: true });
  const actions = fixed ? null : el('div', { className: 'role-actions' },
    role.id ? el('button', { type: 'button', className: 'ghost danger', data: { action: 'delete' } }, 'Delete role…') : null,
    el('button', { type: 'submit', className: 'primary compact' }, role.id ? 'Save' : 'Create role'));
  form.append(...[title, name, ...flags, assets, admin, error, actions].filter(Boolean));
  if (!fixed) {
    form.addEventListener('submit', (event) => { event.preventDefault(); save(role, form, error); });
    form.querySelector('[data-action="delete"]')?.addEventListener('click', () => remove(role));
  }
  return form;
}

function bodyOf(form) {
  const body = { name: form.elements.name.value.trim(), asset_edit: form.elements.asset_edit.value };
  for (const f of FLAGS) body[f.key] = form.elements[f.key].checked;
  return body;
}

async function save(role, form, error) {
  error.hidden = true;
  try {
    if (role.id) {
      await sendJson('PATCH', `/api/roles/${role.id}`, bodyOf(form));
    } else {
      await sendJson('POST', '/api/roles', bodyOf(form));
    }
  } catch (failure) {
    error.hidden = false;
    error.textContent = sentence(failure.message);
    return;
  }
  await load();
}

async function remove(role) {
  if (role.members === 0) {
    const ok = await confirmDialog({ title: `Delete ${role.name}?`, message: 'Nobody has this role.',
      confirmLabel: 'Delete role', danger: true });
    if (!ok) return;
    try {
      await sendJson('DELETE', `/api/roles/${role.id}`);
    } catch (failure) {
      $('load-error').hidden = false;
      $('load-error').textContent = sentence(failure.message);
    }
    await load();
    return;
  }
  $('move-title').textContent = `Delete ${role.name}?`;
  $('move-text').textContent = `${role.members} ${role.members === 1 ? 'agent has' : 'agents have'} this role. `
    + 'Choose the role they get instead; they are moved in the same step.';
  $('move-to').replaceChildren(...roles.filter((r) => r.id !== role.id)
    .map((r) => el('option', { value: r.id, selected: r.name === 'Agent' }, r.name)));
  $('move-error').hidden = true;
  $('move-form').onsubmit = async (event) => {
    event.preventDefault();
    try {
      await sendJson('DELETE', `/api/roles/${role.id}?move_to=${encodeURIComponent($('move-to').value)}`);
    } catch (failure) {
      $('move-error').hidden = false;
      $('move-error').textContent = sentence(failure.message);
      return;
    }
    $('move-dialog').close();
    await load();
  };
  $('move-dialog').showModal();
}

async function load() {
  try {
    roles = (await getJson('/api/roles')).roles;
  } catch (error) {
    $('load-error').hidden = false;
    $('load-error').textContent = error.status === 403 ? 'Only Administrators manage roles.' : sentence(error.message);
    document.body.dataset.ready = 'true';
    return;
  }
  $('roles').replaceChildren(...roles.map(roleForm));
  document.body.dataset.ready = 'true';
}

async function main() {
  const me = await requireSignedIn();
  if (!me) return;
  $('who').textContent = me.email;
  $('new-role').addEventListener('click', () => {
    const draft = roleForm({ name: '', asset_edit: 'none' });
    $('roles').prepend(draft);
    draft.elements.name.focus();
  });
  $('move-cancel').addEventListener('click', () => $('move-dialog').close());
  await load();
}

main();
