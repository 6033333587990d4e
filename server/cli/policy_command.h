// `deskgate policy check --policy JSON [--email E] [--name N]`
//
// Reads the password from stdin (exactly one trailing "\n" is dropped, so
// `echo pw | deskgate policy check` works and any byte string can still be
// passed by appending "\n") and prints the same
// JSON that the WebAssembly checkPassword returns, and exits 0 (the verdict
// is the JSON's "ok"); bad usage or a bad policy exits 2 with one line on stderr.
#pragma once

#include <string>
#include <vector>

namespace deskgate::cli {

int RunPolicyCommand(const std::vector<std::string>& args);

}  // namespace deskgate::cli
