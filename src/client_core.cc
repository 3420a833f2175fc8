#include "client_core.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <thread>

#include "drift/client_operations.h"
#include "esimgo/client.h"
#include "esimgo/drift.h"
#include "json/json_reader.h"

namespace esimgo {
namespace {

class RealClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point Now() override { return std::chrono::steady_clock::now(); }
  std::chrono::system_clock::time_point WallNow() override {
    return std::chrono::system_clock::now();
  }
  void Sleep(std::chrono::nanoseconds d) override { std::this_thread::sleep_for(d); }
};

std::optional<int64_t> HeaderInt(const Headers& h, std::string_view name) {
  auto v = FindHeader(h, name);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  int64_t out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc()) return std::nullopt;
  return out;
}

bool Retryable(ErrorCode code, int status) {
  switch (code) {
    case ErrorCode::kTransport:
    case ErrorCode::kTimeout:
    case ErrorCode::kRateLimited:
    case ErrorCode::kUnavailable:
      return true;
    case ErrorCode::kServer:
      return status == 500 || status == 502 || status == 504;
    default:
      return false;
  }
}

}  // namespace

std::shared_ptr<Clock> SystemClock() {
  static auto clock = std::make_shared<RealClock>();
  return clock;
}

std::string_view ApiVersionName(ApiVersion version) noexcept {
  switch (version) {
    case ApiVersion::kV2_4:
      return "2.4";
    case ApiVersion::kV2_5:
      return "2.5";
  }
  return "?";
}

std::optional<ApiVersion> ParseApiVersion(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (!text.empty() && (text.front() == 'v' || text.front() == 'V')) text.remove_prefix(1);
  if (text == "2.4") return ApiVersion::kV2_4;
  if (text == "2.5") return ApiVersion::kV2_5;
  return std::nullopt;
}

std::string DefaultBaseUrl(ApiVersion version) {
  return "https://api.esim-go.com/v" + std::string(ApiVersionName(version));
}

