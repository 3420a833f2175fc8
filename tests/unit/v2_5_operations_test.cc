// The v2.5 operations (#27–#33): the exact request each sends, the spec-shaped and live-shaped
// answers it decodes, which of them are never repeated, and that a v2.4 client refuses each
// one before sending.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "esimgo/client.h"
#include "model/catalogue_codec.h"
#include "testing/codec_helpers.h"
#include "testing/fake_transport.h"

namespace esimgo {
namespace {

using testing::FakeClient;
using testing::FakeReply;
using testing::SpecExample;

constexpr const char* kIccid = "8944123456789012345";
constexpr const char* kBase25 = "https://api.test/v2.5";

ClientOptions V25(const FakeClient& fake) {
  ClientOptions o = fake.Options();
  o.base_url = kBase25;
  return o;
}

// The part of the URL after the v2.5 base.
std::string Target25(const HttpRequest& r) {
  const std::string base = kBase25;
  return r.url.rfind(base, 0) == 0 ? r.url.substr(base.size()) : r.url;
}

FakeReply Reply(std::string body, int status, std::string content_type = "application/json") {
  return FakeReply{
      .status = status, .body = std::move(body), .headers = {{"Content-Type", content_type}}};
}

// ------------------------------------------------------------ #27 POST /esims/{iccid}/suspend

TEST(EsimsV25, SuspendPostsTheSuspendFlagAndReadsThe201Status) {
  FakeClient fake;
  fake.transport->Push(Reply(SpecExample("esims_suspend.json"), 201));
  Client client(V25(fake));
  auto r = client.esims().Suspend(kIccid, true);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->status, "eSIM suspended successfully");
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(Target25(req), std::string("/esims/") + kIccid + "/suspend");
  EXPECT_EQ(req.body, R"({"suspend":true})");
  EXPECT_EQ(FindHeader(req.headers, "Content-Type"), "application/json");
}

TEST(EsimsV25, UnsuspendPostsFalseAndAcceptsAnyStatusText) {
  FakeClient fake;
  fake.transport->Push(Reply(R"({"status":"eSIM unsuspended"})", 201));
  Client client(V25(fake));
  auto r = client.esims().Suspend(kIccid, false);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->status, "eSIM unsuspended");
  EXPECT_EQ(fake.transport->last().body, R"({"suspend":false})");
}

TEST(EsimsV25, SuspendIsNeverSentTwiceAndALostAnswerIsAmbiguous) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(/*maybe_sent=*/true, ErrorCode::kTimeout));
  fake.transport->Push(Reply(SpecExample("esims_suspend.json"), 201));
  Client client(V25(fake));
  auto r = client.esims().Suspend(kIccid, true);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kAmbiguous);
  EXPECT_NE(r.error().message.find("Suspension"), std::string::npos) << r.error().message;
  EXPECT_EQ(fake.transport->count(), 1u);
}

TEST(EsimsV25, SuspendRejectsAMalformedIccidBeforeSending) {
  FakeClient fake;
  Client client(V25(fake));
  auto r = client.esims().Suspend("12ab", true);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().operation, "esims.Suspend");
  EXPECT_EQ(fake.transport->count(), 0u);
}

// ------------------------------------------------------------- #28 GET /esims/{iccid}/suspend

TEST(EsimsV25, SuspensionReadsTheInferredBodyAndKeepsItRaw) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_suspension.json"));
  Client client(V25(fake));
  auto r = client.esims().Suspension(kIccid);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->suspended, true);
  EXPECT_EQ(r->raw_json, SpecExample("esims_suspension.json"));
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target25(req), std::string("/esims/") + kIccid + "/suspend");
  EXPECT_TRUE(req.body.empty());
}

TEST(EsimsV25, SuspensionToleratesOtherShapes) {
  struct Case {
    std::string body;
    std::optional<bool> suspended;
  };
  const std::vector<Case> cases = {
      {R"({"suspended":false})", false},
      {R"({"suspended":"true","iccid":"8944123456789012345"})", true},  // bool as string
      {R"({"state":"Suspended"})", true},                               // a state instead
      {R"({"state":"active"})", false},
      {R"({"status":"suspended"})", true},
      {R"({"suspended":null})", std::nullopt},
      {R"({"somethingElse":{"a":[1,2]}})", std::nullopt},  // unknown: raw kept, no error
      {R"({})", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    FakeClient fake;
    fake.transport->PushJson(c.body);
    Client client(V25(fake));
    auto r = client.esims().Suspension(kIccid);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->suspended, c.suspended);
    EXPECT_EQ(r->raw_json, c.body);
  }
}

