// The master key beside its database, and who may use the database while
// it changes hands.
//
// A database records the fingerprint of the key its secrets are sealed
// under (migration 15). Opening the key checks it, so a server started
// with the wrong key stops with a clear message instead of failing at
// every secret; and it finishes a key rotation that was cut short after
// its commit (the new key still at KEY.new).
#pragma once

#include <string>

#include "server/crypto/secret_box.h"
#include "server/store/sealed_store.h"
#include "shared/core/status.h"

namespace deskgate::cli {

// The master key's default home: beside the database, never inside it.
std::string KeyFileBeside(const std::string& db_path);

// DESKGATE_MASTER_KEY, or the key file (created for a database that
// records no key yet), checked against the database's fingerprint.
Result<crypto::SecretBox> OpenMasterKey(store::SealedStore& store, const std::string& key_file);

// A flock on the database file: servers hold it shared while they run;
// commands that must not run beside a server (restore, rotate-key) take
// it exclusively, and are refused while any server holds it.
class DatabaseLock {
 public:
  static Result<DatabaseLock> Shared(const std::string& db_path);
  static Result<DatabaseLock> Exclusive(const std::string& db_path);
  DatabaseLock(DatabaseLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DatabaseLock& operator=(DatabaseLock&&) = delete;
  ~DatabaseLock();

 private:
  explicit DatabaseLock(int fd) : fd_(fd) {}
  static Result<DatabaseLock> Take(const std::string& db_path, bool exclusive);
  int fd_ = -1;
};

}  // namespace deskgate::cli
