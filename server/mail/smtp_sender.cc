#include "server/mail/smtp_sender.h"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "server/crypto/tokens.h"
#include "server/net/curl.h"
#include "shared/core/utf8.h"

namespace deskgate::mail {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr size_t kMaxLineOctets = 998;  // RFC 5322 §2.1.1, without the CRLF

// The in-memory message that CURLOPT_READFUNCTION hands out.
struct Upload {
  std::string_view data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

// ---- addresses ------------------------------------------------------------

struct Mailbox {
  std::string name;     // display name, UTF-8, may be empty
  std::string address;  // local@domain, ASCII
};

bool HasLineBreak(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// RFC 5322 atext: the characters of an unquoted word.
bool IsAtext(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u < 0x21 || u > 0x7E) return false;
  return std::string_view("()<>[]:;@\\,.\"").find(c) == std::string_view::npos;
}

// A dot-atom local part and a domain name: what an SMTP envelope accepts
// without quoting or SMTPUTF8.
bool IsPlainAddress(std::string_view address) {
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  auto dot_atom = [](std::string_view part) {
    if (part.front() == '.' || part.back() == '.' || part.find("..") != part.npos) return false;
    return std::all_of(part.begin(), part.end(), [](char c) { return c == '.' || IsAtext(c); });
  };
  const std::string_view domain = address.substr(at + 1);
  const bool domain_ok = std::all_of(domain.begin(), domain.end(), [](char c) {
    return c == '.' || c == '-' || (c >= '0' && c <= '9') ||
           ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
  });
  return dot_atom(address.substr(0, at)) && dot_atom(domain) && domain_ok;
}

// Accepts "addr@example.com" and "Display Name <addr@example.com>".
Result<Mailbox> ParseMailbox(std::string_view field, std::string_view text) {
  const std::string prefix = std::string(field) + ": ";
  if (HasLineBreak(text)) return Status::Error(prefix + "must not contain a line break");
  text = Trim(text);
  Mailbox box;
  const size_t open = text.rfind('<');
  if (!text.empty() && text.back() == '>' && open != std::string_view::npos) {
    box.name = std::string(Trim(text.substr(0, open)));
    box.address = std::string(text.substr(open + 1, text.size() - open - 2));
  } else {
    box.address = std::string(text);
  }
  if (!IsPlainAddress(box.address)) return Status::Error(prefix + "not a valid email address");
  if (!IsValidUtf8(box.name)) return Status::Error(prefix + "the name is not valid UTF-8");
  return box;
}

// ---- headers --------------------------------------------------------------

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();  // the terminating NUL
  return out;
}

// RFC 2047 "B" encoded-words of at most 75 characters each, split between
// UTF-8 characters and folded onto continuation lines.
std::string EncodedWords(std::string_view text) {
  constexpr size_t kMaxChunk = 42;  // 56 base64 characters + 12 of framing: 78 with "Subject: "
  std::string out;
  while (!text.empty()) {
    size_t n = std::min(kMaxChunk, text.size());
    while (n < text.size() && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(0, n)) + "?=";
    text.remove_prefix(n);
  }
  return out;
}

bool IsPrintableAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

// A display name as an atom sequence, a quoted string or encoded-words.
std::string Phrase(std::string_view name) {
  const bool atoms =
      std::all_of(name.begin(), name.end(), [](char c) { return c == ' ' || IsAtext(c); });
  if (atoms && name.find("=?") == name.npos) return std::string(name);
  if (!IsPrintableAscii(name)) return EncodedWords(name);
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::string FormatMailbox(const Mailbox& box) {
  if (box.name.empty()) return box.address;
  return Phrase(box.name) + " <" + box.address + ">";
}

Result<std::string> FormatSubject(std::string_view subject) {
  if (HasLineBreak(subject)) return Status::Error("subject: must not contain a line break");
  if (!IsValidUtf8(subject)) return Status::Error("subject: not valid UTF-8");
  constexpr size_t kMaxRaw = 900;  // "Subject: " plus this stays within a line
  if (IsPrintableAscii(subject) && subject.find("=?") == subject.npos &&
      subject.size() <= kMaxRaw) {
    return std::string(subject);
  }
  return EncodedWords(subject);
}

// RFC 5322 date-time in UTC, independent of the process locale.
std::string FormatDate(std::time_t now) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[40];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[utc.tm_wday],
                utc.tm_mday, kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
                utc.tm_sec);
  return text;
}

