// The PostgreSQL event store (ADR 0009): schema `esimgo`, one-statement group commit with the
// dedupe decision inside the database, a (tx_id, id) stream cursor read below the oldest
// running transaction, and a lease-claimed hook queue.

#include <arpa/inet.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>

#include "internal.h"
#include "pg.h"

namespace esimgo::callbacks::internal {

namespace {

using pg::ArrayBuilder;
using pg::Params;

// pg_advisory_lock key of the migration ("esimgo" + 1).
constexpr int64_t kMigrationLock = 0x6573696d676f0001LL;

constexpr std::string_view kChannel = "esimgo_callbacks";

// Version 1. Every statement is idempotent so a half-applied run (impossible inside one
// transaction, but cheap insurance) and a concurrent first start are both harmless.
constexpr const char* kSchemaV1 = R"sql(
CREATE SCHEMA IF NOT EXISTS esimgo;
CREATE TABLE IF NOT EXISTS esimgo.callback_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tx_id       xid8        NOT NULL DEFAULT pg_current_xact_id(),
  received_at timestamptz NOT NULL DEFAULT now(),
  source      text        NOT NULL,
  dedupe_key  bytea       NOT NULL,
  alert_type  text,
  iccid       text,
  verified    boolean     NOT NULL,
  key_slot    smallint,
  receiver    text        NOT NULL,
  body        bytea       NOT NULL);
CREATE INDEX IF NOT EXISTS callback_events_cursor ON esimgo.callback_events (tx_id, id);
CREATE INDEX IF NOT EXISTS callback_events_iccid ON esimgo.callback_events (iccid, id)
  WHERE iccid IS NOT NULL;
CREATE INDEX IF NOT EXISTS callback_events_received ON esimgo.callback_events (received_at);
CREATE TABLE IF NOT EXISTS esimgo.callback_dedupe (
  dedupe_key   bytea PRIMARY KEY,
  last_seen    timestamptz NOT NULL,
  accepted_xid xid8 NOT NULL,
  hits         bigint NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS esimgo.hook_queue (
  event_id    bigint PRIMARY KEY REFERENCES esimgo.callback_events ON DELETE CASCADE,
  state       text NOT NULL DEFAULT 'pending'
              CHECK (state IN ('pending', 'running', 'done', 'dead')),
  attempts    int NOT NULL DEFAULT 0,
  run_at      timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz,
  claimed_by  text,
  last_error  text);
CREATE INDEX IF NOT EXISTS hook_queue_due ON esimgo.hook_queue (run_at) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS hook_queue_leases ON esimgo.hook_queue (lease_until)
  WHERE state = 'running';
CREATE INDEX IF NOT EXISTS hook_queue_open ON esimgo.hook_queue (state) WHERE state <> 'done';
CREATE TABLE IF NOT EXISTS esimgo.consumer_offsets (
  name       text PRIMARY KEY,
  tx_id      xid8 NOT NULL,
  id         bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS esimgo.schema_version (
  version    int PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now());
INSERT INTO esimgo.schema_version (version) VALUES (1) ON CONFLICT DO NOTHING;
)sql";

// The group commit: one statement, one implicit transaction, one round trip. The dedupe
// upsert runs first, keys sorted (the writer sorts too), so concurrent batches of several
// receivers lock dedupe rows in one order and cannot deadlock. A row conflicting with a
// concurrent uncommitted insert waits for it and re-checks against the committed row (READ
// COMMITTED), so exactly one transaction sees `accepted`. `accepted_xid =
// pg_current_xact_id()` marks "accepted by this transaction" (now() could collide between
// two transactions that started in the same microsecond). One pg_notify per batch (an
// InitPlan, evaluated once, and only if something was stored): per-event NOTIFY halved
// throughput in the measurements. PQexecPrepared returns after ReadyForQuery, i.e. after the
// implicit COMMIT (and, with synchronous_commit=on, after the WAL flush).
constexpr const char* kInsertSql = R"sql(
WITH h AS (
  SELECT * FROM unnest($1::bytea[], $2::text[], $3::text[], $4::bool[], $5::int2[], $6::bytea[])
    WITH ORDINALITY AS h(dedupe_key, alert_type, iccid, verified, key_slot, body, ord)),
d AS (
  INSERT INTO esimgo.callback_dedupe AS d (dedupe_key, last_seen, accepted_xid)
  SELECT dedupe_key, now(), pg_current_xact_id() FROM h ORDER BY dedupe_key
  ON CONFLICT (dedupe_key) DO UPDATE
    SET last_seen = now(), hits = d.hits + 1,
        accepted_xid = CASE WHEN d.last_seen < now() - $7::interval
                            THEN pg_current_xact_id() ELSE d.accepted_xid END
  RETURNING dedupe_key, accepted_xid = pg_current_xact_id() AS accepted),
e AS (
  INSERT INTO esimgo.callback_events
    (source, dedupe_key, alert_type, iccid, verified, key_slot, receiver, body)
  SELECT $8, h.dedupe_key, h.alert_type, h.iccid, h.verified, h.key_slot, $9, h.body
  FROM h JOIN d USING (dedupe_key) WHERE d.accepted ORDER BY h.ord
  RETURNING id, dedupe_key),
q AS (
  INSERT INTO esimgo.hook_queue (event_id) SELECT id FROM e WHERE $10::bool)
SELECT d.dedupe_key, d.accepted, e.id,
       (SELECT count(*) FROM (SELECT pg_notify('esimgo_callbacks', '')
                              FROM (SELECT 1 FROM e LIMIT 1) one) n) AS notified
FROM d LEFT JOIN e USING (dedupe_key)
)sql";

constexpr const char* kEventColumns =
    "e.id, e.tx_id, e.received_at, e.source, e.dedupe_key, e.alert_type, e.iccid, e.verified, "
    "e.key_slot, e.receiver, e.body";
constexpr int kEventColumnCount = 11;

// Reads the event columns (binary results) starting at column `c`.
Event ReadEvent(const PGresult* r, int row, int c) {
  Event e;
  e.id = pg::ReadInt8(Pq().getvalue(r, row, c));
  e.cursor.tx_id = pg::ReadUint8(Pq().getvalue(r, row, c + 1));
  e.cursor.id = e.id;
  e.received_at = pg::ReadTimestamptz(Pq().getvalue(r, row, c + 2));
  e.source.assign(Pq().getvalue(r, row, c + 3), Pq().getlength(r, row, c + 3));
  if (Pq().getlength(r, row, c + 4) == 32) {
    std::memcpy(e.dedupe_key.data(), Pq().getvalue(r, row, c + 4), 32);
  }
  if (!Pq().getisnull(r, row, c + 5)) {
    e.alert_type.emplace(Pq().getvalue(r, row, c + 5), Pq().getlength(r, row, c + 5));
  }
  if (!Pq().getisnull(r, row, c + 6)) {
    e.iccid.emplace(Pq().getvalue(r, row, c + 6), Pq().getlength(r, row, c + 6));
  }
  e.verified = Pq().getvalue(r, row, c + 7)[0] != 0;
  if (!Pq().getisnull(r, row, c + 8)) e.key_slot = pg::ReadInt2(Pq().getvalue(r, row, c + 8));
  e.receiver.assign(Pq().getvalue(r, row, c + 9), Pq().getlength(r, row, c + 9));
  e.body.assign(Pq().getvalue(r, row, c + 10), Pq().getlength(r, row, c + 10));
  return e;
}

HookState ParseState(std::string_view s) {
  if (s == "running") return HookState::kRunning;
  if (s == "done") return HookState::kDone;
  if (s == "dead") return HookState::kDead;
  return HookState::kPending;
}

std::string Text(const PGresult* r, int row, int col) {
  return std::string(Pq().getvalue(r, row, col), Pq().getlength(r, row, col));
}

// Creates or checks the schema. Several receivers may start at once: the advisory lock makes
// them take turns; the lock waits up to 30 s (a peer migrating), DDL waits at most 2 s for a
// table lock (so a start never queues behind a long query and blocks everyone after it).
Result<void> Migrate(pg::Conn& conn) {
  constexpr std::string_view op = "callbacks.Store.Open";
  if (auto r = conn.Exec("SET lock_timeout = '30s'", {}, false, op); !r) {
    return tl::unexpected(r.error());
  }
  if (auto r = conn.Exec("SELECT pg_advisory_lock($1)", Params().Int8(kMigrationLock), false, op);
      !r) {
    return tl::unexpected(r.error());
  }
  auto run = [&]() -> Result<void> {
    if (auto r = conn.Exec("SET lock_timeout = '2s'", {}, false, op); !r) {
      return tl::unexpected(r.error());
    }
    auto exists =
        conn.Exec("SELECT to_regclass('esimgo.schema_version') IS NOT NULL", {}, false, op);
    if (!exists) return tl::unexpected(exists.error());
    int version = 0;
    if (Pq().getvalue(exists->get(), 0, 0)[0] == 't') {
      auto v =
          conn.Exec("SELECT coalesce(max(version), 0) FROM esimgo.schema_version", {}, false, op);
      if (!v) return tl::unexpected(v.error());
      version = std::atoi(Pq().getvalue(v->get(), 0, 0));
    }
    if (version > kSchemaVersion) {
      return Fail(ErrorCode::kInvalidArgument,
                  "the event store has schema version " + std::to_string(version) +
                      ", newer than this build knows (" + std::to_string(kSchemaVersion) +
                      "); upgrade esimgo before starting this receiver",
                  std::string(op));
    }
    if (version < 1) {
      std::string sql = std::string("BEGIN;") + kSchemaV1 + "COMMIT;";
      // Multi-statement text goes through the simple protocol (PQexec), in one transaction.
      pg::ResultPtr r(Pq().exec(conn.get(), sql.c_str()));
      if (!r || Pq().result_status(r.get()) != PGRES_COMMAND_OK) {
        Error e = pg::ToError(conn.get(), r.get(), op);
        e.message = "cannot create the event store schema: " + e.message;
        pg::ResultPtr rollback(Pq().exec(conn.get(), "ROLLBACK"));
        return tl::unexpected(std::move(e));
      }
    }
    return {};
  };
  Result<void> done = run();
  // Released on disconnect too; explicit so the connection can be reused.
  (void)conn.Exec("SELECT pg_advisory_unlock($1)", Params().Int8(kMigrationLock), false, op);
  (void)conn.Exec("RESET lock_timeout", {}, false, op);
  return done;
}

Result<void> Connect(pg::Conn& conn, std::string_view target, const StoreOptions& options,
                     std::string_view role) {
  if (auto ok =
          conn.Connect(target, options.connect_timeout, "esimgo-callbacks-" + std::string(role));
      !ok) {
    return ok;
  }
  // Force the durable default even if the server or role was configured otherwise: an
  // acknowledgement must survive a crash of PostgreSQL.
  std::string sync =
      std::string("SET synchronous_commit = ") + (options.synchronous_commit ? "on" : "off");
  if (auto r = conn.Exec(sync, {}, false, "callbacks.Store.Connect"); !r) {
    return tl::unexpected(r.error());
  }
  if (role == "writer") {
    // A batch stuck behind a lock (an operator's LOCK TABLE, a long migration) fails after
    // 10 s with 503 instead of holding every waiting request; senders retry.
    if (auto r = conn.Exec("SET statement_timeout = '10s'", {}, false, "callbacks.Store.Connect");
        !r) {
      return tl::unexpected(r.error());
    }
  }
  return {};
}

class PgStore final : public Store {
 public:
  PgStore(std::string target, StoreOptions options)
      : Store(std::move(target), std::move(options)) {}

