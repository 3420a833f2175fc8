// The v2.5 eSIM state machine and consumption prices, on the Engine alone (no HTTP):
// active ↔ suspended by the partner, a policy suspension the API cannot lift, delete →
// deactivated for good, and prices only for consumption customers.

#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "esimgo/webhook.h"

namespace esimgo::sandbox::testing {
namespace {

class EngineV25Test : public EngineTest {
 protected:
  EsimState StateOf(const std::string& iccid) {
    auto d = engine->GetEsim(iccid, false);
    EXPECT_TRUE(d) << d.error().message;
    return d ? d->state.value : EsimState::kUnknown;
  }
};

TEST_F(EngineV25Test, NewEsimIsActiveWithProfileAndDefaultBranding) {
  std::string iccid = NewEsim();
  auto d = engine->GetEsim(iccid, false);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->state.raw, "active");
  EXPECT_EQ(d->profile_name, "Profile 4");  // kBundle is on provider profile 4.0
  EXPECT_EQ(d->branding_id, "(default)");
  EXPECT_TRUE(d->msisdn.empty());  // no domestic bundles in the sandbox
}

TEST_F(EngineV25Test, SuspendThenUnsuspendRoundTrips) {
  std::string iccid = NewEsim();
  auto s = engine->Suspend(iccid, true);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->status, "eSIM suspended successfully");
  EXPECT_EQ(StateOf(iccid), EsimState::kSuspended);
  auto q = engine->Suspension(iccid);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->suspended, std::optional<bool>(true));

  auto u = engine->Suspend(iccid, false);
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_EQ(u->status, "eSIM unsuspended successfully");
  EXPECT_EQ(StateOf(iccid), EsimState::kActive);
  EXPECT_EQ(engine->Suspension(iccid)->suspended, std::optional<bool>(false));
}

TEST_F(EngineV25Test, SuspendingTwiceOrUnsuspendingAnActiveEsimIsABadRequest) {
  std::string iccid = NewEsim();
  auto u = engine->Suspend(iccid, false);
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().code, ErrorCode::kBadRequest);
  ASSERT_TRUE(engine->Suspend(iccid, true));
  auto again = engine->Suspend(iccid, true);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(StateOf(iccid), EsimState::kSuspended);
}

TEST_F(EngineV25Test, UnknownEsimIsForbiddenLikeEveryOtherOperation) {
  EXPECT_EQ(engine->Suspend("8944000000000000000", true).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(engine->DeleteEsim("8944000000000000000").error().code, ErrorCode::kForbidden);
}

TEST_F(EngineV25Test, PolicySuspensionCannotBeLiftedThroughTheApi) {
  std::string iccid = NewEsim();
  ASSERT_TRUE(engine->SetPolicySuspension(iccid, true));
  EXPECT_EQ(StateOf(iccid), EsimState::kSuspended);
  auto u = engine->Suspend(iccid, false);
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().code, ErrorCode::kForbidden);
  EXPECT_NE(u.error().message.find("policy"), std::string::npos) << u.error().message;
  EXPECT_EQ(StateOf(iccid), EsimState::kSuspended);
  // Only the admin switch lifts it.
  ASSERT_TRUE(engine->SetPolicySuspension(iccid, false));
  EXPECT_EQ(StateOf(iccid), EsimState::kActive);
}

