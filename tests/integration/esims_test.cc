// eSIM operations (#1–#15) through the SDK against the sandbox.

#include <set>

#include "sandbox_fixture.h"

namespace esimgo::testing {
namespace {

constexpr char kBundle[] = "esim_1GB_7D_GB_V2";

class EsimsIt : public SandboxTest {
 protected:
  // Buys `n` of `bundle` into inventory.
  void Stock(const std::string& bundle, int n) {
    auto o = client->orders().Create({.assign = false, .order = {{.item = bundle, .quantity = n}}});
    ASSERT_TRUE(o) << o.error().ToString();
  }
  // An eSIM with one bundle on it, through an assigning order.
  std::string NewEsim() {
    auto o = client->orders().Create({.assign = true, .order = {{.item = kBundle}}});
    EXPECT_TRUE(o) << o.error().ToString();
    return o ? o->order.at(0).iccids.at(0) : std::string();
  }
  void Advance(int seconds) {
    auto r = raw->Post("/_sandbox/clock", "{\"advanceSeconds\": " + std::to_string(seconds) + "}");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200);
  }
};

TEST_F(EsimsIt, ApplyConsumesInventoryAndReturnsAnApplyReference) {
  Stock(kBundle, 2);
  auto a = client->esims().ApplyBundle({.name = kBundle});
  ASSERT_TRUE(a) << a.error().ToString();
  ASSERT_EQ(a->esims.size(), 1u);
  EXPECT_FALSE(a->apply_reference.empty());
  EXPECT_EQ(a->esims[0].bundle, kBundle);
  auto inv = client->inventory().Get();
  ASSERT_TRUE(inv);
  EXPECT_EQ(inv->bundles.at(0).available.at(0).remaining, 1);
  // Top up the same eSIM from inventory.
  auto b = client->esims().ApplyBundle({.iccid = a->esims[0].iccid, .name = kBundle});
  ASSERT_TRUE(b) << b.error().ToString();
  EXPECT_EQ(b->esims.at(0).iccid, a->esims[0].iccid);
  auto c = client->esims().ApplyBundle({.name = kBundle});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().http_status, 403);
  EXPECT_NE(c.error().message.find("no available bundles"), std::string::npos);
}

TEST_F(EsimsIt, ApplyListFormAndRepeatMakeSeveralEsims) {
  Stock(kBundle, 3);
  Stock("esim_2GB_15D_GB_V2", 1);
  auto a = client->esims().ApplyBundle(
      {.bundles = {{.name = kBundle, .repeat = 2}, {.name = "esim_2GB_15D_GB_V2"}}});
  ASSERT_TRUE(a) << a.error().ToString();
  ASSERT_EQ(a->esims.size(), 3u);
  std::set<std::string> iccids;
  for (const auto& e : a->esims) iccids.insert(e.iccid);
  EXPECT_EQ(iccids.size(), 3u);
  auto both = raw->Post("/v2.4/esims/apply", R"({"iccid":")" + a->esims[0].iccid +
                                                 R"(","name":"esim_1GB_7D_GB_V2","repeat":2})");
  ASSERT_TRUE(both);
  EXPECT_EQ(both->status, 400);
}

TEST_F(EsimsIt, InstallDetailsAsCsvJsonAndZipForOrderAndApplyReferences) {
  auto o = client->orders().Create({.assign = true, .order = {{.item = kBundle, .quantity = 2}}});
  ASSERT_TRUE(o);
  Stock(kBundle, 1);
  auto a = client->esims().ApplyBundle({.name = kBundle});
  ASSERT_TRUE(a);
  auto csv = client->esims().InstallDetails(
      {.references = {o->order_reference}, .format = InstallDetailsFormat::kCsv});
  ASSERT_TRUE(csv) << csv.error().ToString();
  ASSERT_EQ(csv->esims.size(), 2u);
  EXPECT_EQ(csv->esims[0].bundle, kBundle);
  EXPECT_FALSE(csv->esims[0].matching_id.empty());
  auto json =
      client->esims().InstallDetails({.references = {o->order_reference, a->apply_reference},
                                      .format = InstallDetailsFormat::kJson});
  ASSERT_TRUE(json) << json.error().ToString();
  ASSERT_EQ(json->esims.size(), 3u);
  EXPECT_EQ(json->esims[2].iccid, a->esims[0].iccid);
  EXPECT_FALSE(json->esims[0].pin.empty());
  auto zip = client->esims().InstallDetails(
      {.references = {a->apply_reference}, .format = InstallDetailsFormat::kZip});
  ASSERT_TRUE(zip) << zip.error().ToString();
  ASSERT_GT(zip->zip.size(), 100u);
  EXPECT_EQ(zip->zip.substr(0, 2), "PK");
  EXPECT_NE(zip->zip.find(a->esims[0].iccid + ".png"), std::string::npos);
  // Without Accept the API answers CSV.
  auto r = raw->Get("/v2.4/esims/assignments?reference=" + o->order_reference);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/csv");
  EXPECT_EQ(r->body.rfind("ICCID,", 0), 0u);
}

