// SqliteStore: sessions.
#include "server/store/sqlite/person_rows.h"
#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::store {

Status SqliteStore::CreateSession(const std::string& token_hash, int64_t person_id, Portal portal,
                                  SessionStage stage, int64_t now, const std::string& ip,
                                  const std::string& user_agent, const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  return InTransaction([&]() -> Status {
    Status s = ExecLocked(
        "INSERT INTO sessions (token_hash, person_id, portal, created_at, last_seen_at, ip, "
        "user_agent, stage, reauthenticated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, CASE WHEN ?7 = 'done' THEN ?4 ELSE 0 END)",
        [&](Statement& st) {
          st.Bind(1, token_hash)
              .Bind(2, person_id)
              .Bind(3, PortalName(portal))
              .Bind(4, now)
              .Bind(5, ip)
              .Bind(6, user_agent)
              .Bind(7, SessionStageName(stage));
        });
    return s.ok() ? AuditLocked(audit) : s;
  });
}

Status SqliteStore::CompleteSession(int64_t session_id, const std::string& new_token_hash,
                                    const AuditEvent& audit) {
  SessionWrite write(*this);
  return InTransaction([&]() -> Status {
    Status s = ExecLocked(
        "UPDATE sessions SET stage = 'done', token_hash = ?2, last_seen_at = ?3, "
        "reauthenticated_at = ?3 WHERE id = ?1 AND stage != 'done'",
        [&](Statement& st) { st.Bind(1, session_id).Bind(2, new_token_hash).Bind(3, audit.at); });
    if (!s.ok()) return s;
    if (sqlite3_changes(db_.handle()) != 1) return Status::Error("session ended");
    return AuditLocked(audit);
  });
}

Result<std::optional<ActiveSession>> SqliteStore::FindSession(const std::string& token_hash) {
  if (auto cached = sessions_.Get(token_hash)) return std::optional<ActiveSession>(*cached);
  const uint64_t generation = sessions_.generation();
  // One statement, so the session and its person come from one snapshot.
  static const std::string sql =
      std::string(kPersonColumns) +
      ", s.id, s.portal, s.created_at, s.last_seen_at, s.stage, s.via_sso, s.reauthenticated_at "
      "FROM sessions s "
      "JOIN people p ON p.id = s.person_id LEFT JOIN roles r ON r.id = p.role_id "
      "WHERE s.token_hash = ?1";
  auto lease = reads_.Borrow();
  if (!lease.ok()) return lease.status();
  auto stmt = lease.value().Prepared(sql);
  if (!stmt.ok()) return stmt.status();
  Statement& s = *stmt.value();
  ResetOnExit reset(s);
  s.Bind(1, token_hash);
  if (!s.Step()) {
    if (!s.status().ok()) return s.status();
    return std::optional<ActiveSession>();
  }
  ActiveSession found;
  found.person = ReadPerson(s);
  constexpr int c = kPersonColumnCount;
  found.session =
      Session{s.ColumnInt(c),          found.person.id,    ReadPortal(s, c + 1),
              s.ColumnInt(c + 2),      s.ColumnInt(c + 3), ParseSessionStage(s.ColumnText(c + 4)),
              s.ColumnInt(c + 5) != 0, s.ColumnInt(c + 6)};
  sessions_.Put(token_hash, found, generation);
  return std::optional<ActiveSession>(std::move(found));
}

Status SqliteStore::TouchSession(int64_t session_id, int64_t now) {
  SessionWrite write(*this);
  auto stmt = Cached("UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  ResetOnExit reset(*stmt.value());
  return stmt.value()->Bind(1, session_id).Bind(2, now).Run();
}

Status SqliteStore::MarkReauthenticated(int64_t session_id, const AuditEvent& audit) {
  SessionWrite write(*this);
  return InTransaction([&]() -> Status {
    Status s = ExecLocked("UPDATE sessions SET reauthenticated_at = ?2 WHERE id = ?1",
                          [&](Statement& st) { st.Bind(1, session_id).Bind(2, audit.at); });
    if (!s.ok()) return s;
    if (sqlite3_changes(db_.handle()) != 1) {
      return Status::Of(StatusCode::kUnauthenticated, "the session ended");
    }
    return AuditLocked(audit);
  });
}

Result<std::vector<SessionRow>> SqliteStore::ListSessions(int64_t person_id) {
  std::lock_guard lock(mutex_);
  auto stmt = Statement::Prepare(
      db_,
      "SELECT id, created_at, last_seen_at, ip, user_agent FROM sessions WHERE person_id = ?1 "
      "ORDER BY last_seen_at DESC, id DESC");
  if (!stmt.ok()) return stmt.status();
  Statement& s = stmt.value();
  s.Bind(1, person_id);
  std::vector<SessionRow> rows;
  while (s.Step()) {
    rows.push_back(
        {s.ColumnInt(0), s.ColumnInt(1), s.ColumnInt(2), s.ColumnText(3), s.ColumnText(4)});
  }
  if (!s.status().ok()) return s.status();
  return rows;
}

Result<int64_t> SqliteStore::EndSessions(int64_t person_id, int64_t session_id, int64_t keep_id,
                                         const AuditEvent& audit) {
  SessionWrite write(*this);
  int64_t ended = 0;
  Status s = InTransaction([&]() -> Status {
    auto stmt = Statement::Prepare(
        db_, session_id != 0 ? "DELETE FROM sessions WHERE person_id = ?1 AND id = ?2"
                             : "DELETE FROM sessions WHERE person_id = ?1 AND id != ?2");
    if (!stmt.ok()) return stmt.status();
    if (Status r =
            stmt.value().Bind(1, person_id).Bind(2, session_id != 0 ? session_id : keep_id).Run();
        !r.ok()) {
      return r;
    }
    ended = sqlite3_changes(db_.handle());
    if (ended == 0) return Status::Ok();  // nothing to audit
    AuditEvent event = audit;
    event.details = R"({"ended":)" + std::to_string(ended) + "}";
    return AuditLocked(event);
  });
  if (!s.ok()) return s;
  return ended;
}

Status SqliteStore::DeleteSession(int64_t session_id, const AuditEvent& audit) {
  SessionWrite write(*this);
  return InTransaction([&]() -> Status {
    auto stmt = Statement::Prepare(db_, "DELETE FROM sessions WHERE id = ?1");
    if (!stmt.ok()) return stmt.status();
    Status s = stmt.value().Bind(1, session_id).Run();
    return s.ok() ? AuditLocked(audit) : s;
  });
}

}  // namespace deskgate::store
