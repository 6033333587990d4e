// SqliteStore: single sign-on (providers, attempts in flight, linked identities).
#include <sqlite3.h>

#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::store {

Result<std::optional<SsoProviderRow>> SqliteStore::GetSsoProvider(Portal portal) {
  std::lock_guard lock(mutex_);
  return SsoProviderLocked(portal);
}

Result<std::optional<SsoProviderRow>> SqliteStore::SsoProviderLocked(Portal portal) {
  std::optional<SsoProviderRow> found;
  Status s = QueryLocked(
      "SELECT settings, client_secret, updated_at, tested_by, tested_at, version "
      "FROM sso_providers WHERE portal = ?1",
      [&](Statement& st) { st.Bind(1, PortalName(portal)); },
      [&](const Statement& row) {
        SsoProviderRow r;
        r.settings_json = row.ColumnText(0);
        r.client_secret = row.ColumnBlob(1);
        r.updated_at = row.ColumnInt(2);
        if (!row.ColumnIsNull(3)) r.tested_by = row.ColumnInt(3);
        r.tested_at = row.ColumnInt(4);
        r.version = row.ColumnInt(5);
        found = std::move(r);
      });
  if (!s.ok()) return s;
  return found;
}

Status SqliteStore::CheckGuardLocked(Portal portal, const SignInGuard& guard) {
  if (!guard) return Status::Ok();
  PortalSignInState state;
  Status s = QueryLocked(
      "SELECT settings FROM portal_settings WHERE portal = ?1",
      [&](Statement& st) { st.Bind(1, PortalName(portal)); },
      [&](const Statement& row) { state.settings_json = row.ColumnText(0); });
  if (!s.ok()) return s;
  auto provider = SsoProviderLocked(portal);
  if (!provider.ok()) return provider.status();
  state.provider = std::move(provider).value();
  return guard(state);
}

