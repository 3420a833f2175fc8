// The durable --exec hook runner and `callbacks hooks run|list|retry`.

#include "callbacks_hooks.h"

#include <fmt/core.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "callbacks_internal.h"
#include "callbacks_metrics.h"
#include "signals.h"

namespace esimgo::cli {

HookRunner::HookRunner(std::unique_ptr<callbacks::Store> store, Options options,
                       ReceiverMetrics* metrics, std::function<void(const std::string&)> log)
    : store_(std::move(store)),
      options_(std::move(options)),
      metrics_(metrics),
      log_(std::move(log)) {}

HookRunner::~HookRunner() { Stop(); }

void HookRunner::Start() {
  for (int i = 0; i < std::max(1, options_.workers); ++i) {
    threads_.emplace_back([this] { Work(); });
  }
}

void HookRunner::Wake() {
  {
    std::lock_guard lock(mu_);
    ++wakeups_;
  }
  cv_.notify_all();
}

void HookRunner::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

int64_t HookRunner::Pending() {
  auto counts = store_->CountHooks();
  return counts ? counts->pending : -1;
}

void HookRunner::Work() {
  uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (stop_) return;
      seen = wakeups_;
    }
    auto jobs = store_->ClaimHooks(1, options_.lease, options_.worker);
    if (!jobs) {
      // The store is down: the hooks wait in the database; try again at the next poll.
      if (metrics_) metrics_->CountHookRun("error");
    } else {
      for (const auto& job : *jobs) RunOne(job);
      if (!jobs->empty()) continue;  // there may be more due right now
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, options_.poll, [&] { return stop_ || wakeups_ != seen; });
  }
}

