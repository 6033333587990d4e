// SqliteStore: the people lists administrators manage.
#include <map>
#include <set>

#include "server/store/sqlite/person_rows.h"
#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::store {
namespace {

// The summary's columns, one row per person. Unset filters are NULL
// parameters, so one prepared statement serves every combination.
constexpr std::string_view kSummarySelect =
    "SELECT p.id, p.portal, p.email, p.name, r.id, r.name, r.is_admin, p.deactivated_at, "
    "t.enrolled_at, "
    "(SELECT count(*) FROM recovery_codes c WHERE c.person_id = p.id AND c.used_at IS NULL), "
    "EXISTS (SELECT 1 FROM sso_identities i WHERE i.person_id = p.id), "
    "p.last_sign_in_at, coalesce(p.last_sign_in_method, ''), "
    "(SELECT count(*) FROM sessions s WHERE s.person_id = p.id AND s.stage = 'done'), "
    "p.must_change_password, p.created_at, p.password_hash != '', "
    "(SELECT max(v.expires_at) FROM invitations v "
    " WHERE v.person_id = p.id AND v.used_at IS NULL AND v.revoked_at IS NULL) ";
constexpr std::string_view kSummaryFrom =
    "FROM people p LEFT JOIN roles r ON r.id = p.role_id "
    "LEFT JOIN mfa_totp t ON t.person_id = p.id AND t.enrolled_at IS NOT NULL ";
constexpr std::string_view kFilters =
    "WHERE p.portal = ?1 "
    "AND (?2 = '' OR p.name LIKE ?2 ESCAPE '\\' OR p.email LIKE ?2 ESCAPE '\\') "
    "AND (?3 IS NULL OR p.role_id = ?3) "
    "AND (?4 IS NULL OR EXISTS (SELECT 1 FROM group_members m "
    "                           WHERE m.person_id = p.id AND m.group_id = ?4)) "
    "AND (?5 IS NULL OR (t.enrolled_at IS NOT NULL) = ?5) "
    "AND (?6 IS NULL OR EXISTS (SELECT 1 FROM sso_identities i WHERE i.person_id = p.id) = ?6) "
    "AND (?7 IS NULL OR (p.deactivated_at IS NULL) = ?7) "
    "AND (?10 = 0 OR (p.password_hash = '' AND p.last_sign_in_at IS NULL "
    "                 AND p.deactivated_at IS NULL)) ";

// ORDER BY for a sort, ties broken by id so pages never overlap. People
// never signed in sort after everyone who has, either way.
std::string OrderBy(DirectoryQuery::Sort sort, bool descending) {
  const std::string dir = descending ? " DESC" : " ASC";
  switch (sort) {
    case DirectoryQuery::Sort::kEmail:
      return "ORDER BY p.email" + dir + ", p.id" + dir + " ";
    case DirectoryQuery::Sort::kRole:
      return "ORDER BY r.name COLLATE NOCASE" + dir + ", p.name COLLATE NOCASE, p.id ";
    case DirectoryQuery::Sort::kLastSignIn:
      return "ORDER BY p.last_sign_in_at IS NULL, p.last_sign_in_at" + dir + ", p.id" + dir + " ";
    case DirectoryQuery::Sort::kCreated:
      return "ORDER BY p.created_at" + dir + ", p.id" + dir + " ";
    case DirectoryQuery::Sort::kName:
      break;
  }
  return "ORDER BY p.name COLLATE NOCASE" + dir + ", p.email" + dir + ", p.id" + dir + " ";
}

std::optional<int64_t> AsFlag(std::optional<bool> flag) {
  if (!flag) return std::nullopt;
  return *flag ? 1 : 0;
}

void BindFilters(Statement& s, const DirectoryQuery& q) {
  s.Bind(1, PortalName(q.portal))
      .Bind(2, q.search.empty() ? std::string() : LikePattern(q.search))
      .Bind(3, q.role_id)
      .Bind(4, q.group_id)
      .Bind(5, AsFlag(q.app_enrolled))
      .Bind(6, AsFlag(q.sso_linked))
      .Bind(7, AsFlag(q.active))
      .Bind(10, int64_t{q.invited});
}

std::optional<int64_t> OptionalInt(const Statement& s, int column) {
  if (s.ColumnIsNull(column)) return std::nullopt;
  return s.ColumnInt(column);
}

PersonSummary ReadSummary(const Statement& s) {
  PersonSummary p;
  p.id = s.ColumnInt(0);
  p.portal = ReadPortal(s, 1);
  p.email = s.ColumnText(2);
  p.name = s.ColumnText(3);
  if (!s.ColumnIsNull(4)) p.role = GroupRef{s.ColumnInt(4), s.ColumnText(5)};
  p.role_is_admin = s.ColumnInt(6) != 0;
  p.deactivated_at = OptionalInt(s, 7);
  p.app_enrolled_at = OptionalInt(s, 8);
  p.recovery_codes_left = s.ColumnInt(9);
  p.sso_linked = s.ColumnInt(10) != 0;
  p.last_sign_in_at = OptionalInt(s, 11);
  p.last_sign_in_method = s.ColumnText(12);
  p.active_sessions = s.ColumnInt(13);
  p.must_change_password = s.ColumnInt(14) != 0;
  p.created_at = s.ColumnInt(15);
  p.has_password = s.ColumnInt(16) != 0;
  p.invitation_expires_at = OptionalInt(s, 17);
  return p;
}

// Active Administrators who can sign in (a password or a linked single
// sign-on identity; invited ones cannot yet): never allowed to reach zero.
constexpr std::string_view kActiveAdministrators =
    "SELECT count(*) FROM people p JOIN roles r ON r.id = p.role_id "
    "WHERE p.portal = 'agent' AND r.is_admin = 1 AND p.deactivated_at IS NULL "
    "AND (p.password_hash NOT IN ('', '!') "
    "     OR EXISTS (SELECT 1 FROM sso_identities i WHERE i.person_id = p.id))";

}  // namespace

