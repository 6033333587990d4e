// A change to a record (inline edit or bulk): any body is refused with the
// field named or gives a change that survives a round trip.
#include "shared/records/record_change.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using deskgate::fuzz::Check;
  auto change = deskgate::ParseRecordChange(deskgate::fuzz::Text(data, size));
  if (!change.ok()) return 0;
  Check(!change.value().empty(), "a change names a field");
  auto again = deskgate::ParseRecordChange(deskgate::RecordChangeToJson(change.value()));
  Check(again.ok() && again.value() == change.value(), "a change survives a round trip");
  deskgate::RecordFields fields;
  const bool changed = deskgate::ApplyRecordChange(change.value(), fields);
  Check(!deskgate::ApplyRecordChange(change.value(), fields) || !changed,
        "applying a change twice changes nothing the second time");
  return 0;
}
