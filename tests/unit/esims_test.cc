// EsimsApi (#1–#15): the exact request each operation sends, the spec's example answers and
// the live API's variants, pre-send validation, and which operations are never repeated.

#include "esimgo/esims.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "esimgo/client.h"
#include "testing/codec_helpers.h"
#include "testing/fake_transport.h"

namespace esimgo {
namespace {

using testing::FakeClient;
using testing::FakeReply;
using testing::SpecExample;
using testing::Target;

constexpr const char* kIccid = "8944123456789012345";
constexpr const char* kIccid20 = "89441234567890123456";  // overflows int64

FakeReply WithType(std::string body, std::string content_type) {
  return FakeReply{
      .status = 200, .body = std::move(body), .headers = {{"Content-Type", content_type}}};
}

int64_t EpochMs(const Timestamp& t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time->time_since_epoch()).count();
}

void ExpectRejectedBeforeSending(const Error& e, FakeClient& fake, std::string_view needle) {
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument) << e.ToString();
  EXPECT_NE(e.message.find(needle), std::string::npos) << e.message;
  EXPECT_FALSE(e.operation.empty());
  EXPECT_EQ(fake.transport->count(), 0u);
}

// ---------------------------------------------------------------- #1 POST /esims/apply

TEST(EsimsApi, ApplyBundleSendsTheSingleFormWithLowercaseAllowReassign) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_apply_response.json"));
  Client client(fake.Options());
  auto r = client.esims().ApplyBundle(
      {.iccid = "8943108165015003887", .name = "A_BUNDLE_20GB_30D_EU_U", .allow_reassign = false});
  ASSERT_TRUE(r) << r.error().ToString();
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(Target(req), "/esims/apply");
  EXPECT_EQ(
      req.body,
      R"({"iccid":"8943108165015003887","name":"A_BUNDLE_20GB_30D_EU_U","allowReassign":false})");
  EXPECT_EQ(FindHeader(req.headers, "Content-Type"), "application/json");
  EXPECT_EQ(FindHeader(req.headers, "Accept"), "application/json");
  EXPECT_EQ(FindHeader(req.headers, "X-API-Key"), testing::kTestKey);
}

TEST(EsimsApi, ApplyBundleSendsTheListFormAndLeavesUnsetFieldsOut) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_apply_response.json"));
  Client client(fake.Options());
  auto r = client.esims().ApplyBundle(
      {.bundles = {{.name = "A_BUNDLE_20GB_30D_EU_U"},
                   {.name = "A_BUNDLE_20GB_30D_EU_U", .repeat = 2, .allow_reassign = true}}});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(fake.transport->last().body,
            R"({"bundles":[{"name":"A_BUNDLE_20GB_30D_EU_U"},)"
            R"({"name":"A_BUNDLE_20GB_30D_EU_U","repeat":2,"allowReassign":true}]})");
}

TEST(EsimsApi, ApplyBundleSendsRepeatForNewEsims) {
  FakeClient fake;
  Client client(fake.Options());
  auto r = client.esims().ApplyBundle({.name = "esim_1GB_7D_GB_V2", .repeat = 3});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(fake.transport->last().body, R"({"name":"esim_1GB_7D_GB_V2","repeat":3})");
}

TEST(EsimsApi, ApplyBundleDecodesTheSpecExample) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_apply_response.json"));
  Client client(fake.Options());
  auto r = client.esims().ApplyBundle({.name = "A_BUNDLE_20GB_30D_EU_U"});
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->esims.size(), 1u);
  EXPECT_EQ(r->esims[0].iccid, "8944123456789012345");
  EXPECT_EQ(r->esims[0].status, "ACTIVE");
  EXPECT_EQ(r->apply_reference, "123e4567-e89b-12d3-a456-426614174000");
}

TEST(EsimsApi, ApplyBundleKeepsTheDigitsOfA20DigitNumericIccid) {
  FakeClient fake;
  fake.transport->PushJson(
      R"({"esims":[{"iccid":89441234567890123456,"status":"Processing","bundle":"b","x":[1]}],)"
      R"("applyReference":"r-1","unknown":{"a":1}})");
  Client client(fake.Options());
  auto r = client.esims().ApplyBundle({.name = "b"});
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->esims.size(), 1u);
  EXPECT_EQ(r->esims[0].iccid, kIccid20);
  EXPECT_EQ(r->esims[0].bundle, "b");
  EXPECT_EQ(r->apply_reference, "r-1");
}

TEST(EsimsApi, ApplyBundleRejectsBrokenRequestsBeforeSending) {
  struct Case {
    ApplyBundleRequest request;
    std::string_view needle;
  };
  const std::vector<Case> cases = {
      {{.name = "a", .bundles = {{.name = "b"}}}, "not both"},
      {{}, "no bundle given"},
      {{.iccid = kIccid, .name = "a", .repeat = 2}, "cannot be combined with iccid"},
      {{.iccid = kIccid, .bundles = {{.name = "a", .repeat = 2}}}, "cannot be combined with iccid"},
      {{.name = "a", .repeat = 0}, "repeat is 0"},
      {{.bundles = {{.name = "a", .repeat = -1}}}, "must be from 1 to 1000"},
      {{.name = "a", .repeat = 1001}, "repeat is 1001"},
      {{.name = ""}, "bundle name is empty"},
      {{.bundles = {{.name = ""}}}, "is empty"},
      {{.iccid = "8944-1234", .name = "a"}, "non-digit"},
  };
  for (const auto& c : cases) {
    FakeClient fake;
    Client client(fake.Options());
    auto r = client.esims().ApplyBundle(c.request);
    ASSERT_FALSE(r) << c.needle;
    ExpectRejectedBeforeSending(r.error(), fake, c.needle);
    EXPECT_EQ(r.error().operation, "esims.ApplyBundle");
  }
}

