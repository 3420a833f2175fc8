// The Sandbox: cpp-httplib server, middleware (rate limit → auth → faults), admin endpoints.

#include <openssl/crypto.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <thread>

#include "alerts.h"
#include "esimgo/net/guarded_server.h"
#include "esimgo/net/gzip_cache.h"
#include "esimgo/net/http_guard.h"
#include "esimgo/sandbox/sandbox.h"
#include "faults.h"
#include "in_process.h"
#include "model/common_codec.h"
#include "router.h"
#include "static_data.h"

namespace esimgo::sandbox {

void AddAdminRoutes(RouteTable& t, Faults& faults, AlertOutbox& outbox);

namespace {

constexpr size_t kMaxBodyBytes = 1 << 20;
constexpr size_t kCompressFromBytes = 16 << 10;

class RateLimiter {
 public:
  explicit RateLimiter(double per_second) : limit_(static_cast<int64_t>(per_second)) {
    if (per_second > 0 && limit_ < 1) limit_ = 1;
  }
  bool enabled() const { return limit_ > 0; }
  int64_t limit() const { return limit_; }
  // Fixed one-second window per client IP. Returns remaining (≥ 0) or -1 when over.
  int64_t Take(const std::string& ip, int64_t now_ms, int64_t& reset_ms) {
    std::lock_guard lock(mu_);
    int64_t window = now_ms / 1000;
    auto& slot = windows_[ip];
    if (slot.first != window) slot = {window, 0};
    reset_ms = (window + 1) * 1000;
    if (slot.second >= limit_) return -1;
    ++slot.second;
    if (windows_.size() > 10'000) windows_.clear();  // bound memory under address churn
    return limit_ - slot.second;
  }

 private:
  std::mutex mu_;
  int64_t limit_;
  std::map<std::string, std::pair<int64_t, int64_t>> windows_;
};

std::string IsoNow(int64_t ms) { return Engine::Iso(ms); }

std::shared_ptr<const net::ServerLimits> MakeLimits(const SandboxOptions& opts) {
  auto limits = std::make_shared<net::ServerLimits>();
  limits->max_body_bytes = kMaxBodyBytes;
  limits->body_too_large_message = "request body too large (the limit is 1 MiB)";
  limits->max_workers = opts.threads > 0 ? static_cast<size_t>(opts.threads) : 512;
  limits->min_workers = std::min<size_t>(8, limits->max_workers);
  // Generous: the sandbox mostly serves one machine's tests and load runs (wrk -c64 and
  // parallel CI jobs all come from 127.0.0.1); the caps are against one client taking every
  // worker. The receiver, which may face the internet, allows 16 requests and 32 connections.
  limits->max_requests_per_client = 128;
  limits->max_connections_per_client = 256;
  return limits;
}

class SandboxImpl final : public Sandbox {
 public:
  explicit SandboxImpl(std::unique_ptr<Engine> engine)
      : engine_(std::move(engine)),
        limiter_(engine_->options().rate_limit),
        limits_(MakeLimits(engine_->options())),
        server_(limits_),
        gate_(std::make_shared<InProcessGate>(
            [this](const HttpRequest& request) { return Dispatch(request); })) {}
  ~SandboxImpl() override { Stop(); }

