#include "server/http/record_routes.h"

#include <charconv>
#include <unordered_map>
#include <unordered_set>

#include "server/http/api_routes.h"
#include "server/http/error_response.h"
#include "server/http/http_server.h"
#include "server/http/json_request.h"
#include "server/http/list_cache.h"
#include "server/http/record_request.h"
#include "shared/core/json_fields.h"
#include "shared/core/json_writer.h"
#include "shared/core/utf8.h"
#include "shared/records/record_csv.h"

namespace deskgate::http {
namespace {

using store::RecordKind;

constexpr const char* kKinds = "(assets|software)";

RecordKind KindOf(const httplib::Request& req) {
  return req.matches[1].str() == "assets" ? RecordKind::kAsset : RecordKind::kSoftware;
}

// A record as the API answers it: a list row, or `whole` (one record, with
// its notes and retirement).
void WriteRecord(JsonWriter& w, RecordKind kind, const store::Record& r, bool whole = false) {
  w.BeginObject().Key("id").Int(r.id);
  WriteDetails(w, kind, r.details, r.retired_at != 0, whole);
  if (whole) {
    w.Key("retired_at");
    w.OptionalInt(r.retired_at ? std::optional<int64_t>(r.retired_at) : std::nullopt);
  }
  w.Key("impact").String(ImpactName(r.fields.impact));
  w.Key("location_id");
  w.OptionalInt(r.fields.location);
  w.Key("managed_by_group_id");
  w.OptionalInt(r.fields.group);
  w.Key("managed_by_agent_id");
  w.OptionalInt(r.fields.agent);
  w.Key("version").Int(r.version).Key("updated_at").Int(r.updated_at).EndObject();
}

std::string RecordJson(RecordKind kind, const store::Record& r) {
  JsonWriter w;
  WriteRecord(w, kind, r, true);
  return w.Take();
}

// "7": a row version as an entity tag. (Built with append: GCC 12 warns
// falsely about "\"" + std::to_string(…) under -O3.)
std::string VersionTag(int64_t version) {
  std::string tag = "\"";
  tag.append(std::to_string(version)).push_back('"');
  return tag;
}

// The version an If-Match header names: "7", 7 or W/"7".
std::optional<int64_t> IfMatchVersion(std::string_view value) {
  if (value.substr(0, 2) == "W/") value.remove_prefix(2);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  return ParseId(value);
}

// A refused edit: the code says why. A failure underneath keeps the
// database's own message in the server: the person learns that nothing
// changed.
void SendEditError(httplib::Response& res, const Status& status) {
  if (status.code() == StatusCode::kUnavailable || status.code() == StatusCode::kInternal) {
    return SendStatus(res,
                      Status::Of(status.code(), "the change could not be saved; nothing changed"));
  }
  SendStatus(res, status);
}

// A read the database did not answer: 503, the store's own message kept
// in the server.
void SendUnavailable(httplib::Response& res, const char* what) {
  SendStatus(res, Status::Of(StatusCode::kUnavailable, what));
}

// The signed-in agent, or nullopt after 401/403.
std::optional<services::SessionInfo> RequireViewer(const Site& site, services::AuthService& auth,
                                                   const httplib::Request& req,
                                                   httplib::Response& res) {
  auto me = RequireSession(site, auth, req, res);
  if (!me) return std::nullopt;
  if (!services::RecordsService::CanView(me->person)) {
    SendError(res, 403, "assets and software are for agents");
    return std::nullopt;
  }
  return me;
}

// The answer to a change of one record: the record (200, with its ETag),
// 404, 403 for a row outside the person's groups (the row's outcome, as a
// bulk action reports it), or 412 with the current row.
void SendUpdate(httplib::Response& res, RecordKind kind,
                const Result<services::RecordUpdate>& result) {
  if (!result.ok()) return SendEditError(res, result.status());
  const services::RecordUpdate& u = result.value();
  using O = services::RowOutcome;
  if (u.outcome == O::kNotFound) return SendError(res, 404, "no such record");
  if (u.outcome == O::kForbidden) {
    JsonWriter w;
    w.BeginObject().Key("error").String(std::string(kOutsideEditScope));
    w.Key("code").String(CodeName(StatusCode::kPermissionDenied));
    w.Key("outcome").String(BulkOutcomeName(O::kForbidden)).EndObject();
    return SendJson(res, w.Take(), 403);
  }
  if (u.outcome == O::kConflict) {
    JsonWriter w;
    w.BeginObject().Key("error").String(
        "Someone else changed this row since you loaded it. Review their change and try "
        "again.");
    w.Key("code").String(CodeName(StatusCode::kConflict)).Key("current");
    WriteRecord(w, kind, u.record);
    return SendJson(res, w.EndObject().Take(), 412);
  }
  res.set_header("ETag", VersionTag(u.record.version));
  SendJson(res, RecordJson(kind, u.record));
}

void SendImportReport(httplib::Response& res, const services::RecordImportReport& r) {
  JsonWriter w;
  w.BeginObject();
  const bool refused = !r.dry_run && !r.problems.empty();
  if (refused) {
    w.Key("error").String(std::to_string(r.problems.size()) +
                          (r.problems.size() == 1 ? " problem" : " problems") +
                          " in the file; nothing was imported");
    w.Key("code").String(CodeName(StatusCode::kInvalidArgument));
  }
  w.Key("dry_run").Bool(r.dry_run).Key("written").Bool(r.written);
  w.Key("rows").Int(static_cast<int64_t>(r.rows));
  w.Key("created").Int(static_cast<int64_t>(r.created));
  w.Key("updated").Int(static_cast<int64_t>(r.updated));
  w.Key("unchanged").Int(static_cast<int64_t>(r.unchanged));
  w.Key("problems").BeginArray();
  for (const auto& p : r.problems) {
    w.BeginObject().Key("row").Int(static_cast<int64_t>(p.row)).Key("column").String(p.column);
    w.Key("error").String(p.error).EndObject();
  }
  w.EndArray().Key("columns").BeginArray();
  for (const auto& [header, column] : r.mapping) {
    w.BeginObject().Key("header").String(header).Key("column");
    if (column.empty()) {
      w.Null();
    } else {
      w.String(column);
    }
    w.EndObject();
  }
  w.EndArray().Key("ignored_columns").BeginArray();
  for (const auto& c : r.ignored_columns) w.String(c);
  w.EndArray().Key("locations_created").BeginArray();
  for (const auto& l : r.locations_created) w.String(l);
  w.EndArray();
  SendJson(res, w.EndObject().Take(), refused ? 400 : 200);
}

// The cache key of a parsed query: every field, text length-prefixed, so
// no two different queries share one (and unknown parameters add nothing).
std::string QueryKey(RecordKind kind, const store::RecordQuery& q) {
  std::string key = store::RecordKindName(kind);
  auto add = [&key](int64_t n) { key.append("|").append(std::to_string(n)); };
  add(q.offset);
  add(q.limit);
  add(static_cast<int>(q.sort));
  add(q.descending);
  add(static_cast<int64_t>(q.filter.q.size()));
  key.append(":").append(q.filter.q);
  add(q.filter.impact ? static_cast<int>(*q.filter.impact) : -1);
  add(q.filter.retired);
  for (const store::RefFilter* ref : {&q.filter.location, &q.filter.group, &q.filter.agent}) {
    add(!ref->set ? -1 : !ref->id ? 0 : *ref->id);  // any, none, or the id
  }
  return key;
}

// {"shown":N,"hidden":[ids]}: the checked ids the filter hides (or that are
// gone), each once, in the order given.
std::string ViewCheckJson(const std::vector<int64_t>& ids, const std::vector<int64_t>& shown) {
  std::unordered_set<int64_t> seen(shown.begin(), shown.end());
  JsonWriter w;
  w.BeginObject().Key("shown").Int(static_cast<int64_t>(shown.size())).Key("hidden").BeginArray();
  for (int64_t id : ids) {
    if (seen.insert(id).second) w.Int(id);
  }
  return w.EndArray().EndObject().Take();
}

void HandleList(const Site& site, services::AuthService& auth, services::RecordsService& records,
                ListCache& cache, const httplib::Request& req, httplib::Response& res) {
  if (!RequireViewer(site, auth, req, res)) return;
  const RecordKind kind = KindOf(req);
  auto query = ParseRecordQuery(req.params, kind);
  if (!query.ok()) return SendError(res, 400, query.error());
  // Every agent sees the same list, so a page is cached by its query alone,
  // and by the records' write generation read before querying: a page
  // rendered before an edit is never served after it.
  const std::string key =
      QueryKey(kind, query.value()) + "@" + std::to_string(records.WriteGeneration());
  const uint64_t generation = cache.generation();
  if (auto body = cache.Get(key)) return SendJson(res, std::move(*body));
  auto page = records.List(kind, query.value());
  if (!page.ok()) return SendUnavailable(res, "the list is unavailable");
  JsonWriter w(64 + page.value().rows.size() * 220);
  w.BeginObject().Key("total").Int(page.value().total).Key("rows").BeginArray();
  for (const store::Record& r : page.value().rows) WriteRecord(w, kind, r);
  w.EndArray().EndObject();
  std::string body = w.Take();
  cache.Put(key, body, generation);
  SendJson(res, std::move(body));
}

// GET /api/{kind}.csv: every record the list's query matches, in its
// order, streamed in chunks (memory stays flat however many rows), with
// names for references; the import reads it back (record_csv.h).
void HandleExport(const Site& site, services::AuthService& auth, services::RecordsService& records,
                  const httplib::Request& req, httplib::Response& res) {
  if (!RequireViewer(site, auth, req, res)) return;
  const RecordKind kind = KindOf(req);
  auto query = ParseRecordQuery(req.params, kind);
  if (!query.ok()) return SendError(res, 400, query.error());
  auto names = records.Names();
  if (!names.ok()) return SendUnavailable(res, "the list is unavailable");
  auto cursor = records.Export(kind, query.value());
  if (!cursor.ok()) return SendUnavailable(res, "the list is unavailable");
  struct Export {
    std::unique_ptr<store::RecordCursor> cursor;
    std::unordered_map<int64_t, std::string> location, group, agent;
    bool header_sent = false;
  };
  auto state = std::make_shared<Export>();
  state->cursor = std::move(cursor).value();
  for (const auto& n : names.value().locations) state->location.emplace(n.id, n.name);
  for (const auto& n : names.value().groups) state->group.emplace(n.id, n.name);
  for (const auto& n : names.value().agents) state->agent.emplace(n.id, n.name);
  res.set_header("Content-Disposition",
                 std::string("attachment; filename=\"deskgate-") + req.matches[1].str() + ".csv\"");
  res.set_chunked_content_provider(
      "text/csv; charset=utf-8", [state, kind](size_t, httplib::DataSink& sink) {
        constexpr size_t kChunk = 64 * 1024;
        std::string chunk;
        if (!state->header_sent) {
          chunk = RecordCsvHeader(kind);
          state->header_sent = true;
        }
        const auto name_of = [](const auto& map, const std::optional<int64_t>& id) {
          if (!id) return std::string();
          auto it = map.find(*id);
          return it == map.end() ? std::string() : it->second;
        };
        while (chunk.size() < kChunk) {
          auto next = state->cursor->Next();
          if (!next.ok()) return false;  // ends the response short: the download fails visibly
          if (!next.value()) {
            if (!chunk.empty() && !sink.write(chunk.data(), chunk.size())) return false;
            sink.done();
            return true;
          }
          const store::Record& r = *next.value();
          AppendRecordCsv(
              chunk, kind,
              {r.details, r.retired_at != 0, r.fields.impact,
               name_of(state->location, r.fields.location), name_of(state->group, r.fields.group),
               name_of(state->agent, r.fields.agent)});
        }
        return sink.write(chunk.data(), chunk.size());
      });
}

void InstallReadRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                       services::RecordsService& records) {
  server.Get(std::string("/api/") + kKinds + R"(\.csv)",
             [&](const httplib::Request& req, httplib::Response& res) {
               HandleExport(site, auth, records, req, res);
             });
  auto cache = std::make_shared<ListCache>();
  server.Get(std::string("/api/") + kKinds,
             [&site, &auth, &records, cache](const httplib::Request& req, httplib::Response& res) {
               HandleList(site, auth, records, *cache, req, res);
             });

  server.Get(std::string("/api/") + kKinds + R"(/(\d+))",
             [&](const httplib::Request& req, httplib::Response& res) {
               if (!RequireViewer(site, auth, req, res)) return;
               const auto id = ParseId(req.matches[2].str());
               if (!id) return SendError(res, 404, "no such record");
               auto found = records.Get(KindOf(req), *id);
               if (!found.ok()) return SendUnavailable(res, "the record is unavailable");
               if (!found.value()) return SendError(res, 404, "no such record");
               res.set_header("ETag", VersionTag(found.value()->version));
               SendJson(res, RecordJson(KindOf(req), *found.value()));
             });

  server.Get(std::string("/api/") + kKinds + R"(/(\d+)/history)",
             [&](const httplib::Request& req, httplib::Response& res) {
               if (!RequireViewer(site, auth, req, res)) return;
               const auto id = ParseId(req.matches[2].str());
               if (!id) return SendError(res, 404, "no such record");
               auto history = records.History(KindOf(req), *id);
               if (!history.ok()) return SendUnavailable(res, "the history is unavailable");
               JsonWriter w;
               w.BeginObject().Key("history").BeginArray();
               for (const store::HistoryRow& h : history.value()) {
                 w.BeginObject().Key("at").Int(h.at).Key("actor").String(h.actor);
                 w.Key("changes").Raw(h.changes).Key("bulk").Bool(h.bulk).EndObject();
               }
               w.EndArray().EndObject();
               SendJson(res, w.Take());
             });

  // Which selected rows the current filter hides, so the page can say so
  // before a bulk action applies to rows nobody sees.
  server.Post(std::string("/api/") + kKinds + "/selection",
              [&](const httplib::Request& req, httplib::Response& res) {
                if (!AcceptJson(req, res)) return;
                if (!RequireViewer(site, auth, req, res)) return;
                auto body = JsonBody(req, res);
                if (!body) return;
                auto check = ViewCheckFromJson(*body);
                if (!check.ok()) return SendError(res, 400, check.error());
                const ViewCheck& c = check.value();
                auto shown = records.MatchingIds(KindOf(req), c.filter, c.ids);
                if (!shown.ok()) return SendUnavailable(res, "the list is unavailable");
                SendJson(res, ViewCheckJson(c.ids, shown.value()));
              });

  server.Get("/api/records/names", [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireViewer(site, auth, req, res);
    if (!me) return;
    auto names = records.Names();
    if (!names.ok()) return SendUnavailable(res, "names are unavailable");
    // What this viewer may change (null: nothing), so the page marks the
    // rows they may not before they try.
    auto scope = records.ScopeOf(me->person);
    if (!scope.ok() && scope.status().code() != StatusCode::kPermissionDenied) {
      return SendUnavailable(res, "names are unavailable");
    }
    JsonWriter w;
    w.BeginObject().Key("edit_scope");
    if (scope.ok()) {
      w.Raw(EditScopeToJson(scope.value()));
    } else {
      w.Null();
    }
    const std::pair<const char*, const std::vector<store::Named>*> lists[] = {
        {"locations", &names.value().locations},
        {"groups", &names.value().groups},
        {"agents", &names.value().agents}};
    for (const auto& [key, list] : lists) {
      w.Key(key).BeginArray();
      for (const store::Named& n : *list) {
        w.BeginObject().Key("id").Int(n.id).Key("name").String(n.name).EndObject();
      }
      w.EndArray();
    }
    SendJson(res, w.EndObject().Take());
  });
}

// A bulk reply lists every row up to this many; past it, a summary.
constexpr size_t kListedResults = 10'000;
constexpr size_t kListedFailures = 100;

// "updated":N, "unchanged":N, "not_found":N, "forbidden":N.
void WriteBulkCounts(JsonWriter& w, const std::vector<services::RowResult>& rows) {
  using O = services::RowOutcome;
  int64_t counts[5] = {};
  for (const services::RowResult& r : rows) ++counts[static_cast<int>(r.outcome)];
  for (O o : {O::kUpdated, O::kUnchanged, O::kNotFound, O::kForbidden}) {
    w.Key(BulkOutcomeName(o)).Int(counts[static_cast<int>(o)]);
  }
}

// The reply to a bulk action over many rows (record_bulk.h, BulkSummary):
// counts, the first rows not updated, and where to download every row's
// outcome.
void SendBulkSummary(const httplib::Request& req, httplib::Response& res,
                     services::RecordsService& records, int64_t person,
                     const std::vector<services::RowResult>& rows) {
  std::vector<services::KeptOutcome> kept;
  kept.reserve(rows.size());
  JsonWriter w;
  w.BeginObject().Key("summary").Bool(true);
  WriteBulkCounts(w, rows);
  w.Key("failures").BeginArray();
  int64_t failures = 0;
  for (const services::RowResult& r : rows) {
    kept.push_back({r.id, r.version, r.outcome});
    const bool failed = r.outcome == services::RowOutcome::kNotFound ||
                        r.outcome == services::RowOutcome::kForbidden;
    if (failed && failures++ < static_cast<int64_t>(kListedFailures)) {
      w.BeginObject().Key("id").Int(r.id).Key("outcome").String(BulkOutcomeName(r.outcome));
      w.EndObject();
    }
  }
  w.EndArray().Key("failures_total").Int(failures);
  const std::string token =
      records.outcomes().Keep(person, KindOf(req), std::move(kept), records.Now());
  w.Key("outcomes").String("/api/" + req.matches[1].str() + "/bulk/outcomes/" + token + ".csv");
  SendJson(res, w.EndObject().Take());
}

// The reply to a bulk action (record_bulk.h): every row's result, or past
// kListedResults rows a summary.
void SendBulkReply(const httplib::Request& req, httplib::Response& res,
                   services::RecordsService& records, int64_t person,
                   const std::vector<services::RowResult>& rows) {
  if (rows.size() > kListedResults) return SendBulkSummary(req, res, records, person, rows);
  JsonWriter w(64 + rows.size() * 48);
  w.BeginObject().Key("results").BeginArray();
  for (const services::RowResult& r : rows) {
    w.BeginObject().Key("id").Int(r.id).Key("outcome").String(BulkOutcomeName(r.outcome));
    if (r.outcome == services::RowOutcome::kUpdated) {
      // What the row held before, so an undo can put each row back.
      w.Key("before");
      WriteFieldsAsChange(w, r.before);
    }
    if (r.outcome != services::RowOutcome::kNotFound) w.Key("version").Int(r.version);
    w.EndObject();
  }
  w.EndArray();
  WriteBulkCounts(w, rows);
  SendJson(res, w.EndObject().Take());
}

// id,outcome,version: one line per row, streamed.
void SendOutcomesCsv(const httplib::Request& req, httplib::Response& res,
                     std::shared_ptr<const std::vector<services::KeptOutcome>> rows) {
  res.set_header("Cache-Control", "no-store");
  res.set_header("Content-Disposition", std::string("attachment; filename=\"deskgate-") +
                                            req.matches[1].str() + "-bulk-outcomes.csv\"");
  auto next = std::make_shared<size_t>(0);
  res.set_chunked_content_provider(
      "text/csv; charset=utf-8", [rows, next](size_t, httplib::DataSink& sink) {
        std::string chunk = *next == 0 ? "id,outcome,version\r\n" : "";
        for (; *next < rows->size() && chunk.size() < 64 * 1024; ++*next) {
          const services::KeptOutcome& r = (*rows)[*next];
          chunk.append(std::to_string(r.id)).push_back(',');
          chunk.append(BulkOutcomeName(r.outcome)).push_back(',');
          if (r.outcome != services::RowOutcome::kNotFound) chunk.append(std::to_string(r.version));
          chunk.append("\r\n");
        }
        if (!chunk.empty() && !sink.write(chunk.data(), chunk.size())) return false;
        if (*next == rows->size()) sink.done();
        return true;
      });
}

void InstallEditRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                       services::RecordsService& records) {
  server.Patch(std::string("/api/") + kKinds + R"(/(\d+))", [&](const httplib::Request& req,
                                                                httplib::Response& res) {
    if (!AcceptJson(req, res)) return;
    auto me = RequireViewer(site, auth, req, res);
    if (!me) return;
    const RecordKind kind = KindOf(req);
    const auto id = ParseId(req.matches[2].str());
    if (!id) return SendError(res, 404, "no such record");
    if (!req.has_header("If-Match")) {
      return SendError(res, 428, "If-Match: required (the version of the row you edited)");
    }
    const auto version = IfMatchVersion(req.get_header_value("If-Match"));
    if (!version) return SendError(res, 400, "If-Match: must be a row version such as \"3\"");
    // The body is the change itself; its errors read as the page's do.
    auto change = ParseBody(req);
    if (!change.ok()) return SendError(res, 400, "change: " + change.error());
    SendUpdate(
        res, kind,
        records.Update(me->person, kind, *id, *version, change.value(), site.ClientAddress(req)));
  });

  // Retire (DELETE) and restore: the record stays, out of the lists, with
  // everything it held. If-Match is optional here: retiring is not an edit
  // of values someone else may have changed.
  auto set_retired = [&](bool retired) {
    return [&, retired](const httplib::Request& req, httplib::Response& res) {
      auto me = RequireViewer(site, auth, req, res);
      if (!me) return;
      const auto id = ParseId(req.matches[2].str());
      if (!id) return SendError(res, 404, "no such record");
      std::optional<int64_t> version;
      if (req.has_header("If-Match")) {
        version = IfMatchVersion(req.get_header_value("If-Match"));
        if (!version) return SendError(res, 400, "If-Match: must be a row version such as \"3\"");
      }
      const RecordKind kind = KindOf(req);
      SendUpdate(
          res, kind,
          records.SetRetired(me->person, kind, *id, version, retired, site.ClientAddress(req)));
    };
  };
  server.Delete(std::string("/api/") + kKinds + R"(/(\d+))", set_retired(true));
  server.Post(std::string("/api/") + kKinds + R"(/(\d+)/restore)", set_retired(false));

  // A CSV file in: {"csv": text, "dry_run": bool, "create_locations": bool}.
  // A dry run answers what would happen; a run with problems answers 400
  // with the same report and writes nothing.
  server.Post(std::string("/api/") + kKinds + "/import", [&](const httplib::Request& req,
                                                             httplib::Response& res) {
    if (!AcceptJson(req, res)) return;
    auto me = RequireViewer(site, auth, req, res);
    if (!me) return;
    auto body = JsonBody(req, res);
    if (!body || !OnlyKnownFields(*body, {"csv", "dry_run", "create_locations"}, res)) return;
    auto csv = StringField(*body, "csv", kMaxUploadBytes, res);
    if (!csv) return;
    services::RecordImportOptions options;
    options.dry_run = false;
    for (auto [key, flag] : {std::pair{"dry_run", &options.dry_run},
                             std::pair{"create_locations", &options.create_locations}}) {
      if (Status s = ReadBool(*body, key, *flag); !s.ok()) return SendStatus(res, s);
    }
    auto report = records.Import(me->person, KindOf(req), *csv, options, site.ClientAddress(req));
    if (!report.ok()) return SendEditError(res, report.status());
    SendImportReport(res, report.value());
  });

  server.Post(std::string("/api/") + kKinds,
              [&](const httplib::Request& req, httplib::Response& res) {
                if (!AcceptJson(req, res)) return;
                auto me = RequireViewer(site, auth, req, res);
                if (!me) return;
                auto body = JsonBody(req, res);
                if (!body) return;
                const RecordKind kind = KindOf(req);
                auto created = records.Create(me->person, kind, *body, site.ClientAddress(req));
                if (!created.ok()) return SendEditError(res, created.status());
                res.set_header("ETag", VersionTag(created.value().version));
                res.set_header("Location", std::string("/api/") + req.matches[1].str() + "/" +
                                               std::to_string(created.value().id));
                SendJson(res, RecordJson(kind, created.value()), 201);
              });

  server.Post(std::string("/api/") + kKinds + "/bulk",
              [&](const httplib::Request& req, httplib::Response& res) {
                if (!AcceptJson(req, res)) return;
                auto me = RequireViewer(site, auth, req, res);
                if (!me) return;
                auto body = JsonBody(req, res);
                if (!body) return;
                if (!OnlyKnownFields(*body, {"selection", "change"}, res)) return;
                const JsonValue* selection_json = body->Find("selection");
                const JsonValue* change = body->Find("change");
                if (selection_json == nullptr) return SendError(res, 400, "selection: required");
                if (change == nullptr) return SendError(res, 400, "change: required");
                auto selection = SelectionFromJson(*selection_json);
                if (!selection.ok()) return SendError(res, 400, selection.error());
                auto results = records.Bulk(me->person, KindOf(req), selection.value(), *change,
                                            site.ClientAddress(req));
                if (!results.ok()) return SendEditError(res, results.status());
                SendBulkReply(req, res, records, me->person.id, results.value());
              });

  // Retires or restores the selection: {"selection": …} as for a change.
  for (const bool retired : {true, false}) {
    const std::string path = retired ? "/bulk/retire" : "/bulk/restore";
    server.Post(std::string("/api/") + kKinds + path,
                [&, retired](const httplib::Request& req, httplib::Response& res) {
                  if (!AcceptJson(req, res)) return;
                  auto me = RequireViewer(site, auth, req, res);
                  if (!me) return;
                  auto body = JsonBody(req, res);
                  if (!body || !OnlyKnownFields(*body, {"selection"}, res)) return;
                  const JsonValue* selection_json = body->Find("selection");
                  if (selection_json == nullptr) return SendError(res, 400, "selection: required");
                  auto selection = SelectionFromJson(*selection_json);
                  if (!selection.ok()) return SendError(res, 400, selection.error());
                  auto results = records.BulkRetire(me->person, KindOf(req), selection.value(),
                                                    retired, site.ClientAddress(req));
                  if (!results.ok()) return SendEditError(res, results.status());
                  SendBulkReply(req, res, records, me->person.id, results.value());
                });
  }

  // Every row's outcome of a bulk action answered with a summary, as CSV,
  // for the person who ran it.
  server.Get(std::string("/api/") + kKinds + R"(/bulk/outcomes/([A-Za-z0-9_-]{43})\.csv)",
             [&](const httplib::Request& req, httplib::Response& res) {
               auto me = RequireViewer(site, auth, req, res);
               if (!me) return;
               auto rows = records.outcomes().Find(req.matches[2].str(), me->person.id, KindOf(req),
                                                   records.Now());
               if (!rows) {
                 return SendError(res, 404, "these outcomes are unknown or no longer kept");
               }
               SendOutcomesCsv(req, res, std::move(rows));
             });
}

}  // namespace

void InstallRecordRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                         services::RecordsService& records) {
  InstallReadRoutes(server, site, auth, records);
  InstallEditRoutes(server, site, auth, records);
}

}  // namespace deskgate::http
