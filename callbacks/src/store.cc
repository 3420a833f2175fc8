#include "esimgo/callbacks/store.h"

#include <random>

#include "esimgo/callbacks/stream.h"
#include "esimgo/callbacks/writer.h"
#include "internal.h"

namespace esimgo::callbacks {

namespace internal {

tl::unexpected<Error> Unavailable(std::string message, std::string operation) {
  Error e;
  e.code = ErrorCode::kUnavailable;
  e.http_status = 503;
  e.message = std::move(message);
  e.operation = std::move(operation);
  e.retry_after = std::chrono::seconds(5);
  return tl::unexpected<Error>(std::move(e));
}

std::chrono::milliseconds HookDelay(const HookRetryPolicy& policy, int attempts) {
  if (policy.delays.empty()) return std::chrono::milliseconds(0);
  std::size_t index = attempts <= 1 ? 0 : static_cast<std::size_t>(attempts - 1);
  if (index >= policy.delays.size()) index = policy.delays.size() - 1;
  double base = static_cast<double>(policy.delays[index].count());
  double jitter = policy.jitter < 0 ? 0 : (policy.jitter > 1 ? 1 : policy.jitter);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> factor(1 - jitter, 1 + jitter);
  return std::chrono::milliseconds(static_cast<int64_t>(base * factor(rng)));
}

HookFailOutcome HookFailure(const HookRetryPolicy& policy, int attempts) {
  HookFailOutcome out;
  out.dead = attempts >= policy.max_attempts;
  if (!out.dead) out.retry_in = HookDelay(policy, attempts);
  return out;
}

}  // namespace internal

const char* HookStateName(HookState state) noexcept {
  switch (state) {
    case HookState::kPending:
      return "pending";
    case HookState::kRunning:
      return "running";
    case HookState::kDone:
      return "done";
    case HookState::kDead:
      return "dead";
  }
  return "pending";
}

bool IsPostgresTarget(std::string_view target) noexcept {
  if (target.starts_with("postgresql://") || target.starts_with("postgres://")) return true;
  // A libpq keyword string: "host=/tmp dbname=x". A file path with '=' and a space is
  // possible but perverse; such a path can be given as ./path.
  if (target.starts_with("/") || target.starts_with(".")) return false;
  return target.find('=') != std::string_view::npos;
}

Store::~Store() = default;

namespace {

Result<void> CheckOptions(std::string_view target, const StoreOptions& o) {
  if (target.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "the store is empty: give a SQLite file path or a postgresql:// URL",
                "callbacks.Store.Open");
  }
  if (o.dedupe_window <= std::chrono::seconds(0) || o.dedupe_window >= std::chrono::hours(24)) {
    return Fail(ErrorCode::kInvalidArgument,
                "the dedupe window must be more than 0 and less than 24h (eSIM Go repeats "
                "CountryChange every 24h, and that repeat is a new event); e.g. 6h",
                "callbacks.Store.Open");
  }
  if (o.source.empty() || o.source.find('\0') != std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument, "the source name must be non-empty text",
                "callbacks.Store.Open");
  }
  if (o.max_batch == 0 || o.max_batch > 10000) {
    return Fail(ErrorCode::kInvalidArgument, "max_batch must be between 1 and 10000",
                "callbacks.Store.Open");
  }
  if (o.writer_connections == 0 || o.writer_connections > 16) {
    return Fail(ErrorCode::kInvalidArgument, "writer_connections must be between 1 and 16",
                "callbacks.Store.Open");
  }
  if (o.queue_high_water == 0) {
    return Fail(ErrorCode::kInvalidArgument, "queue_high_water must be at least 1",
                "callbacks.Store.Open");
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(std::string_view target, const StoreOptions& options) {
  if (auto ok = CheckOptions(target, options); !ok) return tl::unexpected(ok.error());
  if (IsPostgresTarget(target)) return internal::OpenPgStore(target, options);
  return internal::OpenSqliteStore(target, options);
}

Result<std::unique_ptr<Writer>> Store::NewWriter() {
  const std::size_t n = backend() == Backend::kPostgres ? options_.writer_connections : 1;
  std::vector<std::unique_ptr<internal::BatchSink>> sinks;
  for (std::size_t i = 0; i < n; ++i) {
    auto sink = backend() == Backend::kPostgres ? internal::NewPgSink(target_, options_)
                                                : internal::NewSqliteSink(target_, options_);
    if (!sink) return tl::unexpected(sink.error());
    sinks.push_back(std::move(*sink));
  }
  return std::make_unique<Writer>(std::move(sinks), options_);
}

Result<std::unique_ptr<EventStream>> Store::OpenStream(const StreamOptions& options) {
  if (options.page_size == 0) {
    return Fail(ErrorCode::kInvalidArgument, "page_size must be at least 1",
                "callbacks.Store.OpenStream");
  }
  if (options.consumer && options.consumer->empty()) {
    return Fail(ErrorCode::kInvalidArgument, "a consumer name must not be empty",
                "callbacks.Store.OpenStream");
  }
  auto reader = Store::Open(target_, options_);
  if (!reader) return tl::unexpected(reader.error());
  Cursor start = options.start;
  if (options.consumer) {
    auto saved = (*reader)->LoadOffset(*options.consumer);
    if (!saved) return tl::unexpected(saved.error());
    if (*saved) start = **saved;
  }
  auto waker = backend() == Backend::kPostgres ? internal::NewPgWaker(target_, options_)
                                               : internal::NewSqliteWaker(target_, options_);
  if (!waker) return tl::unexpected(waker.error());
  return std::make_unique<EventStream>(std::move(*reader), std::move(*waker), options, start);
}

}  // namespace esimgo::callbacks
