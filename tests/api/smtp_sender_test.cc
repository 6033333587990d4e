// SmtpSender against a real SMTP server (tests/support/smtp_sink.py).
#include "server/mail/smtp_sender.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <regex>

#include "../support/smtp_sink.h"

using deskgate::mail::MailMessage;
using deskgate::mail::SmtpConfig;
using deskgate::mail::SmtpSender;
using deskgate::testing::SmtpSink;

namespace {

constexpr std::chrono::seconds kWait(5);

SmtpConfig LocalConfig(int port) {
  SmtpConfig config;
  config.host = "127.0.0.1";
  config.port = port;
  config.from = "support@example.com";
  config.timeout_seconds = 5;
  return config;
}

// The unfolded value of the first header called `name` ("" if absent).
std::string Header(const std::string& message, const std::string& name) {
  const std::string head = "\r\n" + message.substr(0, message.find("\r\n\r\n") + 2);
  const size_t at = head.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  const size_t start = at + name.size() + 4;
  size_t end = head.find("\r\n", start);
  while (end + 2 < head.size() && head[end + 2] == ' ') end = head.find("\r\n", end + 2);
  return std::regex_replace(head.substr(start, end - start), std::regex("\r\n"), "");
}

std::string BodyOf(const std::string& message) {
  return message.substr(message.find("\r\n\r\n") + 4);
}

std::string Base64Decode(const std::string& text) {
  std::string bytes(text.size(), '\0');
  size_t length = 0;
  REQUIRE(sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(),
                            text.data(), text.size(), nullptr, &length, nullptr,
                            sodium_base64_VARIANT_ORIGINAL) == 0);
  bytes.resize(length);
  return bytes;
}

// Decodes a run of RFC 2047 "B" encoded-words (the space between them is not text).
std::string DecodeWords(const std::string& value) {
  static const std::regex word(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=\s*)");
  REQUIRE(std::regex_replace(value, word, "").empty());
  std::string text;
  for (std::sregex_iterator it(value.begin(), value.end(), word), end; it != end; ++it) {
    CHECK(it->length(0) - ((*it)[0].str().back() == ' ' ? 1 : 0) <= 75);
    text += Base64Decode((*it)[1]);
  }
  return text;
}

std::string DecodeQuotedPrintable(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=') {
      out += text[i];
    } else if (text.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;  // soft line break
    } else {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    }
  }
  return out;
}

bool HasBareLineFeed(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) return true;
  }
  return false;
}

// A loopback port on which nothing listens (bound once by us, then released).
int UnusedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  close(fd);
  return ntohs(address.sin_port);
}

}  // namespace

TEST_CASE("SmtpSender delivers a UTF-8 message with its headers intact", "[mail]") {
  SmtpSink sink;
  SmtpConfig config = LocalConfig(sink.port());
  config.from = "Équipe Support <support@example.com>";
  const std::string subject = "Ihr Anmeldecode – Grüße aus Zürich 🔐";
  const MailMessage message{"Jane Q. Doe <jane.doe@example.org>", subject,
                            "Hello Jane,\n\nYour code is 123456.\n.\n..two dots\r\nGrüße\rEnd"};

  const deskgate::Status sent = SmtpSender(config).Send(message, "mail.example.com");
  REQUIRE(sent.ok());
  REQUIRE(sink.WaitForMessages(1, kWait));

  const auto envelopes = sink.Envelopes();
  REQUIRE(envelopes.size() == 1);
  CHECK(envelopes[0].from == "support@example.com");
  CHECK(envelopes[0].to == std::vector<std::string>{"jane.doe@example.org"});
  CHECK(envelopes[0].helo == "mail.example.com");

  const std::string raw = sink.Messages().at(0);
  INFO(raw);
  CHECK_FALSE(HasBareLineFeed(raw));
  CHECK(std::regex_match(Header(raw, "Date"),
                         std::regex(R"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d )"
                                    R"((Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) )"
                                    R"(\d{4} \d\d:\d\d:\d\d \+0000)")));
  const std::string from = Header(raw, "From");
  REQUIRE(from.size() > 22);
  CHECK(from.substr(from.size() - 22) == " <support@example.com>");
  CHECK(DecodeWords(from.substr(0, from.size() - 22)) == "Équipe Support");
  CHECK(Header(raw, "To") == R"("Jane Q. Doe" <jane.doe@example.org>)");
  CHECK(Header(raw, "Subject").rfind("=?UTF-8?B?", 0) == 0);
  CHECK(DecodeWords(Header(raw, "Subject")) == subject);
  CHECK(std::regex_match(Header(raw, "Message-ID"),
                         std::regex(R"(<[A-Za-z0-9_-]{43}@mail\.example\.com>)")));
  CHECK(Header(raw, "MIME-Version") == "1.0");
  CHECK(Header(raw, "Content-Type") == "text/plain; charset=utf-8");
  CHECK(Header(raw, "Content-Transfer-Encoding") == "8bit");
  CHECK(BodyOf(raw) ==
        "Hello Jane,\r\n\r\nYour code is 123456.\r\n.\r\n..two dots\r\nGrüße\r\nEnd\r\n");
}