TEST(EsimsApi, ApplyBundleIsNeverSentTwiceAfterTimeoutAndSaysItIsAmbiguous) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(true));
  fake.transport->PushJson(SpecExample("esims_apply_response.json"));
  Client client(fake.Options());
  auto r = client.esims().ApplyBundle({.iccid = kIccid, .name = "esim_1GB_7D_GB_V2"});
  ASSERT_FALSE(r);
  EXPECT_EQ(fake.transport->count(), 1u);
  EXPECT_EQ(r.error().code, ErrorCode::kAmbiguous);
  EXPECT_TRUE(r.error().maybe_sent);
  EXPECT_NE(r.error().message.find("ListBundles"), std::string::npos) << r.error().message;
}

TEST(EsimsApi, ApplyBundleIsNeverSentTwiceAfter503) {
  FakeClient fake;
  fake.transport->PushJson(R"({"message":"Processing"})", 503);
  fake.transport->PushJson(SpecExample("esims_apply_response.json"));
  Client client(fake.Options());
  auto r = client.esims().ApplyBundle({.name = "esim_1GB_7D_GB_V2"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(fake.transport->count(), 1u);
}

TEST(EsimsApi, ApplyBundleIsRetriedWhenTheRequestProvablyNeverLeft) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(false, ErrorCode::kTransport));
  fake.transport->PushJson(SpecExample("esims_apply_response.json"));
  Client client(fake.Options());
  auto r = client.esims().ApplyBundle({.name = "esim_1GB_7D_GB_V2"});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(fake.transport->count(), 2u);
}

// ------------------------------------------------------- #2 GET /esims/assignments

TEST(EsimsApi, InstallDetailsJsonSendsReferencesAsOneCommaListAndAcceptJson) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_install_details.json"));
  Client client(fake.Options());
  auto r = client.esims().InstallDetails({.references = {"ref-1", "123e4567-e89b"},
                                          .format = InstallDetailsFormat::kJson,
                                          .additional_fields = "appleInstallUrl"});
  ASSERT_TRUE(r) << r.error().ToString();
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target(req),
            "/esims/assignments?reference=ref-1,123e4567-e89b&additionalFields=appleInstallUrl");
  EXPECT_EQ(FindHeader(req.headers, "Accept"), "application/json");
  EXPECT_TRUE(req.body.empty());
}

TEST(EsimsApi, InstallDetailsDecodesTheSpecsSingleObject) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_install_details.json"));
  Client client(fake.Options());
  auto r = client.esims().InstallDetails({.references = {"r"}});
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->esims.size(), 1u);
  const auto& e = r->esims[0];
  EXPECT_EQ(e.iccid, "8944123456789012345");
  EXPECT_EQ(e.matching_id, "A1B2-C3D4-E5F6-G7H8");
  EXPECT_EQ(e.smdp_address, "http://smdp.example.com");
  EXPECT_EQ(e.profile_status, "Released");
  EXPECT_EQ(e.pin, "1234");
  EXPECT_EQ(e.puk, "12345678");
  ASSERT_TRUE(e.first_installed.time);
  EXPECT_EQ(e.first_installed.ToIso(), "2023-06-15T14:30:00.000Z");
  EXPECT_TRUE(r->zip.empty());
}

TEST(EsimsApi, InstallDetailsDecodesAnArrayForSeveralReferences) {
  FakeClient fake;
  fake.transport->PushJson(
      R"([{"iccid":89441234567890123456,"matchingId":"M1","smdpAddress":"rsp.example.com",)"
      R"("appleInstallUrl":"https://esimsetup.apple.com/x"},{"iccid":"8944123456789012345"}])");
  Client client(fake.Options());
  auto r = client.esims().InstallDetails({.references = {"a", "b"}});
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->esims.size(), 2u);
  EXPECT_EQ(r->esims[0].iccid, kIccid20);
  EXPECT_EQ(r->esims[0].apple_install_url, "https://esimsetup.apple.com/x");
  EXPECT_EQ(r->esims[1].iccid, kIccid);
}

TEST(EsimsApi, InstallDetailsCsvSendsAcceptTextCsvAndReadsEveryRow) {
  FakeClient fake;
  std::string csv = "ICCID,Matching ID,RSP URL,Bundle,Reference\r\n";
  for (int i = 0; i < 50; ++i) {
    csv += "89441234567890" + std::to_string(10000 + i) + ",M-" + std::to_string(i) +
           ",rsp.example.com,\"esim_1GB, \"\"special\"\"\",ref-" + std::to_string(i) + "\r\n";
  }
  fake.transport->Push(WithType(csv, "text/csv; charset=utf-8"));
  Client client(fake.Options());
  auto r = client.esims().InstallDetails(
      {.references = {"ref-0"}, .format = InstallDetailsFormat::kCsv});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(FindHeader(fake.transport->last().headers, "Accept"), "text/csv");
  ASSERT_EQ(r->esims.size(), 50u);
  EXPECT_EQ(r->esims[0].iccid, "8944123456789010000");
  EXPECT_EQ(r->esims[49].iccid, "8944123456789010049");
  EXPECT_EQ(r->esims[49].matching_id, "M-49");
  EXPECT_EQ(r->esims[49].bundle, "esim_1GB, \"special\"");
  EXPECT_EQ(r->esims[49].reference, "ref-49");
  EXPECT_EQ(r->esims[49].smdp_address, "rsp.example.com");
}

