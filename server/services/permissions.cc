#include "server/services/permissions.h"

#include "shared/settings/permission_names.h"

namespace deskgate::services {

Permissions PermissionsOf(const store::Person& person) {
  Permissions p;
  if (person.portal != store::Portal::kAgent) return p;
  p.view_records = true;
  if (!person.role) return p;
  const store::Role& role = *person.role;
  p.administrator = role.is_admin;
  p.manage_authentication = role.is_admin || role.manage_authentication;
  p.manage_agent_mfa = role.is_admin || role.manage_agent_mfa;
  p.asset_edit = role.is_admin ? store::Role::AssetEdit::kAll : role.asset_edit;
  p.read_audit = role.is_admin || role.read_audit;
  return p;
}

std::vector<std::string_view> Permissions::Names() const {
  std::vector<std::string_view> names;
  if (administrator) names.push_back(permission::kAdministrator);
  if (manage_authentication) names.push_back(permission::kManageAuthentication);
  if (manage_agent_mfa) names.push_back(permission::kManageAgentMfa);
  if (asset_edit == store::Role::AssetEdit::kAll) names.push_back(permission::kEditAssets);
  if (asset_edit == store::Role::AssetEdit::kOwnGroups) {
    names.push_back(permission::kEditGroupAssets);
  }
  if (read_audit) names.push_back(permission::kReadAudit);
  return names;
}

}  // namespace deskgate::services
