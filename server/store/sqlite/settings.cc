// SqliteStore: each portal's authentication settings.
#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::store {

Result<std::optional<std::string>> SqliteStore::GetPortalSettings(Portal portal) {
  std::lock_guard lock(mutex_);
  auto stmt = Statement::Prepare(db_, "SELECT settings FROM portal_settings WHERE portal = ?1");
  if (!stmt.ok()) return stmt.status();
  Statement& st = stmt.value();
  st.Bind(1, PortalName(portal));
  // A failed read is an error, never "not saved": the defaults it would
  // stand for are the weakest settings (MFA off, passwords on).
  if (st.Step()) return std::optional<std::string>(st.ColumnText(0));
  if (!st.status().ok()) return st.status();
  return std::optional<std::string>();
}

Result<int64_t> SqliteStore::SettingsVersion() {
  std::lock_guard lock(mutex_);
  auto stmt = Statement::Prepare(db_, "SELECT n FROM settings_version");
  if (!stmt.ok()) return stmt.status();
  return stmt.value().ReadInt();
}

Status SqliteStore::PutPortalSettings(Portal portal, const std::string& json,
                                      const AuditEvent& audit, bool end_sessions,
                                      int64_t keep_session_id, const SignInGuard& guard) {
  SessionWrite write(*this);
  return InTransaction([&]() -> Status {
    if (Status g = CheckGuardLocked(portal, guard); !g.ok()) return g;
    Status s = ExecLocked(
        "INSERT INTO portal_settings (portal, settings, updated_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (portal) DO UPDATE SET settings = ?2, updated_at = ?3",
        [&](Statement& st) { st.Bind(1, PortalName(portal)).Bind(2, json).Bind(3, audit.at); });
    if (!s.ok()) return s;
    if (s = AuditLocked(audit); !s.ok()) return s;
    if (!end_sessions) return Status::Ok();
    s = ExecLocked("DELETE FROM sessions WHERE portal = ?1 AND id != ?2",
                   [&](Statement& st) { st.Bind(1, PortalName(portal)).Bind(2, keep_session_id); });
    if (!s.ok()) return s;
    AuditEvent ended = audit;
    ended.event = "sessions.ended_by_mfa_policy";
    ended.details = R"({"ended":)" + std::to_string(sqlite3_changes(db_.handle())) + "}";
    return AuditLocked(ended);
  });
}

}  // namespace deskgate::store
