// API v2.5 through the SDK against the sandbox: both prefixes on one state, the v2.5 fields on
// v2.5 answers only, the eSIM state machine (suspend, policy suspension, delete), consumption
// prices and the SMSFailed callback. v2.4 answers stay as they were (the other tests).

#include <nlohmann/json.hpp>

#include "esimgo/webhook.h"
#include "sandbox_fixture.h"

namespace esimgo::testing {
namespace {

constexpr char kBundle[] = "esim_1GB_7D_GB_V2";

std::string V25(std::string base_url) {
  return base_url.substr(0, base_url.size() - 4) + "v2.5";  // …/v2.4 → …/v2.5
}

class V25It : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    ASSERT_EQ(sb->base_url().substr(sb->base_url().size() - 5), "/v2.4");
    v25 = std::make_unique<Client>(MakeClient(V25(sb->base_url())));
  }
  // An eSIM with one bundle, bought through the v2.4 client (the state is shared).
  std::string NewEsim(std::string* order_ref = nullptr) {
    auto o = client->orders().Create({.assign = true, .order = {{.item = kBundle}}});
    EXPECT_TRUE(o) << o.error().ToString();
    if (!o) return {};
    if (order_ref) *order_ref = o->order_reference;
    return o->order.at(0).iccids.at(0);
  }
  std::unique_ptr<Client> v25;
};

TEST_F(V25It, BothPrefixesServeTheSameState) {
  std::string iccid = NewEsim();
  auto via25 = v25->esims().Get(iccid);
  ASSERT_TRUE(via25) << via25.error().ToString();
  EXPECT_EQ(via25->iccid, iccid);
  ASSERT_TRUE(v25->esims().Suspend(iccid, true));
  // A v2.5 change is visible to v2.4 (its history), without v2.4 fields changing shape.
  auto history = client->esims().History(iccid);
  ASSERT_TRUE(history);
  EXPECT_EQ(history->back().name, "eSIM Suspended");
}

TEST_F(V25It, EsimFieldsAppearOnV25AnswersOnly) {
  std::string iccid = NewEsim();
  auto d = v25->esims().Get(iccid, "installUrl");
  ASSERT_TRUE(d) << d.error().ToString();
  EXPECT_EQ(d->state.value, EsimState::kActive);
  EXPECT_EQ(d->state.raw, "active");
  EXPECT_EQ(d->branding_id, "(default)");
  EXPECT_EQ(d->profile_name, "Profile 4");
  EXPECT_TRUE(d->msisdn.empty());
  EXPECT_NE(d->apple_install_url.find("esimsetup.apple.com"), std::string::npos);
  EXPECT_EQ(d->android_install_url,
            "https://esimsetup.android.com/esim_qrcode_provisioning?carddata=" +
                LpaString(d->smdp_address, d->matching_id));

  auto raw24 = raw->Get("/v2.4/esims/" + iccid + "?additionalFields=installUrl");
  ASSERT_TRUE(raw24);
  ASSERT_EQ(raw24->status, 200);
  auto j = nlohmann::json::parse(raw24->body);
  for (const char* key :
       {"state", "msisdn", "brandingId", "profileName", "appleInstallUrl", "androidInstallUrl"}) {
    EXPECT_FALSE(j.contains(key)) << key << " in a v2.4 answer: " << raw24->body;
  }

  auto list = v25->esims().List({});
  ASSERT_TRUE(list) << list.error().ToString();
  ASSERT_FALSE(list->items.empty());
  EXPECT_EQ(list->items[0].state.raw, "active");
  auto list24 = raw->Get("/v2.4/esims");
  ASSERT_TRUE(list24);
  EXPECT_EQ(list24->body.find("\"state\""), std::string::npos) << list24->body;
}