  Result<void> Init(std::vector<FaultRule> rules) {
    faults_.Set(std::move(rules));
    const auto& opts = engine_->options();
    outbox_ = std::make_unique<AlertOutbox>(opts.callback_version, opts.api_key);
    engine_->set_alert_sink([this](const std::string& url, std::string body) {
      outbox_->Send(url, std::move(body));  // after the commit, in commit order
    });
    // A listening sandbox parses the rate sheet before its first request; one without a socket
    // (the CLI's embedded sandbox: one process, one command) parses only what a command reads.
    if (opts.listen) (void)Data();

    // Timeouts, body limits, the worker pool and the compression policy are shared with the
    // callback receiver (net/, docs/adr/0005 and 0006); the limits are set in MakeLimits.
    if (opts.listen) {
      guard_ = net::Harden(server_, limits_);
      server_.set_error_handler(
          [](const httplib::Request& req, httplib::Response& res) { ErrorBody(req, res); });
    }

    RouteTable api;
    AddCatalogueRoutes(api);
    AddNetworkRoutes(api);
    AddOrganisationRoutes(api);
    AddOrderRoutes(api);
    AddInventoryRoutes(api);
    AddEsimRoutes(api);
    // Both API versions share one Engine (issue 9): each route answers under /v2.5, and under
    // /v2.4 unless it is new in v2.5.
    for (auto& r : api) {
      if (r.since == ApiVersion::kV2_4) Register(r, true, ApiVersion::kV2_4);
      Register(std::move(r), true, ApiVersion::kV2_5);
    }
    RouteTable admin;
    AddAdminRoutes(admin, faults_, *outbox_);
    for (auto& r : admin) Register(std::move(r), false);

    if (!opts.listen) return {};  // served through InProcessTransport() only
    if (opts.port == 0) {
      port_ = server_.bind_to_any_port(opts.host.c_str());
    } else {
      port_ = server_.bind_to_port(opts.host.c_str(), opts.port) ? opts.port : -1;
    }
    if (port_ <= 0) {
      return Fail(ErrorCode::kTransport, "cannot bind " + opts.host + ":" +
                                             std::to_string(opts.port) +
                                             " (is the port in use? use --port 0 for any)");
    }
    net::AfterBind(*guard_);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 5000 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return {};
  }

  std::string base_url() const override {
    if (!engine_->options().listen) return std::string("http://") + kInProcessHost + "/v2.4";
    std::string host = engine_->options().host;
    if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
    return "http://" + host + ":" + std::to_string(port_) + "/v2.4";
  }
  int port() const override { return engine_->options().listen ? port_ : 0; }

  std::shared_ptr<Transport> InProcessTransport() override { return MakeInProcessTransport(gate_); }

  void Stop() override {
    std::lock_guard lock(stop_mu_);
    if (stopped_) return;
    stopped_ = true;
    gate_->Close();  // waits for in-process requests in flight; later ones fail unsent
    server_.stop();
    if (thread_.joinable()) thread_.join();
    if (outbox_) outbox_->Stop();
  }

 private:
  void Register(Route route, bool api, ApiVersion version = ApiVersion::kV2_4) {
    std::string prefix = version == ApiVersion::kV2_5 ? "/v2\\.5" : "/v2\\.4";
    std::string pattern = (api ? prefix : "") + route.pattern;
    auto shared = std::make_shared<Route>(std::move(route));
    auto handler = [this, shared, api, version](const httplib::Request& req,
                                                httplib::Response& res) {
      Serve(*shared, api, version, req, res);
    };
    // The in-process path has its own table (same order, same handler), so a sandbox without a
    // socket never compiles the ~150 route patterns into cpp-httplib's.
    in_process_.Add(shared->method, pattern, handler);
    if (!engine_->options().listen) return;
    // Routes that take a body read it through LimitedBody, which counts chunked bodies against
    // the limit as they arrive (cpp-httplib's own payload limit skips chunked ones).
    if (shared->method == "GET") {
      server_.Get(pattern, handler);
    } else if (shared->method == "POST") {
      server_.Post(pattern, net::LimitedBody(handler, limits_));
    } else if (shared->method == "PUT") {
      server_.Put(pattern, net::LimitedBody(handler, limits_));
    } else if (shared->method == "DELETE") {
      server_.Delete(pattern, net::LimitedBody(handler, limits_));
    }
  }

  // The body of an answer no route wrote (no such operation, a rejected request), over HTTP
  // (cpp-httplib's error handler) and in process alike.
  static void ErrorBody(const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty() || net::IsClosingAnswer(res)) return;
    std::string msg;
    if (res.status == 404) {
      msg = "no such operation: " + req.method + " " + req.path +
            " (the sandbox serves the eSIM Go API v2.4 under /v2.4/, v2.5 under /v2.5/ and "
            "admin under /_sandbox/)";
    } else if (res.status == 413) {
      msg = "request body too large (the limit is 1 MiB)";
    } else {
      msg = "request rejected with HTTP " + std::to_string(res.status);
    }
    internal::JsonWriter w;
    EncodeErrorMessage(w, msg);
    res.set_content(w.Take(), "application/json");
  }

