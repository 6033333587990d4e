#include "server/http/error_response.h"

#include <string>
#include <vector>

#include "shared/core/json_writer.h"

namespace deskgate::http {

int HttpStatusOf(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
    case StatusCode::kReauthenticationRequired:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kConflict:
      return 409;
    case StatusCode::kThrottled:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

const char* CodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kUnauthenticated:
      return "unauthenticated";
    case StatusCode::kPermissionDenied:
      return "permission_denied";
    case StatusCode::kReauthenticationRequired:
      return "reauthentication_required";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kConflict:
      return "conflict";
    case StatusCode::kThrottled:
      return "throttled";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kInternal:
      return "internal";
  }
  return "error";
}

const char* CodeNameOfHttpStatus(int http_status) {
  switch (http_status) {
    case 400:
      return CodeName(StatusCode::kInvalidArgument);
    case 401:
      return CodeName(StatusCode::kUnauthenticated);
    case 403:
      return CodeName(StatusCode::kPermissionDenied);
    case 404:
      return CodeName(StatusCode::kNotFound);
    case 409:
    case 412:
      return CodeName(StatusCode::kConflict);
    case 429:
      return CodeName(StatusCode::kThrottled);
    default:
      if (http_status == 500) return CodeName(StatusCode::kInternal);
      return http_status > 500 ? CodeName(StatusCode::kUnavailable) : "invalid_request";
  }
}

void SendStatus(httplib::Response& res, const Status& status) {
  if (status.code() == StatusCode::kThrottled) {
    res.set_header("Retry-After", std::to_string(status.retry_after()));
  }
  JsonWriter w;
  w.BeginObject().Key("error").String(status.message());
  w.Key("code").String(CodeName(status.code()));
  if (status.code() == StatusCode::kThrottled) w.Key("retry_after").Int(status.retry_after());
  w.EndObject();
  res.status = HttpStatusOf(status.code());
  res.set_header("Cache-Control", "no-store");
  res.set_content(w.Take(), "application/json");
}

void SendProblems(httplib::Response& res, const Status& status) {
  const std::string& message = status.message();
  if (status.code() != StatusCode::kInvalidArgument || message.find('\n') == std::string::npos) {
    return SendStatus(res, status);
  }
  std::vector<std::string> problems;
  for (size_t start = 0; start <= message.size();) {
    const size_t end = std::min(message.find('\n', start), message.size());
    problems.push_back(message.substr(start, end - start));
    start = end + 1;
  }
  JsonWriter w;
  w.BeginObject().Key("error").String(problems.front()).Key("code").String("invalid_argument");
  w.Key("errors").BeginArray();
  for (const std::string& p : problems) w.String(p);
  res.status = 400;
  res.set_content(w.EndArray().EndObject().Take(), "application/json");
}

}  // namespace deskgate::http
