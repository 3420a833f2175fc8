// The SQLite event store: the one-machine default (ADR 0009). Same behaviour as PostgreSQL —
// windowed dedupe decided inside the database, group commit, hook queue, stream cursor —
// with SQLite's single writer as the arbiter: every write transaction is BEGIN IMMEDIATE,
// so writers (threads or processes on this machine) take turns on the database lock, and
// the check-then-upsert of a key inside that transaction cannot race.
// Durability is not weakened: WAL with synchronous=FULL (each commit fsyncs the WAL).
// Time: SQLite has no server clock; all processes on one machine share the system clock,
// which plays the database clock (unix microseconds).

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

#include "internal.h"

namespace esimgo::callbacks::internal {

namespace {

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::chrono::system_clock::time_point FromMicros(int64_t us) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::microseconds(us)));
}

int64_t ToMicros(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

// Version 1. `id INTEGER PRIMARY KEY AUTOINCREMENT`: ids are never reused, even after the
// newest rows are pruned, so a consumer offset never points past an id that comes back.
// Stream order: one writer at a time holds the database lock from BEGIN IMMEDIATE to COMMIT
// and takes ids inside it, and readers see a transaction all or nothing — so when a reader
// sees id N, every smaller id that will ever be visible is visible already: id order is
// commit order, and the cursor is just the id (tx_id == id).
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS callback_events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  received_at INTEGER NOT NULL,
  source      TEXT    NOT NULL,
  dedupe_key  BLOB    NOT NULL,
  alert_type  TEXT,
  iccid       TEXT,
  verified    INTEGER NOT NULL,
  key_slot    INTEGER,
  receiver    TEXT    NOT NULL,
  body        BLOB    NOT NULL);
CREATE INDEX IF NOT EXISTS callback_events_iccid ON callback_events (iccid, id)
  WHERE iccid IS NOT NULL;
CREATE INDEX IF NOT EXISTS callback_events_received ON callback_events (received_at);
CREATE TABLE IF NOT EXISTS callback_dedupe (
  dedupe_key BLOB PRIMARY KEY,
  last_seen  INTEGER NOT NULL,
  hits       INTEGER NOT NULL DEFAULT 1) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hook_queue (
  event_id    INTEGER PRIMARY KEY REFERENCES callback_events (id) ON DELETE CASCADE,
  state       TEXT    NOT NULL DEFAULT 'pending'
              CHECK (state IN ('pending', 'running', 'done', 'dead')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  run_at      INTEGER NOT NULL,
  lease_until INTEGER,
  claimed_by  TEXT,
  last_error  TEXT);
CREATE INDEX IF NOT EXISTS hook_queue_due ON hook_queue (state, run_at);
CREATE TABLE IF NOT EXISTS consumer_offsets (
  name       TEXT PRIMARY KEY,
  tx_id      INTEGER NOT NULL,
  id         INTEGER NOT NULL,
  updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS schema_version (
  version    INTEGER PRIMARY KEY,
  applied_at INTEGER NOT NULL);
INSERT OR IGNORE INTO schema_version (version, applied_at) VALUES (1, CAST(strftime('%s') AS INTEGER) * 1000000);
)sql";

constexpr const char* kEventColumns =
    "e.id, e.received_at, e.source, e.dedupe_key, e.alert_type, e.iccid, e.verified, "
    "e.key_slot, e.receiver, e.body";

class Db {
 public:
  ~Db() { Close(); }
  void Close() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
    if (db_) sqlite3_close(db_);
    db_ = nullptr;
  }
  Result<void> Open(const std::string& path, std::string_view op) {
    Close();
    if (sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      Close();
      return Fail(ErrorCode::kInvalidArgument, "cannot open the event store " + path + ": " + msg,
                  std::string(op));
    }
    // Writers of other processes wait for the lock instead of failing at once.
    sqlite3_busy_timeout(db_, 5000);
    // Switching a fresh file to WAL needs the file to itself, and SQLite answers SQLITE_BUSY
    // there without calling the busy handler: when several receivers start on one new file at
    // once, the losers retry (bounded like the busy timeout) instead of failing to start.
    Result<void> ok;
    for (int attempt = 0;; ++attempt) {
      ok = Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", op);
      if (ok || (sqlite3_errcode(db_) & 0xff) != SQLITE_BUSY || attempt >= 500) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!ok && (sqlite3_errcode(db_) & 0xff) != SQLITE_BUSY) {
      // Not a database (a text file, a damaged file): the target is wrong, not unavailable.
      Error e = ok.error();
      e.code = ErrorCode::kInvalidArgument;
      e.http_status = 0;
      e.retry_after.reset();
      e.message = "cannot use " + path + " as the event store: " + sqlite3_errmsg(db_);
      Close();
      return tl::unexpected(std::move(e));
    }
    return ok;
  }
  sqlite3* get() const { return db_; }

  Result<void> Exec(const char* sql, std::string_view op) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      return tl::unexpected(ToError(msg, op));
    }
    return {};
  }

  // A cached prepared statement, reset and unbound.
  Result<sqlite3_stmt*> Stmt(const std::string& sql, std::string_view op) {
    auto it =
        std::find_if(cache_.begin(), cache_.end(), [&](const auto& p) { return p.first == sql; });
    sqlite3_stmt* s = nullptr;
    if (it != cache_.end()) {
      s = it->second;
    } else {
      if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
        return tl::unexpected(ToError(sqlite3_errmsg(db_), op));
      }
      cache_.emplace_back(sql, s);
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
  }

  Error ToError(std::string_view message, std::string_view op) const {
    Error e;
    int code = db_ ? (sqlite3_errcode(db_) & 0xff) : SQLITE_CANTOPEN;
    // Busy, I/O, full disk: the caller may try again later (503); anything else is a bug or
    // a damaged file.
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_IOERR ||
        code == SQLITE_FULL || code == SQLITE_CANTOPEN || code == SQLITE_READONLY) {
      e.code = ErrorCode::kUnavailable;
      e.http_status = 503;
      e.retry_after = std::chrono::seconds(5);
    } else {
      e.code = ErrorCode::kServer;
    }
    e.operation = std::string(op);
    e.message = "the SQLite event store failed: " + std::string(message);
    return e;
  }

  // Steps a statement to completion, collecting nothing. Errors carry the SQLite message.
  Result<void> Done(sqlite3_stmt* s, std::string_view op) {
    int rc = sqlite3_step(s);
    while (rc == SQLITE_ROW) rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) return tl::unexpected(ToError(sqlite3_errmsg(db_), op));
    return {};
  }

 private:
  sqlite3* db_ = nullptr;
  std::vector<std::pair<std::string, sqlite3_stmt*>> cache_;
};