TEST_F(EsimsIt, DetailsListUpdateAndHistory) {
  std::string iccid = NewEsim();
  auto d = client->esims().Get(iccid, "appleInstallUrl");
  ASSERT_TRUE(d) << d.error().ToString();
  EXPECT_EQ(d->iccid, iccid);
  EXPECT_EQ(d->profile_status, "Released");
  EXPECT_EQ(d->pin.size(), 4u);
  EXPECT_EQ(d->puk.size(), 8u);
  EXPECT_NE(d->apple_install_url.find("LPA:1$"), std::string::npos);
  auto up = client->esims().Update(iccid, "customer-42");
  ASSERT_TRUE(up) << up.error().ToString();
  auto list =
      client->esims().List({.per_page = 10, .filter_by = "customerRef", .filter = "customer-42"});
  ASSERT_TRUE(list) << list.error().ToString();
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0].iccid, iccid);
  EXPECT_EQ(list->items[0].customer_ref, "customer-42");
  EXPECT_EQ(list->items[0].last_action, "eSIM Updated");
  auto h = client->esims().History(iccid);
  ASSERT_TRUE(h) << h.error().ToString();
  ASSERT_GE(h->size(), 2u);
  EXPECT_EQ((*h)[0].name, "Bundle Applied");
  EXPECT_EQ((*h)[0].bundle_name, kBundle);
  EXPECT_EQ(h->back().name, "eSIM Updated");
}

TEST_F(EsimsIt, RefreshSmsCompatibilityAndLocation) {
  std::string iccid = NewEsim();
  auto r = client->esims().Refresh(iccid);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->status, "Successfully refreshed SIM");
  auto sms = client->esims().SendSms(iccid, {.message = "Hello!"});
  ASSERT_TRUE(sms) << sms.error().ToString();
  EXPECT_EQ(sms->status, "sent");
  auto longsms = raw->Post("/v2.4/esims/" + iccid + "/sms",
                           R"({"message":")" + std::string(161, 'x') + R"("})");
  ASSERT_TRUE(longsms);
  EXPECT_EQ(longsms->status, 400);
  auto same = client->esims().Compatible(iccid, "esim_3GB_30D_GB_V2");
  ASSERT_TRUE(same) << same.error().ToString();
  EXPECT_TRUE(*same);
  // Bonaire bundles come from another provider profile (2.0 vs 1.0).
  auto other = client->esims().Compatible(iccid, "esim_1GB_7D_BQ_V2");
  ASSERT_TRUE(other);
  EXPECT_FALSE(*other);
  auto none = client->esims().Location(iccid);
  ASSERT_FALSE(none);
  ASSERT_TRUE(
      raw->Post("/_sandbox/usage", R"({"iccid":")" + iccid + R"(","bytes":1,"country":"FR"})"));
  auto loc = client->esims().Location(iccid);
  ASSERT_TRUE(loc) << loc.error().ToString();
  EXPECT_EQ(loc->country, "FR");
}

TEST_F(EsimsIt, UnknownIccidIsForbidden) {
  auto d = client->esims().Get("89440000000000000000");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().http_status, 403);
  auto h = client->esims().History("89440000000000000000");
  ASSERT_FALSE(h);
  EXPECT_EQ(h.error().http_status, 403);
}

