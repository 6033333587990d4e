// An identity provider's settings as admins send them: refused with the
// field named, or settings that survive a round trip (the secret aside).
#include "shared/sso/sso_settings.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using deskgate::fuzz::Check;
  if (size == 0) return 0;
  const bool contact = data[0] & 1;
  auto settings = deskgate::ParseSsoSettings(deskgate::fuzz::Text(data + 1, size - 1), contact);
  if (!settings.ok()) return 0;
  deskgate::SsoSettings expected = settings.value();
  expected.client_secret.clear();
  auto again = deskgate::ParseSsoSettings(deskgate::SsoSettingsToJson(expected), contact);
  Check(again.ok() && again.value() == expected, "settings survive a round trip");
  Check(expected.SameProviderAs(again.value()), "the same provider as itself");
  (void)expected.DiscoveryUrl();
  return 0;
}
