#include "shared/grid/grid_cell.h"

#include <utility>

namespace deskgate {

const char* CellStateName(CellState state) {
  switch (state) {
    case CellState::kIdle:
      return "idle";
    case CellState::kEditing:
      return "editing";
    case CellState::kSaving:
      return "saving";
    case CellState::kSaved:
      return "saved";
    case CellState::kFailed:
      return "failed";
    case CellState::kConflict:
      return "conflict";
  }
  return "idle";
}

Status CellEdit::Begin() {
  if (state_ == CellState::kSaving) return Status::Error("the cell is being saved");
  state_ = CellState::kEditing;
  return Status::Ok();
}

Status CellEdit::Cancel() {
  if (state_ != CellState::kEditing) return Status::Error("the cell is not being edited");
  state_ = CellState::kIdle;
  return Status::Ok();
}

Status CellEdit::Commit(const RecordChange& attempted, const RecordChange& restore, bool is_undo) {
  if (state_ == CellState::kSaving) return Status::Error("the cell is being saved");
  state_ = CellState::kSaving;
  attempted_ = attempted;
  restore_ = restore;
  message_.clear();
  is_undo_ = is_undo;
  sent_ = false;
  return Status::Ok();
}

Status CellEdit::Finish(CellState next, std::string message) {
  if (state_ != CellState::kSaving || !sent_) return Status::Error("the cell has no save out");
  state_ = next;
  message_ = std::move(message);
  sent_ = false;
  return Status::Ok();
}

Status CellEdit::Succeed() {
  return Finish(CellState::kSaved, "");
}
Status CellEdit::Fail(std::string message) {
  return Finish(CellState::kFailed, std::move(message));
}
Status CellEdit::Conflict(std::string message) {
  return Finish(CellState::kConflict, std::move(message));
}

Status CellEdit::Dismiss() {
  if (state_ == CellState::kEditing || state_ == CellState::kSaving) {
    return Status::Error("the cell is still being edited or saved");
  }
  state_ = CellState::kIdle;
  message_.clear();
  return Status::Ok();
}

}  // namespace deskgate
