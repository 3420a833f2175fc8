#pragma once
/// @file options.h
/// Client-wide and per-call options.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "esimgo/result.h"
#include "esimgo/transport.h"

namespace esimgo {
namespace internal {
class ClientCore;  // the shared state behind a Client and its views
}  // namespace internal
namespace drift {
struct Drift;  // esimgo/drift.h
}  // namespace drift

/// The live API's base URL (v2.4, the default of this release).
inline constexpr std::string_view kDefaultBaseUrl = "https://api.esim-go.com/v2.4";

/// The eSIM Go API versions this SDK speaks. v2.5 is additive over v2.4 (docs/adr/0007): one
/// SDK speaks both, and a client's version is the last path segment of its base URL.
enum class ApiVersion {
  kV2_4,  ///< `…/v2.4`: the default.
  kV2_5,  ///< `…/v2.5`: adds suspension, deletion, consumption prices and new fields.
};

/// "2.4" or "2.5". Thread-safe.
[[nodiscard]] std::string_view ApiVersionName(ApiVersion version) noexcept;

/// Parses "2.4", "2.5", "v2.4" or "v2.5" (case-insensitive, surrounding spaces ignored), as
/// `ESIMGO_API_VERSION` and `--api-version` take it. Empty for anything else. Thread-safe.
[[nodiscard]] std::optional<ApiVersion> ParseApiVersion(std::string_view text) noexcept;

/// The live API's base URL for `version`, e.g. "https://api.esim-go.com/v2.5". Thread-safe.
[[nodiscard]] std::string DefaultBaseUrl(ApiVersion version);

/// The version a base URL speaks: its last path segment ("…/v2.4", "…/v2.5/", query and
/// fragment ignored). Empty when that segment is not a version this SDK knows (a proxy, a
/// future version): such a client is "unknown" and never refuses an operation. Thread-safe.
[[nodiscard]] std::optional<ApiVersion> ApiVersionOfBaseUrl(std::string_view base_url) noexcept;

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
  std::string operation;                 ///< e.g. "orders.Create".
  std::string method;                    ///< HTTP method.
  std::string url;                       ///< The full URL (never contains the key).
  int attempt = 0;                       ///< 1 for the first attempt, 2 for the first retry, ….
  int status = 0;                        ///< 0 if no response
  std::chrono::milliseconds elapsed{0};  ///< Time of this attempt.
  std::string note;                      ///< "retrying in 400 ms", "not retried: money-moving", …
};

/// How the client retries reads. Money-moving operations are never retried after a send,
/// whatever these say.
struct RetryPolicy {
  int max_attempts = 4;  ///< Total attempts for retryable reads (1 = no retry).
  /// Nominal wait before the first retry; each wait is jittered to 50–100 %.
  std::chrono::milliseconds initial_backoff{200};
  std::chrono::milliseconds max_backoff{10'000};  ///< Longest wait between retries.
  double multiplier = 2.0;  ///< Each retry waits this many times longer than the one before.
  /// Longest `Retry-After` the client will wait for; a longer one is returned as an error.
  std::chrono::seconds max_retry_after{60};
};

/// Everything a `Client` needs. An aggregate: build it with designated initializers.
struct ClientOptions {
  std::string api_key;                                  ///< Sent as `X-API-Key`. Never logged.
  std::string base_url = std::string(kDefaultBaseUrl);  ///< e.g. http://127.0.0.1:8080/v2.4
  std::chrono::milliseconds timeout{30'000};            ///< Per attempt.
  RetryPolicy retry;                                    ///< How reads are retried.
  /// Client-side token bucket shared by all threads of the client; 0 turns it off.
  double requests_per_second = 10.0;
  std::shared_ptr<Transport> transport;  ///< Null → libcurl (`MakeCurlTransport`).
  std::shared_ptr<Clock> clock;          ///< Null → `SystemClock()`.
  /// Called once per attempt, if set, from whichever thread made the call: it must be
  /// thread-safe when the client is shared between threads.
  std::function<void(const TraceEvent&)> trace;
  /// Seed for backoff jitter; 0 seeds from the clock.
  uint64_t jitter_seed = 0;
  /// Drift detection in production (esimgo/drift.h, docs/adr/0010-drift-detection.md). If
  /// set, every successful JSON answer is checked against its operation's contract before it
  /// is decoded, and this is called when the answer differs: with the operation as
  /// `drift::Check` names it ("GET /esims/{iccid}") and the differences (include
  /// esimgo/drift.h to read them). The call still succeeds: drift is reported, never fatal.
  /// The contract is the version of the base URL, v2.5 (the superset) when the URL names none.
  /// Unset (the default), nothing is checked and nothing costs. Called from whichever thread
  /// made the call: it must be thread-safe when the client is shared between threads, and it
  /// must not call the client back.
  std::function<void(std::string_view operation, const std::vector<drift::Drift>& drift)> on_drift;

  /// Reads `ESIMGO_API_KEY`, `ESIMGO_BASE_URL` and `ESIMGO_API_VERSION` (explicit: nothing
  /// reads the environment behind your back). `ESIMGO_API_VERSION` (2.4 or 2.5) picks the live
  /// host of that version when `ESIMGO_BASE_URL` is unset; the default is v2.4.
  /// Errors: kInvalidArgument when the key is missing, when `ESIMGO_API_VERSION` is not 2.4 or
  /// 2.5, or when it contradicts the version segment of `ESIMGO_BASE_URL`. Thread-safe as far
  /// as `std::getenv` is (no concurrent `setenv`).
  [[nodiscard]] static Result<ClientOptions> FromEnv();
};

/// Per-call overrides; every field defaults to the client's setting.
struct CallOptions {
  /// Per attempt; overrides `ClientOptions::timeout`.
  std::optional<std::chrono::milliseconds> timeout;
  std::optional<int> max_attempts;  ///< Overrides `RetryPolicy::max_attempts` (1 = no retry).
};

}  // namespace esimgo
