#include "shared/core/utf8.h"

namespace deskgate {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Length of a sequence announced by its lead byte, or 0 for a byte that
// cannot start one (continuation bytes, C0/C1 overlong leads, F5..FF).
int SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// The allowed range of the second byte depends on the lead byte; this is what
// rules out overlong forms, surrogates and values above U+10FFFF.
bool SecondByteAllowed(unsigned char lead, unsigned char second) {
  switch (lead) {
    case 0xE0:
      return second >= 0xA0 && second <= 0xBF;
    case 0xED:
      return second >= 0x80 && second <= 0x9F;
    case 0xF0:
      return second >= 0x90 && second <= 0xBF;
    case 0xF4:
      return second >= 0x80 && second <= 0x8F;
    default:
      return second >= 0x80 && second <= 0xBF;
  }
}

bool IsContinuation(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

}  // namespace

DecodedText DecodeUtf8(std::string_view bytes) {
  DecodedText text;
  text.code_points.reserve(bytes.size());
  size_t i = 0;
  while (i < bytes.size()) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    const int length = SequenceLength(lead);
    if (length == 1) {
      text.code_points.push_back(lead);
      ++i;
      continue;
    }
    if (length == 0) {
      text.code_points.push_back(kReplacement);
      text.valid = false;
      ++i;
      continue;
    }
    char32_t value = lead & (0x7F >> length);
    int consumed = 1;
    for (; consumed < length && i + consumed < bytes.size(); ++consumed) {
      const auto next = static_cast<unsigned char>(bytes[i + consumed]);
      const bool allowed = consumed == 1 ? SecondByteAllowed(lead, next) : IsContinuation(next);
      if (!allowed) break;
      value = (value << 6) | (next & 0x3F);
    }
    if (consumed == length) {
      text.code_points.push_back(value);
    } else {
      text.code_points.push_back(kReplacement);
      text.valid = false;
    }
    i += consumed;
  }
  return text;
}

bool IsValidUtf8(std::string_view bytes) {
  return DecodeUtf8(bytes).valid;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string EncodeUtf8(std::u32string_view code_points) {
  std::string out;
  out.reserve(code_points.size());
  for (char32_t cp : code_points) AppendUtf8(out, cp);
  return out;
}

}  // namespace deskgate