  Result<void> Init() {
    if (auto ok = Connect(conn_, target(), options(), "store"); !ok) return ok;
    return Migrate(conn_);
  }

  Backend backend() const noexcept override { return Backend::kPostgres; }

  Result<void> Ping() override {
    std::lock_guard lock(mu_);
    if (auto ok = Ensure(); !ok) return ok;
    if (auto r = conn_.Exec("SELECT 1", {}, false, "callbacks.Store.Ping"); !r) {
      return tl::unexpected(r.error());
    }
    return {};
  }

  Result<int> SchemaVersion() override {
    std::lock_guard lock(mu_);
    if (auto ok = Ensure(); !ok) return tl::unexpected(ok.error());
    auto r = conn_.Exec("SELECT coalesce(max(version), 0) FROM esimgo.schema_version", {}, false,
                        "callbacks.Store.SchemaVersion");
    if (!r) return tl::unexpected(r.error());
    return std::atoi(Pq().getvalue(r->get(), 0, 0));
  }

  Result<ReadPage> Read(const Cursor& after, const ReadFilter& f, std::size_t limit) override {
    // Only transactions below the snapshot's xmin are certainly finished: no row can later
    // appear with (tx_id, id) below the cursor. A plain id cursor would skip a row whose
    // transaction took its id first but committed last. The xmin is returned even when no
    // row matches, so the cursor moves past scanned, filtered-out ranges.
    std::string sql = std::string(
                          "WITH s AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) "
                          "SELECT s.horizon, ") +
                      kEventColumns +
                      " FROM s LEFT JOIN LATERAL (SELECT * FROM esimgo.callback_events c "
                      "WHERE (c.tx_id, c.id) > ($1::xid8, $2::int8) AND c.tx_id < s.horizon "
                      "AND ($3::text IS NULL OR c.alert_type = $3) "
                      "AND ($4::text IS NULL OR c.iccid = $4) "
                      "AND ($5::int8 IS NULL OR c.id >= $5) "
                      "AND ($6::int8 IS NULL OR c.id <= $6) "
                      "AND ($7::interval IS NULL OR c.received_at >= now() - $7) "
                      "AND ($8::timestamptz IS NULL OR c.received_at >= $8) "
                      "AND ($9::timestamptz IS NULL OR c.received_at < $9) "
                      "ORDER BY c.tx_id, c.id LIMIT $10) e ON true ORDER BY e.tx_id, e.id";
    Params p;
    p.Xid8(after.tx_id).Int8(after.id);
    f.alert_type ? p.Text(pg::kText, *f.alert_type) : p.Null(pg::kText);
    f.iccid ? p.Text(pg::kText, *f.iccid) : p.Null(pg::kText);
    f.min_id ? p.Int8(*f.min_id) : p.Null(pg::kInt8);
    f.max_id ? p.Int8(*f.max_id) : p.Null(pg::kInt8);
    f.since_age ? p.Interval(std::chrono::duration_cast<std::chrono::milliseconds>(*f.since_age))
                : p.Null(pg::kInterval);
    f.since ? p.Timestamptz(*f.since) : p.Null(pg::kTimestamptz);
    f.until ? p.Timestamptz(*f.until) : p.Null(pg::kTimestamptz);
    p.Int8(ClampLimit(limit));
    std::lock_guard lock(mu_);
    if (auto ok = Ensure(); !ok) return tl::unexpected(ok.error());
    auto r = conn_.Exec(sql, p, true, "callbacks.Store.Read");
    if (!r) return tl::unexpected(r.error());
    ReadPage page;
    const PGresult* res = r->get();
    const int rows = Pq().ntuples(res);
    uint64_t horizon = rows > 0 ? pg::ReadUint8(Pq().getvalue(res, 0, 0)) : 0;
    for (int i = 0; i < rows; ++i) {
      if (Pq().getisnull(res, i, 1)) continue;  // the LEFT JOIN's empty row
      page.events.push_back(ReadEvent(res, i, 1));
    }
    if (static_cast<int64_t>(page.events.size()) >= ClampLimit(limit)) {
      page.next = page.events.back().cursor;
    } else {
      // Everything matching below the horizon was returned: jump to just below it.
      Cursor jump{horizon > 0 ? horizon - 1 : 0, INT64_MAX};
      page.next =
          std::max(after, page.events.empty() ? jump : std::max(jump, page.events.back().cursor));
    }
    return page;
  }

