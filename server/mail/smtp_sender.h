// SmtpSender delivers one plain-text message per call to an SMTP relay with
// libcurl. It builds an RFC 5322 message (CRLF line endings; Date, From, To,
// Subject, Message-ID and MIME headers; a non-ASCII subject or display name
// as RFC 2047 encoded-words; the body as 7bit or 8bit text, or as
// quoted-printable when a line is too long for SMTP), refuses CR or LF in any
// header value, and with STARTTLS sends nothing unless the server upgrades to
// TLS with a certificate that verifies for the host.
// A failure is a one-line Status naming curl's reason and the server's reply
// code; it never contains the message body or the password.
// Safe to call from several threads at once: each Send uses its own handle.
#pragma once

#include <string>

#include "shared/core/status.h"

namespace deskgate::mail {

struct SmtpConfig {
  std::string host;
  int port = 25;
  bool starttls = false;  // require STARTTLS; never fall back to plain text
  std::string username;   // AUTH only when non-empty
  std::string password;
  std::string from;  // "addr@example.com" or "Display Name <addr@example.com>"
  int timeout_seconds = 10;
  std::string ca_file;  // PEM bundle to trust instead of the system's
};

struct MailMessage {
  std::string to;  // "addr@example.com" or "Display Name <addr@example.com>"
  std::string subject;
  std::string body;  // plain text, UTF-8
};

class SmtpSender {
 public:
  explicit SmtpSender(SmtpConfig config);

  // Sends `m`. Its Message-ID is <random@domain> and the client introduces
  // itself as `domain` in EHLO, where `domain` is `message_id_domain` or,
  // when that is empty, the domain of the sender's address. Blocks for at
  // most about timeout_seconds.
  Status Send(const MailMessage& m, const std::string& message_id_domain) const;

 private:
  SmtpConfig config_;
};

}  // namespace deskgate::mail
