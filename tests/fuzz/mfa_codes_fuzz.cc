// What people type or providers send around MFA: base32 secrets (round
// trip), recovery codes (normalized forms are fixed points), issuer names
// and otpauth URIs (always a well-formed URI when the issuer is accepted).
#include "shared/mfa/base32.h"
#include "shared/mfa/otpauth.h"
#include "shared/mfa/recovery_code.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using deskgate::fuzz::Check;
  const std::string_view text = deskgate::fuzz::Text(data, size);
  const std::string encoded = deskgate::Base32Encode({data, size});
  auto decoded = deskgate::Base32Decode(encoded);
  Check(decoded.ok() && decoded.value() == std::vector<uint8_t>(data, data + size),
        "base32 round trip");
  (void)deskgate::Base32Decode(text);
  (void)deskgate::GroupedKey(encoded);
  if (auto code = deskgate::NormalizeRecoveryCode(text)) {
    auto again = deskgate::NormalizeRecoveryCode(*code);
    Check(again && *again == *code, "a normalized recovery code stays the same");
  }
  if (size >= 10) (void)deskgate::FormatRecoveryCode({data, 10});
  if (deskgate::CheckIssuer(text).ok()) {
    const std::string uri =
        deskgate::OtpauthUri(deskgate::TrimIssuer(text), "jane@example.com", encoded.substr(0, 32));
    Check(uri.rfind("otpauth://totp/", 0) == 0, "an otpauth URI");
    Check(uri.find_first_of(" \r\n\t") == std::string::npos, "no raw whitespace in the URI");
  }
  return 0;
}