TEST_F(EsimsIt, BundleStateMachineProcessingQueuedActiveDepletedExpired) {
  std::string iccid = NewEsim();
  auto s = client->esims().GetBundle(iccid, kBundle);
  ASSERT_TRUE(s) << s.error().ToString();
  ASSERT_EQ(s->size(), 1u);
  EXPECT_EQ((*s)[0].bundle_state.value, BundleState::kProcessing);
  EXPECT_EQ((*s)[0].initial_quantity, 1'000'000'000);
  Advance(2);
  s = client->esims().GetBundle(iccid, kBundle);
  ASSERT_TRUE(s);
  EXPECT_EQ((*s)[0].bundle_state.value, BundleState::kQueued);
  ASSERT_TRUE(raw->Post("/_sandbox/usage", R"({"iccid":")" + iccid + R"(","bytes":400000000})"));
  s = client->esims().GetBundle(iccid, kBundle);
  ASSERT_TRUE(s);
  EXPECT_EQ((*s)[0].bundle_state.value, BundleState::kActive);
  EXPECT_EQ((*s)[0].remaining_quantity, 600'000'000);
  ASSERT_TRUE(raw->Post("/_sandbox/usage", R"({"iccid":")" + iccid + R"(","bytes":700000000})"));
  s = client->esims().GetBundle(iccid, kBundle);
  ASSERT_TRUE(s);
  EXPECT_EQ((*s)[0].bundle_state.value, BundleState::kDepleted);
  EXPECT_EQ((*s)[0].remaining_quantity, 0);
  Advance(8 * 86400);
  s = client->esims().GetBundle(iccid, kBundle);
  ASSERT_TRUE(s);
  EXPECT_EQ((*s)[0].bundle_state.value, BundleState::kExpired);
  auto current = client->esims().ListBundles(iccid);
  ASSERT_TRUE(current);
  EXPECT_TRUE(current->empty());
  auto used = client->esims().ListBundles(iccid, {.include_used = true});
  ASSERT_TRUE(used);
  EXPECT_EQ(used->size(), 1u);
}

TEST_F(EsimsIt, UnusedQueuedBundleLapsesAfterAYear) {
  std::string iccid = NewEsim();
  Advance(366 * 86400);
  auto s = client->esims().GetBundle(iccid, kBundle);
  ASSERT_TRUE(s);
  EXPECT_EQ((*s)[0].bundle_state.value, BundleState::kLapsed);
}

TEST_F(EsimsIt, InventoryLotsExpireAfterAYearAndCannotBeApplied) {
  Stock(kBundle, 1);
  Advance(366 * 86400);
  auto inv = client->inventory().Get();
  ASSERT_TRUE(inv);
  EXPECT_TRUE(inv->bundles.empty());
  auto a = client->esims().ApplyBundle({.name = kBundle});
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().http_status, 403);
}

TEST_F(EsimsIt, RevokeByNameTakesTheOldestUnusedAndRefundsToInventory) {
  std::string iccid = NewEsim();
  Stock(kBundle, 1);
  ASSERT_TRUE(client->esims().ApplyBundle({.iccid = iccid, .name = kBundle}));
  auto before = client->esims().GetBundle(iccid, kBundle);
  ASSERT_TRUE(before);
  ASSERT_EQ(before->size(), 2u);
  const std::string oldest = before->back().id;  // latest first
  auto dry = client->esims().RevokeBundle(iccid, kBundle, {.type = RevokeType::kValidate});
  ASSERT_TRUE(dry) << dry.error().ToString();
  auto still = client->esims().GetBundle(iccid, kBundle);
  ASSERT_TRUE(still);
  EXPECT_NE(still->back().bundle_state.value, BundleState::kRevoked);
  auto rv = client->esims().RevokeBundle(iccid, kBundle);
  ASSERT_TRUE(rv) << rv.error().ToString();
  EXPECT_EQ(rv->status, "Successfully Revoked Bundle, bundle has been refunded to inventory");
  auto after = client->esims().GetBundle(iccid, kBundle);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->back().id, oldest);
  EXPECT_EQ(after->back().bundle_state.value, BundleState::kRevoked);
  EXPECT_NE(after->front().bundle_state.value, BundleState::kRevoked);
  auto inv = client->inventory().Get();
  ASSERT_TRUE(inv);
  int64_t remaining = 0;
  for (const auto& l : inv->bundles.at(0).available) remaining += l.remaining;
  EXPECT_EQ(remaining, 1);
}

TEST_F(EsimsIt, RevokeToBalanceNeedsOfferIdAndCreditsThePrice) {
  std::string iccid = NewEsim();
  auto price = client->catalogue().Get(kBundle)->price;
  auto org = client->organisation().Get();
  ASSERT_TRUE(org);
  auto bad = raw->client.Delete(
      ("/v2.4/esims/" + iccid + "/bundles/" + kBundle + "?refundToBalance=true").c_str(),
      {{"X-API-Key", kSandboxKey}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  auto rv = client->esims().RevokeBundle(iccid, kBundle,
                                         {.refund_to_balance = true, .offer_id = "offer-1"});
  ASSERT_TRUE(rv) << rv.error().ToString();
  auto after = client->organisation().Get();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->balance, org->balance + price);
}

TEST_F(EsimsIt, RevokeSpecificAssignmentAndRefuseStartedOnes) {
  std::string iccid = NewEsim();
  auto s = client->esims().GetBundle(iccid, kBundle);
  ASSERT_TRUE(s);
  std::string id = s->at(0).id;
  ASSERT_TRUE(raw->Post("/_sandbox/usage", R"({"iccid":")" + iccid + R"(","bytes":10})"));
  auto started = client->esims().RevokeBundle(iccid, kBundle);
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().http_status, 400);
  auto rv = client->esims().RevokeAssignment(iccid, kBundle, id);
  ASSERT_TRUE(rv) << rv.error().ToString();
  EXPECT_EQ(rv->status, "Successfully Revoked Bundle");  // started: no refund
  auto missing = client->esims().RevokeAssignment(iccid, kBundle, "1");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().http_status, 400);
}

}  // namespace
}  // namespace esimgo::testing
