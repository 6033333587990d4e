#include "server/store/sqlite/read_pool.h"

#include <algorithm>
#include <iterator>

namespace deskgate::store {

ReadPool::Lease::~Lease() {
  if (connection_) pool_->Return(std::move(connection_));
}

Result<Statement*> ReadPool::Lease::Prepared(std::string_view sql) {
  auto& statements = connection_->statements;
  auto it = statements.find(std::string(sql));
  if (it == statements.end()) {
    auto prepared = Statement::Prepare(connection_->db, sql);
    if (!prepared.ok()) return prepared.status();
    it = statements.emplace(std::string(sql), Cached{std::move(prepared).value()}).first;
  }
  it->second.last_used = connection_->uses;
  it->second.statement.Reset();
  return &it->second.statement;
}

ReadTransaction::~ReadTransaction() {
  End();
}

void ReadTransaction::End() {
  if (!begun_) return;
  begun_ = false;
  if (auto commit = lease_.Prepared("COMMIT"); commit.ok()) (void)commit.value()->Run();
}

Status ReadTransaction::Begin() {
  auto begin = lease_.Prepared("BEGIN");
  if (!begin.ok()) return begin.status();
  if (Status s = begin.value()->Run(); !s.ok()) return s;
  begun_ = true;
  return Status::Ok();
}

Status ReadTransaction::TakeSnapshot(std::string_view table) {
  auto read = lease_.Prepared("SELECT 1 FROM " + std::string(table) + " LIMIT 1");
  if (!read.ok()) return read.status();
  Statement& st = *read.value();
  ResetOnExit reset(st);  // the transaction, not the statement, keeps the snapshot
  (void)st.Step();
  return st.status();
}

Result<ReadPool::Lease> ReadPool::Borrow() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(connection));
    }
  }
  // Opened outside the lock: opening touches the file system.
  auto db = Database::OpenReadOnly(path_);
  if (!db.ok()) return db.status();
  return Lease(this, std::make_unique<Connection>(Connection{std::move(db).value(), {}}));
}

// Statements are forgotten only here, never while lent: a caller may hold
// several of one connection's statements at once.
void ReadPool::ForgetLeastUsed(Connection& connection) {
  auto& statements = connection.statements;
  if (statements.size() <= kMaxStatements) return;
  std::vector<uint64_t> uses;
  uses.reserve(statements.size());
  for (const auto& [sql, cached] : statements) uses.push_back(cached.last_used);
  const size_t excess = statements.size() - kMaxStatements;
  std::nth_element(uses.begin(), uses.begin() + excess - 1, uses.end());
  const uint64_t oldest_kept = uses[excess - 1];
  for (auto it = statements.begin(); it != statements.end();) {
    it = it->second.last_used <= oldest_kept ? statements.erase(it) : std::next(it);
  }
}

void ReadPool::Return(std::unique_ptr<Connection> connection) {
  ++connection->uses;
  ForgetLeastUsed(*connection);
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(connection));
}

}  // namespace deskgate::store
