#pragma once
/// @file callbacks.h
/// The sandbox's usage-callback dispatcher: delivers alert bodies to the
/// organisation's callback URL from a background thread, as eSIM Go does — V2
/// unsigned or V3 signed with `X-Signature-SHA256` — retrying with exponential
/// backoff, and reports every attempt to a sink so the sandbox can store and
/// list them.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "esimgo/result.h"
#include "esimgo/webhook.h"

namespace httplib {
class Client;
}  // namespace httplib

namespace esimgo::sandbox {

/// eSIM Go's callback versions: V2 has no signature; V3 adds
/// `X-Signature-SHA256`.
enum class CallbackVersion { kV2 = 2, kV3 = 3 };

/// What became of one attempt.
enum class AttemptOutcome {
  kDelivered,  ///< The receiver answered 2xx.
  kWillRetry,  ///< Failed; another attempt follows after the backoff.
  kGaveUp,     ///< Failed and it was the last attempt the policy allows.
  kAbandoned,  ///< Not sent: the dispatcher stopped first (http_status 0).
};

/// Stable lower-case name: "delivered", "will_retry", "gave_up", "abandoned".
[[nodiscard]] std::string_view AttemptOutcomeName(AttemptOutcome outcome) noexcept;

/// One delivery attempt, reported to the sink. Never holds the API key.
struct CallbackAttempt {
  int64_t delivery_id = 0;  ///< Same for every attempt of one alert.
  std::string alert_type;   ///< e.g. "Utilisation" (from the body when not given).
  std::string url;
  int attempt = 0;      ///< 1-based.
  int http_status = 0;  ///< 0 when no response was received.
  std::string error;    ///< Empty when delivered; else what went wrong.
  AttemptOutcome outcome = AttemptOutcome::kGaveUp;
  CallbackVersion version = CallbackVersion::kV2;
  std::string signature;                     ///< The `X-Signature-SHA256` sent (V3), else empty.
  std::chrono::system_clock::time_point at;  ///< When the attempt started.
  std::string body;
};

/// Receives every attempt, from the dispatcher's worker thread (one at a time,
/// in order). It must not call back into the dispatcher's `Stop`.
using CallbackSink = std::function<void(const CallbackAttempt&)>;

/// Waits `delay` between attempts; returns false if the wait was cut short.
/// Tests inject one that returns at once (and records the delays) so that no
/// test sleeps.
using CallbackSleeper = std::function<bool(std::chrono::milliseconds delay)>;

/// Retries: attempt n+1 follows attempt n after `initial_backoff *
/// multiplier^(n-1)`, capped at `max_backoff`. Any non-2xx answer or connection
/// failure is retried.
struct CallbackRetryPolicy {
  int max_attempts = 5;
  std::chrono::milliseconds initial_backoff{500};
  double multiplier = 2.0;
  std::chrono::milliseconds max_backoff{30'000};
};

/// Configuration of a dispatcher. An aggregate: build it with designated
/// initializers.
struct CallbackDispatcherOptions {
  std::string url;  ///< http:// or https:// callback URL; may be set later with
                    ///< SetTarget.
  CallbackVersion version = CallbackVersion::kV2;
  std::string api_key;  ///< Signs V3 bodies. Never logged or recorded.
  CallbackRetryPolicy retry;
  std::chrono::milliseconds connect_timeout{2'000};
  std::chrono::milliseconds timeout{5'000};  ///< Read and write timeout of one attempt.
  /// How long the destructor lets queued deliveries drain before abandoning
  /// them.
  std::chrono::milliseconds stop_grace{2'000};
  size_t max_queue = 10'000;      ///< Enqueue fails beyond this many waiting alerts.
  int64_t first_delivery_id = 1;  ///< e.g. 1 + the highest id already stored.
  CallbackSink sink;              ///< Optional.
  CallbackSleeper sleep;          ///< Empty = real waits, cut short by Stop.
  std::function<std::chrono::system_clock::time_point()> clock;  ///< Empty = system clock.
};

/// Delivers alerts in the order queued, one at a time, on its own worker
/// thread. Thread-safe: every method may be called from any thread.
class CallbackDispatcher {
 public:
  /// Starts the worker thread.
  explicit CallbackDispatcher(CallbackDispatcherOptions options);
  /// Stops with `options.stop_grace`.
  ~CallbackDispatcher();
  CallbackDispatcher(const CallbackDispatcher&) = delete;
  CallbackDispatcher& operator=(const CallbackDispatcher&) = delete;

  /// Queues `body` (sent byte for byte) and returns its delivery id.
  /// `alert_type` is only for the record; when empty it is read from the body.
  /// Errors: kInvalidArgument (no callback URL configured, or not an http(s)
  /// URL), kUnavailable (stopped, or `max_queue` alerts already waiting).
  [[nodiscard]] Result<int64_t> Enqueue(std::string body, std::string alert_type = {});
  /// Queues `webhook::EncodeAlert(alert)`. Errors: as above.
  [[nodiscard]] Result<int64_t> Enqueue(const webhook::Alert& alert);

  /// Changes the URL and version used for alerts queued from now on (an empty
  /// URL turns callbacks off). Errors: kInvalidArgument (not an http(s) URL).
  [[nodiscard]] Result<void> SetTarget(std::string url, CallbackVersion version);

  /// Blocks until nothing is queued or being delivered, or `timeout` passes;
  /// true if idle.
  bool WaitIdle(std::chrono::milliseconds timeout);

  /// Alerts queued or in delivery.
  [[nodiscard]] size_t pending() const;

  /// Stops accepting alerts, lets queued ones (with their retries) drain for up
  /// to `grace`, then abandons the rest — each reported once as kAbandoned —
  /// cutting an in-flight request short. Returns when the worker has exited.
  /// Idempotent.
  void Stop(std::chrono::milliseconds grace);

 private:
  struct Job {
    int64_t id = 0;
    std::string url;
    CallbackVersion version = CallbackVersion::kV2;
    std::string body;
    std::string alert_type;
  };

  void Run();
  void Deliver(const Job& job);
  // One POST; returns the HTTP status (0 on failure, with `error` set).
  int Post(const Job& job, const std::string& signature, std::string& error);
  bool Wait(std::chrono::milliseconds delay);
  void Report(const Job& job, int attempt, int status, std::string error, AttemptOutcome outcome,
              const std::string& signature, std::chrono::system_clock::time_point at);
  std::chrono::system_clock::time_point Now() const;

  const CallbackDispatcherOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;       // work arrived, stop or abandon requested
  std::condition_variable idle_cv_;  // queue drained or worker exited
  std::deque<Job> queue_;
  std::string url_;
  CallbackVersion version_;
  int64_t next_id_;
  bool in_flight_ = false;
  bool stopping_ = false;
  bool abandon_ = false;
  bool exited_ = false;
  httplib::Client* current_client_ = nullptr;  // guarded by mu_; cut short on abandon
  std::mutex stop_mu_;                         // serialises Stop
  std::thread worker_;
};

}  // namespace esimgo::sandbox