TEST_F(V25It, CatalogueBundlesCarryProfileNameAndDetailGroupOnV25Only) {
  auto b = v25->catalogue().Get(kBundle);
  ASSERT_TRUE(b) << b.error().ToString();
  EXPECT_EQ(b->profile_name, "Profile 4");
  EXPECT_FALSE(b->group.empty());
  auto page = v25->catalogue().List({.countries = {"GB"}});
  ASSERT_TRUE(page) << page.error().ToString();
  ASSERT_FALSE(page->bundles.empty());
  EXPECT_FALSE(page->bundles[0].profile_name.empty());
  auto b24 = client->catalogue().Get(kBundle);
  ASSERT_TRUE(b24);
  EXPECT_TRUE(b24->profile_name.empty());
  EXPECT_TRUE(b24->group.empty());
  // The page cache keeps the versions apart: the same query under v2.4 has no profileName.
  auto raw24 = raw->Get("/v2.4/catalogue?countries=GB");
  ASSERT_TRUE(raw24);
  EXPECT_EQ(raw24->body.find("profileName"), std::string::npos);
}

TEST_F(V25It, TransactionOrdersCarryTheRunningBalanceOnV25Only) {
  auto o = v25->orders().Create({.order = {{.item = kBundle}}});
  ASSERT_TRUE(o) << o.error().ToString();
  auto org = v25->organisation().Get();
  ASSERT_TRUE(org);
  ASSERT_TRUE(o->running_balance.has_value());
  EXPECT_EQ(*o->running_balance, org->balance);
  auto o24 = client->orders().Create({.order = {{.item = kBundle}}});
  ASSERT_TRUE(o24);
  EXPECT_FALSE(o24->running_balance.has_value());
}

TEST_F(V25It, AssignmentsCarryStartAndEndTimesOnV25Only) {
  std::string iccid = NewEsim();
  ASSERT_EQ(raw->Post("/_sandbox/usage",
                      "{\"iccid\":\"" + iccid + "\",\"bytes\":1000,\"country\":\"GB\"}")
                ->status,
            200);
  auto a = v25->esims().GetBundle(iccid, kBundle);
  ASSERT_TRUE(a) << a.error().ToString();
  ASSERT_FALSE(a->empty());
  EXPECT_FALSE(a->at(0).start_time.raw.empty());
  EXPECT_FALSE(a->at(0).end_time.raw.empty());
  auto a24 = client->esims().GetBundle(iccid, kBundle);
  ASSERT_TRUE(a24);
  EXPECT_TRUE(a24->at(0).start_time.raw.empty());
  EXPECT_TRUE(a24->at(0).end_time.raw.empty());
}

TEST_F(V25It, SuspendUnsuspendRoundTrip) {
  std::string iccid = NewEsim();
  auto s = v25->esims().Suspend(iccid, true);
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->status, "eSIM suspended successfully");
  auto q = v25->esims().Suspension(iccid);
  ASSERT_TRUE(q) << q.error().ToString();
  EXPECT_EQ(q->suspended, std::optional<bool>(true));
  EXPECT_EQ(v25->esims().Get(iccid)->state.value, EsimState::kSuspended);

  auto again = v25->esims().Suspend(iccid, true);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().http_status, 400);

  auto u = v25->esims().Suspend(iccid, false);
  ASSERT_TRUE(u) << u.error().ToString();
  EXPECT_EQ(v25->esims().Suspension(iccid)->suspended, std::optional<bool>(false));
  EXPECT_EQ(v25->esims().Get(iccid)->state.value, EsimState::kActive);
}

TEST_F(V25It, SuspendAnswers201) {
  std::string iccid = NewEsim();
  auto r = raw->Post("/v2.5/esims/" + iccid + "/suspend", "{\"suspend\": true}");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, "{\"status\":\"eSIM suspended successfully\"}");
  auto bad = raw->Post("/v2.5/esims/" + iccid + "/suspend", "{}");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST_F(V25It, PolicySuspensionCannotBeLiftedThroughTheApi) {
  std::string iccid = NewEsim();
  auto p = raw->Post("/_sandbox/esims/" + iccid + "/policy-suspension", "{\"suspended\": true}");
  ASSERT_TRUE(p);
  ASSERT_EQ(p->status, 200) << p->body;
  auto u = v25->esims().Suspend(iccid, false);
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().http_status, 403);
  EXPECT_NE(u.error().message.find("policy"), std::string::npos) << u.error().message;
  EXPECT_EQ(v25->esims().Suspension(iccid)->suspended, std::optional<bool>(true));
}

