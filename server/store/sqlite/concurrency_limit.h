// ConcurrencyLimit: at most `n` callers inside at once; the others sleep
// until one leaves, in no particular order.
//
// std::counting_semaphore promises the same, but libstdc++'s acquire spins
// with sched_yield before it sleeps: with 64 clients reading list pages on
// 2 cores, the waiting threads' yields took ~6% of the CPU the readers needed.
#pragma once

#include <condition_variable>
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

 private:
  void Enter() {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [this] { return free_ > 0; });
    --free_;
  }
  void Leave() {
    {
      std::lock_guard lock(mutex_);
      ++free_;
    }
    freed_.notify_one();
  }

  std::mutex mutex_;
  std::condition_variable freed_;
  int free_;
};

}  // namespace deskgate::store
