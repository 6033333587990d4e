// Rotation, step by step, and what a crash at each step leaves:
//  1. the new key is written to KEY.new (synced) — a crash leaves the
//     database and KEY as they were; KEY.new is replaced next time;
//  2. every sealed value is re-sealed and the new key's fingerprint
//     recorded, in one transaction — a crash before its commit changes
//     nothing; after it, the database needs the new key, still at KEY.new,
//     and the next start (or rotate-key) moves it into place;
//  3. the old key is kept at KEY.old (backups taken before need it), and
//     KEY.new is renamed over KEY (atomic).
#include "server/cli/key_command.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "server/cli/args.h"
#include "server/cli/database_lock.h"
#include "server/cli/store_box.h"
#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::cli {

int RunRotateKeyCommand(const std::vector<std::string>& args) {
  auto parsed = Args::Parse(args, {"db", "key-file"});
  if (!parsed.ok()) return Fail(kExitUsage, parsed.error());
  const Args& a = parsed.value();
  if (std::getenv("DESKGATE_MASTER_KEY")) {
    return Fail(kExitUsage,
                "rotate-key writes the key file; unset DESKGATE_MASTER_KEY and use --key-file");
  }
  const std::string db = a.GetOr("db", "data/deskgate.db");
  const std::string key_file = a.GetOr("key-file", KeyFileBeside(db));
  std::error_code ec;
  if (!std::filesystem::exists(db, ec)) return Fail(kExitFailure, "no database at " + db);
  auto lock = DatabaseLock::Exclusive(db);
  if (!lock.ok()) return Fail(kExitFailure, lock.error());
  auto opened = store::SqliteStore::Open(db);
  if (!opened.ok()) return Fail(kExitFailure, opened.error());
  store::SqliteStore& store = *opened.value();
  auto old_key = OpenMasterKey(store, key_file);  // finishes an interrupted rotation
  if (!old_key.ok()) return Fail(kExitFailure, old_key.error());

  const crypto::SecretBox new_key = crypto::SecretBox::Generate();
  const std::string next = key_file + ".new";
  std::filesystem::remove(next, ec);
  if (Status s = new_key.WriteKeyFile(next); !s.ok()) return Fail(kExitFailure, s.message());
  int resealed = 0;
  Status s = store.ResealAll(
      [&](const std::vector<uint8_t>& sealed) -> Result<std::vector<uint8_t>> {
        auto plain = old_key.value().Open(sealed);
        if (!plain.ok()) return plain.status();
        ++resealed;
        return new_key.Seal(plain.value().view());
      },
      new_key.Fingerprint());
  if (!s.ok()) {
    std::filesystem::remove(next, ec);
    return Fail(kExitFailure, "nothing changed: " + s.message());
  }
  const std::string previous = key_file + ".old";
  std::filesystem::remove(previous, ec);
  std::filesystem::create_hard_link(key_file, previous, ec);
  std::filesystem::rename(next, key_file, ec);
  if (ec)
    return Fail(kExitFailure, "the database uses the new key at " + next +
                                  ", which could not replace " + key_file + ": " + ec.message());
  std::printf(
      "re-sealed %d secrets under a new master key at %s; the previous key is at %s "
      "(backups taken before now need it). Codes sent by email before now no longer work.\n",
      resealed, key_file.c_str(), previous.c_str());
  return kExitOk;
}

}  // namespace deskgate::cli
