// GridSelection: the rows a bulk action applies to, in one of two modes.
//
//  - Picked: rows picked one by one, by shift-range or by page.
//  - All matching: every record matching the filter the selection was made
//    under (including records never loaded), minus exclusions picked one
//    by one. Its count is the server's total for that filter minus the
//    exclusions, so selecting all of 100,000 records costs nothing.
//
// Members are slots (see GridRows), so a selected row stays selected
// through paging, re-sorting and reloading. Which query changes a selection
// survives is RecordGrid's rule; this class only keeps the sets.
#pragma once

#include <cstdint>

#include "shared/grid/grid_rows.h"
#include "shared/grid/slot_set.h"
#include "shared/records/record_query.h"

namespace deskgate {

class GridSelection {
 public:
  bool all_matching() const { return all_matching_; }
  // The filter an all-matching selection was made under.
  const GridFilter& filter() const { return filter_; }

  // Whether a held row is selected. In all-matching mode only rows of the
  // current query's order (`in_order`) are known to match the filter.
  bool Contains(uint32_t slot, bool in_order) const {
    return all_matching_ ? in_order && !picked_.Contains(slot) : picked_.Contains(slot);
  }
  // Selects or deselects one row; true when that changed the selection.
  bool Set(uint32_t slot, bool selected) {
    if (!selected) hidden_.Erase(slot);
    return selected != all_matching_ ? picked_.Insert(slot) : picked_.Erase(slot);
  }

  // Picked rows the current filter hides, as the server reported them (see
  // RecordGrid::HiddenCheckRequest). Only picked rows can be hidden: an
  // all-matching selection is everything the filter shows.
  const SlotSet& hidden() const { return hidden_; }
  void MarkHidden(uint32_t slot) {
    if (!all_matching_ && picked_.Contains(slot)) hidden_.Insert(slot);
  }
  void ClearHidden() { hidden_.Clear(); }

  void SelectAllMatching(const GridFilter& filter, int64_t total);
  // The server's latest total for the all-matching filter.
  void set_matching_total(int64_t total) { matching_total_ = total; }
  void Clear();
  // Drops a row the grid no longer holds; `in_order` as for Contains. A
  // record that is gone leaves the matching total too.
  void Forget(uint32_t slot, bool in_order);

  // Selected records: picked rows, or the matching total minus exclusions.
  int64_t count() const;
  // Picked mode: the selected rows. All-matching mode: the exclusions.
  const SlotSet& picked() const { return picked_; }

  // The row a shift-click extends from (kNoSlot when none).
  uint32_t anchor() const { return anchor_; }
  void set_anchor(uint32_t slot) { anchor_ = slot; }

 private:
  bool all_matching_ = false;
  GridFilter filter_;
  int64_t matching_total_ = 0;
  SlotSet picked_;
  SlotSet hidden_;  // a subset of picked_
  uint32_t anchor_ = kNoSlot;
};

}  // namespace deskgate
