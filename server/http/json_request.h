// Reading JSON requests: the checks every state-changing route makes, and
// typed fields with errors that name them. Each helper writes the 4xx
// response itself and returns false/nullopt, so routes stay short.
#pragma once

#include <httplib.h>

#include <optional>
#include <string>

#include "shared/core/json_value.h"

namespace deskgate::http {

// A request with a body must carry JSON (415 otherwise, returns false).
// (The same-origin rule for state-changing requests is the server's, checked
// before any route: see HttpServer.)
bool AcceptJson(const httplib::Request& req, httplib::Response& res);

// A positive decimal id (a route's (\d+) part or a query value), or
// nullopt for anything else, including ids too large for int64.
std::optional<int64_t> ParseId(std::string_view text);

// Reads an optional whole-number query parameter from 0 to `max` into
// `out` (left alone when absent); false after a 400 naming it on junk.
bool IntParam(const httplib::Request& req, const char* name, int64_t max, int64_t& out,
              httplib::Response& res);

// The body as JSON, read by the shared reader (depth and value limits).
// Parsing costs several times the body's size in memory, so only a few
// large bodies (over kLargeBodyBytes) are parsed at once; the others wait.
inline constexpr size_t kLargeBodyBytes = 64 * 1024;
Result<JsonValue> ParseBody(const httplib::Request& req);

// Bodies are at most 1 MiB, but for uploads (IsUpload): a CSV import of
// 100,000 rows is about 15 MB as a JSON string.
inline constexpr size_t kMaxBodyBytes = size_t{1} << 20;
inline constexpr size_t kMaxUploadBytes = size_t{32} << 20;
bool IsUpload(std::string_view method, std::string_view path);

// The body as a JSON object (400 when it is not one), read once by the
// shared reader with its depth and value limits (the server already caps
// the body's size). Routes hand the parsed value on; nothing parses or
// serializes a body again.
std::optional<JsonValue> JsonBody(const httplib::Request& req, httplib::Response& res);

// A required string field of at most `max_bytes` (400 naming the field).
std::optional<std::string> StringField(const JsonValue& body, const char* key, size_t max_bytes,
                                       httplib::Response& res);

// 400 naming the first member of `body` outside `known` (returns false).
bool OnlyKnownFields(const JsonValue& body, std::initializer_list<std::string_view> known,
                     httplib::Response& res);

}  // namespace deskgate::http
