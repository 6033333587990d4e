#include "shared/mfa/otpauth.h"

#include "shared/core/char_class.h"
#include "shared/core/utf8.h"

namespace deskgate {
namespace {

constexpr size_t kMaxIssuerCodePoints = 64;

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

void AppendPercentEncoded(std::string& out, std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  for (char c : text) {
    if (IsUnreserved(c)) {
      out.push_back(c);
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    out.push_back('%');
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0x0F]);
  }
}

// Unicode White_Space code points.
bool IsWhiteSpace(char32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

size_t Utf8Length(char32_t cp) {
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  if (cp < 0x10000) return 3;
  return 4;
}

}  // namespace

std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view base32_secret) {
  std::string uri = "otpauth://totp/";
  AppendPercentEncoded(uri, issuer);
  uri.push_back(':');
  AppendPercentEncoded(uri, account);
  uri += "?secret=";
  AppendPercentEncoded(uri, base32_secret);
  uri += "&issuer=";
  AppendPercentEncoded(uri, issuer);
  uri += "&algorithm=SHA1&digits=6&period=30";
  return uri;
}

std::string GroupedKey(std::string_view base32) {
  std::string out;
  out.reserve(base32.size() + base32.size() / 4);
  for (size_t i = 0; i < base32.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back(' ');
    out.push_back(base32[i]);
  }
  return out;
}

std::string_view TrimIssuer(std::string_view issuer) {
  const DecodedText text = DecodeUtf8(issuer);
  if (!text.valid) return issuer;
  const std::u32string& code_points = text.code_points;
  size_t begin = 0;
  size_t end = code_points.size();
  while (begin < end && IsWhiteSpace(code_points[begin])) ++begin;
  while (end > begin && IsWhiteSpace(code_points[end - 1])) --end;
  size_t first_byte = 0;
  for (size_t i = 0; i < begin; ++i) first_byte += Utf8Length(code_points[i]);
  size_t byte_count = 0;
  for (size_t i = begin; i < end; ++i) byte_count += Utf8Length(code_points[i]);
  return issuer.substr(first_byte, byte_count);
}

Status CheckIssuer(std::string_view issuer) {
  if (!IsValidUtf8(issuer)) return Status::Error("issuer: use valid UTF-8 text");
  const std::u32string code_points = DecodeUtf8(TrimIssuer(issuer)).code_points;
  if (code_points.empty() || code_points.size() > kMaxIssuerCodePoints) {
    return Status::Error("issuer: use 1 to 64 characters");
  }
  for (char32_t cp : code_points) {
    if (cp == U':') return Status::Error("issuer: must not contain a colon (:)");
    if (IsControl(cp)) return Status::Error("issuer: must not contain control characters");
  }
  return Status::Ok();
}

}  // namespace deskgate
