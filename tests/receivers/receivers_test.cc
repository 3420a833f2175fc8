// Receivers end to end (issue 11): real `esimgo callbacks listen` processes against a throwaway
// PostgreSQL 15 cluster this binary starts itself (tests/callbacks/pg_harness.h; fsync on).
// Several receivers on one database store each distinct callback once, answer 2xx only after
// COMMIT, survive kill -9 and a database crash without losing an acknowledged callback, answer
// 503 + Retry-After while the database is down, run hooks again after their runner dies,
// expose parseable metrics, and drain on SIGTERM.

#include <libpq-fe.h>

#include <atomic>
#include <cmath>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "pg_harness.h"
#include "receiver_process.h"

namespace esimgo_receivers_test {
namespace {

using esimgo::testing::PgCluster;
using nlohmann::json;
using namespace std::chrono_literals;

class Receivers : public ::testing::Test {
 protected:
  void SetUp() override {
    pg_ = &PgCluster::Shared();
    ASSERT_TRUE(pg_->ok()) << pg_->error();
    conninfo_ = pg_->NewDatabase();
    ASSERT_FALSE(conninfo_.empty()) << pg_->error();
    // The receiver takes a libpq keyword string as well as a URL; use the URL form (the one
    // operators type).
    url_ = pg_->Url(conninfo_.substr(conninfo_.find("dbname=") + 7));
  }
  void TearDown() override {
    // A test that stopped or crashed the cluster leaves it running for the next one.
    if (pg_->Query(conninfo_, "SELECT 1") != "1") pg_->Start();
  }

  int64_t Rows(const std::string& where = "true") {
    std::string n =
        pg_->Query(conninfo_, "SELECT count(*) FROM esimgo.callback_events WHERE " + where);
    return n.empty() || n.rfind("ERROR", 0) == 0 ? -1 : std::stoll(n);
  }

