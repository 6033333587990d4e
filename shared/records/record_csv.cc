#include "shared/records/record_csv.h"

#include <algorithm>
#include <optional>

#include "shared/core/csv_reader.h"
#include "shared/core/csv_writer.h"

namespace deskgate {

const std::vector<std::string_view>& RecordCsvColumns(RecordKind kind) {
  static const std::vector<std::string_view> kAssets = {
      "name",          "asset_tag",        "type",
      "serial_number", "status",           "impact",
      "location",      "managed_by_group", "managed_by_agent",
      "notes"};
  static const std::vector<std::string_view> kSoftware = {
      "name",     "publisher",        "version_string",   "licence_count", "impact",
      "location", "managed_by_group", "managed_by_agent", "notes"};
  return kind == RecordKind::kAsset ? kAssets : kSoftware;
}

std::string RecordCsvHeader(RecordKind kind) {
  std::string out;
  for (std::string_view column : RecordCsvColumns(kind)) {
    if (!out.empty()) out.push_back(',');
    out.append(column);
  }
  return out + "\r\n";
}

void AppendRecordCsv(std::string& out, RecordKind kind, const RecordCsvRow& row) {
  const RecordDetails& d = row.details;
  const std::string_view impact = ImpactName(row.impact);
  if (kind == RecordKind::kAsset) {
    const std::string_view status = row.retired ? "retired" : AssetStatusName(d.status);
    AppendCsvRow(out, {d.name, d.detail1, d.detail2, d.serial_number, status, impact, row.location,
                       row.group, row.agent, d.notes});
  } else {
    const std::string licences = d.licence_count ? std::to_string(*d.licence_count) : "";
    AppendCsvRow(out, {d.name, d.detail1, d.detail2, licences, impact, row.location, row.group,
                       row.agent, d.notes});
  }
}

namespace {

// "Asset tag", "asset-tag", " ASSET_TAG " → "asset_tag".
std::string Normalized(std::string_view header) {
  std::string out;
  for (char c : header) {
    if (c == ' ' || c == '-' || c == '_') {
      if (!out.empty() && out.back() != '_') out.push_back('_');
    } else {
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

// The column a header names, or "" for none.
std::string_view ColumnFor(RecordKind kind, std::string_view header) {
  const std::string name = Normalized(header);
  static const std::pair<std::string_view, std::string_view> kAliases[] = {
      {"tag", "asset_tag"},          {"serial", "serial_number"},
      {"version", "version_string"}, {"licences", "licence_count"},
      {"licenses", "licence_count"}, {"license_count", "licence_count"},
      {"group", "managed_by_group"}, {"agent", "managed_by_agent"},
  };
  std::string_view wanted = name;
  for (const auto& [alias, column] : kAliases) {
    if (name == alias) wanted = column;
  }
  for (std::string_view column : RecordCsvColumns(kind)) {
    if (column == wanted) return column;
  }
  return "";
}

std::string Lowered(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string TrimmedSpaces(std::string_view text) {
  const size_t start = text.find_first_not_of(" \t");
  if (start == std::string_view::npos) return "";
  return std::string(text.substr(start, text.find_last_not_of(" \t") - start + 1));
}

// A cell's value as the API's body holds it. Impact and status are
// matched loosely ("High", "In stock"); a licence count of digits is a
// number, empty is none, anything else stays text for the rules to refuse.
std::optional<JsonValue> CellValue(std::string_view column, const std::string& cell) {
  const std::string trimmed = TrimmedSpaces(cell);
  if (column == "impact") {
    if (trimmed.empty()) return std::nullopt;  // keeps the record's, or low
    return JsonValue::String(Lowered(trimmed));
  }
  if (column == "status") {
    if (trimmed.empty()) return std::nullopt;
    return JsonValue::String(Normalized(trimmed));
  }
  if (column == "licence_count") {
    if (trimmed.empty()) return JsonValue();  // null: no count
    if (trimmed.size() <= 10 && trimmed.find_first_not_of("0123456789") == std::string::npos) {
      return JsonValue::Number(std::stod(trimmed));
    }
    return JsonValue::String(trimmed);
  }
  return JsonValue::String(cell);
}

}  // namespace

Result<RecordCsvImport> ReadRecordCsv(RecordKind kind, std::string_view text) {
  CsvLimits limits;
  limits.max_rows = kMaxImportRows + 1;  // and the header
  auto table = ReadCsv(text, limits);
  if (!table.ok()) return table.status();
  if (table.value().rows.empty()) return Status::Error("the file is empty");
  RecordCsvImport import;
  const std::vector<std::string>& header = table.value().rows.front().fields;
  std::vector<std::string_view> columns;
  for (const std::string& h : header) {
    std::string_view column = ColumnFor(kind, h);
    if (std::find(columns.begin(), columns.end(), column) != columns.end()) column = "";
    if (column.empty() && !TrimmedSpaces(h).empty()) import.ignored_columns.push_back(h);
    import.mapping.emplace_back(h, std::string(column));
    columns.push_back(column);
  }
  const auto has = [&](std::string_view c) {
    return std::find(columns.begin(), columns.end(), c) != columns.end();
  };
  if (!has("name") || (kind == RecordKind::kAsset && !has("asset_tag"))) {
    return Status::Error(std::string("the first row must name the columns; it needs ") +
                         (kind == RecordKind::kAsset ? "name and asset_tag" : "name") +
                         " (the export's first row shows them all)");
  }
  import.rows.reserve(table.value().rows.size() - 1);
  for (size_t r = 1; r < table.value().rows.size(); ++r) {
    const CsvRow& csv = table.value().rows[r];
    RecordCsvImportRow row;
    row.row = csv.number;
    std::vector<JsonValue::Member> members;
    for (size_t i = 0; i < columns.size(); ++i) {
      const std::string_view column = columns[i];
      if (column.empty()) continue;
      const std::string cell(UndefusedCsvValue(i < csv.fields.size() ? csv.fields[i] : ""));
      CsvReference* reference = column == "location"           ? &row.location
                                : column == "managed_by_group" ? &row.group
                                : column == "managed_by_agent" ? &row.agent
                                                               : nullptr;
      if (reference != nullptr) {
        *reference = CsvReference{true, TrimmedSpaces(cell)};
      } else if (auto value = CellValue(column, cell)) {
        members.emplace_back(std::string(column), std::move(*value));
      }
    }
    row.body = JsonValue::Object(std::move(members));
    import.rows.push_back(std::move(row));
  }
  return import;
}

std::string_view RecordCsvColumnOf(std::string_view error) {
  const std::string_view field = error.substr(0, error.find(':'));
  if (field == "location_id") return "location";
  if (field == "managed_by_group_id") return "managed_by_group";
  if (field == "managed_by_agent_id") return "managed_by_agent";
  return field;
}

}  // namespace deskgate
