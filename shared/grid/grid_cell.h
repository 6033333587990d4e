// CellEdit: the inline-edit state of one cell (a row's Impact, Location,
// Managed By Group or Managed By Agent) and the transitions between states.
//
//   idle ─begin─▶ editing ─cancel─▶ idle
//   any state but saving ─commit─▶ saving
//   saving ─succeeded─▶ saved      the server's row replaces the grid's
//   saving ─failed─▶ failed        the optimistic value is rolled back
//   saving ─conflict─▶ conflict    someone else changed the row first: the
//                                  server's current row replaces the grid's
//   saved, failed, conflict ─dismiss─▶ idle;  ─begin─▶ editing
//
// A saving cell shows the value being saved (the optimistic value); every
// other state shows the server's value, so a failure needs no undo of its
// own: dropping the attempt is the rollback. Failed and conflict cells keep
// the attempted value and the reason to show them.
#pragma once

#include <string>

#include "shared/core/status.h"
#include "shared/records/record_change.h"

namespace deskgate {

enum class CellState { kIdle, kEditing, kSaving, kSaved, kFailed, kConflict };
const char* CellStateName(CellState state);  // "idle", "editing", …

class CellEdit {
 public:
  CellState state() const { return state_; }
  // The one-field change being saved, or that failed or conflicted.
  const RecordChange& attempted() const { return attempted_; }
  // The value before the commit: what undoing the edit sets back.
  const RecordChange& restore() const { return restore_; }
  const std::string& message() const { return message_; }
  // The save restores an earlier value (an undo), so its success records no undo step.
  bool is_undo() const { return is_undo_; }
  // Saving: the request is out, rather than queued behind another save of the row.
  bool sent() const { return sent_; }
  void mark_sent() { sent_ = true; }

  // Each fails, changing nothing, when the cell's state does not allow it.
  Status Begin();
  Status Cancel();
  Status Commit(const RecordChange& attempted, const RecordChange& restore, bool is_undo);
  Status Succeed();
  Status Fail(std::string message);
  Status Conflict(std::string message);
  Status Dismiss();

 private:
  Status Finish(CellState next, std::string message);

  CellState state_ = CellState::kIdle;
  RecordChange attempted_;
  RecordChange restore_;
  std::string message_;
  bool is_undo_ = false;
  bool sent_ = false;
};

}  // namespace deskgate