TEST(EsimsV25, SuspensionThatIsNotJsonIsADecodeError) {
  FakeClient fake;
  fake.transport->Push(Reply("suspended", 200, "text/plain"));
  Client client(V25(fake));
  auto r = client.esims().Suspension(kIccid);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kDecode);
  EXPECT_EQ(r.error().operation, "esims.Suspension");
}

TEST(EsimsV25, SuspensionIsARetriedRead) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(true, ErrorCode::kTimeout));
  fake.transport->PushJson(R"({"suspended":false})");
  Client client(V25(fake));
  auto r = client.esims().Suspension(kIccid);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(fake.transport->count(), 2u);
}

// ----------------------------------------------------------------- #29 DELETE /esims/{iccid}

TEST(EsimsV25, DeleteSendsADeleteOfTheEsimAndReadsTheStatus) {
  FakeClient fake;
  fake.transport->PushJson(R"({"status":"eSIM deleted successfully"})");
  Client client(V25(fake));
  auto r = client.esims().Delete(kIccid);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->status, "eSIM deleted successfully");
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "DELETE");
  EXPECT_EQ(Target25(req), std::string("/esims/") + kIccid);
  EXPECT_TRUE(req.body.empty());
}

TEST(EsimsV25, DeleteIsNeverRepeatedAndALostAnswerSaysToCheckForDeactivated) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(true, ErrorCode::kTransport));
  fake.transport->PushJson(R"({"status":"ok"})");
  Client client(V25(fake));
  auto r = client.esims().Delete(kIccid);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kAmbiguous);
  EXPECT_NE(r.error().message.find("irreversible"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("\"deactivated\""), std::string::npos) << r.error().message;
  EXPECT_EQ(fake.transport->count(), 1u);

  FakeClient fake500;
  fake500.transport->PushJson(R"({"message":"boom"})", 500);
  fake500.transport->PushJson(R"({"status":"ok"})");
  auto r500 = Client(V25(fake500)).esims().Delete(kIccid);
  ASSERT_FALSE(r500);
  EXPECT_EQ(r500.error().code, ErrorCode::kServer);
  EXPECT_EQ(fake500.transport->count(), 1u);
}

// -------------------------------------------------------------- #30 GET /catalogue/prices

TEST(CatalogueV25, PricesReadsTheSpecExampleWithAnExactDecimal) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("catalogue_prices_spec.json"));
  Client client(V25(fake));
  auto r = client.catalogue().Prices();
  ASSERT_TRUE(r) << r.error().ToString();
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target25(req), "/catalogue/prices");
  EXPECT_EQ(r->hash, "a1b2c3d4e5f6...");
  ASSERT_EQ(r->prices.size(), 1u);
  EXPECT_EQ(r->prices[0].country, (PriceCountry{.iso = "GB", .name = "United Kingdom"}));
  ASSERT_EQ(r->prices[0].prices.size(), 1u);
  const ConsumptionPrice& p = r->prices[0].prices[0];
  EXPECT_EQ(p.id, "3fa85f64-5717-4562-b3fc-2c963f66afa6");
  EXPECT_EQ(p.price, Money::FromMicros(1'230'000));
  EXPECT_EQ(p.currency, "USD");
  EXPECT_EQ(p.profile, "Profile 1");
  EXPECT_EQ(p.country.iso, "GB");
}

TEST(CatalogueV25, PricesReadsALiveShapedBodyWithSeveralCountriesAndUnknownFields) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("catalogue_prices_live.json"));
  Client client(V25(fake));
  auto r = client.catalogue().Prices();
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->hash.size(), 64u);
  ASSERT_EQ(r->prices.size(), 2u);
  ASSERT_EQ(r->prices[0].prices.size(), 2u);
  EXPECT_EQ(r->prices[0].prices[0].price, Money::FromMicros(100'000));  // "0.10"
  EXPECT_EQ(r->prices[0].prices[1].profile, "Profile 2");
  EXPECT_EQ(r->prices[1].country.iso, "US-HI");
  // Six fractional digits, exactly: a double would not hold 12.999999.
  EXPECT_EQ(r->prices[1].prices[0].price, Money::FromMicros(12'999'999));
  EXPECT_EQ(r->prices[1].prices[0].price.ToString(), "12.999999");
}

TEST(CatalogueV25, APriceThatIsNotADecimalIsADecodeErrorNeverAGuess) {
  for (const char* price : {R"("abc")", R"("")", R"("1,23")", "null", "{}"}) {
    SCOPED_TRACE(price);
    FakeClient fake;
    fake.transport->PushJson(std::string(R"({"hash":"h","prices":[{"country":{"iso":"GB"},)") +
                             R"("prices":[{"id":"x","price":)" + price + "}]}]}");
    Client client(V25(fake));
    auto r = client.catalogue().Prices();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kDecode);
    EXPECT_EQ(r.error().operation, "catalogue.Prices");
  }
}

