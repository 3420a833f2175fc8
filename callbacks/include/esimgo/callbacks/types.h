#pragma once
/// @file types.h
/// Value types of the callback event store (esimgo::callbacks): options, events, cursors,
/// hook jobs and writer statistics. Shared by the SQLite and PostgreSQL stores.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace esimgo::callbacks {

/// Which database a store talks to.
enum class Backend {
  kSqlite,    ///< One file on one machine (the default; WAL, synchronous=FULL).
  kPostgres,  ///< A PostgreSQL database shared by any number of receivers (libpq).
};

/// How a store is opened. Every field has a safe default.
struct StoreOptions {
  /// A body seen again within this window (by the database clock, sliding on every receipt)
  /// is a redelivery and is not stored again. Must be > 0 and < 24 h: eSIM Go repeats
  /// CountryChange every 24 h on purpose, and that repeat must be a new event.
  std::chrono::seconds dedupe_window{std::chrono::hours(6)};
  /// Part of the dedupe key and stored with each event, so one database can serve several
  /// eSIM Go accounts (a short fingerprint of the API key, or a name the operator picks).
  std::string source = "default";
  /// Who answered (stored per event), e.g. "host:8080".
  std::string receiver = "receiver";
  /// When true, every stored event also gets a `pending` row in the hook queue, in the same
  /// transaction (the `--exec` hook then runs at least once even if the process dies).
  bool hooks_enabled = false;
  /// Most events per group commit (the writer sends at once when idle; under load it takes
  /// whatever is queued up to this many). A commit costs about the same for 50 or 120 rows
  /// here (fsync and scheduling dominate), so a larger cap raises the ceiling under heavy
  /// concurrency without costing latency at low load (bench/callbacks_store.sh, ADR 0009).
  std::size_t max_batch = 128;
  /// PostgreSQL only: connections (and threads) of the writer. Two let one batch commit while
  /// the next is sent; measured on 2 busy cores it did not pay (CPU, not fsync, was the limit;
  /// batches halved), so the default is one. The database still decides every duplicate
  /// whatever the number (keys are sorted in every batch, so batches cannot deadlock).
  /// SQLite has one writer at a time and always uses one.
  std::size_t writer_connections = 1;
  /// Queued events above which `Writer::Submit` fails at once (backpressure, never an
  /// unbounded buffer).
  std::size_t queue_high_water = 10000;
  /// PostgreSQL only: `synchronous_commit` of the writer's session. Keep true: an
  /// acknowledgement is an external promise, which async commit may break. False is an
  /// explicit, documented opt-in for benchmarks.
  bool synchronous_commit = true;
  /// How long opening a connection may take before the store counts as unavailable.
  std::chrono::seconds connect_timeout{5};
};

/// A callback to store, as received. The writer computes the dedupe key and extracts the
/// alert type and ICCID lexemes itself unless they are given.
struct Incoming {
  std::string body;                 ///< The exact bytes received (never re-serialised).
  bool verified = false;            ///< True if the V3 signature was checked and matched.
  std::optional<int16_t> key_slot;  ///< Which configured key verified it (0 current, 1 previous).
};

/// How a submitted callback ended, after COMMIT.
struct Ack {
  /// True if this submission created the event; false if it was a redelivery within the
  /// dedupe window (stored earlier, or by another submission of the same batch).
  bool stored = false;
  int64_t id = 0;  ///< The new event's id when `stored`; 0 for a duplicate.
};

/// Position in the event stream. PostgreSQL: (transaction id, event id), read only below the
/// oldest running transaction so a row that commits late is never skipped. SQLite: tx_id ==
/// id (one writer at a time, so id order is commit order).
struct Cursor {
  uint64_t tx_id = 0;  ///< xid8 of the inserting transaction (SQLite: the event id).
  int64_t id = 0;      ///< The event id.
  /// The beginning of the stream.
  [[nodiscard]] static Cursor Start() { return {}; }
  /// Strict order: (tx_id, id) lexicographically.
  friend auto operator<=>(const Cursor&, const Cursor&) = default;
};

/// One stored callback.
struct Event {
  int64_t id = 0;  ///< Unique, increasing within one receiver's batch; no global order.
  Cursor cursor;   ///< Where this event sits in the stream.
  std::chrono::system_clock::time_point received_at;  ///< Database clock, microseconds.
  std::string source;                                 ///< StoreOptions::source of the writer.
  std::array<uint8_t, 32> dedupe_key{};               ///< sha256(source ‖ 0x00 ‖ body).
  std::optional<std::string> alert_type;  ///< Raw lexeme of `alertType` (or `event`); empty if
                                          ///< absent or the body is not a JSON object.
  std::optional<std::string> iccid;       ///< Raw lexeme of `iccid`, string or number.
  bool verified = false;                  ///< The signature was checked.
  std::optional<int16_t> key_slot;        ///< Which configured key verified it.
  std::string receiver;                   ///< StoreOptions::receiver of the writer.
  std::string body;                       ///< The exact bytes received.
};

