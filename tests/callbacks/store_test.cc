// Behavioural tests of the event store, run against both backends (SQLite and a throwaway
// PostgreSQL): dedupe inside the database (batches, threads, processes, window expiry),
// durability of every acknowledgement, the stream cursor, the hook queue, prune, migrations.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "esimgo/callbacks/callbacks.h"
#include "pg_harness.h"

namespace esimgo::callbacks {
namespace {

using namespace std::chrono_literals;
using testing::PgCluster;

std::string Body(int i, std::string_view type = "Utilisation") {
  return R"({"alertType":")" + std::string(type) + R"(","iccid":"89440000000000)" +
         std::to_string(100000 + i) + R"(","bundle":{"remainingQuantity":)" + std::to_string(i) +
         "}}";
}

// Polls `cond` until it holds or 10 s pass (no fixed sleeps: the test waits for a state).
template <class F>
bool Eventually(F cond, std::chrono::milliseconds limit = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!cond()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

// A second, raw connection to the same database: to hold locks and transactions open, and to
// age rows (the store's clock is the database's, so tests move the rows, not the clock).
class RawDb {
 public:
  RawDb(Backend backend, const std::string& target) : backend_(backend) {
    if (backend_ == Backend::kPostgres) {
      pg_ = PQconnectdb(target.c_str());
    } else {
      sqlite3_open(target.c_str(), &lite_);
      sqlite3_busy_timeout(lite_, 10000);
    }
  }
  ~RawDb() {
    if (pg_) PQfinish(pg_);
    if (lite_) sqlite3_close(lite_);
  }
  // Runs SQL; returns the first value of the first row, or "ERROR: …".
  std::string Exec(const std::string& sql) {
    std::string out;
    if (pg_) {
      PGresult* r = PQexec(pg_, sql.c_str());
      if (PQresultStatus(r) == PGRES_TUPLES_OK) {
        if (PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
      } else if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        out = std::string("ERROR: ") + PQresultErrorMessage(r);
      }
      PQclear(r);
      return out;
    }
    sqlite3_stmt* s = nullptr;
    const char* tail = sql.c_str();
    while (tail && *tail) {
      if (sqlite3_prepare_v2(lite_, tail, -1, &s, &tail) != SQLITE_OK) {
        return std::string("ERROR: ") + sqlite3_errmsg(lite_);
      }
      if (!s) break;
      int rc;
      while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (out.empty() && sqlite3_column_text(s, 0)) {
          out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
        }
      }
      sqlite3_finalize(s);
      if (rc != SQLITE_DONE) return std::string("ERROR: ") + sqlite3_errmsg(lite_);
    }
    return out;
  }
  std::string T(std::string_view table) const {
    return backend_ == Backend::kPostgres ? "esimgo." + std::string(table) : std::string(table);
  }
  // Takes the lock every write of the store needs, so the writer blocks until Release.
  void BlockWriters() {
    if (pg_) {
      ASSERT_EQ(Exec("BEGIN; LOCK TABLE esimgo.callback_dedupe IN SHARE ROW EXCLUSIVE MODE"), "");
    } else {
      ASSERT_EQ(Exec("BEGIN IMMEDIATE"), "");
    }
  }
  void Release() { ASSERT_EQ(Exec("COMMIT"), ""); }
  int64_t Count(std::string_view table) {
    return std::stoll(Exec("SELECT count(*) FROM " + T(table)));
  }
  // Moves dedupe rows (and events) into the past by `age`.
  void AgeDedupe(std::chrono::seconds age) {
    std::string s = std::to_string(age.count());
    ASSERT_EQ(Exec(pg_ ? "UPDATE esimgo.callback_dedupe SET last_seen = last_seen - interval '" +
                             s + " seconds'"
                       : "UPDATE callback_dedupe SET last_seen = last_seen - " + s + "000000"),
              "");
  }
  void AgeEvents(std::chrono::seconds age, std::string_view where = "true") {
    std::string s = std::to_string(age.count());
    ASSERT_EQ(Exec(pg_ ? "UPDATE esimgo.callback_events SET received_at = received_at - "
                         "interval '" +
                             s + " seconds' WHERE " + std::string(where)
                       : "UPDATE callback_events SET received_at = received_at - " + s +
                             "000000 WHERE " + std::string(where)),
              "");
  }

 private:
  Backend backend_;
  PGconn* pg_ = nullptr;
  sqlite3* lite_ = nullptr;
};

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      PgCluster& pg = PgCluster::Shared();
      ASSERT_TRUE(pg.ok()) << pg.error();
      target_ = pg.NewDatabase();
      ASSERT_FALSE(target_.empty()) << pg.error();
    } else {
      char tmpl[] = "/tmp/esimgo-storeXXXXXX";
      ASSERT_NE(mkdtemp(tmpl), nullptr);
      dir_ = tmpl;
      target_ = dir_ + "/callbacks.db";
    }
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<Store> Open(StoreOptions o = {}) {
    auto s = Store::Open(target_, o);
    EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().ToString());
    return s ? std::move(*s) : nullptr;
  }
  std::unique_ptr<Writer> NewWriter(Store& s) {
    auto w = s.NewWriter();
    EXPECT_TRUE(w.has_value()) << (w ? "" : w.error().ToString());
    return w ? std::move(*w) : nullptr;
  }
  // Every event, following the stream from the start.
  std::vector<Event> ReadAll(Store& s, const ReadFilter& f = {}) {
    std::vector<Event> all;
    Cursor c;
    for (;;) {
      auto page = s.Read(c, f, 7);
      EXPECT_TRUE(page.has_value()) << (page ? "" : page.error().ToString());
      if (!page || page->events.empty()) return all;
      for (auto& e : page->events) all.push_back(std::move(e));
      c = page->next;
    }
  }
  RawDb Raw() { return RawDb(GetParam(), target_); }

  std::string target_;
  std::string dir_;
};

