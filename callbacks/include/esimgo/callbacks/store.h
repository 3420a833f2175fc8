#pragma once
/// @file store.h
/// The callback event store: one interface over SQLite (one machine) and PostgreSQL (any
/// number of receivers on one database). Events are stored once per dedupe window, read as a
/// stream that never skips a late commit, and drive a durable hook queue.
///
///   auto store = callbacks::Store::Open("postgresql://host/db", {.source = "acct1"});
///   auto writer = (*store)->NewWriter();            // group commit, own connection + thread
///   auto ack = (*writer)->Submit({.body = raw, .verified = true}).get();  // after COMMIT
///
/// See docs/adr/0009-callback-store.md for the decisions (dedupe key and window, cursor,
/// group commit, libpq).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "esimgo/callbacks/types.h"
#include "esimgo/result.h"

namespace esimgo::callbacks {

class Writer;
class EventStream;

/// True if `target` names a PostgreSQL database: a `postgresql://` or `postgres://` URL, or a
/// libpq keyword string (`host=… dbname=…`). Anything else is a SQLite file path.
[[nodiscard]] bool IsPostgresTarget(std::string_view target) noexcept;

/// The newest schema version this build knows (a database with a newer one is refused).
inline constexpr int kSchemaVersion = 1;

/// Options of an event stream (`callbacks tail`, services reading the stream).
struct StreamOptions {
  ReadFilter filter;  ///< Which events to return.
  /// Start after this position (ignored when `consumer` has a saved offset).
  Cursor start = Cursor::Start();
  /// A named consumer: the stream starts at its saved offset, and `Commit` saves it.
  std::optional<std::string> consumer;
  std::size_t page_size = 500;  ///< Most events per Next.
  /// Follow mode: re-read at least this often even without a wake-up (a missed NOTIFY or a
  /// transaction that was still open at the last read).
  std::chrono::milliseconds poll_interval{2000};
};

/// The store. Thread-safe: calls on one Store are serialised on its own connection; the
/// writer and each stream open their own.
class Store {
 public:
  /// Opens `target` (SQLite path, or PostgreSQL URL / keyword string), creates or migrates the
  /// schema (PostgreSQL: under an advisory lock, so receivers may start together) and checks
  /// the options.
  /// Errors: kInvalidArgument (bad options or target, or a schema newer than this build:
  /// upgrade the receiver), kUnavailable (database unreachable; retry_after set).
  [[nodiscard]] static Result<std::unique_ptr<Store>> Open(std::string_view target,
                                                           const StoreOptions& options);

  virtual ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  /// Which database this is.
  [[nodiscard]] virtual Backend backend() const noexcept = 0;
  /// The options the store was opened with (validated).
  [[nodiscard]] const StoreOptions& options() const noexcept { return options_; }
  /// The target it was opened with (as given; may contain a password — never print it).
  [[nodiscard]] const std::string& target() const noexcept { return target_; }

  /// Starts the group-commit writer on its own connection and thread (the one write path
  /// of a receiver). Errors: kUnavailable (cannot connect).
  [[nodiscard]] Result<std::unique_ptr<Writer>> NewWriter();

  /// Opens a stream reader on its own connection (PostgreSQL: LISTENs for wake-ups).
  /// Errors: kUnavailable, kInvalidArgument.
  [[nodiscard]] Result<std::unique_ptr<EventStream>> OpenStream(const StreamOptions& options);

  /// A round trip to the database (`SELECT 1`). Errors: kUnavailable.
  [[nodiscard]] virtual Result<void> Ping() = 0;

  /// The schema version in the database.
  [[nodiscard]] virtual Result<int> SchemaVersion() = 0;

  // ---- reading ---------------------------------------------------------------------------

  /// Events after `after` that match `filter`, in stream order, at most `limit`. Only
  /// finished transactions are returned, so nothing can later appear behind `next`.
  [[nodiscard]] virtual Result<ReadPage> Read(const Cursor& after, const ReadFilter& filter,
                                              std::size_t limit) = 0;

  /// The events with these ids that exist, in id order (`replay --id`, `show`).
  [[nodiscard]] virtual Result<std::vector<Event>> Get(std::span<const int64_t> ids) = 0;

  /// The saved offset of a named consumer, if any.
  [[nodiscard]] virtual Result<std::optional<Cursor>> LoadOffset(std::string_view consumer) = 0;
  /// Saves (upserts) a named consumer's offset. Errors: kInvalidArgument (empty name).
  [[nodiscard]] virtual Result<void> SaveOffset(std::string_view consumer,
                                                const Cursor& cursor) = 0;

  // ---- hook queue ------------------------------------------------------------------------

  /// Claims up to `n` due hooks (pending and due, or running with an expired lease) for
  /// `lease`, marking them running by `worker` and counting an attempt. Rows claimed by
  /// another runner are skipped, never waited for (FOR UPDATE SKIP LOCKED).
  [[nodiscard]] virtual Result<std::vector<HookJob>> ClaimHooks(std::size_t n,
                                                                std::chrono::milliseconds lease,
                                                                std::string_view worker) = 0;
  /// Extends a claim. Returns false if `worker` no longer holds it (lease expired and taken).
  [[nodiscard]] virtual Result<bool> RenewLease(int64_t event_id, std::string_view worker,
                                                std::chrono::milliseconds lease) = 0;
  /// Marks a claimed hook done. Returns false if `worker` no longer holds it.
  [[nodiscard]] virtual Result<bool> CompleteHook(int64_t event_id, std::string_view worker) = 0;
  /// Records a failed run: reschedules with backoff and jitter, or marks it dead after
  /// `policy.max_attempts`. Errors: kNotFound (no such hook or not held by `worker`).
  [[nodiscard]] virtual Result<HookFailOutcome> FailHook(int64_t event_id, std::string_view worker,
                                                         std::string_view error,
                                                         const HookRetryPolicy& policy) = 0;
  /// Hook rows in `state` (all states if absent), oldest event first, at most `limit`.
  [[nodiscard]] virtual Result<std::vector<HookRow>> ListHooks(std::optional<HookState> state,
                                                               std::size_t limit) = 0;
  /// Makes dead hooks pending again with attempts reset (all dead ones if `ids` is empty).
  /// Returns how many were revived.
  [[nodiscard]] virtual Result<int64_t> RetryDeadHooks(std::span<const int64_t> ids) = 0;
  /// Rows per state. One indexed query; call it from a background refresher, not per scrape.
  [[nodiscard]] virtual Result<HookCounts> CountHooks() = 0;

  // ---- retention -------------------------------------------------------------------------

  /// Deletes events received more than `older_than` ago (database clock), `batch` rows per
  /// transaction, plus dedupe rows last seen before the dedupe window and done hooks older
  /// than the cut. Safe to run while receivers write.
  [[nodiscard]] virtual Result<PruneStats> Prune(std::chrono::seconds older_than,
                                                 std::size_t batch = 5000) = 0;

 protected:
  /// For the backends.
  Store(std::string target, StoreOptions options)
      : target_(std::move(target)), options_(std::move(options)) {}

 private:
  std::string target_;
  StoreOptions options_;
};

}  // namespace esimgo::callbacks
