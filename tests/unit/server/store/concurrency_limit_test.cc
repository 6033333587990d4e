// ConcurrencyLimit: never more than n inside, and every caller gets a turn.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "server/store/sqlite/concurrency_limit.h"

using deskgate::store::ConcurrencyLimit;

TEST_CASE("At most n callers are inside a ConcurrencyLimit, and all get in", "[unit][limit]") {
  for (int n : {1, 2, 3}) {
    INFO("n = " << n);
    ConcurrencyLimit limit(n);
    std::atomic<int> inside = 0, most = 0, done = 0;
    std::vector<std::thread> callers;
    for (int i = 0; i < 16; ++i) {
      callers.emplace_back([&] {
        for (int round = 0; round < 20; ++round) {
          ConcurrencyLimit::Turn turn(limit);
          const int now = ++inside;
          int seen = most.load();
          while (now > seen && !most.compare_exchange_weak(seen, now)) {
          }
          std::this_thread::sleep_for(std::chrono::microseconds(200));
          --inside;
        }
        ++done;
      });
    }
    for (std::thread& t : callers) t.join();
    CHECK(done == 16);
    CHECK(most == n);  // full use, never more
    CHECK(inside == 0);
  }
}
