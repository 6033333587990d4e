// SqliteStore: mail settings.
#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::store {

Result<std::optional<MailSettingsRow>> SqliteStore::GetMailSettings() {
  std::lock_guard lock(mutex_);
  std::optional<MailSettingsRow> found;
  Status s = QueryLocked(
      "SELECT host, port, starttls, username, password, from_address, updated_at, tested_at, "
      "test_error FROM mail_settings WHERE id = 1",
      [](Statement&) {},
      [&](const Statement& row) {
        MailSettingsRow r;
        r.host = row.ColumnText(0);
        r.port = row.ColumnInt(1);
        r.starttls = row.ColumnInt(2) != 0;
        r.username = row.ColumnText(3);
        r.password = row.ColumnBlob(4);
        r.from = row.ColumnText(5);
        r.updated_at = row.ColumnInt(6);
        if (!row.ColumnIsNull(7)) r.tested_at = row.ColumnInt(7);
        r.test_error = row.ColumnText(8);
        found = std::move(r);
      });
  if (!s.ok()) return s;
  return found;
}

Status SqliteStore::PutMailSettings(const MailSettingsRow& r, const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  return InTransaction([&]() -> Status {
    Status s = ExecLocked(
        "INSERT OR REPLACE INTO mail_settings (id, host, port, starttls, username, password, "
        "from_address, updated_at, tested_at, test_error) "
        "VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        [&](Statement& st) {
          st.Bind(1, r.host).Bind(2, r.port).Bind(3, int64_t{r.starttls}).Bind(4, r.username);
          st.Bind(5, r.password).Bind(6, r.from).Bind(7, r.updated_at).Bind(8, r.tested_at);
          st.Bind(9, r.test_error);
        });
    if (!s.ok()) return s;
    return AuditLocked(audit);
  });
}

Status SqliteStore::DeleteMailSettings(const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  return InTransaction([&]() -> Status {
    Status s = ExecLocked("DELETE FROM mail_settings", [](Statement&) {});
    if (!s.ok()) return s;
    return AuditLocked(audit);
  });
}

Status SqliteStore::RecordMailTest(int64_t at, const std::string& error, const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  return InTransaction([&]() -> Status {
    Status s = ExecLocked("UPDATE mail_settings SET tested_at = ?1, test_error = ?2 WHERE id = 1",
                          [&](Statement& st) { st.Bind(1, at).Bind(2, error); });
    if (!s.ok()) return s;
    return AuditLocked(audit);
  });
}

Result<MailDelivery> SqliteStore::MailDeliveryState(int64_t now) {
  // Asked at every email step: a reader, never behind the writer's lock.
  auto lease = reads_.Borrow();
  if (!lease.ok()) return lease.status();
  auto stmt = lease.value().Prepared(
      "SELECT max(coalesce((SELECT max(sent_at) FROM outbox), 0), "
      "           coalesce((SELECT tested_at FROM mail_settings "
      "                     WHERE id = 1 AND test_error = ''), 0)), "
      "(SELECT last_error FROM outbox WHERE sent_at IS NULL AND last_error != '' "
      " ORDER BY id DESC LIMIT 1), "
      "(SELECT count(*) FROM outbox WHERE sent_at IS NULL AND expires_at > ?1)");
  if (!stmt.ok()) return stmt.status();
  Statement& st = *stmt.value();
  ResetOnExit reset(st);
  st.Bind(1, now);
  MailDelivery d;
  if (st.Step()) {
    if (st.ColumnInt(0) > 0) d.last_delivered_at = st.ColumnInt(0);
    d.last_error = st.ColumnIsNull(1) ? "" : st.ColumnText(1);
    d.waiting = st.ColumnInt(2);
  }
  if (!st.status().ok()) return st.status();
  return d;
}

}  // namespace deskgate::store
