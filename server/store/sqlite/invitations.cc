// SqliteStore: invitations.
#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::store {

Status SqliteStore::InsertInvitationLocked(int64_t person_id, const NewInvitation& invitation) {
  Status s = ExecLocked(
      "UPDATE invitations SET revoked_at = ?2 "
      "WHERE person_id = ?1 AND used_at IS NULL AND revoked_at IS NULL",
      [&](Statement& st) { st.Bind(1, person_id).Bind(2, invitation.created_at); });
  if (!s.ok()) return s;
  s = ExecLocked(
      "INSERT INTO invitations (person_id, token_hash, created_at, expires_at, created_by) "
      "VALUES (?1, ?2, ?3, ?4, ?5)",
      [&](Statement& st) {
        st.Bind(1, person_id)
            .Bind(2, invitation.token_hash)
            .Bind(3, invitation.created_at)
            .Bind(4, invitation.expires_at)
            .Bind(5, invitation.created_by);
      });
  if (!s.ok()) return s;
  if (invitation.mail) return InsertMailLocked(*invitation.mail, invitation.created_at);
  return Status::Ok();
}

Result<int64_t> SqliteStore::InvitePerson(const NewPerson& person,
                                          const std::vector<int64_t>& group_ids,
                                          const NewInvitation& invitation,
                                          const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  int64_t id = 0;
  Status s = InTransaction([&]() -> Status {
    auto inserted = InsertPersonLocked(person, audit);
    if (!inserted.ok()) return inserted.status();
    id = inserted.value();
    for (int64_t group : group_ids) {
      Status g = ExecLocked(
          "INSERT OR IGNORE INTO group_members (group_id, person_id) "
          "SELECT id, ?1 FROM agent_groups WHERE id = ?2",
          [&](Statement& st) { st.Bind(1, id).Bind(2, group); });
      if (!g.ok()) return g;
      if (Status one = ExpectOneChangeLocked("group"); !one.ok()) return one;
    }
    return InsertInvitationLocked(id, invitation);
  });
  if (!s.ok()) return s;
  return id;
}

