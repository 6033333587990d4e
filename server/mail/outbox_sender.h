// OutboxSender: a background thread that delivers queued mail (the outbox
// table) over SMTP, so a request that queues a message never waits for a
// mail server and no message is lost while one is down.
//
// Each pass sends what is due; a failure is recorded with the reason and
// retried with backoff (30 s, doubling, at most 10 minutes) until the
// message expires. Without an SMTP configuration nothing is sent and
// messages wait in the outbox, where administrators can read their state.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "server/crypto/secret_box.h"
#include "server/mail/smtp_sender.h"
#include "server/services/clock.h"
#include "server/store/outbox_store.h"

namespace deskgate::mail {

class OutboxSender {
 public:
  static constexpr int64_t kFirstRetry = 30;  // seconds
  static constexpr int64_t kMaxRetry = 600;

  OutboxSender(store::OutboxStore& store, const crypto::SecretBox& box,
               const services::Clock& clock, std::optional<SmtpConfig> smtp);
  ~OutboxSender() { Stop(); }

  // Whether an SMTP server is set (by flags or in the product).
  bool configured() const;
  // Replaces the SMTP server (nullopt: none); the next pass uses it.
  void Configure(std::optional<SmtpConfig> smtp);
  // The newest `limit` messages, bodies left out.
  Result<std::vector<store::OutboxRow>> Recent(int limit) { return store_.ListOutbox(limit); }
  // Starts the background thread. Without SMTP it only wipes the bodies of
  // messages that expired unsent.
  void Start();
  // Stops the thread once the message being sent is handed over; the rest
  // stay queued for the next start.
  void Stop();
  // Wakes the thread to send now, e.g. after a message was queued.
  void Wake();
  // One pass: wipes expired bodies, sends what is due; returns how many
  // were sent. For the thread and tests.
  int SendDue();
  // The delay before attempt number `attempts + 1`, after `attempts` failures.
  static int64_t RetryDelay(int attempts);

 private:
  void Loop();

  store::OutboxStore& store_;
  const crypto::SecretBox& box_;
  const services::Clock& clock_;
  mutable std::mutex config_mutex_;  // guards sender_ and domain_
  std::optional<SmtpSender> sender_;
  std::string domain_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace deskgate::mail
