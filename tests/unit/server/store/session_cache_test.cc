#include "server/store/session_cache.h"

#include <catch2/catch.hpp>
#include <thread>

using deskgate::store::ActiveSession;
using deskgate::store::SessionCache;

namespace {

ActiveSession SessionOf(int64_t id, const std::string& email) {
  ActiveSession s;
  s.session.id = id;
  s.person.id = id * 10;
  s.person.email = email;
  return s;
}

std::string KeyFor(size_t i) {
  std::string key = std::to_string(i);
  key.insert(key.begin(), 'h');
  return key;
}

}  // namespace

TEST_CASE("A cached session is served until invalidated", "[unit][session_cache]") {
  SessionCache cache;
  CHECK_FALSE(cache.Get("h1"));
  cache.Put("h1", SessionOf(1, "a@example.com"), cache.generation());
  auto hit = cache.Get("h1");
  REQUIRE(hit);
  CHECK(hit->session.id == 1);
  CHECK(hit->person.email == "a@example.com");
  CHECK_FALSE(cache.Get("h2"));

  cache.Invalidate();
  CHECK_FALSE(cache.Get("h1"));
}

TEST_CASE("A lookup that raced with a write cannot put back what it removed",
          "[unit][session_cache]") {
  SessionCache cache;
  const uint64_t before_write = cache.generation();  // a reader starts its database read
  cache.Invalidate();                                // a logout commits meanwhile
  cache.Put("h1", SessionOf(1, "a@example.com"), before_write);
  CHECK_FALSE(cache.Get("h1"));

  cache.Put("h1", SessionOf(1, "a@example.com"), cache.generation());
  CHECK(cache.Get("h1"));
}

TEST_CASE("Cached sessions expire after their lifetime", "[unit][session_cache]") {
  SessionCache cache;
  cache.Put("h1", SessionOf(1, "a@example.com"), cache.generation());
  REQUIRE(cache.Get("h1"));
  std::this_thread::sleep_for(SessionCache::kLifetime + std::chrono::milliseconds(50));
  CHECK_FALSE(cache.Get("h1"));
}

TEST_CASE("The cache stays within its capacity", "[unit][session_cache]") {
  SessionCache cache;
  for (size_t i = 0; i <= SessionCache::kCapacity; ++i) {
    cache.Put(KeyFor(i), SessionOf(static_cast<int64_t>(i), "x@example.com"), cache.generation());
  }
  // Filling it dropped everything older; the newest entry is there.
  CHECK_FALSE(cache.Get("h0"));
  CHECK(cache.Get(KeyFor(SessionCache::kCapacity)));
}
