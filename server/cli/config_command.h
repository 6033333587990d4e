// `deskgate config check [FILE]`: reads a configuration file as serve
// would and reports every bad value at once, each with its line.
#pragma once

#include <string>
#include <vector>

namespace deskgate::cli {

int RunConfigCommand(const std::vector<std::string>& args);

}  // namespace deskgate::cli
