// esimgo callbacks listen — a verifying receiver of eSIM Go callbacks in front of the event
// store (SQLite file or a PostgreSQL shared by any number of receivers): 2xx only after COMMIT,
// each callback stored once per dedupe window, hooks from a durable queue, health and metrics,
// graceful drain on SIGTERM.

#include <fmt/core.h>
#include <httplib.h>
#include <unistd.h>

#include <condition_variable>
#include <thread>

#include "callbacks_hooks.h"
#include "callbacks_internal.h"
#include "callbacks_metrics.h"
#include "callbacks_receiver.h"
#include "esimgo/net/guarded_server.h"
#include "esimgo/net/http_guard.h"
#include "signals.h"

namespace esimgo::cli {
namespace {

constexpr std::size_t kMaxBody = 64 * 1024;
// A store that has not committed or answered a ping for this long makes the receiver unready.
constexpr double kStaleSeconds = 5;

// Copies the writer's counters into the metrics and decides readiness, once a second, so that
// neither a scrape nor a readiness probe ever waits for the database.
class Refresher {
 public:
  Refresher(callbacks::Store& store, callbacks::Writer& writer, Receiver& receiver,
            ReceiverMetrics& metrics, std::size_t high_water, bool hooks)
      : store_(store),
        writer_(writer),
        receiver_(receiver),
        metrics_(metrics),
        high_water_(high_water),
        hooks_(hooks) {
    Tick();
    thread_ = std::thread([this] { Loop(); });
  }
  ~Refresher() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  void Loop() {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stop_; })) {
      lock.unlock();
      Tick();
      lock.lock();
    }
  }
  void Tick() {
    callbacks::WriterStats ws = writer_.Stats();
    bool up = ws.db_up && ws.seconds_since_success < kStaleSeconds;
    // An idle writer proves nothing: ask the database itself.
    if (!up || ws.seconds_since_success > 1) up = store_.Ping().has_value();
    ReceiverMetrics::StoreView v;
    v.errors_connection = ws.store_errors_connect;
    v.errors_statement = ws.store_errors_statement;
    v.errors_overload = ws.rejected_full;
    v.queue_depth = static_cast<int64_t>(ws.queue_depth);
    v.db_up = up;
    if (hooks_ && (++ticks_ % 5 == 1 || !up)) {
      auto counts = up ? store_.CountHooks() : Result<callbacks::HookCounts>();
      hook_pending_ = counts && up ? counts->pending : hook_pending_;
    }
    v.hook_pending = hooks_ ? hook_pending_ : -1;
    metrics_.SetStore(v);
    metrics_.SetWriterHistograms(ws.batch_size, ws.commit_seconds);
    receiver_.SetStoreHealth(up, ws.queue_depth, high_water_);
  }

  callbacks::Store& store_;
  callbacks::Writer& writer_;
  Receiver& receiver_;
  ReceiverMetrics& metrics_;
  const std::size_t high_water_;
  const bool hooks_;
  uint64_t ticks_ = 0;
  int64_t hook_pending_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

std::string Hostname() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return host;
}

}  // namespace

