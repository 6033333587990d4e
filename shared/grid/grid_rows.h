// GridRows: the records a grid holds, keyed by id.
//
// Each record lives in a slot, a small integer that stays the same for as
// long as the record is held, however often it is reloaded, re-sorted or
// edited. Sets of rows are bitmaps over slots (SlotSet) and the loaded
// order is a vector of slots, so selecting and walking 100,000 rows never
// hashes an id. Freed slots are reused.
//
// The id index is a small open-addressing table of slots (linear probing,
// at most half full), which keeps the WebAssembly module smaller than
// std::unordered_map would and finds an id in one or two probes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "shared/grid/grid_record.h"

namespace deskgate {

constexpr uint32_t kNoSlot = UINT32_MAX;

class GridRows {
 public:
  // Stores `record` and returns its slot. A record already held under the
  // same id keeps its slot and is replaced, unless the held one has a newer
  // version: a late reply never undoes a newer one.
  uint32_t Put(GridRecord record);

  uint32_t Find(int64_t id) const;  // kNoSlot when not held
  bool live(uint32_t slot) const { return slot < records_.size() && records_[slot].id != 0; }
  const GridRecord& at(uint32_t slot) const { return records_[slot]; }
  GridRecord& at(uint32_t slot) { return records_[slot]; }

  void Erase(uint32_t slot);

  size_t size() const { return size_; }
  // One past the highest slot in use: the size a per-slot vector needs.
  uint32_t slot_limit() const { return static_cast<uint32_t>(records_.size()); }

  template <typename F>  // f(slot, record) for every held record, by slot
  void ForEach(F&& f) const {
    for (uint32_t slot = 0; slot < records_.size(); ++slot) {
      if (records_[slot].id != 0) f(slot, records_[slot]);
    }
  }

 private:
  size_t Home(int64_t id) const;   // where the probe for `id` starts
  size_t Probe(int64_t id) const;  // the entry holding `id`, or the empty one ending its run
  void Index(uint32_t slot);
  void Unindex(size_t entry);

  std::vector<GridRecord> records_;  // by slot; id 0 marks a free slot
  std::vector<uint32_t> free_;
  std::vector<uint32_t> index_;  // slots by hash of their id; kNoSlot = empty
  size_t size_ = 0;
};

}  // namespace deskgate