TEST_F(V25It, DeletedEsimIsDeactivatedAndRefusesLaterUse) {
  std::string order_ref;
  std::string iccid = NewEsim(&order_ref);
  auto d = v25->esims().Delete(iccid);
  ASSERT_TRUE(d) << d.error().ToString();
  EXPECT_EQ(d->status, "eSIM deleted successfully");
  EXPECT_EQ(v25->esims().Get(iccid)->state.value, EsimState::kDeactivated);

  auto refresh = v25->esims().Refresh(iccid);
  ASSERT_FALSE(refresh);
  EXPECT_EQ(refresh.error().http_status, 400);
  EXPECT_EQ(refresh.error().reason, ErrorReason::kDeactivated);
  auto sms = v25->esims().SendSms(iccid, {.message = "hello"});
  ASSERT_FALSE(sms);
  EXPECT_EQ(sms.error().http_status, 400);
  EXPECT_EQ(sms.error().reason, ErrorReason::kDeactivated);
  auto apply = v25->esims().ApplyBundle({.iccid = iccid, .name = kBundle});
  ASSERT_FALSE(apply);
  EXPECT_EQ(apply.error().http_status, 400);
  EXPECT_EQ(apply.error().reason, ErrorReason::kDeactivated);

  auto install = v25->esims().InstallDetails({.references = {order_ref}});
  ASSERT_FALSE(install);
  EXPECT_EQ(install.error().http_status, 410);
  EXPECT_EQ(install.error().reason, ErrorReason::kDeactivated);

  auto twice = v25->esims().Delete(iccid);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().http_status, 400);
}

TEST_F(V25It, V25OperationsDoNotExistUnderV24) {
  std::string iccid = NewEsim();
  auto s = raw->Post("/v2.4/esims/" + iccid + "/suspend", "{\"suspend\": true}");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->status, 404);
  EXPECT_NE(s->body.find("no such operation"), std::string::npos);
  auto del = raw->client.Delete(("/v2.4/esims/" + iccid).c_str(), {{"X-API-Key", kSandboxKey}});
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 404);
  auto prices = raw->Get("/v2.4/catalogue/prices");
  ASSERT_TRUE(prices);
  EXPECT_EQ(prices->status, 404);
  // Nothing happened to the eSIM.
  EXPECT_EQ(v25->esims().Get(iccid)->state.value, EsimState::kActive);
}

TEST_F(V25It, PricesAreForConsumptionCustomersOnly) {
  auto refused = v25->catalogue().Prices();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().http_status, 403);
  EXPECT_NE(refused.error().message.find("consumption"), std::string::npos);

  auto on = raw->Post("/_sandbox/consumption", "{\"enabled\": true}");
  ASSERT_TRUE(on);
  ASSERT_EQ(on->status, 200) << on->body;
  auto p = v25->catalogue().Prices();
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ(p->hash.size(), 64u);
  ASSERT_FALSE(p->prices.empty());
  const auto& first = p->prices.front();
  ASSERT_FALSE(first.prices.empty());
  EXPECT_EQ(first.prices.front().country, first.country);
  EXPECT_EQ(first.prices.front().currency, "USD");
  EXPECT_GT(first.prices.front().price, Money());
  // The price travels as a decimal string.
  auto rawp = raw->Get("/v2.5/catalogue/prices");
  ASSERT_TRUE(rawp);
  auto j = nlohmann::json::parse(rawp->body);
  EXPECT_TRUE(j["prices"][0]["prices"][0]["price"].is_string()) << rawp->body.substr(0, 300);
  EXPECT_EQ(j["hash"], p->hash);
}

TEST(SandboxV25Callbacks, SmsToASuspendedEsimReportsSmsFailed) {
  Receiver receiver;
  auto sb = StartSandbox({.callback_url = receiver.url(), .rate_limit = 0});
  ASSERT_NE(sb, nullptr);
  Client v25 = MakeClient(V25(sb->base_url()));
  auto o = v25.orders().Create({.assign = true, .order = {{.item = kBundle}}});
  ASSERT_TRUE(o) << o.error().ToString();
  std::string iccid = o->order.at(0).iccids.at(0);
  ASSERT_TRUE(v25.esims().Suspend(iccid, true));
  auto sms = v25.esims().SendSms(iccid, {.message = "hello"});
  ASSERT_TRUE(sms) << sms.error().ToString();  // accepted, then not delivered
  bool found = false;
  for (const auto& hit : receiver.WaitFor(1)) {
    auto alert = webhook::ParseAlert(hit.body);
    ASSERT_TRUE(alert) << hit.body;
    if (alert->alert_type.value == webhook::AlertType::kSmsFailed) {
      found = true;
      EXPECT_EQ(alert->iccid, iccid);
    }
  }
  EXPECT_TRUE(found);
}