TEST_F(EngineV25Test, DeleteDeactivatesForGoodAndRefusesLaterUse) {
  Stock(1);
  auto o = engine->PlaceOrder({.assign = true, .items = {{.item = kBundle}}});
  ASSERT_TRUE(o);
  std::string iccid = o->order.at(0).iccids.at(0);
  int64_t before_delete = Balance();
  auto d = engine->DeleteEsim(iccid);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(Balance(), before_delete) << "no refund";
  EXPECT_EQ(d->status, "eSIM deleted successfully");
  EXPECT_EQ(StateOf(iccid), EsimState::kDeactivated);

  for (const Error& e : {engine->Refresh(iccid).error(), engine->SendSms(iccid, "hello").error(),
                         engine->Apply({.iccid = iccid, .items = {{.name = kBundle}}}).error(),
                         engine->Suspend(iccid, true).error(), engine->DeleteEsim(iccid).error()}) {
    EXPECT_EQ(e.code, ErrorCode::kBadRequest);
    EXPECT_NE(e.message.find("deactivated"), std::string::npos) << e.message;
  }
  // The refused apply took nothing from the inventory.
  auto inv = engine->GetInventory();
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->bundles.at(0).available.at(0).remaining, 1);

  // Its bundle was revoked without a refund.
  EXPECT_EQ(States(iccid), std::vector<BundleState>{BundleState::kRevoked});
  EXPECT_EQ(engine->GetEsim(iccid, false)->profile_status, "Deactivated");
  EXPECT_EQ(engine->Revoke({.iccid = iccid, .bundle = kBundle}).error().code,
            ErrorCode::kBadRequest);
  // Nor can an order put a bundle on it: refused before anything is charged.
  int64_t balance = Balance();
  auto order =
      engine->PlaceOrder({.assign = true, .items = {{.item = kBundle, .iccids = {iccid}}}});
  ASSERT_FALSE(order);
  EXPECT_NE(order.error().message.find("deactivated"), std::string::npos);
  EXPECT_EQ(Balance(), balance);

  auto install = engine->InstallDetails({o->order_reference}, false);
  ASSERT_FALSE(install);
  EXPECT_EQ(install.error().code, ErrorCode::kNotFound);  // 410 Gone over HTTP
}