Status SqliteStore::GroupsOfLocked(const Database& db, std::vector<PersonSummary>& people) {
  if (people.empty()) return Status::Ok();
  std::string ids;
  std::map<int64_t, PersonSummary*> by_id;
  for (PersonSummary& p : people) {
    if (!ids.empty()) ids += ',';
    ids += std::to_string(p.id);  // integers from the database: safe to inline
    by_id[p.id] = &p;
  }
  auto stmt = Statement::Prepare(db,
                                 "SELECT m.person_id, g.id, g.name FROM group_members m "
                                 "JOIN agent_groups g ON g.id = m.group_id WHERE m.person_id IN (" +
                                     ids + ") ORDER BY g.name COLLATE NOCASE");
  if (!stmt.ok()) return stmt.status();
  while (stmt.value().Step()) {
    const Statement& s = stmt.value();
    by_id[s.ColumnInt(0)]->groups.push_back(GroupRef{s.ColumnInt(1), s.ColumnText(2)});
  }
  return stmt.value().status();
}

Result<DirectoryPage> SqliteStore::ListPeople(const DirectoryQuery& query) {
  auto lease = reads_.Borrow();
  if (!lease.ok()) return lease.status();
  DirectoryPage page;
  {
    auto count = lease.value().Prepared("SELECT count(*) " + std::string(kSummaryFrom) +
                                        std::string(kFilters));
    if (!count.ok()) return count.status();
    ResetOnExit reset(*count.value());
    BindFilters(*count.value(), query);
    auto total = count.value()->ReadInt();
    if (!total.ok()) return total.status();
    page.total = total.value();
  }
  auto rows = lease.value().Prepared(std::string(kSummarySelect) + std::string(kSummaryFrom) +
                                     std::string(kFilters) + OrderBy(query.sort, query.descending) +
                                     "LIMIT ?8 OFFSET ?9");
  if (!rows.ok()) return rows.status();
  Statement& s = *rows.value();
  ResetOnExit reset(s);
  BindFilters(s, query);
  s.Bind(8, query.limit).Bind(9, query.offset);
  while (s.Step()) page.rows.push_back(ReadSummary(s));
  if (!s.status().ok()) return s.status();
  if (Status g = GroupsOfLocked(lease.value().db(), page.rows); !g.ok()) return g;
  return page;
}

Result<std::optional<PersonSummary>> SqliteStore::PersonSummaryById(int64_t id) {
  auto lease = reads_.Borrow();
  if (!lease.ok()) return lease.status();
  auto stmt = lease.value().Prepared(std::string(kSummarySelect) + std::string(kSummaryFrom) +
                                     "WHERE p.id = ?1");
  if (!stmt.ok()) return stmt.status();
  Statement& s = *stmt.value();
  ResetOnExit reset(s);
  s.Bind(1, id);
  std::vector<PersonSummary> found;
  if (s.Step()) found.push_back(ReadSummary(s));
  if (!s.status().ok()) return s.status();
  if (found.empty()) return std::optional<PersonSummary>();
  if (Status g = GroupsOfLocked(lease.value().db(), found); !g.ok()) return g;
  return std::optional<PersonSummary>(std::move(found.front()));
}

Status SqliteStore::KeepAnAdministratorLocked() {
  auto admins = Statement::Prepare(db_, kActiveAdministrators);
  if (!admins.ok()) return admins.status();
  auto count = admins.value().ReadInt();
  if (!count.ok()) return count.status();
  if (count.value() > 0) return Status::Ok();
  return Status::Of(StatusCode::kConflict,
                    "deskgate needs at least one active Administrator: make someone else an "
                    "Administrator first");
}

