// GridOrder: the current query's rows by position, top to bottom.
//
// The list is fetched in pages at offsets, in any order, so a position is
// empty until its page arrives; the total count comes with every page.
// Positions hold slots (see GridRows), never copies of rows: rows from
// different pages coexist, and a row that reappears at another position
// (the list changed between two fetches) moves there instead of showing twice.
#pragma once

#include <cstdint>
#include <vector>

#include "shared/grid/grid_rows.h"

namespace deskgate {

class GridOrder {
 public:
  // A generous bound so that a wrong total cannot exhaust memory.
  static constexpr int64_t kMaxTotal = 10'000'000;

  void Reset();  // a new query: nothing known
  // Positions at or past `total` are emptied. `total` must be in [0, kMaxTotal].
  void SetTotal(int64_t total);
  int64_t total() const { return static_cast<int64_t>(slots_.size()); }

  uint32_t SlotAt(int64_t position) const {
    return position >= 0 && position < total() ? slots_[static_cast<size_t>(position)] : kNoSlot;
  }
  int64_t PositionOf(uint32_t slot) const {
    return slot < positions_.size() ? positions_[slot] : -1;
  }

  // Puts `slot` at `position` (< total), moving it from where it was and
  // emptying the position of the slot it displaces.
  void Place(int64_t position, uint32_t slot);
  void Remove(uint32_t slot);

 private:
  std::vector<uint32_t> slots_;     // by position
  std::vector<int64_t> positions_;  // by slot; -1 = not placed
};

}  // namespace deskgate
