// UndoStack: the grid's last edits, newest first, each undone as a whole.
//
// A step is one inline edit or one bulk action. It remembers, per row the
// step changed, the values to put back (only the fields the step set) and,
// for an inline edit, the row's version just after it, so an undo of a row
// no longer loaded can still be guarded by If-Match.
//
// Undoing a bulk action sends bulk-by-ids requests, one per distinct set of
// previous values: rows that all had location 3 go back in one request,
// rows that had no location in another (GroupByRestore).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "shared/records/record_change.h"

namespace deskgate {

struct UndoStep {
  struct Row {
    int64_t id = 0;
    RecordChange restore;  // the previous values of the fields `change` sets
    int64_t version = 0;   // inline edits: the row's version after the edit
  };
  bool bulk = false;
  RecordChange change;  // what the step set, on every row
  std::vector<Row> rows;
};

class UndoStack {
 public:
  static constexpr size_t kMaxSteps = 20;
  // Bounds memory: beyond this many rows in all steps, the oldest steps go
  // (the newest step is always kept, whatever its size).
  static constexpr size_t kMaxRows = 200'000;

  void Push(UndoStep step);
  std::optional<UndoStep> Pop();
  size_t size() const { return steps_.size(); }

 private:
  std::vector<UndoStep> steps_;  // oldest first; a vector, as 20 steps are cheap to shift
  size_t rows_ = 0;
};

struct UndoGroup {
  RecordChange change;  // the values this group's rows go back to
  std::vector<int64_t> ids;
};

// The rows grouped by their previous values, groups in order of first
// appearance, ids in the rows' order.
std::vector<UndoGroup> GroupByRestore(const std::vector<UndoStep::Row>& rows);

}  // namespace deskgate
