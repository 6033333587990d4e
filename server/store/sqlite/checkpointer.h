// Checkpointer: copies the write-ahead log back into the database file on a
// thread of its own.
//
// SQLite does it by itself in the COMMIT of whichever write finds the log
// past 1,000 pages: that write's reply waits for a copy of every page the
// log holds and an fsync (0.4 s of a 600,000-row bulk change's 0.7 s
// COMMIT), and every write queued behind the writer lock waits too. Here
// the writer's commit only notes the log's length; this thread checkpoints
// on a connection of its own, which neither readers nor the writer wait
// for (a PASSIVE checkpoint copies what no reader still needs and leaves
// the rest for the next one).
//
// Thread safety: the hook runs on the writer's thread; Stop on any.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "server/store/sqlite/sqlite.h"

namespace deskgate::store {

class Checkpointer {
 public:
  // As SQLite's automatic checkpoint: a log this long is copied back.
  static constexpr int kPagesBeforeCheckpoint = 1000;

  // Checkpoints through `own` whatever `writer` commits, from now until
  // Stop. `writer` must outlive this object.
  Checkpointer(Database own, Database& writer);
  ~Checkpointer();  // Stop
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Gives the writer back SQLite's own checkpoints, finishes the one
  // running and ends the thread. Idempotent.
  void Stop();
  // Checkpoints run so far (for tests).
  int checkpoints();

 private:
  static int Committed(void* self, sqlite3* db, const char* schema, int pages);
  void Run();

  Database own_;
  Database& writer_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  int checkpoints_ = 0;
  std::thread thread_;
};

}  // namespace deskgate::store