TEST(EsimsApi, InstallDetailsCsvStillReadsAJsonAnswer) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_install_details.json"));
  Client client(fake.Options());
  auto r =
      client.esims().InstallDetails({.references = {"r"}, .format = InstallDetailsFormat::kCsv});
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->esims.size(), 1u);
  EXPECT_EQ(r->esims[0].matching_id, "A1B2-C3D4-E5F6-G7H8");
}

TEST(EsimsApi, InstallDetailsCsvWithoutAnIccidColumnIsADecodeError) {
  FakeClient fake;
  fake.transport->Push(WithType("hello,world\n1,2\n", "text/csv"));
  Client client(fake.Options());
  auto r =
      client.esims().InstallDetails({.references = {"r"}, .format = InstallDetailsFormat::kCsv});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kDecode);
  EXPECT_EQ(r.error().operation, "esims.InstallDetails");
  EXPECT_EQ(r.error().http_status, 200);
}

TEST(EsimsApi, InstallDetailsZipReturnsTheRawBinaryBytes) {
  FakeClient fake;
  const std::string zip("PK\x03\x04\x00\x00\xff\xfe\r\n\x00binary", 17);
  fake.transport->Push(WithType(zip, "application/zip"));
  Client client(fake.Options());
  auto r = client.esims().InstallDetails(
      {.references = {"r1", "r2"}, .format = InstallDetailsFormat::kZip});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(FindHeader(fake.transport->last().headers, "Accept"), "application/zip");
  EXPECT_EQ(Target(fake.transport->last()), "/esims/assignments?reference=r1,r2");
  EXPECT_EQ(r->zip, zip);
  EXPECT_EQ(r->zip.size(), 17u);
  EXPECT_TRUE(r->esims.empty());
}

TEST(EsimsApi, InstallDetailsZipThatIsNotAZipIsADecodeError) {
  FakeClient fake;
  fake.transport->PushJson(R"({"message":"oops"})");
  Client client(fake.Options());
  auto r =
      client.esims().InstallDetails({.references = {"r"}, .format = InstallDetailsFormat::kZip});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kDecode);
}

TEST(EsimsApi, InstallDetailsRejectsMissingReferences) {
  for (auto refs : {std::vector<std::string>{}, std::vector<std::string>{"a", " "}}) {
    FakeClient fake;
    Client client(fake.Options());
    auto r = client.esims().InstallDetails({.references = refs});
    ASSERT_FALSE(r);
    ExpectRejectedBeforeSending(r.error(), fake, "reference");
  }
}

TEST(EsimsApi, InstallDetailsIsARetriedRead) {
  FakeClient fake;
  fake.transport->Push(FakeReply{.status = 503, .body = "{}", .headers = {{"Retry-After", "1"}}});
  fake.transport->Push(WithType("ICCID\n8944123456789012345\n", "text/csv"));
  Client client(fake.Options());
  auto r =
      client.esims().InstallDetails({.references = {"r"}, .format = InstallDetailsFormat::kCsv});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(fake.transport->count(), 2u);
  ASSERT_EQ(r->esims.size(), 1u);
}

// ------------------------------------------------------------ #3 GET …/history

TEST(EsimsApi, HistorySendsAGetToTheEscapedIccid) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_history.json"));
  Client client(fake.Options());
  auto r = client.esims().History(kIccid20);
  ASSERT_TRUE(r) << r.error().ToString();
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target(req), "/esims/89441234567890123456/history");
}

TEST(EsimsApi, HistoryDecodesTheSpecsArray) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_history.json"));
  Client client(fake.Options());
  auto r = client.esims().History(kIccid);
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].name, "Bundle Applied");
  EXPECT_EQ((*r)[1].name, "Bundle Revoked");
  EXPECT_EQ((*r)[0].bundle_name, "A_BUNDLE_20GB_30D_EU_U");
  EXPECT_EQ((*r)[0].date.raw, "2023-04-07T00:50:31.618780311Z");
  ASSERT_TRUE((*r)[0].date.time);
  EXPECT_EQ((*r)[0].date.time->time_since_epoch().count() % 1'000'000'000, 618780311);
}

TEST(EsimsApi, HistoryReadsTheYamlsSingleObjectAsOneEvent) {
  FakeClient fake;
  fake.transport->PushJson(
      R"({"name":"eSIM First Use","bundleName":"esim_1GB_7D_GB_V2","date":"2024-01-01"})");
  Client client(fake.Options());
  auto r = client.esims().History(kIccid);
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].name, "eSIM First Use");
  EXPECT_TRUE((*r)[0].date.time);
}

TEST(EsimsApi, HistoryRejectsAMalformedIccidWithoutEchoingIt) {
  FakeClient fake;
  Client client(fake.Options());
  auto r = client.esims().History(testing::kTestKey);
  ASSERT_FALSE(r);
  ExpectRejectedBeforeSending(r.error(), fake, "non-digit");
  EXPECT_EQ(r.error().message.find(testing::kTestKey), std::string::npos);
  EXPECT_EQ(r.error().operation, "esims.History");
}

// ------------------------------------------------------------ #4 GET …/refresh

TEST(EsimsApi, RefreshSendsAGetAndDecodesTheSpecExample) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_refresh.json"));
  Client client(fake.Options());
  auto r = client.esims().Refresh(kIccid);
  ASSERT_TRUE(r) << r.error().ToString();
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target(req), "/esims/8944123456789012345/refresh");
  EXPECT_EQ(r->status, "Successfully refreshed SIM");
}

