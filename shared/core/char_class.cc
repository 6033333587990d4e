#include "shared/core/char_class.h"

#include <array>
#include <cstddef>

namespace deskgate {
namespace {

struct Range {
  char32_t first;
  char32_t last;
};

template <std::size_t N>
constexpr bool InRanges(const std::array<Range, N>& ranges, char32_t cp) {
  for (const Range& r : ranges) {
    if (cp >= r.first && cp <= r.last) return true;
  }
  return false;
}

// Latin Extended-A pairs an uppercase letter with the lowercase one after it,
// except in U+0139..U+0148 and U+0179..U+017E where the pairs start on odd
// code points, and a few singletons.
bool LatinExtendedAUpper(char32_t cp) {
  if (cp >= 0x0100 && cp <= 0x0137) return cp % 2 == 0;
  if (cp >= 0x0139 && cp <= 0x0148) return cp % 2 == 1;
  if (cp >= 0x014A && cp <= 0x0177) return cp % 2 == 0;
  return cp == 0x0178 || cp == 0x0179 || cp == 0x017B || cp == 0x017D;
}

bool LatinExtendedALower(char32_t cp) {
  if (cp == 0x0138 || cp == 0x0149 || cp == 0x017F) return true;  // ĸ ŉ ſ
  if (cp < 0x0100 || cp > 0x017E || cp == 0x0178) return false;
  return !LatinExtendedAUpper(cp);
}

constexpr std::array<Range, 5> kUpperRanges = {{
    {0x0041, 0x005A},  // A-Z
    {0x00C0, 0x00D6},  // À-Ö
    {0x00D8, 0x00DE},  // Ø-Þ
    {0x0391, 0x03AB},  // Greek capitals (U+03A2 is unassigned, checked below)
    {0x0400, 0x042F},  // Cyrillic capitals
}};

constexpr std::array<Range, 6> kLowerRanges = {{
    {0x0061, 0x007A},  // a-z
    {0x00DF, 0x00F6},  // ß-ö
    {0x00F8, 0x00FF},  // ø-ÿ
    {0x03AC, 0x03CE},  // Greek small letters, final sigma included
    {0x0430, 0x045F},  // Cyrillic small letters
    {0x00B5, 0x00B5},  // micro sign
}};

constexpr std::array<Range, 4> kDigitRanges = {{
    {0x0030, 0x0039},  // 0-9
    {0x0660, 0x0669},  // Arabic-Indic
    {0x0966, 0x096F},  // Devanagari
    {0xFF10, 0xFF19},  // fullwidth
}};

constexpr std::array<Range, 18> kSymbolRanges = {{
    {0x0020, 0x002F},    // space ! " # $ % & ' ( ) * + , - . /
    {0x003A, 0x0040},    // : ; < = > ? @
    {0x005B, 0x0060},    // [ \ ] ^ _ `
    {0x007B, 0x007E},    // { | } ~
    {0x00A0, 0x00BF},    // no-break space, ¡ … ¿ (ª º µ excluded below)
    {0x00D7, 0x00D7},    // ×
    {0x00F7, 0x00F7},    // ÷
    {0x2000, 0x206F},    // General Punctuation (spaces, dashes, quotes)
    {0x20A0, 0x20CF},    // Currency Symbols
    {0x2100, 0x214F},    // Letterlike Symbols
    {0x2190, 0x23FF},    // Arrows, Mathematical Operators, Misc Technical
    {0x2460, 0x27BF},    // Enclosed, box drawing, shapes, misc symbols, dingbats
    {0x2900, 0x2BFF},    // Supplemental arrows and math, misc symbols
    {0x3000, 0x303F},    // CJK Symbols and Punctuation
    {0xFE30, 0xFE6F},    // CJK compatibility and small form variants
    {0xFF01, 0xFF0F},    // fullwidth ! … /
    {0xFF1A, 0xFF20},    // fullwidth : … @
    {0x1F000, 0x1FAFF},  // emoji and other pictographs
}};

}  // namespace

bool IsUppercase(char32_t cp) {
  if (cp == 0x03A2) return false;
  return InRanges(kUpperRanges, cp) || LatinExtendedAUpper(cp);
}

bool IsLowercase(char32_t cp) {
  return InRanges(kLowerRanges, cp) || LatinExtendedALower(cp);
}

bool IsDecimalDigit(char32_t cp) {
  return InRanges(kDigitRanges, cp);
}

bool IsSymbol(char32_t cp) {
  if (cp == 0x00AA || cp == 0x00B5 || cp == 0x00BA) return false;  // ª µ º are letters
  // Zero-width and bidirectional format characters are invisible, not symbols.
  if ((cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E)) return false;
  if (cp >= 0x2060 && cp <= 0x206F) return false;
  return InRanges(kSymbolRanges, cp);
}

bool IsControl(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

char32_t ToLower(char32_t cp) {
  if (!IsUppercase(cp)) return cp;
  if (cp < 0x0100) return cp + 0x20;                       // ASCII and Latin-1
  if (cp < 0x0180) return cp == 0x0178 ? 0x00FF : cp + 1;  // Latin Extended-A
  if (cp <= 0x03A9) return cp + 0x20;                      // Greek Α-Ω
  if (cp <= 0x03AB) return cp + 0x20;                      // Ϊ Ϋ
  if (cp <= 0x040F) return cp + 0x50;                      // Ѐ-Џ
  return cp + 0x20;                                        // А-Я
}

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace deskgate