void HookRunner::RunOne(const callbacks::HookJob& job) {
  const auto& e = job.event;
  std::vector<std::pair<std::string, std::string>> env = {
      {"ESIMGO_EVENT_ID", std::to_string(job.event_id)},
      {"ESIMGO_HOOK_ATTEMPT", std::to_string(job.attempts)},
      {"ESIMGO_ALERT_TYPE", e.alert_type.value_or("")},
      {"ESIMGO_ICCID", e.iccid.value_or("")},
      {"ESIMGO_VERIFIED", e.verified ? "1" : "0"},
  };
  auto start = std::chrono::steady_clock::now();
  pid_t pid = SpawnCommand(options_.command, env, e.body);
  int status = -1;
  if (pid > 0) {
    // Renew the lease every sixth of it while the hook runs, so a slow hook is not taken over
    // by another runner; a runner that dies stops renewing and the lease runs out.
    auto renew_every = std::max(options_.lease / 6, std::chrono::milliseconds(50));
    auto next_renew = start + renew_every;
    for (;;) {
      pid_t r = waitpid(pid, &status, WNOHANG);
      if (r == pid) break;
      if (r < 0 && errno != EINTR) {
        status = -1;
        break;
      }
      auto now = std::chrono::steady_clock::now();
      if (now >= next_renew) {
        auto held = store_->RenewLease(job.event_id, options_.worker, options_.lease);
        if (held && !*held) {
          log_(
              fmt::format("hook for event {}: the lease was lost to another runner (the hook "
                          "may run twice; hooks must be idempotent on ESIMGO_EVENT_ID)",
                          job.event_id));
        }
        next_renew = now + renew_every;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (metrics_) metrics_->ObserveHook(seconds);
  if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    auto done = store_->CompleteHook(job.event_id, options_.worker);
    if (!done) {
      log_(
          fmt::format("hook for event {} ran, but marking it done failed ({}); it will run "
                      "again",
                      job.event_id, done.error().message));
    }
    if (metrics_) metrics_->CountHookRun("ok");
    return;
  }
  std::string why = pid <= 0              ? "the command could not be started"
                    : WIFEXITED(status)   ? fmt::format("exit status {}", WEXITSTATUS(status))
                    : WIFSIGNALED(status) ? fmt::format("killed by signal {}", WTERMSIG(status))
                                          : "ended abnormally";
  auto failed = store_->FailHook(job.event_id, options_.worker, why, options_.policy);
  if (failed && failed->dead) {
    if (metrics_) metrics_->CountHookRun("dead");
    log_(
        fmt::format("hook for event {} failed ({}) {} times: dead; `esimgo callbacks hooks "
                    "retry {}` runs it again",
                    job.event_id, why, job.attempts, job.event_id));
  } else {
    if (metrics_) metrics_->CountHookRun("failed");
    log_(fmt::format("hook for event {} failed ({}), attempt {}{}", job.event_id, why, job.attempts,
                     failed && failed->retry_in
                         ? fmt::format("; retrying in {} s", failed->retry_in->count() / 1000)
                         : ""));
  }
}

namespace {

std::string WorkerName() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return fmt::format("{}:{}", host, getpid());
}

}  // namespace

int RunHooksWorker(Context& ctx, const HookRunArgs& a) {
  if (a.exec.empty()) return ctx.Fail(kExitInvalidArgument, "--exec CMD is required");
  auto lease = PositiveDuration(a.lease, "--lease");
  if (!lease) return ctx.Fail(lease.error());
  auto target = StoreTarget(a.store);
  if (!target) return ctx.Fail(target.error());
  auto store = OpenCallbackStore(*target, {});
  if (!store) return ctx.Fail(store.error());
  std::mutex log_mu;
  auto log = [&](const std::string& line) {
    std::lock_guard lock(log_mu);
    ctx.Info(line);
  };
  HookRunner::Options o{.command = a.exec, .worker = WorkerName(), .lease = *lease};
  o.policy.max_attempts = a.max_attempts;
  o.workers = a.workers;
  BlockStopSignals();
  HookRunner runner(std::move(*store), o, nullptr, log);
  runner.Start();
  ctx.Info(
      fmt::format("running hooks from {} as {}; Ctrl-C stops", PrintableTarget(*target), o.worker));
  int sig = WaitForStopSignal();
  ctx.Info("stopping: waiting for running hooks to finish");
  runner.Stop();
  ctx.Info(fmt::format("stopped ({})", sig == SIGINT ? "SIGINT" : "SIGTERM"));
  return kExitOk;
}

int RunHooksList(Context& ctx, const std::string& store_flag, const std::string& state, int limit) {
  std::optional<callbacks::HookState> want;
  if (!state.empty() && state != "all") {
    for (auto s : {callbacks::HookState::kPending, callbacks::HookState::kRunning,
                   callbacks::HookState::kDone, callbacks::HookState::kDead}) {
      if (state == callbacks::HookStateName(s)) want = s;
    }
    if (!want) {
      return ctx.Fail(kExitInvalidArgument,
                      fmt::format("--state '{}': use pending, running, done, dead or all", state));
    }
  }
  auto target = StoreTarget(store_flag);
  if (!target) return ctx.Fail(target.error());
  auto store = OpenCallbackStore(*target, {});
  if (!store) return ctx.Fail(store.error());
  auto rows = (*store)->ListHooks(want, static_cast<std::size_t>(std::max(1, limit)));
  if (!rows) return ctx.Fail(rows.error());
  Json data = Json::Array();
  Table table{.headers = {"Event", "State", "Attempts", "Run at", "Claimed by", "Last error"}};
  for (const auto& r : *rows) {
    auto ts = [](std::chrono::system_clock::time_point t) {
      return Timestamp::FromTime(std::chrono::time_point_cast<std::chrono::nanoseconds>(t));
    };
    data.Push(Json::Object()
                  .Set("event_id", r.event_id)
                  .Set("state", callbacks::HookStateName(r.state))
                  .Set("attempts", r.attempts)
                  .Set("run_at", ts(r.run_at))
                  .Set("lease_until", r.lease_until ? Json(ts(*r.lease_until)) : Json(nullptr))
                  .Set("claimed_by", r.claimed_by)
                  .Set("last_error", r.last_error));
    table.rows.push_back({std::to_string(r.event_id), callbacks::HookStateName(r.state),
                          std::to_string(r.attempts), When(ts(r.run_at)), r.claimed_by,
                          r.last_error});
  }
  ctx.out().Emit(data, table);
  return kExitOk;
}

int RunHooksRetry(Context& ctx, const std::string& store_flag, const std::vector<int64_t>& ids) {
  auto target = StoreTarget(store_flag);
  if (!target) return ctx.Fail(target.error());
  auto store = OpenCallbackStore(*target, {});
  if (!store) return ctx.Fail(store.error());
  auto n = (*store)->RetryDeadHooks(ids);
  if (!n) return ctx.Fail(n.error());
  ctx.out().EmitRecord(Json::Object().Set("revived", *n), {{"Revived", std::to_string(*n)}});
  return kExitOk;
}

}  // namespace esimgo::cli