TEST(EsimsApi, RefreshIsNeverRepeatedAfterTimeoutOr503) {
  for (FakeReply first : {FakeReply::Lost(true), FakeReply::Json("{}", 503)}) {
    FakeClient fake;
    fake.transport->Push(first);
    fake.transport->PushJson(SpecExample("esims_refresh.json"));
    Client client(fake.Options());
    auto r = client.esims().Refresh(kIccid);
    ASSERT_FALSE(r);
    EXPECT_EQ(fake.transport->count(), 1u) << r.error().ToString();
  }
}

// ---------------------------------------------------- #5 GET …/compatible/{bundle}

TEST(EsimsApi, CompatibleEscapesTheBundleAndDecodesTheSpecExample) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_compatible.json"));
  Client client(fake.Options());
  auto r = client.esims().Compatible(kIccid, "esim 1GB/X?y#z");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_FALSE(*r);
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target(req), "/esims/8944123456789012345/compatible/esim%201GB%2FX%3Fy%23z");
}

TEST(EsimsApi, CompatibleReadsTrueAlsoFromAString) {
  for (const char* body : {R"({"compatible":true})", R"({"compatible":"true","x":1})"}) {
    FakeClient fake;
    fake.transport->PushJson(body);
    Client client(fake.Options());
    auto r = client.esims().Compatible(kIccid, "esim_1GB_7D_GB_V2");
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_TRUE(*r) << body;
  }
}

TEST(EsimsApi, CompatibleRejectsAnEmptyBundle) {
  FakeClient fake;
  Client client(fake.Options());
  auto r = client.esims().Compatible(kIccid, "");
  ASSERT_FALSE(r);
  ExpectRejectedBeforeSending(r.error(), fake, "bundle name is empty");
}

// ---------------------------------------------------------------- #6 POST …/sms

TEST(EsimsApi, SendSmsPostsMessageAndFrom) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_sms.json"));
  Client client(fake.Options());
  auto r = client.esims().SendSms(kIccid, {.message = "Hello!", .from = "eSIM"});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->status, "sent");
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(Target(req), "/esims/8944123456789012345/sms");
  EXPECT_EQ(req.body, R"({"message":"Hello!","from":"eSIM"})");
  EXPECT_EQ(FindHeader(req.headers, "Content-Type"), "application/json");
}

TEST(EsimsApi, SendSmsLeavesFromOutWhenUnsetAndEscapesTheMessage) {
  FakeClient fake;
  Client client(fake.Options());
  auto r = client.esims().SendSms(kIccid, {.message = "Say \"hi\"\n"});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(fake.transport->last().body, R"({"message":"Say \"hi\"\n"})");
}

TEST(EsimsApi, SendSmsCountsCharactersNotBytes) {
  std::string e_acute_160;
  for (int i = 0; i < 160; ++i) e_acute_160 += "\xC3\xA9";  // 320 bytes, 160 characters
  FakeClient fake;
  Client client(fake.Options());
  auto ok = client.esims().SendSms(kIccid, {.message = e_acute_160});
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ(fake.transport->count(), 1u);

  FakeClient fake2;
  Client client2(fake2.Options());
  auto too_long = client2.esims().SendSms(kIccid, {.message = e_acute_160 + "x"});
  ASSERT_FALSE(too_long);
  ExpectRejectedBeforeSending(too_long.error(), fake2, "161 characters");
}

TEST(EsimsApi, SendSmsRejectsEmptyTooLongAndInvalidUtf8) {
  struct Case {
    std::string message;
    std::string_view needle;
  };
  const std::vector<Case> cases = {
      {"", "empty"},
      {std::string(161, 'a'), "161 characters"},
      {"bad \xC3", "UTF-8"},
      {"overlong \xC0\xAF", "UTF-8"},
  };
  for (const auto& c : cases) {
    FakeClient fake;
    Client client(fake.Options());
    auto r = client.esims().SendSms(kIccid, {.message = c.message});
    ASSERT_FALSE(r) << c.needle;
    ExpectRejectedBeforeSending(r.error(), fake, c.needle);
  }
  FakeClient fake;
  Client client(fake.Options());
  EXPECT_TRUE(client.esims().SendSms(kIccid, {.message = std::string(160, 'a')}));
}

TEST(EsimsApi, SendSmsIsNeverSentTwiceAfterTimeoutOr503) {
  for (FakeReply first : {FakeReply::Lost(true), FakeReply::Json("{}", 503)}) {
    FakeClient fake;
    fake.transport->Push(first);
    fake.transport->PushJson(SpecExample("esims_sms.json"));
    Client client(fake.Options());
    auto r = client.esims().SendSms(kIccid, {.message = "hi"});
    ASSERT_FALSE(r);
    EXPECT_EQ(fake.transport->count(), 1u) << r.error().ToString();
  }
}

// ------------------------------------------------------------ #7 GET …/bundles

TEST(EsimsApi, ListBundlesSendsLowercaseIncludeUsedAndLimit) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_bundles.json"));
  Client client(fake.Options());
  ASSERT_TRUE(client.esims().ListBundles(kIccid, {.include_used = true, .limit = 10}));
  EXPECT_EQ(Target(fake.transport->last()),
            "/esims/8944123456789012345/bundles?includeUsed=true&limit=10");
  ASSERT_TRUE(client.esims().ListBundles(kIccid, {.include_used = false}));
  EXPECT_EQ(Target(fake.transport->last()), "/esims/8944123456789012345/bundles?includeUsed=false");
  ASSERT_TRUE(client.esims().ListBundles(kIccid));
  EXPECT_EQ(Target(fake.transport->last()), "/esims/8944123456789012345/bundles");
  EXPECT_EQ(fake.transport->last().method, "GET");
}