std::string Name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kPostgres ? "Postgres" : "Sqlite";
}

// ---- basics --------------------------------------------------------------------------------

TEST_P(StoreTest, StoresExactBytesAndAnswersARedeliveryAsDuplicate) {
  auto store = Open({.source = "acct", .receiver = "r1:8080"});
  ASSERT_TRUE(store);
  auto writer = NewWriter(*store);
  ASSERT_TRUE(writer);
  std::string body = Body(1);
  auto first = writer->Submit({.body = body, .verified = true, .key_slot = 1}).get();
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  EXPECT_TRUE(first->stored);
  EXPECT_GT(first->id, 0);
  auto again = writer->Submit({.body = body, .verified = true}).get();
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(again->stored);
  EXPECT_EQ(again->id, 0);

  auto events = ReadAll(*store);
  ASSERT_EQ(events.size(), 1u);
  const Event& e = events[0];
  EXPECT_EQ(e.id, first->id);
  EXPECT_EQ(e.body, body);
  EXPECT_EQ(e.source, "acct");
  EXPECT_EQ(e.receiver, "r1:8080");
  EXPECT_EQ(e.alert_type, "Utilisation");
  EXPECT_EQ(e.iccid, "89440000000000100001");
  EXPECT_TRUE(e.verified);
  EXPECT_EQ(e.key_slot, 1);
  EXPECT_EQ(e.dedupe_key, DedupeKey("acct", body));
  EXPECT_LT(std::chrono::abs(std::chrono::system_clock::now() - e.received_at), 60s);
  auto unbounded = store->Read(Cursor::Start(), {}, SIZE_MAX);  // no negative LIMIT
  ASSERT_TRUE(unbounded.has_value()) << unbounded.error().ToString();
  EXPECT_EQ(unbounded->events.size(), 1u);
  auto got = store->Get(std::vector<int64_t>{first->id, 999999});
  ASSERT_TRUE(got.has_value());
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].body, body);
}

TEST_P(StoreTest, SignedButMalformedBodyIsStoredWithEmptyFieldsAndExactBytes) {
  auto store = Open();
  auto writer = NewWriter(*store);
  // Not JSON, with a NUL and invalid UTF-8: kept byte for byte.
  std::string odd("{\"alertType\":\"Utilisation\",\"iccid\":\x00\xff", 36);
  auto ack = writer->Submit({.body = odd, .verified = true}).get();
  ASSERT_TRUE(ack.has_value()) << ack.error().ToString();
  ASSERT_TRUE(ack->stored);
  auto events = ReadAll(*store);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].body, odd);
  EXPECT_FALSE(events[0].alert_type.has_value());
  EXPECT_FALSE(events[0].iccid.has_value());
  EXPECT_FALSE(events[0].key_slot.has_value());
}

TEST_P(StoreTest, SameSourceDifferentAccountsAreDifferentEvents) {
  auto a = Open({.source = "a"});
  auto b = Open({.source = "b"});
  auto wa = NewWriter(*a);
  auto wb = NewWriter(*b);
  ASSERT_TRUE(wa->Submit({.body = Body(1)}).get()->stored);
  ASSERT_TRUE(wb->Submit({.body = Body(1)}).get()->stored);
  EXPECT_EQ(ReadAll(*a).size(), 2u);
}

TEST_P(StoreTest, RefusesBadOptions) {
  for (auto window : {0s, std::chrono::seconds(24h), std::chrono::seconds(48h)}) {
    auto s = Store::Open(target_, {.dedupe_window = window});
    ASSERT_FALSE(s.has_value());
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(s.error().message, ::testing::HasSubstr("24h"));
  }
  auto empty = Store::Open(target_, {.source = ""});
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
}

// ---- dedupe --------------------------------------------------------------------------------