Status SqliteStore::ExpectOneChangeLocked(const char* what) {
  if (sqlite3_changes(db_.handle()) == 1) return Status::Ok();
  return Status::Of(StatusCode::kNotFound, std::string(what) + " not found");
}

Status SqliteStore::UpdatePerson(int64_t id, const PersonChange& change, const AuditEvent& audit) {
  SessionWrite write(*this);  // a role change applies to the person's next request
  return InTransaction([&]() -> Status {
    if (change.name) {
      Status s = ExecLocked("UPDATE people SET name = ?2 WHERE id = ?1",
                            [&](Statement& st) { st.Bind(1, id).Bind(2, *change.name); });
      if (!s.ok()) return s;
      if (Status one = ExpectOneChangeLocked("person"); !one.ok()) return one;
    }
    if (change.role_id) {
      Status s = ExecLocked(
          "UPDATE people SET role_id = (SELECT id FROM roles WHERE id = ?2) "
          "WHERE id = ?1 AND portal = 'agent' AND EXISTS (SELECT 1 FROM roles WHERE id = ?2)",
          [&](Statement& st) { st.Bind(1, id).Bind(2, *change.role_id); });
      if (!s.ok()) return s;
      if (Status one = ExpectOneChangeLocked("agent or role"); !one.ok()) return one;
    }
    if (change.group_ids) {
      Status s = ExecLocked("DELETE FROM group_members WHERE person_id = ?1",
                            [&](Statement& st) { st.Bind(1, id); });
      if (!s.ok()) return s;
      for (int64_t group : std::set<int64_t>(change.group_ids->begin(), change.group_ids->end())) {
        s = ExecLocked(
            "INSERT OR IGNORE INTO group_members (group_id, person_id) "
            "SELECT g.id, p.id FROM agent_groups g, people p "
            "WHERE g.id = ?2 AND p.id = ?1 AND p.portal = 'agent'",
            [&](Statement& st) { st.Bind(1, id).Bind(2, group); });
        if (!s.ok()) return s;
        if (Status one = ExpectOneChangeLocked("group"); !one.ok()) return one;
      }
    }
    if (change.deactivated_at) {
      if (Status s = SetDeactivatedLocked(id, *change.deactivated_at); !s.ok()) return s;
    }
    if (change.require_password_change) {
      Status s = ExecLocked("UPDATE people SET must_change_password = 1 WHERE id = ?1",
                            [&](Statement& st) { st.Bind(1, id); });
      if (!s.ok()) return s;
      if (Status one = ExpectOneChangeLocked("person"); !one.ok()) return one;
    }
    if (Status keep = KeepAnAdministratorLocked(); !keep.ok()) return keep;
    return AuditLocked(audit);
  });
}