TEST(EsimsApi, ListBundlesRejectsALimitOutside1To200) {
  for (int limit : {0, -1, 201}) {
    FakeClient fake;
    Client client(fake.Options());
    auto r = client.esims().ListBundles(kIccid, {.limit = limit});
    ASSERT_FALSE(r);
    ExpectRejectedBeforeSending(r.error(), fake, "between 1 and 200");
  }
  for (int limit : {1, 200}) {
    FakeClient fake;
    Client client(fake.Options());
    EXPECT_TRUE(client.esims().ListBundles(kIccid, {.limit = limit}));
  }
}

TEST(EsimsApi, ListBundlesDecodesTheSpecExample) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_bundles.json"));
  Client client(fake.Options());
  auto r = client.esims().ListBundles(kIccid);
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->size(), 1u);
  const auto& b = (*r)[0];
  EXPECT_EQ(b.name, "esim_1GB_7D_GB_V2");
  EXPECT_EQ(b.description, "eSIM, 1GB, 7 Days, United Kingdom, V2");
  ASSERT_EQ(b.assignments.size(), 1u);
  const auto& a = b.assignments[0];
  EXPECT_EQ(a.id, "215009266");
  EXPECT_EQ(a.call_type_group, "data");
  EXPECT_EQ(a.initial_quantity, 1'000'000'000);
  EXPECT_EQ(a.remaining_quantity, 1'000'000'000);
  EXPECT_EQ(a.assignment_date_time.raw, "2024-12-11T10:47:00.34523Z");
  EXPECT_TRUE(a.assignment_date_time.time);
  EXPECT_EQ(a.assignment_reference, "3a6e2e40-c674-45e9-b289-b35027bf72a9-0");
  EXPECT_EQ(a.bundle_state.value, BundleState::kQueued);
  EXPECT_EQ(a.bundle_state.raw, "queued");
  EXPECT_FALSE(a.unlimited);
}

TEST(EsimsApi, ListBundlesReadsLiveShapes) {
  FakeClient fake;
  fake.transport->PushJson(
      R"({"bundles":[{"name":"esim_20GB","assignments":[)"
      R"({"id":215009266,"initialQuantity":20000000000,"remainingQuantity":19000000000,)"
      R"("bundleState":"Active","unlimited":true,"new":"x"},)"
      R"({"id":"2","bundleState":"Suspended","initialQuantity":"5000000000"}]}],"total":1})");
  Client client(fake.Options());
  auto r = client.esims().ListBundles(kIccid);
  ASSERT_TRUE(r) << r.error().ToString();
  const auto& as = (*r)[0].assignments;
  ASSERT_EQ(as.size(), 2u);
  EXPECT_EQ(as[0].id, "215009266");
  EXPECT_EQ(as[0].initial_quantity, 20'000'000'000);
  EXPECT_EQ(as[0].remaining_quantity, 19'000'000'000);
  EXPECT_EQ(as[0].bundle_state.value, BundleState::kActive);
  EXPECT_EQ(as[0].bundle_state.raw, "Active");
  EXPECT_TRUE(as[0].unlimited);
  EXPECT_EQ(as[1].bundle_state.value, BundleState::kUnknown);
  EXPECT_EQ(as[1].bundle_state.raw, "Suspended");
  EXPECT_EQ(as[1].initial_quantity, 5'000'000'000);
}

// ------------------------------------------------- #8 POST …/bundles (deprecated)

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

TEST(EsimsApi, ApplyBundleLegacyPostsNameStartTimeAndRepeat) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_apply_legacy.json"));
  Client client(fake.Options());
  auto r = client.esims().ApplyBundleLegacy(
      kIccid, {.name = "esim_1GB_7D_GB_V2", .start_time = "2024-01-01T00:00:00Z", .repeat = 2});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->status, "<string>");
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(Target(req), "/esims/8944123456789012345/bundles");
  EXPECT_EQ(req.body,
            R"({"name":"esim_1GB_7D_GB_V2","startTime":"2024-01-01T00:00:00Z","repeat":2})");
}

TEST(EsimsApi, ApplyBundleLegacyLeavesUnsetFieldsOutAndValidates) {
  FakeClient fake;
  Client client(fake.Options());
  ASSERT_TRUE(client.esims().ApplyBundleLegacy(kIccid, {.name = "b"}));
  EXPECT_EQ(fake.transport->last().body, R"({"name":"b"})");

  FakeClient fake2;
  Client client2(fake2.Options());
  auto empty = client2.esims().ApplyBundleLegacy(kIccid, {.name = ""});
  ASSERT_FALSE(empty);
  ExpectRejectedBeforeSending(empty.error(), fake2, "bundle name is empty");
  auto zero = client2.esims().ApplyBundleLegacy(kIccid, {.name = "b", .repeat = 0});
  ASSERT_FALSE(zero);
  ExpectRejectedBeforeSending(zero.error(), fake2, "repeat is 0");
}

TEST(EsimsApi, ApplyBundleLegacyIsNeverSentTwiceAfterTimeoutOr503) {
  for (FakeReply first : {FakeReply::Lost(true), FakeReply::Json("{}", 503)}) {
    FakeClient fake;
    fake.transport->Push(first);
    fake.transport->PushJson(SpecExample("esims_apply_legacy.json"));
    Client client(fake.Options());
    auto r = client.esims().ApplyBundleLegacy(kIccid, {.name = "b"});
    ASSERT_FALSE(r);
    EXPECT_EQ(fake.transport->count(), 1u) << r.error().ToString();
    if (first.transport_error) {
      EXPECT_EQ(r.error().code, ErrorCode::kAmbiguous);
    }
  }
}

#pragma GCC diagnostic pop

// ---------------------------------------------------- #9 GET …/bundles/{name}

TEST(EsimsApi, GetBundleKeepsTheNamesCaseAndEscapesIt) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_assignments.json"));
  Client client(fake.Options());
  ASSERT_TRUE(client.esims().GetBundle(kIccid, "esim_10GB_30D_IM_U"));
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target(req), "/esims/8944123456789012345/bundles/esim_10GB_30D_IM_U");
  ASSERT_TRUE(client.esims().GetBundle(kIccid, "a/b c"));
  EXPECT_EQ(Target(fake.transport->last()), "/esims/8944123456789012345/bundles/a%2Fb%20c");
}

