#include "server/crypto/totp.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cassert>
#include <climits>

namespace deskgate::crypto {
namespace {

constexpr int kTotpDigits = kOneTimeCodeDigits;

uint32_t DynamicTruncation(const unsigned char* mac, size_t size) {
  const size_t offset = mac[size - 1] & 0x0F;
  return (static_cast<uint32_t>(mac[offset] & 0x7F) << 24) |
         (static_cast<uint32_t>(mac[offset + 1]) << 16) |
         (static_cast<uint32_t>(mac[offset + 2]) << 8) | static_cast<uint32_t>(mac[offset + 3]);
}

uint32_t PowerOfTen(int exponent) {
  uint32_t value = 1;
  for (int i = 0; i < exponent; ++i) value *= 10;
  return value;
}

}  // namespace

std::string HotpCode(std::span<const uint8_t> key, uint64_t counter, int digits) {
  assert(digits >= 1 && digits <= 9);
  assert(key.size() <= INT_MAX);
  unsigned char message[8];
  for (int i = 7; i >= 0; --i, counter >>= 8) message[i] = static_cast<unsigned char>(counter);
  static const unsigned char kNoKey = 0;  // OpenSSL refuses a null key pointer
  const unsigned char* key_data = key.empty() ? &kNoKey : key.data();
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  if (!HMAC(EVP_sha1(), key_data, static_cast<int>(key.size()), message, sizeof message, mac,
            &mac_size)) {
    return "";  // never equal to a code
  }
  const uint32_t value = DynamicTruncation(mac, mac_size) % PowerOfTen(digits);
  OPENSSL_cleanse(mac, sizeof mac);
  std::string code = std::to_string(value);
  code.insert(0, static_cast<size_t>(digits) - code.size(), '0');
  return code;
}

int64_t TotpStep(int64_t unix_time) {
  const int64_t step = unix_time / kTotpStep;
  return (unix_time % kTotpStep < 0) ? step - 1 : step;
}

std::optional<int64_t> MatchTotp(std::span<const uint8_t> key, std::string_view code,
                                 int64_t unix_time, int64_t last_used_step) {
  if (!IsOneTimeCodeFormat(code)) return std::nullopt;
  const int64_t now = TotpStep(unix_time);
  std::optional<int64_t> matched;
  for (int64_t step = now - 1; step <= now + 1; ++step) {
    const std::string expected = HotpCode(key, static_cast<uint64_t>(step), kTotpDigits);
    const bool equal = expected.size() == code.size() &&
                       CRYPTO_memcmp(expected.data(), code.data(), code.size()) == 0;
    if (equal && step >= 0 && step > last_used_step) matched = step;
  }
  return matched;
}

}  // namespace deskgate::crypto
