// Engine commands of eSIMs and applied bundles, and the time-driven state machine, without HTTP.

#include "engine_fixture.h"
#include "esimgo/limits.h"

namespace esimgo::sandbox::testing {
namespace {

TEST_F(EngineTest, ApplyTakesFromInventoryUntilItIsEmpty) {
  Stock(1);
  auto a = engine->Apply({.items = {{.name = kBundle}}});
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_EQ(a->esims.size(), 1u);
  EXPECT_FALSE(a->apply_reference.empty());
  auto again = engine->Apply({.items = {{.name = kBundle}}});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kForbidden);
  EXPECT_NE(again.error().message.find("no available bundles"), std::string::npos);
  auto rows = engine->InstallDetails({a->apply_reference}, false);
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->at(0).iccid, a->esims[0].iccid);
}

TEST_F(EngineTest, ApplyToAnUnknownEsimIsA403AndTakesNothing) {
  Stock(1);
  auto a = engine->Apply({.iccid = "8944000000000000000", .items = {{.name = kBundle}}});
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, ErrorCode::kForbidden);
  EXPECT_NE(a.error().message.find("not accessible"), std::string::npos);
  EXPECT_EQ(State().inventory_bundles, 1);
}

TEST_F(EngineTest, RevokeOfAnUnusedBundleRefundsItToInventoryOrBalance) {
  std::string iccid = NewEsim();
  auto dry = engine->Revoke({.iccid = iccid, .bundle = kBundle, .dry_run = true});
  ASSERT_TRUE(dry) << dry.error().message;
  EXPECT_NE(dry->status.find("can be revoked and refunded"), std::string::npos);
  EXPECT_EQ(States(iccid).at(0), BundleState::kProcessing);  // the dry run changed nothing

  auto r = engine->Revoke({.iccid = iccid, .bundle = kBundle});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_NE(r->status.find("refunded to inventory"), std::string::npos);
  EXPECT_EQ(States(iccid).at(0), BundleState::kRevoked);
  EXPECT_EQ(State().inventory_bundles, 1);

  std::string other = NewEsim();
  int64_t before = Balance();
  auto b = engine->Revoke({.iccid = other, .bundle = kBundle, .to_balance = true});
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(Balance(), before + 1'360'000);
  StateSummary s = State();
  EXPECT_EQ(s.ledger_sum_micros, s.balance_micros);
}

TEST_F(EngineTest, AStartedBundleIsRevokedWithoutRefund) {
  std::string iccid = NewEsim();
  ASSERT_TRUE(engine->SimulateUsage({.iccid = iccid, .bytes = 10}));
  auto a = engine->ListBundles(iccid, true, 15);
  ASSERT_TRUE(a);
  std::string id = a->bundles.at(0).assignments.at(0).id;
  int64_t before = Balance();
  auto r =
      engine->Revoke({.iccid = iccid, .bundle = kBundle, .assignment_id = id, .to_balance = true});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, "Successfully Revoked Bundle");
  EXPECT_EQ(Balance(), before);
}

TEST_F(EngineTest, SmsLengthCountsUtf8CharactersNotBytes) {
  std::string iccid = NewEsim();
  std::string e_acute = "\xC3\xA9";
  std::string max;
  for (size_t i = 0; i < limits::kSmsMaxCharacters; ++i) max += e_acute;  // 320 bytes
  EXPECT_TRUE(engine->SendSms(iccid, max));
  auto over = engine->SendSms(iccid, max + "x");
  ASSERT_FALSE(over);
  EXPECT_NE(over.error().message.find("got 161"), std::string::npos);
  EXPECT_FALSE(engine->SendSms(iccid, ""));
  auto bad = engine->SendSms(iccid, "\xFF");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("UTF-8"), std::string::npos);
}

TEST_F(EngineTest, ProcessingBecomesQueuedAfterASecond) {
  std::string iccid = NewEsim();
  EXPECT_EQ(States(iccid).at(0), BundleState::kProcessing);
  Advance(2);
  EXPECT_EQ(States(iccid).at(0), BundleState::kQueued);
}

TEST_F(EngineTest, AnActiveBundleExpiresAtTheEndOfItsDuration) {
  std::string iccid = NewEsim();
  ASSERT_TRUE(engine->SimulateUsage({.iccid = iccid, .bytes = 1000}));
  EXPECT_EQ(States(iccid).at(0), BundleState::kActive);
  Advance(6 * kDaySeconds);
  EXPECT_EQ(States(iccid).at(0), BundleState::kActive);
  Advance(kDaySeconds + 1);
  EXPECT_EQ(States(iccid).at(0), BundleState::kExpired);
  auto h = engine->History(iccid);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->events.back().name, "Bundle Expired");
}

TEST_F(EngineTest, AQueuedBundleLapsesAfterAYear) {
  std::string iccid = NewEsim();
  Advance((limits::kInventoryLotLifetimeDays - 1) * kDaySeconds);
  EXPECT_EQ(States(iccid).at(0), BundleState::kQueued);
  Advance(kDaySeconds);
  EXPECT_EQ(States(iccid).at(0), BundleState::kLapsed);
}

TEST_F(EngineTest, UsageDepletesAndRaisesFirstUseAndThresholdAlertsAfterCommit) {
  std::string iccid = NewEsim();
  auto u = engine->SimulateUsage({.iccid = iccid, .bytes = int64_t{2} << 30, .country = "fr"});
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_GT(u->unconsumed, 0);
  EXPECT_EQ(States(iccid).at(0), BundleState::kDepleted);
  ASSERT_GE(alerts.size(), 3u);
  EXPECT_NE(alerts[0].second.find("CountryChange"), std::string::npos);
  EXPECT_NE(alerts[1].second.find("FirstUse"), std::string::npos);
  EXPECT_NE(alerts.back().second.find("Utilisation"), std::string::npos);
  auto loc = engine->Location(iccid);
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc->country, "FR");
}

TEST_F(EngineTest, TheClockRefusesAnAdvanceThatWouldOverflow) {
  auto huge = engine->AdvanceClock(INT64_MAX / 10);
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code, ErrorCode::kBadRequest);
  int64_t before = engine->Now();
  ASSERT_TRUE(engine->AdvanceClock(Engine::kMaxClockAdvanceSeconds));
  EXPECT_FALSE(engine->AdvanceClock(1));  // the total is capped too
  EXPECT_GT(engine->Now(), before);       // and the clock never went backwards
}

TEST_F(EngineTest, UpdateSetsTheCustomerRefAndRecordsIt) {
  std::string iccid = NewEsim();
  ASSERT_TRUE(engine->UpdateCustomerRef(iccid, "customer-7"));
  auto d = engine->GetEsim(iccid, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->customer_ref, "customer-7");
  auto list = engine->ListEsims({.filter_by = "customerRef", .filter = "CUSTOMER"});
  ASSERT_TRUE(list);
  ASSERT_EQ(list->esims.size(), 1u);
}

}  // namespace
}  // namespace esimgo::sandbox::testing
