// SessionCache: recently looked-up sessions, so that the session check on
// every request does not reach the database.
//
// What it promises: an entry is served for at most one second after it was
// read, and never after Invalidate(). The store invalidates after every write
// that touches people, roles or sessions, so such a change made by this
// process (a logout, a password change, a role change) is seen by the very
// next request; a change made by another process on the same file (the
// CLI) is seen within a second. A lookup that raced with a write cannot put
// back what the write removed: Put is refused when the cache was
// invalidated after the lookup began. Misses are not cached.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "server/store/store.h"

namespace deskgate::store {

class SessionCache {
 public:
  static constexpr std::chrono::milliseconds kLifetime{1000};
  static constexpr size_t kCapacity = 10000;

  // Taken before reading the database; passed back to Put.
  uint64_t generation() const;
  std::optional<ActiveSession> Get(const std::string& token_hash) const;
  void Put(const std::string& token_hash, const ActiveSession& session, uint64_t generation);
  void Invalidate();

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    ActiveSession session;
    Clock::time_point read_at;
  };

  mutable std::shared_mutex mutex_;
  uint64_t generation_ = 0;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace deskgate::store
