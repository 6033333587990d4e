#include "server/cli/backup_command.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "server/cli/args.h"
#include "server/cli/database_lock.h"
#include "server/cli/store_box.h"
#include "server/crypto/secret_box.h"
#include "server/store/sqlite/backup.h"
#include "server/store/sqlite/migrations.h"

namespace deskgate::cli {
namespace {

constexpr size_t kMinPassphrase = 12;

// The words before the flags ("OUT", "BACKUP"), and the flags.
struct CommandLine {
  std::vector<std::string> words;
  Args flags;
};

Result<CommandLine> ParseCommandLine(const std::vector<std::string>& args,
                                     std::initializer_list<std::string_view> known) {
  std::vector<std::string> words, flags;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].rfind("--", 0) == 0) {
      flags.push_back(args[i]);
      if (args[i].find('=') == std::string::npos && i + 1 < args.size()) flags.push_back(args[++i]);
    } else {
      words.push_back(args[i]);
    }
  }
  auto parsed = Args::Parse(flags, known);
  if (!parsed.ok()) return parsed.status();
  return CommandLine{std::move(words), std::move(parsed).value()};
}

// The bundle's passphrase: DESKGATE_BUNDLE_PASSPHRASE, else stdin's first line.
Result<std::string> ReadPassphrase() {
  std::string passphrase;
  if (const char* env = std::getenv("DESKGATE_BUNDLE_PASSPHRASE")) {
    passphrase = env;
  } else {
    std::getline(std::cin, passphrase);
    if (!passphrase.empty() && passphrase.back() == '\r') passphrase.pop_back();
  }
  if (passphrase.size() < kMinPassphrase) {
    return Status::Error(
        "the key bundle's passphrase (stdin or DESKGATE_BUNDLE_PASSPHRASE) "
        "must be at least 12 characters");
  }
  return passphrase;
}

Result<crypto::SecretBox> KeyFromBundle(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::Error("cannot read the key bundle " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto passphrase = ReadPassphrase();
  if (!passphrase.ok()) return passphrase.status();
  return crypto::SecretBox::ImportBundle(text.str(), passphrase.value());
}

// DESKGATE_MASTER_KEY, else the existing key file (never created here).
Result<crypto::SecretBox> ExistingKey(const std::string& key_file) {
  if (std::getenv("DESKGATE_MASTER_KEY")) return crypto::SecretBox::Load(key_file);
  return crypto::SecretBox::LoadFile(key_file);
}

struct SealedCount {
  int total = 0;
  int failed = 0;
  std::string first_failure;  // where
};

Result<SealedCount> OpenEverySealed(const std::string& db_path, const crypto::SecretBox& box) {
  auto db = store::Database::OpenReadOnly(db_path);
  if (!db.ok()) return db.status();
  SealedCount count;
  Status s = store::ForEachSealedIn(
      db.value(), [&](std::string_view where, const std::vector<uint8_t>& sealed) {
        ++count.total;
        if (!box.Open(sealed).ok() && count.failed++ == 0) count.first_failure = where;
      });
  if (!s.ok()) return s;
  return count;
}

std::string Megabytes(const std::string& path) {
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(path, ec);
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", ec ? 0.0 : static_cast<double>(bytes) / 1e6);
  return text;
}

}  // namespace