// The three operations eSIM Go deprecated but the v2.5 YAML lists again.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
TEST_F(V25It, DeprecatedQrCsvAndApplicationOperationsWork) {
  std::string order_ref;
  std::string iccid = NewEsim(&order_ref);
  auto zip = v25->esims().QrCodes(order_ref);
  ASSERT_TRUE(zip) << zip.error().ToString();
  EXPECT_EQ(zip->substr(0, 2), "PK");
  auto csv = v25->esims().InstallCsv(order_ref);
  ASSERT_TRUE(csv) << csv.error().ToString();
  ASSERT_EQ(csv->size(), 1u);
  EXPECT_EQ(csv->at(0).iccid, iccid);

  auto bundle = v25->esims().GetBundle(iccid, kBundle);
  ASSERT_TRUE(bundle);
  auto revoke =
      v25->esims().RevokeApplication(iccid, kBundle, bundle->at(0).id, RevokeType::kValidate);
  ASSERT_TRUE(revoke) << revoke.error().ToString();

  ASSERT_TRUE(v25->esims().Delete(iccid));
  auto gone = v25->esims().QrCodes(order_ref);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().http_status, 410);
  EXPECT_EQ(gone.error().reason, ErrorReason::kDeactivated);
  // Not under /v2.4: the YAML of v2.4 does not have them.
  auto r = raw->Get("/v2.4/esims/qr/" + order_ref);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
}
#pragma GCC diagnostic pop

TEST(SandboxIpAllowList, ABlockedAddressIsAnsweredExactlyLikeABadKey) {
  auto sb = StartSandbox({.rate_limit = 0, .allowed_ips = {"192.0.2.1"}});
  ASSERT_NE(sb, nullptr);
  Raw good_key(sb->port());
  Raw bad_key(sb->port(), "wrong-key-0000");
  for (const std::string path : {"/v2.4/organisation", "/v2.5/esims"}) {
    auto blocked = good_key.Get(path);
    auto bad = bad_key.Get(path);
    ASSERT_TRUE(blocked && bad);
    EXPECT_EQ(blocked->status, 403) << path;
    EXPECT_EQ(blocked->status, bad->status) << path;
    EXPECT_EQ(blocked->body, bad->body) << path;
    EXPECT_EQ(blocked->get_header_value("Content-Type"), bad->get_header_value("Content-Type"));
  }
  // POST /orders answers a bad key with 401 text/plain: so does the allow-list.
  const std::string order = R"({"type":"validate","order":[{"type":"bundle","item":"x"}]})";
  auto blocked = good_key.Post("/v2.5/orders", order);
  auto bad = bad_key.Post("/v2.5/orders", order);
  ASSERT_TRUE(blocked && bad);
  EXPECT_EQ(blocked->status, 401);
  EXPECT_EQ(blocked->body, bad->body);
  // Through the SDK: the same reason as a bad key.
  auto org = MakeClient(V25(sb->base_url())).organisation().Get();
  ASSERT_FALSE(org);
  EXPECT_EQ(org.error().reason, ErrorReason::kInvalidKey);
  // The sandbox's own admin routes stay reachable, so a test can still drive it.
  auto admin = good_key.Get("/_sandbox/state");
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->status, 200);
}

TEST(SandboxIpAllowList, AnAllowedAddressIsServed) {
  auto sb = StartSandbox({.rate_limit = 0, .allowed_ips = {"192.0.2.1", "127.0.0.1"}});
  ASSERT_NE(sb, nullptr);
  auto org = MakeClient(V25(sb->base_url())).organisation().Get();
  ASSERT_TRUE(org) << org.error().ToString();
}

}  // namespace
}  // namespace esimgo::testing
