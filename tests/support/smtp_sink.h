// A real SMTP server for tests: tests/support/smtp_sink.py (Python aiosmtpd)
// on 127.0.0.1 and an ephemeral port, keeping every message it receives in a
// temporary folder. The constructor returns once the server accepts
// connections (or throws); the destructor stops it and removes the folder.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "temp_dir.h"

namespace deskgate::testing {

// What the client said in EHLO, MAIL FROM and RCPT TO for one message.
struct SmtpEnvelope {
  std::string from;
  std::vector<std::string> to;
  std::string helo;
};

struct SmtpSinkOptions {
  // "USER:PASS": refuse mail until the client authenticates with AUTH PLAIN
  // or LOGIN (allowed over plain text: this is loopback).
  std::string auth;
  // Offer STARTTLS with a throwaway self-signed certificate for 127.0.0.1
  // and localhost (see ca_file()), and refuse mail sent without it.
  bool tls = false;
  // The port to listen on; 0 picks a free one.
  int port = 0;
};

class SmtpSink {
 public:
  explicit SmtpSink(SmtpSinkOptions options = {});
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }
  // The PEM certificate a client must trust when `tls` is on.
  std::string ca_file() const { return (dir_.path() / "tls-cert.pem").string(); }

  // The raw texts (CRLF line endings, dot-unstuffed) of the messages
  // received so far, in arrival order.
  std::vector<std::string> Messages() const;
  // Their envelopes, in the same order.
  std::vector<SmtpEnvelope> Envelopes() const;

  // Waits until at least `n` messages have arrived; false on timeout.
  bool WaitForMessages(size_t n, std::chrono::milliseconds timeout) const;

 private:
  void Stop();
  std::vector<nlohmann::json> Index() const;

  TempDir dir_;  // the messages; removed after the destructor stopped the sink
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace deskgate::testing