TEST_P(StoreTest, SameKeyTwiceInOneBatchIsOneRowAndBothAreAnswered) {
  // One writer connection, so the batch boundaries are known.
  auto store = Open({.writer_connections = 1});
  auto writer = NewWriter(*store);
  RawDb raw = Raw();
  raw.BlockWriters();
  // The writer takes A and waits for the lock; B and B queue up behind it as one batch.
  auto a = writer->Submit({.body = Body(0)});
  ASSERT_TRUE(Eventually([&] { return writer->Stats().queue_depth == 0; }));
  auto b1 = writer->Submit({.body = Body(1)});
  auto b2 = writer->Submit({.body = Body(1)});
  ASSERT_EQ(writer->Stats().queue_depth, 2u);
  raw.Release();
  auto ra = a.get();
  auto r1 = b1.get();
  auto r2 = b2.get();
  ASSERT_TRUE(ra && r1 && r2) << (!ra ? ra.error().ToString() : "")
                              << (!r1 ? r1.error().ToString() : "");
  EXPECT_TRUE(ra->stored);
  EXPECT_TRUE(r1->stored);  // the first submission of the key wins
  EXPECT_FALSE(r2->stored);
  WriterStats stats = writer->Stats();
  EXPECT_EQ(stats.batches, 2u);
  EXPECT_EQ(stats.batch_size.count, 2u);
  EXPECT_EQ(stats.batch_size.sum, 2.0);  // 1 + 1 distinct key
  EXPECT_EQ(raw.Count("callback_events"), 2);
}

