// The v2.5 fields on existing models: decoded tolerantly from spec-shaped and live-shaped
// bodies, and encoded only when present, so that a v2.4 answer (the sandbox encodes its v2.4
// answers with these codecs) encodes exactly as before.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "esimgo/client.h"
#include "model/catalogue_codec.h"
#include "model/common_codec.h"
#include "model/esims_codec.h"
#include "model/orders_codec.h"
#include "testing/codec_helpers.h"
#include "testing/fake_transport.h"

namespace esimgo {
namespace {

using testing::FakeClient;
using testing::MustDecode;
using testing::SpecExample;

void ExpectNoKey(std::string_view json, std::string_view key) {
  EXPECT_EQ(json.find("\"" + std::string(key) + "\""), std::string_view::npos)
      << key << " in " << json;
}

// ------------------------------------------------------------------------ eSIM state

TEST(EsimStateV25, IsOpenAndCaseInsensitiveAndKeepsTheRawText) {
  EXPECT_EQ(ParseEsimState("active").value, EsimState::kActive);
  EXPECT_EQ(ParseEsimState("Active").value, EsimState::kActive);  // the migration guide
  EXPECT_EQ(ParseEsimState("SUSPENDED").value, EsimState::kSuspended);
  EXPECT_EQ(ParseEsimState("Deactivated").value, EsimState::kDeactivated);
  auto unknown = ParseEsimState("Policy_Suspended");
  EXPECT_EQ(unknown.value, EsimState::kUnknown);
  EXPECT_EQ(unknown.raw, "Policy_Suspended");
  EXPECT_EQ(EsimStateName(EsimState::kDeactivated), "deactivated");
  EXPECT_EQ(EsimStateName(EsimState::kUnknown), "unknown");
}

// ------------------------------------------------------------------------ GET /esims

TEST(EsimsFieldsV25, ListReadsTheSpecExampleStates) {
  auto body = MustDecode<EsimListBody>(SpecExample("esims_list_v25.json"));
  ASSERT_EQ(body.esims.size(), 2u);
  EXPECT_EQ(body.esims[0].state.value, EsimState::kActive);
  EXPECT_EQ(body.esims[0].state.raw, "active");
  EXPECT_EQ(body.esims[1].state.value, EsimState::kSuspended);
  EXPECT_TRUE(body.esims[0].msisdn.empty());
}

TEST(EsimsFieldsV25, ListReadsLiveShapedItems) {
  auto body = MustDecode<EsimListBody>(SpecExample("esims_list_v25_live.json"));
  ASSERT_EQ(body.esims.size(), 2u);
  EXPECT_EQ(body.esims[0].iccid, "89012345678901234567");  // a 20-digit number, digits kept
  EXPECT_EQ(body.esims[0].state.value, EsimState::kDeactivated);
  EXPECT_EQ(body.esims[0].state.raw, "Deactivated");
  EXPECT_EQ(body.esims[0].msisdn, "447700900123");
  EXPECT_EQ(body.esims[1].state.value, EsimState::kUnknown);  // new value: kept, no error
  EXPECT_EQ(body.esims[1].state.raw, "Policy_Suspended");
  EXPECT_TRUE(body.esims[1].msisdn.empty());  // null
}

TEST(EsimsFieldsV25, ListItemsRoundTripAndV24ItemsEncodeWithoutTheNewKeys) {
  auto v25 = MustDecode<EsimListBody>(SpecExample("esims_list_v25_live.json"));
  const std::string encoded = internal::EncodeBody(v25);
  EXPECT_NE(encoded.find(R"("state":"Deactivated")"), std::string::npos) << encoded;
  EXPECT_EQ(MustDecode<EsimListBody>(encoded).esims, v25.esims);

  auto v24 = MustDecode<EsimListBody>(SpecExample("esims_list.json"));
  const std::string encoded24 = internal::EncodeBody(v24);
  ExpectNoKey(encoded24, "state");
  ExpectNoKey(encoded24, "msisdn");

  EsimSummary built{.iccid = "8944123456789012345"};
  built.state.value = EsimState::kSuspended;  // built in code: no raw text
  EXPECT_NE(internal::EncodeBody(built).find(R"("state":"suspended")"), std::string::npos);
}

// ------------------------------------------------------------------------ GET /esims/{iccid}

TEST(EsimsFieldsV25, DetailsReadEveryNewFieldOfTheSpecExample) {
  auto d = MustDecode<EsimDetails>(SpecExample("esims_details_v25.json"));
  EXPECT_EQ(d.state.value, EsimState::kActive);
  EXPECT_EQ(d.apple_install_url,
            "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA:1$rsp-1234.example."
            "com$ABCD-ABCD-ABCD-ABCD");
  EXPECT_EQ(d.android_install_url,
            "https://esimsetup.android.com/esim_qrcode_provisioning?carddata=LPA:1$rsp-1234."
            "example.com$ABCD-ABCD-ABCD-ABCD");
  EXPECT_EQ(d.branding_id, "f616f7g8-ey0d-123d-803d-0214a2f5dafb");
  EXPECT_EQ(d.profile_name, "Profile 1");
  EXPECT_TRUE(d.msisdn.empty());
  ASSERT_TRUE(d.first_installed.time);
}

TEST(EsimsFieldsV25, DetailsReadALiveShapedBody) {
  auto d = MustDecode<EsimDetails>(SpecExample("esims_details_v25_live.json"));
  EXPECT_EQ(d.state.value, EsimState::kSuspended);
  EXPECT_EQ(d.state.raw, "SUSPENDED");
  EXPECT_EQ(d.msisdn, "447700900123");
  EXPECT_EQ(d.branding_id, "(default)");
  EXPECT_EQ(d.profile_name, "Profile 2");
  EXPECT_EQ(d.profile_status, "Deactivated");
  EXPECT_TRUE(d.first_installed.time);  // an ISO string instead of epoch-ms
  EXPECT_TRUE(d.android_install_url.empty());
}

TEST(EsimsFieldsV25, DetailsRoundTripAndAV24BodyEncodesByteForByteAsBefore) {
  auto v25 = MustDecode<EsimDetails>(SpecExample("esims_details_v25.json"));
  EXPECT_EQ(MustDecode<EsimDetails>(internal::EncodeBody(v25)), v25);

  // The v2.4 spec example is written in the encoder's key order: nothing may be added.
  std::string v24 = SpecExample("esims_details.json");
  while (!v24.empty() && (v24.back() == '\n' || v24.back() == '\r')) v24.pop_back();
  EXPECT_EQ(internal::EncodeBody(MustDecode<EsimDetails>(v24)), v24);
}

TEST(EsimsFieldsV25, GetReturnsTheNewFieldsThroughTheClient) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_details_v25.json"));
  ClientOptions o = fake.Options();
  o.base_url = "https://api.test/v2.5";
  Client client(o);
  auto r = client.esims().Get("894123456789123456", "installUrl");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->state.value, EsimState::kActive);
  EXPECT_FALSE(r->android_install_url.empty());
  EXPECT_NE(fake.transport->last().url.find("additionalFields=installUrl"), std::string::npos);
}