TEST(EsimsApi, GetBundleDecodesTheSpecExample) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_assignments.json"));
  Client client(fake.Options());
  auto r = client.esims().GetBundle(kIccid, "esim_1GB_7D_GB_V2");
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].id, "215009266");
  EXPECT_EQ((*r)[0].bundle_state.value, BundleState::kQueued);
  EXPECT_EQ((*r)[0].initial_quantity, 1'000'000'000);
}

TEST(EsimsApi, GetBundleIsARetriedRead) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(true));
  fake.transport->PushJson(SpecExample("esims_assignments.json"));
  Client client(fake.Options());
  auto r = client.esims().GetBundle(kIccid, "esim_1GB_7D_GB_V2");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(fake.transport->count(), 2u);
}

// ------------------------------------------------- #10 DELETE …/bundles/{name}

TEST(EsimsApi, RevokeBundleSendsTransactionByDefault) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_revoke.json"));
  Client client(fake.Options());
  auto r = client.esims().RevokeBundle(kIccid, "ESIM_1G_UK");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->status, "Successfully Revoked Bundle, bundle has been refunded to inventory");
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "DELETE");
  EXPECT_EQ(Target(req), "/esims/8944123456789012345/bundles/ESIM_1G_UK?type=transaction");
  EXPECT_TRUE(req.body.empty());
  EXPECT_EQ(FindHeader(req.headers, "X-API-Key"), testing::kTestKey);
}

TEST(EsimsApi, RevokeBundleSendsRefundOfferAndValidate) {
  FakeClient fake;
  Client client(fake.Options());
  auto r = client.esims().RevokeBundle(
      kIccid, "esim 1GB",
      {.type = RevokeType::kValidate, .refund_to_balance = true, .offer_id = "offer 1&x"});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(Target(fake.transport->last()),
            "/esims/8944123456789012345/bundles/esim%201GB"
            "?refundToBalance=true&offerId=offer%201%26x&type=validate");
  ASSERT_TRUE(client.esims().RevokeBundle(kIccid, "b", {.refund_to_balance = false}));
  EXPECT_EQ(Target(fake.transport->last()),
            "/esims/8944123456789012345/bundles/b?refundToBalance=false&type=transaction");
}

TEST(EsimsApi, RevokeBundleRejectsRefundToBalanceWithoutOfferId) {
  for (auto offer : {std::optional<std::string>{}, std::optional<std::string>{""}}) {
    FakeClient fake;
    Client client(fake.Options());
    auto r =
        client.esims().RevokeBundle(kIccid, "b", {.refund_to_balance = true, .offer_id = offer});
    ASSERT_FALSE(r);
    ExpectRejectedBeforeSending(r.error(), fake, "offer_id");
  }
}

TEST(EsimsApi, RevokeBundleIsNeverSentTwiceAfterTimeoutOr500) {
  for (FakeReply first : {FakeReply::Lost(true), FakeReply::Json("{}", 500)}) {
    FakeClient fake;
    fake.transport->Push(first);
    fake.transport->PushJson(SpecExample("esims_revoke.json"));
    Client client(fake.Options());
    auto r = client.esims().RevokeBundle(kIccid, "b");
    ASSERT_FALSE(r);
    EXPECT_EQ(fake.transport->count(), 1u) << r.error().ToString();
  }
}

// ------------------------------- #11 DELETE …/bundles/{name}/assignments/{assignmentId}

TEST(EsimsApi, RevokeAssignmentSendsTheEscapedIdAndType) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_revoke.json"));
  Client client(fake.Options());
  auto r = client.esims().RevokeAssignment(kIccid, "esim_1GB_7D_GB_V2", "123231231",
                                           RevokeType::kValidate);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->status, "Successfully Revoked Bundle, bundle has been refunded to inventory");
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "DELETE");
  EXPECT_EQ(Target(req),
            "/esims/8944123456789012345/bundles/esim_1GB_7D_GB_V2/assignments/123231231"
            "?type=validate");
  ASSERT_TRUE(client.esims().RevokeAssignment(kIccid, "b", "1/2"));
  EXPECT_EQ(Target(fake.transport->last()),
            "/esims/8944123456789012345/bundles/b/assignments/1%2F2?type=transaction");
}

TEST(EsimsApi, RevokeAssignmentRejectsAnEmptyId) {
  FakeClient fake;
  Client client(fake.Options());
  auto r = client.esims().RevokeAssignment(kIccid, "b", "");
  ASSERT_FALSE(r);
  ExpectRejectedBeforeSending(r.error(), fake, "assignment id is empty");
}

TEST(EsimsApi, RevokeAssignmentIsNeverSentTwiceAfterTimeoutOr503) {
  for (FakeReply first : {FakeReply::Lost(true), FakeReply::Json("{}", 503)}) {
    FakeClient fake;
    fake.transport->Push(first);
    fake.transport->PushJson(SpecExample("esims_revoke.json"));
    Client client(fake.Options());
    auto r = client.esims().RevokeAssignment(kIccid, "b", "1");
    ASSERT_FALSE(r);
    EXPECT_EQ(fake.transport->count(), 1u) << r.error().ToString();
  }
}

// ---------------------------------------------------------- #12 GET …/location

