// SlotSet: a set of small non-negative integers (the grid's row slots) kept
// as a bitmap with its size counted.
//
// Why a bitmap: selecting 50,000 rows must cost microseconds in
// WebAssembly. Setting a bit is a shift and an OR; hashing 50,000 ids is
// not. Slots are dense (see GridRows), so the bitmap stays small: 12.5 KB
// for 100,000 rows.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace deskgate {

class SlotSet {
 public:
  bool Contains(uint32_t slot) const {
    const size_t word = slot >> 6;
    return word < words_.size() && (words_[word] >> (slot & 63) & 1) != 0;
  }
  // Each returns true when the set changed.
  bool Insert(uint32_t slot);
  bool Erase(uint32_t slot);
  void Clear();

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Calls f(slot) for every member in ascending order, skipping empty words.
  template <typename F>
  void ForEach(F&& f) const {
    for (size_t w = 0; w < words_.size(); ++w) {
      for (uint64_t bits = words_[w]; bits != 0; bits &= bits - 1) {
        f(static_cast<uint32_t>(w * 64 + static_cast<size_t>(std::countr_zero(bits))));
      }
    }
  }

 private:
  std::vector<uint64_t> words_;
  size_t size_ = 0;
};

}  // namespace deskgate
