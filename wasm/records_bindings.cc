// Embind bindings for the asset and software lists: RecordGrid (one per
// list, by handle) and the change check. Thin adapters only: ids and
// positions arrive as JS numbers, structured values as JSON text, and every
// result is a number, a boolean or JSON text (a bulk body comes as UTF-8
// bytes). api.js wraps them for pages as the AssetGrid class,
// parseRecordChange and validateRecordChange.
//
// Calls that only succeed or fail return "" or {"error": message}.
#include <emscripten/bind.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shared/core/json_writer.h"
#include "shared/grid/record_grid.h"
#include "shared/records/record_change.h"
#include "shared/records/record_change_check.h"
#include "wasm/error_json.h"

namespace {

using deskgate::ErrorJson;
using deskgate::JsonWriter;
using deskgate::PatchRequest;
using deskgate::Result;
using deskgate::Status;

// JS numbers are doubles; ids and positions are integers well inside 2^53.
int64_t Int(double n) {
  return std::isfinite(n) ? static_cast<int64_t>(n) : -1;
}

std::string StatusJson(const Status& status) {
  return status.ok() ? std::string() : ErrorJson(status.message());
}

// {"request": {…} | null}: what a commit or a save reply asks to send next.
std::string RequestJson(const Result<std::optional<PatchRequest>>& result) {
  if (!result.ok()) return ErrorJson(result.error());
  JsonWriter w;
  w.BeginObject().Key("request");
  if (result.value()) {
    w.Raw(deskgate::PatchRequestToJson(*result.value()));
  } else {
    w.Null();
  }
  w.EndObject();
  return w.Take();
}

std::string ReportJson(const Result<deskgate::BulkReport>& result) {
  return result.ok() ? deskgate::BulkReportToJson(result.value()) : ErrorJson(result.error());
}

// The grids a page has created, by handle (index + 1). A handle rather than
// an Embind class: Embind's class support adds about 3 KB (gzipped) of
// JavaScript to the module, and api.js gives pages a class anyway.
std::vector<std::unique_ptr<deskgate::RecordGrid>>& Grids() {
  static std::vector<std::unique_ptr<deskgate::RecordGrid>> grids;
  return grids;
}

// The grid for `handle`, or nullptr once deleted (api.js never passes a bad one).
deskgate::RecordGrid* At(int handle) {
  auto& grids = Grids();
  return handle >= 1 && static_cast<size_t>(handle) <= grids.size()
             ? grids[static_cast<size_t>(handle - 1)].get()
             : nullptr;
}

std::string NoGrid() {
  return ErrorJson("grid: deleted");
}

int GridNew() {
  auto& grids = Grids();
  grids.push_back(std::make_unique<deskgate::RecordGrid>());
  return static_cast<int>(grids.size());
}

void GridDelete(int handle) {
  if (At(handle) != nullptr) Grids()[static_cast<size_t>(handle - 1)].reset();
}

std::string FieldError(const std::string& key) {
  return ErrorJson("field: no editable field \"" + key + "\"");
}

std::string SetVocabulary(int h, const std::string& json) {
  auto* grid = At(h);
  return grid ? StatusJson(grid->SetVocabulary(json)) : NoGrid();
}

std::string SetEditScope(int h, const std::string& json) {
  auto* grid = At(h);
  return grid ? StatusJson(grid->SetEditScope(json)) : NoGrid();
}

std::string SetQuery(int h, const std::string& json) {
  auto* grid = At(h);
  if (!grid) return NoGrid();
  auto changed = grid->SetQuery(json);
  if (!changed.ok()) return ErrorJson(changed.error());
  return changed.value() ? "{\"filter_changed\":true}" : "{\"filter_changed\":false}";
}

std::string LoadPage(int h, double offset, const std::string& json) {
  auto* grid = At(h);
  return grid ? StatusJson(grid->LoadPage(Int(offset), json)) : NoGrid();
}

double Total(int h) {
  auto* grid = At(h);
  return grid ? static_cast<double>(grid->total()) : 0;
}

bool IsLoaded(int h, double position) {
  auto* grid = At(h);
  return grid && grid->IsLoaded(Int(position));
}

double PositionOf(int h, double id) {
  auto* grid = At(h);
  return grid ? static_cast<double>(grid->PositionOf(Int(id))) : -1;
}

void RemoveRow(int h, double id) {
  if (auto* grid = At(h)) grid->RemoveRow(Int(id));
}

std::string Rows(int h, double first, double count) {
  auto* grid = At(h);
  return grid ? grid->RowsJson(Int(first), Int(count)) : NoGrid();
}

// One entry point for the cell transitions that only succeed or fail.
std::string CellAction(int h, double id, const std::string& field, const std::string& action) {
  auto* grid = At(h);
  const auto f = deskgate::ParseGridField(field);
  if (!grid) return NoGrid();
  if (!f) return FieldError(field);
  if (action == "begin") return StatusJson(grid->BeginEdit(Int(id), *f));
  if (action == "cancel") return StatusJson(grid->CancelEdit(Int(id), *f));
  if (action == "dismiss") return StatusJson(grid->Dismiss(Int(id), *f));
  const deskgate::CellEdit* cell = grid->Cell(Int(id), *f);  // "state"
  return deskgate::CellStateName(cell ? cell->state() : deskgate::CellState::kIdle);
}

std::string CommitEdit(int h, double id, const std::string& field, const std::string& value) {
  auto* grid = At(h);
  const auto f = deskgate::ParseGridField(field);
  if (!grid) return NoGrid();
  return f ? RequestJson(grid->CommitEdit(Int(id), *f, value)) : FieldError(field);
}

// A reply to a row's save: "ok" with the row, "failed" with a message,
// "conflict" with the 412 body.
std::string SaveReply(int h, double id, const std::string& kind, const std::string& text) {
  auto* grid = At(h);
  if (!grid) return NoGrid();
  if (kind == "ok") return RequestJson(grid->SaveSucceeded(Int(id), text));
  if (kind == "conflict") return RequestJson(grid->SaveConflict(Int(id), text));
  return RequestJson(grid->SaveFailed(Int(id), text));
}

bool Toggle(int h, double id) {
  auto* grid = At(h);
  return grid && grid->Toggle(Int(id));
}

double ShiftClick(int h, double id) {
  auto* grid = At(h);
  return grid ? static_cast<double>(grid->ShiftClick(Int(id))) : 0;
}

double SetRange(int h, double first, double count, bool selected) {
  auto* grid = At(h);
  return grid ? static_cast<double>(grid->SetRange(Int(first), Int(count), selected)) : 0;
}

void SelectAll(int h, bool all) {
  auto* grid = At(h);
  if (grid && all) grid->SelectAllMatching();
  if (grid && !all) grid->ClearSelection();
}

// The body asking which picked rows the filter hides, or "" when none are picked.
std::string HiddenCheck(int h) {
  auto* grid = At(h);
  if (!grid) return NoGrid();
  return grid->HiddenCheckRequest().value_or(std::string());
}

// action "set" with the server's reply, or "drop": deselects the hidden rows.
std::string Hidden(int h, const std::string& action, const std::string& reply_json) {
  auto* grid = At(h);
  if (!grid) return NoGrid();
  if (action == "drop") return std::to_string(grid->DropHidden());
  return StatusJson(grid->SetHidden(reply_json));
}

bool IsSelected(int h, double id) {
  auto* grid = At(h);
  return grid && grid->IsSelected(Int(id));
}

// [count, all matching (0/1), bulk pending (0/1), undo depth] in one call.
std::string GridStatus(int h) {
  auto* grid = At(h);
  if (!grid) return NoGrid();
  JsonWriter w;
  w.BeginArray().Int(grid->selected_count()).Int(grid->all_matching());
  w.Int(grid->bulk_pending()).Int(static_cast<int64_t>(grid->undo_depth()));
  w.Int(grid->hidden_count()).EndArray();
  return w.Take();
}

// The body as a Uint8Array of UTF-8 JSON (fetch sends it as is), or the
// {"error": …} text. Bytes, not a string: turning 50,000 ids into a JS
// string would cost more than building them.
emscripten::val BytesOrError(const deskgate::Result<std::string>& body) {
  if (!body.ok()) return emscripten::val(ErrorJson(body.error()));
  const auto* bytes = reinterpret_cast<const uint8_t*>(body.value().data());
  // slice() copies out of the module's memory before `body` is freed.
  return emscripten::val(emscripten::typed_memory_view(body.value().size(), bytes))
      .call<emscripten::val>("slice");
}

emscripten::val BulkRequest(int h, const std::string& change_json, bool begin) {
  auto* grid = At(h);
  if (!grid) return emscripten::val(NoGrid());
  return BytesOrError(begin ? grid->BeginBulk(change_json) : grid->BulkRequest(change_json));
}

// {"selection":{…}} as bytes, or {"error": …} text.
emscripten::val SelectionRequest(int h) {
  auto* grid = At(h);
  if (!grid) return emscripten::val(NoGrid());
  return BytesOrError(grid->SelectionRequest());
}

// The reply to bulk request `part`; `failed` when it failed as a whole.
std::string BulkReply(int h, int part, bool failed, const std::string& reply_json) {
  auto* grid = At(h);
  if (!grid) return NoGrid();
  return ReportJson(failed ? grid->BulkFailed(part) : grid->BulkSucceeded(part, reply_json));
}

std::string Undo(int h) {
  auto* grid = At(h);
  if (!grid) return NoGrid();
  auto requests = grid->Undo();
  return requests.ok() ? deskgate::UndoRequestsToJson(requests.value())
                       : ErrorJson(requests.error());
}

// The change, normalized, or {"error": …}.
std::string ParseRecordChangeJson(const std::string& change_json) {
  auto change = deskgate::ParseRecordChange(change_json);
  return change.ok() ? deskgate::RecordChangeToJson(change.value()) : ErrorJson(change.error());
}

// {"ok":…} exactly as the native check prints it; {"error": …} for a bad vocabulary.
std::string ValidateRecordChangeJson(const std::string& change_json,
                                     const std::string& vocabulary_json) {
  auto vocabulary = deskgate::ParseRecordVocabulary(vocabulary_json);
  if (!vocabulary.ok()) return ErrorJson(vocabulary.error());
  return deskgate::CheckRecordChangeJson(change_json, vocabulary.value());
}

// The whole-record check ("asset" or "software"), as the native check prints it.
std::string ValidateRecordEditJson(const std::string& kind, const std::string& record_json,
                                   bool creating, const std::string& vocabulary_json) {
  auto vocabulary = deskgate::ParseRecordVocabulary(vocabulary_json);
  if (!vocabulary.ok()) return ErrorJson(vocabulary.error());
  if (kind != "asset" && kind != "software") return ErrorJson("kind: must be asset or software");
  return deskgate::CheckRecordEditJson(
      kind == "asset" ? deskgate::RecordKind::kAsset : deskgate::RecordKind::kSoftware, record_json,
      creating, vocabulary.value());
}

}  // namespace

