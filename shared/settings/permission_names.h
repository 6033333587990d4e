// The names of the permissions a role can carry, as the API (/api/me,
// roles), the command line and the pages spell them.
#pragma once

#include <string_view>

namespace deskgate::permission {

// Every permission below, and the administrator-only areas (audit log).
inline constexpr std::string_view kAdministrator = "administrator";
// Access to Agent & Contact Authentication: authentication settings, MFA
// policy, portal access, password policies.
inline constexpr std::string_view kManageAuthentication = "manage_authentication";
// Access to Agent Recovery Code and Reset MFA: view an agent's recovery
// codes and reset an agent's MFA.
inline constexpr std::string_view kManageAgentMfa = "manage_agent_mfa";
// Edit every asset and software record, or only those managed by one's groups.
inline constexpr std::string_view kEditAssets = "edit_assets";
inline constexpr std::string_view kEditGroupAssets = "edit_group_assets";
// Read and export the audit log.
inline constexpr std::string_view kReadAudit = "read_audit";

}  // namespace deskgate::permission
