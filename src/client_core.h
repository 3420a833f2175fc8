#pragma once
// The state behind a Client: options, transport, clock, rate limiter, and the one retry loop.

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_set>

#include "esimgo/options.h"
#include "esimgo/result.h"
#include "esimgo/transport.h"
#include "retry/operations.h"
#include "retry/rate_limiter.h"

namespace esimgo::internal {

// What an operation sends. `target` is the escaped path plus query, relative to base_url.
struct Call {
  Op op = Op::kCount;
  std::string target;
  std::string body;                              // JSON; empty for no body
  std::string_view accept = "application/json";  // Accept header
};

class ClientCore {
 public:
  explicit ClientCore(ClientOptions options);

  // Sends `call` through the retry loop. Returns the 2xx response, or the mapped error.
  // Whether a failure is retried is decided only by the operation's row in kOperations.
  Result<HttpResponse> Execute(const Call& call, const CallOptions& options);

  const ClientOptions& options() const { return options_; }
  // The version named by the base URL's last segment; empty when unknown (never refuses).
  std::optional<ApiVersion> api_version() const { return api_version_; }
  Clock& clock() { return *options_.clock; }

  // Removes the API key from every text field of `error` (a server may echo it, and
  // GET /organisation returns it in clear, so a decode error's body snippet may hold it).
  // Execute applies it to its own errors; callers that build errors from a response body
  // (decode errors) must apply it too.
  void Redact(Error& error) const;
  // `text` with every occurrence of the API key, and a trailing partial key left by
  // truncation, replaced by "[REDACTED]".
  std::string Redacted(std::string text) const;

  // ClientOptions::on_drift: checks a successful JSON answer of `op` against its contract and
  // reports the differences. Callers test `options().on_drift` first, so that an unset hook
  // costs one branch (docs/adr/0010-drift-detection.md).
  void ReportDrift(Op op, const HttpResponse& response) const;

  // Order references this client has already handed to its caller (answers of orders.Create
  // and reconciliations). Returns false if `reference` was claimed before. Reconciliation uses
  // it so that two lost answers of identical orders never both claim the same order.
  // Only the newest kMaxClaimedOrders are remembered: reconciliation looks at orders created
  // in the last few minutes, and at eSIM Go's 10 requests/s a client cannot place this many
  // in that window, so older references can never be candidates again.
  bool ClaimOrderReference(const std::string& reference);
  bool IsOrderReferenceClaimed(const std::string& reference);
  static constexpr size_t kMaxClaimedOrders = 10'000;

 private:
  std::chrono::nanoseconds Backoff(int attempt);
  // kInvalidArgument for an operation newer than this client's known version, else empty.
  std::optional<Error> RefuseForVersion(const OperationInfo& info) const;
  Error ErrorFromResponse(const OperationInfo& info, const HttpResponse& response) const;
  void Trace(const OperationInfo& info, const HttpRequest& req, int attempt, int status,
             std::chrono::steady_clock::duration elapsed, std::string note) const;

  ClientOptions options_;
  std::optional<ApiVersion> api_version_;
  RateLimiter limiter_;
  std::mutex claimed_mu_;
  std::unordered_set<std::string> claimed_orders_;
  std::deque<std::string> claimed_order_fifo_;  // insertion order, to forget the oldest
  std::mutex jitter_mu_;
  std::mt19937_64 jitter_;
};

}  // namespace esimgo::internal
