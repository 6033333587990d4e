#include "server/cli/master_key.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace deskgate::cli {

std::string KeyFileBeside(const std::string& db_path) {
  const std::filesystem::path dir = std::filesystem::path(db_path).parent_path();
  return (dir / "master.key").string();
}

Result<crypto::SecretBox> OpenMasterKey(store::SealedStore& store, const std::string& key_file) {
  auto recorded = store.KeyFingerprint();
  if (!recorded.ok()) return recorded.status();
  const bool from_environment = std::getenv("DESKGATE_MASTER_KEY") != nullptr;
  std::error_code ec;
  if (recorded.value() && !from_environment && !std::filesystem::exists(key_file, ec)) {
    return Status::Error("no master key at " + key_file +
                         "; this database's secrets are sealed under one (restore the key "
                         "file, or a key bundle with deskgate restore --key-bundle)");
  }
  auto box = crypto::SecretBox::Load(key_file);
  if (!box.ok()) return box.status();
  if (!recorded.value()) {
    if (Status s = store.RecordKeyFingerprint(box.value().Fingerprint()); !s.ok()) return s;
    return box;
  }
  if (*recorded.value() == box.value().Fingerprint()) return box;
  // A rotation committed its new key to the database but was stopped
  // before the key file's rename: finish it.
  const std::string rotated = key_file + ".new";
  if (!from_environment && std::filesystem::exists(rotated, ec)) {
    auto next = crypto::SecretBox::LoadFile(rotated);
    if (next.ok() && next.value().Fingerprint() == *recorded.value()) {
      std::filesystem::rename(rotated, key_file, ec);
      if (ec) return Status::Error("cannot finish the key rotation: " + ec.message());
      return next;
    }
  }
  return Status::Error(std::string("the master key ") +
                       (from_environment ? "in DESKGATE_MASTER_KEY" : "at " + key_file) +
                       " is not the key this database's secrets are sealed under");
}

Result<DatabaseLock> DatabaseLock::Shared(const std::string& db_path) {
  return Take(db_path, false);
}

Result<DatabaseLock> DatabaseLock::Exclusive(const std::string& db_path) {
  return Take(db_path, true);
}

Result<DatabaseLock> DatabaseLock::Take(const std::string& db_path, bool exclusive) {
  const int fd = ::open(db_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return DatabaseLock(-1);  // no database yet: nobody serves it
  if (::flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
    ::close(fd);
    return Status::Error(exclusive
                             ? "a deskgate server is running on " + db_path + "; stop it first"
                             : "a command that needs " + db_path +
                                   " to itself is running (restore or rotate-key)");
  }
  return DatabaseLock(fd);
}

DatabaseLock::~DatabaseLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

}  // namespace deskgate::cli