  PgCluster* pg_ = nullptr;
  std::string conninfo_;
  std::string url_;
  TempDir dir_;
};

TEST_F(Receivers, ThreeReceiversOnOneDatabaseStoreEachDistinctCallbackOnceAndAnswerAll2xx) {
  std::vector<std::unique_ptr<Receiver>> rs;
  for (int i = 0; i < 3; ++i) {
    rs.push_back(
        std::make_unique<Receiver>(dir_.path(), "r" + std::to_string(i), url_,
                                   std::vector<std::string>{"--require-signature", "--quiet"}));
    ASSERT_GT(rs.back()->port(), 0) << rs.back()->err();
  }
  constexpr int kDistinct = 150, kCopies = 4, kThreads = 12;
  // Every copy of every body, shuffled, so copies of one body race each other across receivers.
  std::vector<int> sends;
  for (int n = 0; n < kDistinct; ++n) {
    for (int c = 0; c < kCopies; ++c) sends.push_back(n);
  }
  std::shuffle(sends.begin(), sends.end(), std::mt19937(42));
  std::atomic<std::size_t> next{0};
  std::atomic<int> ok{0}, stored{0}, not_ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t));
      std::vector<std::unique_ptr<httplib::Client>> clients;
      for (auto& r : rs) clients.push_back(ClientFor(r->port()));
      for (std::size_t i; (i = next++) < sends.size();) {
        auto& c = *clients[rng() % clients.size()];
        auto res = PostSigned(c, Body(sends[i], "three"));
        if (res && res->status == 200) {
          ++ok;
          if (json::parse(res->body)["status"] == "stored") ++stored;
        } else {
          ++not_ok;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(not_ok.load(), 0);
  EXPECT_EQ(ok.load(), kDistinct * kCopies);
  EXPECT_EQ(stored.load(), kDistinct);  // exactly one "stored" answer per distinct body
  EXPECT_EQ(Rows(), kDistinct);
  // Each row knows which receiver stored it; all three took part.
  EXPECT_EQ(pg_->Query(conninfo_, "SELECT count(DISTINCT receiver) FROM esimgo.callback_events"),
            "3");
  for (auto& r : rs) EXPECT_EQ(r->Terminate(), 0) << r->err();
}

TEST_F(Receivers, ARepeatAfterTheDedupeWindowIsStoredAsANewEvent) {
  Receiver r(dir_.path(), "r", url_, {"--dedupe-window", "1s", "--quiet"});
  ASSERT_GT(r.port(), 0) << r.err();
  auto c = ClientFor(r.port());
  // CountryChange: eSIM Go sends the identical body again every 24 h while the eSIM stays.
  std::string body = R"({"alertType":"CountryChange","iccid":"8944000000000000042",)"
                     R"("country":{"code":"FR","name":"France"}})";
  auto first = PostSigned(*c, body);
  ASSERT_TRUE(first);
  EXPECT_EQ(json::parse(first->body)["status"], "stored");
  auto again = PostSigned(*c, body);
  ASSERT_TRUE(again);
  EXPECT_EQ(json::parse(again->body)["status"], "duplicate");
  // The window is measured by the database clock: nothing to fake, so wait it out (sliding:
  // the redelivery above restarted it).
  std::this_thread::sleep_for(1500ms);
  auto later = PostSigned(*c, body);
  ASSERT_TRUE(later);
  EXPECT_EQ(json::parse(later->body)["status"], "stored") << later->body;
  EXPECT_EQ(Rows(), 2);
}

TEST_F(Receivers, EveryAcknowledgedCallbackSurvivesAKilledReceiverAndACrashedDatabase) {
  Receiver a(dir_.path(), "a", url_, {"--quiet"});
  Receiver b(dir_.path(), "b", url_, {"--quiet"});
  ASSERT_GT(a.port(), 0) << a.err();
  ASSERT_GT(b.port(), 0) << b.err();
  std::atomic<bool> stop{false};
  std::atomic<int> counter{0};
  std::mutex mu;
  std::set<std::string> acked;  // iccids of bodies answered 2xx
  int refused = 0, wrong = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto ca = ClientFor(a.port());
      auto cb = ClientFor(b.port());
      while (!stop) {
        int n = counter++;
        std::string body = Body(n, "crash");
        auto res = PostSigned(t % 2 ? *ca : *cb, body);
        std::lock_guard lock(mu);
        if (res && res->status == 200) {
          acked.insert(json::parse(body)["iccid"].get<std::string>());
        } else if (!res || res->status == 503) {
          ++refused;  // not acknowledged: the sender would retry
        } else {
          ++wrong;
        }
      }
    });
  }
  auto acked_now = [&] {
    std::lock_guard lock(mu);
    return acked.size();
  };
  ASSERT_TRUE(Eventually([&] { return acked_now() >= 200; })) << a.err() << b.err();
  a.Kill9();  // mid-load: requests in flight on it get no answer
  std::size_t before_crash = acked_now();
  ASSERT_TRUE(Eventually([&] { return acked_now() >= before_crash + 200; })) << b.err();
  ASSERT_TRUE(pg_->Crash());  // power cut for PostgreSQL while b has batches in flight
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(pg_->Start());
  std::size_t after_restart = acked_now();
  EXPECT_TRUE(Eventually([&] { return acked_now() >= after_restart + 100; }))
      << "b did not recover after the database came back: " << b.err();
  stop = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_GT(refused, 0) << "the crash was never observed";
  // Every acknowledged callback is in the store.
  std::set<std::string> in_store;
  PGconn* conn = PQconnectdb(conninfo_.c_str());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PGresult* r = PQexec(conn, "SELECT iccid FROM esimgo.callback_events");
  ASSERT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQerrorMessage(conn);
  for (int i = 0; i < PQntuples(r); ++i) in_store.insert(PQgetvalue(r, i, 0));
  PQclear(r);
  PQfinish(conn);
  std::vector<std::string> lost;
  for (const auto& i : acked) {
    if (!in_store.count(i)) lost.push_back(i);
  }
  EXPECT_TRUE(lost.empty()) << lost.size() << " acknowledged callbacks are missing, e.g. "
                            << lost.front();
  EXPECT_EQ(static_cast<std::size_t>(Rows()), in_store.size());  // and none twice
  EXPECT_EQ(b.Terminate(), 0) << b.err();
}

