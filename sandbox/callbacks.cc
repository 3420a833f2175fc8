#include "callbacks.h"

#include <httplib.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace esimgo::sandbox {
namespace {

// Splits "http(s)://host[:port][/path]" into the origin httplib wants and the
// path.
bool SplitUrl(std::string_view url, std::string& origin, std::string& path) {
  std::string_view rest;
  if (url.substr(0, 7) == "http://") {
    rest = url.substr(7);
  } else if (url.substr(0, 8) == "https://") {
    rest = url.substr(8);
  } else {
    return false;
  }
  const size_t slash = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, slash);
  if (authority.empty() || authority.find_first_of(" @\t\r\n") != std::string_view::npos) {
    return false;
  }
  origin.assign(url.substr(0, url.size() - rest.size()));
  origin += authority;
  // Built by appending, not with path.insert(0, "/"): g++ 12 at -O3 reports a false -Wrestrict
  // overlap inside char_traits::copy for the in-place insert (GCC bug 105329), which broke
  // `make bench` under -Werror.
  path.assign(1, '/');
  if (slash != std::string_view::npos) {
    std::string_view tail = rest.substr(slash);
    if (tail.front() == '/') tail.remove_prefix(1);
    path.append(tail);
  }
  return true;
}

Result<void> CheckUrl(std::string_view url) {
  std::string origin, path;
  if (SplitUrl(url, origin, path)) return {};
  return Fail(ErrorCode::kInvalidArgument,
              "callback URL \"" + std::string(url.substr(0, 200)) +
                  "\" is not an http:// or https:// URL with a host, e.g. "
                  "http://127.0.0.1:8080/esim-callback");
}

std::chrono::milliseconds Backoff(const CallbackRetryPolicy& p, int attempt) {
  double ms = static_cast<double>(p.initial_backoff.count()) *
              std::pow(std::max(p.multiplier, 1.0), attempt - 1);
  ms = std::min(ms, static_cast<double>(p.max_backoff.count()));
  return std::chrono::milliseconds(static_cast<int64_t>(std::max(ms, 0.0)));
}

}  // namespace

std::string_view AttemptOutcomeName(AttemptOutcome outcome) noexcept {
  switch (outcome) {
    case AttemptOutcome::kDelivered:
      return "delivered";
    case AttemptOutcome::kWillRetry:
      return "will_retry";
    case AttemptOutcome::kGaveUp:
      return "gave_up";
    case AttemptOutcome::kAbandoned:
      return "abandoned";
  }
  return "unknown";
}

CallbackDispatcher::CallbackDispatcher(CallbackDispatcherOptions options)
    : options_(std::move(options)),
      url_(options_.url),
      version_(options_.version),
      next_id_(options_.first_delivery_id) {
  worker_ = std::thread([this] { Run(); });
}

CallbackDispatcher::~CallbackDispatcher() { Stop(options_.stop_grace); }

Result<int64_t> CallbackDispatcher::Enqueue(std::string body, std::string alert_type) {
  if (alert_type.empty()) {
    if (auto alert = webhook::ParseAlert(body)) alert_type = std::move(alert->alert_type.raw);
  }
  std::lock_guard lock(mu_);
  if (stopping_) {
    return Fail(ErrorCode::kUnavailable, "the callback dispatcher is stopped", "callbacks.Enqueue");
  }
  if (url_.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no callback URL is configured: set the organisation's "
                "callback URL first",
                "callbacks.Enqueue");
  }
  if (auto ok = CheckUrl(url_); !ok) return tl::unexpected(ok.error());
  if (queue_.size() >= options_.max_queue) {
    return Fail(ErrorCode::kUnavailable,
                "the callback queue is full (" + std::to_string(options_.max_queue) +
                    " alerts waiting): is the receiver down?",
                "callbacks.Enqueue");
  }
  const int64_t id = next_id_++;
  queue_.push_back(Job{.id = id,
                       .url = url_,
                       .version = version_,
                       .body = std::move(body),
                       .alert_type = std::move(alert_type)});
  cv_.notify_all();
  return id;
}

Result<int64_t> CallbackDispatcher::Enqueue(const webhook::Alert& alert) {
  std::string type = alert.alert_type.raw;
  return Enqueue(webhook::EncodeAlert(alert), std::move(type));
}

Result<void> CallbackDispatcher::SetTarget(std::string url, CallbackVersion version) {
  if (!url.empty()) {
    if (auto ok = CheckUrl(url); !ok) return ok;
  }
  std::lock_guard lock(mu_);
  url_ = std::move(url);
  version_ = version;
  return {};
}

bool CallbackDispatcher::WaitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return idle_cv_.wait_for(lock, timeout,
                           [&] { return exited_ || (queue_.empty() && !in_flight_); });
}

size_t CallbackDispatcher::pending() const {
  std::lock_guard lock(mu_);
  return queue_.size() + (in_flight_ ? 1 : 0);
}

