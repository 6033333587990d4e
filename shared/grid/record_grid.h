// RecordGrid: the state behind the asset and software lists in the browser:
// rows, the loaded order, inline edits, the selection, bulk actions and undo.
// The page renders from it and sends the requests it builds; the server's
// answers go back in. It does no I/O, keeps no clock and throws nothing.
//
// The rules it keeps:
//
// Rows are keyed by id, never by position. A row that arrives again (a
// refresh, a save, a conflict) replaces the held one unless the held one is
// newer by version.
//
// Query changes. A new sort keeps the whole selection. A new filter keeps
// rows picked one by one (they were picked by id, and a bulk action still
// applies to them when the new filter hides them) but drops an "all
// matching" selection: it meant everything matching the old filter, and
// quietly re-aiming it at the new filter would act on rows nobody saw.
// Either way the order starts empty, and rows that are neither selected,
// excluded, marked nor being edited are let go.
//
// Selection. Toggle flips a row and makes it the anchor. A shift-click sets
// every loaded row from the anchor to the clicked row (inclusive, in the
// current order) to the state the anchor has; rows in between that are not
// loaded yet are skipped and counted, so the page can fetch them and repeat.
//
// Rows a filter hides. Picked rows stay picked under a new filter, so a
// bulk action may reach rows the person no longer sees. After a filter
// change the page asks the server which of them the filter hides
// (HiddenCheckRequest → POST /api/{list}/selection → SetHidden); the count
// is shown, and DropHidden deselects them for someone who wants only what
// they see. The marks last until the next filter change.
//
// Inline edits (see CellEdit for the states). A commit validates the value
// with the server's own rules (ParseRecordChange, ValidateRecordChange) and
// returns the PATCH to send; the cell shows the new value until the reply.
//
// Bulk actions. BeginBulk shows the change at once on the loaded selected
// rows; each reply settles them: updated rows take the new version,
// unchanged rows stay, not-found rows are removed, forbidden (and conflict)
// rows go back to their values and are marked until the next bulk action.
//
// Undo. The last 20 steps (an inline edit or a bulk action each) can be
// undone, newest first. Undo sends requests: a PATCH guarded by If-Match
// for an inline edit; for a bulk action, one bulk-by-ids request per
// distinct set of previous values. A row that has changed since the step
// (its loaded values are no longer the step's) is skipped, not overwritten.
// An undo whose request fails goes back on the stack (rows it did restore
// are then skipped as changed); one that meets a conflict is dropped (the
// row has moved on). Undos are not themselves undoable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/core/status.h"
#include "shared/grid/grid_cell.h"
#include "shared/grid/grid_edits.h"
#include "shared/grid/grid_order.h"
#include "shared/grid/grid_record.h"
#include "shared/grid/grid_rows.h"
#include "shared/grid/grid_selection.h"
#include "shared/grid/grid_undo.h"
#include "shared/grid/slot_set.h"
#include "shared/records/edit_scope.h"
#include "shared/records/record_bulk.h"
#include "shared/records/record_change.h"
#include "shared/records/record_query.h"

namespace deskgate {

// One inline save: PATCH /api/{list}/{id}, If-Match: "version", body = change.
struct PatchRequest {
  int64_t id = 0;
  GridField field = GridField::kImpact;
  int64_t version = 0;
  RecordChange change;
};
// {"id":7,"field":"impact","if_match":"\"4\"","body":{"impact":"high"}}
std::string PatchRequestToJson(const PatchRequest& request);

// What Undo asks the page to send. Bulk bodies are numbered by position:
// the reply to bulk[i] goes to BulkSucceeded(i, …) or BulkFailed(i, …).
struct UndoRequests {
  std::vector<PatchRequest> patches;
  std::vector<std::string> bulk;
  std::vector<int64_t> skipped;  // rows changed since the step, left alone
};
// {"patches":[…],"bulk":[…],"skipped":[…]}
std::string UndoRequestsToJson(const UndoRequests& requests);

class RecordGrid {
 public:
  // ---- Query and rows
  // The ids a change may name (see ParseRecordVocabulary). Until set,
  // changes are checked for form only.
  Status SetVocabulary(std::string_view json);
  // What the person may change (see EditScope): {"all":…,"groups":[…]}.
  // Until set, every row counts as editable and the server alone decides.
  // Rows outside it show "editable": false and refuse BeginEdit; a commit
  // that would hand a row out of it is refused with the server's words.
  Status SetEditScope(std::string_view json);
  bool Editable(int64_t id) const;
  // Applies a query (see GridQuery); true when the filter changed.
  Result<bool> SetQuery(std::string_view json);
  const GridQuery& query() const { return query_; }
  // A list reply {"total":N,"rows":[…]} for the rows from `offset`.
  Status LoadPage(int64_t offset, std::string_view json);
  int64_t total() const { return order_.total(); }
  bool IsLoaded(int64_t position) const { return order_.SlotAt(position) != kNoSlot; }
  int64_t PositionOf(int64_t id) const;  // -1 when not in the loaded order
  bool Holds(int64_t id) const { return rows_.Find(id) != kNoSlot; }
  // Forgets a row (the server said it is gone).
  void RemoveRow(int64_t id);
  // The rows at positions [first, first + count) as a JSON array, null
  // where not loaded. Each row: its members with the editable fields as
  // shown (optimistic), then "selected", "editable": false outside the
  // edit scope, "refused" ("forbidden" or
  // "conflict", after a bulk action) when set, and "cells" for cells that
  // are not idle: {"impact":{"state":"failed","value":"high","message":"…"}}.
  std::string RowsJson(int64_t first, int64_t count) const;

