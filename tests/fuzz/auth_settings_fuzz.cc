// Authentication settings as the settings API reads them: any document is
// refused with a message or gives settings that survive a round trip
// (written out and read back, unchanged); a change applies on top of them.
#include "shared/settings/auth_settings.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using deskgate::fuzz::Check;
  if (size == 0) return 0;
  const auto portal =
      data[0] & 1 ? deskgate::SettingsPortal::kAgent : deskgate::SettingsPortal::kContact;
  const std::string_view json = deskgate::fuzz::Text(data + 1, size - 1);
  auto parsed = deskgate::ParseAuthSettings(json, portal, (data[0] & 2) != 0);
  if (!parsed.ok()) {
    Check(!parsed.error().empty(), "refusals say why");
    return 0;
  }
  const std::string written = deskgate::AuthSettingsToJson(parsed.value());
  auto again = deskgate::ParseAuthSettings(written, portal, true);
  Check(again.ok() && again.value() == parsed.value(), "settings survive a round trip");
  auto change = deskgate::ParseJson(json);
  Check(change.ok(), "a document that parsed as settings is JSON");
  auto applied = deskgate::ApplyAuthSettingsChange(change.value(), again.value(), portal, true);
  Check(applied.ok() && applied.value() == parsed.value(),
        "applying a whole document gives the document's settings");
  return 0;
}
