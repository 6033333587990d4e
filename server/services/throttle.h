// Throttle: counts failures per key (an account, an address, or both)
// within a fixed window, and blocks a key that reached its limit until the
// window ends. Shared by password sign-in and second-factor checks.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "server/store/store.h"

namespace deskgate::services {

// One counter a request is held to: e.g. {"account", "account:agent:x@y", 20}.
struct ThrottleScope {
  const char* name;  // for the audit log
  std::string key;
  int limit;
};

// A block that began: the scope and when it ends.
struct ThrottleBlock {
  const char* scope;
  int64_t until;
  // {"scope":"…","until":…}, the audit details of a block's start.
  std::string ToJson() const;
};

class Throttle {
 public:
  static constexpr int64_t kWindow = 15 * 60;  // seconds

  explicit Throttle(store::Store& store) : store_(store) {}

  // Seconds until `key` may try again, or 0.
  int64_t BlockedFor(const std::string& key, int limit, int64_t now);
  // Counts a failure. When it is the one that reaches `limit` (a block
  // starts, which is what gets audited rather than every refusal), returns
  // when the block ends.
  std::optional<int64_t> RecordFailure(const std::string& key, int limit, int64_t now);
  void Clear(const std::string& key) { store_.ClearThrottle(key); }

  // The same over several scopes: the longest wait, and the blocks that a
  // failure started.
  int64_t BlockedFor(std::span<const ThrottleScope> scopes, int64_t now);
  std::vector<ThrottleBlock> RecordFailure(std::span<const ThrottleScope> scopes, int64_t now);

 private:
  store::Store& store_;
};

}  // namespace deskgate::services
