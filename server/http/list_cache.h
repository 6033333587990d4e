// ListCache: list pages as recently served (the JSON body), so that many
// agents opening the same list view, or a page polled for changes, cost one
// query and one rendering per second instead of one per request.
//
// The caller keys a page by its query and the records' write generation,
// so an edit made through this server shows on the very next request and
// one made by another process within a second.
#pragma once

#include <string>

#include "server/cache/short_lived_cache.h"

namespace deskgate::http {

using ListCache = ShortLivedCache<std::string, 256>;

}  // namespace deskgate::http
