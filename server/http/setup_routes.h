// First-run setup: POST /api/setup {token, email, name, password} creates
// the first administrator with the one-time token `deskgate serve` prints.
#pragma once

#include <httplib.h>

#include "server/http/site.h"
#include "server/services/accounts.h"

namespace deskgate::http {

void InstallSetupRoutes(httplib::Server& server, const Site& site, services::Accounts& accounts);

}  // namespace deskgate::http