TEST(CatalogueV25, APriceSentAsANumberIsStillReadExactly) {
  FakeClient fake;
  fake.transport->PushJson(R"({"hash":"h","prices":[{"prices":[{"price":9.99}]}]})");
  Client client(V25(fake));
  auto r = client.catalogue().Prices();
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->prices[0].prices[0].price, Money::FromMicros(9'990'000));
}

TEST(CatalogueV25, PricesForANonConsumptionOrganisationIsForbidden) {
  FakeClient fake;
  fake.transport->PushJson(R"({"message":"Consumption prices are not available"})", 403);
  Client client(V25(fake));
  auto r = client.catalogue().Prices();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(fake.transport->count(), 1u);
}

TEST(CatalogueV25, PricesEncodeAsDecimalStringsAndReadBackUnchanged) {
  const auto prices =
      testing::MustDecode<CataloguePrices>(SpecExample("catalogue_prices_live.json"));
  const std::string encoded = internal::EncodeBody(prices);
  EXPECT_NE(encoded.find(R"("price":"12.999999")"), std::string::npos) << encoded;
  EXPECT_NE(encoded.find(R"("price":"0.1")"), std::string::npos) << encoded;
  EXPECT_EQ(testing::MustDecode<CataloguePrices>(encoded), prices);
}

// ---------------------------------------------------- #31–#33, deprecated by eSIM Go in v2.5

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

TEST(EsimsV25Deprecated, QrCodesGetsTheZipOfAReference) {
  FakeClient fake;
  const std::string zip("PK\x03\x04rest-of-zip", 15);
  fake.transport->Push(Reply(zip, 200, "application/zip"));
  Client client(V25(fake));
  auto r = client.esims().QrCodes("ref/1 2");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(*r, zip);
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target25(req), "/esims/qr/ref%2F1%202");
  EXPECT_EQ(FindHeader(req.headers, "Accept"), "application/zip");
}

TEST(EsimsV25Deprecated, QrCodesRejectsABodyThatIsNotAZipAndAnEmptyReference) {
  FakeClient fake;
  fake.transport->PushJson(R"({"oops":true})");
  Client client(V25(fake));
  auto r = client.esims().QrCodes("ref");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kDecode);
  EXPECT_NE(r.error().message.find("not a ZIP"), std::string::npos);

  FakeClient fake2;
  auto empty = Client(V25(fake2)).esims().QrCodes(" ");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(fake2.transport->count(), 0u);
}

TEST(EsimsV25Deprecated, InstallCsvSendsEachAdditionalFieldAndParsesTheQuotedHeader) {
  FakeClient fake;
  fake.transport->Push(
      Reply("\"ICCID\",\"Matching ID\",\"RSP URL\",\"Bundle\"\r\n"
            "\"8944123456789012345\",\"ABCD-1234\",\"rsp.example.com\",\"esim_1GB_7D_GB_V2\"\r\n",
            200, "text/csv"));
  Client client(V25(fake));
  auto r = client.esims().InstallCsv("ref-9", {"appleInstallUrl", "installUrl"});
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].iccid, "8944123456789012345");
  EXPECT_EQ((*r)[0].matching_id, "ABCD-1234");
  EXPECT_EQ((*r)[0].smdp_address, "rsp.example.com");
  EXPECT_EQ((*r)[0].bundle, "esim_1GB_7D_GB_V2");
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target25(req),
            "/esims/csv/ref-9?additionalFields=appleInstallUrl&additionalFields=installUrl");
  EXPECT_EQ(FindHeader(req.headers, "Accept"), "text/csv");
}

