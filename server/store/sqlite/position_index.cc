#include "server/store/sqlite/position_index.h"

#include <algorithm>

namespace deskgate::store {

std::optional<PositionIndex::Anchor> PositionIndex::Before(int64_t offset) const {
  // The first anchor whose rank is past the offset; the one before it is ours.
  auto it = std::upper_bound(anchors_.begin(), anchors_.end(), offset,
                             [](int64_t n, const Anchor& a) { return n < a.rank; });
  if (it == anchors_.begin()) return std::nullopt;
  return *std::prev(it);
}

void PositionIndex::Shift(const SortPosition& p, int64_t by) {
  total_ += by;
  ++drift_;
  // Anchors after p count one row more (or fewer) before them.
  auto it = std::upper_bound(anchors_.begin(), anchors_.end(), p,
                             [](const SortPosition& q, const Anchor& a) { return q < a.at; });
  if (by > 0) {
    // Ranks are exact, so the rows between p's anchors are their difference.
    const int64_t from = it == anchors_.begin() ? 0 : std::prev(it)->rank;
    const int64_t to = it == anchors_.end() ? total_ : it->rank + by;
    widest_gap_ = std::max(widest_gap_, to - from);
  }
  for (; it != anchors_.end(); ++it) it->rank += by;
}

void PositionIndex::SetRanks(std::shared_ptr<const BuildRanks> ranks) {
  ranks_ = std::move(ranks);
  moved_ = ranks_ ? std::make_shared<const std::vector<int64_t>>() : nullptr;
}

void PositionIndex::MarkMoved(const std::vector<int64_t>& ids) {
  if (!ranks_ || ids.empty()) return;
  auto moved = std::make_shared<std::vector<int64_t>>(*moved_);
  moved->insert(moved->end(), ids.begin(), ids.end());
  std::sort(moved->begin(), moved->end());
  moved->erase(std::unique(moved->begin(), moved->end()), moved->end());
  if (moved->size() > kMaxMoved) {
    SetRanks(nullptr);
    return;
  }
  moved_ = std::move(moved);
}

void PositionIndex::Move(std::vector<SortPosition> removed, std::vector<SortPosition> added) {
  std::sort(removed.begin(), removed.end());
  std::sort(added.begin(), added.end());
  total_ += static_cast<int64_t>(added.size()) - static_cast<int64_t>(removed.size());
  drift_ += static_cast<int64_t>(added.size() + removed.size());
  // An anchor counts the rows that joined before it, less those that left
  // (as Shift: a row at an anchor's own position is before it only if less).
  auto left = removed.begin();
  auto joined = added.begin();
  int64_t by = 0;
  int64_t previous = 0;
  for (Anchor& anchor : anchors_) {
    for (; left != removed.end() && *left < anchor.at; ++left) --by;
    for (; joined != added.end() && *joined < anchor.at; ++joined) ++by;
    anchor.rank += by;
    widest_gap_ = std::max(widest_gap_, anchor.rank - previous);
    previous = anchor.rank;
  }
  widest_gap_ = std::max(widest_gap_, total_ - previous);
}

bool IsReferenceSort(RecordSort sort) {
  return sort == RecordSort::kLocation || sort == RecordSort::kGroup || sort == RecordSort::kAgent;
}

namespace {

const std::optional<int64_t>& ReferenceOf(RecordSort sort, const Record& r) {
  return sort == RecordSort::kLocation ? r.fields.location
         : sort == RecordSort::kGroup  ? r.fields.group
                                       : r.fields.agent;
}

}  // namespace

std::optional<SortPosition> PositionOf(RecordSort sort, const Record& r,
                                       const ReferenceOrder* reference) {
  switch (sort) {
    case RecordSort::kName:
      return SortPosition{r.details.name, r.id};
    case RecordSort::kDetail1:
      return SortPosition{r.details.detail1, r.id};
    case RecordSort::kDetail2:
      return SortPosition{r.details.detail2, r.id};
    case RecordSort::kImpact:
      return SortPosition{int64_t{static_cast<int>(r.fields.impact)}, r.id};  // low 0 … high 2
    case RecordSort::kUpdated:
      return SortPosition{r.updated_at, r.id};
    case RecordSort::kLocation:
    case RecordSort::kGroup:
    case RecordSort::kAgent:
      break;
  }
  if (reference == nullptr || reference->ref_at.empty()) return std::nullopt;
  const int64_t id = reference->descending ? -r.id : r.id;
  const std::optional<int64_t>& ref = ReferenceOf(sort, r);
  if (!ref) return SortPosition{static_cast<int64_t>(reference->ref_at.size()) - 1, id};
  auto it = reference->ordinal_of.find(*ref);
  if (it == reference->ordinal_of.end()) return std::nullopt;
  return SortPosition{it->second, id};
}

const PositionIndex* PositionIndexes::UsableLocked(const Order& order, int64_t now, bool& refresh) {
  auto it = indexes_.find(order);
  if (it == indexes_.end()) return nullptr;
  const PositionIndex& index = *it->second.index;
  const int64_t age = now - it->second.built_at;
  if (index.spent() || age > 4 * kMaxAgeSeconds || age < 0) {
    indexes_.erase(it);
    return nullptr;
  }
  refresh = index.worn() || age > kMaxAgeSeconds;
  return &index;
}

void PositionIndexes::Put(const Order& order, PositionIndex index, uint64_t built_at_generation,
                          int64_t now) {
  std::lock_guard lock(mutex_);
  for (const auto& [generation, changes] : since_build_) {
    if (generation <= built_at_generation) continue;
    if (!changes || !PlaceLocked(order, index, *changes)) return;  // built stale
  }
  if (index.ranks()) ranks_built_at_[order] = now;
  indexes_[order] = Entry{std::make_shared<PositionIndex>(std::move(index)), now};
}

void PositionIndexes::EndBuild() {
  std::lock_guard lock(mutex_);
  if (--builders_ == 0) since_build_.clear();
}

void PositionIndexes::Invalidate() {
  std::lock_guard lock(mutex_);
  ++generation_;
  indexes_.clear();
  if (builders_ > 0) since_build_.emplace_back(generation_, nullptr);
}

void PositionIndexes::Changes::Add(RecordKind kind, std::optional<Record> before,
                                   std::optional<Record> after) {
  const int k = static_cast<int>(kind);
  if (!before && !after) return;
  if (overflowed_[k] || ++count_[k] > kMaxChanges) {
    overflowed_[k] = true;
    return;
  }
  changes_.push_back({kind, std::move(before), std::move(after)});
}

bool PositionIndexes::PlaceLocked(const Order& order, PositionIndex& index,
                                  const Changes& changes) {
  if (changes.overflowed_[static_cast<int>(order.kind)]) return false;
  std::vector<SortPosition> removed, added;
  std::vector<int64_t> moved;
  for (const Change& c : changes.changes_) {
    if (c.kind != order.kind) continue;
    auto before =
        c.before ? PositionOf(order.sort, *c.before, index.reference().get()) : std::nullopt;
    auto after = c.after ? PositionOf(order.sort, *c.after, index.reference().get()) : std::nullopt;
    if ((c.before && !before) || (c.after && !after)) return false;  // not in the numbering
    if (before && after && *before == *after) continue;  // kept its place (an edit of notes)
    moved.push_back(c.before ? c.before->id : c.after->id);
    if (before) removed.push_back(std::move(*before));
    if (after) added.push_back(std::move(*after));
  }
  if (removed.empty() && added.empty()) return true;
  index.Move(std::move(removed), std::move(added));
  index.MarkMoved(moved);
  return true;
}

void PositionIndexes::WantRanks(const Order& order) {
  std::lock_guard lock(mutex_);
  std::erase(ranked_, order);
  ranked_.insert(ranked_.begin(), order);
  if (ranked_.size() <= kRankedOrders) return;
  // The order least recently asked for gives its ranks back.
  const Order dropped = ranked_.back();
  ranked_.pop_back();
  // Readers holding its ranks keep their own reference to them.
  if (auto it = indexes_.find(dropped); it != indexes_.end()) it->second.index->SetRanks(nullptr);
}

bool PositionIndexes::WantsRanks(const Order& order) {
  std::lock_guard lock(mutex_);
  return std::find(ranked_.begin(), ranked_.end(), order) != ranked_.end();
}

bool PositionIndexes::MayBuildRanks(const Order& order, int64_t now) {
  std::lock_guard lock(mutex_);
  const auto it = ranks_built_at_.find(order);
  return it == ranks_built_at_.end() || now - it->second >= kMaxAgeSeconds;
}

void PositionIndexes::ApplyLocked(const Changes& changes) {
  ++generation_;
  if (builders_ > 0) since_build_.emplace_back(generation_, std::make_shared<Changes>(changes));
  for (auto it = indexes_.begin(); it != indexes_.end();) {
    it = PlaceLocked(it->first, *it->second.index, changes) ? std::next(it) : indexes_.erase(it);
  }
}

}  // namespace deskgate::store