std::optional<ApiVersion> ApiVersionOfBaseUrl(std::string_view base_url) noexcept {
  // The path ends before a query or fragment; trailing slashes do not make a segment.
  base_url = base_url.substr(0, std::min(base_url.find('?'), base_url.find('#')));
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  const size_t slash = base_url.rfind('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view segment = base_url.substr(slash + 1);
  // Only a "v"-prefixed segment is a version: "http://host:2.4" has no path at all, and a
  // bare "2.4" segment is more likely a proxy's own path than eSIM Go's.
  if (segment.empty() || (segment.front() != 'v' && segment.front() != 'V')) return std::nullopt;
  return ParseApiVersion(segment);
}

Result<ClientOptions> ClientOptions::FromEnv() {
  ClientOptions o;
  const char* key = std::getenv("ESIMGO_API_KEY");
  if (key == nullptr || *key == '\0') {
    return Fail(ErrorCode::kInvalidArgument,
                "ESIMGO_API_KEY is not set: export your eSIM Go API key (Portal → Account "
                "Settings → API Details), or use the sandbox",
                "ClientOptions.FromEnv");
  }
  o.api_key = key;
  std::optional<ApiVersion> version;
  if (const char* v = std::getenv("ESIMGO_API_VERSION"); v != nullptr && *v != '\0') {
    version = ParseApiVersion(v);
    if (!version) {
      return Fail(ErrorCode::kInvalidArgument,
                  "ESIMGO_API_VERSION is '" + std::string(v).substr(0, 40) +
                      "': set it to 2.4 or 2.5, or unset it for the default (2.4)",
                  "ClientOptions.FromEnv");
    }
  }
  if (const char* url = std::getenv("ESIMGO_BASE_URL"); url != nullptr && *url != '\0') {
    o.base_url = url;
    // A base URL names its own version; a contradicting ESIMGO_API_VERSION is a mistake that
    // would otherwise be silently ignored.
    const auto of_url = ApiVersionOfBaseUrl(o.base_url);
    if (version && of_url && *version != *of_url) {
      return Fail(ErrorCode::kInvalidArgument,
                  "ESIMGO_API_VERSION is " + std::string(ApiVersionName(*version)) +
                      " but ESIMGO_BASE_URL ends in /v" + std::string(ApiVersionName(*of_url)) +
                      ": the base URL decides the version, so change or unset one of them",
                  "ClientOptions.FromEnv");
    }
  } else if (version) {
    o.base_url = DefaultBaseUrl(*version);
  }
  return o;
}

namespace internal {

ClientCore::ClientCore(ClientOptions options)
    : options_(std::move(options)),
      limiter_(options_.requests_per_second,
               (options_.clock ? options_.clock : (options_.clock = SystemClock())).get()),
      jitter_(options_.jitter_seed != 0
                  ? options_.jitter_seed
                  : static_cast<uint64_t>(
                        std::chrono::steady_clock::now().time_since_epoch().count())) {
  if (!options_.transport) options_.transport = MakeCurlTransport();
  while (!options_.base_url.empty() && options_.base_url.back() == '/') {
    options_.base_url.pop_back();
  }
  api_version_ = ApiVersionOfBaseUrl(options_.base_url);
}

std::optional<Error> ClientCore::RefuseForVersion(const OperationInfo& info) const {
  // An unknown version (a proxy, a future release) never refuses: the server decides.
  if (!api_version_ || *api_version_ >= info.since) return std::nullopt;
  Error e;
  e.code = ErrorCode::kInvalidArgument;
  e.operation = std::string(info.name);
  e.message =
      std::string(info.name) + " needs eSIM Go API v" + std::string(ApiVersionName(info.since)) +
      ", but this client speaks v" + std::string(ApiVersionName(*api_version_)) + " (base URL " +
      Redacted(options_.base_url) + "). Switch with a base URL ending in /v" +
      std::string(ApiVersionName(info.since)) +
      ", or ESIMGO_API_VERSION=" + std::string(ApiVersionName(info.since)) +
      " (CLI: --api-version " + std::string(ApiVersionName(info.since)) + "). Nothing was sent.";
  return e;
}

std::chrono::nanoseconds ClientCore::Backoff(int attempt) {
  const auto& r = options_.retry;
  double base = static_cast<double>(r.initial_backoff.count()) *
                std::pow(r.multiplier, std::max(0, attempt - 1));
  base = std::min(base, static_cast<double>(r.max_backoff.count()));
  double factor;
  {
    std::lock_guard<std::mutex> lock(jitter_mu_);
    // "Equal jitter": half fixed, half random, so retries of many clients spread out
    // while each still waits at least half the nominal backoff.
    factor = 0.5 + 0.5 * std::uniform_real_distribution<double>(0.0, 1.0)(jitter_);
  }
  return std::chrono::nanoseconds(static_cast<int64_t>(base * factor * 1e6));
}

Error ClientCore::ErrorFromResponse(const OperationInfo& info, const HttpResponse& response) const {
  Error e;
  e.code = ErrorCodeForStatus(response.status);
  e.http_status = response.status;
  e.operation = std::string(info.name);
  // Map by status first; read {"message": …} only opportunistically (POST /orders answers
  // text/plain, possibly empty).
  std::string message;
  auto parsed = json::ParseRoot(response.body, "error body", [&](json::Value root) {
    return json::ForEachField(root, [&](std::string_view key, json::Value v) {
      if (key == "message" || key == "status") return json::Read(v, message);
      return json::kOk;
    });
  });
  if (!parsed || message.empty()) {
    // Redact before truncating, so that a key cut by the 500-byte limit cannot leak a prefix.
    message = Redacted(response.body).substr(0, 500);
    while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) {
      message.pop_back();
    }
  }
  e.reason = ErrorReasonFor(response.status, message);
  // The API overloads 403 (bad key, no bundles left, ICCID not yours; there is no 404). When
  // the server says which, its words stand alone; only a silent 401/403 gets the list of
  // possible causes, so callers can tell "unknown bundle" from "bad key" by the message.
  if (message.empty() && e.reason == ErrorReason::kDeactivated) {
    message =
        "the eSIM is deactivated (deleted): it cannot be installed, topped up or used again; "
        "order a new eSIM";
  } else if (message.empty()) {
    switch (e.code) {
      case ErrorCode::kForbidden:
        message =
            "forbidden without a message: check the API key; or no bundles are left in "
            "inventory; or the ICCID is not on this account";
        break;
      case ErrorCode::kUnauthorized:
        message = "unauthorized without a message: check the API key";
        break;
      default:
        message = "no error message in the response";
    }
  }
  e.message = std::move(message);
  if (auto ra = HeaderInt(response.headers, "Retry-After")) {
    e.retry_after = std::chrono::seconds(std::max<int64_t>(0, *ra));
  }
  e.rate_limit.limit = HeaderInt(response.headers, "X-Ratelimit-Limit");
  e.rate_limit.remaining = HeaderInt(response.headers, "X-Ratelimit-Remaining");
  e.rate_limit.cost = HeaderInt(response.headers, "X-Ratelimit-Cost");
  e.rate_limit.reset = std::string(FindHeader(response.headers, "X-Ratelimit-Reset"));
  return e;
}

std::string ClientCore::Redacted(std::string text) const {
  // Belt and braces: no code path puts the key into a message, but a server could echo it.
  const std::string& key = options_.api_key;
  constexpr std::string_view kMask = "[REDACTED]";
  if (key.size() < 4) return text;
  size_t pos = 0;
  while ((pos = text.find(key, pos)) != std::string::npos) {
    text.replace(pos, key.size(), kMask);
    pos += kMask.size();
  }
  // A body snippet cut in the middle of the key ends with a prefix of it.
  for (size_t n = std::min(key.size() - 1, text.size()); n >= 4; --n) {
    if (std::string_view(text).substr(text.size() - n) == std::string_view(key).substr(0, n)) {
      text.replace(text.size() - n, n, kMask);
      break;
    }
  }
  return text;
}

void ClientCore::ReportDrift(Op op, const HttpResponse& response) const {
  std::string_view operation = drift::internal::OperationOf(op);
  if (operation.empty() || !options_.on_drift) return;
  // An unknown version (a proxy's URL) is checked against v2.5: additive over v2.4, it knows
  // every field either version sends, so only real drift is reported.
  auto found = drift::Check(operation, api_version_.value_or(ApiVersion::kV2_5), response.body);
  // A body that is not JSON is the decoder's to report (kDecode), not drift.
  if (found && !found->empty()) options_.on_drift(operation, *found);
}

void ClientCore::Redact(Error& error) const {
  error.message = Redacted(std::move(error.message));
  error.operation = Redacted(std::move(error.operation));
  error.rate_limit.reset = Redacted(std::move(error.rate_limit.reset));
}

void ClientCore::Trace(const OperationInfo& info, const HttpRequest& req, int attempt, int status,
                       std::chrono::steady_clock::duration elapsed, std::string note) const {
  if (!options_.trace) return;
  TraceEvent ev;
  ev.operation = std::string(info.name);
  ev.method = req.method;
  ev.url = Redacted(req.url);  // the key travels only in a header, never in the URL
  ev.attempt = attempt;
  ev.status = status;
  ev.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed);
  ev.note = std::move(note);
  options_.trace(ev);
}

