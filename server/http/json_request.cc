#include "server/http/json_request.h"

#include <algorithm>
#include <charconv>
#include <semaphore>

#include "server/http/http_server.h"

namespace deskgate::http {

bool AcceptJson(const httplib::Request& req, httplib::Response& res) {
  const std::string type = req.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0) {
    SendError(res, 415, "send the body as application/json");
    return false;
  }
  return true;
}

bool IntParam(const httplib::Request& req, const char* name, int64_t max, int64_t& out,
              httplib::Response& res) {
  if (!req.has_param(name)) return true;
  const std::string text = req.get_param_value(name);
  int64_t value = -1;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > max) {
    SendError(res, 400,
              std::string(name) + ": must be a whole number from 0 to " + std::to_string(max));
    return false;
  }
  out = value;
  return true;
}

std::optional<int64_t> ParseId(std::string_view text) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

namespace {

// How many large bodies are parsed at once: 64 workers each parsing 1 MiB
// of small values would otherwise hold about 800 MB.
std::counting_semaphore<4> large_parses(4);

}  // namespace

bool IsUpload(std::string_view method, std::string_view path) {
  return method == "POST" && (path == "/api/assets/import" || path == "/api/software/import");
}

Result<JsonValue> ParseBody(const httplib::Request& req) {
  if (req.body.size() <= kLargeBodyBytes) return ParseJson(req.body);
  large_parses.acquire();
  Result<JsonValue> parsed = ParseJson(req.body);
  large_parses.release();
  return parsed;
}

std::optional<JsonValue> JsonBody(const httplib::Request& req, httplib::Response& res) {
  auto body = ParseBody(req);
  if (!body.ok()) {
    // "invalid JSON at byte 7: …" → "the body is not valid JSON (at byte 7: …)"
    std::string where = body.error();
    if (where.rfind("invalid JSON ", 0) == 0) where.erase(0, 13);
    SendError(res, 400, "the body is not valid JSON (" + where + ")");
    return std::nullopt;
  }
  if (!body.value().is_object()) {
    SendError(res, 400, "the body must be a JSON object");
    return std::nullopt;
  }
  return std::move(body).value();
}

std::optional<std::string> StringField(const JsonValue& body, const char* key, size_t max_bytes,
                                       httplib::Response& res) {
  const JsonValue* value = body.Find(key);
  if (value == nullptr || !value->is_string()) {
    SendError(res, 400, std::string(key) + ": required, a string");
    return std::nullopt;
  }
  if (value->as_string().size() > max_bytes) {
    SendError(res, 400, std::string(key) + ": at most " + std::to_string(max_bytes) + " bytes");
    return std::nullopt;
  }
  return value->as_string();
}

bool OnlyKnownFields(const JsonValue& body, std::initializer_list<std::string_view> known,
                     httplib::Response& res) {
  for (const auto& [key, value] : body.members()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      SendError(res, 400, "unknown field '" + key + "'");
      return false;
    }
  }
  return true;
}

}  // namespace deskgate::http
