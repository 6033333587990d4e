// SqliteStore: the outbox.
#include <algorithm>

#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::store {
namespace {

constexpr const char* kOutboxColumns =
    "SELECT id, recipient, subject, created_at, expires_at, attempts, next_attempt_at, "
    "coalesce(sent_at, 0), last_error";

OutboxRow ReadOutboxRow(const Statement& s) {
  OutboxRow row;
  row.id = s.ColumnInt(0);
  row.recipient = s.ColumnText(1);
  row.subject = s.ColumnText(2);
  row.created_at = s.ColumnInt(3);
  row.expires_at = s.ColumnInt(4);
  row.attempts = static_cast<int>(s.ColumnInt(5));
  row.next_attempt_at = s.ColumnInt(6);
  row.sent_at = s.ColumnInt(7);
  row.last_error = s.ColumnText(8);
  return row;
}

}  // namespace

Status SqliteStore::InsertMailLocked(const OutgoingMail& mail, int64_t now) {
  return ExecLocked(
      "INSERT INTO outbox (recipient, subject, body, created_at, expires_at, next_attempt_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      [&](Statement& st) {
        st.Bind(1, mail.recipient)
            .Bind(2, mail.subject)
            .Bind(3, mail.body)
            .Bind(4, now)
            .Bind(5, mail.expires_at)
            .Bind(6, std::max(now, mail.send_after));
      });
}

Status SqliteStore::WipeExpiredMail(int64_t now) {
  std::lock_guard lock(mutex_);
  return ExecLocked(
      "UPDATE outbox SET body = x'' WHERE sent_at IS NULL AND expires_at <= ?1 AND body != x''",
      [&](Statement& st) { st.Bind(1, now); });
}

Result<std::vector<OutboxRow>> SqliteStore::DueMail(int64_t now, int limit) {
  std::lock_guard lock(mutex_);
  std::vector<OutboxRow> rows;
  Status s = QueryLocked(
      std::string(kOutboxColumns) +
          ", body FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= ?1 AND "
          "expires_at > ?1 ORDER BY next_attempt_at, id LIMIT ?2",
      [&](Statement& st) { st.Bind(1, now).Bind(2, limit); },
      [&](const Statement& row) {
        rows.push_back(ReadOutboxRow(row));
        rows.back().body = row.ColumnBlob(9);
      });
  if (!s.ok()) return s;
  return rows;
}

Status SqliteStore::MailSent(int64_t mail_id, int64_t now) {
  std::lock_guard lock(mutex_);
  // The body is wiped: it held a sign-in code that has done its work.
  return ExecLocked(
      "UPDATE outbox SET sent_at = ?2, attempts = attempts + 1, body = x'', last_error = '' "
      "WHERE id = ?1",
      [&](Statement& st) { st.Bind(1, mail_id).Bind(2, now); });
}

Status SqliteStore::MailFailed(int64_t mail_id, const std::string& error, int64_t next_attempt_at) {
  std::lock_guard lock(mutex_);
  return ExecLocked(
      "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3 "
      "WHERE id = ?1",
      [&](Statement& st) { st.Bind(1, mail_id).Bind(2, error).Bind(3, next_attempt_at); });
}

Result<std::vector<OutboxRow>> SqliteStore::ListOutbox(int limit) {
  std::lock_guard lock(mutex_);
  std::vector<OutboxRow> rows;
  Status s = QueryLocked(
      std::string(kOutboxColumns) + " FROM outbox ORDER BY id DESC LIMIT ?1",
      [&](Statement& st) { st.Bind(1, limit); },
      [&](const Statement& row) { rows.push_back(ReadOutboxRow(row)); });
  if (!s.ok()) return s;
  return rows;
}

Status SqliteStore::QueueMail(const std::vector<OutgoingMail>& mails, int64_t now) {
  std::lock_guard lock(mutex_);
  return InTransaction([&]() -> Status {
    for (const OutgoingMail& mail : mails) {
      if (Status s = InsertMailLocked(mail, now); !s.ok()) return s;
    }
    return Status::Ok();
  });
}

}  // namespace deskgate::store
