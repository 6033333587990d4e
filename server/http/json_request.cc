#include "server/http/json_request.h"

#include <charconv>

#include "server/http/http_server.h"
#include "server/http/public_origin.h"

namespace deskgate::http {

bool SameOrigin(const httplib::Request& req, httplib::Response& res) {
  const std::string origin = req.get_header_value("Origin");
  // Behind a TLS proxy the browser's origin is the public one; directly,
  // it is this server's own address.
  if (!origin.empty() && origin != PublicOrigin() &&
      origin != "http://" + req.get_header_value("Host")) {
    SendError(res, 403, "cross-origin requests are not allowed");
    return false;
  }
  return true;
}

bool AcceptStateChange(const httplib::Request& req, httplib::Response& res) {
  if (!SameOrigin(req, res)) return false;
  const std::string type = req.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0) {
    SendError(res, 415, "send the body as application/json");
    return false;
  }
  return true;
}

std::optional<int64_t> ParseId(std::string_view text) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

std::optional<nlohmann::json> JsonBody(const httplib::Request& req, httplib::Response& res) {
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded()) {
    SendError(res, 400, "the body is not valid JSON");
    return std::nullopt;
  }
  if (!body.is_object()) {
    SendError(res, 400, "the body must be a JSON object");
    return std::nullopt;
  }
  return body;
}

// A required string field; on failure writes a 400 naming it.
std::optional<std::string> StringField(const nlohmann::json& body, const char* key,
                                       size_t max_bytes, httplib::Response& res) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string()) {
    SendError(res, 400, std::string(key) + ": required, a string");
    return std::nullopt;
  }
  const auto& value = it->get_ref<const std::string&>();
  if (value.size() > max_bytes) {
    SendError(res, 400, std::string(key) + ": at most " + std::to_string(max_bytes) + " bytes");
    return std::nullopt;
  }
  return value;
}

}  // namespace deskgate::http