TEST_P(StoreTest, ConcurrentWritersStoreEachDistinctBodyOnce) {
  constexpr int kBodies = 150;
  constexpr int kWriters = 4;
  std::vector<std::thread> threads;
  std::atomic<int> stored{0}, duplicates{0}, failed{0};
  std::mutex mu;
  std::map<int, int> stored_per_body;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      auto store = Store::Open(target_, {.receiver = "w" + std::to_string(w)});
      if (!store) {
        failed += kBodies;
        return;
      }
      auto writer = (*store)->NewWriter();
      if (!writer) {
        failed += kBodies;
        return;
      }
      std::vector<int> order(kBodies);
      for (int i = 0; i < kBodies; ++i) order[i] = i;
      std::shuffle(order.begin(), order.end(), std::mt19937(w));
      std::vector<std::pair<int, std::future<Result<Ack>>>> futures;
      for (int i : order) futures.emplace_back(i, (*writer)->Submit({.body = Body(i)}));
      for (auto& [i, f] : futures) {
        auto r = f.get();
        if (!r) {
          ++failed;
        } else if (r->stored) {
          ++stored;
          std::lock_guard lock(mu);
          ++stored_per_body[i];
        } else {
          ++duplicates;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(stored.load(), kBodies);
  EXPECT_EQ(duplicates.load(), kBodies * (kWriters - 1));
  for (auto& [i, n] : stored_per_body) EXPECT_EQ(n, 1) << "body " << i;
  EXPECT_EQ(Raw().Count("callback_events"), kBodies);
}

TEST_P(StoreTest, ConcurrentProcessesStoreEachDistinctBodyOnce) {
  constexpr int kBodies = 100;
  constexpr int kProcs = 3;
  ASSERT_TRUE(Open());  // schema first; the migration race has its own test
  int gate[2];
  ASSERT_EQ(pipe(gate), 0);
  std::vector<std::pair<pid_t, int>> children;
  for (int p = 0; p < kProcs; ++p) {
    int out[2];
    ASSERT_EQ(pipe(out), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(gate[1]);
      char c;
      (void)!read(gate[0], &c, 1);  // all children start together
      int stored = -1000000;
      if (auto store = Store::Open(target_, {}); store) {
        if (auto writer = (*store)->NewWriter(); writer) {
          std::vector<int> order(kBodies);
          for (int i = 0; i < kBodies; ++i) order[i] = i;
          std::shuffle(order.begin(), order.end(), std::mt19937(p + 100));
          std::vector<std::future<Result<Ack>>> fs;
          for (int i : order) fs.push_back((*writer)->Submit({.body = Body(i)}));
          stored = 0;
          for (auto& f : fs) {
            auto r = f.get();
            if (!r)
              stored -= 10000;
            else if (r->stored)
              ++stored;
          }
        }
      }
      (void)!write(out[1], &stored, sizeof stored);
      _exit(0);
    }
    close(out[1]);
    children.emplace_back(pid, out[0]);
  }
  close(gate[0]);
  close(gate[1]);  // go
  int total = 0;
  for (auto [pid, fd] : children) {
    int stored = 0;
    ASSERT_EQ(read(fd, &stored, sizeof stored), static_cast<ssize_t>(sizeof stored));
    close(fd);
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_GE(stored, 0) << "a child saw store errors";
    total += stored;
  }
  EXPECT_EQ(total, kBodies);
  EXPECT_EQ(Raw().Count("callback_events"), kBodies);
}

TEST_P(StoreTest, ARepeatAfterTheWindowIsANewEventAndTheWindowSlides) {
  auto store = Open({.dedupe_window = 6h});
  auto writer = NewWriter(*store);
  RawDb raw = Raw();
  std::string body = Body(7, "CountryChange");
  auto first = writer->Submit({.body = body}).get();
  ASSERT_TRUE(first && first->stored);
  // 5 h later: still a redelivery, and the receipt slides the window.
  raw.AgeDedupe(5h);
  auto dup = writer->Submit({.body = body}).get();
  ASSERT_TRUE(dup && !dup->stored);
  raw.AgeDedupe(5h);  // 5 h after the last receipt, 10 h after the first: still inside
  auto dup2 = writer->Submit({.body = body}).get();
  ASSERT_TRUE(dup2 && !dup2->stored);
  raw.AgeDedupe(7h);  // the 24 h CountryChange repeat, as far as the window is concerned
  auto repeat = writer->Submit({.body = body}).get();
  ASSERT_TRUE(repeat.has_value());
  EXPECT_TRUE(repeat->stored);
  EXPECT_NE(repeat->id, first->id);
  EXPECT_EQ(raw.Count("callback_events"), 2);
}

TEST_P(StoreTest, QueueAboveTheHighWaterMarkFailsAtOnce) {
  auto store = Open({.writer_connections = 1, .queue_high_water = 1});
  auto writer = NewWriter(*store);
  RawDb raw = Raw();
  raw.BlockWriters();
  auto a = writer->Submit({.body = Body(0)});
  ASSERT_TRUE(Eventually([&] { return writer->Stats().queue_depth == 0; }));
  auto b = writer->Submit({.body = Body(1)});
  auto c = writer->Submit({.body = Body(2)});
  ASSERT_EQ(c.wait_for(0s), std::future_status::ready);
  auto rc = c.get();
  ASSERT_FALSE(rc.has_value());
  EXPECT_EQ(rc.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(rc.error().retry_after, 5s);
  raw.Release();
  EXPECT_TRUE(a.get().has_value());
  EXPECT_TRUE(b.get().has_value());
  EXPECT_EQ(writer->Stats().rejected_full, 1u);
}

TEST_P(StoreTest, CloseStoresWhatIsQueuedThenRefuses) {
  auto store = Open();
  auto writer = NewWriter(*store);
  std::vector<std::future<Result<Ack>>> fs;
  for (int i = 0; i < 50; ++i) fs.push_back(writer->Submit({.body = Body(i)}));
  writer->Close();
  for (auto& f : fs) EXPECT_TRUE(f.get().has_value());
  auto late = writer->Submit({.body = Body(99)}).get();
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(Raw().Count("callback_events"), 50);
}

// ---- the stream ----------------------------------------------------------------------------

TEST_P(StoreTest, CursorDoesNotSkipARowWhoseTransactionCommitsLate) {
  auto store = Open();
  auto writer = NewWriter(*store);
  RawDb raw = Raw();
  // A takes the smaller id in a transaction that stays open…
  ASSERT_EQ(raw.Exec("BEGIN"), "");
  if (GetParam() == Backend::kPostgres) {
    ASSERT_EQ(raw.Exec("INSERT INTO esimgo.callback_events (source, dedupe_key, verified, "
                       "receiver, body) VALUES ('default', '\\x00', false, 'raw', 'A')"),
              "");
  } else {
    ASSERT_EQ(raw.Exec("INSERT INTO callback_events (received_at, source, dedupe_key, verified, "
                       "receiver, body) VALUES (0, 'default', x'00', 0, 'raw', 'A')"),
              "");
  }
  // …while B, inserted later with a larger id, commits first (PostgreSQL; SQLite's single
  // writer makes B wait for A's lock, which is why its id order is commit order).
  auto b = writer->Submit({.body = "B"});
  if (GetParam() == Backend::kPostgres) {
    ASSERT_TRUE(b.get().has_value());
  }
  auto early = store->Read(Cursor::Start(), {}, 100);
  ASSERT_TRUE(early.has_value());
  EXPECT_TRUE(early->events.empty()) << "B was returned while A, older, was still open";
  ASSERT_EQ(raw.Exec("COMMIT"), "");
  if (GetParam() == Backend::kSqlite) {
    ASSERT_TRUE(b.get().has_value());
  }
  // Resume from where the early read left off: A must still come, then B.
  std::vector<std::string> bodies;
  Cursor c = early->next;
  for (int i = 0; i < 10; ++i) {
    auto page = store->Read(c, {}, 100);
    ASSERT_TRUE(page.has_value());
    for (auto& e : page->events) bodies.push_back(e.body);
    c = page->next;
  }
  EXPECT_THAT(bodies, ::testing::ElementsAre("A", "B"));
}

TEST_P(StoreTest, FiltersByTypeIccidIdAndTime) {
  auto store = Open();
  auto writer = NewWriter(*store);
  std::vector<int64_t> ids;
  for (int i = 0; i < 6; ++i) {
    auto r = writer->Submit({.body = Body(i, i % 2 ? "Utilisation" : "CountryChange")}).get();
    ASSERT_TRUE(r && r->stored);
    ids.push_back(r->id);
  }
  EXPECT_EQ(ReadAll(*store, {.alert_type = "CountryChange"}).size(), 3u);
  auto one = ReadAll(*store, {.iccid = "89440000000000100004"});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].id, ids[4]);
  EXPECT_EQ(ReadAll(*store, {.min_id = ids[2], .max_id = ids[3]}).size(), 2u);
  Raw().AgeEvents(2h, "id <= " + std::to_string(ids[1]));
  EXPECT_EQ(ReadAll(*store, {.since_age = 1h}).size(), 4u);
  EXPECT_EQ(ReadAll(*store, {.since = std::chrono::system_clock::now() - 1h}).size(), 4u);
  EXPECT_EQ(ReadAll(*store, {.until = std::chrono::system_clock::now() - 1h}).size(), 2u);
  // A filter that matches nothing still moves the cursor past what it scanned.
  auto page = store->Read(Cursor::Start(), {.alert_type = "None"}, 10);
  ASSERT_TRUE(page.has_value());
  EXPECT_TRUE(page->events.empty());
  EXPECT_GE(page->next.id, ids.back());
}

TEST_P(StoreTest, NamedConsumerResumesWhereItCommitted) {
  auto store = Open();
  auto writer = NewWriter(*store);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(writer->Submit({.body = Body(i)}).get().has_value());
  {
    auto stream = store->OpenStream({.consumer = "billing", .page_size = 3});
    ASSERT_TRUE(stream.has_value()) << stream.error().ToString();
    auto page = (*stream)->Next();
    ASSERT_TRUE(page.has_value());
    ASSERT_EQ(page->size(), 3u);
    ASSERT_TRUE((*stream)->Commit().has_value());
  }
  ASSERT_TRUE(writer->Submit({.body = Body(5)}).get().has_value());
  auto stream = store->OpenStream({.consumer = "billing", .page_size = 100});
  ASSERT_TRUE(stream.has_value());
  auto rest = (*stream)->Next();
  ASSERT_TRUE(rest.has_value());
  ASSERT_EQ(rest->size(), 3u);
  EXPECT_EQ((*rest)[0].body, Body(3));
  EXPECT_EQ((*rest)[2].body, Body(5));
  // Another consumer starts from the beginning.
  auto other = store->OpenStream({.consumer = "audit"});
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ((*other)->Next()->size(), 6u);
  auto saved = store->LoadOffset("billing");
  ASSERT_TRUE(saved.has_value() && saved->has_value());
  EXPECT_EQ((**saved).id, 3 > 0 ? (*rest)[0].id - 1 : 0);
}

TEST_P(StoreTest, FollowWakesUpWhenAnEventArrivesAndStopEndsTheWait) {
  auto store = Open();
  auto writer = NewWriter(*store);
  auto stream = store->OpenStream({.poll_interval = 60s});
  ASSERT_TRUE(stream.has_value());
  std::thread producer([&] {
    // Not needed for the test to pass (an event that is already there is returned at once);
    // it makes the wake-up path, not the first read, the one most runs exercise.
    std::this_thread::sleep_for(100ms);
    (void)writer->Submit({.body = Body(1)}).get();
  });
  const auto started = std::chrono::steady_clock::now();
  auto got = (*stream)->Wait(30s);
  producer.join();
  ASSERT_TRUE(got.has_value());
  ASSERT_EQ(got->size(), 1u);
  // Woken by NOTIFY / data_version, not by the 60 s poll.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
  std::thread stopper([&] { (*stream)->Stop(); });
  auto none = (*stream)->Wait(30s);
  stopper.join();
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
  EXPECT_TRUE((*stream)->stopped());
}

// ---- hooks ---------------------------------------------------------------------------------

TEST_P(StoreTest, HooksAreQueuedOncePerStoredEventAndClaimedOnce) {
  auto store = Open({.hooks_enabled = true});
  auto writer = NewWriter(*store);
  for (int i : {1, 2, 3, 3}) ASSERT_TRUE(writer->Submit({.body = Body(i)}).get().has_value());
  auto counts = store->CountHooks();
  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->pending, 3);
  auto w1 = store->ClaimHooks(10, 60s, "w1");
  ASSERT_TRUE(w1.has_value()) << w1.error().ToString();
  ASSERT_EQ(w1->size(), 3u);
  EXPECT_EQ((*w1)[0].attempts, 1);
  EXPECT_EQ((*w1)[0].event.body, Body(1));
  auto w2 = store->ClaimHooks(10, 60s, "w2");
  ASSERT_TRUE(w2.has_value());
  EXPECT_TRUE(w2->empty()) << "a leased hook was claimed twice";
  EXPECT_TRUE(*store->CompleteHook((*w1)[0].event_id, "w1"));
  EXPECT_FALSE(*store->CompleteHook((*w1)[1].event_id, "w2"));  // not w2's
  EXPECT_TRUE(*store->RenewLease((*w1)[1].event_id, "w1", 60s));
  counts = store->CountHooks();
  EXPECT_EQ(counts->running, 2);
  EXPECT_EQ(counts->pending, 0);
}