TEST_CASE("SmtpSender sends plain ASCII as is and gives each message its own id", "[mail]") {
  SmtpSink sink;
  const SmtpSender sender(LocalConfig(sink.port()));
  REQUIRE(sender.Send({"a@example.org", "Your sign-in code", "Code: 111111\n"}, "").ok());
  REQUIRE(sender.Send({"b@example.org", "Your sign-in code", "Code: 222222\n"}, "").ok());
  REQUIRE(sink.WaitForMessages(2, kWait));

  const auto messages = sink.Messages();
  CHECK(Header(messages[0], "Subject") == "Your sign-in code");
  CHECK(Header(messages[0], "Content-Transfer-Encoding") == "7bit");
  CHECK(BodyOf(messages[0]) == "Code: 111111\r\n");
  CHECK(BodyOf(messages[1]) == "Code: 222222\r\n");
  CHECK(Header(messages[0], "Message-ID").find("@example.com>") != std::string::npos);
  CHECK(Header(messages[0], "Message-ID") != Header(messages[1], "Message-ID"));
  CHECK(sink.Envelopes()[1].to == std::vector<std::string>{"b@example.org"});
  CHECK(sink.Envelopes()[1].helo == "example.com");
}

TEST_CASE("SmtpSender sends lines too long for SMTP as quoted-printable", "[mail]") {
  SmtpSink sink;
  std::string line;
  while (line.size() < 1500) line += "größer = besser; ";
  const std::string body = line + " \n\tindented end ";
  REQUIRE(SmtpSender(LocalConfig(sink.port())).Send({"a@example.org", "Long", body}, "").ok());
  REQUIRE(sink.WaitForMessages(1, kWait));

  const std::string raw = sink.Messages().at(0);
  CHECK(Header(raw, "Content-Transfer-Encoding") == "quoted-printable");
  const std::string encoded = BodyOf(raw);
  for (size_t start = 0, end; (end = encoded.find("\r\n", start)) != std::string::npos;
       start = end + 2) {
    CHECK(end - start <= 76);
  }
  CHECK(DecodeQuotedPrintable(encoded) == line + " \r\n\tindented end \r\n");
}

