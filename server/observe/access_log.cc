#include "server/observe/access_log.h"

#include <cerrno>
#include <cstring>

#include "server/observe/metrics.h"

namespace deskgate::observe {

AccessLog::~AccessLog() {
  if (file_ && file_ != stdout) std::fclose(file_);
}

Status AccessLog::Open(const std::string& target) {
  std::lock_guard lock(mutex_);
  target_ = target;
  return OpenLocked();
}

Status AccessLog::Reopen() {
  std::lock_guard lock(mutex_);
  return OpenLocked();
}

Status AccessLog::OpenLocked() {
  if (target_.empty() || target_ == "-") {
    file_ = target_.empty() ? nullptr : stdout;
    return Status::Ok();
  }
  std::FILE* opened = std::fopen(target_.c_str(), "a");
  // The old file stays in use when the new one cannot be opened: a line
  // written there is better than none.
  if (!opened) {
    return Status::Error("access log " + target_ + ": " + std::strerror(errno));
  }
  if (file_ && file_ != stdout) std::fclose(file_);
  file_ = opened;
  return Status::Ok();
}

void AccessLog::Write(const std::string& line) {
  std::lock_guard lock(mutex_);
  if (!file_) return;
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() ||
      std::fputc('\n', file_) == EOF || std::fflush(file_) != 0) {
    Count(Counter::kAccessLogFailures);
  }
}

}  // namespace deskgate::observe