EMSCRIPTEN_BINDINGS(deskgate_records) {
  emscripten::function("_validateRecordEditJson", &ValidateRecordEditJson);
  emscripten::function("_parseRecordChangeJson", &ParseRecordChangeJson);
  emscripten::function("_validateRecordChangeJson", &ValidateRecordChangeJson);
  emscripten::function("_gridNew", &GridNew);
  emscripten::function("_gridDelete", &GridDelete);
  emscripten::function("_gridSetVocabulary", &SetVocabulary);
  emscripten::function("_gridSetEditScope", &SetEditScope);
  emscripten::function("_gridSetQuery", &SetQuery);
  emscripten::function("_gridLoadPage", &LoadPage);
  emscripten::function("_gridTotal", &Total);
  emscripten::function("_gridIsLoaded", &IsLoaded);
  emscripten::function("_gridPositionOf", &PositionOf);
  emscripten::function("_gridRemoveRow", &RemoveRow);
  emscripten::function("_gridRows", &Rows);
  emscripten::function("_gridCellAction", &CellAction);
  emscripten::function("_gridCommitEdit", &CommitEdit);
  emscripten::function("_gridSaveReply", &SaveReply);
  emscripten::function("_gridToggle", &Toggle);
  emscripten::function("_gridShiftClick", &ShiftClick);
  emscripten::function("_gridSetRange", &SetRange);
  emscripten::function("_gridSelectAll", &SelectAll);
  emscripten::function("_gridIsSelected", &IsSelected);
  emscripten::function("_gridStatus", &GridStatus);
  emscripten::function("_gridHiddenCheck", &HiddenCheck);
  emscripten::function("_gridHidden", &Hidden);
  emscripten::function("_gridBulkRequest", &BulkRequest);
  emscripten::function("_gridBulkReply", &BulkReply);
  emscripten::function("_gridSelectionRequest", &SelectionRequest);
  emscripten::function("_gridUndo", &Undo);
}
