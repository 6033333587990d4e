// Clock: where services read the time. Tests start the server with a
// clock they can move (see --clock-file) to check timeouts and expiry.
#pragma once

#include <chrono>
#include <cstdint>
#include <fstream>
#include <string>

namespace deskgate::services {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t Now() const = 0;  // Unix seconds
};

class SystemClock : public Clock {
 public:
  int64_t Now() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// The system time plus an offset in seconds read from a file on each call;
// for tests only (enabled by `serve --clock-file`).
class OffsetFileClock : public Clock {
 public:
  explicit OffsetFileClock(std::string path) : path_(std::move(path)) {}
  int64_t Now() const override {
    int64_t offset = 0;
    std::ifstream(path_) >> offset;
    return SystemClock().Now() + offset;
  }

 private:
  std::string path_;
};

}  // namespace deskgate::services