// BEGIN IMMEDIATE … COMMIT, rolled back unless committed.
class WriteTxn {
 public:
  explicit WriteTxn(Db& db) : db_(db) {}
  Result<void> Begin(std::string_view op) {
    auto ok = db_.Exec("BEGIN IMMEDIATE", op);
    open_ = ok.has_value();
    return ok;
  }
  Result<void> Commit(std::string_view op) {
    auto ok = db_.Exec("COMMIT", op);
    if (ok) open_ = false;
    return ok;
  }
  ~WriteTxn() {
    if (open_) (void)db_.Exec("ROLLBACK", "rollback");
  }

 private:
  Db& db_;
  bool open_ = false;
};

void BindText(sqlite3_stmt* s, int i, const std::optional<std::string>& v) {
  if (v) {
    sqlite3_bind_text(s, i, v->data(), static_cast<int>(v->size()), SQLITE_TRANSIENT);
  } else {
    sqlite3_bind_null(s, i);
  }
}

std::string Column(sqlite3_stmt* s, int c) {
  const void* p = sqlite3_column_blob(s, c);
  int n = sqlite3_column_bytes(s, c);
  return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

Event ReadEvent(sqlite3_stmt* s, int c) {
  Event e;
  e.id = sqlite3_column_int64(s, c);
  e.cursor = Cursor{static_cast<uint64_t>(e.id), e.id};
  e.received_at = FromMicros(sqlite3_column_int64(s, c + 1));
  e.source = Column(s, c + 2);
  std::string key = Column(s, c + 3);
  if (key.size() == 32) std::memcpy(e.dedupe_key.data(), key.data(), 32);
  if (sqlite3_column_type(s, c + 4) != SQLITE_NULL) e.alert_type = Column(s, c + 4);
  if (sqlite3_column_type(s, c + 5) != SQLITE_NULL) e.iccid = Column(s, c + 5);
  e.verified = sqlite3_column_int(s, c + 6) != 0;
  if (sqlite3_column_type(s, c + 7) != SQLITE_NULL) {
    e.key_slot = static_cast<int16_t>(sqlite3_column_int(s, c + 7));
  }
  e.receiver = Column(s, c + 8);
  e.body = Column(s, c + 9);
  return e;
}

HookState ParseState(std::string_view s) {
  if (s == "running") return HookState::kRunning;
  if (s == "done") return HookState::kDone;
  if (s == "dead") return HookState::kDead;
  return HookState::kPending;
}

// esimgo_dedupe_key(source, body): the store's key, for the one-time import below.
void DedupeKeyFunction(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto text = [](sqlite3_value* v) {
    const void* p = sqlite3_value_blob(v);
    return std::string_view(static_cast<const char*>(p ? p : ""),
                            static_cast<std::size_t>(sqlite3_value_bytes(v)));
  };
  auto key = DedupeKey(text(argv[0]), text(argv[1]));
  sqlite3_result_blob(ctx, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
}

// Files written by the receiver before the shared store (table `events`, dedupe forever by
// body_sha256, ISO received_at) are imported once, in the migration's transaction, so
// `callbacks tail` keeps showing them. The old table is left in place (nothing is deleted).
// Their dedupe rows get last_seen = received_at, so a redelivery inside the window right after
// the upgrade is still recognised.
Result<void> ImportLegacy(Db& db, const std::string& source) {
  constexpr std::string_view op = "callbacks.Store.Open";
  auto s =
      db.Stmt("SELECT count(*) FROM pragma_table_info('events') WHERE name = 'body_sha256'", op);
  if (!s) return tl::unexpected(s.error());
  bool legacy = sqlite3_step(*s) == SQLITE_ROW && sqlite3_column_int(*s, 0) > 0;
  sqlite3_reset(*s);
  if (!legacy) return {};
  if (sqlite3_create_function(db.get(), "esimgo_dedupe_key", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                              nullptr, DedupeKeyFunction, nullptr, nullptr) != SQLITE_OK) {
    return tl::unexpected(db.ToError(sqlite3_errmsg(db.get()), op));
  }
  auto ins = db.Stmt(
      "INSERT INTO callback_events (received_at, source, dedupe_key, alert_type, iccid, "
      "verified, receiver, body) SELECT coalesce(CAST(round((julianday(received_at) - "
      "2440587.5) * 86400000.0) AS INTEGER) * 1000, 0), ?1, esimgo_dedupe_key(?1, body), "
      "nullif(alert_type, ''), "
      "nullif(iccid, ''), verified, 'imported', body FROM events ORDER BY id",
      op);
  if (!ins) return tl::unexpected(ins.error());
  sqlite3_bind_text(*ins, 1, source.data(), static_cast<int>(source.size()), SQLITE_TRANSIENT);
  if (auto ok = db.Done(*ins, op); !ok) return ok;
  auto dd = db.Stmt(
      "INSERT OR IGNORE INTO callback_dedupe (dedupe_key, last_seen) SELECT dedupe_key, "
      "max(received_at) FROM callback_events GROUP BY dedupe_key",
      op);
  if (!dd) return tl::unexpected(dd.error());
  return db.Done(*dd, op);
}

Result<void> Migrate(Db& db, const std::string& source) {
  constexpr std::string_view op = "callbacks.Store.Open";
  WriteTxn txn(db);
  if (auto ok = txn.Begin(op); !ok) return ok;
  int version = 0;
  {
    auto s = db.Stmt(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'", op);
    if (!s) return tl::unexpected(s.error());
    if (sqlite3_step(*s) == SQLITE_ROW && sqlite3_column_int(*s, 0) > 0) {
      sqlite3_reset(*s);
      auto v = db.Stmt("SELECT coalesce(max(version), 0) FROM schema_version", op);
      if (!v) return tl::unexpected(v.error());
      if (sqlite3_step(*v) == SQLITE_ROW) version = sqlite3_column_int(*v, 0);
      sqlite3_reset(*v);
    }
    sqlite3_reset(*s);
  }
  if (version > kSchemaVersion) {
    return Fail(ErrorCode::kInvalidArgument,
                "the event store has schema version " + std::to_string(version) +
                    ", newer than this build knows (" + std::to_string(kSchemaVersion) +
                    "); upgrade esimgo before starting this receiver",
                std::string(op));
  }
  if (version < 1) {
    if (auto ok = db.Exec(kSchemaV1, op); !ok) return ok;
    if (auto ok = ImportLegacy(db, source); !ok) return ok;
  }
  return txn.Commit(op);
}

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string target, StoreOptions options)
      : Store(std::move(target), std::move(options)) {}

  Result<void> Init() {
    if (auto ok = db_.Open(target(), "callbacks.Store.Open"); !ok) return ok;
    return Migrate(db_, options().source);
  }

  Backend backend() const noexcept override { return Backend::kSqlite; }

  Result<void> Ping() override {
    std::lock_guard lock(mu_);
    auto s = db_.Stmt("SELECT 1 FROM schema_version LIMIT 1", "callbacks.Store.Ping");
    if (!s) return tl::unexpected(s.error());
    return db_.Done(*s, "callbacks.Store.Ping");
  }

  Result<int> SchemaVersion() override {
    std::lock_guard lock(mu_);
    auto s = db_.Stmt("SELECT coalesce(max(version), 0) FROM schema_version",
                      "callbacks.Store.SchemaVersion");
    if (!s) return tl::unexpected(s.error());
    int v = sqlite3_step(*s) == SQLITE_ROW ? sqlite3_column_int(*s, 0) : 0;
    sqlite3_reset(*s);
    return v;
  }

  Result<ReadPage> Read(const Cursor& after, const ReadFilter& f, std::size_t limit) override {
    constexpr std::string_view op = "callbacks.Store.Read";
    limit = static_cast<std::size_t>(ClampLimit(limit));
    std::lock_guard lock(mu_);
    // One read transaction: the page and the high-water id come from one snapshot.
    if (auto ok = db_.Exec("BEGIN", op); !ok) return tl::unexpected(ok.error());
    auto result = [&]() -> Result<ReadPage> {
      auto s =
          db_.Stmt(std::string("SELECT ") + kEventColumns +
                       " FROM callback_events e WHERE e.id > ?1 "
                       "AND (?2 IS NULL OR e.alert_type = ?2) AND (?3 IS NULL OR e.iccid = ?3) "
                       "AND (?4 IS NULL OR e.id >= ?4) AND (?5 IS NULL OR e.id <= ?5) "
                       "AND (?6 IS NULL OR e.received_at >= ?6) "
                       "AND (?7 IS NULL OR e.received_at >= ?7) "
                       "AND (?8 IS NULL OR e.received_at < ?8) ORDER BY e.id LIMIT ?9",
                   op);
      if (!s) return tl::unexpected(s.error());
      sqlite3_bind_int64(*s, 1, after.id);
      BindText(*s, 2, f.alert_type);
      BindText(*s, 3, f.iccid);
      if (f.min_id) sqlite3_bind_int64(*s, 4, *f.min_id);
      if (f.max_id) sqlite3_bind_int64(*s, 5, *f.max_id);
      if (f.since_age) {
        sqlite3_bind_int64(
            *s, 6,
            NowMicros() -
                std::chrono::duration_cast<std::chrono::microseconds>(*f.since_age).count());
      }
      if (f.since) sqlite3_bind_int64(*s, 7, ToMicros(*f.since));
      if (f.until) sqlite3_bind_int64(*s, 8, ToMicros(*f.until));
      sqlite3_bind_int64(*s, 9, static_cast<int64_t>(limit));
      ReadPage page;
      int rc;
      while ((rc = sqlite3_step(*s)) == SQLITE_ROW) page.events.push_back(ReadEvent(*s, 0));
      if (rc != SQLITE_DONE) return tl::unexpected(db_.ToError(sqlite3_errmsg(db_.get()), op));
      if (page.events.size() >= limit) {
        page.next = page.events.back().cursor;
        return page;
      }
      auto m = db_.Stmt("SELECT coalesce(max(id), 0) FROM callback_events", op);
      if (!m) return tl::unexpected(m.error());
      int64_t max_id = sqlite3_step(*m) == SQLITE_ROW ? sqlite3_column_int64(*m, 0) : 0;
      sqlite3_reset(*m);
      Cursor top{static_cast<uint64_t>(max_id), max_id};
      page.next = std::max(after, top);
      return page;
    }();
    (void)db_.Exec("COMMIT", op);
    return result;
  }

  Result<std::vector<Event>> Get(std::span<const int64_t> ids) override {
    constexpr std::string_view op = "callbacks.Store.Get";
    std::lock_guard lock(mu_);
    auto s = db_.Stmt(
        std::string("SELECT ") + kEventColumns + " FROM callback_events e WHERE e.id = ?1", op);
    if (!s) return tl::unexpected(s.error());
    std::vector<int64_t> sorted(ids.begin(), ids.end());
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    std::vector<Event> out;
    for (int64_t id : sorted) {
      sqlite3_reset(*s);
      sqlite3_bind_int64(*s, 1, id);
      if (sqlite3_step(*s) == SQLITE_ROW) out.push_back(ReadEvent(*s, 0));
    }
    sqlite3_reset(*s);
    return out;
  }

  Result<std::optional<Cursor>> LoadOffset(std::string_view consumer) override {
    constexpr std::string_view op = "callbacks.Store.LoadOffset";
    std::lock_guard lock(mu_);
    auto s = db_.Stmt("SELECT tx_id, id FROM consumer_offsets WHERE name = ?1", op);
    if (!s) return tl::unexpected(s.error());
    sqlite3_bind_text(*s, 1, consumer.data(), static_cast<int>(consumer.size()), SQLITE_TRANSIENT);
    std::optional<Cursor> out;
    if (sqlite3_step(*s) == SQLITE_ROW) {
      out = Cursor{static_cast<uint64_t>(sqlite3_column_int64(*s, 0)), sqlite3_column_int64(*s, 1)};
    }
    sqlite3_reset(*s);
    return out;
  }

  Result<void> SaveOffset(std::string_view consumer, const Cursor& cursor) override {
    constexpr std::string_view op = "callbacks.Store.SaveOffset";
    if (consumer.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "a consumer name must not be empty",
                  std::string(op));
    }
    std::lock_guard lock(mu_);
    auto s = db_.Stmt(
        "INSERT INTO consumer_offsets (name, tx_id, id, updated_at) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (name) DO UPDATE SET tx_id = excluded.tx_id, id = excluded.id, "
        "updated_at = excluded.updated_at",
        op);
    if (!s) return tl::unexpected(s.error());
    sqlite3_bind_text(*s, 1, consumer.data(), static_cast<int>(consumer.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(*s, 2, static_cast<int64_t>(cursor.tx_id));
    sqlite3_bind_int64(*s, 3, cursor.id);
    sqlite3_bind_int64(*s, 4, NowMicros());
    return db_.Done(*s, op);
  }

  Result<std::vector<HookJob>> ClaimHooks(std::size_t n, std::chrono::milliseconds lease,
                                          std::string_view worker) override {
    constexpr std::string_view op = "callbacks.Store.ClaimHooks";
    std::lock_guard lock(mu_);
    WriteTxn txn(db_);
    if (auto ok = txn.Begin(op); !ok) return tl::unexpected(ok.error());
    const int64_t now = NowMicros();
    auto pick = db_.Stmt(
        "SELECT event_id FROM hook_queue WHERE (state = 'pending' AND run_at <= ?1) OR "
        "(state = 'running' AND lease_until < ?1) ORDER BY run_at LIMIT ?2",
        op);
    if (!pick) return tl::unexpected(pick.error());
    sqlite3_bind_int64(*pick, 1, now);
    sqlite3_bind_int64(*pick, 2, ClampLimit(n));
    std::vector<int64_t> ids;
    while (sqlite3_step(*pick) == SQLITE_ROW) ids.push_back(sqlite3_column_int64(*pick, 0));
    sqlite3_reset(*pick);
    std::sort(ids.begin(), ids.end());
    std::vector<HookJob> jobs;
    for (int64_t id : ids) {
      auto up = db_.Stmt(
          "UPDATE hook_queue SET state = 'running', attempts = attempts + 1, lease_until = ?2, "
          "claimed_by = ?3 WHERE event_id = ?1 RETURNING attempts",
          op);
      if (!up) return tl::unexpected(up.error());
      sqlite3_bind_int64(*up, 1, id);
      sqlite3_bind_int64(*up, 2, now + lease.count() * 1000);
      sqlite3_bind_text(*up, 3, worker.data(), static_cast<int>(worker.size()), SQLITE_TRANSIENT);
      HookJob job;
      job.event_id = id;
      if (sqlite3_step(*up) == SQLITE_ROW) job.attempts = sqlite3_column_int(*up, 0);
      if (auto ok = db_.Done(*up, op); !ok) return tl::unexpected(ok.error());
      auto ev = db_.Stmt(
          std::string("SELECT ") + kEventColumns + " FROM callback_events e WHERE e.id = ?1", op);
      if (!ev) return tl::unexpected(ev.error());
      sqlite3_bind_int64(*ev, 1, id);
      if (sqlite3_step(*ev) == SQLITE_ROW) job.event = ReadEvent(*ev, 0);
      sqlite3_reset(*ev);
      jobs.push_back(std::move(job));
    }
    if (auto ok = txn.Commit(op); !ok) return tl::unexpected(ok.error());
    return jobs;
  }

  Result<bool> RenewLease(int64_t event_id, std::string_view worker,
                          std::chrono::milliseconds lease) override {
    return UpdateClaimed(
        "UPDATE hook_queue SET lease_until = ?3 WHERE event_id = ?1 AND claimed_by = ?2 AND "
        "state = 'running'",
        event_id, worker, NowMicros() + lease.count() * 1000, "callbacks.Store.RenewLease");
  }

  Result<bool> CompleteHook(int64_t event_id, std::string_view worker) override {
    return UpdateClaimed(
        "UPDATE hook_queue SET state = 'done', lease_until = NULL, last_error = NULL, "
        "run_at = ?3 WHERE event_id = ?1 AND claimed_by = ?2 AND state = 'running'",
        event_id, worker, NowMicros(), "callbacks.Store.CompleteHook");
  }

  Result<HookFailOutcome> FailHook(int64_t event_id, std::string_view worker,
                                   std::string_view error, const HookRetryPolicy& policy) override {
    constexpr std::string_view op = "callbacks.Store.FailHook";
    std::lock_guard lock(mu_);
    WriteTxn txn(db_);
    if (auto ok = txn.Begin(op); !ok) return tl::unexpected(ok.error());
    auto cur = db_.Stmt(
        "SELECT attempts FROM hook_queue WHERE event_id = ?1 AND claimed_by = ?2 AND "
        "state = 'running'",
        op);
    if (!cur) return tl::unexpected(cur.error());
    sqlite3_bind_int64(*cur, 1, event_id);
    sqlite3_bind_text(*cur, 2, worker.data(), static_cast<int>(worker.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(*cur) != SQLITE_ROW) {
      sqlite3_reset(*cur);
      return Fail(ErrorCode::kNotFound,
                  "hook " + std::to_string(event_id) + " is not held by " + std::string(worker),
                  std::string(op));
    }
    const int attempts = sqlite3_column_int(*cur, 0);
    sqlite3_reset(*cur);
    const HookFailOutcome out = HookFailure(policy, attempts);
    const std::chrono::milliseconds delay = out.retry_in.value_or(std::chrono::milliseconds(0));
    auto up = db_.Stmt(
        "UPDATE hook_queue SET state = ?3, run_at = ?4, lease_until = NULL, last_error = ?5 "
        "WHERE event_id = ?1 AND claimed_by = ?2",
        op);
    if (!up) return tl::unexpected(up.error());
    sqlite3_bind_int64(*up, 1, event_id);
    sqlite3_bind_text(*up, 2, worker.data(), static_cast<int>(worker.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(*up, 3, out.dead ? "dead" : "pending", -1, SQLITE_STATIC);
    sqlite3_bind_int64(*up, 4, NowMicros() + delay.count() * 1000);
    std::string_view err = error.substr(0, 4000);
    sqlite3_bind_text(*up, 5, err.data(), static_cast<int>(err.size()), SQLITE_TRANSIENT);
    if (auto ok = db_.Done(*up, op); !ok) return tl::unexpected(ok.error());
    if (auto ok = txn.Commit(op); !ok) return tl::unexpected(ok.error());
    return out;
  }

  Result<std::vector<HookRow>> ListHooks(std::optional<HookState> state,
                                         std::size_t limit) override {
    constexpr std::string_view op = "callbacks.Store.ListHooks";
    std::lock_guard lock(mu_);
    auto s = db_.Stmt(
        "SELECT event_id, state, attempts, run_at, lease_until, coalesce(claimed_by, ''), "
        "coalesce(last_error, '') FROM hook_queue WHERE ?1 IS NULL OR state = ?1 "
        "ORDER BY event_id LIMIT ?2",
        op);
    if (!s) return tl::unexpected(s.error());
    if (state) sqlite3_bind_text(*s, 1, HookStateName(*state), -1, SQLITE_STATIC);
    sqlite3_bind_int64(*s, 2, ClampLimit(limit));
    std::vector<HookRow> rows;
    while (sqlite3_step(*s) == SQLITE_ROW) {
      HookRow row;
      row.event_id = sqlite3_column_int64(*s, 0);
      row.state = ParseState(Column(*s, 1));
      row.attempts = sqlite3_column_int(*s, 2);
      row.run_at = FromMicros(sqlite3_column_int64(*s, 3));
      if (sqlite3_column_type(*s, 4) != SQLITE_NULL) {
        row.lease_until = FromMicros(sqlite3_column_int64(*s, 4));
      }
      row.claimed_by = Column(*s, 5);
      row.last_error = Column(*s, 6);
      rows.push_back(std::move(row));
    }
    sqlite3_reset(*s);
    return rows;
  }

  Result<int64_t> RetryDeadHooks(std::span<const int64_t> ids) override {
    constexpr std::string_view op = "callbacks.Store.RetryDeadHooks";
    std::lock_guard lock(mu_);
    WriteTxn txn(db_);
    if (auto ok = txn.Begin(op); !ok) return tl::unexpected(ok.error());
    int64_t total = 0;
    auto run = [&](std::optional<int64_t> id) -> Result<void> {
      auto s = db_.Stmt(
          "UPDATE hook_queue SET state = 'pending', attempts = 0, run_at = ?2, "
          "lease_until = NULL WHERE state = 'dead' AND (?1 IS NULL OR event_id = ?1)",
          op);
      if (!s) return tl::unexpected(s.error());
      if (id) sqlite3_bind_int64(*s, 1, *id);
      sqlite3_bind_int64(*s, 2, NowMicros());
      if (auto ok = db_.Done(*s, op); !ok) return ok;
      total += sqlite3_changes(db_.get());
      return {};
    };
    if (ids.empty()) {
      if (auto ok = run(std::nullopt); !ok) return tl::unexpected(ok.error());
    }
    for (int64_t id : ids) {
      if (auto ok = run(id); !ok) return tl::unexpected(ok.error());
    }
    if (auto ok = txn.Commit(op); !ok) return tl::unexpected(ok.error());
    return total;
  }

  Result<HookCounts> CountHooks() override {
    constexpr std::string_view op = "callbacks.Store.CountHooks";
    std::lock_guard lock(mu_);
    auto s = db_.Stmt(
        "SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = "
        "'running'), count(*) FILTER (WHERE state = 'dead') FROM hook_queue WHERE state <> 'done'",
        op);
    if (!s) return tl::unexpected(s.error());
    HookCounts c;
    if (sqlite3_step(*s) == SQLITE_ROW) {
      c.pending = sqlite3_column_int64(*s, 0);
      c.running = sqlite3_column_int64(*s, 1);
      c.dead = sqlite3_column_int64(*s, 2);
    }
    sqlite3_reset(*s);
    return c;
  }

  Result<PruneStats> Prune(std::chrono::seconds older_than, std::size_t batch) override {
    constexpr std::string_view op = "callbacks.Store.Prune";
    if (older_than.count() < 0) {
      return Fail(ErrorCode::kInvalidArgument, "older_than must not be negative", std::string(op));
    }
    batch = static_cast<std::size_t>(ClampLimit(batch));
    PruneStats stats;
    const int64_t now = NowMicros();
    const int64_t cut = now - older_than.count() * 1000000;
    const int64_t window_cut = now - options().dedupe_window.count() * 1000000;
    // Small transactions: the writer waits at most one batch for the lock.
    auto loop = [&](const char* sql, int64_t bound, int64_t& total) -> Result<void> {
      for (;;) {
        std::lock_guard lock(mu_);
        WriteTxn txn(db_);
        if (auto ok = txn.Begin(op); !ok) return ok;
        auto s = db_.Stmt(sql, op);
        if (!s) return tl::unexpected(s.error());
        sqlite3_bind_int64(*s, 1, bound);
        sqlite3_bind_int64(*s, 2, static_cast<int64_t>(batch));
        if (auto ok = db_.Done(*s, op); !ok) return ok;
        int64_t n = sqlite3_changes(db_.get());
        if (auto ok = txn.Commit(op); !ok) return ok;
        total += n;
        if (n < static_cast<int64_t>(batch)) return {};
      }
    };
    if (auto ok = loop("DELETE FROM callback_events WHERE id IN (SELECT id FROM callback_events "
                       "WHERE received_at < ?1 ORDER BY id LIMIT ?2)",
                       cut, stats.events);
        !ok) {
      return tl::unexpected(ok.error());
    }
    if (auto ok = loop("DELETE FROM callback_dedupe WHERE dedupe_key IN (SELECT dedupe_key FROM "
                       "callback_dedupe WHERE last_seen < ?1 LIMIT ?2)",
                       window_cut, stats.dedupe_keys);
        !ok) {
      return tl::unexpected(ok.error());
    }
    if (auto ok = loop("DELETE FROM hook_queue WHERE event_id IN (SELECT event_id FROM "
                       "hook_queue WHERE state = 'done' AND run_at < ?1 LIMIT ?2)",
                       cut, stats.hooks_done);
        !ok) {
      return tl::unexpected(ok.error());
    }
    return stats;
  }

 private:
  Result<bool> UpdateClaimed(const char* sql, int64_t event_id, std::string_view worker,
                             int64_t value, std::string_view op) {
    std::lock_guard lock(mu_);
    auto s = db_.Stmt(sql, op);
    if (!s) return tl::unexpected(s.error());
    sqlite3_bind_int64(*s, 1, event_id);
    sqlite3_bind_text(*s, 2, worker.data(), static_cast<int>(worker.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(*s, 3, value);
    if (auto ok = db_.Done(*s, op); !ok) return tl::unexpected(ok.error());
    return sqlite3_changes(db_.get()) > 0;
  }

  std::mutex mu_;
  Db db_;
};

class SqliteSink final : public BatchSink {
 public:
  SqliteSink(std::string target, StoreOptions options)
      : target_(std::move(target)), options_(std::move(options)) {}

  Result<void> Connect() override {
    auto ok = db_.Open(target_, "callbacks.Writer");
    open_ = ok.has_value();
    return ok;
  }

  bool connected() const override { return open_; }

  Result<std::vector<BatchOutcome>> Commit(std::span<const BatchItem> items) override {
    constexpr std::string_view op = "callbacks.Writer.Commit";
    WriteTxn txn(db_);
    if (auto ok = txn.Begin(op); !ok) return tl::unexpected(ok.error());
    // Read the clock after taking the lock, so time advances in lock (= commit) order.
    const int64_t now = NowMicros();
    const int64_t window = options_.dedupe_window.count() * 1000000;
    std::vector<BatchOutcome> out(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      const BatchItem& it = items[i];
      auto seen = db_.Stmt("SELECT last_seen FROM callback_dedupe WHERE dedupe_key = ?1", op);
      if (!seen) return tl::unexpected(seen.error());
      sqlite3_bind_blob(*seen, 1, it.key.data(), 32, SQLITE_STATIC);
      bool accepted = true;
      if (sqlite3_step(*seen) == SQLITE_ROW) {
        accepted = sqlite3_column_int64(*seen, 0) < now - window;
      }
      sqlite3_reset(*seen);
      auto up = db_.Stmt(
          "INSERT INTO callback_dedupe (dedupe_key, last_seen) VALUES (?1, ?2) "
          "ON CONFLICT (dedupe_key) DO UPDATE SET last_seen = excluded.last_seen, "
          "hits = hits + 1",
          op);
      if (!up) return tl::unexpected(up.error());
      sqlite3_bind_blob(*up, 1, it.key.data(), 32, SQLITE_STATIC);
      sqlite3_bind_int64(*up, 2, now);
      if (auto ok = db_.Done(*up, op); !ok) return tl::unexpected(ok.error());
      if (!accepted) continue;
      auto ins = db_.Stmt(
          "INSERT INTO callback_events (received_at, source, dedupe_key, alert_type, iccid, "
          "verified, key_slot, receiver, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
          op);
      if (!ins) return tl::unexpected(ins.error());
      sqlite3_bind_int64(*ins, 1, now);
      sqlite3_bind_text(*ins, 2, options_.source.data(), static_cast<int>(options_.source.size()),
                        SQLITE_STATIC);
      sqlite3_bind_blob(*ins, 3, it.key.data(), 32, SQLITE_STATIC);
      BindText(*ins, 4, it.fields.alert_type);
      BindText(*ins, 5, it.fields.iccid);
      sqlite3_bind_int(*ins, 6, it.verified ? 1 : 0);
      if (it.key_slot) sqlite3_bind_int(*ins, 7, *it.key_slot);
      sqlite3_bind_text(*ins, 8, options_.receiver.data(),
                        static_cast<int>(options_.receiver.size()), SQLITE_STATIC);
      sqlite3_bind_blob(*ins, 9, it.body.data(), static_cast<int>(it.body.size()), SQLITE_STATIC);
      if (auto ok = db_.Done(*ins, op); !ok) return tl::unexpected(ok.error());
      out[i].accepted = true;
      out[i].id = sqlite3_last_insert_rowid(db_.get());
      if (options_.hooks_enabled) {
        auto hk = db_.Stmt("INSERT INTO hook_queue (event_id, run_at) VALUES (?1, ?2)", op);
        if (!hk) return tl::unexpected(hk.error());
        sqlite3_bind_int64(*hk, 1, out[i].id);
        sqlite3_bind_int64(*hk, 2, now);
        if (auto ok = db_.Done(*hk, op); !ok) return tl::unexpected(ok.error());
      }
    }
    // COMMIT with synchronous=FULL returns after the WAL is fsynced.
    if (auto ok = txn.Commit(op); !ok) return tl::unexpected(ok.error());
    return out;
  }

 private:
  std::string target_;
  StoreOptions options_;
  Db db_;
  bool open_ = false;
};

// SQLite has no notifications: poll the cheap `PRAGMA data_version` (changes when another
// connection commits) every 50 ms, interruptibly.
class SqliteWaker final : public Waker {
 public:
  explicit SqliteWaker(std::string target) : target_(std::move(target)) {}

  Result<void> Open() { return db_.Open(target_, "callbacks.EventStream"); }

  Result<void> Wait(std::chrono::milliseconds timeout) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int64_t first = DataVersion();
    std::unique_lock lock(mu_);
    while (!stopped_) {
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) break;
      cv_.wait_for(lock, std::min<std::chrono::steady_clock::duration>(
                             deadline - now, std::chrono::milliseconds(50)));
      lock.unlock();
      int64_t v = DataVersion();
      lock.lock();
      if (v != first) break;
    }
    return {};
  }

  void Interrupt() noexcept override {
    {
      std::lock_guard lock(mu_);
      stopped_ = true;
    }
    cv_.notify_all();
  }

  bool interrupted() const noexcept override {
    std::lock_guard lock(mu_);
    return stopped_;
  }

 private:
  int64_t DataVersion() {
    auto s = db_.Stmt("PRAGMA data_version", "callbacks.EventStream");
    if (!s) return -1;
    int64_t v = sqlite3_step(*s) == SQLITE_ROW ? sqlite3_column_int64(*s, 0) : -1;
    sqlite3_reset(*s);
    return v;
  }

  std::string target_;
  Db db_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopped_ = false;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(std::string_view target,
                                               const StoreOptions& options) {
  auto store = std::make_unique<SqliteStore>(std::string(target), options);
  if (auto ok = store->Init(); !ok) return tl::unexpected(ok.error());
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<BatchSink>> NewSqliteSink(std::string_view target,
                                                 const StoreOptions& options) {
  auto sink = std::make_unique<SqliteSink>(std::string(target), options);
  if (auto ok = sink->Connect(); !ok) return tl::unexpected(ok.error());
  return std::unique_ptr<BatchSink>(std::move(sink));
}

Result<std::unique_ptr<Waker>> NewSqliteWaker(std::string_view target, const StoreOptions&) {
  auto waker = std::make_unique<SqliteWaker>(std::string(target));
  if (auto ok = waker->Open(); !ok) return tl::unexpected(ok.error());
  return std::unique_ptr<Waker>(std::move(waker));
}

}  // namespace esimgo::callbacks::internal
