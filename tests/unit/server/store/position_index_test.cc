// PositionIndex: the anchor before an offset, and ranks kept exact as rows
// leave and join the order, anchors' own rows included.
#include "server/store/sqlite/position_index.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

using deskgate::RecordKind;
using deskgate::store::PositionIndex;
using deskgate::store::PositionIndexes;
using deskgate::store::RecordSort;
using deskgate::store::SortPosition;

namespace {

SortPosition At(const char* name, int64_t id) {
  return SortPosition{std::string(name), id};
}

// Anchors at "b"#2 (rank 256) and "d"#4 (rank 512) of 700 rows; the first at the top.
PositionIndex Sample() {
  return PositionIndex({{At("a", 1), 0}, {At("b", 2), 256}, {At("d", 4), 512}}, 700);
}

// Puts `index` for `order`, built with no write during the build.
void PutBuilt(PositionIndexes& indexes, const PositionIndexes::Order& order, PositionIndex index,
              int64_t now) {
  auto built = indexes.BeginBuild([] { return deskgate::Status::Ok(); });
  REQUIRE(built.ok());
  indexes.Put(order, std::move(index), built.value(), now);
  indexes.EndBuild();
}

}  // namespace

TEST_CASE("PositionIndex: the anchor a page starts from", "[store][positions]") {
  const PositionIndex index = Sample();
  CHECK(index.total() == 700);
  CHECK(index.Before(0)->rank == 0);
  CHECK(index.Before(255)->rank == 0);
  CHECK(index.Before(256)->at == At("b", 2));
  CHECK(index.Before(699)->at == At("d", 4));
  CHECK_FALSE(PositionIndex({}, 0).Before(10));
  CHECK_FALSE(PositionIndex({{At("m", 9), 3}}, 10).Before(2));  // before the first anchor: the top
}

TEST_CASE("PositionIndex: rows leaving and joining shift the anchors after them",
          "[store][positions]") {
  PositionIndex index = Sample();
  index.Add(At("c", 3));  // between b and d
  CHECK(index.total() == 701);
  CHECK(index.Before(512)->rank == 256);  // d moved to 513
  CHECK(index.Before(513)->rank == 513);
  index.Remove(At("a", 9));  // before b: both later anchors move back
  CHECK(index.Before(255)->rank == 255);
  CHECK(index.Before(512)->rank == 512);
  // The same position as an anchor: the rows strictly before it are the same.
  index.Remove(At("b", 2));
  CHECK(index.Before(255)->rank == 255);
  index.Add(At("b", 2));
  CHECK(index.Before(255)->rank == 255);
  // Ties on the value are ordered by id.
  index.Add(At("d", 3));
  CHECK(index.Before(513)->rank == 513);
  index.Add(At("d", 5));
  CHECK(index.Before(513)->rank == 513);
  CHECK(index.total() == 702);
  CHECK_FALSE(index.worn());
}

TEST_CASE("PositionIndex: rows piling up between two anchors wear it out", "[store][positions]") {
  // updated_at: every edit moves its row after the last anchor.
  PositionIndex index = Sample();  // 188 rows after the last anchor
  for (int64_t i = 0; i < PositionIndex::kMaxGap - 188; ++i) index.Add(At("z", 1000 + i));
  CHECK_FALSE(index.worn());  // exactly kMaxGap rows after "d"
  index.Add(At("z", 5000));
  CHECK(index.worn());

  // Joins spread over the order do not.
  PositionIndex spread = Sample();
  for (int i = 0; i < 200; ++i) {
    spread.Add(At(i % 3 == 0 ? "a" : i % 3 == 1 ? "c" : "e", 100 + i));
  }
  CHECK_FALSE(spread.worn());
}

namespace {

deskgate::store::Record Named(int64_t id, const char* name) {
  deskgate::store::Record r;
  r.id = id;
  r.details.name = name;
  return r;
}

}  // namespace