Result<std::string> MessageId(std::string_view domain) {
  const bool ok = !domain.empty() && IsPlainAddress("x@" + std::string(domain));
  if (!ok) return Status::Error("message id domain: not a valid domain name");
  std::string id = "<";
  return id.append(crypto::RandomToken()).append("@").append(domain).append(">");
}

// ---- body -----------------------------------------------------------------

// Splits on CRLF, LF or a lone CR.
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r' && text[i] != '\n') continue;
    lines.push_back(text.substr(start, i - start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

// RFC 2045 §6.7: lines of at most 76 characters, soft breaks ending in "=".
std::string QuotedPrintableLine(std::string_view line) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  size_t width = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    const bool last = i + 1 == line.size();
    const bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
    const std::string piece = literal ? std::string(1, static_cast<char>(c))
                                      : std::string{'=', kHex[c >> 4], kHex[c & 15]};
    if (width + piece.size() > (last ? 76 : 75)) {
      out += "=\r\n";
      width = 0;
    }
    out += piece;
    width += piece.size();
  }
  return out;
}

struct Body {
  std::string encoding;  // Content-Transfer-Encoding
  std::string text;      // CRLF line endings, ends with CRLF
};

// 7bit for short-lined ASCII, 8bit for short-lined UTF-8, quoted-printable
// when a line is too long for SMTP or holds a NUL.
Result<Body> EncodeBody(std::string_view body) {
  if (!IsValidUtf8(body)) return Status::Error("body: not valid UTF-8");
  const std::vector<std::string_view> lines = Lines(body);
  const bool raw_ok = std::none_of(lines.begin(), lines.end(), [](std::string_view l) {
    return l.size() > kMaxLineOctets || l.find('\0') != l.npos;
  });
  const bool ascii = std::all_of(body.begin(), body.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  Body out{raw_ok ? (ascii ? "7bit" : "8bit") : "quoted-printable", ""};
  for (std::string_view line : lines) {
    out.text += raw_ok ? std::string(line) : QuotedPrintableLine(line);
    out.text += kCrlf;
  }
  return out;
}

Result<std::string> BuildMessage(const Mailbox& from, const Mailbox& to, const MailMessage& m,
                                 std::string_view message_id_domain) {
  Result<std::string> subject = FormatSubject(m.subject);
  if (!subject.ok()) return subject.status();
  Result<std::string> id = MessageId(message_id_domain);
  if (!id.ok()) return id.status();
  Result<Body> body = EncodeBody(m.body);
  if (!body.ok()) return body.status();
  const std::pair<const char*, std::string> headers[] = {
      {"Date", FormatDate(std::time(nullptr))},
      {"From", FormatMailbox(from)},
      {"To", FormatMailbox(to)},
      {"Subject", subject.value()},
      {"Message-ID", id.value()},
      {"MIME-Version", "1.0"},
      {"Content-Type", "text/plain; charset=utf-8"},
      {"Content-Transfer-Encoding", body.value().encoding},
  };
  std::string message;
  for (const auto& [name, value] : headers) {
    message.append(name).append(": ").append(value).append(kCrlf);
  }
  return message.append(kCrlf).append(body.value().text);
}

// ---- transfer -------------------------------------------------------------

Status CheckConfig(const SmtpConfig& config) {
  const bool host_ok = !config.host.empty() && IsPrintableAscii(config.host) &&
                       config.host.find_first_of(" /?#@[]") == std::string::npos;
  if (!host_ok) return Status::Error("smtp host: not a valid host name or address");
  if (config.port < 1 || config.port > 65535) return Status::Error("smtp port: must be 1 to 65535");
  if (config.timeout_seconds < 1) return Status::Error("smtp timeout: must be at least 1 second");
  return Status::Ok();
}

// The URL's path is the name curl gives in EHLO.
std::string Url(const SmtpConfig& config, std::string_view ehlo_domain) {
  const bool ipv6 = config.host.find(':') != std::string::npos;
  const std::string host = ipv6 ? "[" + config.host + "]" : config.host;
  return "smtp://" + host + ":" + std::to_string(config.port) + "/" + std::string(ehlo_domain);
}

// curl's error buffer as one line, without the reason it repeats at its end.
std::string Detail(const char* buffer, std::string_view reason) {
  std::string detail(buffer);
  for (char& c : detail) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  std::string_view text = Trim(detail);
  if (text.ends_with(reason)) text.remove_suffix(reason.size());
  while (!text.empty() && (text.back() == ':' || text.back() == ' ')) text.remove_suffix(1);
  return std::string(text);
}

// One line: curl's reason, its detail, and the server's reply if it refused.
Status TransferError(CURL* curl, CURLcode code, const char* detail_buffer) {
  const std::string_view reason = curl_easy_strerror(code);
  std::string message = "cannot send mail: " + std::string(reason);
  const std::string detail = Detail(detail_buffer, reason);
  if (!detail.empty()) message += " (" + detail + ")";
  long reply = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
  if (reply >= 400) message += "; server replied " + std::to_string(reply);
  return Status::Error(message);
}

struct Envelope {
  std::string sender;     // bare address
  std::string recipient;  // bare address
  std::string domain;     // introduces the client in EHLO
};

Status Transfer(const SmtpConfig& config, const Envelope& envelope, std::string_view message) {
  if (!net::InitCurlOnce()) return Status::Error("cannot send mail: libcurl failed to initialise");
  // Everything curl points into is declared before the handle, so it outlives it.
  char detail[CURL_ERROR_SIZE] = "";
  Upload upload{message};
  net::CurlList recipients(curl_slist_append(nullptr, ("<" + envelope.recipient + ">").c_str()));
  net::CurlHandle curl(curl_easy_init());
  if (!curl || !recipients) return Status::Error("cannot send mail: libcurl failed to initialise");

  net::CurlOptions options(curl.get());
  options.Set(CURLOPT_ERRORBUFFER, detail)
      .Set(CURLOPT_URL, Url(config, envelope.domain).c_str())
      .Set(CURLOPT_PROTOCOLS_STR, "smtp")
      .Set(CURLOPT_NOSIGNAL, 1L)
      .Set(CURLOPT_CONNECTTIMEOUT, static_cast<long>(config.timeout_seconds))
      .Set(CURLOPT_TIMEOUT, static_cast<long>(config.timeout_seconds))
      .Set(CURLOPT_MAIL_FROM, ("<" + envelope.sender + ">").c_str())
      .Set(CURLOPT_MAIL_RCPT, recipients.get())
      .Set(CURLOPT_UPLOAD, 1L)
      .Set(CURLOPT_READFUNCTION, &ReadUpload)
      .Set(CURLOPT_READDATA, static_cast<void*>(&upload))
      .Set(CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()))
      .Set(CURLOPT_USE_SSL, static_cast<long>(config.starttls ? CURLUSESSL_ALL : CURLUSESSL_NONE))
      .Set(CURLOPT_SSL_VERIFYPEER, 1L)
      .Set(CURLOPT_SSL_VERIFYHOST, 2L);
  if (!config.ca_file.empty()) options.Set(CURLOPT_CAINFO, config.ca_file.c_str());
  if (!config.username.empty()) {
    options.Set(CURLOPT_USERNAME, config.username.c_str())
        .Set(CURLOPT_PASSWORD, config.password.c_str());
  }
  if (options.result() != CURLE_OK) return TransferError(curl.get(), options.result(), detail);
  const CURLcode code = curl_easy_perform(curl.get());
  if (code != CURLE_OK) return TransferError(curl.get(), code, detail);
  return Status::Ok();
}

}  // namespace

SmtpSender::SmtpSender(SmtpConfig config) : config_(std::move(config)) {}

Status SmtpSender::Send(const MailMessage& m, const std::string& message_id_domain) const {
  if (Status s = CheckConfig(config_); !s.ok()) return s;
  Result<Mailbox> from = ParseMailbox("from", config_.from);
  if (!from.ok()) return from.status();
  Result<Mailbox> to = ParseMailbox("to", m.to);
  if (!to.ok()) return to.status();
  const std::string& sender = from.value().address;
  const Envelope envelope{
      sender, to.value().address,
      message_id_domain.empty() ? sender.substr(sender.rfind('@') + 1) : message_id_domain};
  Result<std::string> message = BuildMessage(from.value(), to.value(), m, envelope.domain);
  if (!message.ok()) return message.status();
  return Transfer(config_, envelope, message.value());
}

}  // namespace deskgate::mail