bool ClientCore::ClaimOrderReference(const std::string& reference) {
  if (reference.empty()) return true;
  std::lock_guard<std::mutex> lock(claimed_mu_);
  if (!claimed_orders_.insert(reference).second) return false;
  claimed_order_fifo_.push_back(reference);
  if (claimed_order_fifo_.size() > kMaxClaimedOrders) {
    claimed_orders_.erase(claimed_order_fifo_.front());
    claimed_order_fifo_.pop_front();
  }
  return true;
}

bool ClientCore::IsOrderReferenceClaimed(const std::string& reference) {
  std::lock_guard<std::mutex> lock(claimed_mu_);
  return claimed_orders_.count(reference) != 0;
}

Result<HttpResponse> ClientCore::Execute(const Call& call, const CallOptions& call_options) {
  const OperationInfo& info = InfoOf(call.op);
  HttpRequest req;
  req.method = std::string(info.method);
  req.url = options_.base_url + call.target;
  // Before anything is sent: an operation the server's version does not have. Traced (attempt
  // 0), so that a --trace shows why no request went out.
  if (auto refused = RefuseForVersion(info)) {
    Trace(info, req, 0, 0, std::chrono::steady_clock::duration::zero(),
          "not sent: needs API v" + std::string(ApiVersionName(info.since)));
    return tl::unexpected(std::move(*refused));
  }
  // A CR or LF in the key would end the X-API-Key header early and let the rest of the "key"
  // inject headers of its own: refuse any control character before sending (never quoting it).
  for (const char c : options_.api_key) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Fail(ErrorCode::kInvalidArgument,
                  "the API key contains a control character (a line break or tab copied with "
                  "it?): set it again without one",
                  std::string(info.name));
    }
  }
  req.timeout = call_options.timeout.value_or(options_.timeout);
  req.headers.emplace_back("X-API-Key", options_.api_key);
  req.headers.emplace_back("Accept", std::string(call.accept));
  if (!call.body.empty()) {
    req.headers.emplace_back("Content-Type", "application/json");
    req.body = call.body;
  }
  const bool retry_safe = info.idempotency == Idempotency::kRetrySafe;
  const int max_attempts =
      std::max(1, call_options.max_attempts.value_or(options_.retry.max_attempts));

  for (int attempt = 1;; ++attempt) {
    limiter_.Acquire();
    const auto start = options_.clock->Now();
    auto sent = options_.transport->Send(req);
    const auto elapsed = options_.clock->Now() - start;

    Error error;
    if (sent) {
      if (sent->status >= 200 && sent->status < 300) {
        Trace(info, req, attempt, sent->status, elapsed, "");
        return sent;
      }
      error = ErrorFromResponse(info, *sent);
      // An HTTP answer proves the server received the request.
      error.maybe_sent = true;
    } else {
      error = std::move(sent.error());
      error.operation = std::string(info.name);
      error.http_status = 0;
    }
    error.attempts = attempt;
    Redact(error);

    // The decision: retry-safe operations retry retryable failures; the others only a
    // failure that provably never reached the server.
    bool may_retry = Retryable(error.code, error.http_status) &&
                     (retry_safe || (!error.maybe_sent && error.http_status == 0));
    std::string note;
    if (!may_retry) {
      if (!retry_safe && Retryable(error.code, error.http_status)) {
        note = "not retried: this operation is never repeated once it may have been sent";
      }
    } else if (attempt >= max_attempts) {
      may_retry = false;
      note = "not retried: attempts exhausted";
    }
    // The server asked every caller to wait: hold back the other threads of this client too,
    // whether or not this call is retried.
    if (error.code == ErrorCode::kRateLimited && error.retry_after &&
        *error.retry_after <= options_.retry.max_retry_after) {
      limiter_.PauseUntil(options_.clock->Now() + *error.retry_after);
    }
    std::chrono::nanoseconds delay{0};
    if (may_retry) {
      delay = Backoff(attempt);
      if (error.retry_after) {
        if (*error.retry_after > options_.retry.max_retry_after) {
          may_retry = false;
          note = "not retried: Retry-After exceeds the policy's max_retry_after";
        } else {
          delay = std::max<std::chrono::nanoseconds>(delay, *error.retry_after);
        }
      }
    }
    if (may_retry) {
      note = "retrying in " +
             std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(delay).count()) +
             " ms";
    }
    Trace(info, req, attempt, error.http_status, elapsed, note);
    if (!may_retry) return tl::unexpected(std::move(error));
    options_.clock->Sleep(delay);
  }
}

}  // namespace internal

Client::Client(ClientOptions options)
    : core_(std::make_shared<internal::ClientCore>(std::move(options))) {}
Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
const ClientOptions& Client::options() const { return core_->options(); }
std::optional<ApiVersion> Client::api_version() const { return core_->api_version(); }

}  // namespace esimgo