Status SqliteStore::DeletePortalRowsLocked(Portal portal,
                                           std::initializer_list<const char*> tables) {
  for (const char* table : tables) {
    Status s = ExecLocked(std::string("DELETE FROM ") + table + " WHERE portal = ?1",
                          [&](Statement& st) { st.Bind(1, PortalName(portal)); });
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status SqliteStore::NoticesAndAuditLocked(const std::vector<OutgoingMail>& notices,
                                          const AuditEvent& audit) {
  for (const OutgoingMail& mail : notices) {
    if (Status s = InsertMailLocked(mail, audit.at); !s.ok()) return s;
  }
  return AuditLocked(audit);
}

Status SqliteStore::PutSsoProvider(Portal portal, const SsoProviderRow& row, bool unlink,
                                   const AuditEvent& audit, const SignInGuard& guard,
                                   const std::vector<OutgoingMail>& notices) {
  std::lock_guard lock(mutex_);
  return InTransaction([&]() -> Status {
    if (Status g = CheckGuardLocked(portal, guard); !g.ok()) return g;
    Status s = ExecLocked(
        "INSERT INTO sso_providers "
        "(portal, settings, client_secret, version, updated_at, tested_by, tested_at) "
        "VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6) ON CONFLICT (portal) DO UPDATE SET "
        "settings = ?2, client_secret = ?3, version = version + 1, updated_at = ?4, "
        "tested_by = ?5, tested_at = ?6",
        [&](Statement& st) {
          st.Bind(1, PortalName(portal)).Bind(2, row.settings_json).Bind(4, row.updated_at);
          if (!row.client_secret.empty()) st.Bind(3, row.client_secret);
          st.Bind(5, row.tested_by).Bind(6, row.tested_at);
        });
    if (s.ok() && unlink)
      s = DeletePortalRowsLocked(portal, {"sso_identities", "sso_pending_links"});
    return s.ok() ? NoticesAndAuditLocked(notices, audit) : s;
  });
}

Status SqliteStore::DeleteSsoProvider(Portal portal, const AuditEvent& audit,
                                      const SignInGuard& guard,
                                      const std::vector<OutgoingMail>& notices) {
  std::lock_guard lock(mutex_);
  return InTransaction([&]() -> Status {
    if (Status g = CheckGuardLocked(portal, guard); !g.ok()) return g;
    Status s = DeletePortalRowsLocked(
        portal, {"sso_providers", "sso_attempts", "sso_identities", "sso_pending_links"});
    return s.ok() ? NoticesAndAuditLocked(notices, audit) : s;
  });
}

Result<bool> SqliteStore::MarkSsoTested(Portal portal, int64_t person_id, int64_t version,
                                        const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  bool marked = false;
  Status s = InTransaction([&]() -> Status {
    Status r = ExecLocked(
        "UPDATE sso_providers SET tested_by = ?2, tested_at = ?3 "
        "WHERE portal = ?1 AND version = ?4",
        [&](Statement& st) {
          st.Bind(1, PortalName(portal)).Bind(2, person_id).Bind(3, audit.at).Bind(4, version);
        });
    if (!r.ok()) return r;
    marked = sqlite3_changes(db_.handle()) == 1;
    return AuditLocked(audit);
  });
  if (!s.ok()) return s;
  return marked;
}

Status SqliteStore::AddSsoAttempt(const SsoAttempt& a) {
  std::lock_guard lock(mutex_);
  return InTransaction([&]() -> Status {
    Status s = ExecLocked("DELETE FROM sso_attempts WHERE expires_at <= ?1",
                          [&](Statement& st) { st.Bind(1, a.created_at); });
    if (!s.ok()) return s;
    return ExecLocked(
        "INSERT INTO sso_attempts (state_hash, portal, purpose, secrets, binding_hash, person_id, "
        "created_at, expires_at, provider_version, invitation_id) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        [&](Statement& st) {
          st.Bind(1, a.state_hash).Bind(2, PortalName(a.portal)).Bind(3, a.purpose);
          st.Bind(4, a.secrets).Bind(5, a.binding_hash).Bind(6, a.person_id);
          st.Bind(7, a.created_at).Bind(8, a.expires_at).Bind(9, a.provider_version);
          st.Bind(10, a.invitation_id);
        });
  });
}

Result<std::optional<SsoAttempt>> SqliteStore::TakeSsoAttempt(const std::string& state_hash,
                                                              int64_t now) {
  std::lock_guard lock(mutex_);
  std::optional<SsoAttempt> taken;
  // DELETE … RETURNING: of two requests with the same state, one gets it.
  Status s = QueryLocked(
      "DELETE FROM sso_attempts WHERE state_hash = ?1 RETURNING portal, purpose, secrets, "
      "binding_hash, person_id, created_at, expires_at, provider_version, invitation_id",
      [&](Statement& st) { st.Bind(1, state_hash); },
      [&](const Statement& row) {
        SsoAttempt a;
        a.state_hash = state_hash;
        a.portal = *ParsePortal(row.ColumnText(0));
        a.purpose = row.ColumnText(1);
        a.secrets = row.ColumnBlob(2);
        a.binding_hash = row.ColumnText(3);
        if (!row.ColumnIsNull(4)) a.person_id = row.ColumnInt(4);
        a.created_at = row.ColumnInt(5);
        a.expires_at = row.ColumnInt(6);
        a.provider_version = row.ColumnInt(7);
        if (!row.ColumnIsNull(8)) a.invitation_id = row.ColumnInt(8);
        taken = std::move(a);
      });
  if (!s.ok()) return s;
  if (taken && taken->expires_at <= now) taken.reset();
  return taken;
}

Result<std::optional<int64_t>> SqliteStore::FindSsoIdentity(Portal portal,
                                                            const std::string& issuer,
                                                            const std::string& subject) {
  std::lock_guard lock(mutex_);
  std::optional<int64_t> person;
  Status s = QueryLocked(
      "SELECT person_id FROM sso_identities WHERE portal = ?1 AND issuer = ?2 AND subject = ?3",
      [&](Statement& st) { st.Bind(1, PortalName(portal)).Bind(2, issuer).Bind(3, subject); },
      [&](const Statement& row) { person = row.ColumnInt(0); });
  if (!s.ok()) return s;
  return person;
}

Result<bool> SqliteStore::HasSsoIdentity(int64_t person_id) {
  std::lock_guard lock(mutex_);
  bool linked = false;
  Status s = QueryLocked(
      "SELECT 1 FROM sso_identities WHERE person_id = ?1",
      [&](Statement& st) { st.Bind(1, person_id); }, [&](const Statement&) { linked = true; });
  if (!s.ok()) return s;
  return linked;
}

Result<int64_t> SqliteStore::CompleteSsoSignIn(const SsoSignIn& in, const AuditEvent& audit) {
  SessionWrite write(*this);
  int64_t person_id = in.person_id;
  Status s = InTransaction([&]() -> Status {
    if (in.invitation_id) {
      Status used = ExecLocked(
          "UPDATE invitations SET used_at = ?3 WHERE id = ?1 AND person_id = ?2 "
          "AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?3",
          [&](Statement& st) {
            st.Bind(1, *in.invitation_id).Bind(2, person_id).Bind(3, audit.at);
          });
      if (!used.ok()) return used;
      if (sqlite3_changes(db_.handle()) != 1) {
        return Status::Of(StatusCode::kConflict, "this invitation was used or withdrawn meanwhile");
      }
      AuditEvent accepted = audit;
      accepted.event = "person.invitation_accepted";
      accepted.actor_id = person_id;
      if (Status a = AuditLocked(accepted); !a.ok()) return a;
    }
    if (person_id == 0) {
      // A contact with no password: they sign in through the provider.
      AuditEvent created = audit;
      created.event = "contact.created_by_sso";
      auto inserted = InsertPersonLocked({Portal::kContact, in.email, in.name, "", ""}, created);
      if (!inserted.ok()) return inserted.status();
      person_id = inserted.value();
    }
    if (in.link) {
      if (Status r =
              InsertIdentityLocked(in.portal, in.issuer, in.subject, person_id, in.email, audit.at);
          !r.ok()) {
        return r;
      }
    } else {
      Status r = ExecLocked(
          "UPDATE sso_identities SET last_sign_in_at = ?4 "
          "WHERE portal = ?1 AND issuer = ?2 AND subject = ?3",
          [&](Statement& st) {
            st.Bind(1, PortalName(in.portal)).Bind(2, in.issuer).Bind(3, in.subject);
            st.Bind(4, audit.at);
          });
      if (!r.ok()) return r;
    }
    Status r = ExecLocked(
        "INSERT INTO sessions (token_hash, person_id, portal, created_at, last_seen_at, ip, "
        "user_agent, stage, via_sso, reauthenticated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, 'done', 1, ?4)",
        [&](Statement& st) {
          st.Bind(1, in.token_hash).Bind(2, person_id).Bind(3, PortalName(in.portal));
          st.Bind(4, audit.at).Bind(5, in.ip).Bind(6, in.user_agent);
        });
    if (!r.ok()) return r;
    AuditEvent signed_in = audit;
    signed_in.actor_id = person_id;
    return AuditLocked(signed_in);
  });
  if (!s.ok()) return s;
  return person_id;
}

Status SqliteStore::InsertIdentityLocked(Portal portal, const std::string& issuer,
                                         const std::string& subject, int64_t person_id,
                                         const std::string& email, int64_t at) {
  Status r = ExecLocked(
      "INSERT INTO sso_identities (portal, issuer, subject, person_id, email_at_link, "
      "linked_at, last_sign_in_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
      [&](Statement& st) {
        st.Bind(1, PortalName(portal)).Bind(2, issuer).Bind(3, subject);
        st.Bind(4, person_id).Bind(5, email).Bind(6, at);
      });
  if (r.code() == StatusCode::kConflict) {
    return Status::Of(StatusCode::kConflict,
                      "the account or the identity is linked to another one already");
  }
  return r;
}

Status SqliteStore::AddSsoPendingLink(const SsoPendingLink& link,
                                      const std::optional<OutgoingMail>& mail,
                                      const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  return InTransaction([&]() -> Status {
    Status s = ExecLocked(
        "DELETE FROM sso_pending_links WHERE expires_at <= ?1 OR (portal = ?2 AND "
        "binding_hash = ?3)",
        [&](Statement& st) {
          st.Bind(1, link.created_at).Bind(2, PortalName(link.portal)).Bind(3, link.binding_hash);
        });
    if (!s.ok()) return s;
    s = ExecLocked(
        "INSERT INTO sso_pending_links (portal, binding_hash, token_hash, person_id, issuer, "
        "subject, email, provider_version, created_at, expires_at, mailed, last_session_id) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
        "(SELECT coalesce(max(id), 0) FROM sessions))",
        [&](Statement& st) {
          st.Bind(1, PortalName(link.portal)).Bind(2, link.binding_hash).Bind(3, link.token_hash);
          st.Bind(4, link.person_id).Bind(5, link.issuer).Bind(6, link.subject);
          st.Bind(7, link.email).Bind(8, link.provider_version).Bind(9, link.created_at);
          st.Bind(10, link.expires_at).Bind(11, int64_t{mail.has_value()});
        });
    if (s.ok() && mail) s = InsertMailLocked(*mail, audit.at);
    return s.ok() ? AuditLocked(audit) : s;
  });
}

namespace {

constexpr const char* kPendingLinkColumns =
    "token_hash, person_id, issuer, subject, email, provider_version, created_at, expires_at, "
    "mailed, last_session_id";

SsoPendingLink ReadPendingLink(Portal portal, const std::string& binding_hash,
                               const Statement& row) {
  SsoPendingLink link;
  link.portal = portal;
  link.binding_hash = binding_hash;
  link.token_hash = row.ColumnText(0);
  link.person_id = row.ColumnInt(1);
  link.issuer = row.ColumnText(2);
  link.subject = row.ColumnText(3);
  link.email = row.ColumnText(4);
  link.provider_version = row.ColumnInt(5);
  link.created_at = row.ColumnInt(6);
  link.expires_at = row.ColumnInt(7);
  link.mailed = row.ColumnInt(8) != 0;
  link.last_session_id = row.ColumnInt(9);
  return link;
}

}  // namespace

Result<std::optional<SsoPendingLink>> SqliteStore::FindSsoPendingLink(
    Portal portal, const std::string& binding_hash, int64_t now) {
  std::lock_guard lock(mutex_);
  std::optional<SsoPendingLink> found;
  Status s = QueryLocked(
      std::string("SELECT ") + kPendingLinkColumns +
          " FROM sso_pending_links WHERE portal = ?1 AND binding_hash = ?2 AND expires_at > ?3",
      [&](Statement& st) { st.Bind(1, PortalName(portal)).Bind(2, binding_hash).Bind(3, now); },
      [&](const Statement& row) { found = ReadPendingLink(portal, binding_hash, row); });
  if (!s.ok()) return s;
  return found;
}

Result<std::optional<SsoPendingLink>> SqliteStore::TakeSsoPendingLink(
    Portal portal, const std::string& binding_hash, int64_t now) {
  std::lock_guard lock(mutex_);
  std::optional<SsoPendingLink> taken;
  // DELETE … RETURNING: of two confirmations at once, one gets it.
  Status s = QueryLocked(
      std::string("DELETE FROM sso_pending_links WHERE portal = ?1 AND binding_hash = ?2 "
                  "RETURNING ") +
          kPendingLinkColumns,
      [&](Statement& st) { st.Bind(1, PortalName(portal)).Bind(2, binding_hash); },
      [&](const Statement& row) { taken = ReadPendingLink(portal, binding_hash, row); });
  if (!s.ok()) return s;
  if (taken && taken->expires_at <= now) taken.reset();
  return taken;
}

Status SqliteStore::LinkSsoIdentity(const SsoPendingLink& link, const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  return InTransaction([&]() -> Status {
    Status s = InsertIdentityLocked(link.portal, link.issuer, link.subject, link.person_id,
                                    link.email, audit.at);
    return s.ok() ? AuditLocked(audit) : s;
  });
}

}  // namespace deskgate::store
