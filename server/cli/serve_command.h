// `deskgate serve [--db FILE] [--host H] [--port N] [--web-root DIR] [--wasm-dir DIR]`
//
// Opens (and migrates) the database, binds, prints the URL on stdout when
// ready, and serves until SIGINT or SIGTERM, then shuts down cleanly.
#pragma once

#include <string>
#include <vector>

namespace deskgate::cli {

int RunServeCommand(const std::vector<std::string>& args);

}  // namespace deskgate::cli
