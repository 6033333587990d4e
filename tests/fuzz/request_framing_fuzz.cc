// Request heads as the listener reads them: the end of the head is found
// the same way whether the bytes come at once or a few at a time (the
// input's first byte sets the chunk size), never past the limits, and a
// complete head's framing is read without crashing.
#include "server/http/request_framing.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using deskgate::fuzz::Check;
  using State = deskgate::http::HeadScanner::State;
  if (size == 0) return 0;
  const size_t chunk = 1 + data[0] % 64;
  const std::string_view bytes = deskgate::fuzz::Text(data + 1, size - 1);
  deskgate::http::HeadLimits limits;
  limits.max_bytes = 4096;
  limits.max_lines = 40;
  deskgate::http::HeadScanner whole(limits);
  const State at_once = whole.Scan(bytes);
  deskgate::http::HeadScanner pieces(limits);
  State state = State::kNeedMore;
  for (size_t end = chunk; state == State::kNeedMore; end += chunk) {
    state = pieces.Scan(bytes.substr(0, std::min(end, bytes.size())));
    if (end >= bytes.size()) break;
  }
  Check(state == at_once, "the same verdict in pieces as at once");
  if (at_once != State::kComplete) return 0;
  Check(whole.head_size() == pieces.head_size(), "the same head size");
  Check(whole.head_size() <= limits.max_bytes, "within the byte limit");
  Check(bytes.substr(whole.head_size() - 4, 4) == "\r\n\r\n", "ends at an empty line");
  const auto framing = deskgate::http::ReadFraming(bytes.substr(0, whole.head_size()), limits);
  Check(framing.refusal != 0 || framing.body_bytes <= limits.max_body_bytes, "bounded body");
  return 0;
}
