// SqliteStore: the audit log.
#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::store {

Status SqliteStore::AuditLocked(const AuditEvent& e) {
  auto stmt =
      Statement::Prepare(db_,
                         "INSERT INTO audit_log (at, actor_id, portal, event, target, ip, details) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!stmt.ok()) return stmt.status();
  Statement& s = stmt.value();
  s.Bind(1, e.at);
  if (e.actor_id) s.Bind(2, *e.actor_id);
  s.Bind(3, e.portal).Bind(4, e.event).Bind(5, e.target).Bind(6, e.ip).Bind(7, e.details);
  return s.Run();
}

Status SqliteStore::Audit(const AuditEvent& event) {
  std::lock_guard lock(mutex_);
  return AuditLocked(event);
}

Result<int64_t> SqliteStore::CountAudit(const std::string& event) {
  std::lock_guard lock(mutex_);
  auto stmt = Statement::Prepare(db_, "SELECT count(*) FROM audit_log WHERE event = ?1");
  if (!stmt.ok()) return stmt.status();
  return stmt.value().Bind(1, event).ReadInt();
}

Result<std::pair<std::vector<AuditRow>, int64_t>> SqliteStore::QueryAudit(const AuditFilter& f) {
  std::lock_guard lock(mutex_);
  // One WHERE clause for both queries; an empty filter matches everything.
  // The event prefix uses a range rather than LIKE so "_" stays literal.
  constexpr std::string_view kWhere =
      " FROM audit_log a LEFT JOIN people p ON p.id = a.actor_id"
      " WHERE (?1 = '' OR p.email = ?1 COLLATE NOCASE OR a.target = ?1 COLLATE NOCASE)"
      " AND (?2 = '' OR a.event = ?2 OR (substr(?2, -1) = '.' AND substr(a.event, 1, length(?2)) = "
      "?2))"
      " AND (?3 = 0 OR a.at >= ?3) AND (?4 = 0 OR a.at < ?4)";
  const auto bind = [&](Statement& s) {
    s.Bind(1, f.person).Bind(2, f.event).Bind(3, f.from).Bind(4, f.to);
  };
  auto count = Statement::Prepare(db_, "SELECT count(*)" + std::string(kWhere));
  if (!count.ok()) return count.status();
  bind(count.value());
  auto total = count.value().ReadInt();
  if (!total.ok()) return total.status();

  auto rows = Statement::Prepare(
      db_,
      "SELECT a.id, a.at, coalesce(p.email, ''), a.portal, a.event, a.target, a.ip, a.details" +
          std::string(kWhere) + " ORDER BY a.at DESC, a.id DESC LIMIT ?5 OFFSET ?6");
  if (!rows.ok()) return rows.status();
  Statement& s = rows.value();
  bind(s);
  s.Bind(5, int64_t{f.limit}).Bind(6, int64_t{f.offset});
  std::vector<AuditRow> out;
  while (s.Step()) {
    out.push_back({s.ColumnInt(0), s.ColumnInt(1), s.ColumnText(2), s.ColumnText(3),
                   s.ColumnText(4), s.ColumnText(5), s.ColumnText(6), s.ColumnText(7)});
  }
  if (!s.status().ok()) return s.status();
  return std::make_pair(std::move(out), total.value());
}

}  // namespace deskgate::store
