#include "server/store/sqlite_store.h"

#include <atomic>
#include <filesystem>
#include <functional>

#include "server/store/migrations.h"

namespace deskgate::store {
namespace {

// A person's columns, read by ReadPerson; session lookups append their own.
constexpr std::string_view kPersonColumns =
    "SELECT p.id, p.portal, p.email, p.name, p.password_hash, p.password_changed_at, "
    "p.must_change_password, r.id, r.name, r.is_admin, r.manage_authentication, "
    "r.manage_agent_mfa, r.asset_edit";
constexpr int kPersonColumnCount = 13;
constexpr std::string_view kPersonFrom = " FROM people p LEFT JOIN roles r ON r.id = p.role_id ";

Portal ReadPortal(const Statement& s, int column) {
  return s.ColumnText(column) == "agent" ? Portal::kAgent : Portal::kContact;
}

Role::AssetEdit ParseAssetEdit(std::string_view name) {
  if (name == "all") return Role::AssetEdit::kAll;
  if (name == "own_groups") return Role::AssetEdit::kOwnGroups;
  return Role::AssetEdit::kNone;
}

Person ReadPerson(const Statement& s) {
  Person p;
  p.id = s.ColumnInt(0);
  p.portal = ReadPortal(s, 1);
  p.email = s.ColumnText(2);
  p.name = s.ColumnText(3);
  p.password_hash = s.ColumnText(4);
  p.password_changed_at = s.ColumnInt(5);
  p.must_change_password = s.ColumnInt(6) != 0;
  if (p.portal == Portal::kAgent) {
    p.role = Role{s.ColumnInt(7),       s.ColumnText(8),      s.ColumnInt(9) != 0,
                  s.ColumnInt(10) != 0, s.ColumnInt(11) != 0, ParseAssetEdit(s.ColumnText(12))};
  }
  return p;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty() && !std::filesystem::exists(parent, ec)) {
    std::filesystem::create_directories(parent, ec);
    std::filesystem::permissions(parent, std::filesystem::perms::owner_all, ec);
  }
  auto db = Database::Open(path);
  if (!db.ok()) return db.status();
  if (Status s = Migrate(db.value(), SchemaMigrations()); !s.ok()) return s;
  return std::make_unique<SqliteStore>(std::move(db).value(), path);
}

SqliteStore::SqliteStore(Database db, std::string path)
    : db_(std::move(db)), reads_(std::move(path)) {}

SqliteStore::~SqliteStore() = default;

const char* PortalName(Portal portal) {
  return portal == Portal::kAgent ? "agent" : "contact";
}

const char* AssetEditName(Role::AssetEdit scope) {
  switch (scope) {
    case Role::AssetEdit::kAll:
      return "all";
    case Role::AssetEdit::kOwnGroups:
      return "own_groups";
    case Role::AssetEdit::kNone:
      return "none";
  }
  return "none";
}

std::optional<Portal> ParsePortal(std::string_view name) {
  if (name == "agent") return Portal::kAgent;
  if (name == "contact") return Portal::kContact;
  return std::nullopt;
}

const char* SessionStageName(SessionStage stage) {
  switch (stage) {
    case SessionStage::kMfa:
      return "mfa";
    case SessionStage::kMfaSetup:
      return "mfa_setup";
    case SessionStage::kDone:
      break;
  }
  return "done";
}

SessionStage ParseSessionStage(std::string_view name) {
  if (name == "mfa") return SessionStage::kMfa;
  if (name == "mfa_setup") return SessionStage::kMfaSetup;
  return SessionStage::kDone;
}

Status SqliteStore::QueryLocked(std::string_view sql, const std::function<void(Statement&)>& bind,
                                const std::function<void(const Statement&)>& row) {
  auto stmt = Statement::Prepare(db_, sql);
  if (!stmt.ok()) return stmt.status();
  bind(stmt.value());
  while (stmt.value().Step()) row(stmt.value());
  return stmt.value().status();
}

Status SqliteStore::ExecLocked(std::string_view sql, const std::function<void(Statement&)>& bind) {
  // Kept prepared: a bulk change runs the same two statements per row.
  auto stmt = Cached(sql);
  if (!stmt.ok()) return stmt.status();
  Statement& st = *stmt.value();
  ResetOnExit reset(st);
  bind(st);
  return st.Run();
}

// Resets a cached statement when a query is done with it, so it does not
// hold a read snapshot open between requests.

Result<Statement*> SqliteStore::Cached(std::string_view sql) {
  auto it = statements_.find(std::string(sql));
  if (it == statements_.end()) {
    auto prepared = Statement::Prepare(db_, sql);
    if (!prepared.ok()) return prepared.status();
    it = statements_.emplace(std::string(sql), std::move(prepared).value()).first;
  }
  it->second.Reset();
  return &it->second;
}

Status SqliteStore::InTransaction(const std::function<Status()>& body) {
  if (Status s = db_.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  Status s = body();
  if (s.ok()) s = db_.Exec("COMMIT");
  if (!s.ok()) db_.Exec("ROLLBACK");
  return s;
}

Status SqliteStore::AuditLocked(const AuditEvent& e) {
  auto stmt =
      Statement::Prepare(db_,
                         "INSERT INTO audit_log (at, actor_id, portal, event, target, ip, details) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!stmt.ok()) return stmt.status();
  Statement& s = stmt.value();
  s.Bind(1, e.at);
  if (e.actor_id) s.Bind(2, *e.actor_id);
  s.Bind(3, e.portal).Bind(4, e.event).Bind(5, e.target).Bind(6, e.ip).Bind(7, e.details);
  return s.Run();
}

Status SqliteStore::Audit(const AuditEvent& event) {
  std::lock_guard lock(mutex_);
  return AuditLocked(event);
}

// Inserts the person, their first password-history entry and the audit
// entry; the caller holds the lock and the transaction.
Result<int64_t> SqliteStore::InsertPersonLocked(const NewPerson& person, const AuditEvent& audit) {
  auto insert = Statement::Prepare(
      db_,
      "INSERT INTO people (portal, email, name, role_id, password_hash, password_changed_at, "
      "created_at) VALUES (?1, ?2, ?3, (SELECT id FROM roles WHERE name = ?4), ?5, ?6, ?6)");
  if (!insert.ok()) return insert.status();
  Statement& st = insert.value();
  st.Bind(1, PortalName(person.portal)).Bind(2, person.email).Bind(3, person.name);
  if (person.portal == Portal::kAgent) st.Bind(4, person.role_name);
  st.Bind(5, person.password_hash).Bind(6, audit.at);
  if (Status r = st.Run(); !r.ok()) {
    if (r.code() == StatusCode::kConflict) {
      return Status::Of(StatusCode::kConflict,
                        "an account with this email already exists in this portal");
    }
    if (r.code() == StatusCode::kInvalidArgument) {  // the role's CHECK
      return Status::Error("no role named '" + person.role_name + "'");
    }
    return r;
  }
  const int64_t id = sqlite3_last_insert_rowid(db_.handle());
  auto history = Statement::Prepare(
      db_,
      "INSERT INTO password_history (person_id, password_hash, changed_at) VALUES (?1, ?2, ?3)");
  if (!history.ok()) return history.status();
  if (Status r = history.value().Bind(1, id).Bind(2, person.password_hash).Bind(3, audit.at).Run();
      !r.ok()) {
    return r;
  }
  AuditEvent event = audit;
  event.target = person.email;
  if (!event.actor_id) event.actor_id = id;
  if (Status r = AuditLocked(event); !r.ok()) return r;
  return id;
}

Result<int64_t> SqliteStore::AddPerson(const NewPerson& person, const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  int64_t id = 0;
  Status s = InTransaction([&]() -> Status {
    auto inserted = InsertPersonLocked(person, audit);
    if (!inserted.ok()) return inserted.status();
    id = inserted.value();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return id;
}

Status SqliteStore::AddSetupToken(const std::string& token_hash, int64_t expires_at) {
  std::lock_guard lock(mutex_);
  auto stmt =
      Statement::Prepare(db_, "INSERT INTO setup_tokens (token_hash, expires_at) VALUES (?1, ?2)");
  if (!stmt.ok()) return stmt.status();
  return stmt.value().Bind(1, token_hash).Bind(2, expires_at).Run();
}

Result<bool> SqliteStore::SetupTokenUsable(const std::string& token_hash, int64_t now) {
  auto lease = reads_.Borrow();
  if (!lease.ok()) return lease.status();
  auto stmt = lease.value().Prepared(
      "SELECT 1 FROM setup_tokens WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2 "
      "AND NOT EXISTS (SELECT 1 FROM people)");
  if (!stmt.ok()) return stmt.status();
  Statement& st = *stmt.value();
  ResetOnExit reset(st);
  st.Bind(1, token_hash).Bind(2, now);
  const bool usable = st.Step();
  if (!st.status().ok()) return st.status();
  return usable;
}

Result<int64_t> SqliteStore::CompleteSetup(const std::string& token_hash, const NewPerson& person,
                                           const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  int64_t id = 0;
  Status s = InTransaction([&]() -> Status {
    auto use = Statement::Prepare(
        db_,
        "UPDATE setup_tokens SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL "
        "AND expires_at > ?2 AND NOT EXISTS (SELECT 1 FROM people)");
    if (!use.ok()) return use.status();
    if (Status r = use.value().Bind(1, token_hash).Bind(2, audit.at).Run(); !r.ok()) return r;
    if (sqlite3_changes(db_.handle()) != 1) {
      return Status::Of(StatusCode::kPermissionDenied,
                        "this setup link is invalid, expired or already used");
    }
    auto inserted = InsertPersonLocked(person, audit);
    if (!inserted.ok()) return inserted.status();
    id = inserted.value();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return id;
}

Result<std::optional<Person>> SqliteStore::QueryPerson(
    std::string_view where_sql, const std::function<void(Statement&)>& bind) {
  auto lease = reads_.Borrow();
  if (!lease.ok()) return lease.status();
  std::string sql(kPersonColumns);
  sql.append(kPersonFrom).append(where_sql);
  auto stmt = lease.value().Prepared(sql);
  if (!stmt.ok()) return stmt.status();
  Statement& s = *stmt.value();
  ResetOnExit reset(s);
  bind(s);
  if (s.Step()) return std::optional<Person>(ReadPerson(s));
  if (!s.status().ok()) return s.status();
  return std::optional<Person>();
}

Result<std::optional<Person>> SqliteStore::FindPerson(Portal portal, const std::string& email) {
  return QueryPerson("WHERE p.portal = ?1 AND p.email = ?2",
                     [&](Statement& s) { s.Bind(1, PortalName(portal)).Bind(2, email); });
}

Result<std::optional<Person>> SqliteStore::PersonById(int64_t id) {
  return QueryPerson("WHERE p.id = ?1", [&](Statement& s) { s.Bind(1, id); });
}

Result<int64_t> SqliteStore::CountPeople() {
  std::lock_guard lock(mutex_);
  auto stmt = Statement::Prepare(db_, "SELECT count(*) FROM people");
  if (!stmt.ok()) return stmt.status();
  stmt.value().Step();
  return stmt.value().ColumnInt(0);
}

Result<std::vector<Person>> SqliteStore::ListAdministrators() {
  std::lock_guard lock(mutex_);
  std::vector<Person> admins;
  Status s = QueryLocked(
      std::string(kPersonColumns) + std::string(kPersonFrom) +
          "WHERE r.is_admin = 1 AND p.portal = 'agent' ORDER BY p.id",
      [](Statement&) {}, [&](const Statement& row) { admins.push_back(ReadPerson(row)); });
  if (!s.ok()) return s;
  return admins;
}

Result<int> SqliteStore::SchemaVersion() {
  auto lease = reads_.Borrow();
  if (!lease.ok()) return lease.status();
  return store::SchemaVersion(lease.value().db());
}

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

Result<Throttle> SqliteStore::GetThrottle(const std::string& key) {
  // Read on every sign-in attempt, refused ones included: from the read
  // pool, so a flood of them does not queue behind the write lock.
  static const std::string sql = "SELECT failures, window_start FROM login_throttle WHERE key = ?1";
  auto lease = reads_.Borrow();
  if (!lease.ok()) return lease.status();
  auto stmt = lease.value().Prepared(sql);
  if (!stmt.ok()) return stmt.status();
  Statement& st = *stmt.value();
  ResetOnExit reset(st);
  st.Bind(1, key);
  if (!st.Step()) {
    if (!st.status().ok()) return st.status();
    return Throttle{};
  }
  return Throttle{static_cast<int>(st.ColumnInt(0)), st.ColumnInt(1)};
}

Result<Throttle> SqliteStore::CountThrottle(const std::string& key, int delta, int64_t now,
                                            int64_t window) {
  std::lock_guard lock(mutex_);
  // One statement: concurrent attempts each see the count their own
  // increment produced, so no two can both pass as the last one allowed.
  // A window that has run out starts over with this attempt.
  auto stmt = Statement::Prepare(
      db_,
      "INSERT INTO login_throttle (key, failures, window_start) VALUES (?1, max(?2, 0), ?3) "
      "ON CONFLICT (key) DO UPDATE SET "
      "failures = CASE WHEN ?3 - window_start >= ?4 THEN max(?2, 0) "
      "ELSE max(failures + ?2, 0) END, "
      "window_start = CASE WHEN ?3 - window_start >= ?4 THEN ?3 ELSE window_start END "
      "RETURNING failures, window_start");
  if (!stmt.ok()) return stmt.status();
  Statement& st = stmt.value();
  st.Bind(1, key).Bind(2, int64_t{delta}).Bind(3, now).Bind(4, window);
  if (!st.Step()) return st.status().ok() ? Status::Error("throttle not updated") : st.status();
  return Throttle{static_cast<int>(st.ColumnInt(0)), st.ColumnInt(1)};
}

Status SqliteStore::ClearThrottle(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto stmt = Statement::Prepare(db_, "DELETE FROM login_throttle WHERE key = ?1");
  if (!stmt.ok()) return stmt.status();
  return stmt.value().Bind(1, key).Run();
}

Result<std::vector<std::string>> SqliteStore::PasswordHistory(int64_t person_id, int limit) {
  std::lock_guard lock(mutex_);
  auto stmt = Statement::Prepare(db_,
                                 "SELECT password_hash FROM password_history WHERE person_id = ?1 "
                                 "ORDER BY changed_at DESC, rowid DESC LIMIT ?2");
  if (!stmt.ok()) return stmt.status();
  stmt.value().Bind(1, person_id).Bind(2, int64_t{limit});
  std::vector<std::string> hashes;
  while (stmt.value().Step()) hashes.push_back(stmt.value().ColumnText(0));
  if (!stmt.value().status().ok()) return stmt.value().status();
  return hashes;
}

Status SqliteStore::ChangePassword(int64_t person_id, const std::string& hash,
                                   int64_t keep_session_id, const AuditEvent& audit) {
  SessionWrite write(*this);
  return InTransaction([&]() -> Status {
    auto update =
        Statement::Prepare(db_,
                           "UPDATE people SET password_hash = ?2, password_changed_at = ?3, "
                           "must_change_password = 0 WHERE id = ?1");
    if (!update.ok()) return update.status();
    if (Status r = update.value().Bind(1, person_id).Bind(2, hash).Bind(3, audit.at).Run();
        !r.ok()) {
      return r;
    }
    auto history = Statement::Prepare(
        db_,
        "INSERT INTO password_history (person_id, password_hash, changed_at) VALUES (?1, ?2, ?3)");
    if (!history.ok()) return history.status();
    if (Status r = history.value().Bind(1, person_id).Bind(2, hash).Bind(3, audit.at).Run();
        !r.ok()) {
      return r;
    }
    auto others = Statement::Prepare(db_, "DELETE FROM sessions WHERE person_id = ?1 AND id != ?2");
    if (!others.ok()) return others.status();
    if (Status r = others.value().Bind(1, person_id).Bind(2, keep_session_id).Run(); !r.ok()) {
      return r;
    }
    return AuditLocked(audit);
  });
}

Status SqliteStore::RequirePasswordChange(int64_t person_id, bool end_sessions,
                                          const AuditEvent& audit) {
  SessionWrite write(*this);
  return InTransaction([&]() -> Status {
    auto mark = Statement::Prepare(db_, "UPDATE people SET must_change_password = 1 WHERE id = ?1");
    if (!mark.ok()) return mark.status();
    if (Status r = mark.value().Bind(1, person_id).Run(); !r.ok()) return r;
    if (end_sessions) {
      auto end = Statement::Prepare(db_, "DELETE FROM sessions WHERE person_id = ?1");
      if (!end.ok()) return end.status();
      if (Status r = end.value().Bind(1, person_id).Run(); !r.ok()) return r;
    }
    return AuditLocked(audit);
  });
}

Result<std::optional<std::string>> SqliteStore::GetPortalSettings(Portal portal) {
  std::lock_guard lock(mutex_);
  auto stmt = Statement::Prepare(db_, "SELECT settings FROM portal_settings WHERE portal = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt.value().Bind(1, PortalName(portal));
  if (!stmt.value().Step()) return std::optional<std::string>();
  return std::optional<std::string>(stmt.value().ColumnText(0));
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

Result<int64_t> SqliteStore::AddRole(const Role& role, const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  int64_t id = 0;
  Status s = InTransaction([&]() -> Status {
    auto stmt = Statement::Prepare(
        db_,
        "INSERT INTO roles (name, is_admin, manage_authentication, manage_agent_mfa, asset_edit) "
        "VALUES (?1, 0, ?2, ?3, ?4)");
    if (!stmt.ok()) return stmt.status();
    Status r = stmt.value()
                   .Bind(1, role.name)
                   .Bind(2, int64_t{role.manage_authentication})
                   .Bind(3, int64_t{role.manage_agent_mfa})
                   .Bind(4, std::string(AssetEditName(role.asset_edit)))
                   .Run();
    if (!r.ok()) {
      return r.code() == StatusCode::kConflict
                 ? Status::Of(StatusCode::kConflict,
                              "a role named '" + role.name + "' already exists")
                 : r;
    }
    id = sqlite3_last_insert_rowid(db_.handle());
    return AuditLocked(audit);
  });
  if (!s.ok()) return s;
  return id;
}

Result<int64_t> SqliteStore::CountAudit(const std::string& event) {
  std::lock_guard lock(mutex_);
  auto stmt = Statement::Prepare(db_, "SELECT count(*) FROM audit_log WHERE event = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt.value().Bind(1, event).Step();
  return stmt.value().ColumnInt(0);
}

}  // namespace deskgate::store

namespace deskgate::store {

Result<std::pair<std::vector<AuditRow>, int64_t>> SqliteStore::QueryAudit(const AuditFilter& f) {
  std::lock_guard lock(mutex_);
  // One WHERE clause for both queries; an empty filter matches everything.
  // The event prefix uses a range rather than LIKE so "_" stays literal.
  constexpr std::string_view kWhere =
      " FROM audit_log a LEFT JOIN people p ON p.id = a.actor_id"
      " WHERE (?1 = '' OR p.email = ?1 COLLATE NOCASE OR a.target = ?1 COLLATE NOCASE)"
      " AND (?2 = '' OR a.event = ?2 OR (substr(?2, -1) = '.' AND substr(a.event, 1, length(?2)) = "
      "?2))"
      " AND (?3 = 0 OR a.at >= ?3) AND (?4 = 0 OR a.at < ?4)";
  const auto bind = [&](Statement& s) {
    s.Bind(1, f.person).Bind(2, f.event).Bind(3, f.from).Bind(4, f.to);
  };
  auto count = Statement::Prepare(db_, "SELECT count(*)" + std::string(kWhere));
  if (!count.ok()) return count.status();
  bind(count.value());
  count.value().Step();
  const int64_t total = count.value().ColumnInt(0);

  auto rows = Statement::Prepare(
      db_,
      "SELECT a.id, a.at, coalesce(p.email, ''), a.portal, a.event, a.target, a.ip, a.details" +
          std::string(kWhere) + " ORDER BY a.at DESC, a.id DESC LIMIT ?5 OFFSET ?6");
  if (!rows.ok()) return rows.status();
  Statement& s = rows.value();
  bind(s);
  s.Bind(5, int64_t{f.limit}).Bind(6, int64_t{f.offset});
  std::vector<AuditRow> out;
  while (s.Step()) {
    out.push_back({s.ColumnInt(0), s.ColumnInt(1), s.ColumnText(2), s.ColumnText(3),
                   s.ColumnText(4), s.ColumnText(5), s.ColumnText(6), s.ColumnText(7)});
  }
  if (!s.status().ok()) return s.status();
  return std::make_pair(std::move(out), total);
}

}  // namespace deskgate::store
