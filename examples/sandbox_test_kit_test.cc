// The users' test kit: test YOUR code against the in-process sandbox, as a GoogleTest file to
// copy into your own suite. Each test gets a fresh sandbox on a free loopback port (in memory,
// nothing to clean up) and a Client pointed at it; the sandbox's admin endpoints let the test
// inject faults, move the clock, simulate data usage and read the callbacks it delivered. The
// last test shows the same without a socket (`listen = false`, `InProcessTransport()`).
//
// Link: esimgo::sandbox esimgo::sdk GTest::gtest_main, plus nlohmann_json to read the admin
// answers. Admin endpoints and fault specs: docs/sandbox.md.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "esimgo/esimgo.h"
#include "esimgo/sandbox/sandbox.h"
#include "esimgo/webhook.h"

namespace {

constexpr char kKey[] = "test-kit-key";
constexpr char kBundle[] = "esim_1GB_7D_GB_V2";  // 1 GB for 7 days, in the sandbox's rate sheet
constexpr int64_t kOneGb = 1'000'000'000;        // bundle quantities are bytes, 1 GB = 10^9

// ---- the code under test: stands for your shop's logic ------------------------------------

// Sells one eSIM with `bundle` and returns its ICCID.
esimgo::Result<std::string> SellEsim(const esimgo::Client& client, const std::string& bundle) {
  auto order = client.orders().Create({.assign = true, .order = {{.item = bundle}}});
  if (!order) return tl::unexpected(order.error());
  if (order->order.empty() || order->order[0].iccids.empty()) {
    return esimgo::Fail(esimgo::ErrorCode::kDecode, "the order assigned no eSIM");
  }
  return order->order[0].iccids[0];
}

// ---- the kit ------------------------------------------------------------------------------

// The sandbox's admin endpoints (`/_sandbox/…`, same API key), through an SDK transport.
class SandboxAdmin {
 public:
  // Over HTTP, to a sandbox listening on a loopback port.
  SandboxAdmin(const esimgo::sandbox::Sandbox& sandbox, std::string key)
      : SandboxAdmin(esimgo::MakeCurlTransport(),
                     "http://127.0.0.1:" + std::to_string(sandbox.port()), std::move(key)) {}
  // Through any transport, e.g. a socket-less sandbox's `InProcessTransport()`. `root` is the
  // base URL without its version segment.
  SandboxAdmin(std::shared_ptr<esimgo::Transport> transport, std::string root, std::string key)
      : root_(std::move(root)), key_(std::move(key)), transport_(std::move(transport)) {}

  // Replaces the fault rules, e.g. "POST /orders=commit-then-drop:1" ("" clears them).
  void InjectFaults(const std::string& spec) { Post("/_sandbox/faults", {{"spec", spec}}); }
  // Moves the sandbox clock forward; time-driven changes (expiry, ...) happen at once.
  void AdvanceClock(std::chrono::seconds by) {
    Post("/_sandbox/clock", {{"advanceSeconds", by.count()}});
  }
  // The eSIM uses `bytes` of data (the first use starts its queued bundle).
  void UseData(const std::string& iccid, int64_t bytes) {
    Post("/_sandbox/usage", {{"iccid", iccid}, {"bytes", bytes}});
  }
  // Every alert the sandbox raised, in order, parsed as your receiver would parse it. Alerts
  // are recorded even with no callback URL; `wait` first lets queued deliveries finish.
  std::vector<esimgo::webhook::Alert> Alerts() {
    std::vector<esimgo::webhook::Alert> alerts;
    const auto answer = Get("/_sandbox/callbacks?wait=2000");
    EXPECT_TRUE(answer.contains("deliveries")) << answer.dump();
    for (const auto& delivery : answer.value("deliveries", nlohmann::json::array())) {
      // Retried deliveries repeat the alert: keep the first attempt of each.
      if (delivery["attempt"].get<int>() > 1) continue;
      // The body is embedded as JSON (it is always an alert object).
      const auto& body = delivery["body"];
      auto alert =
          esimgo::webhook::ParseAlert(body.is_string() ? body.get<std::string>() : body.dump());
      EXPECT_TRUE(alert) << alert.error().ToString();
      if (alert) alerts.push_back(std::move(*alert));
    }
    return alerts;
  }
  // A summary of the state: balance, whether the ledger balances, counts.
  nlohmann::json State() { return Get("/_sandbox/state"); }
  // The fault rules not yet used up (a rule with a count is dropped after its last use).
  size_t FaultRulesLeft() { return Get("/_sandbox/faults")["rules"].size(); }

