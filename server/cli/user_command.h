// `deskgate user add --portal agent|contact --email E [--name N] [--role R] [--db FILE]`
//
// Creates an agent (role: Administrator, Agent or a custom role; default
// Agent) or a contact. The password is read from stdin (one trailing "\n"
// dropped) and must satisfy the portal's password policy.
#pragma once

#include <string>
#include <vector>

namespace deskgate::cli {

int RunUserCommand(const std::vector<std::string>& args);

// `deskgate role add --name N [--permissions manage_authentication,manage_agent_mfa] [--db FILE]`
// creates a custom agent role with those permission flags.
int RunRoleCommand(const std::vector<std::string>& args);

}  // namespace deskgate::cli
