#include "shared/grid/record_grid.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>

#include "shared/core/json_value.h"
#include "shared/core/json_writer.h"
#include "shared/records/record_change_check.h"

namespace deskgate {
namespace {

Status NotHeld(int64_t id) {
  return Status::Error("row " + std::to_string(id) + " is not loaded");
}

Status Busy() {
  return Status::Error("wait for the change in progress to finish");
}

// Whether `values` names every field `mask` sets.
bool Covers(const RecordChange& values, const RecordChange& mask) {
  for (GridField field : kGridFields) {
    if (ChangeSets(mask, field) && !ChangeSets(values, field)) return false;
  }
  return true;
}

GridField FirstField(const RecordChange& change) {
  for (GridField field : kGridFields) {
    if (ChangeSets(change, field)) return field;
  }
  return GridField::kImpact;
}

Result<int64_t> ReadTotal(const JsonValue& page) {
  const JsonValue* total = page.is_object() ? page.Find("total") : nullptr;
  const double n = total != nullptr && total->is_number() ? total->as_number() : -1;
  if (n < 0 || n > static_cast<double>(GridOrder::kMaxTotal) || std::floor(n) != n) {
    return Status::Error("page: total must be an integer from 0 to 10000000");
  }
  return static_cast<int64_t>(n);
}

}  // namespace

std::string PatchRequestToJson(const PatchRequest& request) {
  JsonWriter w;
  w.BeginObject().Key("id").Int(request.id).Key("field").String(GridFieldKey(request.field));
  std::string tag = std::to_string(request.version);  // an entity tag: the version, quoted
  tag.insert(tag.begin(), '"');
  tag.push_back('"');
  w.Key("if_match").String(tag);
  w.Key("body").Raw(RecordChangeToJson(request.change)).EndObject();
  return w.Take();
}

std::string UndoRequestsToJson(const UndoRequests& requests) {
  JsonWriter w;
  w.BeginObject().Key("patches").BeginArray();
  for (const PatchRequest& patch : requests.patches) w.Raw(PatchRequestToJson(patch));
  w.EndArray().Key("bulk").BeginArray();
  for (const std::string& body : requests.bulk) w.Raw(body);
  w.EndArray().Key("skipped").BeginArray();
  for (int64_t id : requests.skipped) w.Int(id);
  w.EndArray().EndObject();
  return w.Take();
}

// ---- Query and rows

Status RecordGrid::SetEditScope(std::string_view json) {
  auto parsed = ParseJson(json);
  if (!parsed.ok()) return Status::Error("edit_scope: " + parsed.error());
  auto scope = EditScopeFromJson(parsed.value());
  if (!scope.ok()) return scope.status();
  scope_ = std::move(scope).value();
  return Status::Ok();
}

bool RecordGrid::Editable(int64_t id) const {
  const uint32_t slot = rows_.Find(id);
  return slot != kNoSlot && (!scope_ || scope_->Allows(Shown(slot)));
}

Status RecordGrid::SetVocabulary(std::string_view json) {
  auto vocabulary = ParseRecordVocabulary(json);
  if (!vocabulary.ok()) return vocabulary.status();
  vocabulary_ = std::move(vocabulary).value();
  return Status::Ok();
}

Result<bool> RecordGrid::SetQuery(std::string_view json) {
  auto query = ParseGridQuery(json);
  if (!query.ok()) return query.status();
  if (query.value() == query_) return false;
  const bool filter_changed = !(query.value().filter == query_.filter);
  query_ = std::move(query).value();
  if (filter_changed && selection_.all_matching()) selection_.Clear();
  if (filter_changed) selection_.ClearHidden();
  order_.Reset();
  ReleaseUnused();
  return filter_changed;
}

Status RecordGrid::LoadPage(int64_t offset, std::string_view json) {
  if (offset < 0 || offset >= GridOrder::kMaxTotal) return Status::Error("page: bad offset");
  auto page = ParseJson(json);
  if (!page.ok()) return Status::Error("page: " + page.error());
  auto total = ReadTotal(page.value());
  if (!total.ok()) return total.status();
  const JsonValue* rows = page.value().Find("rows");
  if (rows == nullptr || !rows->is_array()) return Status::Error("page: rows must be an array");
  std::vector<GridRecord> records;  // all read before any is kept: a bad page changes nothing
  records.reserve(rows->items().size());
  for (const JsonValue& row : rows->items()) {
    auto record = GridRecordFromJson(row);
    if (!record.ok()) return record.status();
    records.push_back(std::move(record).value());
  }
  order_.SetTotal(total.value());
  if (selection_.all_matching() && selection_.filter() == query_.filter) {
    selection_.set_matching_total(total.value());
  }
  const auto count =
      std::min<int64_t>(static_cast<int64_t>(records.size()), total.value() - offset);
  for (int64_t i = 0; i < count; ++i) {
    order_.Place(offset + i, rows_.Put(std::move(records[static_cast<size_t>(i)])));
  }
  return Status::Ok();
}

int64_t RecordGrid::PositionOf(int64_t id) const {
  const uint32_t slot = rows_.Find(id);
  return slot == kNoSlot ? -1 : order_.PositionOf(slot);
}

void RecordGrid::RemoveRow(int64_t id) {
  const uint32_t slot = rows_.Find(id);
  if (slot != kNoSlot) {
    RemoveSlot(slot);
  } else {
    edits_.EraseRow(id);
  }
}

void RecordGrid::RemoveSlot(uint32_t slot) {
  selection_.Forget(slot, InOrder(slot));
  order_.Remove(slot);
  edits_.EraseRow(rows_.at(slot).id);
  forbidden_.Erase(slot);
  conflicted_.Erase(slot);
  if (pending_ && slot < pending_->part_by_slot.size()) pending_->part_by_slot[slot] = -1;
  rows_.Erase(slot);
}

// After a query change: lets go of rows nothing refers to any more.
void RecordGrid::ReleaseUnused() {
  std::vector<uint32_t> unused;
  rows_.ForEach([&](uint32_t slot, const GridRecord& record) {
    const bool kept = selection_.picked().Contains(slot) || edits_.Any(record.id) ||
                      forbidden_.Contains(slot) || conflicted_.Contains(slot) ||
                      PendingPart(slot) >= 0;
    if (!kept) unused.push_back(slot);
  });
  for (uint32_t slot : unused) RemoveSlot(slot);
}

int RecordGrid::PendingPart(uint32_t slot) const {
  if (!pending_ || slot >= pending_->part_by_slot.size()) return -1;
  const int part = pending_->part_by_slot[slot];
  return part >= 0 && !pending_->answered[static_cast<size_t>(part)] ? part : -1;
}

// The server's values, then a pending bulk change, then cells being saved.
RecordFields RecordGrid::Shown(uint32_t slot) const {
  const GridRecord& record = rows_.at(slot);
  RecordFields shown = record.fields;
  if (const int part = PendingPart(slot); part >= 0) {
    ApplyRecordChange(pending_->parts[static_cast<size_t>(part)], shown);
  }
  edits_.ForRow(record.id, [&](GridField, const CellEdit& cell) {
    if (cell.state() == CellState::kSaving) ApplyRecordChange(cell.attempted(), shown);
  });
  return shown;
}

std::string RecordGrid::RowsJson(int64_t first, int64_t count) const {
  const int64_t begin = std::clamp<int64_t>(first, 0, total());
  const int64_t end = begin + std::clamp<int64_t>(count, 0, total() - begin);
  JsonWriter w(static_cast<size_t>(end - begin) * 256);
  w.BeginArray();
  for (int64_t position = begin; position < end; ++position) {
    const uint32_t slot = order_.SlotAt(position);
    if (slot == kNoSlot) {
      w.Null();
    } else {
      WriteRow(w, slot);
    }
  }
  w.EndArray();
  return w.Take();
}

void RecordGrid::WriteRow(JsonWriter& w, uint32_t slot) const {
  const GridRecord& record = rows_.at(slot);
  w.BeginObject();
  WriteRecordMembers(w, record, Shown(slot));
  w.Key("selected").Bool(selection_.Contains(slot, InOrder(slot)));
  if (scope_ && !scope_->Allows(Shown(slot))) w.Key("editable").Bool(false);
  if (forbidden_.Contains(slot)) w.Key("refused").String("forbidden");
  if (conflicted_.Contains(slot)) w.Key("refused").String("conflict");
  if (edits_.Any(record.id)) WriteCells(w.Key("cells"), record.id);
  w.EndObject();
}

void RecordGrid::WriteCells(JsonWriter& w, int64_t id) const {
  w.BeginObject();
  edits_.ForRow(id, [&](GridField field, const CellEdit& cell) {
    w.Key(GridFieldKey(field)).BeginObject().Key("state").String(CellStateName(cell.state()));
    const CellState state = cell.state();
    if (state == CellState::kSaving || state == CellState::kFailed ||
        state == CellState::kConflict) {
      RecordFields attempted;
      ApplyRecordChange(cell.attempted(), attempted);
      WriteFieldValue(w.Key("value"), attempted, field);
    }
    if (!cell.message().empty()) w.Key("message").String(cell.message());
    w.EndObject();
  });
  w.EndObject();
}

// ---- Inline edits

Status RecordGrid::Validate(const RecordChange& change) const {
  return vocabulary_ ? ValidateRecordChange(change, *vocabulary_) : Status::Ok();
}

Result<RecordChange> RecordGrid::CheckedChange(std::string_view change_json) const {
  auto change = ParseRecordChange(change_json);
  if (!change.ok()) return change.status();
  if (Status s = Validate(change.value()); !s.ok()) return s;
  return change;
}

// The one-field change {"<field>": value}, read by the server's own parser.
Result<RecordChange> RecordGrid::CheckedValue(GridField field, std::string_view value_json) const {
  auto value = ParseJson(value_json);
  if (!value.ok()) return Status::Error(std::string(GridFieldKey(field)) + ": " + value.error());
  std::vector<JsonValue::Member> members;
  members.emplace_back(GridFieldKey(field), std::move(value).value());
  auto change = RecordChangeFromJson(JsonValue::Object(std::move(members)));
  if (!change.ok()) return change.status();
  if (Status s = Validate(change.value()); !s.ok()) return s;
  return change;
}

Status RecordGrid::BeginEdit(int64_t id, GridField field) {
  if (!Holds(id)) return NotHeld(id);
  if (!Editable(id))
    return Status::Of(StatusCode::kPermissionDenied, std::string(kOutsideEditScope));
  Status s = edits_.Get(id, field).Begin();
  edits_.Tidy(id, field);
  return s;
}

Status RecordGrid::CancelEdit(int64_t id, GridField field) {
  Status s = edits_.Get(id, field).Cancel();
  edits_.Tidy(id, field);
  return s;
}

Status RecordGrid::Dismiss(int64_t id, GridField field) {
  Status s = edits_.Get(id, field).Dismiss();
  edits_.Tidy(id, field);
  return s;
}

Result<std::optional<PatchRequest>> RecordGrid::CommitEdit(int64_t id, GridField field,
                                                           std::string_view value_json) {
  const uint32_t slot = rows_.Find(id);
  if (slot == kNoSlot) return NotHeld(id);
  if (PendingPart(slot) >= 0) return Busy();
  auto change = CheckedValue(field, value_json);
  if (!change.ok()) return change.status();
  CellEdit& cell = edits_.Get(id, field);
  if (cell.state() == CellState::kSaving) return Status::Error("the cell is being saved");
  const GridRecord& record = rows_.at(slot);
  if (FieldsMatch(record.fields, change.value())) {  // nothing to save: back to idle
    if (cell.state() == CellState::kEditing) (void)cell.Cancel();
    (void)cell.Dismiss();
    edits_.Tidy(id, field);
    return std::optional<PatchRequest>();
  }
  (void)cell.Commit(change.value(), ProjectFields(record.fields, change.value()), false);
  // A change that would hand the row out of the person's scope fails here,
  // with the reason, as the server would fail it.
  RecordFields after = Shown(slot);
  ApplyRecordChange(change.value(), after);
  if (scope_ && !scope_->AllowsChange(record.fields, after)) {
    cell.mark_sent();
    (void)cell.Fail(
        std::string(scope_->Allows(record.fields) ? kLeavesEditScope : kOutsideEditScope));
    return std::optional<PatchRequest>();
  }
  if (edits_.Sent(id)) return std::optional<PatchRequest>();  // queued behind the row's save
  cell.mark_sent();
  return std::optional<PatchRequest>(PatchRequest{id, field, record.version, change.value()});
}

Result<GridField> RecordGrid::SentField(int64_t id) const {
  const auto field = edits_.Sent(id);
  if (!field) return Status::Error("row " + std::to_string(id) + " has no save out");
  return *field;
}

Result<std::optional<PatchRequest>> RecordGrid::SaveSucceeded(int64_t id,
                                                              std::string_view row_json) {
  auto field = SentField(id);
  if (!field.ok()) return field.status();
  auto record = ParseGridRecord(row_json);
  if (!record.ok()) return record.status();
  if (record.value().id != id) return Status::Error("row: the reply is for another row");
  CellEdit& cell = edits_.Get(id, field.value());
  (void)cell.Succeed();
  if (cell.is_undo()) {
    FinishInlineUndo(false);
  } else {
    UndoStep step{false, cell.attempted(), {{id, cell.restore(), record.value().version}}};
    undo_.Push(std::move(step));
  }
  rows_.Put(std::move(record).value());
  return SendNext(id);
}

Result<std::optional<PatchRequest>> RecordGrid::SaveFailed(int64_t id, std::string message) {
  auto field = SentField(id);
  if (!field.ok()) return field.status();
  CellEdit& cell = edits_.Get(id, field.value());
  (void)cell.Fail(std::move(message));
  if (cell.is_undo()) FinishInlineUndo(true);
  return SendNext(id);
}

Result<std::optional<PatchRequest>> RecordGrid::SaveConflict(int64_t id,
                                                             std::string_view body_json) {
  auto field = SentField(id);
  if (!field.ok()) return field.status();
  auto body = ParseJson(body_json);
  const JsonValue* current =
      body.ok() && body.value().is_object() ? body.value().Find("current") : nullptr;
  if (current == nullptr) return Status::Error("conflict: the reply has no current row");
  auto record = GridRecordFromJson(*current);
  if (!record.ok()) return record.status();
  if (record.value().id != id) return Status::Error("row: the reply is for another row");
  const JsonValue* error = body.value().Find("error");
  CellEdit& cell = edits_.Get(id, field.value());
  (void)cell.Conflict(error != nullptr && error->is_string() ? error->as_string()
                                                             : "someone else changed this row");
  if (cell.is_undo()) FinishInlineUndo(false);
  rows_.Put(std::move(record).value());
  return SendNext(id);
}

// Sends the row's next queued save, with the version the last reply left.
std::optional<PatchRequest> RecordGrid::SendNext(int64_t id) {
  const uint32_t slot = rows_.Find(id);
  while (const auto next = edits_.NextQueued(id)) {
    CellEdit& cell = edits_.Get(id, *next);
    cell.mark_sent();
    if (slot != kNoSlot) return PatchRequest{id, *next, rows_.at(slot).version, cell.attempted()};
    (void)cell.Fail("the row is no longer loaded");  // no version to send it with
    if (cell.is_undo()) FinishInlineUndo(true);
  }
  return std::nullopt;
}

void RecordGrid::FinishInlineUndo(bool put_back) {
  if (put_back && undo_in_flight_) undo_.Push(std::move(*undo_in_flight_));
  undo_in_flight_.reset();
}

// ---- Selection

bool RecordGrid::Toggle(int64_t id) {
  const uint32_t slot = rows_.Find(id);
  if (slot == kNoSlot) return false;
  const bool selected = !selection_.Contains(slot, InOrder(slot));
  selection_.Set(slot, selected);
  selection_.set_anchor(slot);
  return selected;
}

int64_t RecordGrid::ShiftClick(int64_t id) {
  const uint32_t slot = rows_.Find(id);
  const uint32_t anchor = selection_.anchor();
  if (slot == kNoSlot || anchor == kNoSlot || !InOrder(slot) || !InOrder(anchor)) {
    Toggle(id);
    return 0;
  }
  const int64_t from = order_.PositionOf(anchor);
  const int64_t to = order_.PositionOf(slot);
  return SetRange(std::min(from, to), std::abs(to - from) + 1, selection_.Contains(anchor, true));
}

int64_t RecordGrid::SetRange(int64_t first, int64_t count, bool selected) {
  const int64_t begin = std::clamp<int64_t>(first, 0, total());
  const int64_t end = begin + std::clamp<int64_t>(count, 0, total() - begin);
  int64_t skipped = 0;
  for (int64_t position = begin; position < end; ++position) {
    const uint32_t slot = order_.SlotAt(position);
    if (slot == kNoSlot) {
      ++skipped;
    } else {
      selection_.Set(slot, selected);
    }
  }
  return skipped;
}

void RecordGrid::SelectAllMatching() {
  selection_.SelectAllMatching(query_.filter, total());
}

bool RecordGrid::IsSelected(int64_t id) const {
  const uint32_t slot = rows_.Find(id);
  return slot != kNoSlot && selection_.Contains(slot, InOrder(slot));
}

std::optional<std::string> RecordGrid::HiddenCheckRequest() const {
  if (selection_.all_matching() || selection_.picked().empty()) return std::nullopt;
  IdList ids(selection_.picked().size());
  selection_.picked().ForEach([&](uint32_t slot) { ids.Add(rows_.at(slot).id); });
  std::string body = "{\"ids\":" + ids.Take();
  body.append(",\"filter\":").append(GridFilterToJson(query_.filter)).append("}");
  return body;
}

Status RecordGrid::SetHidden(std::string_view reply_json) {
  auto reply = ParseJson(reply_json);
  if (!reply.ok()) return Status::Error("reply: " + reply.error());
  const JsonValue* hidden = reply.value().Find("hidden");
  if (hidden == nullptr || !hidden->is_array()) {
    return Status::Error("reply: hidden must be a list of ids");
  }
  std::vector<uint32_t> slots;  // all read before any is marked: a bad reply changes nothing
  for (const JsonValue& item : hidden->items()) {
    auto id = ReadRecordRef(item, "reply.hidden");
    if (!id.ok() || !id.value()) return Status::Error("reply: hidden must be a list of ids");
    const uint32_t slot = rows_.Find(*id.value());
    if (slot != kNoSlot) slots.push_back(slot);
  }
  selection_.ClearHidden();
  for (uint32_t slot : slots) selection_.MarkHidden(slot);
  return Status::Ok();
}

int64_t RecordGrid::DropHidden() {
  std::vector<uint32_t> slots;
  selection_.hidden().ForEach([&](uint32_t slot) { slots.push_back(slot); });
  for (uint32_t slot : slots) selection_.Set(slot, false);
  ReleaseUnused();
  return static_cast<int64_t>(slots.size());
}

// ---- Bulk actions

std::string RecordGrid::BulkBody(const RecordChange& change) const {
  IdList ids(selection_.picked().size());  // picked rows, or all matching's exclusions
  selection_.picked().ForEach([&](uint32_t slot) { ids.Add(rows_.at(slot).id); });
  return selection_.all_matching() ? BulkByFilterJson(selection_.filter(), ids.Take(), change)
                                   : BulkByIdsJson(ids.Take(), change);
}

Result<std::string> RecordGrid::BulkRequest(std::string_view change_json) const {
  if (selected_count() == 0) return Status::Error("selection: no rows are selected");
  auto change = CheckedChange(change_json);
  if (!change.ok()) return change.status();
  return BulkBody(change.value());
}

Result<std::string> RecordGrid::SelectionRequest() const {
  if (selected_count() == 0) return Status::Error("selection: no rows are selected");
  IdList ids(selection_.picked().size());
  selection_.picked().ForEach([&](uint32_t slot) { ids.Add(rows_.at(slot).id); });
  return selection_.all_matching() ? SelectionByFilterJson(selection_.filter(), ids.Take())
                                   : SelectionByIdsJson(ids.Take());
}

Result<std::string> RecordGrid::BeginBulk(std::string_view change_json) {
  if (pending_ || undo_in_flight_) return Busy();
  if (selected_count() == 0) return Status::Error("selection: no rows are selected");
  auto change = CheckedChange(change_json);
  if (!change.ok()) return change.status();
  std::string body = BulkBody(change.value());
  pending_.emplace();
  pending_->parts = {change.value()};
  pending_->answered.assign(1, 0);
  pending_->part_by_slot.assign(rows_.slot_limit(), -1);
  pending_->step.bulk = true;
  pending_->step.change = change.value();
  forbidden_.Clear();
  conflicted_.Clear();
  if (selection_.all_matching()) {
    for (int64_t position = 0; position < total(); ++position) {
      const uint32_t slot = order_.SlotAt(position);
      if (slot != kNoSlot && !selection_.picked().Contains(slot)) pending_->part_by_slot[slot] = 0;
    }
  } else {
    selection_.picked().ForEach([&](uint32_t slot) { pending_->part_by_slot[slot] = 0; });
  }
  return body;
}

Status RecordGrid::CheckPart(int part) const {
  if (!pending_ || part < 0 || static_cast<size_t>(part) >= pending_->parts.size() ||
      pending_->answered[static_cast<size_t>(part)]) {
    return Status::Error("no bulk request " + std::to_string(part) + " is waiting for a reply");
  }
  return Status::Ok();
}

Result<BulkReport> RecordGrid::BulkSucceeded(int part, std::string_view reply_json) {
  if (Status s = CheckPart(part); !s.ok()) return s;
  auto reply = ParseBulkReply(reply_json);
  if (!reply.ok()) return reply.status();
  BulkReport report;
  if (const auto& summary = reply.value().summary) {
    // Only the counts and the first failures came back: the rows held are
    // read again by the page, and there is nothing to undo with.
    for (const BulkResult& failure : summary->failures) SettleResult(part, failure, report);
    std::copy(std::begin(summary->counts), std::end(summary->counts), std::begin(report.counts));
    report.summarised = true;
    report.problems_total = summary->failures_total;
  } else {
    for (const BulkResult& result : reply.value().results) SettleResult(part, result, report);
    report.problems_total = static_cast<int64_t>(report.problems.size());
  }
  report.done = FinishPart(part, false);
  return report;
}

Result<BulkReport> RecordGrid::BulkFailed(int part) {
  if (Status s = CheckPart(part); !s.ok()) return s;
  BulkReport report;
  report.done = FinishPart(part, true);
  return report;
}

void RecordGrid::SettleResult(int part, const BulkResult& result, BulkReport& report) {
  ++report.counts[static_cast<int>(result.outcome)];
  const uint32_t slot = rows_.Find(result.id);
  if (result.outcome == BulkOutcome::kUpdated) {
    RecordUndoRow(part, result, slot, report);
    if (slot == kNoSlot) return;
    GridRecord& record = rows_.at(slot);
    if (result.version < record.version) return;  // a newer copy is already held
    ApplyRecordChange(pending_->parts[static_cast<size_t>(part)], record.fields);
    record.version = result.version;
    return;
  }
  if (result.outcome == BulkOutcome::kUnchanged) return;
  report.problems.push_back({result.id, result.outcome});
  if (slot == kNoSlot) return;
  if (result.outcome == BulkOutcome::kNotFound) {
    RemoveSlot(slot);
  } else if (result.outcome == BulkOutcome::kForbidden) {
    forbidden_.Insert(slot);
  } else {
    conflicted_.Insert(slot);
  }
}

// Remembers what an updated row held before, for undo: the server's
// "before" when it sent one, else the held row's values if they predate the
// update (a newer copy may already show the change).
void RecordGrid::RecordUndoRow(int part, const BulkResult& result, uint32_t slot,
                               BulkReport& report) {
  if (pending_->undoing) return;  // undos are not undoable
  const RecordChange& change = pending_->parts[static_cast<size_t>(part)];
  RecordFields before;
  if (result.before && Covers(*result.before, change)) {
    ApplyRecordChange(*result.before, before);
  } else if (slot != kNoSlot && rows_.at(slot).version < result.version) {
    before = rows_.at(slot).fields;
  } else {
    ++report.not_undoable;
    return;
  }
  pending_->step.rows.push_back({result.id, ProjectFields(before, change), result.version});
}

// Marks a reply in; after the last one, files the action's undo step, or
// puts back the step of an undo that did not fully go through. Rows it did
// restore are skipped next time, as they no longer hold the step's values.
// True when done.
bool RecordGrid::FinishPart(int part, bool failed) {
  pending_->answered[static_cast<size_t>(part)] = failed ? 2 : 1;
  if (std::find(pending_->answered.begin(), pending_->answered.end(), 0) !=
      pending_->answered.end()) {
    return false;
  }
  const bool any_failed = std::find(pending_->answered.begin(), pending_->answered.end(), 2) !=
                          pending_->answered.end();
  PendingBulk done = std::move(*pending_);
  pending_.reset();
  if (done.undoing) {
    if (any_failed) undo_.Push(std::move(*done.undoing));
  } else if (!done.step.rows.empty()) {
    undo_.Push(std::move(done.step));
  }
  return true;
}

// ---- Undo

Result<UndoRequests> RecordGrid::Undo() {
  if (pending_ || undo_in_flight_) return Busy();
  std::optional<UndoStep> step = undo_.Pop();
  if (!step) return Status::Error("nothing to undo");
  return step->bulk ? UndoBulk(std::move(*step)) : UndoInline(std::move(*step));
}

Result<UndoRequests> RecordGrid::UndoInline(UndoStep step) {
  const UndoStep::Row row = step.rows.front();
  const GridField field = FirstField(step.change);
  const uint32_t slot = rows_.Find(row.id);
  UndoRequests out;
  if (slot != kNoSlot && !FieldsMatch(rows_.at(slot).fields, step.change)) {
    out.skipped.push_back(row.id);  // changed since: leave the newer value
    return out;
  }
  CellEdit& cell = edits_.Get(row.id, field);
  if (cell.state() == CellState::kSaving) {
    undo_.Push(std::move(step));
    return Status::Error("the cell is being saved");
  }
  (void)cell.Commit(row.restore, step.change, true);
  undo_in_flight_ = std::move(step);
  if (edits_.Sent(row.id)) return out;  // queued behind the row's save
  cell.mark_sent();
  // A row no longer loaded is guarded by its version just after the edit.
  const int64_t version = slot != kNoSlot ? rows_.at(slot).version : row.version;
  out.patches.push_back(PatchRequest{row.id, field, version, row.restore});
  return out;
}

Result<UndoRequests> RecordGrid::UndoBulk(UndoStep step) {
  UndoRequests out;
  std::erase_if(step.rows, [&](const UndoStep::Row& row) {
    const uint32_t slot = rows_.Find(row.id);
    const bool changed_since = slot != kNoSlot && !FieldsMatch(rows_.at(slot).fields, step.change);
    if (changed_since) out.skipped.push_back(row.id);
    return changed_since;
  });
  if (step.rows.empty()) return out;
  std::vector<UndoGroup> groups = GroupByRestore(step.rows);
  pending_.emplace();
  pending_->answered.assign(groups.size(), 0);
  pending_->part_by_slot.assign(rows_.slot_limit(), -1);
  forbidden_.Clear();
  conflicted_.Clear();
  for (UndoGroup& group : groups) {
    const int part = static_cast<int>(pending_->parts.size());
    for (int64_t id : group.ids) {
      if (const uint32_t slot = rows_.Find(id); slot != kNoSlot)
        pending_->part_by_slot[slot] = part;
    }
    IdList ids(group.ids.size());
    for (int64_t id : group.ids) ids.Add(id);
    out.bulk.push_back(BulkByIdsJson(ids.Take(), group.change));
    pending_->parts.push_back(group.change);
  }
  pending_->undoing = std::move(step);
  return out;
}

}  // namespace deskgate