  Result<std::vector<Event>> Get(std::span<const int64_t> ids) override {
    ArrayBuilder a(pg::kInt8);
    for (int64_t id : ids) a.AddInt8(id);
    Params p;
    p.Binary(pg::kInt8Array, a.Finish());
    std::lock_guard lock(mu_);
    if (auto ok = Ensure(); !ok) return tl::unexpected(ok.error());
    auto r = conn_.Exec(std::string("SELECT ") + kEventColumns +
                            " FROM esimgo.callback_events e WHERE e.id = ANY($1) ORDER BY e.id",
                        p, true, "callbacks.Store.Get");
    if (!r) return tl::unexpected(r.error());
    std::vector<Event> out;
    for (int i = 0; i < Pq().ntuples(r->get()); ++i) out.push_back(ReadEvent(r->get(), i, 0));
    return out;
  }

  Result<std::optional<Cursor>> LoadOffset(std::string_view consumer) override {
    std::lock_guard lock(mu_);
    if (auto ok = Ensure(); !ok) return tl::unexpected(ok.error());
    auto r = conn_.Exec("SELECT tx_id, id FROM esimgo.consumer_offsets WHERE name = $1",
                        Params().Text(pg::kText, consumer), true, "callbacks.Store.LoadOffset");
    if (!r) return tl::unexpected(r.error());
    if (Pq().ntuples(r->get()) == 0) return std::optional<Cursor>();
    return std::optional<Cursor>(Cursor{pg::ReadUint8(Pq().getvalue(r->get(), 0, 0)),
                                        pg::ReadInt8(Pq().getvalue(r->get(), 0, 1))});
  }