  // One request through the in-process path: the same routes, middleware (Serve) and answers
  // as over HTTP; what only a socket has (connection caps, read timeouts) does not apply.
  Result<HttpResponse> Dispatch(const HttpRequest& request) {
    httplib::Request req;
    if (auto built = ToServerRequest(request, req); !built) return tl::unexpected(built.error());
    httplib::Response res;
    const auto started = std::chrono::steady_clock::now();
    bool has_body_route = req.method == "POST" || req.method == "PUT" || req.method == "DELETE";
    if (has_body_route && req.body.size() > limits_->max_body_bytes) {
      // What net::LimitedBody answers over HTTP.
      res.status = 413;
      res.set_content(net::JsonMessage(limits_->body_too_large_message), "application/json");
      return FromServerResponse(res);
    }
    if (has_body_route &&
        req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0 &&
        req.body.size() <= 8192) {
      httplib::detail::parse_query_text(req.body, req.params);  // as net::LimitedBody does
    }
    if (!in_process_.Route(req, res)) {
      res.status = 404;
      ErrorBody(req, res);
    }
    if (res.content_provider_) {
      // A "drop" fault: over HTTP the connection closes after the status line.
      Error e;
      e.code = ErrorCode::kTransport;
      e.maybe_sent = true;
      e.message = "the sandbox dropped the connection (after the request was sent)";
      return tl::unexpected(std::move(e));
    }
    if (std::chrono::steady_clock::now() - started > request.timeout) {
      // A latency fault longer than the caller's deadline: over HTTP the client gives up.
      Error e;
      e.code = ErrorCode::kTimeout;
      e.maybe_sent = true;
      e.message = "no answer within " + std::to_string(request.timeout.count()) +
                  " ms (after the request was sent)";
      return tl::unexpected(std::move(e));
    }
    return FromServerResponse(res);
  }

  Reply ErrorFor(const Route& route, int status, std::string_view message) {
    return route.text_errors ? TextErrorReply(status, message) : ErrorReply(status, message);
  }

