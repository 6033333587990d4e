// The audit log in words: each event as a person would say it, with what
// changed (before → after) where the entry records it. Unknown events
// fall back to their name, so nothing is ever hidden.
const PORTAL = { agent: 'agent portal', contact: 'customer portal' };
const METHOD = { sso: 'single sign-on', password: 'password', totp: 'authenticator app', email: 'email code', recovery: 'recovery code' };

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const portalOf = (e) => PORTAL[e.portal] ?? e.portal;

// "mfa: email OTP on → off; password: min length 12 → 14" from {before, after} objects.
function changes(before, after, prefix = '') {
  const out = [];
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const was = before?.[key];
    const now = after?.[key];
    const name = `${prefix}${key.replaceAll('_', ' ')}`;
    if (was && now && typeof was === 'object' && typeof now === 'object' && !Array.isArray(now)) {
      out.push(...changes(was, now, `${name} › `));
    } else if (JSON.stringify(was) !== JSON.stringify(now)) {
      const show = (v) => (v === true ? 'on' : v === false ? 'off' : v === undefined || v === null ? 'none'
        : Array.isArray(v) ? (v.join(', ') || 'none') : String(v));
      out.push(`${name}: ${show(was)} → ${show(now)}`);
    }
  }
  return out;
}

const beforeAfter = (d) => changes(d?.before, d?.after).join('; ');

function records(e, what) {
  const d = e.details ?? {};
  const noun = d.kind === 'software' ? 'software record' : 'asset';
  if (what === 'bulk_updated') {
    const n = d.updated ?? 0;
    const change = Object.entries(d.change ?? {}).map(([k, v]) => `${k.replace(/_id$/, '').replaceAll('_', ' ')} → ${v ?? 'none'}`).join(', ');
    return [`Bulk change to ${plural(n, noun)}`, change];
  }
  const fields = Object.keys(d.changes ?? {}).map((k) => k.replace(/_id$/, '').replaceAll('_', ' ')).join(', ');
  return [`Edited ${noun} #${d.id ?? ''}`.trim(), fields ? `changed: ${fields}` : ''];
}

const WORDS = {
  'login.success': (e) => [`Signed in to the ${portalOf(e)}`, e.details?.method ? `with ${METHOD[e.details.method] ?? e.details.method}` : ''],
  'login.failure': (e) => [`Failed sign-in to the ${portalOf(e)}`, 'wrong email or password'],
  'login.throttled': (e) => [`Sign-ins paused on the ${portalOf(e)}`, 'too many failed attempts'],
  'login.deactivated': () => ['Refused a deactivated account', ''],
  'login.password_verified': () => ['Password accepted, second step next', ''],
  'setup.completed': () => ['Created the first Administrator (setup link)', ''],
  'settings.authentication.changed': (e) => [`Changed the ${portalOf(e)}'s authentication settings`, beforeAfter(e.details)],
  'mail.settings_changed': (e) => ['Changed the mail server settings', e.target],
  'mail.settings_removed': () => ['Removed the mail server settings', ''],
  'mail.test_sent': (e) => ['Sent a test email', `to ${e.target}`],
  'mail.test_failed': (e) => ['Test email failed', e.details?.error ?? ''],
  'mfa.totp_enrolled': () => ['Set up an authenticator app', ''],
  'mfa.totp_setup_started': () => ['Started setting up an authenticator app', ''],
  'mfa.totp_setup_failed': () => ['Authenticator app setup failed', 'wrong code'],
  'mfa.email_code_sent': () => ['Emailed a sign-in code', ''],
  'mfa.failure': (e) => ['Wrong second-factor code', METHOD[e.details?.method] ?? ''],
  'mfa.replay': () => ['Refused a code used before', ''],
  'mfa.throttled': () => ['Second-factor attempts paused', 'too many wrong codes'],
  'mfa.reset': () => ['Reset MFA', 'the app and recovery codes were removed'],
  'mfa.recovery_code_used': () => ['Signed in with a recovery code', ''],
  'mfa.recovery_codes_viewed': () => ['Viewed recovery codes', ''],
  'mfa.recovery_codes_regenerated': () => ['Issued new recovery codes', ''],
  'mfa.recovery_requested': () => ['Asked an administrator for recovery codes', ''],
  'password.changed': () => ['Changed their password', ''],
  'password.change_failed': () => ['Password change refused', ''],
  'password.change_required': () => ['Must change password at sign-in', ''],
  'password.reset_by_admin': (e) => ['Required a password change', beforeAfter(e.details)],
  'password.reset_requested': () => ['Asked for a password reset link', ''],
  'password.reset_unknown': () => ['Password reset asked for an unknown address', ''],
  'password.reset': () => ['Reset their password with a link', ''],
  'person.created': (e) => [`Added to the ${portalOf(e)}`, ''],
  'person.invited': (e) => [`Invited to the ${portalOf(e)}`, e.details?.imported ? 'from a CSV import' : (e.details?.role ? `role ${e.details.role}` : '')],
  'person.invitation_accepted': () => ['Accepted their invitation', ''],
  'person.invitation_resent': () => ['Sent a new invitation link', ''],
  'person.invitation_revoked': () => ['Withdrew an invitation', ''],
  'person.updated': (e) => ['Edited a person', beforeAfter(e.details)],
  'person.deactivated': () => ['Deactivated an account', 'every session ended'],
  'person.reactivated': () => ['Reactivated an account', ''],
  'role.created': (e) => [`Created the role ${e.target}`, ''],
  'role.updated': (e) => [`Changed the role ${e.target}`, beforeAfter(e.details)],
  'role.deleted': () => ['Deleted a role', ''],
  'group.created': (e) => [`Added the group ${e.target}`, ''],
  'group.renamed': (e) => ['Renamed a group', beforeAfter(e.details)],
  'group.deleted': () => ['Deleted a group', ''],
  'location.created': (e) => [`Added the location ${e.target}`, ''],
  'location.renamed': (e) => ['Renamed a location', beforeAfter(e.details)],
  'location.deleted': () => ['Deleted a location', ''],
  'session.ended': () => ['Signed out', ''],
  'session.ended_others': () => ['Signed out their other sessions', ''],
  'session.expired': () => ['Session timed out', ''],
  'sessions.ended_by_mfa_policy': (e) => [`Signed everyone out of the ${portalOf(e)}`, 'MFA required immediately'],
  'sso.linked': () => ['Linked a single sign-on account', ''],
  'sso.unlinked': () => ['Unlinked a single sign-on account', ''],
  'sso.link_pending': () => ['Single sign-on link waiting for confirmation', ''],
  'sso.refused': (e) => ['Single sign-on refused', e.details?.message ?? ''],
  'sso.test_succeeded': () => ['Single sign-on test succeeded', ''],
  'sso.throttled': () => ['Single sign-on attempts paused', ''],
  'records.seeded': () => ['Filled the lists with demo data', ''],
};

// [title, detail] for one audit entry.
export function describe(e) {
  const [kind, what] = [e.event.slice(0, e.event.indexOf('.')), e.event.slice(e.event.indexOf('.') + 1)];
  if ((kind === 'asset' || kind === 'software') && (what === 'updated' || what === 'bulk_updated')) {
    return records(e, what);
  }
  const words = WORDS[e.event];
  return words ? words(e) : [e.event, ''];
}
