// ConcurrencyLimit: never more than n inside, and every caller gets a turn.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
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

TEST_CASE("A ConcurrencyLimit's waiters get freed places in the order they came", "[unit][limit]") {
  ConcurrencyLimit limit(1);
  std::mutex order_mutex;
  std::vector<int> order;
  std::vector<std::thread> callers;
  {
    ConcurrencyLimit::Turn held(limit);
    for (int i = 0; i < 8; ++i) {
      callers.emplace_back([&, i] {
        ConcurrencyLimit::Turn turn(limit);
        std::lock_guard lock(order_mutex);
        order.push_back(i);
      });
      // Caller i is queued before caller i + 1 comes.
      while (limit.waiting() < static_cast<size_t>(i + 1)) std::this_thread::yield();
    }
  }  // the place frees: each caller in turn
  for (std::thread& t : callers) t.join();
  CHECK(order == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7});
  CHECK(limit.waiting() == 0);
  // A newcomer still gets in at once when a place is free.
  ConcurrencyLimit::Turn again(limit);
}

TEST_CASE("A waiter gets a place while a running caller keeps taking them (no starvation)",
          "[unit][limit]") {
  ConcurrencyLimit limit(1);
  std::atomic<bool> looping = true, waiter_in = false, in_while_looping = false;
  std::optional<ConcurrencyLimit::Turn> held(limit);
  std::thread waiter([&] {
    ConcurrencyLimit::Turn turn(limit);
    waiter_in = true;
    in_while_looping = looping.load();
  });
  while (limit.waiting() == 0) std::this_thread::yield();
  held.reset();
  // A running caller takes the place again and again; once the waiter has
  // waited its patience (20 ms), the place is handed to it.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (!waiter_in && std::chrono::steady_clock::now() < until) {
    ConcurrencyLimit::Turn turn(limit);
  }
  looping = false;
  waiter.join();
  CHECK(in_while_looping);
}
