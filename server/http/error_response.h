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

// Writes `status` (not OK) as the answer; throttled answers carry Retry-After.
void SendStatus(httplib::Response& res, const Status& status);

}  // namespace deskgate::http
