#include "shared/grid/grid_order.h"

#include <algorithm>

namespace deskgate {

void GridOrder::Reset() {
  slots_.clear();
  std::fill(positions_.begin(), positions_.end(), -1);
}

void GridOrder::SetTotal(int64_t total) {
  for (int64_t p = total; p < this->total(); ++p) {
    const uint32_t slot = slots_[static_cast<size_t>(p)];
    if (slot != kNoSlot) positions_[slot] = -1;
  }
  slots_.resize(static_cast<size_t>(total), kNoSlot);
}

void GridOrder::Place(int64_t position, uint32_t slot) {
  if (slot >= positions_.size()) positions_.resize(slot + 1, -1);
  const int64_t old_position = positions_[slot];
  if (old_position == position) return;
  if (old_position >= 0) slots_[static_cast<size_t>(old_position)] = kNoSlot;
  uint32_t& held = slots_[static_cast<size_t>(position)];
  if (held != kNoSlot) positions_[held] = -1;
  held = slot;
  positions_[slot] = position;
}

void GridOrder::Remove(uint32_t slot) {
  const int64_t position = PositionOf(slot);
  if (position < 0) return;
  slots_[static_cast<size_t>(position)] = kNoSlot;
  positions_[slot] = -1;
}

}  // namespace deskgate
