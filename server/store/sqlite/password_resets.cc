// SqliteStore: password reset links.
#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::store {

Status SqliteStore::AddPasswordReset(int64_t person_id, const std::string& token_hash,
                                     int64_t created_at, int64_t expires_at,
                                     const OutgoingMail& mail, const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  return InTransaction([&]() -> Status {
    Status s = ExecLocked("DELETE FROM password_resets WHERE person_id = ?1 AND used_at IS NULL",
                          [&](Statement& st) { st.Bind(1, person_id); });
    if (!s.ok()) return s;
    s = ExecLocked(
        "INSERT INTO password_resets (person_id, token_hash, created_at, expires_at) "
        "VALUES (?1, ?2, ?3, ?4)",
        [&](Statement& st) {
          st.Bind(1, person_id).Bind(2, token_hash).Bind(3, created_at).Bind(4, expires_at);
        });
    if (!s.ok()) return s;
    if (s = InsertMailLocked(mail, created_at); !s.ok()) return s;
    return AuditLocked(audit);
  });
}

Result<std::optional<PasswordResetRow>> SqliteStore::FindPasswordReset(
    const std::string& token_hash) {
  std::lock_guard lock(mutex_);
  std::optional<PasswordResetRow> found;
  Status s = QueryLocked(
      "SELECT r.id, r.person_id, r.expires_at, r.used_at IS NULL AND p.deactivated_at IS NULL "
      "FROM password_resets r JOIN people p ON p.id = r.person_id WHERE r.token_hash = ?1",
      [&](Statement& st) { st.Bind(1, token_hash); },
      [&](const Statement& row) {
        found = PasswordResetRow{row.ColumnInt(0), row.ColumnInt(1), row.ColumnInt(2),
                                 row.ColumnInt(3) != 0};
      });
  if (!s.ok()) return s;
  return found;
}

Status SqliteStore::CompletePasswordReset(int64_t reset_id, int64_t person_id,
                                          const std::string& password_hash,
                                          const AuditEvent& audit) {
  SessionWrite write(*this);
  return InTransaction([&]() -> Status {
    Status s = ExecLocked(
        "UPDATE password_resets SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL "
        "AND expires_at > ?2",
        [&](Statement& st) { st.Bind(1, reset_id).Bind(2, audit.at); });
    if (!s.ok()) return s;
    if (sqlite3_changes(db_.handle()) != 1) {
      return Status::Of(StatusCode::kConflict, "this link was used meanwhile");
    }
    if (s = SetPasswordLocked(person_id, password_hash, 0, audit.at); !s.ok()) return s;
    return AuditLocked(audit);
  });
}

}  // namespace deskgate::store