int RunBackupCommand(const std::vector<std::string>& args) {
  auto line = ParseCommandLine(args, {"db", "key-file", "key-bundle"});
  if (!line.ok()) return Fail(kExitUsage, line.error());
  if (line.value().words.size() != 1) {
    return Fail(kExitUsage,
                "usage: deskgate backup [--db FILE] [--key-bundle BUNDLE [--key-file KEY]] OUT");
  }
  const Args& a = line.value().flags;
  const std::string db = a.GetOr("db", "data/deskgate.db");
  const std::string out = line.value().words[0];
  const std::string key_file = a.GetOr("key-file", KeyFileBeside(db));
  std::optional<std::string> passphrase;
  if (a.Get("key-bundle")) {
    auto read = ReadPassphrase();
    if (!read.ok()) return Fail(kExitUsage, read.error());
    passphrase = std::move(read).value();
  }
  if (Status s = store::BackupDatabase(db, out); !s.ok()) return Fail(kExitFailure, s.message());
  std::printf("backed up %s to %s (%s)\n", db.c_str(), out.c_str(), Megabytes(out).c_str());
  if (!passphrase) {
    std::fprintf(stderr,
                 "deskgate: warning: the backup's secrets (authenticator keys, recovery codes, "
                 "SSO client secrets) are sealed under the master key, which is not in it. Keep "
                 "%s safe apart from the backup, or add --key-bundle FILE to write it sealed "
                 "under a passphrase.\n",
                 key_file.c_str());
    return kExitOk;
  }
  auto key = ExistingKey(key_file);
  if (!key.ok()) return Fail(kExitFailure, key.error());
  const std::string bundle_path = *a.Get("key-bundle");
  std::ofstream bundle(bundle_path, std::ios::trunc);
  bundle << key.value().ExportBundle(*passphrase);
  if (!bundle.flush()) return Fail(kExitFailure, "cannot write the key bundle " + bundle_path);
  std::printf("wrote the master key, sealed under the passphrase, to %s\n", bundle_path.c_str());
  return kExitOk;
}

int RunVerifyCommand(const std::vector<std::string>& args) {
  auto line = ParseCommandLine(args, {"db", "key-file", "key-bundle"});
  if (!line.ok()) return Fail(kExitUsage, line.error());
  const Args& a = line.value().flags;
  if (line.value().words.size() > 1 || (line.value().words.size() == 1 && a.Get("db"))) {
    return Fail(kExitUsage,
                "usage: deskgate verify [--key-file KEY | --key-bundle BUNDLE] "
                "[--db] FILE");
  }
  const std::string db =
      line.value().words.empty() ? a.GetOr("db", "data/deskgate.db") : line.value().words[0];
  auto check = store::CheckDatabase(db);
  if (!check.ok()) return Fail(kExitFailure, check.error());
  const store::DatabaseCheck& c = check.value();
  int problems = 0;
  auto report = [&](bool ok, const std::string& what, const std::string& detail) {
    std::printf("%-12s %s%s%s\n", (what + ":").c_str(), ok ? "ok" : "FAILED",
                detail.empty() ? "" : " ", detail.c_str());
    if (!ok) ++problems;
  };
  std::string errors;
  for (const std::string& e : c.integrity_errors) errors += (errors.empty() ? "" : "; ") + e;
  report(c.integrity_ok, "integrity", errors);
  if (!c.readable) return Fail(kExitFailure, db + " failed verification");
  report(c.foreign_key_violations == 0, "references",
         c.foreign_key_violations ? std::to_string(c.foreign_key_violations) + " broken" : "");
  const int latest = store::SchemaMigrations().back().version;
  report(c.schema_version <= latest, "schema",
         "version " + std::to_string(c.schema_version) +
             (c.schema_version == latest ? " (current)"
              : c.schema_version < latest
                  ? " (deskgate serve migrates it to " + std::to_string(latest) + ")"
                  : " (newer than this deskgate, " + std::to_string(latest) + ")"));
  auto key = a.Get("key-bundle") ? KeyFromBundle(*a.Get("key-bundle"))
                                 : ExistingKey(a.GetOr("key-file", KeyFileBeside(db)));
  if (!key.ok()) {
    // A database no server has run on yet holds no secrets to check.
    auto sealed = OpenEverySealed(db, crypto::SecretBox::Generate());
    const bool nothing_sealed = !c.key_fingerprint && sealed.ok() && sealed.value().total == 0;
    report(nothing_sealed, "master key", nothing_sealed ? "no sealed values yet" : key.error());
  } else if (c.key_fingerprint && *c.key_fingerprint != key.value().Fingerprint()) {
    report(false, "master key", "not the key this database is sealed under");
  } else {
    auto sealed = OpenEverySealed(db, key.value());
    if (!sealed.ok()) {
      report(false, "master key", sealed.error());
    } else if (sealed.value().failed > 0) {
      report(false, "master key",
             std::to_string(sealed.value().failed) + " of " + std::to_string(sealed.value().total) +
                 " sealed values do not open (first in " + sealed.value().first_failure + ")");
    } else {
      report(true, "master key",
             "opens all " + std::to_string(sealed.value().total) + " sealed values");
    }
  }
  if (problems > 0) return Fail(kExitFailure, db + " failed verification");
  std::printf("%s: OK\n", db.c_str());
  return kExitOk;
}

