// Status and Result: how deskgate reports failure without exceptions.
//
// A Status is either OK or carries a code saying what kind of failure it
// is and a human-readable message that is safe to show to the user (it
// never contains secrets). Callers decide by the code, never by the text;
// the server maps codes to HTTP statuses in one place (server/http/errors.h).
// Result<T> holds a T or a non-OK Status. Both are cheap to move and are the
// only error channel across module boundaries.
#pragma once

#include <cassert>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace deskgate {

enum class StatusCode {
  kOk,
  kInvalidArgument,           // the input breaks a rule; the message names the field
  kUnauthenticated,           // no valid sign-in
  kPermissionDenied,          // signed in, but not allowed
  kReauthenticationRequired,  // allowed after a recent re-authentication (step-up)
  kNotFound,
  kConflict,     // the state changed or forbids it (a stale version, a guard)
  kThrottled,    // too many attempts; retry_after() says for how long
  kUnavailable,  // a dependency failed (the database, a provider); try again
  kInternal,     // a write the rules allowed failed underneath; nothing changed
};

class Status {
 public:
  Status() = default;  // OK
  static Status Ok() { return Status(); }
  // A rule was broken (the common case, kInvalidArgument).
  static Status Error(std::string message) {
    return Status(StatusCode::kInvalidArgument, std::move(message));
  }
  static Status Of(StatusCode code, std::string message) {
    return Status(code, std::move(message));
  }
  static Status Throttled(std::string message, int64_t retry_after) {
    Status s(StatusCode::kThrottled, std::move(message));
    s.retry_after_ = retry_after;
    return s;
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // Seconds until another attempt may succeed, with kThrottled.
  int64_t retry_after() const { return retry_after_; }

 private:
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  int64_t retry_after_ = 0;
};

template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {
    assert(!std::get<Status>(state_).ok() && "Result needs a value or an error");
  }

  bool ok() const { return std::holds_alternative<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const Status& status() const { return std::get<Status>(state_); }
  const std::string& error() const { return status().message(); }
  StatusCode code() const { return ok() ? StatusCode::kOk : status().code(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace deskgate