TEST(EsimsFieldsV25, InstallDetailsKeepAnAndroidInstallUrlWhenSentAndOmitItWhenNot) {
  auto body = MustDecode<InstallDetailsBody>(
      R"([{"iccid":"8944123456789012345","matchingId":"M","smdpAddress":"rsp.example.com",)"
      R"("appleInstallUrl":"https://esimsetup.apple.com/x","androidInstallUrl":"https://esimsetup.android.com/x"}])");
  ASSERT_EQ(body.esims.size(), 1u);
  EXPECT_EQ(body.esims[0].android_install_url, "https://esimsetup.android.com/x");
  EXPECT_EQ(MustDecode<InstallDetailsBody>(internal::EncodeBody(body)).esims, body.esims);
  auto v24 = MustDecode<InstallDetailsBody>(SpecExample("esims_install_details.json"));
  ExpectNoKey(internal::EncodeBody(v24), "androidInstallUrl");
}

// ------------------------------------------------------------ assignments and allowances

TEST(AssignmentsFieldsV25, BundlesListReadsTimesAndAllowancesInMb) {
  auto body = MustDecode<BundlesListBody>(SpecExample("esims_bundles_v25.json"));
  ASSERT_EQ(body.bundles.size(), 1u);
  ASSERT_EQ(body.bundles[0].assignments.size(), 1u);
  const BundleAssignment& a = body.bundles[0].assignments[0];
  EXPECT_EQ(a.start_time.raw, "2026-11-01T10:05:00Z");
  EXPECT_TRUE(a.start_time.time);
  EXPECT_EQ(a.end_time.raw, "2026-11-08T10:05:00Z");
  ASSERT_EQ(a.allowances.size(), 2u);
  EXPECT_EQ(a.allowances[0].type, "DATA");
  EXPECT_EQ(a.allowances[0].service, "STANDARD");
  EXPECT_EQ(a.allowances[0].initial_amount, 1000.0);
  EXPECT_EQ(a.allowances[0].remaining_amount, 750.0);
  EXPECT_EQ(a.allowances[0].amount, std::nullopt);
  EXPECT_EQ(a.allowances[0].unit, "MB");
  EXPECT_EQ(a.allowances[1].unit, "SMS");
}

TEST(AssignmentsFieldsV25, GetBundleReadsBytesFloatsNullsAndUnlimited) {
  auto body = MustDecode<AssignmentListBody>(SpecExample("esims_bundle_v25_live.json"));
  ASSERT_EQ(body.assignments.size(), 1u);
  const BundleAssignment& a = body.assignments[0];
  EXPECT_EQ(a.start_time.raw, "2026-11-01");  // date-only
  EXPECT_TRUE(a.end_time.empty());            // null
  ASSERT_EQ(a.allowances.size(), 2u);
  EXPECT_EQ(a.allowances[0].unit, "BYTES");  // kept exactly as sent
  EXPECT_EQ(a.allowances[0].initial_amount, 1073741824.0);
  EXPECT_EQ(a.allowances[0].remaining_amount, 512.5);
  EXPECT_EQ(a.allowances[1].initial_amount, std::nullopt);
  EXPECT_TRUE(a.allowances[1].unlimited);
}

TEST(AssignmentsFieldsV25, AllowancesEncodeIntegralAmountsAsIntegersAndRoundTrip) {
  auto body = MustDecode<AssignmentListBody>(SpecExample("esims_bundle_v25_live.json"));
  const std::string encoded = internal::EncodeBody(body);
  EXPECT_NE(encoded.find(R"("initialAmount":1073741824,)"), std::string::npos) << encoded;
  EXPECT_NE(encoded.find(R"("remainingAmount":512.5)"), std::string::npos) << encoded;
  EXPECT_EQ(MustDecode<AssignmentListBody>(encoded).assignments, body.assignments);
}

TEST(AssignmentsFieldsV25, AV24AssignmentEncodesWithoutTheNewKeys) {
  auto body = MustDecode<BundlesListBody>(SpecExample("esims_bundles.json"));
  const std::string encoded = internal::EncodeBody(body);
  ExpectNoKey(encoded, "startTime");
  ExpectNoKey(encoded, "endTime");
  ExpectNoKey(encoded, "allowances");
}

// ------------------------------------------------------------------------ catalogue

TEST(CatalogueFieldsV25, BundleDetailReadsGroupProfileNameAndAllowances) {
  auto b = MustDecode<CatalogueBundle>(SpecExample("catalogue_bundle_v25.json"));
  EXPECT_EQ(b.group, std::vector<std::string>{"Standard Fixed"});
  EXPECT_TRUE(b.groups.empty());
  EXPECT_EQ(b.profile_name, "Profile 1");
  ASSERT_EQ(b.allowances.size(), 1u);
  EXPECT_EQ(b.allowances[0].amount, 1000.0);
  EXPECT_EQ(b.allowances[0].unit, "MB");
  EXPECT_EQ(b.price, Money::FromMicros(1'230'000));
}

TEST(CatalogueFieldsV25, AGroupSentAsOneStringIsAOneElementList) {
  auto b = MustDecode<CatalogueBundle>(R"({"name":"x","group":"Standard Fixed"})");
  EXPECT_EQ(b.group, std::vector<std::string>{"Standard Fixed"});
}

TEST(CatalogueFieldsV25, ALivePageDecodesTheSameThroughTheDomAndOnDemand) {
  const std::string body = SpecExample("catalogue_page_v25_live.json");
  auto page = MustDecode<CataloguePage>(body);  // DOM first (ADR 0003)
  ASSERT_EQ(page.bundles.size(), 1u);
  const CatalogueBundle& b = page.bundles[0];
  EXPECT_EQ(b.profile_name, "Profile 1");
  ASSERT_EQ(b.allowances.size(), 2u);
  EXPECT_EQ(b.allowances[0].amount, 1000.5);
  EXPECT_EQ(b.allowances[1].amount, 20.0);
  // The on-demand decoder gives the same bundle.
  CataloguePage on_demand;
  auto r = internal::json::ParseRoot(
      body, "test", [&](internal::json::Value root) { return Decode(root, on_demand); });
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(on_demand.bundles, page.bundles);
}

TEST(CatalogueFieldsV25, BundlesRoundTripAndV24BundlesEncodeWithoutTheNewKeys) {
  auto b = MustDecode<CatalogueBundle>(SpecExample("catalogue_bundle_v25.json"));
  internal::JsonWriter w;
  Encode(w, b, /*with_groups=*/false);
  EXPECT_EQ(MustDecode<CatalogueBundle>(w.str()), b);

  CatalogueBundle v24{.name = "esim_1GB_7D_GB_V2", .groups = {"Standard Fixed"}};
  const std::string encoded = internal::EncodeBody(v24);
  ExpectNoKey(encoded, "profileName");
  ExpectNoKey(encoded, "allowances");
  ExpectNoKey(encoded, "group");
}

// ------------------------------------------------------------------------ orders

TEST(OrdersFieldsV25, ProfileIdIsSentAsProfileIDOnlyWhenSet) {
  OrderRequest req{.assign = true, .order = {{.item = "esim_1GB_7D_GB_V2"}}};
  ExpectNoKey(internal::EncodeBody(req), "profileID");
  req.profile_id = "f616f7g8-profile";
  const std::string encoded = internal::EncodeBody(req);
  EXPECT_NE(encoded.find(R"(,"profileID":"f616f7g8-profile"})"), std::string::npos) << encoded;
  EXPECT_EQ(MustDecode<OrderRequest>(encoded), req);
}

TEST(OrdersFieldsV25, ValidateSendsProfileIdThroughTheClient) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("orders_validate_spec.json"));
  Client client(fake.Options());
  auto r = client.orders().Validate(
      {.assign = true, .order = {{.item = "esim_1GB_7D_GB_V2"}}, .profile_id = "p-2"});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_NE(fake.transport->last().body.find(R"("profileID":"p-2")"), std::string::npos)
      << fake.transport->last().body;
}

