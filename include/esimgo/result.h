#pragma once
/// @file result.h
/// The SDK's error model: one `Error` type, one `Result<T>` alias, one status table.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// tl::expected is the one non-std vocabulary type in the public API (architecture decision:
// C++20 has no std::expected). It is header-only and carries no transport or JSON details.
#include <tl/expected.hpp>

namespace esimgo {

/// What went wrong, independent of the HTTP status that carried it.
enum class ErrorCode {
  kInvalidArgument,   ///< Rejected before sending: the request breaks a documented rule.
  kBadRequest,        ///< HTTP 400: the API did not accept the request format.
  kUnauthorized,      ///< HTTP 401: invalid key on POST /orders (the only 401 in v2.4).
  kForbidden,         ///< HTTP 403: invalid key, no bundles left, or ICCID not yours.
  kNotFound,          ///< HTTP 404 (undocumented, mapped if it appears) or 410 (v2.5: deactivated).
  kRateLimited,       ///< HTTP 429: over the rate limit; see `retry_after`.
  kUnavailable,       ///< HTTP 503: "Processing, come back later"; see `retry_after`.
  kServer,            ///< Any other 5xx.
  kUnexpectedStatus,  ///< A status the table does not know (e.g. 3xx, 418).
  kDecode,            ///< The response body was not the JSON/CSV the operation expects.
  kTransport,         ///< Socket, TLS or DNS failure.
  kTimeout,           ///< The per-call deadline passed.
  kAmbiguous,         ///< A money-moving call may or may not have happened; see the message.
  kSignatureMismatch,  ///< A webhook signature did not verify.
};

/// Stable lower-case name of an error code, e.g. "forbidden". Thread-safe.
[[nodiscard]] std::string_view ErrorCodeName(ErrorCode code) noexcept;

/// Why the server refused, where the status alone does not say: v2.4 answers 403 for a bad
/// key, an unknown or foreign ICCID and an empty inventory alike. Decide on this, never on the
/// message text (whose wording is the server's and may change).
enum class ErrorReason {
  kUnspecified,  ///< The status says it all, or the answer named no known cause.
  kInvalidKey,   ///< The API key is missing, wrong or not allowed here (401; 403 "Unauthorised").
  kNotFound,     ///< The ICCID, bundle, order or lot does not exist or is not this account's.
  kNoInventory,  ///< No bundle of that name is left in inventory to apply.
  kInsufficientBalance,  ///< The organisation's balance does not cover the order.
  kRefundNotAllowed,     ///< Used, started, past the refund window, or refunds are disabled.
  /// v2.5: the eSIM is deactivated (deleted through `EsimsApi::Delete` or after 180 idle
  /// days): permanent. Install details and QR answer 410 (code kNotFound); apply, refresh and
  /// SMS answer 400 saying "deactivated" (code kBadRequest). Order a new eSIM instead.
  kDeactivated,
};

/// Stable lower-case name of a reason, e.g. "invalid_key". Thread-safe.
[[nodiscard]] std::string_view ErrorReasonName(ErrorReason reason) noexcept;

/// The `X-Ratelimit-*` headers of the response that produced an error (all optional).
struct RateLimitInfo {
  std::optional<int64_t> limit;      ///< X-Ratelimit-Limit
  std::optional<int64_t> remaining;  ///< X-Ratelimit-Remaining
  std::optional<int64_t> cost;       ///< X-Ratelimit-Cost
  std::string reset;                 ///< X-Ratelimit-Reset (ISO-8601 as sent)
};

/// Every failure of the SDK. Never contains the API key.
struct Error {
  ErrorCode code = ErrorCode::kTransport;  ///< What went wrong (see ErrorCode).
  int http_status = 0;                     ///< 0 when no response was received.
  /// The cause behind an overloaded status (see ErrorReasonFor); kUnspecified otherwise.
  ErrorReason reason = ErrorReason::kUnspecified;
  std::string message;    ///< What was wrong and, where we know it, what to do.
  std::string operation;  ///< e.g. "orders.Create" — the operation that failed.
  std::optional<std::chrono::seconds> retry_after;  ///< From `Retry-After`, if sent.
  RateLimitInfo rate_limit;                         ///< From `X-Ratelimit-*`, if sent.
  int attempts = 0;  ///< How many times the request was sent (0 = never sent).
  /// True when the request may have reached the server although no answer came back.
  bool maybe_sent = false;

  /// One line for logs: "orders.Create: forbidden (HTTP 403): …". Thread-safe.
  [[nodiscard]] std::string ToString() const;
};

/// The result of every fallible call: a value or an `Error`.
template <class T>
using Result = tl::expected<T, Error>;

/// Shorthand for returning an error from a function that returns `Result<T>`.
[[nodiscard]] inline tl::unexpected<Error> Fail(ErrorCode code, std::string message,
                                                std::string operation = {}) {
  Error e;
  e.code = code;
  e.message = std::move(message);
  e.operation = std::move(operation);
  return tl::unexpected<Error>(std::move(e));
}

/// Status code → error code, the one table (src/result.cc). Thread-safe.
[[nodiscard]] ErrorCode ErrorCodeForStatus(int http_status) noexcept;

/// Status and server message → reason, the one phrase table beside the status table
/// (src/result.cc). Only 400, 401, 403, 404 and 410 are classified. Thread-safe.
[[nodiscard]] ErrorReason ErrorReasonFor(int http_status, std::string_view message) noexcept;

}  // namespace esimgo
