#include "server/services/permissions.h"

#include "shared/settings/permission_names.h"

namespace deskgate::services {

Permissions PermissionsOf(const store::Person& person) {
  Permissions p;
  if (person.portal != store::Portal::kAgent) return p;
  p.view_records = true;
  if (!person.role) return p;
  return PermissionsOfRole(*person.role);
}

Permissions PermissionsOfRole(const store::Role& role) {
  Permissions p;
  p.view_records = true;
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

Status GrantPermission(std::string_view name, store::Role& role) {
  if (name == permission::kManageAuthentication) {
    role.manage_authentication = true;
  } else if (name == permission::kManageAgentMfa) {
    role.manage_agent_mfa = true;
  } else if (name == permission::kReadAudit) {
    role.read_audit = true;
  } else if (name == permission::kEditAssets) {
    role.asset_edit = store::Role::AssetEdit::kAll;
  } else if (name == permission::kEditGroupAssets) {
    // The narrower grant never undoes the wider one, whatever the order.
    if (role.asset_edit != store::Role::AssetEdit::kAll) {
      role.asset_edit = store::Role::AssetEdit::kOwnGroups;
    }
  } else {
    return Status::Error("unknown permission '" + std::string(name.substr(0, 64)) +
                         "' (known: manage_authentication, manage_agent_mfa, read_audit, "
                         "edit_assets, edit_group_assets)");
  }
  return Status::Ok();
}

}  // namespace deskgate::services
