#include "smtp_sink.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace deskgate::testing {
namespace {

constexpr const char* kPython = "/usr/bin/python3";  // sees Debian's python3-aiosmtpd

std::string SinkScript() {
  return std::string(DESKGATE_SOURCE_DIR) + "/tests/support/smtp_sink.py";
}

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

pid_t Spawn(const std::vector<std::string>& args, int out) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out, 1);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + args[0]);
  return pid;
}

// Reads from `fd` until "listening PORT" appears; 0 if it does not within 10 s.
int ReadPort(int fd) {
  static const std::regex ready(R"(listening (\d+)\n)");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string output;
  std::smatch match;
  char buffer[256];
  while (!std::regex_search(output, match, ready)) {
    pollfd p = {fd, POLLIN, 0};
    if (std::chrono::steady_clock::now() > deadline || poll(&p, 1, 200) < 0) return 0;
    if (!(p.revents & (POLLIN | POLLHUP))) continue;
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) return 0;  // the sink exited
    output.append(buffer, static_cast<size_t>(n));
  }
  return std::stoi(match[1]);
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

SmtpSink::SmtpSink(SmtpSinkOptions options) {
  std::vector<std::string> args = {kPython, SinkScript(), "--port", std::to_string(options.port),
                                   "--out", dir_.path()};
  if (!options.auth.empty()) args.insert(args.end(), {"--auth", options.auth});
  if (options.tls) args.push_back("--tls");
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  Fd read_end(fds[0]);
  {
    Fd write_end(fds[1]);
    pid_ = Spawn(args, write_end.get());
  }
  port_ = ReadPort(read_end.get());
  if (port_ == 0) {
    Stop();
    throw std::runtime_error("the SMTP sink did not start (is python3-aiosmtpd installed?)");
  }
}

SmtpSink::~SmtpSink() {
  Stop();
}

void SmtpSink::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (waitpid(pid_, nullptr, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
}

std::vector<nlohmann::json> SmtpSink::Index() const {
  // The sink appends an index line only after the message file is complete;
  // a line without its newline is still being written.
  const std::string index = ReadFile(dir_.path() / "index.jsonl");
  std::vector<nlohmann::json> entries;
  size_t start = 0;
  for (size_t end; (end = index.find('\n', start)) != std::string::npos; start = end + 1) {
    entries.push_back(nlohmann::json::parse(index.substr(start, end - start)));
  }
  return entries;
}

std::vector<std::string> SmtpSink::Messages() const {
  std::vector<std::string> messages;
  for (const auto& entry : Index()) {
    messages.push_back(ReadFile(dir_.path() / entry.at("file").get<std::string>()));
  }
  return messages;
}

std::vector<SmtpEnvelope> SmtpSink::Envelopes() const {
  std::vector<SmtpEnvelope> envelopes;
  for (const auto& entry : Index()) {
    envelopes.push_back({entry.at("from").get<std::string>(),
                         entry.at("to").get<std::vector<std::string>>(),
                         entry.at("helo").get<std::string>()});
  }
  return envelopes;
}

bool SmtpSink::WaitForMessages(size_t n, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (Index().size() < n) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace deskgate::testing