TEST(EsimsApi, LocationSendsAGetAndDecodesTheSpecExample) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_location.json"));
  Client client(fake.Options());
  auto r = client.esims().Location(kIccid);
  ASSERT_TRUE(r) << r.error().ToString();
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target(req), "/esims/8944123456789012345/location");
  EXPECT_EQ(r->mobile_network_code, "FRAF1");
  EXPECT_EQ(r->network_name, "Orange");
  EXPECT_EQ(r->network_brand_name, "Orange France");
  EXPECT_EQ(r->country, "FR");
  EXPECT_EQ(r->last_seen.raw, "2024-07-27T00:25:07.382562Z");
  EXPECT_TRUE(r->last_seen.time);
}

// --------------------------------------------------------------- #13 GET /esims/{iccid}

TEST(EsimsApi, GetSendsAdditionalFields) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_details.json"));
  Client client(fake.Options());
  ASSERT_TRUE(client.esims().Get(kIccid, "appleInstallUrl"));
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target(req), "/esims/8944123456789012345?additionalFields=appleInstallUrl");
  ASSERT_TRUE(client.esims().Get(kIccid));
  EXPECT_EQ(Target(fake.transport->last()), "/esims/8944123456789012345");
}

TEST(EsimsApi, GetDecodesTheSpecExampleWithEpochMillis) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_details.json"));
  Client client(fake.Options());
  auto r = client.esims().Get("894123456789123456");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->iccid, "894123456789123456");
  EXPECT_EQ(r->pin, "0000");
  EXPECT_EQ(r->puk, "123445678");
  EXPECT_EQ(r->matching_id, "JQ-123456-ABCDEPFX");
  EXPECT_EQ(r->smdp_address, "http://rsp.example.com");
  EXPECT_EQ(r->profile_status, "Installed");
  EXPECT_EQ(r->customer_ref, "");
  ASSERT_TRUE(r->first_installed.time);
  EXPECT_EQ(EpochMs(r->first_installed), 1723541877280);
  EXPECT_EQ(r->first_installed.ToIso(), "2024-08-13T09:37:57.280Z");
}

TEST(EsimsApi, GetReadsIsoDatesNumericIccidsAndAppleInstallUrl) {
  FakeClient fake;
  fake.transport->PushJson(
      R"({"iccid":89441234567890123456,"firstInstalledDateTime":"2024-08-13T09:37:57.28Z",)"
      R"("appleInstallUrl":"https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=x",)"
      R"("pin":1234,"customerRef":null,"somethingNew":{"deep":[1,2]}})");
  Client client(fake.Options());
  auto r = client.esims().Get(kIccid20, "appleInstallUrl");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->iccid, kIccid20);
  EXPECT_EQ(r->pin, "1234");
  EXPECT_EQ(r->customer_ref, "");
  EXPECT_EQ(EpochMs(r->first_installed), 1723541877280);
  EXPECT_EQ(r->apple_install_url,
            "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=x");
}

TEST(EsimsApi, GetIsRetriedAfterTimeoutAnd503) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(true));
  fake.transport->PushJson(R"({"message":"Processing"})", 503);
  fake.transport->PushJson(SpecExample("esims_details.json"));
  Client client(fake.Options());
  auto r = client.esims().Get(kIccid);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(fake.transport->count(), 3u);
}

TEST(EsimsApi, GetMaps403ToForbiddenWithoutLeakingTheKey) {
  FakeClient fake;
  fake.transport->PushJson(std::string(R"({"message":"bad key )") + testing::kTestKey + "\"}", 403);
  Client client(fake.Options());
  auto r = client.esims().Get(kIccid);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(r.error().operation, "esims.Get");
  EXPECT_EQ(r.error().ToString().find(testing::kTestKey), std::string::npos);
  EXPECT_EQ(fake.transport->count(), 1u);
}

TEST(EsimsApi, GetRejectsShortIccidsBeforeSending) {
  FakeClient fake;
  Client client(fake.Options());
  auto r = client.esims().Get("12345");
  ASSERT_FALSE(r);
  ExpectRejectedBeforeSending(r.error(), fake, "5 digits");
}

// ------------------------------------------------------------------- #14 GET /esims

TEST(EsimsApi, ListSendsEveryQueryParameter) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_list.json"));
  Client client(fake.Options());
  auto r = client.esims().List({.page = 2,
                                .per_page = 50,
                                .direction = "asc",
                                .order_by = "iccid",
                                .filter_by = "customerRef",
                                .filter = "CUST 001"});
  ASSERT_TRUE(r) << r.error().ToString();
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target(req),
            "/esims?page=2&perPage=50&direction=asc&orderBy=iccid&filterBy=customerRef"
            "&filter=CUST%20001");
  ASSERT_TRUE(client.esims().List());
  EXPECT_EQ(Target(fake.transport->last()), "/esims");
}

TEST(EsimsApi, ListDecodesTheSpecExample) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_list.json"));
  Client client(fake.Options());
  auto r = client.esims().List({.page = 1, .per_page = 10});
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->items.size(), 2u);
  EXPECT_EQ(r->page, 1);
  EXPECT_FALSE(r->has_more);  // 2 < 10: the last page
  const auto& a = r->items[0];
  EXPECT_EQ(a.iccid, "8901234567890123456");
  EXPECT_EQ(a.customer_ref, "CUST001");
  EXPECT_EQ(a.last_action, "Bundle Applied");
  EXPECT_EQ(a.action_date.raw, "2023-05-15T14:30:00Z");
  EXPECT_TRUE(a.action_date.time);
  EXPECT_FALSE(a.physical);
  EXPECT_EQ(a.assigned_date.raw, "2023-05-01T10:00:00Z");
  EXPECT_EQ(r->items[1].last_action, "Activated");
  EXPECT_TRUE(r->items[1].physical);
}

