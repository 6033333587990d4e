// How the SQLite backend reads a person (and their role) from a row: the
// columns people and session lookups select, and the reader. Internal to
// the backend.
#pragma once

#include <string_view>

#include "server/store/people_store.h"
#include "server/store/sqlite/sqlite.h"

namespace deskgate::store {

// A person's columns, read by ReadPerson; session lookups append their own.
inline constexpr std::string_view kPersonColumns =
    "SELECT p.id, p.portal, p.email, p.name, p.password_hash, p.password_changed_at, "
    "p.must_change_password, r.id, r.name, r.is_admin, r.manage_authentication, "
    "r.manage_agent_mfa, r.asset_edit, p.deactivated_at, r.read_audit";
inline constexpr int kPersonColumnCount = 15;
inline constexpr std::string_view kPersonFrom =
    " FROM people p LEFT JOIN roles r ON r.id = p.role_id ";

inline Portal ReadPortal(const Statement& s, int column) {
  return s.ColumnText(column) == "agent" ? Portal::kAgent : Portal::kContact;
}

inline Role::AssetEdit ParseAssetEdit(std::string_view name) {
  if (name == "all") return Role::AssetEdit::kAll;
  if (name == "own_groups") return Role::AssetEdit::kOwnGroups;
  return Role::AssetEdit::kNone;
}

inline Person ReadPerson(const Statement& s) {
  Person p;
  p.id = s.ColumnInt(0);
  p.portal = ReadPortal(s, 1);
  p.email = s.ColumnText(2);
  p.name = s.ColumnText(3);
  p.password_hash = s.ColumnText(4);
  p.password_changed_at = s.ColumnInt(5);
  p.must_change_password = s.ColumnInt(6) != 0;
  if (!s.ColumnIsNull(13)) p.deactivated_at = s.ColumnInt(13);
  if (p.portal == Portal::kAgent) {
    p.role = Role{s.ColumnInt(7),       s.ColumnText(8),      s.ColumnInt(9) != 0,
                  s.ColumnInt(10) != 0, s.ColumnInt(11) != 0, ParseAssetEdit(s.ColumnText(12)),
                  s.ColumnInt(14) != 0};
  }
  return p;
}

}  // namespace deskgate::store
