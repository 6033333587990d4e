#include "shared/grid/grid_rows.h"

#include <utility>

namespace deskgate {

size_t GridRows::Home(int64_t id) const {
  // Fibonacci hashing: ids are often consecutive, and this spreads them.
  return static_cast<size_t>((static_cast<uint64_t>(id) * 0x9E3779B97F4A7C15u) >> 32) &
         (index_.size() - 1);
}

size_t GridRows::Probe(int64_t id) const {
  size_t entry = Home(id);
  while (index_[entry] != kNoSlot && records_[index_[entry]].id != id) {
    entry = (entry + 1) & (index_.size() - 1);
  }
  return entry;
}

void GridRows::Index(uint32_t slot) {
  if ((size_ + 1) * 2 > index_.size()) {  // grow, keeping the table at most half full
    std::vector<uint32_t> old = std::move(index_);
    index_.assign(old.empty() ? 64 : old.size() * 2, kNoSlot);
    for (uint32_t held : old) {
      if (held != kNoSlot) index_[Probe(records_[held].id)] = held;
    }
  }
  index_[Probe(records_[slot].id)] = slot;
  ++size_;
}

// Removes an entry and moves later entries of its probe run back, so that
// every id stays reachable from its home without tombstones.
void GridRows::Unindex(size_t entry) {
  const size_t mask = index_.size() - 1;
  for (size_t next = (entry + 1) & mask; index_[next] != kNoSlot; next = (next + 1) & mask) {
    const size_t home = Home(records_[index_[next]].id);
    // Move `next` into the hole unless its home lies cyclically in (entry, next].
    const bool stays =
        entry <= next ? (home > entry && home <= next) : (home > entry || home <= next);
    if (!stays) {
      index_[entry] = index_[next];
      entry = next;
    }
  }
  index_[entry] = kNoSlot;
  --size_;
}

uint32_t GridRows::Put(GridRecord record) {
  const uint32_t held = Find(record.id);
  if (held != kNoSlot) {
    if (record.version >= records_[held].version) records_[held] = std::move(record);
    return held;
  }
  uint32_t slot;
  if (free_.empty()) {
    slot = static_cast<uint32_t>(records_.size());
    records_.push_back(std::move(record));
  } else {
    slot = free_.back();
    free_.pop_back();
    records_[slot] = std::move(record);
  }
  Index(slot);
  return slot;
}

uint32_t GridRows::Find(int64_t id) const {
  return index_.empty() ? kNoSlot : index_[Probe(id)];
}

void GridRows::Erase(uint32_t slot) {
  if (!live(slot)) return;
  Unindex(Probe(records_[slot].id));
  records_[slot] = GridRecord();
  free_.push_back(slot);
}

}  // namespace deskgate
