#include "shared/password/common_passwords.h"

#include <string>

namespace deskgate {
namespace {

// The key stored at a restart point (its shared length is always 0).
std::string_view RestartKey(const FrontCodedSet& set, size_t restart) {
  const unsigned char* p = set.entries + set.restarts[restart];
  return {reinterpret_cast<const char*>(p + 2), p[1]};
}

}  // namespace

bool FrontCodedSetContains(const FrontCodedSet& set, std::string_view key) {
  if (set.restart_count == 0) return false;
  // Find the last restart whose key is <= key.
  size_t lo = 0, hi = set.restart_count;
  while (hi - lo > 1) {
    const size_t mid = lo + (hi - lo) / 2;
    if (RestartKey(set, mid) <= key) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  // Scan forward, rebuilding each entry from its predecessor.
  const unsigned char* p = set.entries + set.restarts[lo];
  const unsigned char* end = set.entries + set.entries_size;
  std::string current;
  for (size_t i = 0; i < set.restart_interval && p < end; ++i) {
    const size_t shared = p[0], suffix = p[1];
    current.resize(shared);
    current.append(reinterpret_cast<const char*>(p + 2), suffix);
    p += 2 + suffix;
    if (current == key) return true;
    if (current > key) return false;
  }
  return false;
}

bool IsCommonPassword(std::u32string_view lowercase) {
  if (lowercase.size() < 8 || lowercase.size() > 255) return false;
  std::string key(lowercase.size(), '\0');
  for (size_t i = 0; i < lowercase.size(); ++i) {
    if (lowercase[i] < 0x21 || lowercase[i] > 0x7E) return false;
    key[i] = static_cast<char>(lowercase[i]);
  }
  return FrontCodedSetContains(CommonPasswordData(), key);
}

}  // namespace deskgate
