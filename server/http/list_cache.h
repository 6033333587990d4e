// ListCache: list pages as recently served (the JSON body), so that many
// agents opening the same list view, or a page polled for changes, cost one
// query and one rendering per second instead of one per request.
//
// An entry is served only while it is younger than one second and no
// record was written since it was rendered (the caller passes the records'
// write generation), so an edit made through this server shows on the very
// next request and one made by another process within a second. Bounded:
// when full it starts over.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace deskgate::http {

class ListCache {
 public:
  static constexpr std::chrono::milliseconds kLifetime{1000};
  static constexpr size_t kCapacity = 256;

  std::optional<std::string> Get(const std::string& key, uint64_t generation) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.generation != generation ||
        Clock::now() - it->second.rendered_at >= kLifetime) {
      return std::nullopt;
    }
    return it->second.body;
  }
  // `generation` as read before the page was queried.
  void Put(const std::string& key, std::string body, uint64_t generation) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= kCapacity) entries_.clear();
    entries_[key] = {std::move(body), generation, Clock::now()};
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    std::string body;
    uint64_t generation = 0;
    Clock::time_point rendered_at;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace deskgate::http
