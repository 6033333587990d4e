// The JSON reader every request body and provider answer goes through:
// any input parses or is refused without crashing, within the depth and
// value limits, and a parsed value can be walked and copied.
#include "shared/core/json_value.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

// Walks every value (bounded by the reader's depth limit) and counts them.
size_t Count(const deskgate::JsonValue& v, int depth) {
  deskgate::fuzz::Check(depth <= deskgate::JsonLimits::kMaxDepth + 1, "depth within the limit");
  size_t n = 1;
  for (const auto& item : v.items()) n += Count(item, depth + 1);
  for (const auto& [key, member] : v.members()) {
    n += Count(member, depth + 1);
    deskgate::fuzz::Check(v.Find(key) != nullptr, "every member is found by its key");
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using deskgate::fuzz::Check;
  auto parsed = deskgate::ParseJson(deskgate::fuzz::Text(data, size));
  if (!parsed.ok()) {
    Check(parsed.error().rfind("invalid JSON at byte ", 0) == 0, "errors say where");
    return 0;
  }
  const size_t values = Count(parsed.value(), 0);
  Check(values <= deskgate::JsonLimits::kMaxValues, "value count within the limit");
  const deskgate::JsonValue copy = parsed.value();
  Check(Count(copy, 0) == values, "a copy holds the same values");
  // A tighter limit refuses what the default accepted only when it must.
  deskgate::JsonLimits tight;
  tight.max_depth = 2;
  tight.max_values = 8;
  (void)deskgate::ParseJson(deskgate::fuzz::Text(data, size), tight);
  return 0;
}
