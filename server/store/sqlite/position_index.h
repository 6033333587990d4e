// PositionIndex: where any page of a long list starts, so a page deep in a
// million rows — the middle, reached by dragging the scrollbar — is found
// without walking the rows before it.
//
// Why not OFFSET: SQLite finds row N of an order by stepping over the N
// rows before it (even on an index: ~25 ms at N = 500,000, and every
// concurrent request pays it). Keyset paging (WHERE key > last) needs the
// previous page's last row, which a jump to the middle does not have.
//
// For one order of one list (records not retired, no filter, sorted by one
// indexed column, ascending; a descending page is an ascending one read
// backwards), the index keeps an anchor every kSpacing rows: the row's sort
// position (sort value, id) and its rank, the number of rows before it. A
// page at offset N seeks to the anchor with the largest rank <= N by key,
// an index search, and steps over fewer than kSpacing + drift rows.
//
// A reference's order (by the name of a row's location, group or agent,
// which no row holds) is numbered: each referenced id gets the ordinal of
// its name among those the live rows name (ties by id), the rows with none
// come last, and a position is (ordinal, id). Those come last in both
// directions, so a descending reference order has an index of its own:
// ordinals of the names backwards, ids negated (ReferenceOrder).
//
// Ranks stay exact as rows come and go: a row leaving the order lowers the
// rank of every anchor after its position, a row joining raises them. An
// anchor whose own row is gone still marks a position in the order, which
// is all a seek needs. Adjustments move anchors apart or together (drift);
// after kMaxDrift adjustments the index asks to be built again, and at
// once when rows pile up between two anchors (kMaxGap): edits that move
// rows to one end of an order (updated_at: every edit goes last) would
// otherwise make a page there step over every row edited since the build.
//
// Not thread-safe: PositionIndexes (below) guards it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "server/store/records.h"
#include "shared/core/status.h"

namespace deskgate::store {

// A row's place in an order: its sort value, then its id.
struct SortPosition {
  std::variant<int64_t, std::string> value;
  int64_t id = 0;
  auto operator<=>(const SortPosition&) const = default;
};

// How a reference order numbers what rows refer to (see above).
struct ReferenceOrder {
  std::map<int64_t, int64_t> ordinal_of;       // referenced id -> ordinal
  std::vector<std::optional<int64_t>> ref_at;  // ordinal -> id; the last is "none"
  bool descending = false;
  int64_t names_version = 0;  // record_names_version when numbered
};

// Each live row's rank in an order when its index was built, by id: a
// search sorts its matches by these instead of reading every match's sort
// value (records.cc, ListSearchByRank).
struct BuildRanks {
  static constexpr uint32_t kUnranked = UINT32_MAX;     // not there at the build
  static constexpr uint32_t kRetired = UINT32_MAX - 1;  // retired at the build
  std::vector<uint32_t> by_id;
  uint32_t Of(int64_t id) const {
    return id >= 0 && static_cast<uint64_t>(id) < by_id.size() ? by_id[static_cast<size_t>(id)]
                                                               : kUnranked;
  }
};

class PositionIndex {
 public:
  // Denser anchors make a page step over fewer rows (64: 7,100 pages/s by
  // name at a million rows; 256: 5,700) and a write adjust more of them.
  static constexpr int64_t kSpacing = 64;
  static constexpr int64_t kMaxDrift = 64 * 1024;
  static constexpr int64_t kMaxGap = 16 * kSpacing;

  struct Anchor {
    SortPosition at;
    int64_t rank = 0;  // rows before `at`
  };

  PositionIndex(std::vector<Anchor> anchors, int64_t total,
                std::shared_ptr<const ReferenceOrder> reference = nullptr)
      : anchors_(std::move(anchors)), total_(total), reference_(std::move(reference)) {}

  int64_t total() const { return total_; }
  bool worn() const { return drift_ > kMaxDrift || widest_gap_ > kMaxGap; }
  // Too worn to serve until the next build (pages would step over too much).
  bool spent() const { return drift_ > 2 * kMaxDrift || widest_gap_ > 8 * kMaxGap; }
  // The numbering of a reference order; null for a column's.
  const std::shared_ptr<const ReferenceOrder>& reference() const { return reference_; }

  // The anchor with the largest rank <= offset, or none (start at the top).
  std::optional<Anchor> Before(int64_t offset) const;

