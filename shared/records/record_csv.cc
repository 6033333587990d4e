#include "shared/records/record_csv.h"

#include "shared/core/csv_writer.h"

namespace deskgate {

const std::vector<std::string_view>& RecordCsvColumns(RecordKind kind) {
  static const std::vector<std::string_view> kAssets = {
      "name",   "asset_tag", "type",     "serial_number",    "status",
      "impact", "location",  "managed_by_group", "managed_by_agent", "notes"};
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

}  // namespace deskgate
