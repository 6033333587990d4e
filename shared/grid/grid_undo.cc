#include "shared/grid/grid_undo.h"

#include <cstddef>
#include <utility>

namespace deskgate {

void UndoStack::Push(UndoStep step) {
  rows_ += step.rows.size();
  steps_.push_back(std::move(step));
  size_t drop = 0;
  while (steps_.size() - drop > 1 && (steps_.size() - drop > kMaxSteps || rows_ > kMaxRows)) {
    rows_ -= steps_[drop++].rows.size();
  }
  steps_.erase(steps_.begin(), steps_.begin() + static_cast<std::ptrdiff_t>(drop));
}

std::optional<UndoStep> UndoStack::Pop() {
  if (steps_.empty()) return std::nullopt;
  UndoStep step = std::move(steps_.back());
  steps_.pop_back();
  rows_ -= step.rows.size();
  return step;
}

// Rows are compared with the group found last first: a bulk action's rows
// mostly share a few previous values. The cost is rows × distinct previous
// values, which come from the location, group and agent lists.
std::vector<UndoGroup> GroupByRestore(const std::vector<UndoStep::Row>& rows) {
  std::vector<UndoGroup> groups;
  size_t last = 0;
  for (const UndoStep::Row& row : rows) {
    if (groups.empty() || !(groups[last].change == row.restore)) {
      last = 0;
      while (last < groups.size() && !(groups[last].change == row.restore)) ++last;
      if (last == groups.size()) groups.push_back(UndoGroup{row.restore, {}});
    }
    groups[last].ids.push_back(row.id);
  }
  return groups;
}

}  // namespace deskgate