Status SqliteStore::SetDeactivatedLocked(int64_t id, std::optional<int64_t> deactivated_at) {
  Status s = ExecLocked("UPDATE people SET deactivated_at = ?2 WHERE id = ?1",
                        [&](Statement& st) { st.Bind(1, id).Bind(2, deactivated_at); });
  if (!s.ok()) return s;
  if (Status one = ExpectOneChangeLocked("person"); !one.ok()) return one;
  if (!deactivated_at) return Status::Ok();
  // Every session, and every link that would let them back in later:
  // invitations, password resets and single sign-on links waiting.
  // (Each statement names ?2, the time, so one binding serves them all.)
  for (const char* sql :
       {"DELETE FROM sessions WHERE person_id = ?1 AND ?2 IS NOT NULL",
        "UPDATE invitations SET revoked_at = ?2 WHERE person_id = ?1 AND used_at IS NULL "
        "AND revoked_at IS NULL",
        "UPDATE password_resets SET used_at = ?2 WHERE person_id = ?1 AND used_at IS NULL",
        "DELETE FROM sso_pending_links WHERE person_id = ?1 AND ?2 IS NOT NULL"}) {
    Status s = ExecLocked(sql, [&](Statement& st) { st.Bind(1, id).Bind(2, *deactivated_at); });
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status SqliteStore::UnlinkSsoIdentity(int64_t id, const AuditEvent& audit) {
  SessionWrite write(*this);
  return InTransaction([&]() -> Status {
    Status s = ExecLocked("DELETE FROM sso_identities WHERE person_id = ?1",
                          [&](Statement& st) { st.Bind(1, id); });
    if (!s.ok()) return s;
    if (Status one = ExpectOneChangeLocked("single sign-on identity"); !one.ok()) return one;
    s = ExecLocked("DELETE FROM sessions WHERE person_id = ?1 AND via_sso = 1",
                   [&](Statement& st) { st.Bind(1, id); });
    if (!s.ok()) return s;
    if (Status keep = KeepAnAdministratorLocked(); !keep.ok()) return keep;
    return AuditLocked(audit);
  });
}

Result<std::vector<RoleSummary>> SqliteStore::ListRoles() {
  std::lock_guard lock(mutex_);
  std::vector<RoleSummary> roles;
  Status s = QueryLocked(
      "SELECT r.id, r.name, r.is_admin, r.manage_authentication, r.manage_agent_mfa, "
      "r.asset_edit, r.builtin, (SELECT count(*) FROM people p WHERE p.role_id = r.id), "
      "r.read_audit "
      "FROM roles r ORDER BY r.builtin DESC, r.name COLLATE NOCASE",
      [](Statement&) {},
      [&](const Statement& row) {
        RoleSummary r;
        r.role =
            Role{row.ColumnInt(0),      row.ColumnText(1),     row.ColumnInt(2) != 0,
                 row.ColumnInt(3) != 0, row.ColumnInt(4) != 0, ParseAssetEdit(row.ColumnText(5)),
                 row.ColumnInt(8) != 0};
        r.builtin = row.ColumnInt(6) != 0;
        r.members = row.ColumnInt(7);
        roles.push_back(std::move(r));
      });
  if (!s.ok()) return s;
  return roles;
}

Status SqliteStore::CustomRoleLocked(int64_t id) {
  auto builtin = Statement::Prepare(db_, "SELECT builtin FROM roles WHERE id = ?1");
  if (!builtin.ok()) return builtin.status();
  Statement& s = builtin.value();
  s.Bind(1, id);
  if (!s.Step()) {
    return s.status().ok() ? Status::Of(StatusCode::kNotFound, "role not found") : s.status();
  }
  if (s.ColumnInt(0) != 0) {
    return Status::Of(StatusCode::kConflict, "built-in roles cannot be changed or deleted");
  }
  return Status::Ok();
}

Status SqliteStore::UpdateRole(const Role& role, const AuditEvent& audit) {
  SessionWrite write(*this);  // members' permissions change at their next request
  return InTransaction([&]() -> Status {
    if (Status custom = CustomRoleLocked(role.id); !custom.ok()) return custom;
    Status s = ExecLocked(
        "UPDATE roles SET name = ?2, manage_authentication = ?3, manage_agent_mfa = ?4, "
        "asset_edit = ?5, read_audit = ?6 WHERE id = ?1 AND builtin = 0",
        [&](Statement& st) {
          st.Bind(1, role.id)
              .Bind(2, role.name)
              .Bind(3, int64_t{role.manage_authentication})
              .Bind(4, int64_t{role.manage_agent_mfa})
              .Bind(5, std::string(AssetEditName(role.asset_edit)))
              .Bind(6, int64_t{role.read_audit});
        });
    if (s.code() == StatusCode::kConflict) {
      return Status::Of(StatusCode::kConflict, "a role named '" + role.name + "' already exists");
    }
    if (!s.ok()) return s;
    if (Status one = ExpectOneChangeLocked("custom role"); !one.ok()) return one;
    return AuditLocked(audit);
  });
}

Status SqliteStore::DeleteRole(int64_t id, std::optional<int64_t> move_to,
                               const AuditEvent& audit) {
  SessionWrite write(*this);
  return InTransaction([&]() -> Status {
    if (Status custom = CustomRoleLocked(id); !custom.ok()) return custom;
    auto members = Statement::Prepare(db_, "SELECT count(*) FROM people WHERE role_id = ?1");
    if (!members.ok()) return members.status();
    auto count = members.value().Bind(1, id).ReadInt();
    if (!count.ok()) return count.status();
    if (count.value() > 0) {
      if (!move_to || *move_to == id) {
        return Status::Of(StatusCode::kConflict, "this role has " + std::to_string(count.value()) +
                                                     (count.value() == 1 ? " member" : " members") +
                                                     ": choose the role they move to");
      }
      Status s = ExecLocked(
          "UPDATE people SET role_id = ?2 WHERE role_id = ?1 "
          "AND EXISTS (SELECT 1 FROM roles WHERE id = ?2)",
          [&](Statement& st) { st.Bind(1, id).Bind(2, *move_to); });
      if (!s.ok()) return s;
      if (sqlite3_changes(db_.handle()) != count.value()) {
        return Status::Of(StatusCode::kNotFound, "the role to move members to was not found");
      }
    }
    Status s = ExecLocked("DELETE FROM roles WHERE id = ?1 AND builtin = 0",
                          [&](Statement& st) { st.Bind(1, id); });
    if (!s.ok()) return s;
    if (Status one = ExpectOneChangeLocked("custom role"); !one.ok()) return one;
    return AuditLocked(audit);
  });
}

}  // namespace deskgate::store
