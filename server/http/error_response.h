// Error answers: the one place a Status code becomes an HTTP status, and
// the JSON body every error carries: {"error": message, "code": name}.
// Pages decide by "code" (e.g. "reauthentication_required"), never by the
// English message.
#pragma once

#include <httplib.h>

#include <string>

#include "shared/core/status.h"

namespace deskgate::http {

int HttpStatusOf(StatusCode code);
// "invalid_argument", "not_found", "throttled", …
const char* CodeName(StatusCode code);
// The code name an answer with this HTTP status carries when a route chose
// the status itself (SendError): 400 invalid_argument, 401
// unauthenticated, 403 permission_denied, 404 not_found, 409 conflict, 429
// throttled, 500 internal, other 5xx unavailable; other 4xx (411, 413, 415, 431) are
// "invalid_request".
const char* CodeNameOfHttpStatus(int http_status);

// Writes `status` (not OK) as the answer; throttled answers carry Retry-After.
void SendStatus(httplib::Response& res, const Status& status);

// As SendStatus, for a refusal whose message holds one problem per line
// (every bad field of a form at once): with more than one, "error" is the
// first and "errors" lists them all.
void SendProblems(httplib::Response& res, const Status& status);

}  // namespace deskgate::http
