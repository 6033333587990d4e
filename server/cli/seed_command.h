// `deskgate seed [--assets N] [--software M] [--seed S] [--if-empty] [--db FILE]`
//
// Fills a database with demo data: locations, agent groups, 24 demo agents
// (who cannot sign in) and N assets and M software records. Running it
// again adds more records, unless --if-empty and assets exist.
#pragma once

#include <string>
#include <vector>

namespace deskgate::cli {

int RunSeedCommand(const std::vector<std::string>& args);

}  // namespace deskgate::cli
