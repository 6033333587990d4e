#include "server/cli/database_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace deskgate::cli {

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
