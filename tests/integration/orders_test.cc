// Orders, inventory and balance (money) through the SDK against the sandbox.

#include <nlohmann/json.hpp>

#include "sandbox_fixture.h"

namespace esimgo::testing {
namespace {

using OrdersIt = SandboxTest;

constexpr char kBundle[] = "esim_1GB_7D_GB_V2";

Money PriceOf(Client& c, const std::string& name) {
  auto b = c.catalogue().Get(name);
  EXPECT_TRUE(b);
  return b ? b->price : Money();
}

Money Balance(Client& c) {
  auto org = c.organisation().Get();
  EXPECT_TRUE(org);
  return org ? org->balance : Money();
}

TEST_F(OrdersIt, ValidateComputesTotalsWithoutSideEffects) {
  Money price = PriceOf(*client, kBundle);
  auto v =
      client->orders().Validate({.assign = false, .order = {{.item = kBundle, .quantity = 3}}});
  ASSERT_TRUE(v) << v.error().ToString();
  EXPECT_TRUE(v->valid);
  EXPECT_EQ(v->total, price * 3);
  ASSERT_EQ(v->order.size(), 1u);
  EXPECT_EQ(v->order[0].price_per_unit, price);
  EXPECT_EQ(Balance(*client), Money::FromUnits(10'000));
  auto list = client->orders().List();
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->items.empty());
}

TEST_F(OrdersIt, TransactionIntoInventoryDebitsTheBalanceAndRecordsTheOrder) {
  Money price = PriceOf(*client, kBundle);
  auto o = client->orders().Create({.assign = false, .order = {{.item = kBundle, .quantity = 2}}});
  ASSERT_TRUE(o) << o.error().ToString();
  EXPECT_FALSE(o->order_reference.empty());
  EXPECT_EQ(o->total, price * 2);
  EXPECT_EQ(o->status.raw, "completed");
  EXPECT_FALSE(o->reconciled);
  EXPECT_EQ(Balance(*client), Money::FromUnits(10'000) - price * 2);
  auto inv = client->inventory().Get();
  ASSERT_TRUE(inv) << inv.error().ToString();
  ASSERT_EQ(inv->bundles.size(), 1u);
  EXPECT_EQ(inv->bundles[0].name, kBundle);
  ASSERT_EQ(inv->bundles[0].available.size(), 1u);
  EXPECT_EQ(inv->bundles[0].available[0].remaining, 2);
  auto got = client->orders().Get(o->order_reference);
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->total, o->total);
}

TEST_F(OrdersIt, AssignTrueCreatesEsimsAndAssignsToGivenIccids) {
  auto o = client->orders().Create({.assign = true, .order = {{.item = kBundle, .quantity = 2}}});
  ASSERT_TRUE(o) << o.error().ToString();
  ASSERT_EQ(o->order.size(), 1u);
  ASSERT_EQ(o->order[0].iccids.size(), 2u);
  ASSERT_EQ(o->order[0].esims.size(), 2u);
  const std::string iccid = o->order[0].iccids[0];
  EXPECT_TRUE(iccid.rfind("8944", 0) == 0);
  EXPECT_GE(iccid.size(), 19u);
  EXPECT_LE(iccid.size(), 20u);
  auto top = client->orders().Create(
      {.assign = true,
       .order = {{.item = "esim_3GB_30D_GB_V2", .quantity = 1, .iccids = {iccid}}}});
  ASSERT_TRUE(top) << top.error().ToString();
  EXPECT_EQ(top->order[0].iccids, std::vector<std::string>{iccid});
  auto bundles = client->esims().ListBundles(iccid);
  ASSERT_TRUE(bundles) << bundles.error().ToString();
  EXPECT_EQ(bundles->size(), 2u);
}

TEST_F(OrdersIt, IccidsNeedAssignAndMatchingQuantity) {
  auto o = client->orders().Create({.assign = true, .order = {{.item = kBundle, .quantity = 1}}});
  ASSERT_TRUE(o);
  std::string iccid = o->order[0].iccids[0];
  auto r =
      raw->Post("/v2.4/orders",
                R"({"type":"transaction","assign":true,"Order":[{"type":"bundle","item":")" +
                    std::string(kBundle) + R"(","quantity":2,"iccids":[")" + iccid + R"("]}]})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/plain");
  EXPECT_NE(r->body.find("quantity"), std::string::npos);
}

