// CountCache: the totals of recent list queries (SELECT COUNT(*) … WHERE
// filter), so paging through a list of 100,000 records does not count them
// all again on every page. Any write to the records through this store
// invalidates every total; a write by another process (deskgate seed) is
// seen within a second, the longest a total is kept.
//
// Generation-checked like SessionCache: a count read before a write that
// finished during the read is not stored. Bounded: when full it starts over.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace deskgate::store {

class CountCache {
 public:
  static constexpr size_t kMaxEntries = 1024;
  static constexpr std::chrono::milliseconds kLifetime{1000};

  std::optional<int64_t> Get(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = counts_.find(key);
    if (it == counts_.end() || Clock::now() - it->second.counted_at >= kLifetime) {
      return std::nullopt;
    }
    return it->second.count;
  }
  // The generation to pass to Put, read before counting.
  uint64_t generation() {
    std::lock_guard lock(mutex_);
    return generation_;
  }
  void Put(const std::string& key, int64_t count, uint64_t generation) {
    std::lock_guard lock(mutex_);
    if (generation != generation_) return;  // a write happened meanwhile
    if (counts_.size() >= kMaxEntries) counts_.clear();
    counts_[key] = {count, Clock::now()};
  }
  void Invalidate() {
    std::lock_guard lock(mutex_);
    ++generation_;
    counts_.clear();
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    int64_t count = 0;
    Clock::time_point counted_at;
  };
  std::mutex mutex_;
  uint64_t generation_ = 0;
  std::unordered_map<std::string, Entry> counts_;
};

}  // namespace deskgate::store
