#include "shared/core/char_class.h"

#include <catch2/catch.hpp>

using namespace deskgate;

TEST_CASE("Cased letters across Latin, Greek and Cyrillic", "[char_class]") {
  for (char32_t cp : {U'A', U'Z', U'\u00C9', U'\u0139', U'\u0394', U'\u0416'}) {
    CHECK(IsUppercase(cp));
    CHECK_FALSE(IsLowercase(cp));
    CHECK(IsLowercase(ToLower(cp)));
  }
  for (char32_t cp : {U'a', U'z', U'\u00DF', U'\u00E9', U'\u013A', U'\u03B4', U'\u0436'}) {
    CHECK(IsLowercase(cp));
    CHECK_FALSE(IsUppercase(cp));
    CHECK(ToLower(cp) == cp);
  }
  CHECK(ToLower(U'\u00C9') == U'\u00E9');  // É → é
  CHECK(ToLower(U'\u0178') == U'\u00FF');  // Ÿ → ÿ
  CHECK(ToLower(U'\u0139') == U'\u013A');  // Ĺ → ĺ (odd-numbered pair)
  CHECK(ToLower(U'\u0401') == U'\u0451');  // Ё → ё
  CHECK_FALSE(IsUppercase(U'\u00D7'));     // × is a symbol, not a letter
  CHECK_FALSE(IsUppercase(U'\u03A2'));     // unassigned in the Greek block
}

TEST_CASE("Uncased scripts count as neither case", "[char_class]") {
  for (char32_t cp : {U'\u65E5', U'\u0627', U'\u05D0'}) {  // 日, alef, aleph
    CHECK_FALSE(IsUppercase(cp));
    CHECK_FALSE(IsLowercase(cp));
    CHECK_FALSE(IsSymbol(cp));
    CHECK_FALSE(IsDecimalDigit(cp));
  }
}

TEST_CASE("Digits, symbols and controls", "[char_class]") {
  CHECK(IsDecimalDigit(U'0'));
  CHECK(IsDecimalDigit(U'\u0663'));  // Arabic-Indic three
  CHECK(IsDecimalDigit(U'\uFF19'));  // fullwidth nine
  CHECK_FALSE(IsDecimalDigit(U'a'));
  for (char32_t cp : {U' ', U'!', U'/', U'@', U'[', U'`', U'~', U'\u00A3', U'\u20AC', U'\u2014',
                      U'\u3002', U'\U0001F600'}) {
    CHECK(IsSymbol(cp));
  }
  for (char32_t cp : {U'a', U'0', U'\u00B5', U'\u200B', U'\u202E'}) CHECK_FALSE(IsSymbol(cp));
  CHECK(IsControl(U'\0'));
  CHECK(IsControl(U'\t'));
  CHECK(IsControl(U'\u007F'));
  CHECK(IsControl(U'\u0085'));
  CHECK_FALSE(IsControl(U' '));
}