TEST_P(StoreTest, WithoutHooksNothingIsQueued) {
  auto store = Open();
  auto writer = NewWriter(*store);
  ASSERT_TRUE(writer->Submit({.body = Body(1)}).get().has_value());
  EXPECT_EQ(store->CountHooks()->pending, 0);
  EXPECT_TRUE(store->ClaimHooks(10, 60s, "w")->empty());
}

TEST_P(StoreTest, AFailedHookIsRetriedWithBackoffThenDeadThenRevived) {
  auto store = Open({.hooks_enabled = true});
  auto writer = NewWriter(*store);
  auto ack = writer->Submit({.body = Body(1)}).get();
  ASSERT_TRUE(ack && ack->stored);
  HookRetryPolicy now_policy{.max_attempts = 2, .delays = {0ms}, .jitter = 0};
  auto job = store->ClaimHooks(1, 60s, "w");
  ASSERT_EQ(job->size(), 1u);
  auto fail1 = store->FailHook(ack->id, "w", "exit status 1", now_policy);
  ASSERT_TRUE(fail1.has_value()) << fail1.error().ToString();
  EXPECT_FALSE(fail1->dead);
  EXPECT_EQ(fail1->retry_in, 0ms);
  job = store->ClaimHooks(1, 60s, "w");
  ASSERT_EQ(job->size(), 1u);
  EXPECT_EQ((*job)[0].attempts, 2);
  auto fail2 = store->FailHook(ack->id, "w", "exit status 2", now_policy);
  ASSERT_TRUE(fail2.has_value());
  EXPECT_TRUE(fail2->dead);
  EXPECT_TRUE(store->ClaimHooks(1, 60s, "w")->empty());
  auto dead = store->ListHooks(HookState::kDead, 10);
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].last_error, "exit status 2");
  EXPECT_EQ((*dead)[0].attempts, 2);
  EXPECT_EQ(store->CountHooks()->dead, 1);
  EXPECT_EQ(*store->RetryDeadHooks({}), 1);
  job = store->ClaimHooks(1, 60s, "w");
  ASSERT_EQ(job->size(), 1u);
  EXPECT_EQ((*job)[0].attempts, 1);
  // A real backoff keeps it out of reach.
  auto later = store->FailHook(ack->id, "w", "again", HookRetryPolicy{});
  ASSERT_TRUE(later.has_value());
  EXPECT_GE(*later->retry_in, 4s);
  EXPECT_LE(*later->retry_in, 6s);
  EXPECT_TRUE(store->ClaimHooks(1, 60s, "w")->empty());
  // Failing a hook one does not hold is refused.
  auto foreign = store->FailHook(ack->id, "other", "x", now_policy);
  ASSERT_FALSE(foreign.has_value());
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreTest, AnExpiredLeaseMakesTheHookClaimableByAnotherRunner) {
  auto store = Open({.hooks_enabled = true});
  auto writer = NewWriter(*store);
  auto ack = writer->Submit({.body = Body(1)}).get();
  ASSERT_TRUE(ack && ack->stored);
  ASSERT_EQ(store->ClaimHooks(1, 200ms, "dies")->size(), 1u);
  EXPECT_TRUE(store->ClaimHooks(1, 60s, "w2")->empty());
  std::vector<HookJob> taken;
  ASSERT_TRUE(Eventually([&] {
    auto j = store->ClaimHooks(1, 60s, "w2");
    if (j && !j->empty()) taken = *j;
    return !taken.empty();
  }));
  EXPECT_EQ(taken[0].attempts, 2);
  EXPECT_FALSE(*store->RenewLease(ack->id, "dies", 60s));
  EXPECT_FALSE(*store->CompleteHook(ack->id, "dies"));
  EXPECT_TRUE(*store->CompleteHook(ack->id, "w2"));
}

