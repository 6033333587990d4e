#include "server/store/session_cache.h"

#include <mutex>

namespace deskgate::store {

uint64_t SessionCache::generation() const {
  std::shared_lock lock(mutex_);
  return generation_;
}

std::optional<ActiveSession> SessionCache::Get(const std::string& token_hash) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(token_hash);
  if (it == entries_.end() || Clock::now() - it->second.read_at > kLifetime) return std::nullopt;
  return it->second.session;
}

void SessionCache::Put(const std::string& token_hash, const ActiveSession& session,
                       uint64_t generation) {
  std::unique_lock lock(mutex_);
  if (generation != generation_) return;
  // Expired entries are only replaced, never swept: dropping them all when
  // the map is full keeps memory bounded at no per-request cost.
  if (entries_.size() >= kCapacity) entries_.clear();
  entries_.insert_or_assign(token_hash, Entry{session, Clock::now()});
}

void SessionCache::Invalidate() {
  std::unique_lock lock(mutex_);
  ++generation_;
  entries_.clear();
}

}  // namespace deskgate::store
