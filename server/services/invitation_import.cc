// InvitationService::Import: many invitations from one CSV file.
#include <algorithm>
#include <map>

#include "server/services/accounts.h"
#include "server/services/invitations.h"
#include "server/services/people_service.h"
#include "shared/core/csv_reader.h"
#include "shared/core/json_writer.h"
#include "shared/core/utf8.h"

namespace deskgate::services {
namespace {

std::string Trimmed(std::string_view text) {
  const size_t start = text.find_first_not_of(" \t");
  if (start == std::string_view::npos) return "";
  return std::string(text.substr(start, text.find_last_not_of(" \t") - start + 1));
}

std::string Lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

struct Columns {
  size_t name = 0;
  size_t email = 0;
};

// Where the name and email columns are, from the header row.
Result<Columns> FindColumns(const std::vector<std::string>& header) {
  std::optional<size_t> name;
  std::optional<size_t> email;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string label = Lowered(Trimmed(header[i]));
    if (label == "name" && !name) name = i;
    if ((label == "email" || label == "e-mail" || label == "email address") && !email) email = i;
  }
  if (!name || !email) {
    return Status::Error("the first row must name the columns: name and email (found: " +
                         (header.empty() ? std::string("nothing") : header.front()) +
                         (header.size() > 1 ? ", …" : "") + ")");
  }
  return Columns{*name, *email};
}

// Checks one data row; `row.outcome` is "error" with the reason, or empty.
void CheckRow(const CsvRow& csv, const Columns& at, ImportRow& row) {
  const auto field = [&](size_t i) {
    return i < csv.fields.size() ? Trimmed(csv.fields[i]) : std::string();
  };
  row.row = csv.number;
  row.name = field(at.name);
  const std::string email = field(at.email);
  row.email = NormalizeEmail(email);
  const auto fail = [&](std::string why) {
    row.outcome = "error";
    row.error = std::move(why);
  };
  if (email.empty()) return fail("email: missing");
  if (!IsPlausibleEmail(email)) return fail("email: not a valid email address");
  if (row.name.empty()) return fail("name: missing");
  if (row.name.size() > PeopleService::kMaxNameBytes) {
    return fail("name: longer than " + std::to_string(PeopleService::kMaxNameBytes) + " bytes");
  }
}

}  // namespace

Result<ImportReport> InvitationService::Import(const store::Person& admin, store::Portal portal,
                                               std::string_view csv, bool dry_run,
                                               const std::string& ip) {
  if (!PeopleService::CanManage(admin)) {
    return Status::Of(StatusCode::kPermissionDenied, "only Administrators invite people");
  }
  auto modes = SignInModes(portal);
  if (!modes.ok()) return modes.status();
  CsvLimits limits;
  limits.max_rows = kMaxImportRows + 1;  // and the header
  limits.max_field_bytes = 4096;
  auto table = ReadCsv(csv, limits);
  if (!table.ok()) return Status::Error("csv: " + table.status().message());
  const std::vector<CsvRow>& rows = table.value().rows;
  if (rows.size() < 2) return Status::Error("csv: the file has no rows under its header");
  auto columns = FindColumns(rows.front().fields);
  if (!columns.ok()) return Status::Error("csv: " + columns.status().message());

  ImportReport report;
  report.dry_run = dry_run;
  std::map<std::string, size_t> first_row_of;  // address → the row it was first on
  for (size_t i = 1; i < rows.size(); ++i) {
    ImportRow row;
    CheckRow(rows[i], columns.value(), row);
    if (row.outcome.empty()) {
      const auto [seen, fresh] = first_row_of.emplace(row.email, row.row);
      if (!fresh) {
        row.outcome = "error";
        row.error = "email: also on row " + std::to_string(seen->second);
      }
    }
    if (row.outcome.empty()) {
      auto existing = store_.FindPerson(portal, row.email);
      if (!existing.ok()) return existing.status();
      row.outcome = existing.value() ? "exists" : "invited";
    }
    report.errors += row.outcome == "error";
    report.existing += row.outcome == "exists";
    report.invited += row.outcome == "invited";
    report.rows.push_back(std::move(row));
  }
  if (dry_run || report.errors > 0 || report.invited == 0) return report;

  const int64_t now = clock_.Now();
  std::vector<store::PersonInvitation> invitations;
  std::vector<std::string> links;
  for (const ImportRow& row : report.rows) {
    if (row.outcome != "invited") continue;
    Link link = NewLink(admin, portal, row.email, row.name, modes.value().password, now);
    const std::string role = portal == store::Portal::kAgent ? "Agent" : "";
    invitations.push_back({{portal, row.email, row.name, role, ""}, std::move(link.invitation)});
    links.push_back(std::move(link.url));
  }
  JsonWriter details;
  details.BeginObject().Key("invited_by").String(admin.email).Key("imported").Bool(true);
  auto ids =
      store_.InvitePeople(invitations, {now, admin.id, store::PortalName(portal), "person.invited",
                                        "", ip, details.EndObject().Take()});
  if (!ids.ok()) return ids.status();
  report.written = true;
  // Whether each link went by mail was decided with its row (mail settings
  // may change meanwhile): a link not mailed is handed back.
  report.mailed = true;
  size_t next = 0;
  for (ImportRow& row : report.rows) {
    if (row.outcome != "invited") continue;
    if (!invitations[next].invitation.mail) {
      row.link = links[next];
      report.mailed = false;
    }
    ++next;
  }
  return report;
}

}  // namespace deskgate::services