// ---- retention -----------------------------------------------------------------------------

TEST_P(StoreTest, PruneDeletesOldEventsTheirHooksAndExpiredDedupeRows) {
  auto store = Open({.hooks_enabled = true});
  auto writer = NewWriter(*store);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(writer->Submit({.body = Body(i)}).get().has_value());
  RawDb raw = Raw();
  raw.AgeEvents(std::chrono::hours(24 * 100),
                "id <= (SELECT min(id) + 2 FROM " + raw.T("callback_events") + ")");
  raw.AgeDedupe(7h);
  auto stats = store->Prune(std::chrono::hours(24 * 90), 2);  // batches of 2
  ASSERT_TRUE(stats.has_value()) << stats.error().ToString();
  EXPECT_EQ(stats->events, 3);
  EXPECT_EQ(stats->dedupe_keys, 5);
  EXPECT_EQ(raw.Count("callback_events"), 2);
  EXPECT_EQ(raw.Count("hook_queue"), 2);
  EXPECT_EQ(raw.Count("callback_dedupe"), 0);
}

// ---- schema --------------------------------------------------------------------------------

TEST_P(StoreTest, SeveralProcessesMigrateAFreshDatabaseAtOnce) {
  constexpr int kProcs = 4;
  int gate[2];
  ASSERT_EQ(pipe(gate), 0);
  std::vector<pid_t> pids;
  for (int p = 0; p < kProcs; ++p) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(gate[1]);
      char c;
      (void)!read(gate[0], &c, 1);
      auto store = Store::Open(target_, {});
      _exit(store && (*store)->SchemaVersion().value_or(0) == kSchemaVersion ? 0 : 1);
    }
    pids.push_back(pid);
  }
  close(gate[0]);
  close(gate[1]);
  for (pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  auto store = Open();
  EXPECT_EQ(store->SchemaVersion().value_or(0), kSchemaVersion);
}

