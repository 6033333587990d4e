// Permissions: what a signed-in person may do, decided in one place.
// Every route's Require* helper, /api/me and the services ask
// PermissionsOf; nothing else reads a role's flags.
#pragma once

#include <string_view>
#include <vector>

#include "server/store/store.h"

namespace deskgate::services {

struct Permissions {
  bool administrator = false;
  bool manage_authentication = false;  // Access to Agent & Contact Authentication
  bool manage_agent_mfa = false;       // Access to Agent Recovery Code and Reset MFA
  bool view_records = false;           // the asset and software lists
  store::Role::AssetEdit asset_edit = store::Role::AssetEdit::kNone;
  bool read_audit = false;  // the audit log

  // The names of what is granted (shared/permission_names.h), for /api/me.
  std::vector<std::string_view> Names() const;
};

// Contacts hold none; an agent holds what their role grants, and an
// Administrator everything.
Permissions PermissionsOf(const store::Person& person);
// What a role grants its members.
Permissions PermissionsOfRole(const store::Role& role);

// Adds the permission `name` (a custom role's: manage_authentication,
// manage_agent_mfa, read_audit, edit_assets, edit_group_assets) to `role`;
// an error naming the known ones otherwise. The API and the command line
// both read role permissions through it.
Status GrantPermission(std::string_view name, store::Role& role);

}  // namespace deskgate::services
