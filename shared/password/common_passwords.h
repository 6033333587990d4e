// The common-password set: passwords attackers try first, which no policy
// may accept (NIST SP 800-63B §5.1.1.2, "commonly-used passwords").
//
// The data is generated at build time from a packaged list (see
// tools/gen-common-passwords.mjs) into a sorted, front-coded block with
// restart points, so it is compact in the WebAssembly module and needs no
// allocation to search.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace deskgate {

struct FrontCodedSet {
  const unsigned char* entries;  // per entry: shared length, suffix length, suffix
  size_t entries_size;
  const uint32_t* restarts;  // offsets of entries stored with no shared prefix
  size_t restart_count;
  size_t entry_count;
  size_t restart_interval;
};

// Defined by the generated file.
const FrontCodedSet& CommonPasswordData();

// True if `lowercase` (a password already mapped to lower case) is in the
// set. Every entry is 8 to 255 characters of printable ASCII, so anything
// else is answered without a search.
bool IsCommonPassword(std::u32string_view lowercase);

// Looks `key` up in any front-coded set; exposed for tests.
bool FrontCodedSetContains(const FrontCodedSet& set, std::string_view key);

}  // namespace deskgate
