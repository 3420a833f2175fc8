// A failed commit rolls the engine back to its last committed state: nothing of the failed
// request stays visible, and the next request works (the state is not poisoned).

#include "engine_fixture.h"

namespace esimgo::sandbox::testing {
namespace {

TEST_F(EngineTest, AFailedCommitLeavesNothingOfTheOrderBehind) {
  std::string iccid = NewEsim();
  StateSummary before = State();
  alerts.clear();

  engine->InjectCommitFailures(1);
  auto o = engine->PlaceOrder({.assign = true, .items = {{.item = kBundle, .quantity = 2}}});
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kServer);

  StateSummary after = State();
  EXPECT_EQ(after.balance_micros, before.balance_micros);
  EXPECT_EQ(after.orders, before.orders);
  EXPECT_EQ(after.esims, before.esims);
  EXPECT_EQ(after.assignments, before.assignments);
  EXPECT_EQ(after.ledger.size(), before.ledger.size());
  EXPECT_TRUE(alerts.empty());  // alerts follow the commit, so none was raised
  auto list = engine->ListEsims({});
  ASSERT_TRUE(list);
  ASSERT_EQ(list->esims.size(), 1u);
  EXPECT_EQ(list->esims[0].iccid, iccid);

  // Not poisoned: the same order now succeeds and is charged exactly once.
  auto again = engine->PlaceOrder({.assign = true, .items = {{.item = kBundle, .quantity = 2}}});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(State().balance_micros, before.balance_micros - 2 * 1'360'000);
}

TEST_F(EngineTest, AFailedCommitLeavesNothingOfATopUpOrARefundBehind) {
  int64_t lot = Stock(2);
  int64_t before = Balance();
  engine->InjectCommitFailures(2);
  EXPECT_FALSE(engine->TopUp(Money::FromUnits(1000)));
  EXPECT_FALSE(engine->Refund(lot, 1));
  EXPECT_EQ(Balance(), before);
  EXPECT_EQ(State().inventory_bundles, 2);
  // The failed top-up did not use up the daily allowance either.
  EXPECT_TRUE(engine->TopUp(Money::FromUnits(5000)));
}

TEST_F(EngineTest, AStringTheStoreCannotHoldRollsBackInsteadOfPoisoningLaterWrites) {
  std::string iccid = NewEsim();
  // Routes refuse non-UTF-8 at the edge; the engine must stay consistent even if one slips by.
  auto bad = engine->UpdateCustomerRef(iccid, "\xFF");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kServer);
  auto d = engine->GetEsim(iccid, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->customer_ref, "");
  auto h = engine->History(iccid);
  ASSERT_TRUE(h);
  for (const auto& e : h->events) EXPECT_NE(e.name, "eSIM Updated");
  int64_t before = Balance();
  ASSERT_TRUE(engine->TopUp(Money::FromUnits(1000)));
  EXPECT_EQ(Balance(), before + 1'000'000'000);
  ASSERT_TRUE(engine->UpdateCustomerRef(iccid, "ok"));
}

TEST_F(EngineTest, ARefusedCommandChangesNothing) {
  std::string iccid = NewEsim();
  StateSummary before = State();
  EXPECT_FALSE(engine->Revoke({.iccid = iccid, .bundle = "not_applied"}));
  EXPECT_FALSE(engine->Apply({.items = {{.name = kBundle}}}));  // empty inventory
  EXPECT_FALSE(engine->SimulateUsage({.iccid = "unknown", .bytes = 1}));
  StateSummary after = State();
  EXPECT_EQ(after.balance_micros, before.balance_micros);
  EXPECT_EQ(after.assignment_states, before.assignment_states);
  EXPECT_EQ(after.ledger.size(), before.ledger.size());
}

}  // namespace
}  // namespace esimgo::sandbox::testing
