// AccessLog: one JSON line per answered request, appended to a file or
// written to stdout (for journald). Reopen() lets log rotation move the
// file away and have a new one started (SIGHUP).
//
// Lines carry what an operator needs to follow a request (request id,
// method, route, status, duration, client address) and never cookies,
// queries, bodies or the raw path, which may hold tokens.
//
// Thread safety: Write() and Reopen() may be called from any thread.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>

#include "shared/core/status.h"

namespace deskgate::observe {

class AccessLog {
 public:
  AccessLog() = default;
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  // `target`: "" writes nothing, "-" writes to stdout, anything else is a
  // file appended to (created for deskgate's user only).
  Status Open(const std::string& target);
  // Opens the file again by its name (after rotation); stdout is kept.
  Status Reopen();
  bool enabled() const { return !target_.empty(); }
  // Appends `line` and a newline, whole.
  void Write(const std::string& line);

 private:
  Status OpenLocked();

  std::mutex mutex_;
  std::string target_;
  std::FILE* file_ = nullptr;  // stdout or a file of our own
};

}  // namespace deskgate::observe