 private:
  nlohmann::json Send(const std::string& method, const std::string& path, std::string body) {
    auto response =
        transport_->Send({.method = method,
                          .url = root_ + path,
                          .headers = {{"X-API-Key", key_}, {"Content-Type", "application/json"}},
                          .body = std::move(body)});
    if (!response) {
      ADD_FAILURE() << method << " " << path << ": " << response.error().ToString();
      return {};
    }
    EXPECT_EQ(response->status, 200) << method << " " << path << ": " << response->body;
    return nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  }
  nlohmann::json Post(const std::string& path, const nlohmann::json& body) {
    return Send("POST", path, body.dump());
  }
  nlohmann::json Get(const std::string& path) { return Send("GET", path, ""); }

  std::string root_;
  std::string key_;
  std::shared_ptr<esimgo::Transport> transport_;
};

// A fresh sandbox and a client for every test.
class ShopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // rate_limit 0: tests are not throttled. A fixed seed gives the same ICCIDs every run.
    auto started = esimgo::sandbox::Sandbox::Start({.api_key = kKey, .rate_limit = 0, .seed = 7});
    ASSERT_TRUE(started) << started.error().ToString();
    sandbox_ = std::move(*started);
    esimgo::ClientOptions options{.api_key = kKey, .base_url = sandbox_->base_url()};
    options.requests_per_second = 0;                               // no client-side throttle
    options.retry.initial_backoff = std::chrono::milliseconds(1);  // retries without waiting
    options.retry.max_backoff = std::chrono::milliseconds(5);
    client_ = std::make_unique<esimgo::Client>(std::move(options));
    admin_ = std::make_unique<SandboxAdmin>(*sandbox_, kKey);
  }

  esimgo::Money Balance() {
    auto org = client_->organisation().Get();
    EXPECT_TRUE(org) << org.error().ToString();
    return org ? org->balance : esimgo::Money();
  }
  esimgo::BundleState StateOf(const std::string& iccid) {
    auto bundles = client_->esims().ListBundles(iccid, {.include_used = true});
    EXPECT_TRUE(bundles) << bundles.error().ToString();
    if (!bundles || bundles->empty() || (*bundles)[0].assignments.empty()) {
      return esimgo::BundleState::kUnknown;
    }
    return (*bundles)[0].assignments[0].bundle_state.value;
  }

  std::unique_ptr<esimgo::sandbox::Sandbox> sandbox_;
  std::unique_ptr<esimgo::Client> client_;
  std::unique_ptr<SandboxAdmin> admin_;
};

TEST_F(ShopTest, SellingAnEsimChargesTheBundlePriceOnce) {
  const esimgo::Money before = Balance();
  auto price = client_->catalogue().Get(kBundle);
  ASSERT_TRUE(price) << price.error().ToString();

  auto iccid = SellEsim(*client_, kBundle);
  ASSERT_TRUE(iccid) << iccid.error().ToString();

  EXPECT_EQ(Balance(), before - price->price);
  EXPECT_TRUE(admin_->State()["ledgerBalanced"].get<bool>());
}

TEST_F(ShopTest, ALostOrderAnswerIsFoundNotChargedTwice) {
  // The order is committed, then the connection drops before the answer: the SDK must find
  // the order rather than send it again.
  admin_->InjectFaults("POST /orders=commit-then-drop:1");
  const esimgo::Money before = Balance();

  auto iccid = SellEsim(*client_, kBundle);

  ASSERT_TRUE(iccid) << iccid.error().ToString();
  EXPECT_EQ(admin_->FaultRulesLeft(), 0u) << "the answer was never lost";
  auto orders = client_->orders().List();
  ASSERT_TRUE(orders) << orders.error().ToString();
  EXPECT_EQ(orders->items.size(), 1u);
  EXPECT_EQ(Balance(), before - client_->catalogue().Get(kBundle)->price);
}

