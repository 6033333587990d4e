// SessionCache: recently looked-up sessions, so that the session check on
// every request does not reach the database. The store invalidates it after
// every write that touches people, roles or sessions, so such a change made
// by this process (a logout, a password change, a role change) is seen by
// the very next request; a change made by another process on the same file
// (the CLI) is seen within a second.
#pragma once

#include "server/cache/short_lived_cache.h"
#include "server/store/session_store.h"

namespace deskgate::store {

using SessionCache = ShortLivedCache<ActiveSession, 10'000>;

}  // namespace deskgate::store