  // A row left, or joined, the order at `p`. The writer applies its rows
  // with Move; these are the one-row reference its tests check Move against.
  void Remove(const SortPosition& p) { Shift(p, -1); }
  void Add(const SortPosition& p) { Shift(p, +1); }
  // Many rows left and joined at once (one write's): the same as each
  // Remove and Add in turn, in one sweep over the anchors.
  void Move(std::vector<SortPosition> removed, std::vector<SortPosition> added);

  // The ranks at the build (when asked for: PositionIndexes::WantRanks), and
  // the ids whose place may have changed since, sorted. A rank stays true
  // relative to the other unmoved rows' ranks, whatever moved around them.
  // Past kMaxMoved moved rows the ranks are dropped (a search then sorts its
  // matches in SQL) until the next build; both are copied on write, so a
  // reader's snapshot of them never changes.
  static constexpr size_t kMaxMoved = 4096;
  void SetRanks(std::shared_ptr<const BuildRanks> ranks);
  const std::shared_ptr<const BuildRanks>& ranks() const { return ranks_; }
  const std::shared_ptr<const std::vector<int64_t>>& moved() const { return moved_; }
  void MarkMoved(const std::vector<int64_t>& ids);

 private:
  void Shift(const SortPosition& p, int64_t by);

  std::vector<Anchor> anchors_;  // ascending by position, and so by rank
  int64_t total_ = 0;
  int64_t drift_ = 0;
  int64_t widest_gap_ = 0;  // the most rows between anchors a join has made
  std::shared_ptr<const ReferenceOrder> reference_;
  std::shared_ptr<const BuildRanks> ranks_;
  std::shared_ptr<const std::vector<int64_t>> moved_;
};

// Orders by a location, group or agent (numbered: ReferenceOrder).
bool IsReferenceSort(RecordSort sort);
// `record`'s position in an order (updated_at as given: a write's time);
// for a reference order, per `reference`, and none when the record names
// something the numbering does not hold (the index must be built again).
std::optional<SortPosition> PositionOf(RecordSort sort, const Record& record,
                                       const ReferenceOrder* reference);

// The position indexes of a store, shared by its readers and its writer.
// A write transaction hands its changes to Commit(), which applies them in
// the same step as the COMMIT; a reader begins its read transaction in the
// same step as it takes its snapshot of an index (Find), so the rows it
// reads are those the snapshot counts, whatever commits while it reads.
class PositionIndexes {
 public:
  // How old an index may be: other processes' writes (deskgate seed while
  // serving) are not seen by it, so it is rebuilt at least this often. An
  // index past this age, or worn, still serves while one reader builds its
  // successor (Snapshot::refresh): waiting for the build would stall every
  // reader of the order, each holding one of the few list-reading turns.
  // Past kMaxAgeSeconds * 4, or worn out (PositionIndex::spent), it is
  // dropped and readers wait.
  static constexpr int64_t kMaxAgeSeconds = 30;

  struct Change {
    RecordKind kind;
    std::optional<Record> before;  // live before; nullopt when it was not
    std::optional<Record> after;   // live after (updated_at: the write's time)
  };

  // Which index: a column's order is read backwards for a descending
  // page; a reference order has one per direction.
  struct Order {
    RecordKind kind;
    RecordSort sort;
    bool descending = false;
    auto operator<=>(const Order&) const = default;
  };

  struct Snapshot {
    int64_t total = 0;
    int64_t offset = 0;  // the offset asked for, in the index's order
    std::optional<PositionIndex::Anchor> anchor;
    std::shared_ptr<const ReferenceOrder> reference;
    std::shared_ptr<const BuildRanks> ranks;            // null when not built
    std::shared_ptr<const std::vector<int64_t>> moved;  // with ranks
    bool refresh = false;                               // due to be built again (old or worn)
  };

