#include "shared/grid/slot_set.h"

#include <algorithm>

namespace deskgate {

bool SlotSet::Insert(uint32_t slot) {
  const size_t word = slot >> 6;
  if (word >= words_.size()) words_.resize(word + 1, 0);
  const uint64_t bit = uint64_t{1} << (slot & 63);
  if ((words_[word] & bit) != 0) return false;
  words_[word] |= bit;
  ++size_;
  return true;
}

bool SlotSet::Erase(uint32_t slot) {
  if (!Contains(slot)) return false;
  words_[slot >> 6] &= ~(uint64_t{1} << (slot & 63));
  --size_;
  return true;
}

void SlotSet::Clear() {
  // Keep the words: the next selection reuses them without allocating.
  if (size_ != 0) std::fill(words_.begin(), words_.end(), 0);
  size_ = 0;
}

}  // namespace deskgate
