// ThrottleStore: counters of failed attempts per key (an account, an
// address, or both), in fixed windows.
//
// Thread safety: every method may be called from many threads at once; each
// is atomic (a write that changes several rows does so in one transaction,
// with its audit entry), and a read sees only committed writes.
#pragma once

#include <cstdint>
#include <string>

#include "shared/core/status.h"

namespace deskgate::store {

// Throttling counters for one key (an account, an address, or both).
struct Throttle {
  int failures = 0;
  int64_t window_start = 0;
};

class ThrottleStore {
 public:
  virtual ~ThrottleStore() = default;

  virtual Result<Throttle> GetThrottle(const std::string& key) = 0;
  // Adds `delta` to the key's count, atomically, first starting a new
  // window at `now` if `window` seconds have passed since it began; the
  // count never goes below 0. Returns the new state.
  virtual Result<Throttle> CountThrottle(const std::string& key, int delta, int64_t now,
                                         int64_t window) = 0;
  virtual Status ClearThrottle(const std::string& key) = 0;
};

}  // namespace deskgate::store
