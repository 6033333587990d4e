// SqliteStore: agents and contacts, roles, passwords and the first-run setup token.
#include "server/store/sqlite/person_rows.h"
#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::store {

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

namespace {

// An Administrator who can sign in: setup stays open until there is one.
constexpr std::string_view kAdministratorCanSignIn =
    "EXISTS (SELECT 1 FROM people a JOIN roles r ON r.id = a.role_id "
    "WHERE a.portal = 'agent' AND r.is_admin = 1 AND a.deactivated_at IS NULL "
    "AND (a.password_hash NOT IN ('', '!') "
    "     OR EXISTS (SELECT 1 FROM sso_identities i WHERE i.person_id = a.id)))";

}  // namespace

Result<bool> SqliteStore::AdministratorCanSignIn() {
  auto lease = reads_.Borrow();
  if (!lease.ok()) return lease.status();
  auto stmt = lease.value().Prepared("SELECT " + std::string(kAdministratorCanSignIn));
  if (!stmt.ok()) return stmt.status();
  ResetOnExit reset(*stmt.value());
  auto found = stmt.value()->ReadInt();
  if (!found.ok()) return found.status();
  return found.value() != 0;
}

Status SqliteStore::AddSetupToken(const std::string& token_hash, const std::vector<uint8_t>& sealed,
                                  int64_t expires_at) {
  std::lock_guard lock(mutex_);
  return ExecLocked(
      "INSERT INTO setup_tokens (token_hash, sealed_token, expires_at) VALUES (?1, ?2, ?3)",
      [&](Statement& st) { st.Bind(1, token_hash).Bind(2, sealed).Bind(3, expires_at); });
}

Result<std::optional<std::vector<uint8_t>>> SqliteStore::OpenSetupToken(int64_t now) {
  std::lock_guard lock(mutex_);
  std::optional<std::vector<uint8_t>> sealed;
  Status s = QueryLocked(
      "SELECT sealed_token FROM setup_tokens WHERE used_at IS NULL AND expires_at > ?1 "
      "AND sealed_token IS NOT NULL ORDER BY expires_at DESC LIMIT 1",
      [&](Statement& st) { st.Bind(1, now); },
      [&](const Statement& row) { sealed = row.ColumnBlob(0); });
  if (!s.ok()) return s;
  return sealed;
}

Result<bool> SqliteStore::SetupTokenUsable(const std::string& token_hash, int64_t now) {
  auto lease = reads_.Borrow();
  if (!lease.ok()) return lease.status();
  auto stmt = lease.value().Prepared(
      "SELECT 1 FROM setup_tokens WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2 "
      "AND NOT " +
      std::string(kAdministratorCanSignIn));
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
        "AND expires_at > ?2 AND NOT " +
            std::string(kAdministratorCanSignIn));
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
  return stmt.value().ReadInt();
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

Status SqliteStore::SetPasswordLocked(int64_t person_id, const std::string& hash,
                                      int64_t keep_session_id, int64_t at) {
  auto update =
      Statement::Prepare(db_,
                         "UPDATE people SET password_hash = ?2, password_changed_at = ?3, "
                         "must_change_password = 0 WHERE id = ?1");
  if (!update.ok()) return update.status();
  if (Status r = update.value().Bind(1, person_id).Bind(2, hash).Bind(3, at).Run(); !r.ok()) {
    return r;
  }
  auto history = Statement::Prepare(
      db_,
      "INSERT INTO password_history (person_id, password_hash, changed_at) VALUES (?1, ?2, ?3)");
  if (!history.ok()) return history.status();
  if (Status r = history.value().Bind(1, person_id).Bind(2, hash).Bind(3, at).Run(); !r.ok()) {
    return r;
  }
  auto others = Statement::Prepare(db_, "DELETE FROM sessions WHERE person_id = ?1 AND id != ?2");
  if (!others.ok()) return others.status();
  if (Status r = others.value().Bind(1, person_id).Bind(2, keep_session_id).Run(); !r.ok()) {
    return r;
  }
  return Status::Ok();
}

Status SqliteStore::ChangePassword(int64_t person_id, const std::string& hash,
                                   int64_t keep_session_id, const AuditEvent& audit) {
  SessionWrite write(*this);
  return InTransaction([&]() -> Status {
    if (Status s = SetPasswordLocked(person_id, hash, keep_session_id, audit.at); !s.ok()) {
      return s;
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

Result<int64_t> SqliteStore::AddRole(const Role& role, const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  int64_t id = 0;
  Status s = InTransaction([&]() -> Status {
    auto stmt = Statement::Prepare(
        db_,
        "INSERT INTO roles (name, is_admin, manage_authentication, manage_agent_mfa, asset_edit, "
        "read_audit) VALUES (?1, 0, ?2, ?3, ?4, ?5)");
    if (!stmt.ok()) return stmt.status();
    Status r = stmt.value()
                   .Bind(1, role.name)
                   .Bind(2, int64_t{role.manage_authentication})
                   .Bind(3, int64_t{role.manage_agent_mfa})
                   .Bind(4, std::string(AssetEditName(role.asset_edit)))
                   .Bind(5, int64_t{role.read_audit})
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

}  // namespace deskgate::store
