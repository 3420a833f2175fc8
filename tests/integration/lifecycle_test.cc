// The whole journey of a reseller, end to end through the SDK, with signed callbacks
// received on a loopback port and verified.

#include <algorithm>
#include <nlohmann/json.hpp>

#include "esimgo/webhook.h"
#include "sandbox_fixture.h"

namespace esimgo::testing {
namespace {

constexpr char kBundle[] = "esim_1GB_7D_GB_V2";

TEST(SandboxLifecycle, CatalogueToRefundWithVerifiedV3Callbacks) {
  Receiver receiver;
  auto sb = StartSandbox({.callback_url = receiver.url(), .callback_version = 3, .rate_limit = 0});
  ASSERT_NE(sb, nullptr);
  Client client = MakeClient(sb->base_url());
  Raw raw(sb->port());

  // Catalogue → validate → transaction.
  auto bundle = client.catalogue().Get(kBundle);
  ASSERT_TRUE(bundle) << bundle.error().ToString();
  OrderRequest req{.assign = true, .order = {{.item = kBundle, .quantity = 1}}};
  auto v = client.orders().Validate(req);
  ASSERT_TRUE(v);
  ASSERT_TRUE(v->valid);
  auto order = client.orders().Create(req);
  ASSERT_TRUE(order) << order.error().ToString();
  EXPECT_EQ(order->total, bundle->price);
  const std::string iccid = order->order.at(0).iccids.at(0);

  // Install details in all three formats.
  for (auto f : {InstallDetailsFormat::kCsv, InstallDetailsFormat::kJson}) {
    auto d = client.esims().InstallDetails({.references = {order->order_reference}, .format = f});
    ASSERT_TRUE(d) << d.error().ToString();
    ASSERT_EQ(d->esims.size(), 1u);
    EXPECT_EQ(d->esims[0].iccid, iccid);
  }
  auto zip = client.esims().InstallDetails(
      {.references = {order->order_reference}, .format = InstallDetailsFormat::kZip});
  ASSERT_TRUE(zip) << zip.error().ToString();
  EXPECT_EQ(zip->zip.substr(0, 2), "PK");

  // Usage: first use, 1 %, 50 %, 80 %, 100 % and a country change.
  for (const char* body : {R"(,"bytes":20000000,"country":"GB"})", R"(,"bytes":500000000})",
                           R"(,"bytes":300000000,"country":"FR"})", R"(,"bytes":180000000})"}) {
    auto r = raw.Post("/_sandbox/usage", R"({"iccid":")" + iccid + "\"" + body);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
  }
  auto hits = receiver.WaitFor(7);
  ASSERT_EQ(hits.size(), 7u);
  std::vector<std::string> types;
  for (const auto& h : hits) {
    // Verified on the raw bytes with the API key, as a reseller's receiver must.
    EXPECT_TRUE(webhook::VerifySignature(kSandboxKey, h.body, h.signature)) << h.body;
    EXPECT_FALSE(webhook::VerifySignature("other-key", h.body, h.signature));
    auto alert = webhook::ParseAlert(h.body);
    ASSERT_TRUE(alert) << alert.error().ToString();
    types.push_back(alert->alert_type.raw);
    if (alert->alert_type.value == webhook::AlertType::kUtilisation) {
      ASSERT_TRUE(alert->bundle);
      EXPECT_EQ(alert->iccid, iccid);
      EXPECT_EQ(alert->bundle->name, kBundle);
      EXPECT_EQ(alert->bundle->initial_quantity, 1'000'000'000);
    }
  }
  auto count = [&](const std::string& t) { return std::count(types.begin(), types.end(), t); };
  EXPECT_EQ(count("FirstUse"), 1);
  EXPECT_EQ(count("Utilisation"), 4);  // 1 %, 50 %, 80 %, 100 %
  EXPECT_EQ(count("CountryChange"), 2);

  auto state = client.esims().GetBundle(iccid, kBundle);
  ASSERT_TRUE(state);
  EXPECT_EQ(state->at(0).bundle_state.value, BundleState::kDepleted);

  // Every attempt is listed by the admin endpoint.
  auto log = raw.Get("/_sandbox/callbacks?wait=2000");
  ASSERT_TRUE(log);
  auto j = nlohmann::json::parse(log->body);
  EXPECT_GE(j["deliveries"].size(), 7u);
  EXPECT_EQ(j["deliveries"][0]["status"].get<int>(), 200);

  // Top-up bundle, revoke it (unused) to balance, then refund inventory.
  auto top = client.orders().Create(
      {.assign = true, .order = {{.item = kBundle, .quantity = 1, .iccids = {iccid}}}});
  ASSERT_TRUE(top) << top.error().ToString();
  auto rv =
      client.esims().RevokeBundle(iccid, kBundle, {.refund_to_balance = true, .offer_id = "o-1"});
  ASSERT_TRUE(rv) << rv.error().ToString();
  ASSERT_TRUE(client.orders().Create({.order = {{.item = kBundle, .quantity = 2}}}));
  auto inv = client.inventory().Get();
  ASSERT_TRUE(inv);
  auto refund =
      client.inventory().Refund({.usage_id = inv->bundles.at(0).available.at(0).id, .quantity = 2});
  ASSERT_TRUE(refund) << refund.error().ToString();
  auto org = client.organisation().Get();
  ASSERT_TRUE(org);
  // Paid: the first bundle only (the top-up was refunded, the inventory too).
  EXPECT_EQ(org->balance, Money::FromUnits(10'000) - bundle->price);
  auto st = nlohmann::json::parse(raw.Get("/_sandbox/state")->body);
  EXPECT_TRUE(st["ledgerBalanced"].get<bool>());
}

TEST(SandboxLifecycle, V2CallbacksAreUnsignedAndLowBalanceIsReported) {
  Receiver receiver;
  auto sb = StartSandbox({.callback_url = receiver.url(), .callback_version = 2, .rate_limit = 0});
  ASSERT_NE(sb, nullptr);
  Client client = MakeClient(sb->base_url());
  // Spend down to under $1,000: 9,500 / price of the 50 GB global bundle.
  auto b = client.catalogue().Get("esim_50GB_90D_RGBL_V2");
  ASSERT_TRUE(b);
  int n = static_cast<int>(Money::FromUnits(9'100).micros() / b->price.micros());
  ASSERT_TRUE(client.orders().Create({.order = {{.item = b->name, .quantity = n}}}));
  auto hits = receiver.WaitFor(1);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_TRUE(hits[0].signature.empty());
  auto alert = webhook::ParseAlert(hits[0].body);
  ASSERT_TRUE(alert);
  EXPECT_EQ(alert->alert_type.value, webhook::AlertType::kLowBalance);
  ASSERT_TRUE(alert->balance_info);
  EXPECT_LT(alert->balance_info->balance, Money::FromUnits(1000));
}

}  // namespace
}  // namespace esimgo::testing
