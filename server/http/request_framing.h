// Request framing: where an HTTP/1.1 request's head ends and how long its
// body is, read by the listener before any worker sees the request.
//
// The listener (listener.h) reads requests itself, without holding a
// worker thread, and hands httplib only requests that have fully arrived.
// To know when that is, it must find the head's end and the body's length
// exactly as httplib will read them afterwards; where the two could
// disagree (request smuggling), the request is refused instead:
//  - the head ends at the first empty line (CRLF CRLF); lines end in CRLF;
//  - the body is Content-Length bytes (one header, digits only); requests
//    with Transfer-Encoding are refused (411), as are folded header lines
//    and lines without a colon (400);
//  - the head is at most HeadLimits::max_bytes and max_lines (431), the
//    body at most HeadLimits::max_body_bytes (413), or large_body_bytes for
//    a request that takes_large_body names (uploads).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace deskgate::http {

struct HeadLimits {
  size_t max_bytes = 32 * 1024;  // request line and headers, CRLFs included
  size_t max_lines = 100;
  size_t max_body_bytes = 1 << 20;
  // Requests that may carry up to large_body_bytes: called with the method
  // and the path (without the query) of the request line.
  std::function<bool(std::string_view method, std::string_view path)> takes_large_body;
  size_t large_body_bytes = 1 << 20;
};

// Finds the end of a request head in bytes that arrive a few at a time.
// Each call resumes where the last stopped, so a head that trickles in
// byte by byte costs time linear in its size.
class HeadScanner {
 public:
  enum class State { kNeedMore, kComplete, kTooLarge };

  explicit HeadScanner(const HeadLimits& limits) : limits_(limits) {}

  // `buffered`: every byte of this request received so far (it only grows
  // between calls). kComplete: head_size() is known.
  State Scan(std::string_view buffered);
  size_t head_size() const { return head_size_; }
  void Reset() { *this = HeadScanner(limits_); }

 private:
  HeadLimits limits_;
  size_t scanned_ = 0;  // bytes already looked at
  size_t lines_ = 0;    // line ends seen
  size_t head_size_ = 0;
};

// What the body of a complete head is, or why the request is refused.
struct Framing {
  int refusal = 0;                // an HTTP status (400, 411, 413) when refused, else 0
  std::string reason;             // for the refusal's body
  size_t body_bytes = 0;          // Content-Length, 0 when absent
  bool large = false;             // over max_body_bytes, allowed as an upload
  bool expects_continue = false;  // "Expect: 100-continue"
  size_t expect_name_at = 0;      // offset of that header's name in the head
};

// Reads the framing headers of a complete head (head_size() bytes).
Framing ReadFraming(std::string_view head, const HeadLimits& limits);

}  // namespace deskgate::http
