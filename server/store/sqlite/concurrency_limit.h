// ConcurrencyLimit: at most `n` callers inside at once; the others sleep
// until a place frees, in a queue.
//
// A freed place goes to whichever thread takes it first — a caller already
// running takes it at once, while a sleeping waiter needs waking — unless
// the first waiter has waited kPatience: then it is handed to that waiter.
// Always taking turns in order cost a third of the list pages served (the
// place idles while its waiter wakes); never doing so let a few callers
// lose many times in a row (the pages' p99).
// std::counting_semaphore has the same race, and libstdc++'s acquire spins
// with sched_yield before it sleeps: with 64 clients reading list pages on
// 2 cores, the waiting threads' yields took ~6% of the CPU the readers needed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace deskgate::store {

class ConcurrencyLimit {
 public:
  explicit ConcurrencyLimit(int n) : free_(n) {}
  ConcurrencyLimit(const ConcurrencyLimit&) = delete;
  ConcurrencyLimit& operator=(const ConcurrencyLimit&) = delete;

  // A place inside, given back when it ends.
  class Turn {
   public:
    explicit Turn(ConcurrencyLimit& limit) : limit_(limit) { limit_.Enter(); }
    ~Turn() { limit_.Leave(); }
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;

   private:
    ConcurrencyLimit& limit_;
  };

  // Callers waiting for a place now.
  size_t waiting() {
    std::lock_guard lock(mutex_);
    return waiting_.size();
  }

 private:
  // How long the first waiter may be passed over: until then a freed place
  // goes to whoever takes it first (a running thread, at once), after it
  // the place is handed to that waiter.
  static constexpr std::chrono::milliseconds kPatience{20};

  struct Waiter {
    std::condition_variable called;
    std::chrono::steady_clock::time_point since = std::chrono::steady_clock::now();
    bool admitted = false;
  };

  void Enter() {
    std::unique_lock lock(mutex_);
    if (free_ > 0) {
      --free_;
      return;
    }
    Waiter me;
    waiting_.push_back(&me);
    me.called.wait(lock, [&] { return me.admitted || (free_ > 0 && waiting_.front() == &me); });
    if (!me.admitted) {
      --free_;
      waiting_.pop_front();
    }
  }
  void Leave() {
    std::lock_guard lock(mutex_);
    if (waiting_.empty()) {
      ++free_;
      return;
    }
    Waiter* first = waiting_.front();
    if (std::chrono::steady_clock::now() - first->since > kPatience) {
      // Handed over. Notified under the lock: the waiter (on its own
      // stack) cannot see `admitted` and return before.
      waiting_.pop_front();
      first->admitted = true;
    } else {
      ++free_;  // the first waiter's, unless a running thread takes it first
    }
    first->called.notify_one();
  }

  std::mutex mutex_;
  std::deque<Waiter*> waiting_;  // oldest first
  int free_;
};

}  // namespace deskgate::store
