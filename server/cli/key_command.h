// `deskgate rotate-key`: re-seals every secret under a new master key.
#pragma once

#include <string>
#include <vector>

namespace deskgate::cli {

int RunRotateKeyCommand(const std::vector<std::string>& args);

}  // namespace deskgate::cli