TEST_P(StoreTest, ANewerSchemaIsRefused) {
  ASSERT_TRUE(Open());
  ASSERT_EQ(Raw().Exec(GetParam() == Backend::kPostgres
                           ? "INSERT INTO esimgo.schema_version (version) VALUES (99)"
                           : "INSERT INTO schema_version (version, applied_at) VALUES (99, 0)"),
            "");
  auto store = Store::Open(target_, {});
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(store.error().message, ::testing::HasSubstr("upgrade"));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), Name);

// ---- SQLite files of the earlier receiver ---------------------------------------------------

TEST(SqliteLegacyTest, EventsOfThePreviousReceiverFileAreImportedOnceAndStillDeduplicated) {
  char tmpl[] = "/tmp/esimgo-legacyXXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string path = std::string(tmpl) + "/callbacks.db";
  {
    RawDb raw(Backend::kSqlite, path);
    ASSERT_EQ(raw.Exec("CREATE TABLE events(id INTEGER PRIMARY KEY, body_sha256 TEXT NOT NULL "
                       "UNIQUE, received_at TEXT NOT NULL, alert_type TEXT NOT NULL, iccid TEXT "
                       "NOT NULL, verified INTEGER NOT NULL, body BLOB NOT NULL);"
                       "INSERT INTO events VALUES (1, 'h1', '2026-11-30T10:00:00Z', 'FirstUse', "
                       "'8944', 1, CAST('{\"a\":1}' AS BLOB));"
                       "INSERT INTO events VALUES (2, 'h2', strftime('%Y-%m-%dT%H:%M:%SZ'), '', "
                       "'', 0, CAST('not json' AS BLOB));"),
              "");
  }
  for (int round = 0; round < 2; ++round) {  // the second open must not import again
    auto store = Store::Open(path, {.source = "acct"});
    ASSERT_TRUE(store.has_value()) << store.error().ToString();
    auto page = (*store)->Read(Cursor::Start(), {}, 10);
    ASSERT_TRUE(page.has_value());
    ASSERT_EQ(page->events.size(), 2u);
    const Event& first = page->events[0];
    EXPECT_EQ(first.body, "{\"a\":1}");
    EXPECT_EQ(first.alert_type, "FirstUse");
    EXPECT_EQ(first.iccid, "8944");
    EXPECT_TRUE(first.verified);
    EXPECT_EQ(first.dedupe_key, DedupeKey("acct", first.body));
    EXPECT_EQ(std::chrono::system_clock::to_time_t(first.received_at), 1796032800);
    EXPECT_FALSE(page->events[1].alert_type.has_value());
  }
  // The recent one is still inside the window: a redelivery after the upgrade is a duplicate.
  auto store = Store::Open(path, {.source = "acct"});
  auto writer = (*store)->NewWriter();
  ASSERT_TRUE(writer.has_value());
  auto again = (*writer)->Submit({.body = "not json"}).get();
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(again->stored);
  std::filesystem::remove_all(tmpl);
}

TEST(SqliteTargetTest, AFileThatIsNotADatabaseOrAMissingDirectoryIsInvalid) {
  char tmpl[] = "/tmp/esimgo-notdbXXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string text = std::string(tmpl) + "/notes.txt";
  {
    std::FILE* f = std::fopen(text.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("these are my notes, not a database, and they are long enough to have a header", f);
    std::fclose(f);
  }
  for (const std::string& target : {text, std::string(tmpl) + "/missing/dir/callbacks.db"}) {
    auto store = Store::Open(target, {});
    ASSERT_FALSE(store.has_value()) << target;
    EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument) << store.error().ToString();
    EXPECT_THAT(store.error().message, ::testing::HasSubstr(target));
  }
  std::filesystem::remove_all(tmpl);
}

// ---- PostgreSQL outages and crashes ------------------------------------------------------------

class PostgresOutageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PgCluster& pg = PgCluster::Shared();
    ASSERT_TRUE(pg.ok()) << pg.error();
    target_ = pg.NewDatabase();
    ASSERT_FALSE(target_.empty());
  }
  void TearDown() override {
    // Leave the cluster running for the next test whatever happened.
    if (PgCluster::Shared().Query(PgCluster::Shared().Conninfo("postgres"), "SELECT 1") != "1") {
      PgCluster::Shared().Start();
    }
  }
  std::string target_;
};

TEST_F(PostgresOutageTest, OpensByUrlAsByKeywordStringOnTheSameDatabase) {
  const std::string db = target_.substr(target_.find("dbname=") + 7);
  auto by_url = Store::Open(PgCluster::Shared().Url(db), {});
  ASSERT_TRUE(by_url.has_value()) << by_url.error().ToString();
  EXPECT_EQ((*by_url)->backend(), Backend::kPostgres);
  auto writer = (*by_url)->NewWriter();
  ASSERT_TRUE(writer.has_value());
  ASSERT_TRUE((*writer)->Submit({.body = Body(1)}).get().has_value());
  auto by_keywords = Store::Open(target_, {});
  ASSERT_TRUE(by_keywords.has_value());
  EXPECT_EQ((*by_keywords)->Read(Cursor::Start(), {}, 10)->events.size(), 1u);
}

TEST_F(PostgresOutageTest, AnUnreachableDatabaseIsUnavailableNotInvalid) {
  auto store = Store::Open("host=/nonexistent-esimgo port=5432 user=esimgo dbname=x", {});
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(store.error().retry_after, 5s);
  EXPECT_THAT(store.error().message, ::testing::HasSubstr("cannot connect"));
}

TEST_F(PostgresOutageTest, StoreDownGivesUnavailableNeverSuccessAndRecoversAfterRestart) {
  auto store = Store::Open(target_, {});
  ASSERT_TRUE(store.has_value());
  auto writer = (*store)->NewWriter();
  ASSERT_TRUE(writer.has_value());
  ASSERT_TRUE((*writer)->Submit({.body = Body(1)}).get().has_value());
  ASSERT_TRUE(PgCluster::Shared().Stop());
  for (int i = 0; i < 5; ++i) {
    auto r = (*writer)->Submit({.body = Body(100 + i)}).get();
    ASSERT_FALSE(r.has_value()) << "acknowledged while PostgreSQL was down";
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(r.error().retry_after, 5s);
  }
  EXPECT_FALSE((*writer)->Stats().db_up);
  EXPECT_FALSE((*store)->Ping().has_value());
  ASSERT_TRUE(PgCluster::Shared().Start());
  // The writer reconnects with backoff (≤ 5 s); the sender's retry then succeeds.
  Result<Ack> r = tl::unexpected(Error{});
  ASSERT_TRUE(Eventually(
      [&] {
        r = (*writer)->Submit({.body = Body(100)}).get();
        return r.has_value();
      },
      20s));
  EXPECT_TRUE(r->stored);
  EXPECT_TRUE((*writer)->Stats().db_up);
  EXPECT_TRUE((*store)->Ping().has_value());
}

TEST_F(PostgresOutageTest, EveryAcknowledgedEventSurvivesAnImmediateStopMidLoad) {
  auto store = Store::Open(target_, {});
  ASSERT_TRUE(store.has_value());
  auto writer = (*store)->NewWriter();
  ASSERT_TRUE(writer.has_value());
  std::mutex mu;
  std::map<std::string, int64_t> acked;  // body → id
  std::atomic<int> errors{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> load;
  for (int t = 0; t < 4; ++t) {
    load.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        std::string body = Body(t * 1000000 + i);
        auto r = (*writer)->Submit({.body = body}).get();
        if (r) {
          std::lock_guard lock(mu);
          if (r->stored) acked[body] = r->id;
        } else {
          ++errors;
        }
      }
    });
  }
  ASSERT_TRUE(Eventually([&] {
    std::lock_guard lock(mu);
    return acked.size() >= 300;
  }));
  ASSERT_TRUE(PgCluster::Shared().Crash());  // mid-load: batches are in flight
  ASSERT_TRUE(Eventually([&] { return errors.load() >= 20; }));
  stop = true;
  for (auto& t : load) t.join();
  ASSERT_TRUE(PgCluster::Shared().Start());
  auto reader = Store::Open(target_, {});
  ASSERT_TRUE(reader.has_value());
  std::map<std::string, int64_t> found;
  Cursor c;
  for (;;) {
    auto page = (*reader)->Read(c, {}, 1000);
    ASSERT_TRUE(page.has_value());
    if (page->events.empty()) break;
    for (auto& e : page->events) found[e.body] = e.id;
    c = page->next;
  }
  std::size_t missing = 0;
  for (auto& [body, id] : acked) {
    auto it = found.find(body);
    if (it == found.end() || it->second != id) ++missing;
  }
  EXPECT_EQ(missing, 0u) << "of " << acked.size() << " acknowledged events";
  EXPECT_GT(errors.load(), 0);
}

}  // namespace
}  // namespace esimgo::callbacks