TEST_F(EngineV25Test, StateSurvivesAReloadFromTheStore) {
  std::string a = NewEsim();
  std::string b = NewEsim();
  ASSERT_TRUE(engine->SetPolicySuspension(a, true));
  ASSERT_TRUE(engine->DeleteEsim(b));
  // A refused command rolls back by reloading every row from the store.
  engine->InjectCommitFailures(1);
  ASSERT_FALSE(engine->SetConsumption(true));
  EXPECT_EQ(StateOf(a), EsimState::kSuspended);
  EXPECT_EQ(engine->Suspend(a, false).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(StateOf(b), EsimState::kDeactivated);
  EXPECT_EQ(engine->Prices().error().code, ErrorCode::kForbidden);
}

TEST_F(EngineV25Test, SmsToASuspendedEsimRaisesSmsFailed) {
  std::string iccid = NewEsim();
  ASSERT_TRUE(engine->SendSms(iccid, "hello"));
  alerts.clear();
  ASSERT_TRUE(engine->Suspend(iccid, true));
  ASSERT_TRUE(engine->SendSms(iccid, "hello"));
  ASSERT_EQ(alerts.size(), 1u);
  auto alert = webhook::ParseAlert(alerts[0].second);
  ASSERT_TRUE(alert) << alerts[0].second;
  EXPECT_EQ(alert->alert_type.value, webhook::AlertType::kSmsFailed);
  EXPECT_EQ(alert->iccid, iccid);
  EXPECT_FALSE(alert->timestamp.raw.empty());
}

TEST_F(EngineV25Test, PricesNeedAConsumptionCustomer) {
  auto refused = engine->Prices();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  EXPECT_NE(refused.error().message.find("consumption"), std::string::npos);

  ASSERT_TRUE(engine->SetConsumption(true));
  auto p = engine->Prices();
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_FALSE(p->prices.empty());
  EXPECT_EQ(p->hash.size(), 64u);
  EXPECT_EQ(p->hash, PricesHash(p->prices));
  bool saw_gb = false;
  for (const auto& c : p->prices) {
    ASSERT_FALSE(c.prices.empty());
    for (const auto& price : c.prices) {
      EXPECT_EQ(price.country, c.country);
      EXPECT_GT(price.price.micros(), 0);
      EXPECT_EQ(price.price.micros() % 10'000, 0) << "whole cents";
      EXPECT_EQ(price.currency, "USD");
      EXPECT_EQ(price.profile.rfind("Profile ", 0), 0u) << price.profile;
      EXPECT_EQ(price.id.size(), 36u);
    }
    if (c.country.iso == "GB") saw_gb = true;
  }
  EXPECT_TRUE(saw_gb);
  // Stable across calls.
  EXPECT_EQ(engine->Prices()->hash, p->hash);
}

TEST_F(EngineV25Test, PricesHashChangesWhenAPriceChanges) {
  ASSERT_TRUE(engine->SetConsumption(true));
  auto p = engine->Prices();
  ASSERT_TRUE(p);
  auto changed = p->prices;
  changed.at(0).prices.at(0).price = changed.at(0).prices.at(0).price + Money::FromMicros(10'000);
  EXPECT_NE(PricesHash(changed), p->hash);
}

// The lifecycle notices the engine raised, in order: "esim.deletion_scheduled@<date>", …
std::vector<std::string> DeletionNotices(
    const std::vector<std::pair<std::string, std::string>>& a) {
  std::vector<std::string> out;
  for (const auto& [url, body] : a) {
    auto alert = webhook::ParseAlert(body);
    if (!alert) continue;
    if (alert->alert_type.value == webhook::AlertType::kEsimDeletionScheduled ||
        alert->alert_type.value == webhook::AlertType::kEsimDeleted) {
      out.push_back(alert->event + "@" + alert->date.raw.substr(0, 10));
    }
  }
  return out;
}

TEST_F(EngineV25Test, IdleEsimGetsADeletionNoticeAfter180DaysAndIsDeleted7DaysLater) {
  std::string iccid = NewEsim();
  ASSERT_TRUE(engine->SimulateUsage({.iccid = iccid, .bytes = 1000, .country = "GB"}));
  int64_t started = engine->Now();
  Advance(8 * kDaySeconds);  // the 7-day bundle expired: nothing live is left
  Advance(178 * kDaySeconds);
  EXPECT_TRUE(DeletionNotices(alerts).empty()) << "186 days after the start, 179 idle";
  Advance(2 * kDaySeconds);
  auto notices = DeletionNotices(alerts);
  ASSERT_EQ(notices.size(), 1u);
  // Due 180 days after the bundle ended (start + 7 days), not when the clock noticed.
  EXPECT_EQ(notices[0], "esim.deletion_scheduled@" +
                            Engine::Iso(started + 187 * kDaySeconds * 1000).substr(0, 10));
  EXPECT_EQ(StateOf(iccid), EsimState::kActive);
  Advance(5 * kDaySeconds);
  EXPECT_EQ(DeletionNotices(alerts).size(), 1u);
  EXPECT_EQ(StateOf(iccid), EsimState::kActive);
  Advance(2 * kDaySeconds);
  notices = DeletionNotices(alerts);
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_EQ(notices[1],
            "esim.deleted@" + Engine::Iso(started + 194 * kDaySeconds * 1000).substr(0, 10));
  EXPECT_EQ(StateOf(iccid), EsimState::kDeactivated);
  EXPECT_EQ(engine->Refresh(iccid).error().code, ErrorCode::kBadRequest);
  // Nothing more is sent for it.
  Advance(400 * kDaySeconds);
  EXPECT_EQ(DeletionNotices(alerts).size(), 2u);
}

TEST_F(EngineV25Test, ApplyingABundleAfterTheNoticeCancelsTheDeletion) {
  std::string iccid = NewEsim();
  ASSERT_TRUE(engine->SimulateUsage({.iccid = iccid, .bytes = 1000, .country = "GB"}));
  Advance(8 * kDaySeconds);
  Advance(181 * kDaySeconds);
  ASSERT_EQ(DeletionNotices(alerts).size(), 1u);
  Stock(1);
  ASSERT_TRUE(engine->Apply({.iccid = iccid, .items = {{.name = kBundle}}}));
  Advance(30 * kDaySeconds);
  EXPECT_EQ(DeletionNotices(alerts).size(), 1u) << "no esim.deleted after the apply";
  EXPECT_EQ(StateOf(iccid), EsimState::kActive);
}

TEST_F(EngineV25Test, OneLongClockJumpSendsBothNoticesInOrder) {
  std::string iccid = NewEsim();  // never used: its bundle lapses after 365 days
  Advance(600 * kDaySeconds);
  auto notices = DeletionNotices(alerts);
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_EQ(notices[0].rfind("esim.deletion_scheduled@", 0), 0u);
  EXPECT_EQ(notices[1].rfind("esim.deleted@", 0), 0u);
  EXPECT_EQ(StateOf(iccid), EsimState::kDeactivated);
}

}  // namespace
}  // namespace esimgo::sandbox::testing
