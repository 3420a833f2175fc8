// Engine commands of orders, inventory, top-ups and refunds, without HTTP.

#include "engine_fixture.h"
#include "esimgo/limits.h"
#include "static_data.h"

namespace esimgo::sandbox::testing {
namespace {

constexpr int64_t kPrice = 1'360'000;  // esim_1GB_7D_GB_V2: 1.36 USD

TEST_F(EngineTest, PlaceOrderChargesOnceAndPutsTheBundlesInInventory) {
  int64_t before = Balance();
  auto o = engine->PlaceOrder({.items = {{.item = kBundle, .quantity = 3}}});
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_EQ(Balance(), before - 3 * kPrice);
  auto inv = engine->GetInventory();
  ASSERT_TRUE(inv);
  ASSERT_EQ(inv->bundles.size(), 1u);
  EXPECT_EQ(inv->bundles[0].available.at(0).remaining, 3);
  StateSummary s = State();
  EXPECT_EQ(s.orders, 1);
  EXPECT_EQ(s.ledger_sum_micros, s.balance_micros);
}

TEST_F(EngineTest, ValidateOrderChargesNothingAndStoresNothing) {
  int64_t before = Balance();
  auto v = engine->ValidateOrder({.items = {{.item = kBundle, .quantity = 2}}});
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_TRUE(v->valid);
  EXPECT_EQ(v->total.micros(), 2 * kPrice);
  EXPECT_EQ(Balance(), before);
  EXPECT_EQ(State().orders, 0);
}

TEST_F(EngineTest, AnOrderOverTheBalanceChargesNothingAndRaisesInsufficientBalance) {
  // The dearest bundle × the largest quantity costs more than the 10,000 USD start balance.
  const BundleInfo* dearest = &Data().bundles.front();
  for (const auto& b : Data().bundles) {
    if (dearest->model.price < b.model.price) dearest = &b;
  }
  int64_t before = Balance();
  auto o = engine->PlaceOrder(
      {.items = {{.item = dearest->model.name, .quantity = limits::kOrderMaxQuantity}}});
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kBadRequest);
  EXPECT_NE(o.error().message.find("insufficient balance"), std::string::npos);
  EXPECT_EQ(Balance(), before);
  EXPECT_EQ(State().orders, 0);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_NE(alerts[0].second.find("InsufficientBalance"), std::string::npos);
  EXPECT_EQ(alerts[0].first, "http://127.0.0.1:9/cb");
}

TEST_F(EngineTest, AnUnknownBundleOrABadQuantityIsRefusedWithoutCharging) {
  int64_t before = Balance();
  EXPECT_FALSE(engine->PlaceOrder({.items = {{.item = "no_such_bundle"}}}));
  EXPECT_FALSE(engine->PlaceOrder({.items = {{.item = kBundle, .quantity = 0}}}));
  EXPECT_FALSE(engine->PlaceOrder({.items = {{.item = kBundle, .quantity = 1001}}}));
  EXPECT_FALSE(engine->PlaceOrder({}));
  EXPECT_EQ(Balance(), before);
  EXPECT_EQ(State().orders, 0);
}

TEST_F(EngineTest, TopUpHasAMinimumAndADailyCapThatResetsAtMidnightUtc) {
  int64_t before = Balance();
  auto small = engine->TopUp(Money::FromUnits(999));
  ASSERT_FALSE(small);
  EXPECT_NE(small.error().message.find("minimum"), std::string::npos);
  ASSERT_TRUE(engine->TopUp(Money::FromUnits(1000)));
  ASSERT_TRUE(engine->TopUp(Money::FromUnits(4000)));
  auto over = engine->TopUp(Money::FromUnits(1000));
  ASSERT_FALSE(over);
  EXPECT_NE(over.error().message.find("daily"), std::string::npos);
  EXPECT_EQ(Balance(), before + limits::kTopUpDailyMaximum.micros());
  Advance(kDaySeconds);
  EXPECT_TRUE(engine->TopUp(Money::FromUnits(1000)));
}

TEST_F(EngineTest, RefundWorksInsideTheWindowAndIsRefusedAfterIt) {
  int64_t lot = Stock(2);
  int64_t after_order = Balance();
  auto r = engine->Refund(lot, 1);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(Balance(), after_order + kPrice);
  auto too_many = engine->Refund(lot, 2);  // only one left
  ASSERT_FALSE(too_many);
  Advance((limits::kRefundWindowDays + 1) * kDaySeconds);
  auto late = engine->Refund(lot, 1);
  ASSERT_FALSE(late);
  EXPECT_NE(late.error().message.find("refund"), std::string::npos);
  EXPECT_EQ(Balance(), after_order + kPrice);
  StateSummary s = State();
  EXPECT_EQ(s.ledger_sum_micros, s.balance_micros);
}

TEST_F(EngineTest, InventoryLotsExpireAfterTheirLifetime) {
  Stock(1);
  Advance(limits::kInventoryLotLifetimeDays * kDaySeconds);
  auto inv = engine->GetInventory();
  ASSERT_TRUE(inv);
  EXPECT_TRUE(inv->bundles.empty());
  auto a = engine->Apply({.items = {{.name = kBundle}}});
  ASSERT_FALSE(a);
  EXPECT_NE(a.error().message.find("no available bundles"), std::string::npos);
}

TEST_F(EngineTest, ListOrdersRefusesPagesPastTheLimitInsteadOfOverflowing) {
  Stock(1);
  auto huge = engine->ListOrders({.page = INT64_MAX});
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code, ErrorCode::kBadRequest);
  auto last =
      engine->ListOrders({.page = limits::kMaxPageNumber, .limit = limits::kOrdersMaxLimit});
  ASSERT_TRUE(last);
  EXPECT_TRUE(last->orders.empty());
  EXPECT_EQ(last->rows, 1);
}

TEST_F(EngineTest, AnUnknownOrderIsA403ThatSaysNotFound) {
  auto o = engine->GetOrder("nope");
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kForbidden);
  EXPECT_NE(o.error().message.find("not found"), std::string::npos);
}

}  // namespace
}  // namespace esimgo::sandbox::testing