int RunRestoreCommand(const std::vector<std::string>& args) {
  auto line = ParseCommandLine(args, {"db", "key-file", "key-bundle"});
  if (!line.ok()) return Fail(kExitUsage, line.error());
  if (line.value().words.size() != 1) {
    return Fail(
        kExitUsage,
        "usage: deskgate restore [--db FILE] [--key-file KEY] [--key-bundle BUNDLE] BACKUP");
  }
  const Args& a = line.value().flags;
  const std::string db = a.GetOr("db", "data/deskgate.db");
  const std::string backup = line.value().words[0];
  const std::string key_file = a.GetOr("key-file", KeyFileBeside(db));
  auto lock = DatabaseLock::Exclusive(db);
  if (!lock.ok()) return Fail(kExitFailure, lock.error());

  auto check = store::CheckDatabase(backup);
  if (!check.ok()) return Fail(kExitFailure, check.error());
  if (!check.value().integrity_ok)
    return Fail(kExitFailure, backup + " is damaged (integrity check failed)");
  if (check.value().schema_version > store::SchemaMigrations().back().version) {
    return Fail(kExitFailure, backup + " comes from a newer deskgate");
  }
  const bool from_bundle = a.Get("key-bundle").has_value();
  auto key = from_bundle ? KeyFromBundle(*a.Get("key-bundle")) : ExistingKey(key_file);
  if (!key.ok()) return Fail(kExitFailure, key.error());
  if (check.value().key_fingerprint &&
      *check.value().key_fingerprint != key.value().Fingerprint()) {
    return Fail(kExitFailure,
                from_bundle ? "the key bundle does not hold the key " + backup + " is sealed under"
                            : backup + " is sealed under another master key than " + key_file +
                                  "; give its --key-bundle");
  }
  auto sealed = OpenEverySealed(backup, key.value());
  if (!sealed.ok()) return Fail(kExitFailure, sealed.error());
  if (sealed.value().failed > 0) {
    return Fail(kExitFailure, std::to_string(sealed.value().failed) +
                                  " sealed values of the backup do not open with that key");
  }
  if (Status s = store::RestoreDatabase(backup, db); !s.ok())
    return Fail(kExitFailure, s.message());
  if (from_bundle) {
    // The key the restored secrets need; a different key file is kept aside.
    std::error_code ec;
    if (std::filesystem::exists(key_file, ec)) {
      auto current = crypto::SecretBox::LoadFile(key_file);
      if (!current.ok() || current.value().Fingerprint() != key.value().Fingerprint()) {
        std::filesystem::rename(key_file, key_file + ".before-restore", ec);
        if (ec) return Fail(kExitFailure, "cannot move the old key file aside: " + ec.message());
      }
    }
    if (!std::filesystem::exists(key_file, ec)) {
      if (Status s = key.value().WriteKeyFile(key_file); !s.ok())
        return Fail(kExitFailure, s.message());
    }
  }
  std::printf("restored %s from %s (schema version %d, %d sealed values open with the key)\n",
              db.c_str(), backup.c_str(), check.value().schema_version, sealed.value().total);
  return kExitOk;
}

}  // namespace deskgate::cli
