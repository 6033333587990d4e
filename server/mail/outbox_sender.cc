#include "server/mail/outbox_sender.h"
#include "server/observe/metrics.h"

#include <algorithm>
#include <chrono>

namespace deskgate::mail {
namespace {

// The thread looks for due mail at least this often (retries come due
// without anyone waking it).
constexpr auto kPollInterval = std::chrono::seconds(1);
constexpr int kBatch = 20;

}  // namespace

OutboxSender::OutboxSender(store::OutboxStore& store, const crypto::SecretBox& box,
                           const services::Clock& clock, std::optional<SmtpConfig> smtp)
    : store_(store), box_(box), clock_(clock) {
  Configure(std::move(smtp));
}

bool OutboxSender::configured() const {
  std::lock_guard lock(config_mutex_);
  return sender_.has_value();
}

void OutboxSender::Configure(std::optional<SmtpConfig> smtp) {
  std::lock_guard lock(config_mutex_);
  sender_.reset();
  domain_.clear();
  if (!smtp) return;
  const size_t at = smtp->from.rfind('@');
  domain_ = at == std::string::npos ? "localhost" : smtp->from.substr(at + 1);
  if (!domain_.empty() && domain_.back() == '>') domain_.pop_back();
  sender_.emplace(std::move(*smtp));
}

void OutboxSender::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OutboxSender::Start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
}

void OutboxSender::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

int64_t OutboxSender::RetryDelay(int attempts) {
  int64_t delay = kFirstRetry;
  for (int i = 1; i < attempts && delay < kMaxRetry; ++i) delay *= 2;
  return std::min(delay, kMaxRetry);
}

int OutboxSender::SendDue() {
  // Unsent messages past their expiry hold dead codes: wipe them, sent or not.
  store_.WipeExpiredMail(clock_.Now());
  std::optional<SmtpSender> sender;
  std::string domain;
  {
    std::lock_guard lock(config_mutex_);
    sender = sender_;
    domain = domain_;
  }
  if (!sender) return 0;
  auto due = store_.DueMail(clock_.Now(), kBatch);
  if (!due.ok()) return 0;
  int sent = 0;
  for (const store::OutboxRow& row : due.value()) {
    auto body = box_.Open(row.body);
    Status s =
        body.ok()
            ? sender->Send({row.recipient, row.subject, std::string(body.value().view())}, domain)
            : body.status();
    const int64_t now = clock_.Now();
    if (s.ok()) {
      store_.MailSent(row.id, now);
      observe::Count(observe::Counter::kMailSent);
      ++sent;
    } else {
      observe::Count(observe::Counter::kMailFailures);
      store_.MailFailed(row.id, s.message(), now + RetryDelay(row.attempts + 1));
    }
  }
  return sent;
}

void OutboxSender::Loop() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    lock.unlock();
    SendDue();
    lock.lock();
    wake_.wait_for(lock, kPollInterval, [this] { return stop_ || woken_; });
    woken_ = false;
  }
}

}  // namespace deskgate::mail