TEST_F(Receivers, WhileTheDatabaseIsDownCallbacksGet503WithRetryAfterNever2xxAndThenRecover) {
  Receiver r(dir_.path(), "r", url_, {"--quiet"});
  ASSERT_GT(r.port(), 0) << r.err();
  auto c = ClientFor(r.port());
  auto ready = [&] {
    auto res = c->Get("/readyz");
    return res ? res->status : -1;
  };
  ASSERT_TRUE(Eventually([&] { return ready() == 200; })) << r.err();
  ASSERT_TRUE(pg_->Stop());
  EXPECT_TRUE(Eventually([&] { return ready() == 503; })) << "readyz still 200 with PG down";
  for (int i = 0; i < 5; ++i) {
    auto res = PostSigned(*c, Body(i, "down"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 503) << res->body;
    EXPECT_TRUE(res->has_header("Retry-After"));
    EXPECT_GE(std::stoi(res->get_header_value("Retry-After")), 1);
  }
  EXPECT_EQ(c->Get("/healthz")->status, 200);  // alive, just not ready
  ASSERT_TRUE(pg_->Start());
  EXPECT_TRUE(Eventually([&] {
    auto res = PostSigned(*c, Body(0, "down"));
    return res && res->status == 200;
  })) << r.err();
  EXPECT_TRUE(Eventually([&] { return ready() == 200; }));
  EXPECT_EQ(Rows(), 1);
  EXPECT_EQ(r.Terminate(), 0) << r.err();
}

TEST_F(Receivers, AHookRunsAgainAfterItsRunnerIsKilled) {
  fs::path runs = dir_.path() / "runs.txt";
  // The first runner's hook records the event and then hangs: killed with its runner.
  std::string slow = "echo \"$ESIMGO_EVENT_ID\" >> " + runs.string() + "; sleep 30";
  Receiver r(dir_.path(), "r", url_, {"--exec", slow, "--hook-lease", "1s", "--quiet"});
  ASSERT_GT(r.port(), 0) << r.err();
  auto c = ClientFor(r.port());
  auto res = PostSigned(*c, Body(1, "hook"));
  ASSERT_TRUE(res && res->status == 200);
  std::string id = std::to_string(json::parse(res->body)["id"].get<int64_t>());
  ASSERT_TRUE(Eventually([&] { return ReadFile(runs) == id + "\n"; })) << r.err();
  r.Kill9();
  // A separate worker takes the hook over once the dead runner's lease has run out.
  std::string fast = "echo \"$ESIMGO_EVENT_ID\" >> " + runs.string() + "; cat > /dev/null";
  pid_t worker = Spawn({"--api-key", kKey, "callbacks", "hooks", "run", "--store", url_, "--exec",
                        fast, "--lease", "1s"},
                       dir_.path(), "worker");
  EXPECT_TRUE(Eventually([&] { return ReadFile(runs) == id + "\n" + id + "\n"; }))
      << ReadFile(runs) << ReadFile(dir_.path() / "worker.err");
  EXPECT_TRUE(Eventually([&] {
    return pg_->Query(conninfo_, "SELECT state FROM esimgo.hook_queue WHERE event_id = " + id) ==
           "done";
  }));
  kill(worker, SIGTERM);
  EXPECT_EQ(WaitExit(worker), 0);
}

std::vector<int64_t> TailIds(const fs::path& dir, const std::string& url,
                             const std::string& consumer) {
  Run t = RunCli({"-o", "json", "callbacks", "tail", "--store", url, "--consumer", consumer}, dir);
  EXPECT_EQ(t.code, 0) << t.err;
  std::vector<int64_t> ids;
  std::istringstream in(t.out);
  for (std::string l; std::getline(in, l);) ids.push_back(json::parse(l)["id"]);
  return ids;
}

TEST_F(Receivers, TailReadsBothReceiversAndANamedConsumerGetsARowThatCommittedLate) {
  Receiver a(dir_.path(), "a", url_, {"--quiet"});
  Receiver b(dir_.path(), "b", url_, {"--quiet"});
  ASSERT_GT(a.port(), 0) << a.err();
  ASSERT_GT(b.port(), 0) << b.err();
  auto ca = ClientFor(a.port());
  auto cb = ClientFor(b.port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(PostSigned(*ca, Body(i, "tail-a"))->status, 200);
    ASSERT_EQ(PostSigned(*cb, Body(i, "tail-b"))->status, 200);
  }
  EXPECT_EQ(TailIds(dir_.path(), url_, "c").size(), 6u);
  // A transaction takes an id and stays open while receivers commit later rows…
  PGconn* slow = PQconnectdb(conninfo_.c_str());
  ASSERT_EQ(PQstatus(slow), CONNECTION_OK) << PQerrorMessage(slow);
  PGresult* r = PQexec(slow,
                       "BEGIN; INSERT INTO esimgo.callback_events (source, dedupe_key, verified, "
                       "receiver, body) VALUES ('default', '\\x00', false, 'late', '\\x7b7d') "
                       "RETURNING id");
  ASSERT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQerrorMessage(slow);
  int64_t late = std::stoll(PQgetvalue(r, 0, 0));
  PQclear(r);
  ASSERT_EQ(PostSigned(*ca, Body(10, "tail-a"))->status, 200);
  ASSERT_EQ(PostSigned(*cb, Body(10, "tail-b"))->status, 200);
  // …so the consumer reads nothing past it yet (a plain id cursor would skip the late row)…
  std::vector<int64_t> before = TailIds(dir_.path(), url_, "c");
  EXPECT_TRUE(before.empty()) << before.size() << " rows read past an open transaction";
  r = PQexec(slow, "COMMIT");
  PQclear(r);
  PQfinish(slow);
  // …and gets the late row and the later ones once it committed.
  std::vector<int64_t> after = TailIds(dir_.path(), url_, "c");
  EXPECT_EQ(after.size(), 3u);
  EXPECT_NE(std::find(after.begin(), after.end(), late), after.end());
  EXPECT_TRUE(TailIds(dir_.path(), url_, "c").empty());  // and not again
  EXPECT_EQ(a.Terminate(), 0);
  EXPECT_EQ(b.Terminate(), 0);
}

// A strict parser of the Prometheus text format 0.0.4: every line is a HELP, a TYPE (once per
// family, before its samples) or a sample `name{label="value",…} value`; names and label names
// match the format's grammar, label values use only its escapes, values are floats (+Inf,
// -Inf, NaN allowed); a histogram's buckets carry `le`, are cumulative and end with +Inf equal
// to _count, and it has a _sum. Returns {"name{labels}": value} or {"error": why}.
json ParseMetrics(const std::string& text) {
  auto bad = [](const std::string& why, const std::string& line) {
    return json{{"error", why + ": " + line}};
  };
  auto is_name = [](const std::string& n, bool colon) {
    if (n.empty() || std::isdigit(static_cast<unsigned char>(n[0]))) return false;
    for (char c : n) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (colon && c == ':'))) {
        return false;
      }
    }
    return true;
  };
  json out = json::object();
  std::map<std::string, std::string> types;
  std::map<std::string, std::vector<std::pair<double, double>>> buckets;  // family → (le, n)
  std::map<std::string, double> counts;
  std::set<std::string> sums;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    if (line.rfind("# ", 0) == 0) {
      std::istringstream l(line.substr(2));
      std::string kind, name, rest;
      l >> kind >> name;
      if (!is_name(name, true)) return bad("bad metric name", line);
      if (kind == "TYPE") {
        l >> rest;
        static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary",
                                                     "untyped"};
        if (!kTypes.count(rest)) return bad("bad type", line);
        if (types.count(name)) return bad("TYPE twice", line);
        types[name] = rest;
      } else if (kind != "HELP") {
        return bad("unknown comment", line);
      }
      continue;
    }
    std::size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    std::string name = line.substr(0, i);
    if (!is_name(name, true)) return bad("bad sample name", line);
    std::map<std::string, std::string> labels;
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        std::size_t eq = line.find('=', i);
        if (eq == std::string::npos) return bad("label without =", line);
        std::string lname = line.substr(i, eq - i);
        if (!is_name(lname, false)) return bad("bad label name", line);
        if (eq + 1 >= line.size() || line[eq + 1] != '"') return bad("unquoted label", line);
        std::string value;
        std::size_t j = eq + 2;
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\') {
            ++j;
            if (j >= line.size() || (line[j] != '\\' && line[j] != '"' && line[j] != 'n')) {
              return bad("bad escape", line);
            }
          }
          value += line[j];
        }
        if (j >= line.size()) return bad("unterminated label value", line);
        labels[lname] = value;
        i = j + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size()) return bad("unterminated labels", line);
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') return bad("no value", line);
    std::string value_text = line.substr(i + 1);
    double value = 0;
    if (value_text == "+Inf") {
      value = INFINITY;
    } else if (value_text == "-Inf") {
      value = -INFINITY;
    } else if (value_text == "NaN") {
      value = NAN;
    } else {
      std::size_t used = 0;
      try {
        value = std::stod(value_text, &used);
      } catch (...) {
        return bad("bad value", line);
      }
      if (used != value_text.size()) return bad("trailing text after the value", line);
    }
    // The family a sample belongs to, and what a histogram's samples must look like.
    std::string family = name;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      std::string sfx = suffix;
      if (name.size() > sfx.size() && name.ends_with(sfx) &&
          types.count(name.substr(0, name.size() - sfx.size())) &&
          types[name.substr(0, name.size() - sfx.size())] == "histogram") {
        family = name.substr(0, name.size() - sfx.size());
      }
    }
    if (!types.count(family)) return bad("sample before its TYPE", line);
    if (types[family] == "histogram") {
      if (family == name) return bad("histogram sample without a suffix", line);
      if (name.ends_with("_bucket")) {
        if (!labels.count("le")) return bad("bucket without le", line);
        double le = labels["le"] == "+Inf" ? INFINITY : std::stod(labels["le"]);
        auto& b = buckets[family];
        if (!b.empty() && (le <= b.back().first || value < b.back().second)) {
          return bad("buckets not ascending and cumulative", line);
        }
        b.emplace_back(le, value);
      } else if (name.ends_with("_count")) {
        counts[family] = value;
      } else {
        sums.insert(family);
      }
    }
    json lj = json::object();
    for (const auto& [k, v] : labels) lj[k] = v;
    out[name + lj.dump()] = value;
  }
  for (const auto& [family, type] : types) {
    if (type != "histogram") continue;
    auto& b = buckets[family];
    if (b.empty() || !std::isinf(b.back().first)) return bad("no +Inf bucket", family);
    if (!counts.count(family) || counts[family] != b.back().second) {
      return bad("+Inf bucket differs from _count", family);
    }
    if (!sums.count(family)) return bad("no _sum", family);
  }
  return out;
}