  void Serve(const Route& route, bool api, ApiVersion version, const httplib::Request& req,
             httplib::Response& res) {
    Reply reply;
    bool drop = false;
    bool run = true;
    int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    if (api && limiter_.enabled()) {
      int64_t reset_ms = 0;
      int64_t remaining = limiter_.Take(req.remote_addr, now_ms, reset_ms);
      res.set_header("X-Ratelimit-Limit", std::to_string(limiter_.limit()));
      res.set_header("X-Ratelimit-Remaining", std::to_string(std::max<int64_t>(remaining, 0)));
      res.set_header("X-Ratelimit-Reset", IsoNow(reset_ms));
      res.set_header("X-Ratelimit-Cost", "1");
      if (remaining < 0) {
        reply = ErrorReply(429, "Rate limit exceeded");
        reply.headers.emplace_back("Retry-After", "1");
        run = false;
      }
    }
    if (run && !Authorised(req)) {
      reply = route.text_errors
                  ? TextErrorReply(401,
                                   "Unauthorized: missing or invalid X-API-Key header; send "
                                   "your organisation's API key")
                  : ErrorReply(403,
                               "Unauthorised: missing or invalid X-API-Key header; send your "
                               "organisation's API key");
      run = false;
    }
    bool commit_then_drop = false;
    if (run && api) {
      std::string path = req.path.substr(std::min<size_t>(5, req.path.size()));  // after /v2.x
      if (auto fault = faults_.Take(req.method, path, route.name)) {
        switch (fault->kind) {
          case FaultKind::k429:
            reply = ErrorFor(route, 429, "Rate limit exceeded");
            reply.headers.emplace_back("Retry-After", std::to_string(fault->value));
            run = false;
            break;
          case FaultKind::k503:
            reply = ErrorFor(route, 503,
                             "Processing - Please come back later or use the Retry-After "
                             "(seconds) header");
            reply.headers.emplace_back("Retry-After", std::to_string(fault->value));
            run = false;
            break;
          case FaultKind::k500:
            reply = ErrorFor(route, 500, "Server Error (injected by the sandbox fault spec)");
            run = false;
            break;
          case FaultKind::kLatency:
            std::this_thread::sleep_for(std::chrono::milliseconds(fault->value));
            break;
          case FaultKind::kDrop:
            drop = true;
            run = false;
            break;
          case FaultKind::kCommitThenDrop:
            commit_then_drop = true;
            break;
        }
      }
    }
    if (run) {
      Ctx ctx{req, *engine_, version};
      try {
        reply = RunRoute(route, ctx);
      } catch (const std::exception& e) {
        reply = ErrorFor(route, 500, std::string("internal sandbox error: ") + e.what());
      }
      if (commit_then_drop) drop = true;
    }
    if (drop) {
      // Close the connection without a usable response: the status line is never followed by
      // its promised body, so the client sees a broken transfer, as after a network failure.
      res.status = 200;
      res.set_content_provider(64, "application/json",
                               [](size_t, size_t, httplib::DataSink&) { return false; });
      return;
    }
    res.status = reply.status;
    for (auto& [k, v] : reply.headers) res.set_header(k, v);
    // gzip only what is worth it, and each distinct page once (docs/adr/0005): a 1000-bundle
    // catalogue page is 569 kB of JSON, 23 kB gzipped; small answers go as they are.
    if (reply.body.size() >= kCompressFromBytes && net::AcceptsGzip(req)) {
      if (auto gz = gzip_.Compress(reply.body)) {
        res.set_header("Content-Encoding", "gzip");
        res.set_header("Vary", "Accept-Encoding");
        res.set_content(gz->data(), gz->size(), reply.content_type);
        return;
      }
    }
    res.set_content(std::move(reply.body), reply.content_type);
  }

  bool Authorised(const httplib::Request& req) const {
    const std::string& want = engine_->options().api_key;
    // Header names are case-insensitive in cpp-httplib (X-API-Key, X-API-KEY, x-api-key).
    std::string got = req.get_header_value("X-API-Key");
    return got.size() == want.size() && CRYPTO_memcmp(got.data(), want.data(), want.size()) == 0;
  }

  std::unique_ptr<Engine> engine_;
  RateLimiter limiter_;
  Faults faults_;
  std::unique_ptr<AlertOutbox> outbox_;
  std::shared_ptr<const net::ServerLimits> limits_;
  net::GzipCache gzip_{32u << 20};
  std::shared_ptr<net::GuardState> guard_;
  net::GuardedServer server_;
  std::thread thread_;
  InProcessRouter in_process_;
  std::shared_ptr<InProcessGate> gate_;
  int port_ = -1;
  std::mutex stop_mu_;
  bool stopped_ = false;
};

}  // namespace

Result<std::unique_ptr<Sandbox>> Sandbox::Start(SandboxOptions options) {
  if (options.api_key.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "the sandbox needs a non-empty API key");
  }
  if (options.callback_version != 2 && options.callback_version != 3) {
    return Fail(ErrorCode::kInvalidArgument, "callback_version must be 2 or 3");
  }
  if (options.port < 0 || options.port > 65535) {
    return Fail(ErrorCode::kInvalidArgument, "port must be 0..65535 (0 picks a free port)");
  }
  if (options.rate_limit < 0) {
    return Fail(ErrorCode::kInvalidArgument, "rate_limit must be >= 0 (0 turns it off)");
  }
  auto rules = ParseFaultSpec(options.faults);
  if (!rules) return tl::unexpected(rules.error());
  auto engine = Engine::Open(options);
  if (!engine) return tl::unexpected(engine.error());
  auto impl = std::make_unique<SandboxImpl>(std::move(*engine));
  if (auto r = impl->Init(std::move(*rules)); !r) return tl::unexpected(r.error());
  return std::unique_ptr<Sandbox>(std::move(impl));
}

}  // namespace esimgo::sandbox
