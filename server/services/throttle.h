// Throttle: limits attempts per key (an account, an address, or both)
// within a fixed window, shared by password sign-in and second-factor
// checks. A key that used up its attempts is refused until its window ends.
//
// Attempts are counted before they are checked, each by one atomic store
// update, so a burst of concurrent guesses cannot all slip in under the
// limit; an attempt that succeeds is taken back.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "server/store/throttle_store.h"

namespace deskgate::services {

// One counter a request is held to: e.g. {"account", "account:agent:x@y", 20}.
struct ThrottleScope {
  const char* name;  // for the audit log
  std::string key;
  int limit;
  // On success the counter starts over (an account or a person at an
  // address proved who they are), or is only given back its attempt (a
  // shared address, where others' failures still count).
  bool reset_on_success = true;
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

  // An attempt in progress: the counts it produced, and whether it may go on.
  struct Attempt {
    int64_t wait = 0;  // seconds until the scopes allow another; 0 = go ahead
    std::vector<store::Throttle> counts;
  };

  explicit Throttle(store::ThrottleStore& store) : store_(store) {}

  // Seconds until every scope allows an attempt again, or 0; reads only.
  int64_t BlockedFor(std::span<const ThrottleScope> scopes, int64_t now);
  // Counts an attempt in every scope. With `wait` > 0 it must be refused.
  Attempt Begin(std::span<const ThrottleScope> scopes, int64_t now);
  // The attempt succeeded (see ThrottleScope::reset_on_success).
  void Succeeded(std::span<const ThrottleScope> scopes, int64_t now);
  // The attempt was not made after all (the server failed): takes it back.
  void Cancel(std::span<const ThrottleScope> scopes, int64_t now);
  // The attempt failed: the blocks it started, which are what gets audited
  // (not every refusal during a block).
  std::vector<ThrottleBlock> Failed(std::span<const ThrottleScope> scopes, const Attempt& attempt);

  // For doors a wrong link or token opens nothing (setup, invitation and
  // reset links): kThrottled, saying "too many wrong <what> from this
  // address", while the scopes are blocked; OK otherwise. Reads only.
  Status RefuseWhileBlocked(std::span<const ThrottleScope> scopes, int64_t now,
                            std::string_view what);
  // Counts one wrong try in every scope.
  void CountFailure(std::span<const ThrottleScope> scopes, int64_t now) {
    Failed(scopes, Begin(scopes, now));
  }

 private:
  store::ThrottleStore& store_;
};

}  // namespace deskgate::services