TEST(MetricsParser, RejectsWhatPrometheusWouldReject) {
  EXPECT_FALSE(ParseMetrics("# TYPE a counter\na 1\n").contains("error"));
  EXPECT_TRUE(ParseMetrics("a 1\n").contains("error"));  // no TYPE
  EXPECT_TRUE(ParseMetrics("# TYPE a counter\na{x=\"1} 1\n").contains("error"));
  EXPECT_TRUE(ParseMetrics("# TYPE a counter\na one\n").contains("error"));
  EXPECT_TRUE(ParseMetrics("# TYPE 1a counter\n1a 1\n").contains("error"));
  EXPECT_TRUE(ParseMetrics("# TYPE h histogram\nh_bucket{le=\"1\"} 2\n"
                           "h_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n")
                  .contains("error"));  // not cumulative
  EXPECT_TRUE(ParseMetrics("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\n"
                           "h_count 1\n")
                  .contains("error"));  // +Inf != count
}

TEST_F(Receivers, MetricsParseCountResultsAndTheKeySlotThatVerified) {
  Receiver r(dir_.path(), "r", url_,
             {"--require-signature", "--previous-api-key", kOldKey, "--quiet"});
  ASSERT_GT(r.port(), 0) << r.err();
  auto c = ClientFor(r.port());
  ASSERT_EQ(PostSigned(*c, Body(1, "m"))->status, 200);
  ASSERT_EQ(PostSigned(*c, Body(1, "m"))->status, 200);  // duplicate
  ASSERT_EQ(PostSigned(*c, Body(2, "m"), kOldKey)->status, 200);
  ASSERT_EQ(PostSigned(*c, Body(3, "m"), "some-other-key")->status, 401);
  ASSERT_EQ(c->Post("/callback", Body(4, "m"), "application/json")->status, 401);
  auto res = c->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u);
  json m = ParseMetrics(res->body);
  ASSERT_FALSE(m.contains("error")) << m["error"] << res->body;
  auto v = [&](const std::string& key) { return m.value(key, -1.0); };
  EXPECT_EQ(v(R"(esimgo_callbacks_received_total{"result":"stored"})"), 2);
  EXPECT_EQ(v(R"(esimgo_callbacks_received_total{"result":"duplicate"})"), 1);
  EXPECT_EQ(v(R"(esimgo_callbacks_received_total{"result":"bad_signature"})"), 1);
  EXPECT_EQ(v(R"(esimgo_callbacks_received_total{"result":"unsigned"})"), 1);
  EXPECT_EQ(v(R"(esimgo_callback_signature_total{"key":"current"})"), 2);
  EXPECT_EQ(v(R"(esimgo_callback_signature_total{"key":"previous"})"), 1);
  EXPECT_EQ(v(R"(esimgo_callbacks_alerts_total{"alert_type":"Utilisation"})"), 2);
  EXPECT_EQ(v(R"(esimgo_callback_ack_seconds_count{})"), 3);
  EXPECT_EQ(v(R"(esimgo_build_info{"version":")" ESIMGO_VERSION_STRING R"("})"), 1);
  EXPECT_TRUE(m.contains(R"(esimgo_store_queue_depth{})"));
  // The stored row records the slot too: 0 current, 1 previous.
  EXPECT_EQ(pg_->Query(conninfo_,
                       "SELECT string_agg(key_slot::text, ',' ORDER BY id) FROM "
                       "esimgo.callback_events"),
            "0,1");
  EXPECT_EQ(r.Terminate(), 0);
}

TEST_F(Receivers, SigtermMakesReadyz503KeepsStoringThroughTheGraceThenExitsZero) {
  Receiver r(dir_.path(), "r", url_, {"--drain-grace", "2s", "--quiet"});
  ASSERT_GT(r.port(), 0) << r.err();
  auto c = ClientFor(r.port());
  ASSERT_TRUE(Eventually([&] {
    auto res = c->Get("/readyz");
    return res && res->status == 200;
  }));
  kill(r.pid(), SIGTERM);
  EXPECT_TRUE(Eventually([&] {
    auto res = c->Get("/readyz");
    return res && res->status == 503 && res->body.find("\"draining\":true") != std::string::npos;
  }));
  auto res = PostSigned(*c, Body(7, "drain"));  // still inside the grace period
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(r.Wait(), 0) << r.err();
  EXPECT_EQ(Rows(), 1);
}

}  // namespace
}  // namespace esimgo_receivers_test
