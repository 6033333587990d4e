// SqliteStore: throttling counters.
#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::store {

Result<Throttle> SqliteStore::GetThrottle(const std::string& key) {
  // Read on every sign-in attempt, refused ones included: from the read
  // pool, so a flood of them does not queue behind the write lock.
  static const std::string sql = "SELECT failures, window_start FROM login_throttle WHERE key = ?1";
  auto lease = reads_.Borrow();
  if (!lease.ok()) return lease.status();
  auto stmt = lease.value().Prepared(sql);
  if (!stmt.ok()) return stmt.status();
  Statement& st = *stmt.value();
  ResetOnExit reset(st);
  st.Bind(1, key);
  if (!st.Step()) {
    if (!st.status().ok()) return st.status();
    return Throttle{};
  }
  return Throttle{static_cast<int>(st.ColumnInt(0)), st.ColumnInt(1)};
}

Result<Throttle> SqliteStore::CountThrottle(const std::string& key, int delta, int64_t now,
                                            int64_t window) {
  std::lock_guard lock(mutex_);
  // One statement: concurrent attempts each see the count their own
  // increment produced, so no two can both pass as the last one allowed.
  // A window that has run out starts over with this attempt.
  auto stmt = Statement::Prepare(
      db_,
      "INSERT INTO login_throttle (key, failures, window_start) VALUES (?1, max(?2, 0), ?3) "
      "ON CONFLICT (key) DO UPDATE SET "
      "failures = CASE WHEN ?3 - window_start >= ?4 THEN max(?2, 0) "
      "ELSE max(failures + ?2, 0) END, "
      "window_start = CASE WHEN ?3 - window_start >= ?4 THEN ?3 ELSE window_start END "
      "RETURNING failures, window_start");
  if (!stmt.ok()) return stmt.status();
  Statement& st = stmt.value();
  st.Bind(1, key).Bind(2, int64_t{delta}).Bind(3, now).Bind(4, window);
  if (!st.Step()) return st.status().ok() ? Status::Error("throttle not updated") : st.status();
  return Throttle{static_cast<int>(st.ColumnInt(0)), st.ColumnInt(1)};
}

Status SqliteStore::ClearThrottle(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto stmt = Statement::Prepare(db_, "DELETE FROM login_throttle WHERE key = ?1");
  if (!stmt.ok()) return stmt.status();
  return stmt.value().Bind(1, key).Run();
}

}  // namespace deskgate::store
