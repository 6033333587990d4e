// Runs deskgate as a child process for API and CLI tests.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace deskgate::testing {

// The deskgate binary under test (DESKGATE_BIN, set by CMake).
std::string DeskgateBinary();

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `args` to completion with `input` on stdin.
RunResult Run(const std::vector<std::string>& args, const std::string& input = "");

// Starts `args` without waiting (output discarded); Reap() waits for it
// and answers its exit code (-1 when a signal ended it).
pid_t Start(const std::vector<std::string>& args);
int Reap(pid_t pid);

// A `deskgate serve` on an ephemeral port with a database in a temporary
// folder; stopped with SIGTERM on destruction.
class ServerProcess {
 public:
  explicit ServerProcess(std::vector<std::string> extra_args = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& dir() const { return dir_; }
  const std::string& db_path() const { return db_path_; }
  // Sends SIGTERM and waits; returns the exit status (or -1 if killed).
  int Stop();
  // Ends it with SIGKILL at once (a crash), and waits.
  void Kill();
  // Everything the server printed on stdout so far.
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int stdout_fd_ = -1;
  std::string dir_;
  std::string db_path_;
  std::string output_;
};

}  // namespace deskgate::testing
