// GridEdits: the cells of a grid that are not idle, keyed by row id and
// field, and the order in which one row's saves go out.
//
// A row has at most one save on the wire. Each save carries the row's
// version in If-Match, and a successful save bumps it, so a second save
// sent before the first returns would fail with 412 against the person's
// own edit. A commit on a row that already has a save out is queued, and
// goes out (with the new version) when the first returns.
//
// Few cells are busy at once (the ones a person just touched), so they sit
// in a plain vector searched linearly.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "shared/grid/grid_cell.h"
#include "shared/grid/grid_record.h"

namespace deskgate {

class GridEdits {
 public:
  // The cell, or nullptr when idle.
  const CellEdit* Find(int64_t id, GridField field) const;
  // The cell, created idle if needed; call Tidy after changing it. The
  // reference is valid until the next Get or Tidy.
  CellEdit& Get(int64_t id, GridField field);
  // Forgets the cell if it went back to idle (idle cells are not stored).
  void Tidy(int64_t id, GridField field);
  void EraseRow(int64_t id);

  // Whether any cell of the row is not idle (the grid keeps such rows).
  bool Any(int64_t id) const;
  // The cell whose save is out, if any.
  std::optional<GridField> Sent(int64_t id) const;
  // The first cell queued behind it, if any.
  std::optional<GridField> NextQueued(int64_t id) const;

  template <typename F>  // f(field, cell) for each non-idle cell of the row, in field order
  void ForRow(int64_t id, F&& f) const {
    for (GridField field : kGridFields) {
      if (const CellEdit* cell = Find(id, field)) f(field, *cell);
    }
  }

 private:
  struct Entry {
    int64_t id;
    GridField field;
    CellEdit cell;
  };
  std::vector<Entry> cells_;
};

}  // namespace deskgate
