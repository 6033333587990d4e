#include "server/cli/seed_command.h"

#include <cstdio>

#include "server/cli/args.h"
#include "server/services/clock.h"
#include "server/services/demo_data.h"
#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::cli {

int RunSeedCommand(const std::vector<std::string>& rest) {
  auto parsed = Args::Parse(rest, {"assets", "software", "seed", "db"}, {"if-empty"});
  if (!parsed.ok()) return Fail(kExitUsage, parsed.error());
  const Args& a = parsed.value();
  auto assets = a.GetInt("assets", 500, 0, 1'000'000);
  if (!assets.ok()) return Fail(kExitUsage, assets.error());
  auto software = a.GetInt("software", 200, 0, 1'000'000);
  if (!software.ok()) return Fail(kExitUsage, software.error());
  auto seed = a.GetInt("seed", 1, 0, 1'000'000'000);
  if (!seed.ok()) return Fail(kExitUsage, seed.error());

  auto opened = store::SqliteStore::Open(a.GetOr("db", "data/deskgate.db"));
  if (!opened.ok()) return Fail(kExitFailure, opened.error());
  store::SqliteStore& store = *opened.value();
  // Tags continue after the assets already there, so seeding twice works.
  store::RecordQuery count_only;
  count_only.limit = 1;
  auto existing = store.ListRecords(store::RecordKind::kAsset, count_only);
  if (!existing.ok()) return Fail(kExitFailure, existing.error());
  if (a.Get("if-empty") && existing.value().total > 0) {
    std::printf("the database already has assets; nothing added\n");
    return kExitOk;
  }
  const int64_t now = services::SystemClock().Now();
  auto added = store.Seed(
      services::MakeDemoData(assets.value(), software.value(), static_cast<uint64_t>(seed.value()),
                             existing.value().total),
      now, {now, std::nullopt, "agent", "records.seeded", "", "", "{}"});
  if (!added.ok()) return Fail(kExitFailure, added.error());
  std::printf("added %d assets and %d software records\n", assets.value(), software.value());
  return kExitOk;
}

}  // namespace deskgate::cli