  // ---- Inline edits. `field` is one of the four editable cells.
  Status BeginEdit(int64_t id, GridField field);
  Status CancelEdit(int64_t id, GridField field);
  // `value_json` is the new value: "\"high\"", "3" or "null". The request
  // to send, or none when the value is unchanged or the save is queued
  // behind another save of the same row.
  Result<std::optional<PatchRequest>> CommitEdit(int64_t id, GridField field,
                                                 std::string_view value_json);
  // The replies to the row's save that is out: 200 with the row, any
  // failure (403, 404, 400, network) with a message, 412 with its body
  // {"error":…,"current":row}. Each returns the row's next queued save.
  Result<std::optional<PatchRequest>> SaveSucceeded(int64_t id, std::string_view row_json);
  Result<std::optional<PatchRequest>> SaveFailed(int64_t id, std::string message);
  Result<std::optional<PatchRequest>> SaveConflict(int64_t id, std::string_view body_json);
  // Saved, failed or conflict back to idle.
  Status Dismiss(int64_t id, GridField field);
  // The cell's state, or nullptr when idle.
  const CellEdit* Cell(int64_t id, GridField field) const { return edits_.Find(id, field); }

  // ---- Selection
  // Flips the row and makes it the anchor; its new state (false if not held).
  bool Toggle(int64_t id);
  // A shift-click (see above); the number of positions skipped as not loaded.
  int64_t ShiftClick(int64_t id);
  // Selects or deselects the loaded rows at [first, first + count): a page
  // for the header checkbox, or any range. Returns positions skipped.
  int64_t SetRange(int64_t first, int64_t count, bool selected);
  void SelectAllMatching();
  void ClearSelection() { selection_.Clear(); }
  bool IsSelected(int64_t id) const;
  int64_t selected_count() const { return selection_.count(); }
  bool all_matching() const { return selection_.all_matching(); }
  // The body {"ids":[…],"filter":{…}} asking which picked rows the current
  // filter hides, or none when no row is picked one by one.
  std::optional<std::string> HiddenCheckRequest() const;
  // The reply {"shown":N,"hidden":[ids]}; ids no longer picked are ignored.
  Status SetHidden(std::string_view reply_json);
  int64_t hidden_count() const { return static_cast<int64_t>(selection_.hidden().size()); }
  // Deselects the hidden rows; how many that was.
  int64_t DropHidden();

  // ---- Bulk actions
  // The request body for the selection and `change_json`, changing nothing.
  // Picked ids (or exceptions) come in no particular order.
  Result<std::string> BulkRequest(std::string_view change_json) const;
  // The selection alone, {"selection":{…}}, for a bulk retire or restore.
  Result<std::string> SelectionRequest() const;
  // The same body, with the change shown at once on the loaded selected rows.
  Result<std::string> BeginBulk(std::string_view change_json);
  // The reply to request `part` (0 for an action; see UndoRequests). The
  // report says what this reply did, and `done` once every part is in.
  Result<BulkReport> BulkSucceeded(int part, std::string_view reply_json);
  // Request `part` failed as a whole (network, 400, 403): its rows go back.
  Result<BulkReport> BulkFailed(int part);
  bool bulk_pending() const { return pending_.has_value(); }

  // ---- Undo
  size_t undo_depth() const { return undo_.size(); }
  Result<UndoRequests> Undo();

 private:
  // A bulk action, or the requests undoing one, between sending and the last reply.
  struct PendingBulk {
    std::vector<RecordChange> parts;  // each request's change
    std::vector<char> answered;       // by part: 0 waiting, 1 answered, 2 failed
    // By slot: the part whose change a loaded row shows until its reply, or
    // -1. One int per row, so starting a bulk action over 100,000 rows
    // costs a fill, not a copy of every row.
    std::vector<int32_t> part_by_slot;
    std::optional<UndoStep> undoing;  // set when this is an undo
    UndoStep step;                    // an action's step, filled in as replies come
  };

  Result<RecordChange> CheckedChange(std::string_view change_json) const;
  Result<RecordChange> CheckedValue(GridField field, std::string_view value_json) const;
  std::string BulkBody(const RecordChange& change) const;
  RecordFields Shown(uint32_t slot) const;
  // The pending part whose change the row shows, or -1.
  int PendingPart(uint32_t slot) const;
  bool InOrder(uint32_t slot) const { return order_.PositionOf(slot) >= 0; }

  void WriteRow(JsonWriter& w, uint32_t slot) const;
  void WriteCells(JsonWriter& w, int64_t id) const;
  void RemoveSlot(uint32_t slot);
  void ReleaseUnused();

  Status Validate(const RecordChange& change) const;
  std::optional<PatchRequest> SendNext(int64_t id);
  Result<GridField> SentField(int64_t id) const;
  void FinishInlineUndo(bool put_back);

  Status CheckPart(int part) const;
  void SettleResult(int part, const BulkResult& result, BulkReport& report);
  void RecordUndoRow(int part, const BulkResult& result, uint32_t slot, BulkReport& report);
  bool FinishPart(int part, bool failed);
  Result<UndoRequests> UndoInline(UndoStep step);
  Result<UndoRequests> UndoBulk(UndoStep step);

  std::optional<RecordVocabulary> vocabulary_;
  std::optional<EditScope> scope_;
  GridQuery query_;
  GridRows rows_;
  GridOrder order_;
  GridSelection selection_;
  GridEdits edits_;
  SlotSet forbidden_, conflicted_;  // refused by the last bulk action
  std::optional<PendingBulk> pending_;
  UndoStack undo_;
  std::optional<UndoStep> undo_in_flight_;  // an inline undo's step until its reply
};

}  // namespace deskgate
