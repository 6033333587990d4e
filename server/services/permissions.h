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

}  // namespace deskgate::services