int RunListen(Context& ctx, const ListenArgs& a) {
  if (a.path.empty() || a.path[0] != '/') {
    return ctx.Fail(kExitInvalidArgument, "--path must start with /, e.g. /callback");
  }
  if (a.path == "/healthz" || a.path == "/readyz" || a.path == "/metrics") {
    return ctx.Fail(kExitInvalidArgument,
                    fmt::format("--path {} is taken by the receiver's own endpoint", a.path));
  }
  if (a.port < 0 || a.port > 65535) {
    return ctx.Fail(kExitInvalidArgument, "--port must be between 0 and 65535 (0 = any free port)");
  }
  auto window = PositiveDuration(a.dedupe_window, "--dedupe-window");
  if (!window) return ctx.Fail(window.error());
  if (*window >= std::chrono::hours(24)) {
    return ctx.Fail(kExitInvalidArgument,
                    "--dedupe-window must stay below 24h: eSIM Go repeats CountryChange every 24 h "
                    "on purpose and that repeat is a new event (default 6h)");
  }
  auto grace = ParseDuration(a.drain_grace);
  if (!grace || grace->count() < 0) {
    return ctx.Fail(kExitInvalidArgument, "--drain-grace: use a duration such as 0s, 5s or 30s");
  }
  auto keys = ResolveKeys(ctx, a.previous_api_key);
  if (!keys) return ctx.Fail(keys.error());
  auto target = StoreTarget(a.store);
  if (!target) return ctx.Fail(target.error());

  // The receiver may face the internet: the same timeouts, body counting (chunked too), worker
  // pool and per-client caps as the sandbox (net/, docs/cli.md "callbacks listen").
  auto limits = std::make_shared<net::ServerLimits>();
  limits->max_body_bytes = kMaxBody;
  limits->body_too_large_message = fmt::format("body larger than {} bytes", kMaxBody);
  limits->max_workers = 512;
  limits->min_workers = 8;
  limits->max_requests_per_client = a.max_requests_per_client;
  limits->max_connections_per_client = a.max_requests_per_client * 2;
  net::GuardedServer svr(limits);
  svr.set_tcp_nodelay(true);
  auto guard = net::Harden(svr, limits);

  BlockStopSignals();
  int port = a.port;
  if (port == 0) {
    port = svr.bind_to_any_port(a.host);
  } else if (!svr.bind_to_port(a.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return ctx.Fail(kExitNetwork, fmt::format("cannot listen on {}:{}: is the port in use? try "
                                              "--port 0 for any free port",
                                              a.host, a.port));
  }
  net::AfterBind(*guard);

  callbacks::StoreOptions options{
      .dedupe_window = std::chrono::duration_cast<std::chrono::seconds>(*window),
      .source = a.source,
      .receiver = fmt::format("{}:{}", Hostname(), port),
      .hooks_enabled = !a.exec.empty()};
  if (options.dedupe_window.count() == 0) options.dedupe_window = std::chrono::seconds(1);
  auto store = OpenCallbackStore(*target, options);
  if (!store) return ctx.Fail(store.error());
  auto writer = (*store)->NewWriter();
  if (!writer) {
    return ctx.Fail(kExitUnavailable,
                    fmt::format("cannot start the store writer on {}: {}", PrintableTarget(*target),
                                writer.error().message));
  }
  ReceiverMetrics metrics;
  Receiver receiver(ctx, *keys, a.require_signature, a.quiet, **writer, metrics, a.source,
                    options.receiver);

  std::mutex log_mu;
  auto log = [&](const std::string& line) {
    std::lock_guard lock(log_mu);
    ctx.Info(line);
  };
  std::unique_ptr<HookRunner> hooks;
  if (!a.exec.empty()) {
    // The runner gets its own connection: a slow claim never delays the writer or a probe.
    auto hook_store = OpenCallbackStore(*target, options);
    if (!hook_store) return ctx.Fail(hook_store.error());
    auto lease = PositiveDuration(a.hook_lease, "--hook-lease");
    if (!lease) return ctx.Fail(lease.error());
    HookRunner::Options ho{.command = a.exec,
                           .worker = fmt::format("{}:{}", options.receiver, getpid()),
                           .lease = *lease};
    ho.policy.max_attempts = a.hook_max_attempts;
    ho.workers = a.hook_workers;
    hooks = std::make_unique<HookRunner>(std::move(*hook_store), ho, &metrics, log);
    receiver.SetHooks(hooks.get());
    hooks->Start();
  }

  svr.set_error_handler([&metrics](const httplib::Request&, httplib::Response& res) {
    if (res.status == 413) metrics.CountReceived(Received::kTooLarge);
    if (!res.body.empty() || net::IsClosingAnswer(res)) return;
    if (res.status == 413) {
      res.set_content(net::JsonMessage(fmt::format("body larger than {} bytes", kMaxBody)),
                      "application/json");
    } else if (res.status == 404) {
      res.set_content(net::JsonMessage("no such path"), "application/json");
    }
  });
  svr.Post(a.path,
           net::LimitedBody([&](const httplib::Request& req,
                                httplib::Response& res) { receiver.HandleCallback(req, res); },
                            limits));
  svr.Get("/healthz", [&](const auto& req, auto& res) { receiver.HandleHealth(req, res); });
  svr.Get("/readyz", [&](const auto& req, auto& res) { receiver.HandleReady(req, res); });
  svr.Get("/metrics", [&](const auto& req, auto& res) { receiver.HandleMetrics(req, res); });

  auto refresher = std::make_unique<Refresher>(**store, **writer, receiver, metrics,
                                               options.queue_high_water, hooks != nullptr);
  std::thread server([&] { svr.listen_after_bind(); });
  std::string host = a.host.find(':') != std::string::npos ? "[" + a.host + "]" : a.host;
  ctx.Info(
      fmt::format("listening on http://{}:{}{} (store {}, dedupe window {}{}{}{}); "
                  "Ctrl-C stops",
                  host, port, a.path, PrintableTarget(*target), a.dedupe_window,
                  a.require_signature ? ", signatures required" : "",
                  keys->previous.empty() ? "" : ", previous key accepted",
                  a.exec.empty() ? "" : ", hooks queued"));

  int sig = WaitForStopSignal();
  // Drain: unready at once (the load balancer stops sending), keep storing what still arrives
  // for the grace period, then refuse with 503 (the sender retries elsewhere), let requests in
  // progress get their commit, store what is queued, and stop.
  receiver.SetPhase(Phase::kDraining);
  ctx.Info(fmt::format("draining ({}): /readyz answers 503{}", sig == SIGINT ? "SIGINT" : "SIGTERM",
                       grace->count() > 0 ? fmt::format(" for {}", a.drain_grace) : ""));
  if (grace->count() > 0) std::this_thread::sleep_for(*grace);
  receiver.SetPhase(Phase::kStopping);
  svr.stop();
  server.join();
  (*writer)->Close();
  refresher.reset();
  if (hooks) hooks->Stop();
  auto stats = (*writer)->Stats();
  ctx.Info(fmt::format("stopped: {} stored, {} duplicates, {} not stored (503)", stats.stored,
                       stats.duplicates, stats.failed + stats.rejected_full));
  return kExitOk;
}

}  // namespace esimgo::cli
