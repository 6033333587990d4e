#include "shared/core/csv_writer.h"

namespace deskgate {
namespace {

bool IsFormulaStart(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@';
}

bool NeedsDefusing(std::string_view value) {
  if (value.empty()) return false;
  // A leading apostrophe is defused too, so that UndefusedCsvValue can tell
  // the defusing apostrophe from a value's own and every value reads back.
  if (value[0] == '\t' || value[0] == '\r' || value[0] == '\'') return true;
  const size_t first = value.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && IsFormulaStart(value[first]);
}

}  // namespace

std::string_view UndefusedCsvValue(std::string_view field) {
  if (!field.empty() && field[0] == '\'' && NeedsDefusing(field.substr(1))) {
    return field.substr(1);
  }
  return field;
}

std::string CsvField(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 3);
  out.push_back('"');
  if (NeedsDefusing(value)) out.push_back('\'');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void AppendCsvRow(std::string& out, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (std::string_view field : fields) {
    if (!first) out.push_back(',');
    first = false;
    out += CsvField(field);
  }
  out += "\r\n";
}

}  // namespace deskgate