  // The anchor for the ascending offset `offset_for(total)` gives, or
  // nothing when the order has no fresh index (the caller builds one with
  // Put and asks again).
  template <typename F>
  std::optional<Snapshot> Find(const Order& order, int64_t now, F&& offset_for) {
    return Find(order, now, offset_for, [] { return Status::Ok(); });
  }
  // As above, and `start_snapshot` begins the reader's read transaction in
  // the same step, as for a build: the rows it then reads are those the
  // snapshot counts, whatever commits after. Nothing when it fails.
  template <typename F, typename G>
  std::optional<Snapshot> Find(const Order& order, int64_t now, F&& offset_for,
                               G&& start_snapshot) {
    std::lock_guard lock(mutex_);
    bool refresh = false;
    const PositionIndex* index = UsableLocked(order, now, refresh);
    if (index == nullptr || !start_snapshot().ok()) return std::nullopt;
    const int64_t offset = offset_for(index->total());
    return Snapshot{
        index->total(), offset, index->Before(offset), index->reference(), index->ranks(),
        index->moved(), refresh};
  }
  // Builds of `order` keep ranks from now on (a search asked). The most
  // recently asked orders are kept, kRankedOrders of them: ranks cost four
  // bytes per id. The order asked for least recently gives its ranks back;
  // its index stays, for paging.
  static constexpr size_t kRankedOrders = 4;
  void WantRanks(const Order& order);
  bool WantsRanks(const Order& order);
  // Whether a search may build `order`'s index again only to have ranks
  // (its index has none: given back, or dropped by moves): not within
  // kMaxAgeSeconds of the last build that kept them. An agent searching in
  // more orders than are ranked, or a stream of writes moving thousands of
  // rows, would otherwise make every search a full build (~1 s at a
  // million rows, holding the build lock and a list-reading turn); those
  // searches sort their matches in SQL instead.
  bool MayBuildRanks(const Order& order, int64_t now);
  // A build reads the rows in a read transaction that `start_snapshot`
  // begins here, in step with the commits, and answers the generation that
  // snapshot holds. Writes committed while it reads are kept and replayed
  // by Put, so a steady stream of edits cannot keep an index from being
  // built. Every BeginBuild is followed by one EndBuild.
  template <typename F>
  Result<uint64_t> BeginBuild(F&& start_snapshot) {
    std::lock_guard lock(mutex_);
    if (Status s = start_snapshot(); !s.ok()) return s;
    ++builders_;
    return generation_;
  }
  void EndBuild();
  // Keeps the index built at `built_at_generation`, with the writes since
  // applied; drops it when one of them cannot be placed.
  void Put(const Order& order, PositionIndex index, uint64_t built_at_generation, int64_t now);

  // What one write transaction did to the orders: each row's change, up to
  // kMaxChanges per kind, applied to each index in one sweep
  // (PositionIndex::Move); past that (a bulk action or import of most of
  // a list) the kind's indexes are dropped and built again, which costs
  // less than keeping every changed row's before and after.
  class Changes {
   public:
    static constexpr size_t kMaxChanges = 32 * 1024;
    void Add(RecordKind kind, std::optional<Record> before, std::optional<Record> after);
    // True once the kind's changes are past counting (no need to gather more).
    bool overflowed(RecordKind kind) const { return overflowed_[static_cast<int>(kind)]; }
    // Past counting at once: a write known to change more than kMaxChanges.
    void Overflow(RecordKind kind) { overflowed_[static_cast<int>(kind)] = true; }

   private:
    friend class PositionIndexes;
    std::vector<Change> changes_;
    bool overflowed_[2] = {false, false};  // by kind
    size_t count_[2] = {0, 0};
  };

  // Runs `commit` and, when it succeeds, applies `changes` — one step for
  // readers, who see the generation move.
  template <typename F>
  Status Commit(const Changes& changes, F&& commit) {
    std::lock_guard lock(mutex_);
    Status result = commit();
    if (result.ok()) ApplyLocked(changes);
    return result;
  }
  // Another writer (seeding, a catalog rename) changed what the orders hold.
  void Invalidate();

 private:
  struct Entry {
    std::shared_ptr<PositionIndex> index;
    int64_t built_at = 0;
  };
  void ApplyLocked(const Changes& changes);
  // Applies `changes` to one index; false when one cannot be placed.
  static bool PlaceLocked(const Order& order, PositionIndex& index, const Changes& changes);
  // The order's index unless it is gone or past serving; `refresh` when
  // it is due to be built again.
  const PositionIndex* UsableLocked(const Order& order, int64_t now, bool& refresh);

  std::mutex mutex_;
  uint64_t generation_ = 0;
  std::map<Order, Entry> indexes_;
  std::vector<Order> ranked_;                // WantRanks, the latest first
  std::map<Order, int64_t> ranks_built_at_;  // Put of an index with ranks
  // While builds run: each commit's changes, by the generation it made
  // (nullptr: an Invalidate, which nothing can replay).
  int builders_ = 0;
  std::vector<std::pair<uint64_t, std::shared_ptr<const Changes>>> since_build_;
};

}  // namespace deskgate::store
