#pragma once
/// @file contract.h
/// `esimgo contract check|replay` (issue 10): probes an account with read-only and dry-run
/// operations only, and reports how its answers differ from this SDK's contract.
///
/// The pieces, each usable alone:
///  - the allow-list (`Allowed`) and `GuardTransport`, which refuses every request outside it
///    before it is sent, measures each attempt and keeps what was answered;
///  - `RedactRecording` and the recording files (`FormatRecording`/`ParseRecording`);
///  - `ReplayTransport`, which answers from a recording, offline.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "esimgo/options.h"
#include "esimgo/result.h"
#include "esimgo/transport.h"

namespace esimgo::cli::contract {

/// Most requests one check may send (retries included): the budget of "about 40".
inline constexpr int kMaxRequests = 40;

/// The operation of an allowed request, e.g. "GET /esims/{iccid}", or an error saying why the
/// request is not one a contract check may send. `target` is the request path and query
/// relative to the base URL ("/esims?page=1"). Only reads, `POST /orders` whose top-level
/// `type` is exactly "validate", and a bundle revoke whose only `type` parameter is
/// "validate" pass. Errors: kInvalidArgument.
[[nodiscard]] Result<std::string> Allowed(std::string_view method, std::string_view target,
                                          std::string_view body, ApiVersion version);

/// The allow-list as people read it (docs/contract.md lists the same rows).
[[nodiscard]] std::vector<std::string> AllowListDescription(ApiVersion version);

/// One attempt as the guard saw it.
struct Exchange {
  std::string operation;  ///< The allow-list row, e.g. "GET /orders/{reference}".
  std::string method;
  std::string target;  ///< Path and query relative to the base URL.
  int64_t ms = 0;      ///< Time to the whole answer.
  int status = 0;      ///< 0 when nothing was answered.
  Headers headers;
  std::string body;
  std::string transport_error;  ///< Set when there was no answer.
};

/// A transport decorator that lets through only what `Allowed` accepts (to a URL under the
/// base URL), at most `max_requests` times, and keeps every exchange. Thread-safe.
class GuardTransport : public Transport {
 public:
  GuardTransport(std::shared_ptr<Transport> inner, std::string base_url, ApiVersion version,
                 int max_requests = kMaxRequests);

  Result<HttpResponse> Send(const HttpRequest& request) override;

  /// Exchanges since the last call, in order (moved out).
  [[nodiscard]] std::vector<Exchange> Take();
  /// Requests refused so far (each with its reason): none in a correct check.
  [[nodiscard]] std::vector<std::string> refused() const;
  /// Requests sent so far.
  [[nodiscard]] int sent() const;

 private:
  std::shared_ptr<Transport> inner_;
  std::string base_url_;
  ApiVersion version_;
  int max_requests_;
  mutable std::mutex mu_;
  int sent_ = 0;
  std::vector<Exchange> pending_;
  std::vector<std::string> refused_;
};

/// `text` with the secrets of an eSIM Go answer replaced and every other byte unchanged:
/// the API key; the values of JSON fields named apiKey, matchingId, activationCode, pin, puk,
/// lpa (any case; strings become "REDACTED", numbers 0) and of the CSV columns Matching ID, PIN,
/// PUK and Activation Code; every LPA activation string (`LPA:1$…`, also URL-encoded) after
/// its prefix; and every other occurrence of a redacted matching ID or activation code.
[[nodiscard]] std::string RedactRecording(std::string_view text, std::string_view api_key);

/// The recording file of one exchange (already redacted with `api_key`): a small text header
/// (operation, request, time, status, headers), a blank line, then the body's bytes.
[[nodiscard]] std::string FormatRecording(const Exchange& exchange, std::string_view api_key);

/// Reads a file written by `FormatRecording`. Errors: kDecode naming what is wrong.
[[nodiscard]] Result<Exchange> ParseRecording(std::string_view text);

/// Answers each request with the first unused recorded exchange of the same method and target
/// (else of the same method and path), offline. Thread-safe.
class ReplayTransport : public Transport {
 public:
  ReplayTransport(std::string base_url, std::vector<Exchange> exchanges);
  Result<HttpResponse> Send(const HttpRequest& request) override;
  /// The recorded times of the exchanges answered since the last call, summed (a replay
  /// reports the time the recording measured, not its own).
  [[nodiscard]] int64_t TakeMs();

 private:
  std::string base_url_;
  mutable std::mutex mu_;
  std::vector<Exchange> exchanges_;
  std::vector<bool> used_;
  int64_t ms_ = 0;
};

/// A clock for replays: time advances only when the client sleeps, and sleeping is instant
/// (a recorded 429's Retry-After must not stall an offline replay).
class InstantClock : public Clock {
 public:
  std::chrono::steady_clock::time_point Now() override;
  std::chrono::system_clock::time_point WallNow() override;
  void Sleep(std::chrono::nanoseconds d) override;

 private:
  std::mutex mu_;
  std::chrono::nanoseconds elapsed_{0};
};

/// The path and query of `url` relative to `base_url`, or empty when `url` is not under it.
[[nodiscard]] std::optional<std::string> TargetOf(std::string_view url, std::string_view base_url);

}  // namespace esimgo::cli::contract