TEST(EsimsV25Deprecated, InstallCsvRejectsEmptyInputsAndReportsABadCsv) {
  FakeClient fake;
  Client client(V25(fake));
  auto empty_ref = client.esims().InstallCsv("");
  ASSERT_FALSE(empty_ref);
  EXPECT_EQ(empty_ref.error().code, ErrorCode::kInvalidArgument);
  auto empty_field = client.esims().InstallCsv("ref", {""});
  ASSERT_FALSE(empty_field);
  EXPECT_EQ(empty_field.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(fake.transport->count(), 0u);

  FakeClient bad;
  bad.transport->Push(Reply("\"ICCID\",\"Matching ID\"\n\"unterminated\n", 200, "text/csv"));
  auto r = Client(V25(bad)).esims().InstallCsv("ref");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kDecode);
  EXPECT_EQ(r.error().operation, "esims.InstallCsv");
}

TEST(EsimsV25Deprecated, RevokeApplicationDeletesTheApplicationWithItsType) {
  FakeClient fake;
  fake.transport->PushJson(R"({"status":"Successfully Revoked Bundle"})");
  Client client(V25(fake));
  auto r = client.esims().RevokeApplication(kIccid, "esim_1GB_7D_GB_V2", "215009266",
                                            RevokeType::kValidate);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->status, "Successfully Revoked Bundle");
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "DELETE");
  EXPECT_EQ(Target25(req), std::string("/esims/") + kIccid +
                               "/bundles/esim_1GB_7D_GB_V2/applications/215009266?type=validate");
}

TEST(EsimsV25Deprecated, RevokeApplicationIsNeverRepeatedAndValidatesFirst) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(true, ErrorCode::kTimeout));
  fake.transport->PushJson(R"({"status":"ok"})");
  Client client(V25(fake));
  auto r = client.esims().RevokeApplication(kIccid, "b", "1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kAmbiguous);
  EXPECT_EQ(fake.transport->count(), 1u);
  EXPECT_NE(fake.transport->last().url.find("type=transaction"), std::string::npos);

  FakeClient fake2;
  Client client2(V25(fake2));
  EXPECT_EQ(client2.esims().RevokeApplication(kIccid, "", "1").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(client2.esims().RevokeApplication(kIccid, "b", "").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(fake2.transport->count(), 0u);
}

// ------------------------------------------------------------ deactivated eSIMs (410 Gone)

TEST(DeactivatedV25, A410IsNotFound) {
  EXPECT_EQ(ErrorCodeForStatus(410), ErrorCode::kNotFound);
  FakeClient fake;
  fake.transport->PushJson(R"({"message":"eSIM is deactivated"})", 410);
  Client client(V25(fake));
  auto r = client.esims().QrCodes("ref");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().http_status, 410);
  EXPECT_EQ(r.error().message, "eSIM is deactivated");
  EXPECT_EQ(fake.transport->count(), 1u);  // a 410 is final: never retried

  FakeClient fake24;  // v2.4 install details too (same backend, ◐)
  fake24.transport->PushJson(R"({"message":"Gone"})", 410);
  auto install = Client(fake24.Options()).esims().InstallDetails({.references = {"ref"}});
  ASSERT_FALSE(install);
  EXPECT_EQ(install.error().code, ErrorCode::kNotFound);
}

// ------------------------------------------------------------ a v2.4 client refuses them all

TEST(V25OnAV24Client, EveryNewOperationIsRefusedBeforeSendingWithHowToSwitch) {
  FakeClient fake;  // base URL …/v2.4
  Client client(fake.Options());
  std::vector<std::pair<std::string, Error>> errors;
  auto collect = [&](std::string what, const auto& r) {
    ASSERT_FALSE(r) << what;
    errors.emplace_back(std::move(what), r.error());
  };
  collect("Suspend", client.esims().Suspend(kIccid, true));
  collect("Suspension", client.esims().Suspension(kIccid));
  collect("Delete", client.esims().Delete(kIccid));
  collect("Prices", client.catalogue().Prices());
  collect("QrCodes", client.esims().QrCodes("ref"));
  collect("InstallCsv", client.esims().InstallCsv("ref"));
  collect("RevokeApplication", client.esims().RevokeApplication(kIccid, "b", "1"));
  ASSERT_EQ(errors.size(), 7u);
  for (const auto& [what, e] : errors) {
    SCOPED_TRACE(what);
    EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
    EXPECT_NE(e.message.find("needs eSIM Go API v2.5"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("ESIMGO_API_VERSION=2.5"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("--api-version 2.5"), std::string::npos) << e.message;
  }
  EXPECT_EQ(fake.transport->count(), 0u);
}

#pragma GCC diagnostic pop

}  // namespace
}  // namespace esimgo