Result<std::vector<int64_t>> SqliteStore::InvitePeople(const std::vector<PersonInvitation>& people,
                                                       const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  std::vector<int64_t> ids;
  ids.reserve(people.size());
  Status s = InTransaction([&]() -> Status {
    for (const PersonInvitation& one : people) {
      auto inserted = InsertPersonLocked(one.person, audit);
      if (!inserted.ok()) {
        if (inserted.status().code() != StatusCode::kConflict) return inserted.status();
        return Status::Of(StatusCode::kConflict,
                          one.person.email + " was added meanwhile; nothing was imported");
      }
      ids.push_back(inserted.value());
      if (Status i = InsertInvitationLocked(ids.back(), one.invitation); !i.ok()) return i;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return ids;
}

Status SqliteStore::Reinvite(int64_t person_id, const NewInvitation& invitation,
                             const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  return InTransaction([&]() -> Status {
    auto pending =
        Statement::Prepare(db_,
                           "SELECT password_hash = '' AND last_sign_in_at IS NULL AND NOT EXISTS "
                           "(SELECT 1 FROM sso_identities i WHERE i.person_id = people.id) "
                           "FROM people WHERE id = ?1 AND deactivated_at IS NULL");
    if (!pending.ok()) return pending.status();
    auto waiting = pending.value().Bind(1, person_id).ReadInt();
    if (!waiting.ok()) return Status::Of(StatusCode::kNotFound, "no such person");
    if (waiting.value() == 0) {
      return Status::Of(StatusCode::kConflict, "this person has accepted their invitation already");
    }
    if (Status s = InsertInvitationLocked(person_id, invitation); !s.ok()) return s;
    return AuditLocked(audit);
  });
}

Status SqliteStore::RevokeInvitations(int64_t person_id, const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  return InTransaction([&]() -> Status {
    Status s = ExecLocked(
        "UPDATE invitations SET revoked_at = ?2 "
        "WHERE person_id = ?1 AND used_at IS NULL AND revoked_at IS NULL",
        [&](Statement& st) { st.Bind(1, person_id).Bind(2, audit.at); });
    if (!s.ok()) return s;
    if (sqlite3_changes(db_.handle()) == 0) {
      return Status::Of(StatusCode::kNotFound, "no open invitation");
    }
    return AuditLocked(audit);
  });
}

namespace {

// The columns every invitation read selects, in InvitationRow's order.
constexpr std::string_view kInvitationColumns =
    "SELECT v.id, v.person_id, p.portal, p.email, p.name, v.created_at, v.expires_at, "
    "v.used_at IS NULL AND v.revoked_at IS NULL AND p.password_hash = '' "
    "AND p.deactivated_at IS NULL AND p.last_sign_in_at IS NULL "
    "AND NOT EXISTS (SELECT 1 FROM sso_identities i WHERE i.person_id = p.id) "
    "FROM invitations v JOIN people p ON p.id = v.person_id ";

InvitationRow ReadInvitation(const Statement& row) {
  return InvitationRow{row.ColumnInt(0),
                       row.ColumnInt(1),
                       row.ColumnText(2) == "agent" ? Portal::kAgent : Portal::kContact,
                       row.ColumnText(3),
                       row.ColumnText(4),
                       row.ColumnInt(5),
                       row.ColumnInt(6),
                       row.ColumnInt(7) != 0};
}

}  // namespace

Result<std::optional<InvitationRow>> SqliteStore::FindInvitation(const std::string& token_hash) {
  std::lock_guard lock(mutex_);
  std::optional<InvitationRow> found;
  Status s = QueryLocked(
      std::string(kInvitationColumns) + "WHERE v.token_hash = ?1",
      [&](Statement& st) { st.Bind(1, token_hash); },
      [&](const Statement& row) { found = ReadInvitation(row); });
  if (!s.ok()) return s;
  return found;
}

Result<std::optional<InvitationRow>> SqliteStore::FindInvitationById(int64_t id) {
  std::lock_guard lock(mutex_);
  std::optional<InvitationRow> found;
  Status s = QueryLocked(
      std::string(kInvitationColumns) + "WHERE v.id = ?1", [&](Statement& st) { st.Bind(1, id); },
      [&](const Statement& row) { found = ReadInvitation(row); });
  if (!s.ok()) return s;
  return found;
}

Result<std::vector<InvitationRow>> SqliteStore::ListOpenInvitations(std::optional<Portal> portal) {
  std::lock_guard lock(mutex_);
  std::vector<InvitationRow> rows;
  Status s = QueryLocked(
      std::string(kInvitationColumns) +
          "WHERE v.used_at IS NULL AND v.revoked_at IS NULL AND p.password_hash = '' "
          "AND p.deactivated_at IS NULL AND (?1 IS NULL OR p.portal = ?1) "
          "ORDER BY v.created_at DESC, v.id DESC LIMIT 10000",
      [&](Statement& st) {
        if (portal) st.Bind(1, std::string(PortalName(*portal)));
      },
      [&](const Statement& row) { rows.push_back(ReadInvitation(row)); });
  if (!s.ok()) return s;
  return rows;
}

Status SqliteStore::AcceptInvitation(int64_t invitation_id, int64_t person_id,
                                     const std::string& password_hash, const AuditEvent& audit) {
  SessionWrite write(*this);
  return InTransaction([&]() -> Status {
    Status s = ExecLocked(
        "UPDATE invitations SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL "
        "AND revoked_at IS NULL AND expires_at > ?2",
        [&](Statement& st) { st.Bind(1, invitation_id).Bind(2, audit.at); });
    if (!s.ok()) return s;
    if (sqlite3_changes(db_.handle()) != 1) {
      return Status::Of(StatusCode::kConflict, "this invitation was used or withdrawn meanwhile");
    }
    s = ExecLocked(
        "UPDATE people SET password_hash = ?2, password_changed_at = ?3 "
        "WHERE id = ?1 AND password_hash = '' AND deactivated_at IS NULL",
        [&](Statement& st) { st.Bind(1, person_id).Bind(2, password_hash).Bind(3, audit.at); });
    if (!s.ok()) return s;
    if (sqlite3_changes(db_.handle()) != 1) {
      return Status::Of(StatusCode::kConflict, "this account has a password already");
    }
    s = ExecLocked(
        "INSERT INTO password_history (person_id, password_hash, changed_at) VALUES (?1, ?2, ?3)",
        [&](Statement& st) { st.Bind(1, person_id).Bind(2, password_hash).Bind(3, audit.at); });
    if (!s.ok()) return s;
    return AuditLocked(audit);
  });
}

}  // namespace deskgate::store
