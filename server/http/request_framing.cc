#include "server/http/request_framing.h"

#include <cctype>

namespace deskgate::http {
namespace {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A header name is an RFC 9110 token: no spaces, no separators.
bool IsToken(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f ||
        std::string_view("\"(),/:;<=>?@[\\]{}").find(c) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

Framing Refuse(int status, std::string reason) {
  Framing f;
  f.refusal = status;
  f.reason = std::move(reason);
  return f;
}

}  // namespace

HeadScanner::State HeadScanner::Scan(std::string_view buffered) {
  for (size_t i = scanned_; i < buffered.size(); ++i) {
    if (i >= limits_.max_bytes) return State::kTooLarge;
    if (buffered[i] != '\n') continue;
    if (++lines_ > limits_.max_lines) return State::kTooLarge;
    // An empty line: CRLF right after the previous line's CRLF.
    if (i >= 3 && buffered.substr(i - 3, 4) == "\r\n\r\n") {
      head_size_ = i + 1;
      scanned_ = i + 1;
      return State::kComplete;
    }
  }
  scanned_ = buffered.size();
  return State::kNeedMore;
}

namespace {

// Whether the request line ("POST /api/assets/import?x HTTP/1.1") names a
// request allowed a large body.
bool TakesLargeBody(std::string_view head, const HeadLimits& limits) {
  if (!limits.takes_large_body) return false;
  const std::string_view line = head.substr(0, head.find("\r\n"));
  const size_t method_end = line.find(' ');
  if (method_end == std::string_view::npos) return false;
  const size_t target_end = line.find(' ', method_end + 1);
  if (target_end == std::string_view::npos) return false;
  std::string_view path = line.substr(method_end + 1, target_end - method_end - 1);
  path = path.substr(0, path.find('?'));
  return limits.takes_large_body(line.substr(0, method_end), path);
}

}  // namespace

Framing ReadFraming(std::string_view head, const HeadLimits& limits) {
  Framing framing;
  bool has_length = false;
  size_t line_start = 0;
  for (size_t line_no = 0; line_start < head.size(); ++line_no) {
    const size_t end = head.find("\r\n", line_start);
    if (end == std::string_view::npos) return Refuse(400, "the request head is malformed");
    const std::string_view line = head.substr(line_start, end - line_start);
    const size_t at = line_start;
    line_start = end + 2;
    // A CR or LF inside a line, or a NUL: httplib and this reader could
    // split such a head differently.
    if (line.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
      return Refuse(400, "the request head is malformed");
    }
    if (line.empty()) break;     // the end of the head
    if (line_no == 0) continue;  // the request line: httplib checks it
    if (line.front() == ' ' || line.front() == '\t') {
      return Refuse(400, "folded header lines are not accepted");
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || !IsToken(line.substr(0, colon))) {
      return Refuse(400, "a header line is malformed");
    }
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = TrimSpaces(line.substr(colon + 1));
    if (EqualsIgnoringCase(name, "Transfer-Encoding")) {
      return Refuse(411, "send the body with a Content-Length; chunked bodies are not accepted");
    }
    if (EqualsIgnoringCase(name, "Content-Length")) {
      if (has_length) return Refuse(400, "Content-Length appears twice");
      has_length = true;
      if (value.empty() || value.size() > 18 ||
          value.find_first_not_of("0123456789") != std::string_view::npos) {
        return Refuse(400, "Content-Length must be a number of bytes");
      }
      size_t bytes = 0;
      for (char c : value) bytes = bytes * 10 + static_cast<size_t>(c - '0');
      framing.body_bytes = bytes;
    } else if (EqualsIgnoringCase(name, "Expect")) {
      if (!EqualsIgnoringCase(value, "100-continue")) {
        return Refuse(417, "only Expect: 100-continue is understood");
      }
      framing.expects_continue = true;
      framing.expect_name_at = at;
    }
  }
  if (framing.body_bytes > limits.max_body_bytes) {
    const bool upload = TakesLargeBody(head, limits);
    const size_t limit = upload ? limits.large_body_bytes : limits.max_body_bytes;
    if (framing.body_bytes > limit) {
      return Refuse(413, "the body is larger than " + std::to_string(limit) + " bytes");
    }
    framing.large = true;
  }
  return framing;
}

}  // namespace deskgate::http