  Result<void> SaveOffset(std::string_view consumer, const Cursor& cursor) override {
    if (consumer.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "a consumer name must not be empty",
                  "callbacks.Store.SaveOffset");
    }
    std::lock_guard lock(mu_);
    if (auto ok = Ensure(); !ok) return ok;
    auto r = conn_.Exec(
        "INSERT INTO esimgo.consumer_offsets (name, tx_id, id) VALUES ($1, $2, $3) "
        "ON CONFLICT (name) DO UPDATE SET tx_id = excluded.tx_id, id = excluded.id, "
        "updated_at = now()",
        Params().Text(pg::kText, consumer).Xid8(cursor.tx_id).Int8(cursor.id), false,
        "callbacks.Store.SaveOffset");
    if (!r) return tl::unexpected(r.error());
    return {};
  }

  Result<std::vector<HookJob>> ClaimHooks(std::size_t n, std::chrono::milliseconds lease,
                                          std::string_view worker) override {
    // SKIP LOCKED: runners never wait for each other's rows; an expired lease makes a
    // running row claimable again (its runner died or stalled): at-least-once.
    std::string sql = std::string(
                          "WITH c AS (UPDATE esimgo.hook_queue SET state = 'running', "
                          "attempts = attempts + 1, lease_until = now() + $2::interval, "
                          "claimed_by = $3 WHERE event_id IN (SELECT event_id FROM "
                          "esimgo.hook_queue WHERE (state = 'pending' AND run_at <= now()) OR "
                          "(state = 'running' AND lease_until < now()) ORDER BY run_at LIMIT $1 "
                          "FOR UPDATE SKIP LOCKED) RETURNING event_id, attempts) "
                          "SELECT c.attempts, ") +
                      kEventColumns +
                      " FROM c JOIN esimgo.callback_events e ON e.id = c.event_id ORDER BY e.id";
    Params p;
    p.Int8(ClampLimit(n)).Interval(lease).Text(pg::kText, worker);
    std::lock_guard lock(mu_);
    if (auto ok = Ensure(); !ok) return tl::unexpected(ok.error());
    auto r = conn_.Exec(sql, p, true, "callbacks.Store.ClaimHooks");
    if (!r) return tl::unexpected(r.error());
    std::vector<HookJob> jobs;
    for (int i = 0; i < Pq().ntuples(r->get()); ++i) {
      HookJob job;
      uint32_t attempts = 0;
      std::memcpy(&attempts, Pq().getvalue(r->get(), i, 0), 4);
      job.attempts = static_cast<int>(ntohl(attempts));
      job.event = ReadEvent(r->get(), i, 1);
      job.event_id = job.event.id;
      jobs.push_back(std::move(job));
    }
    return jobs;
  }