TEST_F(OrdersIt, InsufficientBalanceIsA400TextPlainAndChargesNothing) {
  // The most expensive long-duration bundle, enough times to exceed $10,000.
  auto o = client->orders().Create(
      {.assign = false, .order = {{.item = "esim_50GB_90D_RGBL_V2", .quantity = 200}}});
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().http_status, 400);
  EXPECT_NE(o.error().message.find("insufficient balance"), std::string::npos);
  EXPECT_EQ(Balance(*client), Money::FromUnits(10'000));
  auto v = client->orders().Validate(
      {.assign = false, .order = {{.item = "esim_50GB_90D_RGBL_V2", .quantity = 200}}});
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->valid);
}

TEST_F(OrdersIt, BadKeyOnPostOrdersIs401TextPlain) {
  Client bad = MakeClient(sb->base_url(), "nope");
  auto o = bad.orders().Validate({.order = {{.item = kBundle}}});
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().http_status, 401);
  Raw r(sb->port(), "nope");
  auto res = r.Post("/v2.4/orders", R"({"type":"validate","order":[]})");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain");
}

TEST_F(OrdersIt, ListPagesAndFiltersByCreatedAt) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client->orders().Create({.order = {{.item = kBundle}}}));
  }
  auto page = client->orders().List({.page = 1, .limit = 2, .include_iccids = true});
  ASSERT_TRUE(page) << page.error().ToString();
  EXPECT_EQ(page->items.size(), 2u);
  EXPECT_TRUE(page->has_more);
  size_t all = 0;
  for (const auto& o : client->orders().ListAll({.limit = 2})) {
    ASSERT_TRUE(o);
    ++all;
  }
  EXPECT_EQ(all, 3u);
  auto future = std::chrono::system_clock::now() + std::chrono::hours(1);
  auto none = client->orders().List({.created_from = future});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->items.empty());
  auto past = std::chrono::system_clock::now() - std::chrono::hours(1);
  auto some = client->orders().List({.limit = 10, .created_from = past, .created_to = future});
  ASSERT_TRUE(some);
  EXPECT_EQ(some->items.size(), 3u);
  auto bad = raw->Get("/v2.4/orders?createdAt=2024-01-01");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST_F(OrdersIt, UnknownOrderReferenceIsForbidden) {
  auto o = client->orders().Get("no-such-order");
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().http_status, 403);
}

TEST_F(OrdersIt, InventoryRefundCreditsTheBalanceAndChecksQuantity) {
  Money price = PriceOf(*client, kBundle);
  ASSERT_TRUE(client->orders().Create({.order = {{.item = kBundle, .quantity = 3}}}));
  auto inv = client->inventory().Get();
  ASSERT_TRUE(inv);
  int64_t usage_id = inv->bundles.at(0).available.at(0).id;
  auto too_many = client->inventory().Refund({.usage_id = usage_id, .quantity = 4});
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().http_status, 400);
  auto unknown = client->inventory().Refund({.usage_id = 999999, .quantity = 1});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().http_status, 400);
  auto ok = client->inventory().Refund({.usage_id = usage_id, .quantity = 2});
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ(ok->status, "Successfully refunded bundles to balance");
  EXPECT_EQ(Balance(*client), Money::FromUnits(10'000) - price);
  auto after = client->inventory().Get();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->bundles.at(0).available.at(0).remaining, 1);
}

TEST_F(OrdersIt, LedgerBalancesAfterMoneyMovements) {
  ASSERT_TRUE(client->orders().Create({.order = {{.item = kBundle, .quantity = 5}}}));
  ASSERT_TRUE(client->organisation().TopUp(Money::FromUnits(1000)));
  auto inv = client->inventory().Get();
  ASSERT_TRUE(inv);
  ASSERT_TRUE(client->inventory().Refund({.usage_id = inv->bundles[0].available[0].id}));
  auto st = raw->Get("/_sandbox/state");
  ASSERT_TRUE(st);
  ASSERT_EQ(st->status, 200);
  auto j = nlohmann::json::parse(st->body);
  EXPECT_TRUE(j["ledgerBalanced"].get<bool>());
  EXPECT_EQ(j["ledger"].size(), 4u);  // initial, order, top-up, refund
  EXPECT_EQ(Money::Parse(j["balance"].get<std::string>()), Balance(*client));
}

}  // namespace
}  // namespace esimgo::testing
