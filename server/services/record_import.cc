// RecordsService::Import: a company's inventory from one CSV file.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "server/services/record_history.h"
#include "server/services/records_service.h"
#include "shared/core/json_writer.h"
#include "shared/records/record_csv.h"

namespace deskgate::services {
namespace {

std::string Lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Names to ids, case-insensitively; a name two entries share maps to 0.
using NameIndex = std::unordered_map<std::string, int64_t>;

NameIndex IndexOf(const std::vector<store::Named>& named) {
  NameIndex index;
  for (const store::Named& n : named) {
    auto [it, added] = index.emplace(Lowered(n.name), n.id);
    if (!added) it->second = 0;
  }
  return index;
}

// The text of a body member, trimmed as the rules will trim it.
std::string Text(const JsonValue& body, const char* key) {
  const JsonValue* v = body.Find(key);
  if (v == nullptr || !v->is_string()) return "";
  const std::string& s = v->as_string();
  const size_t start = s.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return "";
  return s.substr(start, s.find_last_not_of(" \t\r\n") - start + 1);
}

// A record's natural key (see RecordWrite::FindByKeys).
std::string KeyOf(store::RecordKind kind, const std::string& name, const std::string& detail1,
                  const std::string& detail2) {
  return kind == store::RecordKind::kAsset ? detail1 : name + '\x1f' + detail2;
}

std::string ImportAuditDetails(store::RecordKind kind, const RecordImportReport& r) {
  JsonWriter w;
  w.BeginObject().Key("kind").String(store::RecordKindName(kind));
  w.Key("rows").Int(static_cast<int64_t>(r.rows));
  w.Key("created").Int(static_cast<int64_t>(r.created));
  w.Key("updated").Int(static_cast<int64_t>(r.updated));
  w.Key("unchanged").Int(static_cast<int64_t>(r.unchanged));
  w.Key("locations_created").BeginArray();
  for (const std::string& l : r.locations_created) w.String(l);
  w.EndArray();
  return w.EndObject().Take();
}

}  // namespace

Result<RecordImportReport> RecordsService::Import(const store::Person& actor,
                                                  store::RecordKind kind, std::string_view csv,
                                                  const RecordImportOptions& options,
                                                  const std::string& ip) {
  auto scope = ScopeOf(actor);
  if (!scope.ok()) return scope.status();
  auto file = ReadRecordCsv(kind, csv);
  if (!file.ok()) return file.status();
  auto names = store_.ListRecordNames();
  if (!names.ok()) return names.status();
  NameIndex locations = IndexOf(names.value().locations);
  const NameIndex groups = IndexOf(names.value().groups);
  const NameIndex agents = IndexOf(names.value().agents);

  RecordImportReport report;
  report.dry_run = options.dry_run;
  report.rows = file.value().rows.size();
  report.ignored_columns = file.value().ignored_columns;
  report.mapping = file.value().mapping;
  auto problem = [&](size_t row, std::string_view column, std::string error) {
    report.problems.push_back({row, std::string(column), std::move(error)});
  };

  // Each row's natural key, once per file.
  std::vector<std::string> keys;
  std::vector<bool> repeated;  // by row index: its key is an earlier row's
  std::map<std::string, size_t> first_row_of;
  for (const RecordCsvImportRow& row : file.value().rows) {
    const std::string key = KeyOf(kind, Text(row.body, "name"), Text(row.body, Detail1Key(kind)),
                                  Text(row.body, Detail2Key(kind)));
    auto [it, added] = first_row_of.emplace(key, row.row);
    if (!added && !key.empty() && key != "\x1f") {
      problem(row.row, kind == store::RecordKind::kAsset ? "asset_tag" : "name",
              std::string(kind == store::RecordKind::kAsset ? "the same asset tag"
                                                            : "the same name and version") +
                  " as row " + std::to_string(it->second));
    }
    keys.push_back(key);
    repeated.push_back(!added && !key.empty() && key != "\x1f");
  }

  auto tx = store_.BeginRecordWrite();
  if (!tx.ok()) return Unsaved(tx.status());
  auto existing = tx.value()->FindByKeys(kind, keys);
  if (!existing.ok()) return Unsaved(existing.status());
  std::unordered_map<std::string, store::Record> by_key;
  for (store::Record& r : existing.value()) {
    by_key.emplace(KeyOf(kind, r.details.name, r.details.detail1, r.details.detail2), std::move(r));
  }

  const int64_t now = clock_.Now();
  store::RecordWrite::ManyInsert creates;  // written together after the loop
  for (size_t i = 0; i < file.value().rows.size(); ++i) {
    const RecordCsvImportRow& row = file.value().rows[i];
    if (repeated[i]) continue;  // reported above
    const size_t problems_before = report.problems.size();
    // References by name, resolved to ids in the body.
    std::vector<JsonValue::Member> members = row.body.members();
    const auto resolve = [&](const CsvReference& ref, const char* column, const char* field,
                             const NameIndex& index, const char* noun) {
      if (!ref.given) return;
      if (ref.name.empty()) {
        members.emplace_back(field, JsonValue());
        return;
      }
      auto it = index.find(Lowered(ref.name));
      if (it != index.end() && it->second != 0) {
        members.emplace_back(field, JsonValue::Number(static_cast<double>(it->second)));
      } else if (it != index.end()) {
        problem(row.row, column,
                std::string("more than one ") + noun + " is named '" + ref.name + "'");
      } else if (field == std::string("location_id") && options.create_locations) {
        const std::string& name = ref.name;
        int64_t id = -1;  // a dry run only reports it
        if (!options.dry_run) {
          auto added = tx.value()->AddLocation(name);
          if (!added.ok()) return problem(row.row, column, "the location could not be added");
          id = added.value();
        }
        locations.emplace(Lowered(name), id);
        report.locations_created.push_back(name);
        members.emplace_back(field,
                             JsonValue::Number(static_cast<double>(std::max<int64_t>(id, 1))));
      } else {
        problem(
            row.row, column,
            std::string("no ") + noun + " is named '" + ref.name + "'" +
                (field == std::string("location_id") ? " (or import with create_locations)" : ""));
      }
    };
    resolve(row.location, "location", "location_id", locations, "location");
    resolve(row.group, "managed_by_group", "managed_by_group_id", groups, "group");
    resolve(row.agent, "managed_by_agent", "managed_by_agent_id", agents, "agent");
    if (report.problems.size() != problems_before) continue;

    auto found = by_key.find(keys[i]);
    const bool creating = found == by_key.end();
    auto edit = RecordEditFromJson(kind, JsonValue::Object(std::move(members)), creating);
    if (!edit.ok()) {
      if (edit.error() == "change: names no field") {
        ++report.unchanged;
        continue;
      }
      problem(row.row, RecordCsvColumnOf(edit.error()), edit.error());
      continue;
    }
    const store::Record before = creating ? store::Record() : found->second;
    store::Record after = before;
    ApplyDetailsChange(edit.value().details, after.details);
    ApplyRecordChange(edit.value().fields, after.fields);
    if (edit.value().details.retired) after.retired_at = *edit.value().details.retired ? now : 0;
    if (before.retired_at && after.retired_at) after.retired_at = before.retired_at;
    const bool allowed = creating ? scope.value().Allows(after.fields)
                                  : scope.value().AllowsChange(before.fields, after.fields);
    if (!allowed) {
      problem(row.row, "managed_by_group",
              std::string(creating ? kLeavesEditScope : kOutsideEditScope));
      continue;
    }
    if (!creating && after.details == before.details && after.fields == before.fields &&
        after.retired_at == before.retired_at) {
      ++report.unchanged;
      continue;
    }
    ++(creating ? report.created : report.updated);
    if (options.dry_run || !report.problems.empty()) continue;  // nothing will be written
    std::string changes = RecordChangesJson(kind, before, after);
    if (creating) {
      creates.records.push_back(std::move(after));
      creates.changes.push_back(std::move(changes));
      continue;
    }
    Status s = tx.value()->Write(kind, before, after, {now, actor.id, std::move(changes), true});
    if (!s.ok()) return Unsaved(s);
  }
  if (options.dry_run || !report.problems.empty()) return report;  // rolled back
  Status s = tx.value()->InsertMany(kind, creates, {now, actor.id, "", true});
  if (!s.ok()) return Unsaved(s);
  s = tx.value()->Audit({now, actor.id, "agent",
                         store::RecordKindName(kind) + std::string(".imported"), "", ip,
                         ImportAuditDetails(kind, report)});
  if (s.ok()) s = tx.value()->Commit();
  ++write_generation_;
  if (!s.ok()) return Unsaved(s);
  report.written = true;
  return report;
}

}  // namespace deskgate::services