  Result<bool> RenewLease(int64_t event_id, std::string_view worker,
                          std::chrono::milliseconds lease) override {
    return UpdateClaimed(
        "UPDATE esimgo.hook_queue SET lease_until = now() + $3::interval "
        "WHERE event_id = $1 AND claimed_by = $2 AND state = 'running'",
        Params().Int8(event_id).Text(pg::kText, worker).Interval(lease),
        "callbacks.Store.RenewLease");
  }

  Result<bool> CompleteHook(int64_t event_id, std::string_view worker) override {
    return UpdateClaimed(
        "UPDATE esimgo.hook_queue SET state = 'done', lease_until = NULL, run_at = now(), "
        "last_error = NULL WHERE event_id = $1 AND claimed_by = $2 AND state = 'running'",
        Params().Int8(event_id).Text(pg::kText, worker), "callbacks.Store.CompleteHook");
  }

  Result<HookFailOutcome> FailHook(int64_t event_id, std::string_view worker,
                                   std::string_view error, const HookRetryPolicy& policy) override {
    constexpr std::string_view op = "callbacks.Store.FailHook";
    std::lock_guard lock(mu_);
    if (auto ok = Ensure(); !ok) return tl::unexpected(ok.error());
    auto cur = conn_.Exec(
        "SELECT attempts FROM esimgo.hook_queue WHERE event_id = $1 AND claimed_by = $2 AND "
        "state = 'running'",
        Params().Int8(event_id).Text(pg::kText, worker), false, op);
    if (!cur) return tl::unexpected(cur.error());
    if (Pq().ntuples(cur->get()) == 0) {
      return Fail(ErrorCode::kNotFound,
                  "hook " + std::to_string(event_id) + " is not held by " + std::string(worker),
                  std::string(op));
    }
    const int attempts = std::atoi(Pq().getvalue(cur->get(), 0, 0));
    const HookFailOutcome out = HookFailure(policy, attempts);
    const std::chrono::milliseconds delay = out.retry_in.value_or(std::chrono::milliseconds(0));
    // `attempts = $4` guards against a runner whose lease expired and was re-claimed meanwhile.
    auto r = conn_.Exec(
        "UPDATE esimgo.hook_queue SET state = $5, run_at = now() + $6::interval, "
        "lease_until = NULL, last_error = $3 WHERE event_id = $1 AND claimed_by = $2 AND "
        "state = 'running' AND attempts = $4::int8",
        Params()
            .Int8(event_id)
            .Text(pg::kText, worker)
            .Text(pg::kText, error.substr(0, 4000))
            .Int8(attempts)
            .Text(pg::kText, out.dead ? "dead" : "pending")
            .Interval(delay),
        false, op);
    if (!r) return tl::unexpected(r.error());
    if (std::string_view(Pq().cmd_tuples(r->get())) == "0") {
      return Fail(ErrorCode::kNotFound,
                  "hook " + std::to_string(event_id) + " is not held by " + std::string(worker),
                  std::string(op));
    }
    return out;
  }