TEST_CASE("SmtpSender authenticates with the configured credentials", "[mail]") {
  SmtpSink sink({.auth = "mailer:correct horse"});
  SmtpConfig config = LocalConfig(sink.port());
  const MailMessage message{"a@example.org", "Code", "secret body 424242"};

  SECTION("right password") {
    config.username = "mailer";
    config.password = "correct horse";
    REQUIRE(SmtpSender(config).Send(message, "").ok());
    REQUIRE(sink.WaitForMessages(1, kWait));
    CHECK(BodyOf(sink.Messages().at(0)) == "secret body 424242\r\n");
  }
  SECTION("wrong password") {
    config.username = "mailer";
    config.password = "battery staple";
    const deskgate::Status s = SmtpSender(config).Send(message, "");
    REQUIRE_FALSE(s.ok());
    INFO(s.message());
    CHECK(s.message().find("535") != std::string::npos);
    CHECK(s.message().find("battery") == std::string::npos);
    CHECK(s.message().find("424242") == std::string::npos);
    CHECK(sink.Messages().empty());
  }
  SECTION("no credentials") {
    const deskgate::Status s = SmtpSender(config).Send(message, "");
    REQUIRE_FALSE(s.ok());
    INFO(s.message());
    CHECK(s.message().find("530") != std::string::npos);
    CHECK(sink.Messages().empty());
  }
}

TEST_CASE("SmtpSender refuses line breaks in header values", "[mail]") {
  SmtpSink sink;
  SmtpConfig config = LocalConfig(sink.port());
  const std::string body = "body 987654";

  auto refused = [&](const SmtpConfig& c, const MailMessage& m, const std::string& field) {
    const deskgate::Status s = SmtpSender(c).Send(m, "");
    INFO(s.message());
    CHECK_FALSE(s.ok());
    CHECK(s.message().rfind(field + ": ", 0) == 0);
  };
  refused(config, {"a@example.org\r\nBcc: victim@example.net", "Hi", body}, "to");
  refused(config, {"a@example.org\n", "Hi", body}, "to");
  refused(config, {"a@example.org", "Hi\r\nBcc: victim@example.net", body}, "subject");
  refused(config, {"a@example.org", "Hi\rthere", body}, "subject");
  config.from = "Support\n <support@example.com>";
  refused(config, {"a@example.org", "Hi", body}, "from");
  CHECK(sink.Messages().empty());
}

TEST_CASE("SmtpSender reports a one-line error when nothing listens", "[mail]") {
  SmtpConfig config = LocalConfig(UnusedPort());
  const deskgate::Status s =
      SmtpSender(config).Send({"a@example.org", "Code", "the body 135790\n"}, "");
  REQUIRE_FALSE(s.ok());
  INFO(s.message());
  CHECK(s.message().rfind("cannot send mail: Couldn't connect to server", 0) == 0);
  CHECK(s.message().find(std::to_string(config.port)) != std::string::npos);
  CHECK(s.message().find('\n') == std::string::npos);
  CHECK(s.message().find("135790") == std::string::npos);
}

TEST_CASE("SmtpSender with STARTTLS sends only over a verified TLS connection", "[mail]") {
  SmtpSink sink({.auth = "mailer:correct horse", .tls = true});
  SmtpConfig config = LocalConfig(sink.port());
  config.username = "mailer";
  config.password = "correct horse";
  const MailMessage message{"a@example.org", "Code", "body 1111"};

  SECTION("trusted certificate") {
    config.starttls = true;
    config.ca_file = sink.ca_file();
    REQUIRE(SmtpSender(config).Send(message, "").ok());
    REQUIRE(sink.WaitForMessages(1, kWait));
    CHECK(BodyOf(sink.Messages().at(0)) == "body 1111\r\n");
  }
  SECTION("certificate not trusted") {
    config.starttls = true;
    const deskgate::Status s = SmtpSender(config).Send(message, "");
    REQUIRE_FALSE(s.ok());
    INFO(s.message());
    CHECK(s.message().find("certificate") != std::string::npos);
    CHECK(sink.Messages().empty());
  }
  SECTION("server without STARTTLS") {
    SmtpSink plain;
    config.port = plain.port();
    config.starttls = true;
    config.ca_file = sink.ca_file();
    const deskgate::Status s = SmtpSender(config).Send(message, "");
    REQUIRE_FALSE(s.ok());
    INFO(s.message());
    CHECK(s.message().find("STARTTLS") != std::string::npos);
    CHECK(s.message().find("1111") == std::string::npos);
    CHECK(plain.Messages().empty());
  }
}
