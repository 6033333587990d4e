// ShortLivedCache: values recently read, served for at most `Lifetime`
// after they were read and never after Invalidate(). The three caches on
// the request path (sessions, list totals, list pages) are instances.
//
// What it promises: a lookup that raced with a write cannot put back what
// the write removed — Put is refused when the cache was invalidated after
// the caller read generation() (taken before reading the source). Misses are
// not cached. Bounded: when full it starts over, so memory stays flat at no
// per-request cost (expired entries are replaced, never swept). Safe to use
// from many threads; lookups share a lock.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace deskgate {

template <typename Value, size_t Capacity, int64_t LifetimeMs = 1000>
class ShortLivedCache {
 public:
  static constexpr std::chrono::milliseconds kLifetime{LifetimeMs};
  static constexpr size_t kCapacity = Capacity;

  // Taken before reading the source; passed back to Put.
  uint64_t generation() const {
    std::shared_lock lock(mutex_);
    return generation_;
  }

  std::optional<Value> Get(const std::string& key) const {
    std::shared_lock lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end() || Clock::now() - it->second.read_at >= kLifetime) {
      return std::nullopt;
    }
    return it->second.value;
  }

  void Put(const std::string& key, Value value, uint64_t generation) {
    std::unique_lock lock(mutex_);
    if (generation != generation_) return;  // a write happened meanwhile
    if (entries_.size() >= kCapacity) entries_.clear();
    entries_.insert_or_assign(key, Entry{std::move(value), Clock::now()});
  }

  void Invalidate() {
    std::unique_lock lock(mutex_);
    ++generation_;
    entries_.clear();
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    Value value;
    Clock::time_point read_at;
  };

  mutable std::shared_mutex mutex_;
  uint64_t generation_ = 0;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace deskgate