  Result<std::vector<HookRow>> ListHooks(std::optional<HookState> state,
                                         std::size_t limit) override {
    Params p;
    state ? p.Text(pg::kText, HookStateName(*state)) : p.Null(pg::kText);
    p.Int8(ClampLimit(limit));
    std::lock_guard lock(mu_);
    if (auto ok = Ensure(); !ok) return tl::unexpected(ok.error());
    auto r = conn_.Exec(
        "SELECT event_id, state, attempts, extract(epoch FROM run_at)::float8, "
        "extract(epoch FROM lease_until)::float8, coalesce(claimed_by, ''), "
        "coalesce(last_error, '') FROM esimgo.hook_queue "
        "WHERE $1::text IS NULL OR state = $1 ORDER BY event_id LIMIT $2",
        p, false, "callbacks.Store.ListHooks");
    if (!r) return tl::unexpected(r.error());
    std::vector<HookRow> rows;
    auto at = [](const char* s) {
      return std::chrono::system_clock::time_point(
          std::chrono::duration_cast<std::chrono::system_clock::duration>(
              std::chrono::duration<double>(std::atof(s))));
    };
    for (int i = 0; i < Pq().ntuples(r->get()); ++i) {
      HookRow row;
      row.event_id = std::atoll(Pq().getvalue(r->get(), i, 0));
      row.state = ParseState(Pq().getvalue(r->get(), i, 1));
      row.attempts = std::atoi(Pq().getvalue(r->get(), i, 2));
      row.run_at = at(Pq().getvalue(r->get(), i, 3));
      if (!Pq().getisnull(r->get(), i, 4)) row.lease_until = at(Pq().getvalue(r->get(), i, 4));
      row.claimed_by = Text(r->get(), i, 5);
      row.last_error = Text(r->get(), i, 6);
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Result<int64_t> RetryDeadHooks(std::span<const int64_t> ids) override {
    ArrayBuilder a(pg::kInt8);
    for (int64_t id : ids) a.AddInt8(id);
    std::lock_guard lock(mu_);
    if (auto ok = Ensure(); !ok) return tl::unexpected(ok.error());
    auto r = conn_.Exec(
        "UPDATE esimgo.hook_queue SET state = 'pending', attempts = 0, run_at = now(), "
        "lease_until = NULL WHERE state = 'dead' AND "
        "(cardinality($1::int8[]) = 0 OR event_id = ANY($1))",
        Params().Binary(pg::kInt8Array, a.Finish()), false, "callbacks.Store.RetryDeadHooks");
    if (!r) return tl::unexpected(r.error());
    return std::atoll(Pq().cmd_tuples(r->get()));
  }

  Result<HookCounts> CountHooks() override {
    std::lock_guard lock(mu_);
    if (auto ok = Ensure(); !ok) return tl::unexpected(ok.error());
    auto r = conn_.Exec(
        "SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = "
        "'running'), count(*) FILTER (WHERE state = 'dead') FROM esimgo.hook_queue "
        "WHERE state <> 'done'",
        {}, false, "callbacks.Store.CountHooks");
    if (!r) return tl::unexpected(r.error());
    return HookCounts{std::atoll(Pq().getvalue(r->get(), 0, 0)),
                      std::atoll(Pq().getvalue(r->get(), 0, 1)),
                      std::atoll(Pq().getvalue(r->get(), 0, 2))};
  }

  Result<PruneStats> Prune(std::chrono::seconds older_than, std::size_t batch) override {
    constexpr std::string_view op = "callbacks.Store.Prune";
    if (older_than.count() < 0) {
      return Fail(ErrorCode::kInvalidArgument, "older_than must not be negative", std::string(op));
    }
    batch = static_cast<std::size_t>(ClampLimit(batch));
    PruneStats stats;
    const auto cut = std::chrono::duration_cast<std::chrono::milliseconds>(older_than);
    const auto window =
        std::chrono::duration_cast<std::chrono::milliseconds>(options().dedupe_window);
    // Small transactions (Svix's cleaner): receivers keep writing, and SKIP LOCKED never
    // waits for a row a writer or hook runner holds.
    auto loop = [&](const char* sql, std::chrono::milliseconds age,
                    int64_t& total) -> Result<void> {
      for (;;) {
        std::lock_guard lock(mu_);
        if (auto ok = Ensure(); !ok) return ok;
        auto r =
            conn_.Exec(sql, Params().Interval(age).Int8(static_cast<int64_t>(batch)), false, op);
        if (!r) return tl::unexpected(r.error());
        int64_t n = std::atoll(Pq().cmd_tuples(r->get()));
        total += n;
        if (n < static_cast<int64_t>(batch)) return {};
      }
    };
    if (auto ok = loop("DELETE FROM esimgo.callback_events WHERE id = ANY(ARRAY(SELECT id FROM "
                       "esimgo.callback_events WHERE received_at < now() - $1::interval "
                       "ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED))",
                       cut, stats.events);
        !ok) {
      return tl::unexpected(ok.error());
    }
    // A dedupe row older than the window decides nothing any more (the next receipt of that
    // key is accepted either way), so deleting it never changes an answer.
    if (auto ok = loop("DELETE FROM esimgo.callback_dedupe WHERE dedupe_key = ANY(ARRAY(SELECT "
                       "dedupe_key FROM esimgo.callback_dedupe WHERE last_seen < now() - "
                       "$1::interval LIMIT $2 FOR UPDATE SKIP LOCKED))",
                       window, stats.dedupe_keys);
        !ok) {
      return tl::unexpected(ok.error());
    }
    if (auto ok = loop("DELETE FROM esimgo.hook_queue WHERE event_id = ANY(ARRAY(SELECT event_id "
                       "FROM esimgo.hook_queue WHERE state = 'done' AND run_at < now() - "
                       "$1::interval LIMIT $2 FOR UPDATE SKIP LOCKED))",
                       cut, stats.hooks_done);
        !ok) {
      return tl::unexpected(ok.error());
    }
    return stats;
  }

 private:
  // Reconnects a connection that was lost (PostgreSQL restarted, network blip).
  Result<void> Ensure() {
    if (conn_.ok()) return {};
    return Connect(conn_, target(), options(), "store");
  }

  Result<bool> UpdateClaimed(const char* sql, const Params& p, std::string_view op) {
    std::lock_guard lock(mu_);
    if (auto ok = Ensure(); !ok) return tl::unexpected(ok.error());
    auto r = conn_.Exec(sql, p, false, op);
    if (!r) return tl::unexpected(r.error());
    return std::string_view(Pq().cmd_tuples(r->get())) != "0";
  }

  std::mutex mu_;
  pg::Conn conn_;
};

class PgSink final : public BatchSink {
 public:
  PgSink(std::string target, StoreOptions options)
      : target_(std::move(target)), options_(std::move(options)) {}

  Result<void> Connect() override {
    if (auto ok = internal::Connect(conn_, target_, options_, "writer"); !ok) {
      conn_.Close();
      return ok;
    }
    if (auto ok = conn_.Prepare("esimgo_insert", kInsertSql, Shape(), "callbacks.Writer"); !ok) {
      conn_.Close();
      return ok;
    }
    return {};
  }

  bool connected() const override { return conn_.ok(); }

  Result<std::vector<BatchOutcome>> Commit(std::span<const BatchItem> items) override {
    ArrayBuilder keys(pg::kBytea), types(pg::kText), iccids(pg::kText), verified(pg::kBool),
        slots(pg::kInt2), bodies(pg::kBytea);
    for (const BatchItem& it : items) {
      keys.Add(std::string_view(reinterpret_cast<const char*>(it.key.data()), it.key.size()));
      it.fields.alert_type ? types.Add(*it.fields.alert_type) : types.AddNull();
      it.fields.iccid ? iccids.Add(*it.fields.iccid) : iccids.AddNull();
      verified.AddBool(it.verified);
      it.key_slot ? slots.AddInt2(*it.key_slot) : slots.AddNull();
      bodies.Add(it.body);
    }
    Params p;
    p.Binary(pg::kByteaArray, keys.Finish())
        .Binary(pg::kTextArray, types.Finish())
        .Binary(pg::kTextArray, iccids.Finish())
        .Binary(pg::kBoolArray, verified.Finish())
        .Binary(pg::kInt2Array, slots.Finish())
        .Binary(pg::kByteaArray, bodies.Finish())
        .Interval(std::chrono::duration_cast<std::chrono::milliseconds>(options_.dedupe_window))
        .Text(pg::kText, options_.source)
        .Text(pg::kText, options_.receiver)
        .Bool(options_.hooks_enabled);
    Result<pg::ResultPtr> r = tl::unexpected(Error{});
    // A deadlock or serialization failure rolled everything back: one immediate retry. (Sorted
    // keys make deadlocks between writers impossible; this covers a prune or a manual query.)
    for (int attempt = 0; attempt < 2; ++attempt) {
      r = conn_.ExecPrepared("esimgo_insert", p, true, "callbacks.Writer.Commit");
      if (r || !conn_.ok()) break;
      if (!pg::IsRetryableNow(LastSqlState(r.error()))) break;
    }
    if (!r) return tl::unexpected(r.error());
    const PGresult* res = r->get();
    std::vector<BatchOutcome> out(items.size());
    for (int i = 0; i < Pq().ntuples(res); ++i) {
      if (Pq().getlength(res, i, 0) != 32) continue;
      std::array<uint8_t, 32> key;
      std::memcpy(key.data(), Pq().getvalue(res, i, 0), 32);
      auto it = std::lower_bound(
          items.begin(), items.end(), key,
          [](const BatchItem& a, const std::array<uint8_t, 32>& k) { return a.key < k; });
      if (it == items.end() || it->key != key) continue;
      BatchOutcome& o = out[static_cast<std::size_t>(it - items.begin())];
      o.accepted = Pq().getvalue(res, i, 1)[0] != 0 && !Pq().getisnull(res, i, 2);
      if (o.accepted) o.id = pg::ReadInt8(Pq().getvalue(res, i, 2));
    }
    return out;
  }

 private:
  static std::string LastSqlState(const Error& e) {
    auto pos = e.message.find("SQLSTATE ");
    return pos == std::string::npos ? std::string() : e.message.substr(pos + 9, 5);
  }

  static Params Shape() {
    Params p;
    for (Oid t : {pg::kByteaArray, pg::kTextArray, pg::kTextArray, pg::kBoolArray, pg::kInt2Array,
                  pg::kByteaArray, pg::kInterval, pg::kText, pg::kText, pg::kBool}) {
      p.Null(t);
    }
    return p;
  }

  std::string target_;
  StoreOptions options_;
  pg::Conn conn_;
};

// LISTEN on its own session connection; an eventfd lets Interrupt wake a blocked poll().
class PgWaker final : public Waker {
 public:
  PgWaker(std::string target, StoreOptions options)
      : target_(std::move(target)), options_(std::move(options)), efd_(eventfd(0, EFD_NONBLOCK)) {}
  ~PgWaker() override {
    if (efd_ >= 0) close(efd_);
  }

  Result<void> Wait(std::chrono::milliseconds timeout) override {
    if (interrupted()) return {};
    if (!conn_.ok()) {
      if (auto ok = Listen(); !ok) {
        Sleep(-1, timeout);
        return ok;
      }
    }
    // A notification may already be buffered.
    if (Drain()) return {};
    Sleep(Pq().socket(conn_.get()), timeout);
    if (Pq().consume_input(conn_.get()) == 0) {
      conn_.Close();
      return Unavailable("lost the LISTEN connection", "callbacks.EventStream.Wait");
    }
    Drain();
    return {};
  }

  void Interrupt() noexcept override {
    stopped_.store(true);
    uint64_t one = 1;
    if (efd_ >= 0) (void)!write(efd_, &one, sizeof one);
  }

  bool interrupted() const noexcept override { return stopped_.load(); }

  Result<void> Listen() {
    if (auto ok = internal::Connect(conn_, target_, options_, "listen"); !ok) return ok;
    auto r = conn_.Exec(std::string("LISTEN ") + std::string(kChannel), {}, false,
                        "callbacks.EventStream");
    if (!r) return tl::unexpected(r.error());
    return {};
  }

 private:
  bool Drain() {
    bool any = false;
    while (PGnotify* n = Pq().notifies(conn_.get())) {
      any = true;
      Pq().freemem(n);
    }
    return any;
  }

  void Sleep(int fd, std::chrono::milliseconds timeout) {
    pollfd fds[2] = {{efd_, POLLIN, 0}, {fd, POLLIN, 0}};
    (void)poll(fds, fd >= 0 ? 2 : 1, static_cast<int>(std::max<int64_t>(0, timeout.count())));
  }

  std::string target_;
  StoreOptions options_;
  pg::Conn conn_;
  int efd_;
  std::atomic<bool> stopped_{false};
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPgStore(std::string_view target, const StoreOptions& options) {
  auto store = std::make_unique<PgStore>(std::string(target), options);
  if (auto ok = store->Init(); !ok) return tl::unexpected(ok.error());
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<BatchSink>> NewPgSink(std::string_view target, const StoreOptions& options) {
  auto sink = std::make_unique<PgSink>(std::string(target), options);
  if (auto ok = sink->Connect(); !ok) return tl::unexpected(ok.error());
  return std::unique_ptr<BatchSink>(std::move(sink));
}

Result<std::unique_ptr<Waker>> NewPgWaker(std::string_view target, const StoreOptions& options) {
  auto waker = std::make_unique<PgWaker>(std::string(target), options);
  if (auto ok = waker->Listen(); !ok) return tl::unexpected(ok.error());
  return std::unique_ptr<Waker>(std::move(waker));
}

}  // namespace esimgo::callbacks::internal