void CallbackDispatcher::Stop(std::chrono::milliseconds grace) {
  std::lock_guard stop_lock(stop_mu_);
  if (!worker_.joinable()) return;
  std::unique_lock lock(mu_);
  stopping_ = true;
  cv_.notify_all();
  // Drain: the worker exits by itself once the queue is empty.
  if (!idle_cv_.wait_for(lock, grace, [&] { return exited_; })) {
    abandon_ = true;
    cv_.notify_all();
    // Cut an in-flight request short so the bound holds even against a slow
    // receiver.
    if (current_client_ != nullptr) current_client_->stop();
  }
  lock.unlock();
  worker_.join();
}

void CallbackDispatcher::Run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || abandon_ || !queue_.empty(); });
      if (abandon_ || queue_.empty()) break;  // queue_.empty() here means stopping_
      job = std::move(queue_.front());
      queue_.pop_front();
      in_flight_ = true;
    }
    Deliver(job);
    {
      std::lock_guard lock(mu_);
      in_flight_ = false;
    }
    idle_cv_.notify_all();
  }
  // Whatever is still queued is abandoned, each reported once.
  std::deque<Job> left;
  {
    std::lock_guard lock(mu_);
    left.swap(queue_);
  }
  for (const Job& job : left) {
    Report(job, 1, 0, "not sent: the dispatcher stopped", AttemptOutcome::kAbandoned, {}, Now());
  }
  {
    std::lock_guard lock(mu_);
    exited_ = true;
  }
  idle_cv_.notify_all();
}

void CallbackDispatcher::Deliver(const Job& job) {
  const std::string signature = job.version == CallbackVersion::kV3
                                    ? webhook::ComputeSignature(options_.api_key, job.body)
                                    : std::string();
  const int max_attempts = std::max(options_.retry.max_attempts, 1);
  for (int attempt = 1;; ++attempt) {
    bool abandoned = false;
    {
      std::lock_guard lock(mu_);
      abandoned = abandon_;
    }
    if (abandoned) {  // reported outside the lock: the sink may be slow (SQLite)
      Report(job, attempt, 0, "not sent: the dispatcher stopped", AttemptOutcome::kAbandoned,
             signature, Now());
      return;
    }
    const auto at = Now();
    std::string error;
    const int status = Post(job, signature, error);
    if (status >= 200 && status < 300) {
      Report(job, attempt, status, {}, AttemptOutcome::kDelivered, signature, at);
      return;
    }
    if (status != 0) error = "the receiver answered HTTP " + std::to_string(status);
    if (attempt >= max_attempts) {
      Report(job, attempt, status,
             error + "; gave up after " + std::to_string(attempt) +
                 (attempt == 1 ? " attempt" : " attempts"),
             AttemptOutcome::kGaveUp, signature, at);
      return;
    }
    Report(job, attempt, status, error, AttemptOutcome::kWillRetry, signature, at);
    if (!Wait(Backoff(options_.retry, attempt))) {
      Report(job, attempt + 1, 0, "not sent: the dispatcher stopped", AttemptOutcome::kAbandoned,
             signature, Now());
      return;
    }
  }
}

int CallbackDispatcher::Post(const Job& job, const std::string& signature, std::string& error) {
  std::string origin, path;
  if (!SplitUrl(job.url, origin, path)) {
    error = "not an http(s) URL";
    return 0;
  }
  httplib::Client client(origin);
  if (!client.is_valid()) {
    error = "cannot create an HTTP client for " + origin;
    return 0;
  }
  client.set_connection_timeout(options_.connect_timeout);
  client.set_read_timeout(options_.timeout);
  client.set_write_timeout(options_.timeout);
  client.set_keep_alive(false);
  httplib::Headers headers{{"User-Agent", "esimgo-sandbox"}};
  if (!signature.empty()) headers.emplace(std::string(webhook::kSignatureHeader), signature);
  {
    std::lock_guard lock(mu_);
    if (abandon_) {
      error = "not sent: the dispatcher stopped";
      return 0;
    }
    current_client_ = &client;
  }
  auto res = client.Post(path, headers, job.body, "application/json");
  {
    std::lock_guard lock(mu_);
    current_client_ = nullptr;
  }
  if (!res) {
    error = "no response: " + httplib::to_string(res.error());
    return 0;
  }
  return res->status;
}

bool CallbackDispatcher::Wait(std::chrono::milliseconds delay) {
  if (options_.sleep) {
    const bool completed = options_.sleep(delay);
    std::lock_guard lock(mu_);
    return completed && !abandon_;
  }
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, delay, [&] { return abandon_; });
}

void CallbackDispatcher::Report(const Job& job, int attempt, int status, std::string error,
                                AttemptOutcome outcome, const std::string& signature,
                                std::chrono::system_clock::time_point at) {
  if (!options_.sink) return;
  options_.sink(CallbackAttempt{.delivery_id = job.id,
                                .alert_type = job.alert_type,
                                .url = job.url,
                                .attempt = attempt,
                                .http_status = status,
                                .error = std::move(error),
                                .outcome = outcome,
                                .version = job.version,
                                .signature = signature,
                                .at = at,
                                .body = job.body});
}

std::chrono::system_clock::time_point CallbackDispatcher::Now() const {
  return options_.clock ? options_.clock() : std::chrono::system_clock::now();
}

}  // namespace esimgo::sandbox
