// SqliteStore: multi-factor authentication.
#include <sqlite3.h>

#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::store {

Result<TotpEnrollment> SqliteStore::GetTotp(int64_t person_id) {
  std::lock_guard lock(mutex_);
  TotpEnrollment e;
  Status s = QueryLocked(
      "SELECT secret, pending_secret, last_step, enrolled_at FROM mfa_totp WHERE person_id = ?1",
      [&](Statement& st) { st.Bind(1, person_id); },
      [&](const Statement& row) {
        e = {row.ColumnBlob(0), row.ColumnBlob(1), row.ColumnInt(2), row.ColumnInt(3)};
      });
  if (!s.ok()) return s;
  return e;
}

Status SqliteStore::PutPendingTotp(int64_t person_id, const std::vector<uint8_t>& sealed_secret,
                                   const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  return InTransaction([&]() -> Status {
    Status s = ExecLocked(
        "INSERT INTO mfa_totp (person_id, pending_secret) VALUES (?1, ?2) "
        "ON CONFLICT (person_id) DO UPDATE SET pending_secret = ?2",
        [&](Statement& st) { st.Bind(1, person_id).Bind(2, sealed_secret); });
    return s.ok() ? AuditLocked(audit) : s;
  });
}

namespace {

// Inserts a fresh set of recovery codes after deleting the old ones.
Status WriteRecoveryCodes(const Database& db, int64_t person_id,
                          const std::vector<std::vector<uint8_t>>& codes, int64_t now) {
  auto wipe = Statement::Prepare(db, "DELETE FROM recovery_codes WHERE person_id = ?1");
  if (!wipe.ok()) return wipe.status();
  if (Status s = wipe.value().Bind(1, person_id).Run(); !s.ok()) return s;
  auto insert = Statement::Prepare(
      db, "INSERT INTO recovery_codes (person_id, code, created_at) VALUES (?1, ?2, ?3)");
  if (!insert.ok()) return insert.status();
  for (const auto& code : codes) {
    insert.value().Reset();
    if (Status s = insert.value().Bind(1, person_id).Bind(2, code).Bind(3, now).Run(); !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

}  // namespace

Status SqliteStore::ResolveRequestsLocked(int64_t person_id, const AuditEvent& audit,
                                          std::string_view resolution) {
  return ExecLocked(
      "UPDATE recovery_requests SET resolved_at = ?2, resolved_by = ?3, resolution = ?4 "
      "WHERE person_id = ?1 AND resolved_at IS NULL",
      [&](Statement& st) {
        st.Bind(1, person_id).Bind(2, audit.at).Bind(4, resolution);
        if (audit.actor_id) st.Bind(3, *audit.actor_id);
      });
}

Status SqliteStore::ConfirmTotp(int64_t person_id, const std::vector<uint8_t>& pending_secret,
                                int64_t step,
                                const std::vector<std::vector<uint8_t>>& recovery_codes,
                                const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  return InTransaction([&]() -> Status {
    Status s = ExecLocked(
        "UPDATE mfa_totp SET secret = pending_secret, pending_secret = NULL, last_step = ?2, "
        "enrolled_at = ?3 WHERE person_id = ?1 AND pending_secret = ?4",
        [&](Statement& st) {
          st.Bind(1, person_id).Bind(2, step).Bind(3, audit.at).Bind(4, pending_secret);
        });
    if (!s.ok()) return s;
    if (sqlite3_changes(db_.handle()) != 1) {
      return Status::Error("the authenticator setup changed meanwhile; start again");
    }
    if (s = WriteRecoveryCodes(db_, person_id, recovery_codes, audit.at); !s.ok()) return s;
    if (s = ResolveRequestsLocked(person_id, audit, "enrolled"); !s.ok()) return s;
    return AuditLocked(audit);
  });
}

Result<bool> SqliteStore::AcceptTotpStep(int64_t person_id, int64_t step) {
  std::lock_guard lock(mutex_);
  Status s = ExecLocked(
      "UPDATE mfa_totp SET last_step = ?2 "
      "WHERE person_id = ?1 AND secret IS NOT NULL AND last_step < ?2",
      [&](Statement& st) { st.Bind(1, person_id).Bind(2, step); });
  if (!s.ok()) return s;
  return sqlite3_changes(db_.handle()) == 1;
}

Result<std::vector<RecoveryCode>> SqliteStore::RecoveryCodes(int64_t person_id) {
  std::lock_guard lock(mutex_);
  std::vector<RecoveryCode> codes;
  Status s = QueryLocked(
      "SELECT id, code, used_at IS NOT NULL FROM recovery_codes WHERE person_id = ?1 ORDER BY id",
      [&](Statement& st) { st.Bind(1, person_id); },
      [&](const Statement& row) {
        codes.push_back({row.ColumnInt(0), row.ColumnBlob(1), row.ColumnInt(2) != 0});
      });
  if (!s.ok()) return s;
  return codes;
}

Result<bool> SqliteStore::UseRecoveryCode(int64_t code_id, const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  bool used = false;
  Status s = InTransaction([&]() -> Status {
    Status r =
        ExecLocked("UPDATE recovery_codes SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL",
                   [&](Statement& st) { st.Bind(1, code_id).Bind(2, audit.at); });
    if (!r.ok()) return r;
    used = sqlite3_changes(db_.handle()) == 1;
    return used ? AuditLocked(audit) : Status::Ok();
  });
  if (!s.ok()) return s;
  return used;
}

Status SqliteStore::ReplaceRecoveryCodes(int64_t person_id,
                                         const std::vector<std::vector<uint8_t>>& codes,
                                         const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  return InTransaction([&]() -> Status {
    if (Status s = WriteRecoveryCodes(db_, person_id, codes, audit.at); !s.ok()) return s;
    if (Status s = ResolveRequestsLocked(person_id, audit, "regenerated"); !s.ok()) return s;
    return AuditLocked(audit);
  });
}

Status SqliteStore::PutEmailOtp(int64_t person_id, const std::string& code_hash, int64_t expires_at,
                                const OutgoingMail& mail, const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  return InTransaction([&]() -> Status {
    Status s = ExecLocked(
        "INSERT OR REPLACE INTO email_otps (person_id, code_hash, sent_at, expires_at) "
        "VALUES (?1, ?2, ?3, ?4)",
        [&](Statement& st) {
          st.Bind(1, person_id).Bind(2, code_hash).Bind(3, audit.at).Bind(4, expires_at);
        });
    if (!s.ok()) return s;
    // The code this one replaces is dead: its mail, if still queued, is
    // not worth sending, and its body (the code) is wiped.
    s = ExecLocked(
        "UPDATE outbox SET body = x'', expires_at = ?2 WHERE recipient = ?1 AND "
        "sent_at IS NULL AND expires_at > ?2",
        [&](Statement& st) { st.Bind(1, mail.recipient).Bind(2, audit.at); });
    if (!s.ok()) return s;
    if (s = InsertMailLocked(mail, audit.at); !s.ok()) return s;
    return AuditLocked(audit);
  });
}

Result<std::optional<EmailOtp>> SqliteStore::GetEmailOtp(int64_t person_id) {
  std::lock_guard lock(mutex_);
  std::optional<EmailOtp> otp;
  Status s = QueryLocked(
      "SELECT code_hash, sent_at, expires_at, failures, used_at IS NOT NULL FROM email_otps "
      "WHERE person_id = ?1",
      [&](Statement& st) { st.Bind(1, person_id); },
      [&](const Statement& row) {
        otp = EmailOtp{row.ColumnText(0), row.ColumnInt(1), row.ColumnInt(2),
                       static_cast<int>(row.ColumnInt(3)), row.ColumnInt(4) != 0};
      });
  if (!s.ok()) return s;
  return otp;
}

Status SqliteStore::CountEmailOtpFailure(int64_t person_id) {
  std::lock_guard lock(mutex_);
  return ExecLocked("UPDATE email_otps SET failures = failures + 1 WHERE person_id = ?1",
                    [&](Statement& st) { st.Bind(1, person_id); });
}

Result<bool> SqliteStore::UseEmailOtp(int64_t person_id, int64_t now) {
  std::lock_guard lock(mutex_);
  Status s =
      ExecLocked("UPDATE email_otps SET used_at = ?2 WHERE person_id = ?1 AND used_at IS NULL",
                 [&](Statement& st) { st.Bind(1, person_id).Bind(2, now); });
  if (!s.ok()) return s;
  return sqlite3_changes(db_.handle()) == 1;
}

Result<bool> SqliteStore::AddRecoveryRequest(int64_t person_id, int64_t not_since,
                                             const AuditEvent& audit) {
  std::lock_guard lock(mutex_);
  bool added = false;
  Status s = InTransaction([&]() -> Status {
    // Checked and inserted under one write lock, so racing requests add one.
    Status e = ExecLocked(
        "INSERT INTO recovery_requests (person_id, requested_at) SELECT ?1, ?2 WHERE NOT EXISTS "
        "(SELECT 1 FROM recovery_requests WHERE person_id = ?1 AND requested_at > ?3)",
        [&](Statement& st) { st.Bind(1, person_id).Bind(2, audit.at).Bind(3, not_since); });
    if (!e.ok()) return e;
    added = sqlite3_changes(db_.handle()) == 1;
    return added ? AuditLocked(audit) : Status::Ok();
  });
  if (!s.ok()) return s;
  return added;
}

Result<int64_t> SqliteStore::LastRecoveryRequest(int64_t person_id) {
  std::lock_guard lock(mutex_);
  int64_t last = 0;
  Status s = QueryLocked(
      "SELECT coalesce(max(requested_at), 0) FROM recovery_requests WHERE person_id = ?1",
      [&](Statement& st) { st.Bind(1, person_id); },
      [&](const Statement& row) { last = row.ColumnInt(0); });
  if (!s.ok()) return s;
  return last;
}

Result<std::vector<RecoveryRequestRow>> SqliteStore::PendingRecoveryRequests() {
  std::lock_guard lock(mutex_);
  std::vector<RecoveryRequestRow> rows;
  Status s = QueryLocked(
      "SELECT q.id, q.person_id, p.email, p.name, p.portal, q.requested_at "
      "FROM recovery_requests q JOIN people p ON p.id = q.person_id "
      "WHERE q.resolved_at IS NULL ORDER BY q.requested_at",
      [](Statement&) {},
      [&](const Statement& row) {
        rows.push_back({row.ColumnInt(0), row.ColumnInt(1), row.ColumnText(2), row.ColumnText(3),
                        ParsePortal(row.ColumnText(4)).value_or(Portal::kContact),
                        row.ColumnInt(5)});
      });
  if (!s.ok()) return s;
  return rows;
}

Status SqliteStore::ResetMfa(int64_t person_id, const AuditEvent& audit) {
  SessionWrite write(*this);
  return InTransaction([&]() -> Status {
    for (const char* sql : {"DELETE FROM mfa_totp WHERE person_id = ?1",
                            "DELETE FROM recovery_codes WHERE person_id = ?1",
                            "DELETE FROM email_otps WHERE person_id = ?1",
                            "DELETE FROM sessions WHERE person_id = ?1"}) {
      if (Status s = ExecLocked(sql, [&](Statement& st) { st.Bind(1, person_id); }); !s.ok()) {
        return s;
      }
    }
    if (Status s = ResolveRequestsLocked(person_id, audit, "reset"); !s.ok()) return s;
    return AuditLocked(audit);
  });
}
}  // namespace deskgate::store