TEST_CASE("PositionIndexes: writes committed during a build are replayed onto it",
          "[store][positions]") {
  PositionIndexes indexes;
  const PositionIndexes::Order order{RecordKind::kAsset, RecordSort::kName, false};
  auto built_at = indexes.BeginBuild([] { return deskgate::Status::Ok(); });
  REQUIRE(built_at.ok());
  // While the rows are read: one row joins before "b", one is renamed past "d".
  PositionIndexes::Changes joined, renamed;
  joined.Add(RecordKind::kAsset, std::nullopt, Named(9, "a2"));
  renamed.Add(RecordKind::kAsset, Named(3, "c"), Named(3, "e"));
  REQUIRE(indexes.Commit(joined, [] { return deskgate::Status::Ok(); }).ok());
  REQUIRE(indexes.Commit(renamed, [] { return deskgate::Status::Ok(); }).ok());
  indexes.Put(order, Sample(), built_at.value(), 100);
  indexes.EndBuild();
  auto found = indexes.Find(order, 100, [](int64_t total) { return total - 1; });
  REQUIRE(found);
  CHECK(found->total == 701);
  CHECK(found->anchor->at == At("d", 4));
  CHECK(found->anchor->rank == 512);  // +1 joined before it, -1 moved past it

  // An invalidation during a build cannot be replayed: the build is dropped.
  auto again = indexes.BeginBuild([] { return deskgate::Status::Ok(); });
  indexes.Invalidate();
  indexes.Put(order, Sample(), again.value(), 100);
  indexes.EndBuild();
  CHECK_FALSE(indexes.Find(order, 100, [](int64_t) { return 0; }));
}

namespace {

// Sample() with ranks for ids 1..4 (1 first) and no row moved.
PositionIndex Ranked() {
  PositionIndex index = Sample();
  auto ranks = std::make_shared<deskgate::store::BuildRanks>();
  ranks->by_id = {deskgate::store::BuildRanks::kUnranked, 0, 256, 300, 512};
  index.SetRanks(ranks);
  return index;
}

}  // namespace

TEST_CASE("PositionIndex: ranks at the build, and the rows moved since, copied on write",
          "[store][positions]") {
  using deskgate::store::BuildRanks;
  PositionIndex index = Ranked();
  REQUIRE(index.ranks());
  CHECK(index.ranks()->Of(3) == 300);
  CHECK(index.ranks()->Of(0) == BuildRanks::kUnranked);
  CHECK(index.ranks()->Of(99) == BuildRanks::kUnranked);  // past the build's ids
  CHECK(index.ranks()->Of(-1) == BuildRanks::kUnranked);
  CHECK(index.moved()->empty());
  const auto before = index.moved();  // a reader's snapshot
  index.MarkMoved({4, 2, 4});
  CHECK(*index.moved() == std::vector<int64_t>{2, 4});
  CHECK(before->empty());  // unchanged for the reader that holds it
  index.MarkMoved({3});
  CHECK(*index.moved() == std::vector<int64_t>{2, 3, 4});

  // Past kMaxMoved rows, the ranks are dropped rather than copied on.
  std::vector<int64_t> many;
  for (int64_t id = 100; id < 100 + static_cast<int64_t>(PositionIndex::kMaxMoved); ++id) {
    many.push_back(id);
  }
  index.MarkMoved(many);
  CHECK_FALSE(index.ranks());
  CHECK_FALSE(index.moved());
}

TEST_CASE("PositionIndexes: commits mark their rows moved; ranks kept for the orders searched",
          "[store][positions]") {
  PositionIndexes indexes;
  const PositionIndexes::Order by_name{RecordKind::kAsset, RecordSort::kName, false};
  CHECK_FALSE(indexes.WantsRanks(by_name));
  indexes.WantRanks(by_name);
  CHECK(indexes.WantsRanks(by_name));
  auto built_at = indexes.BeginBuild([] { return deskgate::Status::Ok(); });
  REQUIRE(built_at.ok());
  PositionIndexes::Changes during, after, software;
  during.Add(RecordKind::kAsset, Named(2, "b"), Named(2, "bb"));
  REQUIRE(indexes.Commit(during, [] { return deskgate::Status::Ok(); }).ok());
  indexes.Put(by_name, Ranked(), built_at.value(), 100);
  indexes.EndBuild();
  after.Add(RecordKind::kAsset, std::nullopt, Named(7, "c2"));        // a new row
  software.Add(RecordKind::kSoftware, Named(3, "x"), Named(3, "y"));  // another list's
  REQUIRE(indexes.Commit(after, [] { return deskgate::Status::Ok(); }).ok());
  REQUIRE(indexes.Commit(software, [] { return deskgate::Status::Ok(); }).ok());
  auto found = indexes.Find(by_name, 100, [](int64_t) { return 0; });
  REQUIRE(found);
  REQUIRE(found->ranks);
  CHECK(*found->moved == std::vector<int64_t>{2, 7});  // replayed, then committed

  // Ranks are kept for the kRankedOrders orders searched most recently: the
  // oldest gives its ranks back when another is asked for, and keeps its
  // index for paging. A reader's snapshot keeps the ranks it holds.
  for (RecordSort sort : {RecordSort::kDetail1, RecordSort::kDetail2, RecordSort::kImpact}) {
    indexes.WantRanks({RecordKind::kAsset, sort, false});
  }
  CHECK(indexes.WantsRanks(by_name));
  CHECK(indexes.Find(by_name, 100, [](int64_t) { return 0; })->ranks);
  indexes.WantRanks({RecordKind::kAsset, RecordSort::kUpdated, false});
  CHECK_FALSE(indexes.WantsRanks(by_name));
  auto paging = indexes.Find(by_name, 100, [](int64_t) { return 300; });
  REQUIRE(paging);
  CHECK_FALSE(paging->ranks);
  CHECK_FALSE(paging->moved);
  CHECK(paging->total == 701);
  CHECK(paging->anchor->rank == 256);
  CHECK(found->ranks->Of(3) == 300);
}