TEST(EsimsApi, ListRejectsBadPagingAndFilters) {
  struct Case {
    EsimListRequest request;
    std::string_view needle;
  };
  const std::vector<Case> cases = {
      {{.per_page = 20}, "10, 25, 50 or 100"},
      {{.per_page = 1000}, "10, 25, 50 or 100"},
      {{.page = 0}, "page is 0: it must be from 1 to"},
      {{.page = 2000000000}, "page is 2000000000"},
      {{.filter_by = "status", .filter = "x"}, "is not one of"},
      {{.filter_by = "iccid"}, "needs filter"},
      {{.filter_by = "iccid", .filter = ""}, "needs filter"},
      {{.filter = "x"}, "filter needs filter_by"},
  };
  for (const auto& c : cases) {
    FakeClient fake;
    Client client(fake.Options());
    auto r = client.esims().List(c.request);
    ASSERT_FALSE(r) << c.needle;
    ExpectRejectedBeforeSending(r.error(), fake, c.needle);
  }
}

std::string EsimsPage(int n, int offset) {
  std::string body = R"({"esims":[)";
  for (int i = 0; i < n; ++i) {
    if (i) body += ',';
    body += R"({"iccid":")" + std::to_string(8944000000000000000LL + offset + i) + R"("})";
  }
  return body + "]}";
}

TEST(EsimsApi, ListAllSendsPerPage25AndStopsAtAShortPage) {
  FakeClient fake;
  fake.transport->PushJson(EsimsPage(25, 0));
  fake.transport->PushJson(EsimsPage(3, 25));
  fake.transport->PushJson(EsimsPage(25, 100));  // must never be fetched
  Client client(fake.Options());
  auto all = client.esims().ListAll().Collect();
  ASSERT_TRUE(all) << all.error().ToString();
  EXPECT_EQ(all->size(), 28u);
  EXPECT_EQ(all->back().iccid, "8944000000000000027");
  auto reqs = fake.transport->requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(Target(reqs[0]), "/esims?page=1&perPage=25");
  EXPECT_EQ(Target(reqs[1]), "/esims?page=2&perPage=25");
}

TEST(EsimsApi, ListAllKeepsFiltersAndStopsOnAnEmptyPage) {
  FakeClient fake;
  fake.transport->PushJson(EsimsPage(10, 0));
  fake.transport->PushJson(R"({"esims":[]})");
  Client client(fake.Options());
  auto all =
      client.esims()
          .ListAll(
              {.page = 3, .per_page = 10, .filter_by = "lastAction", .filter = "Bundle Applied"})
          .Collect();
  ASSERT_TRUE(all) << all.error().ToString();
  EXPECT_EQ(all->size(), 10u);
  auto reqs = fake.transport->requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(Target(reqs[1]),
            "/esims?page=4&perPage=10&filterBy=lastAction&filter=Bundle%20Applied");
}

TEST(EsimsApi, ListAllYieldsAnErrorAndEnds) {
  FakeClient fake;
  fake.transport->PushJson(EsimsPage(25, 0));
  fake.transport->PushJson(R"({"message":"no"})", 403);
  Client client(fake.Options());
  auto all = client.esims().ListAll().Collect();
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().code, ErrorCode::kForbidden);
}

// ------------------------------------------------------------------- #15 PUT /esims

TEST(EsimsApi, UpdateSendsIccidAndCustomerRefAsQueryAndBody) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("esims_update.json"));
  Client client(fake.Options());
  auto r = client.esims().Update(kIccid, "ref-123");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->status, "success");
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "PUT");
  EXPECT_EQ(Target(req), "/esims?iccid=8944123456789012345&customerRef=ref-123");
  EXPECT_EQ(req.body, R"({"iccid":"8944123456789012345","customerRef":"ref-123"})");
  EXPECT_EQ(FindHeader(req.headers, "Content-Type"), "application/json");
}

TEST(EsimsApi, UpdateEscapesTheCustomerRef) {
  FakeClient fake;
  Client client(fake.Options());
  ASSERT_TRUE(client.esims().Update(kIccid, "a&b=c \"d\""));
  auto req = fake.transport->last();
  EXPECT_EQ(Target(req), "/esims?iccid=8944123456789012345&customerRef=a%26b%3Dc%20%22d%22");
  EXPECT_EQ(req.body, R"({"iccid":"8944123456789012345","customerRef":"a&b=c \"d\""})");
}

TEST(EsimsApi, UpdateIsRetriedBecauseSettingTheSameValueTwiceIsHarmless) {
  FakeClient fake;
  fake.transport->PushJson("{}", 503);
  fake.transport->PushJson(SpecExample("esims_update.json"));
  Client client(fake.Options());
  auto r = client.esims().Update(kIccid, "ref");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(fake.transport->count(), 2u);
}

TEST(EsimsApi, UpdateRejectsABadIccid) {
  FakeClient fake;
  Client client(fake.Options());
  auto r = client.esims().Update("", "ref");
  ASSERT_FALSE(r);
  ExpectRejectedBeforeSending(r.error(), fake, "ICCID is empty");
}

// -------------------------------------------------------------------- decode errors

TEST(EsimsApi, MalformedJsonIsADecodeErrorNamingTheOperation) {
  FakeClient fake;
  fake.transport->PushJson(R"({"bundles":[{"name":)");
  Client client(fake.Options());
  auto r = client.esims().ListBundles(kIccid);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kDecode);
  EXPECT_EQ(r.error().operation, "esims.ListBundles");
}

}  // namespace
}  // namespace esimgo
