// CSV output that spreadsheets open safely (RFC 4180 plus OWASP's CSV
// injection guidance): every field is quoted, so a separator of any locale
// (',' or ';'), a quote or a line break inside a field never splits it;
// and a field a spreadsheet would run as a formula is defused with a
// leading apostrophe. That is a field whose first character is = + - @,
// TAB, CR or an apostrophe, or whose first character after leading
// whitespace is one of = + - @ (spreadsheets skip the whitespace).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace deskgate {

// One field, quoted and defused.
std::string CsvField(std::string_view value);

// The value a field read back from such a file stands for: the defusing
// apostrophe taken off again (UndefusedCsvValue(x) == v for the x that
// CsvField(v) quoted), so an export imports back unchanged.
std::string_view UndefusedCsvValue(std::string_view field);

// Appends one row (fields joined by ',', ended by CRLF) to `out`.
void AppendCsvRow(std::string& out, std::initializer_list<std::string_view> fields);

}  // namespace deskgate