TEST_CASE("PositionIndexes: ranks are not built again for an order within the age of its last",
          "[store][positions]") {
  const int64_t age = PositionIndexes::kMaxAgeSeconds;
  PositionIndexes indexes;
  const PositionIndexes::Order by_name{RecordKind::kAsset, RecordSort::kName, false};
  const PositionIndexes::Order by_type{RecordKind::kAsset, RecordSort::kDetail2, false};
  CHECK(indexes.MayBuildRanks(by_name, 1000));  // never built with ranks
  PutBuilt(indexes, by_name, Sample(), 1000);   // built for paging: no ranks
  CHECK(indexes.MayBuildRanks(by_name, 1001));
  PutBuilt(indexes, by_name, Ranked(), 1002);
  CHECK_FALSE(indexes.MayBuildRanks(by_name, 1002));
  CHECK_FALSE(indexes.MayBuildRanks(by_name, 1002 + age - 1));
  CHECK(indexes.MayBuildRanks(by_name, 1002 + age));
  CHECK(indexes.MayBuildRanks(by_type, 1002));  // each order on its own
  PutBuilt(indexes, by_name, Ranked(), 2000);
  CHECK_FALSE(indexes.MayBuildRanks(by_name, 2001));
}

TEST_CASE("PositionIndexes: an old or worn index serves, due for a rebuild, until past serving",
          "[store][positions]") {
  const PositionIndexes::Order order{RecordKind::kAsset, RecordSort::kName, false};
  const auto first = [](int64_t) { return int64_t{0}; };
  PositionIndexes indexes;
  PutBuilt(indexes, order, Sample(), 1000);
  const int64_t max_age = PositionIndexes::kMaxAgeSeconds;
  CHECK_FALSE(indexes.Find(order, 1000 + max_age, first)->refresh);
  CHECK(indexes.Find(order, 1000 + max_age + 1, first)->refresh);  // old: due
  CHECK(indexes.Find(order, 1000 + 4 * max_age, first)->total == 700);
  CHECK_FALSE(indexes.Find(order, 1000 + 4 * max_age + 1, first));  // past serving: gone
  CHECK_FALSE(indexes.Find(order, 1000, first));

  // Worn by rows piling up at one end: due; far more: gone.
  PutBuilt(indexes, order, Sample(), 1000);
  int64_t id = 1000;
  const auto pile = [&](int64_t rows) {
    PositionIndexes::Changes changes;
    for (int64_t i = 0; i < rows; ++i)
      changes.Add(RecordKind::kAsset, std::nullopt, Named(++id, "z"));
    REQUIRE(indexes.Commit(changes, [] { return deskgate::Status::Ok(); }).ok());
  };
  pile(PositionIndex::kMaxGap);
  REQUIRE(indexes.Find(order, 1000, first));
  CHECK(indexes.Find(order, 1000, first)->refresh);
  for (int i = 0; i < 6; ++i) pile(PositionIndex::kMaxGap);
  REQUIRE(indexes.Find(order, 1000, first));  // 7 * kMaxGap + 188 rows past "d"
  pile(PositionIndex::kMaxGap);
  CHECK_FALSE(indexes.Find(order, 1000, first));
}