TEST_F(ShopTest, ReadsRideOutATemporaryOutage) {
  // Two 503s, then the API answers: the SDK's retries hide them from your code.
  admin_->InjectFaults("GET /catalogue/bundle/*=503-0:2");

  auto bundle = client_->catalogue().Get(kBundle);

  ASSERT_TRUE(bundle) << bundle.error().ToString();
  EXPECT_EQ(bundle->name, kBundle);
  EXPECT_EQ(admin_->FaultRulesLeft(), 0u) << "the 503s were never sent";
}

TEST_F(ShopTest, ABundleStartsAtFirstUseAndExpiresAfterItsDuration) {
  auto iccid = SellEsim(*client_, kBundle);
  ASSERT_TRUE(iccid) << iccid.error().ToString();
  admin_->AdvanceClock(std::chrono::seconds(2));  // processing → queued
  EXPECT_EQ(StateOf(*iccid), esimgo::BundleState::kQueued);

  admin_->UseData(*iccid, kOneGb / 10);
  EXPECT_EQ(StateOf(*iccid), esimgo::BundleState::kActive);

  admin_->AdvanceClock(std::chrono::hours(24 * 8));  // past the 7 days
  EXPECT_EQ(StateOf(*iccid), esimgo::BundleState::kExpired);
}

TEST_F(ShopTest, UsingTheWholeBundleSendsFirstUseAndFullUtilisationCallbacks) {
  auto iccid = SellEsim(*client_, kBundle);
  ASSERT_TRUE(iccid) << iccid.error().ToString();
  admin_->AdvanceClock(std::chrono::seconds(2));

  admin_->UseData(*iccid, kOneGb);

  EXPECT_EQ(StateOf(*iccid), esimgo::BundleState::kDepleted);
  const auto alerts = admin_->Alerts();
  ASSERT_FALSE(alerts.empty());
  EXPECT_EQ(alerts.front().alert_type.value, esimgo::webhook::AlertType::kFirstUse);
  EXPECT_EQ(alerts.front().iccid, *iccid);
  const auto& last = alerts.back();
  EXPECT_EQ(last.alert_type.value, esimgo::webhook::AlertType::kUtilisation);
  ASSERT_TRUE(last.bundle.has_value());
  EXPECT_EQ(last.bundle->remaining_quantity, 0);
}

// No socket at all: `listen = false` and the client talks to the sandbox through its
// in-process transport. Nothing is bound and no server thread runs, so it starts faster;
// everything else (key check, faults, admin endpoints, answers) is as over HTTP.
TEST(InProcessSandbox, ALostOrderAnswerIsFoundWithoutASocket) {
  auto started = esimgo::sandbox::Sandbox::Start(
      {.api_key = kKey, .rate_limit = 0, .seed = 7, .listen = false});
  ASSERT_TRUE(started) << started.error().ToString();
  auto& sandbox = **started;
  auto transport = sandbox.InProcessTransport();
  esimgo::ClientOptions options{.api_key = kKey, .base_url = sandbox.base_url()};
  options.requests_per_second = 0;
  options.transport = transport;
  esimgo::Client client(std::move(options));
  const std::string base = sandbox.base_url();
  SandboxAdmin admin(transport, base.substr(0, base.rfind('/')), kKey);
  admin.InjectFaults("POST /orders=commit-then-drop:1");

  auto iccid = SellEsim(client, kBundle);

  ASSERT_TRUE(iccid) << iccid.error().ToString();
  EXPECT_EQ(admin.FaultRulesLeft(), 0u) << "the answer was never lost";
  EXPECT_EQ(sandbox.port(), 0);
  auto orders = client.orders().List();
  ASSERT_TRUE(orders) << orders.error().ToString();
  EXPECT_EQ(orders->items.size(), 1u);
  EXPECT_TRUE(admin.State()["ledgerBalanced"].get<bool>());
}

}  // namespace