TEST(OrdersFieldsV25, RunningBalanceIsReadExactlyFromItsString) {
  auto o = MustDecode<Order>(SpecExample("orders_transaction_v25.json"));
  ASSERT_TRUE(o.running_balance);
  EXPECT_EQ(*o.running_balance, Money::FromMicros(998'770'000));
  const std::string encoded = internal::EncodeBody(o);
  EXPECT_NE(encoded.find(R"("runningBalance":"998.77")"), std::string::npos) << encoded;
  EXPECT_EQ(MustDecode<Order>(encoded), o);
}

TEST(OrdersFieldsV25, AMalformedRunningBalanceNeverFailsAnOrderThatMovedMoney) {
  for (const char* value : {R"("n/a")", "null", R"({"x":1})", "[]"}) {
    SCOPED_TRACE(value);
    auto o = MustDecode<Order>(std::string(R"({"orderReference":"r-1","total":1.5,)") +
                               R"("runningBalance":)" + value + R"(,"status":"completed"})");
    EXPECT_EQ(o.order_reference, "r-1");
    EXPECT_EQ(o.status.value, OrderStatus::kCompleted);  // fields after it still read
    EXPECT_EQ(o.running_balance, std::nullopt);
  }
  auto number = MustDecode<Order>(R"({"runningBalance":12.5})");
  EXPECT_EQ(number.running_balance, Money::FromMicros(12'500'000));
}

TEST(OrdersFieldsV25, AV24OrderEncodesWithoutRunningBalance) {
  auto o = MustDecode<Order>(SpecExample("orders_transaction_spec.json"));
  EXPECT_EQ(o.running_balance, std::nullopt);
  ExpectNoKey(internal::EncodeBody(o), "runningBalance");
}

}  // namespace
}  // namespace esimgo
