// DatabaseLock: who may use a database file while it changes hands.
#pragma once

#include <string>

#include "shared/core/status.h"

namespace deskgate::cli {

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
