#pragma once
/// @file options.h
/// Client-wide and per-call options.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "esimgo/result.h"
#include "esimgo/transport.h"

namespace esimgo {
namespace internal {
class ClientCore;  // the shared state behind a Client and its views
}  // namespace internal

/// The live API's base URL.
inline constexpr std::string_view kDefaultBaseUrl = "https://api.esim-go.com/v2.4";

/// Time source and sleeper, injectable so that tests never sleep.
class Clock {
 public:
  virtual ~Clock() = default;
  /// Monotonic time for backoff and rate limiting.
  virtual std::chrono::steady_clock::time_point Now() = 0;
  /// Wall-clock time, used to bound order reconciliation (`createdAt=gte:`).
  virtual std::chrono::system_clock::time_point WallNow() = 0;
  /// Blocks the calling thread for `d` (a fake clock just advances).
  virtual void Sleep(std::chrono::nanoseconds d) = 0;
};

/// The real clock. Thread-safe.
[[nodiscard]] std::shared_ptr<Clock> SystemClock();

/// One line of the request trace. The API key is already redacted.
struct TraceEvent {
  std::string operation;
  std::string method;
  std::string url;
  int attempt = 0;
  int status = 0;  ///< 0 if no response
  std::chrono::milliseconds elapsed{0};
  std::string note;  ///< "retrying in 400 ms", "not retried: money-moving", …
};

/// How the client retries reads. Money-moving operations are never retried after a send,
/// whatever these say.
struct RetryPolicy {
  int max_attempts = 4;  ///< Total attempts for retryable reads (1 = no retry).
  std::chrono::milliseconds initial_backoff{200};
  std::chrono::milliseconds max_backoff{10'000};
  double multiplier = 2.0;
  /// Longest `Retry-After` the client will wait for; a longer one is returned as an error.
  std::chrono::seconds max_retry_after{60};
};

/// Everything a `Client` needs. An aggregate: build it with designated initializers.
struct ClientOptions {
  std::string api_key;                                  ///< Sent as `X-API-Key`. Never logged.
  std::string base_url = std::string(kDefaultBaseUrl);  ///< e.g. http://127.0.0.1:8080/v2.4
  std::chrono::milliseconds timeout{30'000};            ///< Per attempt.
  RetryPolicy retry;
  /// Client-side token bucket shared by all threads of the client; 0 turns it off.
  double requests_per_second = 10.0;
  std::shared_ptr<Transport> transport;  ///< Null → libcurl (`MakeCurlTransport`).
  std::shared_ptr<Clock> clock;          ///< Null → `SystemClock()`.
  /// Called once per attempt, if set, from whichever thread made the call: it must be
  /// thread-safe when the client is shared between threads.
  std::function<void(const TraceEvent&)> trace;
  /// Seed for backoff jitter; 0 seeds from the clock.
  uint64_t jitter_seed = 0;

  /// Reads `ESIMGO_API_KEY` and `ESIMGO_BASE_URL` (explicit: nothing reads the environment
  /// behind your back). Fails with `kInvalidArgument` when the key is missing.
  [[nodiscard]] static Result<ClientOptions> FromEnv();
};

/// Per-call overrides; every field defaults to the client's setting.
struct CallOptions {
  std::optional<std::chrono::milliseconds> timeout;
  std::optional<int> max_attempts;
};

}  // namespace esimgo
