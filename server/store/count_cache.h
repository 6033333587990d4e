// CountCache: the totals of recent list queries (SELECT COUNT(*) … WHERE
// filter), so paging through a list of 100,000 records does not count them
// all again on every page. Any write to the records through this store
// invalidates every total; a write by another process (deskgate seed) is
// seen within a second, the longest a total is kept.
#pragma once

#include <cstdint>

#include "server/cache/short_lived_cache.h"

namespace deskgate::store {

using CountCache = ShortLivedCache<int64_t, 1024>;

}  // namespace deskgate::store
