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
  for (; it != anchors_.end(); ++it) it->rank += by;
}

bool IsIndexedSort(RecordSort sort) {
  switch (sort) {
    case RecordSort::kName:
    case RecordSort::kDetail1:
    case RecordSort::kDetail2:
    case RecordSort::kImpact:
    case RecordSort::kUpdated:
      return true;
    case RecordSort::kLocation:
    case RecordSort::kGroup:
    case RecordSort::kAgent:
      return false;
  }
  return false;
}

SortPosition PositionOf(RecordKind, RecordSort sort, const Record& r) {
  switch (sort) {
    case RecordSort::kName:
      return {r.details.name, r.id};
    case RecordSort::kDetail1:
      return {r.details.detail1, r.id};
    case RecordSort::kDetail2:
      return {r.details.detail2, r.id};
    case RecordSort::kImpact:
      return {int64_t{static_cast<int>(r.fields.impact)}, r.id};  // low 0, medium 1, high 2
    case RecordSort::kUpdated:
    default:
      return {r.updated_at, r.id};
  }
}

const PositionIndex* PositionIndexes::FreshLocked(RecordKind kind, RecordSort sort, int64_t now) {
  auto it = indexes_.find({kind, sort});
  if (it == indexes_.end()) return nullptr;
  if (it->second.index->worn() || now - it->second.built_at > kMaxAgeSeconds ||
      now < it->second.built_at) {
    indexes_.erase(it);
    return nullptr;
  }
  return it->second.index.get();
}

void PositionIndexes::Put(RecordKind kind, RecordSort sort, PositionIndex index,
                          uint64_t built_at_generation, int64_t now) {
  std::lock_guard lock(mutex_);
  if (built_at_generation != generation_) return;  // a write landed meanwhile: built stale
  indexes_[{kind, sort}] = Entry{std::make_shared<PositionIndex>(std::move(index)), now};
}

uint64_t PositionIndexes::generation() {
  std::lock_guard lock(mutex_);
  return generation_;
}

void PositionIndexes::Invalidate() {
  std::lock_guard lock(mutex_);
  ++generation_;
  indexes_.clear();
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

void PositionIndexes::ApplyLocked(const Changes& changes) {
  ++generation_;
  for (auto it = indexes_.begin(); it != indexes_.end();) {
    const auto [kind, sort] = it->first;
    if (changes.overflowed_[static_cast<int>(kind)]) {
      it = indexes_.erase(it);
      continue;
    }
    for (const Change& c : changes.changes_) {
      if (c.kind != kind) continue;
      if (c.before) it->second.index->Remove(PositionOf(kind, sort, *c.before));
      if (c.after) it->second.index->Add(PositionOf(kind, sort, *c.after));
    }
    ++it;
  }
}

}  // namespace deskgate::store