/// Which events a read returns. All present conditions must hold.
struct ReadFilter {
  std::optional<std::string> alert_type;  ///< Exact `alertType` lexeme, e.g. "Utilisation".
  std::optional<std::string> iccid;       ///< Exact ICCID lexeme.
  std::optional<int64_t> min_id;          ///< id >= min_id (`--since ID`).
  std::optional<int64_t> max_id;          ///< id <= max_id (`--until ID`).
  /// received_at >= now() - since_age, by the database clock (`--since 2h`).
  std::optional<std::chrono::seconds> since_age;
  std::optional<std::chrono::system_clock::time_point> since;  ///< received_at >= since.
  std::optional<std::chrono::system_clock::time_point> until;  ///< received_at < until.
};

/// One page of the stream.
struct ReadPage {
  std::vector<Event> events;  ///< In stream order.
  /// Where the next read starts. Advances past every finished transaction scanned, even
  /// when the filter matched nothing, so a consumer's offset keeps moving.
  Cursor next;
};

/// State of a hook queue row.
enum class HookState {
  kPending,  ///< Waiting for `run_at`.
  kRunning,  ///< Claimed by a runner until `lease_until` (then claimable again).
  kDone,     ///< Ran successfully.
  kDead,     ///< Failed `max_attempts` times; only `RetryDeadHooks` revives it.
};

/// Stable lower-case name: "pending", "running", "done", "dead".
[[nodiscard]] const char* HookStateName(HookState state) noexcept;

/// A claimed hook: run the command for `event`, then Complete or Fail it.
struct HookJob {
  int64_t event_id = 0;  ///< Pass it to the hook (ESIMGO_EVENT_ID) so it can be idempotent.
  int attempts = 0;      ///< Including this one (1 on the first run).
  Event event;           ///< The stored event (body for the hook's stdin).
};

/// One row of the hook queue, for `callbacks hooks list`.
struct HookRow {
  int64_t event_id = 0;                          ///< The event the hook is for.
  HookState state = HookState::kPending;         ///< Current state.
  int attempts = 0;                              ///< Runs started so far.
  std::chrono::system_clock::time_point run_at;  ///< Next eligible run (pending).
  std::optional<std::chrono::system_clock::time_point> lease_until;  ///< Running: lease end.
  std::string claimed_by;  ///< Last runner that claimed it.
  std::string last_error;  ///< Last failure reported by Fail.
};

/// Counts per hook state (for the `esimgo_hook_pending` gauge).
struct HookCounts {
  int64_t pending = 0;  ///< Pending rows (due or not).
  int64_t running = 0;  ///< Claimed rows (lease may have expired).
  int64_t dead = 0;     ///< Rows that gave up.
};

/// Retry schedule of failed hooks.
struct HookRetryPolicy {
  /// Attempts after which a failing hook is dead (the first run counts).
  int max_attempts = 8;
  /// Delay before attempt n+1 after attempt n failed; the last entry repeats. The default
  /// follows the Standard Webhooks schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h.
  std::vector<std::chrono::milliseconds> delays{std::chrono::seconds(5),  std::chrono::minutes(5),
                                                std::chrono::minutes(30), std::chrono::hours(2),
                                                std::chrono::hours(5),    std::chrono::hours(10)};
  /// Each delay is scaled by a random factor in [1 - jitter, 1 + jitter] so runners that
  /// failed together do not retry together.
  double jitter = 0.2;
};

/// What Fail did with a hook.
struct HookFailOutcome {
  bool dead = false;  ///< True if attempts reached max_attempts.
  /// When it runs again (absent if dead).
  std::optional<std::chrono::milliseconds> retry_in;
};

/// What a prune removed.
struct PruneStats {
  int64_t events = 0;       ///< Event rows deleted (their hook rows go with them).
  int64_t dedupe_keys = 0;  ///< Dedupe rows older than the window deleted.
  int64_t hooks_done = 0;   ///< Finished hook rows (done) older than the cut deleted.
};

/// A fixed-bucket histogram (Prometheus semantics: cumulative export is the caller's job;
/// `counts[i]` counts observations <= bounds[i] and > bounds[i-1]; the last count is +Inf).
struct Histogram {
  std::vector<double> bounds;    ///< Upper bounds, ascending.
  std::vector<uint64_t> counts;  ///< bounds.size() + 1 entries (last = above every bound).
  double sum = 0;                ///< Sum of all observations.
  uint64_t count = 0;            ///< Number of observations.
};

/// A snapshot of the group-commit writer's counters, for /metrics and /readyz.
struct WriterStats {
  uint64_t submitted = 0;      ///< Submit calls.
  uint64_t stored = 0;         ///< Acks with stored = true.
  uint64_t duplicates = 0;     ///< Acks with stored = false.
  uint64_t failed = 0;         ///< Submissions answered with a store error.
  uint64_t rejected_full = 0;  ///< Submissions refused at the high-water mark (backpressure).
  uint64_t batches = 0;        ///< Committed batches.
  uint64_t store_errors_connect = 0;    ///< Failed (re)connects.
  uint64_t store_errors_statement = 0;  ///< Failed batch statements/commits (incl. lost links).
  std::size_t queue_depth = 0;          ///< Submissions waiting for the writer right now.
  bool db_up = false;                   ///< The last connect/commit succeeded.
  /// Seconds since the last successful commit or ping (large if never).
  double seconds_since_success = 0;
  Histogram batch_size;      ///< Events per batch (after collapsing identical keys).
  Histogram commit_seconds;  ///< Wall time of one batch statement + commit.
};

}  // namespace esimgo::callbacks
