// Concurrency, restarts, fault injection (incl. the SDK's safe-order reconciliation) and
// the rate limit.

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "sandbox_fixture.h"

namespace esimgo::testing {
namespace {

constexpr char kCheap[] = "esim_1GB_7D_AX_V2";

TEST(SandboxConcurrency, FiftySimultaneousOrdersWithBalanceForTwentyExactlyTwentySucceed) {
  // One worker per client connection, so no request waits behind an idle keep-alive one.
  auto sb = StartSandbox({.rate_limit = 0, .threads = 64});
  ASSERT_NE(sb, nullptr);
  Client client = MakeClient(sb->base_url());
  auto b = client.catalogue().Get(kCheap);
  ASSERT_TRUE(b);
  // Each order costs just under $500, so $10,000 pays for exactly 20 of them.
  int q = static_cast<int>(Money::FromUnits(500).micros() / b->price.micros());
  Money cost = b->price * q;
  ASSERT_LE(cost * 20, Money::FromUnits(10'000));
  ASSERT_GT(cost * 21, Money::FromUnits(10'000));

  std::atomic<int> ok{0}, refused{0}, other{0}, reconciled{0};
  std::mutex errors_mu;
  std::string errors;  // what the unexpected failures were, for the failure message
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i) {
    threads.emplace_back([&] {
      auto o = client.orders().Create({.order = {{.item = kCheap, .quantity = q}}});
      if (o) {
        ++ok;
        if (o->reconciled) ++reconciled;
      } else if (o.error().http_status == 400) {
        ++refused;
      } else {
        ++other;
        std::lock_guard<std::mutex> lock(errors_mu);
        errors += o.error().ToString() + "\n";
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 20);
  EXPECT_EQ(refused.load(), 30) << errors;
  EXPECT_EQ(other.load(), 0) << errors;
  EXPECT_EQ(reconciled.load(), 0);  // every answer arrived: nothing had to be reconciled
  auto org = client.organisation().Get();
  ASSERT_TRUE(org);
  EXPECT_EQ(org->balance, Money::FromUnits(10'000) - cost * 20);
  EXPECT_GE(org->balance, Money());
  Raw raw(sb->port());
  auto st = nlohmann::json::parse(raw.Get("/_sandbox/state")->body);
  EXPECT_TRUE(st["ledgerBalanced"].get<bool>());
  EXPECT_EQ(st["orders"].get<int>(), 20);
}

std::string TempDb() {
  auto path = std::filesystem::temp_directory_path() /
              ("esimgo-sandbox-it-" + std::to_string(::getpid()) + "-" +
               std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + ".db");
  return path.string();
}

TEST(SandboxDurability, RestartWithTheSameDatabaseKeepsAllState) {
  const std::string db = TempDb();
  std::string iccid, order_ref;
  Money balance;
  {
    auto sb = StartSandbox({.db_path = db, .rate_limit = 0});
    ASSERT_NE(sb, nullptr);
    Client client = MakeClient(sb->base_url());
    auto o = client.orders().Create({.assign = true, .order = {{.item = kCheap}}});
    ASSERT_TRUE(o) << o.error().ToString();
    iccid = o->order[0].iccids[0];
    order_ref = o->order_reference;
    ASSERT_TRUE(client.orders().Create({.order = {{.item = kCheap, .quantity = 3}}}));
    ASSERT_TRUE(client.organisation().TopUp(Money::FromUnits(1500)));
    ASSERT_TRUE(client.esims().Update(iccid, "kept"));
    Raw raw(sb->port());
    ASSERT_EQ(raw.Post("/_sandbox/usage", R"({"iccid":")" + iccid + R"(","bytes":5000})")->status,
              200);
    balance = client.organisation().Get()->balance;
    sb->Stop();
  }
  auto sb = StartSandbox({.db_path = db, .rate_limit = 0});
  ASSERT_NE(sb, nullptr);
  Client client = MakeClient(sb->base_url());
  EXPECT_EQ(client.organisation().Get()->balance, balance);
  auto o = client.orders().Get(order_ref);
  ASSERT_TRUE(o) << o.error().ToString();
  auto d = client.esims().Get(iccid);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->customer_ref, "kept");
  EXPECT_EQ(d->profile_status, "Installed");
  auto s = client.esims().GetBundle(iccid, kCheap);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->at(0).bundle_state.value, BundleState::kActive);
  EXPECT_EQ(s->at(0).remaining_quantity, 1'000'000'000 - 5000);
  auto inv = client.inventory().Get();
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->bundles.at(0).available.at(0).remaining, 3);
  auto list = client.orders().List({.limit = 10});
  ASSERT_TRUE(list);
  EXPECT_EQ(list->items.size(), 2u);
  // The top-up counted against today's limit before the restart too.
  EXPECT_FALSE(client.organisation().TopUp(Money::FromUnits(4000)));
  // New eSIMs do not reuse ICCIDs.
  auto o2 = client.orders().Create({.assign = true, .order = {{.item = kCheap}}});
  ASSERT_TRUE(o2);
  EXPECT_NE(o2->order[0].iccids[0], iccid);
  Raw raw(sb->port());
  EXPECT_TRUE(
      nlohmann::json::parse(raw.Get("/_sandbox/state")->body)["ledgerBalanced"].get<bool>());
  sb->Stop();
  std::filesystem::remove(db);
  std::filesystem::remove(db + "-wal");
  std::filesystem::remove(db + "-shm");
}

TEST(SandboxFaults, CommitThenDropIsReconciledAndChargedOnce) {
  auto sb = StartSandbox({.rate_limit = 0, .faults = "POST /orders=commit-then-drop:1"});
  ASSERT_NE(sb, nullptr);
  Client client = MakeClient(sb->base_url());
  auto price = client.catalogue().Get(kCheap)->price;
  auto o = client.orders().Create({.order = {{.item = kCheap, .quantity = 2}}});
  ASSERT_TRUE(o) << o.error().ToString();
  EXPECT_TRUE(o->reconciled);
  EXPECT_FALSE(o->order_reference.empty());
  auto list = client.orders().List({.limit = 10});
  ASSERT_TRUE(list);
  EXPECT_EQ(list->items.size(), 1u);
  EXPECT_EQ(client.organisation().Get()->balance, Money::FromUnits(10'000) - price * 2);
  // The fault was used up: the next order answers normally.
  auto next = client.orders().Create({.order = {{.item = kCheap}}});
  ASSERT_TRUE(next);
  EXPECT_FALSE(next->reconciled);
}

TEST(SandboxFaults, DroppedReadsAnd503AreRetriedByTheSdk) {
  auto sb = StartSandbox(
      {.rate_limit = 0, .faults = "GET /catalogue=503-0:2, GET /organisation/groups=drop:1"});
  ASSERT_NE(sb, nullptr);
  Client client = MakeClient(sb->base_url());
  auto page = client.catalogue().List({.per_page = 10});
  ASSERT_TRUE(page) << page.error().ToString();
  EXPECT_EQ(page->bundles.size(), 10u);
  auto groups = client.organisation().Groups();
  ASSERT_TRUE(groups) << groups.error().ToString();
}

TEST(SandboxFaults, AdminEndpointSetsFaultsWithCountsAndRejectsBadSpecs) {
  auto sb = StartSandbox({.rate_limit = 0});
  ASSERT_NE(sb, nullptr);
  Raw raw(sb->port());
  auto bad = raw.Post("/_sandbox/faults", R"({"spec":"GET /organisation=teapot"})");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("teapot"), std::string::npos);
  ASSERT_EQ(
      raw.Post("/_sandbox/faults", R"({"spec":"GET /organisation=500:1, GET /esims/*=429-7"})")
          ->status,
      200);
  auto first = raw.Get("/v2.4/organisation");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 500);
  EXPECT_EQ(raw.Get("/v2.4/organisation")->status, 200);
  auto limited = raw.Get("/v2.4/esims/123");
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("Retry-After"), "7");
  // Bad sandbox options are refused up front.
  auto s = sandbox::Sandbox::Start({.faults = "nonsense"});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
}

TEST(SandboxRateLimit, FixedWindowPerIpAnswers429WithHeaders) {
  auto sb = StartSandbox({.rate_limit = 5});
  ASSERT_NE(sb, nullptr);
  Raw raw(sb->port());
  int limited = 0;
  for (int i = 0; i < 12; ++i) {
    auto r = raw.Get("/v2.4/organisation/groups");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->get_header_value("X-Ratelimit-Limit"), "5");
    EXPECT_FALSE(r->get_header_value("X-Ratelimit-Reset").empty());
    if (r->status == 429) {
      ++limited;
      EXPECT_EQ(r->get_header_value("Retry-After"), "1");
      EXPECT_EQ(r->body, R"({"message":"Rate limit exceeded"})");
    }
  }
  EXPECT_GE(limited, 1);
}

TEST(SandboxAdmin, ResetRestoresTheSeededState) {
  auto sb = StartSandbox({.rate_limit = 0});
  ASSERT_NE(sb, nullptr);
  Client client = MakeClient(sb->base_url());
  ASSERT_TRUE(client.orders().Create({.assign = true, .order = {{.item = kCheap}}}));
  Raw raw(sb->port());
  ASSERT_EQ(raw.Post("/_sandbox/reset", "{}")->status, 200);
  EXPECT_EQ(client.organisation().Get()->balance, Money::FromUnits(10'000));
  auto list = client.esims().List();
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->items.empty());
  Raw bad(sb->port(), "wrong");
  EXPECT_EQ(bad.Post("/_sandbox/reset", "{}")->status, 403);
}

}  // namespace
}  // namespace esimgo::testing
