#include "shared/grid/grid_edits.h"

#include <algorithm>

namespace deskgate {

const CellEdit* GridEdits::Find(int64_t id, GridField field) const {
  for (const Entry& entry : cells_) {
    if (entry.id == id && entry.field == field) return &entry.cell;
  }
  return nullptr;
}

CellEdit& GridEdits::Get(int64_t id, GridField field) {
  for (Entry& entry : cells_) {
    if (entry.id == id && entry.field == field) return entry.cell;
  }
  cells_.push_back(Entry{id, field, CellEdit()});
  return cells_.back().cell;
}

void GridEdits::Tidy(int64_t id, GridField field) {
  std::erase_if(cells_, [&](const Entry& entry) {
    return entry.id == id && entry.field == field && entry.cell.state() == CellState::kIdle;
  });
}

void GridEdits::EraseRow(int64_t id) {
  std::erase_if(cells_, [&](const Entry& entry) { return entry.id == id; });
}

bool GridEdits::Any(int64_t id) const {
  return std::any_of(cells_.begin(), cells_.end(),
                     [&](const Entry& entry) { return entry.id == id; });
}

std::optional<GridField> GridEdits::Sent(int64_t id) const {
  std::optional<GridField> sent;
  ForRow(id, [&](GridField field, const CellEdit& cell) {
    if (cell.state() == CellState::kSaving && cell.sent()) sent = field;
  });
  return sent;
}

std::optional<GridField> GridEdits::NextQueued(int64_t id) const {
  std::optional<GridField> next;
  ForRow(id, [&](GridField field, const CellEdit& cell) {
    if (!next && cell.state() == CellState::kSaving && !cell.sent()) next = field;
  });
  return next;
}

}  // namespace deskgate
