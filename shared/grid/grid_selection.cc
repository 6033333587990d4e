#include "shared/grid/grid_selection.h"

namespace deskgate {

void GridSelection::SelectAllMatching(const GridFilter& filter, int64_t total) {
  all_matching_ = true;
  filter_ = filter;
  matching_total_ = total;
  picked_.Clear();
  hidden_.Clear();
}

void GridSelection::Clear() {
  all_matching_ = false;
  filter_ = GridFilter();
  matching_total_ = 0;
  picked_.Clear();
  hidden_.Clear();
}

void GridSelection::Forget(uint32_t slot, bool in_order) {
  hidden_.Erase(slot);
  const bool excluded = picked_.Erase(slot) && all_matching_;
  if (all_matching_ && (excluded || in_order) && matching_total_ > 0) --matching_total_;
  if (anchor_ == slot) anchor_ = kNoSlot;
}

int64_t GridSelection::count() const {
  const auto picked = static_cast<int64_t>(picked_.size());
  if (!all_matching_) return picked;
  return matching_total_ > picked ? matching_total_ - picked : 0;
}

}  // namespace deskgate
