// WriterMutex: the lock that serializes a store's writer connection. Its
// release gives back the page cache a write grew beyond `kept_bytes`.
//
// The writer's cache may reach 128 MiB inside one transaction (an import, a
// bulk change: sqlite.cc), so a large write does not spill to the WAL half
// way. Every writer — records, sessions, sign-ins, audit, settings — takes
// this lock, and every one ends by releasing it after its COMMIT, when no
// page is in use: the one place a trim reaches them all.
//
// Meets BasicLockable: std::lock_guard and std::unique_lock hold it.
#pragma once

#include <cstdint>
#include <mutex>

#include "server/store/sqlite/sqlite.h"

namespace deskgate::store {

class WriterMutex {
 public:
  // `db` is the writer connection; it must outlive every lock taken.
  WriterMutex(Database& db, int64_t kept_bytes) : db_(db), kept_bytes_(kept_bytes) {}
  WriterMutex(const WriterMutex&) = delete;
  WriterMutex& operator=(const WriterMutex&) = delete;

  void lock() { mutex_.lock(); }
  void unlock() {
    db_.TrimCache(kept_bytes_);  // still held: no writer is using the cache
    mutex_.unlock();
  }

 private:
  Database& db_;
  const int64_t kept_bytes_;
  std::mutex mutex_;
};

}  // namespace deskgate::store
