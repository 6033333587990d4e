// CSV fields of exports: whatever the text, the field is quoted with every
// quote doubled (so it never splits a row), reads back as the text (with a
// leading apostrophe when defused), and never starts a formula.
#include <string>

#include "shared/core/csv_writer.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using deskgate::fuzz::Check;
  const std::string_view text = deskgate::fuzz::Text(data, size);
  const std::string field = deskgate::CsvField(text);
  Check(field.size() >= 2 && field.front() == '"' && field.back() == '"', "quoted");
  std::string read;  // RFC 4180: inside quotes, "" is one quote
  for (size_t i = 1; i + 1 < field.size(); ++i) {
    if (field[i] == '"') {
      Check(field[i + 1] == '"' && i + 2 < field.size(), "quotes doubled");
      ++i;
    }
    read.push_back(field[i]);
  }
  const bool defused = read.size() == text.size() + 1 && read[0] == '\'';
  Check(read == text || (defused && std::string_view(read).substr(1) == text), "reads back");
  const size_t first = read.find_first_not_of(" \t\r\n");
  Check(first == std::string::npos || std::string("=+-@").find(read[first]) == std::string::npos,
        "never a formula");
  Check(read.empty() || (read[0] != '\t' && read[0] != '\r'), "no leading TAB or CR");
  return 0;
}
