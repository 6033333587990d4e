#include "server/store/sqlite/read_pool.h"

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
    it = statements.emplace(std::string(sql), std::move(prepared).value()).first;
  }
  it->second.Reset();
  return &it->second;
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

void ReadPool::Return(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(connection));
}

}  // namespace deskgate::store