TEST_CASE("PositionIndex: many rows moved in one sweep rank the anchors as one by one",
          "[store][positions]") {
  // 2,000 rows named "k0000".."k1999" (ids as numbers), an anchor every 64.
  const auto at = [](int n, int64_t id) {
    char name[8];
    std::snprintf(name, sizeof name, "k%04d", n);
    return SortPosition{std::string(name), id};
  };
  std::vector<PositionIndex::Anchor> anchors;
  for (int n = 0; n < 2000; n += PositionIndex::kSpacing) anchors.push_back({at(n, n), n});
  PositionIndex one_by_one(anchors, 2000), swept(anchors, 2000);
  std::vector<SortPosition> removed, added;
  uint32_t seed = 7;
  const auto next = [&seed](int n) {
    seed = seed * 1103515245u + 12345u;
    return static_cast<int>((seed >> 8) % static_cast<uint32_t>(n));
  };
  for (int i = 0; i < 700; ++i) {
    // Rows leave from anywhere (anchors' own rows too) and join anywhere,
    // between rows and at an anchor's exact value with other ids.
    const int from = next(2000);
    removed.push_back(at(from, from));
    one_by_one.Remove(removed.back());
    const int to = next(2100);
    added.push_back(at(to, 5000 + i));
    one_by_one.Add(added.back());
  }
  swept.Move(removed, added);
  CHECK(swept.total() == one_by_one.total());
  CHECK(swept.worn() == one_by_one.worn());
  for (int64_t offset = 0; offset < swept.total(); ++offset) {
    INFO(offset);
    const auto a = swept.Before(offset), b = one_by_one.Before(offset);
    REQUIRE(a.has_value() == b.has_value());
    if (a) {
      CHECK(a->at == b->at);
      CHECK(a->rank == b->rank);
    }
  }
}

TEST_CASE(
    "PositionIndexes: a write of thousands of rows adjusts the indexes; edits in place "
    "leave them unworn",
    "[store][positions]") {
  PositionIndexes indexes;
  const PositionIndexes::Order order{RecordKind::kAsset, RecordSort::kName, false};
  PutBuilt(indexes, order, Sample(), 100);
  PositionIndexes::Changes bulk;
  for (int64_t i = 0; i < 5000; ++i)
    bulk.Add(RecordKind::kAsset, std::nullopt, Named(1000 + i, "c"));
  REQUIRE(indexes.Commit(bulk, [] { return deskgate::Status::Ok(); }).ok());
  auto found = indexes.Find(order, 100, [](int64_t total) { return total - 1; });
  REQUIRE(found);  // kept, adjusted: 5,000 rows joined between "b" and "d"
  CHECK(found->total == 5700);
  CHECK(found->anchor->at == At("d", 4));
  CHECK(found->anchor->rank == 5512);
  CHECK(found->refresh);  // 5,000 rows between two anchors: due for a rebuild

  // Rows edited without moving in the order (notes) leave the index as it was.
  PutBuilt(indexes, order, Sample(), 100);
  for (int round = 0; round < 40; ++round) {
    PositionIndexes::Changes edits;
    for (int64_t i = 0; i < 1000; ++i) edits.Add(RecordKind::kAsset, Named(2, "b"), Named(2, "b"));
    REQUIRE(indexes.Commit(edits, [] { return deskgate::Status::Ok(); }).ok());
  }
  found = indexes.Find(order, 100, [](int64_t) { return int64_t{256}; });
  REQUIRE(found);
  CHECK_FALSE(found->refresh);  // 80,000 adjustments would have worn it
  CHECK(found->anchor->rank == 256);
}

TEST_CASE("PositionIndexes: a reader's read begins in the same step as its snapshot",
          "[store][positions]") {
  PositionIndexes indexes;
  const PositionIndexes::Order order{RecordKind::kAsset, RecordSort::kName, false};
  PutBuilt(indexes, order, Sample(), 100);
  const auto first = [](int64_t) { return int64_t{0}; };

  // A commit asked for while the read begins lands after it: the snapshot
  // counts the rows as they were when the read began.
  std::atomic<bool> committed = false;
  deskgate::Status commit = deskgate::Status::Ok();  // Catch asserts on this thread only
  std::thread writer;
  auto found = indexes.Find(order, 100, first, [&] {
    writer = std::thread([&] {
      PositionIndexes::Changes joined;
      joined.Add(RecordKind::kAsset, std::nullopt, Named(9, "a2"));
      commit = indexes.Commit(joined, [&] {
        committed = true;
        return deskgate::Status::Ok();
      });
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK_FALSE(committed);
    return deskgate::Status::Ok();
  });
  writer.join();
  CHECK(commit.ok());
  CHECK(committed);
  REQUIRE(found);
  CHECK(found->total == 700);
  CHECK(indexes.Find(order, 100, first)->total == 701);

  // A read that cannot begin gives no snapshot.
  CHECK_FALSE(indexes.Find(order, 100, first, [] { return deskgate::Status::Error("busy"); }));
}
