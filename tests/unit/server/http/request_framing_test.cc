#include <catch2/catch.hpp>

#include "server/http/request_framing.h"

using deskgate::http::HeadLimits;
using deskgate::http::HeadScanner;
using deskgate::http::ReadFraming;
using State = HeadScanner::State;

TEST_CASE("A head ends at the first empty line, found the same byte by byte", "[http]") {
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\n";
  HeadScanner whole{HeadLimits{}};
  REQUIRE(whole.Scan(request) == State::kComplete);
  CHECK(whole.head_size() == 34);
  HeadScanner trickle{HeadLimits{}};
  State state = State::kNeedMore;
  size_t fed = 0;
  while (state == State::kNeedMore && fed < request.size())
    state = trickle.Scan(request.substr(0, ++fed));
  CHECK(state == State::kComplete);
  CHECK(fed == 34);
  CHECK(trickle.head_size() == 34);
  // Bare line feeds never end a head (httplib skips such lines).
  HeadScanner bare{HeadLimits{}};
  CHECK(bare.Scan("GET / HTTP/1.1\nHost: x\n\n") == State::kNeedMore);
}

TEST_CASE("Heads past the byte or line limit are too large", "[http]") {
  HeadLimits limits;
  limits.max_bytes = 100;
  limits.max_lines = 5;
  HeadScanner bytes(limits);
  CHECK(bytes.Scan("GET / HTTP/1.1\r\nX: " + std::string(200, 'a')) == State::kTooLarge);
  HeadScanner lines(limits);
  CHECK(lines.Scan("GET / HTTP/1.1\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\n") ==
        State::kTooLarge);
  HeadScanner fits(limits);
  CHECK(fits.Scan("GET / HTTP/1.1\r\nA: 1\r\nB: 1\r\nC: 1\r\n\r\n") == State::kComplete);
}

TEST_CASE("Framing: one Content-Length of digits, within the limit", "[http]") {
  HeadLimits limits;
  limits.max_body_bytes = 1000;
  auto ok = ReadFraming("POST / HTTP/1.1\r\ncontent-length:  42 \r\n\r\n", limits);
  CHECK(ok.refusal == 0);
  CHECK(ok.body_bytes == 42);
  CHECK(ReadFraming("GET / HTTP/1.1\r\nHost: x\r\n\r\n", limits).body_bytes == 0);
  const std::pair<const char*, int> refused[] = {
      {"POST / HTTP/1.1\r\nContent-Length: 1001\r\n\r\n", 413},
      {"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: \r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 411},
      {"POST / HTTP/1.1\r\ntransfer-encoding: identity\r\n\r\n", 411},
      {"GET / HTTP/1.1\r\nX: a\r\n  folded\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nNo colon here\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nContent-Length : 3\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nExpect: something-else\r\n\r\n", 417},
  };
  for (const auto& [head, status] : refused) {
    INFO(head);
    CHECK(ReadFraming(head, limits).refusal == status);
  }
  const std::string nul = std::string("GET / HTTP/1.1\r\nX: a") + '\0' + "b\r\n\r\n";
  CHECK(ReadFraming(nul, limits).refusal == 400);
}

TEST_CASE("Expect: 100-continue is found, with where its name starts", "[http]") {
  const std::string head = "POST / HTTP/1.1\r\nContent-Length: 5\r\nEXPECT: 100-Continue\r\n\r\n";
  auto f = ReadFraming(head, HeadLimits{});
  CHECK(f.refusal == 0);
  CHECK(f.expects_continue);
  CHECK(head.substr(f.expect_name_at, 7) == "EXPECT:");
}
