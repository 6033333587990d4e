// ReadPool: read-only connections to one SQLite file, lent out one at a
// time, each with the statements prepared on it.
//
// In WAL mode readers run concurrently with each other and with the writer,
// so the reads on every request's path (session and person lookups) take a
// pooled connection instead of the writer's lock. The pool grows to the
// number of concurrent readers and closes every connection when destroyed.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/store/sqlite/sqlite.h"

namespace deskgate::store {

class ReadPool {
  struct Cached {
    Statement statement;
    uint64_t last_used = 0;  // the connection's use count when last lent
  };
  struct Connection {
    Database db;
    // Declared after db so statements are finalized before it closes.
    std::unordered_map<std::string, Cached> statements;
    uint64_t uses = 0;
  };

 public:
  // A borrowed connection, returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(ReadPool* pool, std::unique_ptr<Connection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();

    const Database& db() const { return connection_->db; }

    // The statement for `sql` on this connection, prepared on first use and
    // reset (bindings cleared) for this use.
    Result<Statement*> Prepared(std::string_view sql);

   private:
    ReadPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  // Statements a connection keeps. Lists build their SQL from the filter and
  // the order, so the shapes people use are many but few at a time; past
  // this the least recently used go when the connection comes back.
  static constexpr size_t kMaxStatements = 64;

  explicit ReadPool(std::string path) : path_(std::move(path)) {}
  ReadPool(const ReadPool&) = delete;
  ReadPool& operator=(const ReadPool&) = delete;

  Result<Lease> Borrow();

 private:
  void Return(std::unique_ptr<Connection> connection);
  static void ForgetLeastUsed(Connection& connection);

  const std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

// A read transaction on a lease's connection: every read between
// TakeSnapshot and the end of this object sees the database as it was at
// TakeSnapshot. Its statements stay prepared on the connection, and
// TakeSnapshot does the least it can (one step of a prepared read), as it
// runs under the lock that writers take around their COMMIT.
class ReadTransaction {
 public:
  explicit ReadTransaction(ReadPool::Lease& lease) : lease_(lease) {}
  ~ReadTransaction();  // ends it, if begun
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

  // Begins it: a deferred BEGIN, which takes no snapshot yet.
  Status Begin();
  // Takes its snapshot now, by reading `table`. After Begin.
  Status TakeSnapshot(std::string_view table);
  // Ends it, if begun (the destructor does too).
  void End();

 private:
  ReadPool::Lease& lease_;
  bool begun_ = false;
};

}  // namespace deskgate::store
