#include "server/store/sqlite/checkpointer.h"

#include <sqlite3.h>

namespace deskgate::store {

Checkpointer::Checkpointer(Database own, Database& writer)
    : own_(std::move(own)), writer_(writer), thread_([this] { Run(); }) {
  // Replaces SQLite's automatic checkpoint, which is a hook of its own.
  sqlite3_wal_hook(writer_.handle(), &Checkpointer::Committed, this);
}

Checkpointer::~Checkpointer() {
  Stop();
}

void Checkpointer::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  sqlite3_wal_autocheckpoint(writer_.handle(), kPagesBeforeCheckpoint);
  wake_.notify_one();
  thread_.join();
}

int Checkpointer::checkpoints() {
  std::lock_guard lock(mutex_);
  return checkpoints_;
}

// After each COMMIT on the writer, with the log's length in pages.
int Checkpointer::Committed(void* self, sqlite3*, const char*, int pages) {
  if (pages >= kPagesBeforeCheckpoint) {
    auto* checkpointer = static_cast<Checkpointer*>(self);
    {
      std::lock_guard lock(checkpointer->mutex_);
      checkpointer->due_ = true;
    }
    checkpointer->wake_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::Run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return due_ || stopping_; });
    if (stopping_) return;
    due_ = false;
    lock.unlock();
    // Busy (another process checkpointing) or not all copied: the next
    // commit past the length asks again.
    (void)sqlite3_wal_checkpoint_v2(own_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                    nullptr);
    lock.lock();
    ++checkpoints_;
  }
}

}  // namespace deskgate::store
