// Character classes used by the password rules.
//
// These are deliberately small tables rather than the full Unicode database:
// they must compile into the WebAssembly module at a few hundred bytes, and
// give the same answer in every build. Coverage:
//   - cased letters: ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic;
//   - digits: ASCII, Arabic-Indic, Devanagari and fullwidth digits;
//   - symbols: ASCII punctuation and space, Latin-1 punctuation and signs,
//     and the Unicode blocks of punctuation, currency, arrows, mathematical
//     and technical symbols, box drawing, dingbats, CJK and fullwidth
//     punctuation, and emoji.
// Letters of other scripts (CJK ideographs, Arabic, …) count toward length
// but satisfy none of the class rules.
#pragma once

#include <string>
#include <string_view>

namespace deskgate {

bool IsUppercase(char32_t cp);
bool IsLowercase(char32_t cp);
bool IsDecimalDigit(char32_t cp);
bool IsSymbol(char32_t cp);
// C0 and C1 controls and DEL: characters nobody can type into a password box.
bool IsControl(char32_t cp);

// Simple one-to-one lowercase mapping for the cased letters above; any other
// code point maps to itself.
char32_t ToLower(char32_t cp);

// A-Z to a-z, every other byte as it is: for emails, domains and ids,
// which are compared case-insensitively in ASCII only.
std::string LowerAscii(std::string_view text);

}  // namespace deskgate
