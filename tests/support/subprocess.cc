#include "subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace deskgate::testing {
namespace {

struct Pipe {
  int read = -1, write = -1;
  Pipe() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    read = fds[0];
    write = fds[1];
  }
};

pid_t Spawn(const std::vector<std::string>& args, int in, int out, int err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in, 0);
  posix_spawn_file_actions_adddup2(&actions, out, 1);
  posix_spawn_file_actions_adddup2(&actions, err, 2);
  const std::string binary = DeskgateBinary();
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + binary);
  return pid;
}

int WaitExit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::string DeskgateBinary() {
  const char* bin = std::getenv("DESKGATE_BIN");
  return bin ? bin : DESKGATE_BIN;
}

RunResult Run(const std::vector<std::string>& args, const std::string& input) {
  Pipe in, out, err;
  const pid_t pid = Spawn(args, in.read, out.write, err.write);
  close(in.read);
  close(out.write);
  close(err.write);
  // Feed stdin from a thread so a child that writes a lot cannot deadlock us.
  std::thread writer([&] {
    size_t sent = 0;
    while (sent < input.size()) {
      const ssize_t n = write(in.write, input.data() + sent, input.size() - sent);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    close(in.write);
  });
  RunResult result;
  pollfd fds[2] = {{out.read, POLLIN, 0}, {err.read, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  char buffer[4096];
  while (open_fds > 0) {
    poll(fds, 2, -1);
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  writer.join();
  result.exit_code = WaitExit(pid);
  return result;
}

ServerProcess::ServerProcess(std::vector<std::string> extra_args) {
  std::string pattern = (std::filesystem::temp_directory_path() / "deskgate-api-XXXXXX").string();
  dir_ = mkdtemp(pattern.data());
  db_path_ = dir_ + "/test.db";
  std::vector<std::string> args = {"serve", "--port", "0", "--db", db_path_};
  args.insert(args.end(), extra_args.begin(), extra_args.end());

  Pipe out;
  const int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  pid_ = Spawn(args, devnull, out.write, 2);
  close(devnull);
  close(out.write);
  stdout_fd_ = out.read;

  // Wait (at most 10 s) for the "serving at http://host:port/" line.
  static const std::regex ready(R"(serving at http://[^:]+:(\d+)/)");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  char buffer[1024];
  std::smatch match;
  while (!std::regex_search(output_, match, ready)) {
    pollfd fd = {stdout_fd_, POLLIN, 0};
    if (std::chrono::steady_clock::now() > deadline || poll(&fd, 1, 200) < 0) {
      Stop();
      throw std::runtime_error("server did not start");
    }
    if (fd.revents & (POLLIN | POLLHUP)) {
      const ssize_t n = read(stdout_fd_, buffer, sizeof buffer);
      if (n <= 0) throw std::runtime_error("server exited before it was ready");
      output_.append(buffer, static_cast<size_t>(n));
    }
  }
  port_ = std::stoi(match[1]);
}

pid_t Start(const std::vector<std::string>& args) {
  const int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  const pid_t pid = Spawn(args, devnull, devnull, devnull);
  close(devnull);
  return pid;
}

int Reap(pid_t pid) {
  return WaitExit(pid);
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  WaitExit(pid_);
  pid_ = -1;
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  const int code = WaitExit(pid_);
  pid_ = -1;
  char buffer[1024];
  ssize_t n;
  while ((n = read(stdout_fd_, buffer, sizeof buffer)) > 0) output_.append(buffer, n);
  return code;
}

ServerProcess::~ServerProcess() {
  Stop();
  if (stdout_fd_ >= 0) close(stdout_fd_);
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace deskgate::testing
