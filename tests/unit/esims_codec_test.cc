// The eSIM codecs (src/model/esims_codec.cc) and install-details helpers (src/install_csv.cc):
// exact encodings the sandbox answers with, encode→decode round trips for every pair, the
// bundle-state open enum, the install CSV both ways, LPA strings and ICCID validation.

#include <gtest/gtest.h>

#include "api_call.h"
#include "esimgo/esims.h"
#include "model/esims_codec.h"

namespace esimgo {
namespace {

using internal::EncodeBody;
using internal::json::DecodeBody;

template <class T>
T RoundTrip(const T& value) {
  const std::string body = EncodeBody(value);
  auto decoded = DecodeBody<T>(body, "round trip");
  EXPECT_TRUE(decoded) << body << ": " << decoded.error().message;
  return decoded ? *decoded : T{};
}

Timestamp Iso(std::string_view s) { return Timestamp::Parse(s); }

BundleAssignment SampleAssignment() {
  return {.id = "215009266",
          .call_type_group = "data",
          .initial_quantity = 20'000'000'000,
          .remaining_quantity = 19'000'000'000,
          .assignment_date_time = Iso("2024-12-11T10:47:00.34523Z"),
          .assignment_reference = "3a6e2e40-c674-45e9-b289-b35027bf72a9-0",
          .bundle_state = ParseBundleState("Queued"),
          .unlimited = true};
}

// ------------------------------------------------------------------ exact encodings

TEST(EsimsCodec, EsimDetailsEncodesFirstInstalledAsEpochMillis) {
  EsimDetails d{.iccid = "89441234567890123456",
                .first_installed = Iso("2024-08-13T09:37:57.280Z"),
                .apple_install_url = "https://a/b"};
  EXPECT_EQ(EncodeBody(d),
            R"({"iccid":"89441234567890123456","pin":"","puk":"","matchingId":"",)"
            R"("smdpAddress":"","profileStatus":"","firstInstalledDateTime":1723541877280,)"
            R"("customerRef":"","appleInstallUrl":"https://a/b"})");
}

TEST(EsimsCodec, EsimDetailsOmitsFirstInstalledWhenNeverInstalled) {
  EsimDetails d{.iccid = "8944123456789012345"};
  const std::string body = EncodeBody(d);
  EXPECT_EQ(body.find("firstInstalledDateTime"), std::string::npos) << body;
  EXPECT_EQ(body.find("appleInstallUrl"), std::string::npos) << body;
}

TEST(EsimsCodec, EsimInstallEncodesFirstInstalledAsIsoString) {
  EsimInstall e{.iccid = "8944123456789012345",
                .matching_id = "M",
                .smdp_address = "rsp.example.com",
                .first_installed = Iso("1723541877280")};
  EXPECT_EQ(
      EncodeBody(e),
      R"({"iccid":"8944123456789012345","matchingId":"M","smdpAddress":"rsp.example.com",)"
      R"("profileStatus":"","pin":"","puk":"","firstInstalledDateTime":"2024-08-13T09:37:57.280Z"})");
}

TEST(EsimsCodec, HistoryBodyEncodesABareArray) {
  HistoryBody h{
      .events = {{.name = "Bundle Applied", .bundle_name = "b", .date = Iso("2024-01-01")}}};
  EXPECT_EQ(EncodeBody(h), R"([{"name":"Bundle Applied","bundleName":"b","date":"2024-01-01"}])");
  EXPECT_EQ(EncodeBody(HistoryBody{}), "[]");
}

TEST(EsimsCodec, InstallDetailsBodyEncodesAnArray) {
  InstallDetailsBody b{.esims = {{.iccid = "1"}, {.iccid = "2"}}};
  const std::string body = EncodeBody(b);
  EXPECT_EQ(body.front(), '[');
  EXPECT_NE(body.find(R"("iccid":"2")"), std::string::npos);
}

TEST(EsimsCodec, ApplyBundleRequestOmitsUnsetOptionals) {
  EXPECT_EQ(EncodeBody(ApplyBundleRequest{.name = "b"}), R"({"name":"b"})");
  EXPECT_EQ(EncodeBody(ApplyBundleRequest{
                .iccid = "8944123456789012345", .name = "b", .allow_reassign = true}),
            R"({"iccid":"8944123456789012345","name":"b","allowReassign":true})");
  EXPECT_EQ(EncodeBody(ApplyBundleRequest{.bundles = {{.name = "a"}}, .repeat = 2}),
            R"({"bundles":[{"name":"a"}],"repeat":2})");
}

TEST(EsimsCodec, BundleAssignmentEncodesTheRawStateOrTheEnumName) {
  auto a = SampleAssignment();
  EXPECT_NE(EncodeBody(a).find(R"("bundleState":"Queued")"), std::string::npos);
  a.bundle_state = {.value = BundleState::kDepleted, .raw = ""};
  EXPECT_NE(EncodeBody(a).find(R"("bundleState":"depleted")"), std::string::npos);
  EXPECT_NE(EncodeBody(a).find(R"("initialQuantity":20000000000)"), std::string::npos);
}

TEST(EsimsCodec, SmsAndLegacyAndUpdateAndCompatibilityEncodings) {
  EXPECT_EQ(EncodeBody(SmsRequest{.message = "Hello!", .from = "eSIM"}),
            R"({"message":"Hello!","from":"eSIM"})");
  EXPECT_EQ(EncodeBody(LegacyApplyRequest{.name = "b", .repeat = 1}), R"({"name":"b","repeat":1})");
  EXPECT_EQ(EncodeBody(UpdateEsimBody{.iccid = "1", .customer_ref = "r"}),
            R"({"iccid":"1","customerRef":"r"})");
  EXPECT_EQ(EncodeBody(CompatibilityBody{.compatible = true}), R"({"compatible":true})");
}

// ------------------------------------------------------------------ tolerant decoding

TEST(EsimsCodec, ApplyRequestAcceptsCapitalAllowReassign) {
  auto r = DecodeBody<ApplyBundleRequest>(
      R"({"iccid":89441234567890123456,"name":"b","AllowReassign":true,"repeat":null,)"
      R"("bundles":[{"name":"x","AllowReassign":false,"repeat":"2"}]})",
      "t");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->iccid, "89441234567890123456");
  EXPECT_EQ(r->allow_reassign, true);
  EXPECT_FALSE(r->repeat);
  ASSERT_EQ(r->bundles.size(), 1u);
  EXPECT_EQ(r->bundles[0].allow_reassign, false);
  EXPECT_EQ(r->bundles[0].repeat, 2);
}

TEST(EsimsCodec, LegacyRequestReadsTheSamplesStringRepeat) {
  auto r =
      DecodeBody<LegacyApplyRequest>(R"({"name":"string","startTime":"string","repeat":0})", "t");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->name, "string");
  EXPECT_EQ(r->start_time, "string");
  EXPECT_EQ(r->repeat, 0);
}

TEST(EsimsCodec, InstallDetailsBodyReadsObjectArrayWrapperAndNull) {
  auto single = DecodeBody<InstallDetailsBody>(R"({"iccid":"1","matchingId":"m"})", "t");
  ASSERT_TRUE(single);
  ASSERT_EQ(single->esims.size(), 1u);
  EXPECT_EQ(single->esims[0].matching_id, "m");
  auto wrapped = DecodeBody<InstallDetailsBody>(R"({"esims":[{"iccid":"1"},{"iccid":"2"}]})", "t");
  ASSERT_TRUE(wrapped);
  EXPECT_EQ(wrapped->esims.size(), 2u);
  auto null_field = DecodeBody<InstallDetailsBody>(R"({"esims":null})", "t");
  ASSERT_TRUE(null_field);
  EXPECT_TRUE(null_field->esims.empty());
  // simdjson's on-demand API cannot hand out a scalar root as a value: a bare `null` body
  // is a clean decode error rather than an empty list.
  auto null_root = DecodeBody<InstallDetailsBody>("null", "t");
  if (!null_root) {
    EXPECT_EQ(null_root.error().code, ErrorCode::kDecode);
  }
}

TEST(EsimsCodec, ListBodiesAcceptBareArrays) {
  auto esims = DecodeBody<EsimListBody>(R"([{"iccid":8944123456789012345}])", "t");
  ASSERT_TRUE(esims);
  EXPECT_EQ(esims->esims[0].iccid, "8944123456789012345");
  auto bundles = DecodeBody<BundlesListBody>(R"([{"name":"b"}])", "t");
  ASSERT_TRUE(bundles);
  EXPECT_EQ(bundles->bundles[0].name, "b");
  auto assignments = DecodeBody<AssignmentListBody>(R"([{"id":1}])", "t");
  ASSERT_TRUE(assignments);
  EXPECT_EQ(assignments->assignments[0].id, "1");
}

TEST(EsimsCodec, WrongTypesAreDecodeErrorsNotCrashes) {
  EXPECT_FALSE(DecodeBody<EsimDetails>(R"({"iccid":{"x":1}})", "t"));
  EXPECT_FALSE(DecodeBody<BundlesListBody>(
      R"({"bundles":[{"assignments":[{"initialQuantity":"lots"}]}]})", "t"));
  EXPECT_FALSE(DecodeBody<HistoryBody>("\"text\"", "t"));
  EXPECT_FALSE(DecodeBody<CompatibilityBody>(R"({"compatible":"maybe"})", "t"));
  EXPECT_FALSE(DecodeBody<EsimListBody>("", "t"));
}

TEST(EsimsCodec, ParseBundleStateIsCaseInsensitiveAndKeepsTheRawText) {
  struct Case {
    std::string_view raw;
    BundleState want;
  };
  for (auto [raw, want] : std::vector<Case>{{"processing", BundleState::kProcessing},
                                            {"Queued", BundleState::kQueued},
                                            {"ACTIVE", BundleState::kActive},
                                            {"Depleted", BundleState::kDepleted},
                                            {"expired", BundleState::kExpired},
                                            {"Revoked", BundleState::kRevoked},
                                            {"LAPSED", BundleState::kLapsed},
                                            {"Suspended", BundleState::kUnknown},
                                            {"", BundleState::kUnknown}}) {
    auto s = ParseBundleState(raw);
    EXPECT_EQ(s.value, want) << raw;
    EXPECT_EQ(s.raw, raw);
  }
  EXPECT_EQ(BundleStateName(BundleState::kLapsed), "lapsed");
  EXPECT_EQ(BundleStateName(BundleState::kUnknown), "unknown");
  EXPECT_EQ(ParseBundleState(BundleStateName(BundleState::kProcessing)).value,
            BundleState::kProcessing);
}

// ------------------------------------------------------------------ round trips

TEST(EsimsCodec, RoundTripsEsimSummaryAndList) {
  EsimSummary s{.iccid = "89441234567890123456",
                .customer_ref = "CUST \"1\"",
                .last_action = "Bundle Applied",
                .action_date = Iso("2023-05-15T14:30:00Z"),
                .physical = true,
                .assigned_date = Iso("2023-05-01T10:00:00Z")};
  EXPECT_EQ(RoundTrip(s), s);
  EsimListBody list{.esims = {s, EsimSummary{.iccid = "8944123456789012345"}}};
  EXPECT_EQ(RoundTrip(list).esims, list.esims);
}

TEST(EsimsCodec, RoundTripsEsimDetails) {
  EsimDetails d{.iccid = "894123456789123456",
                .pin = "0000",
                .puk = "123445678",
                .matching_id = "JQ-123456-ABCDEPFX",
                .smdp_address = "http://rsp.example.com",
                .profile_status = "Installed",
                .first_installed = Iso("1723541877280"),
                .customer_ref = "",
                .apple_install_url = "https://x"};
  EXPECT_EQ(RoundTrip(d), d);
  // An ISO time comes back as the same instant in epoch-ms form.
  d.first_installed = Iso("2024-08-13T09:37:57.280Z");
  auto back = RoundTrip(d);
  ASSERT_TRUE(back.first_installed.time);
  EXPECT_EQ(*back.first_installed.time, *d.first_installed.time);
}

TEST(EsimsCodec, RoundTripsHistory) {
  HistoryEvent e{.name = "Bundle Refunded To Balance",
                 .bundle_name = "esim_1GB_7D_GB_V2",
                 .date = Iso("2023-04-07T00:50:31.618780311Z")};
  EXPECT_EQ(RoundTrip(e), e);
  HistoryBody h{.events = {e, HistoryEvent{.name = "eSIM First Use"}}};
  EXPECT_EQ(RoundTrip(h).events, h.events);
}

TEST(EsimsCodec, RoundTripsLocation) {
  EsimLocation l{.mobile_network_code = "FRAF1",
                 .network_name = "Orange",
                 .network_brand_name = "Orange France",
                 .country = "FR",
                 .last_seen = Iso("2024-07-27T00:25:07.382562Z")};
  EXPECT_EQ(RoundTrip(l), l);
}

TEST(EsimsCodec, RoundTripsSms) {
  SmsRequest with{.message = "Grüße, \"friend\"\n", .from = "eSIM"};
  EXPECT_EQ(RoundTrip(with), with);
  SmsRequest without{.message = "hi"};
  EXPECT_EQ(RoundTrip(without), without);
}

TEST(EsimsCodec, RoundTripsApplyRequestsAndResponse) {
  ApplyBundleItem item{.name = "a", .repeat = 3, .allow_reassign = false};
  EXPECT_EQ(RoundTrip(item), item);
  ApplyBundleRequest single{.iccid = "89441234567890123456", .name = "b", .allow_reassign = true};
  EXPECT_EQ(RoundTrip(single), single);
  ApplyBundleRequest list{.bundles = {item, ApplyBundleItem{.name = "c"}}, .repeat = 2};
  EXPECT_EQ(RoundTrip(list), list);
  AppliedEsim esim{.iccid = "89441234567890123456", .status = "ACTIVE", .bundle = "b"};
  EXPECT_EQ(RoundTrip(esim), esim);
  ApplyBundleResponse resp{.esims = {esim, AppliedEsim{.iccid = "1", .status = "Processing"}},
                           .apply_reference = "123e4567-e89b-12d3-a456-426614174000"};
  EXPECT_EQ(RoundTrip(resp), resp);
  LegacyApplyRequest legacy{.name = "b", .start_time = "2024-01-01T00:00:00Z", .repeat = 1};
  EXPECT_EQ(RoundTrip(legacy), legacy);
}

TEST(EsimsCodec, RoundTripsInstallDetails) {
  // bundle/reference exist only in the CSV form: the JSON encoding leaves them out.
  EsimInstall e{.iccid = "8944123456789012345",
                .matching_id = "A1B2-C3D4-E5F6-G7H8",
                .smdp_address = "http://smdp.example.com",
                .profile_status = "Released",
                .pin = "1234",
                .puk = "12345678",
                .first_installed = Iso("2023-06-15T14:30:00.000Z"),
                .apple_install_url = "https://esimsetup.apple.com/x"};
  EXPECT_EQ(RoundTrip(e), e);
  InstallDetailsBody body{.esims = {e, EsimInstall{.iccid = "89441234567890123456"}}};
  EXPECT_EQ(RoundTrip(body).esims, body.esims);
}

TEST(EsimsCodec, RoundTripsBundlesAndAssignments) {
  auto a = SampleAssignment();
  EXPECT_EQ(RoundTrip(a), a);
  EXPECT_EQ(RoundTrip(a).bundle_state.value, BundleState::kQueued);
  AppliedBundle b{.name = "esim_1GB_7D_GB_V2", .description = "d", .assignments = {a, a}};
  EXPECT_EQ(RoundTrip(b), b);
  BundlesListBody list{.bundles = {b, AppliedBundle{.name = "x"}}};
  EXPECT_EQ(RoundTrip(list).bundles, list.bundles);
  AssignmentListBody assignments{.assignments = {a}};
  EXPECT_EQ(RoundTrip(assignments).assignments, assignments.assignments);
}

TEST(EsimsCodec, RoundTripsCompatibilityAndUpdate) {
  EXPECT_TRUE(RoundTrip(CompatibilityBody{.compatible = true}).compatible);
  EXPECT_FALSE(RoundTrip(CompatibilityBody{.compatible = false}).compatible);
  auto u = RoundTrip(UpdateEsimBody{.iccid = "8944123456789012345", .customer_ref = "r&1"});
  EXPECT_EQ(u.iccid, "8944123456789012345");
  EXPECT_EQ(u.customer_ref, "r&1");
}

// ------------------------------------------------------------------ install CSV

TEST(InstallDetailsCsv, EncodesTheHeaderAndQuotesFieldsThatNeedIt) {
  std::vector<EsimInstall> rows = {
      {.iccid = "8944123456789012345",
       .matching_id = "M1",
       .smdp_address = "rsp.example.com",
       .bundle = "esim_1GB, \"EU\"",
       .reference = "multi\nline"},
  };
  EXPECT_EQ(EncodeInstallDetailsCsv(rows),
            "ICCID,Matching ID,RSP URL,Bundle,Reference\n"
            "8944123456789012345,M1,rsp.example.com,\"esim_1GB, \"\"EU\"\"\",\"multi\nline\"\n");
  EXPECT_EQ(EncodeInstallDetailsCsv({}), "ICCID,Matching ID,RSP URL,Bundle,Reference\n");
}

TEST(InstallDetailsCsv, EncodeThenParseRoundTripsManyRows) {
  std::vector<EsimInstall> rows;
  for (int i = 0; i < 1000; ++i) {
    rows.push_back({.iccid = "8944123456789" + std::to_string(100000 + i),
                    .matching_id = "M-" + std::to_string(i),
                    .smdp_address = "rsp.example.com",
                    .bundle = i % 2 ? "plain" : "with, comma and \"quotes\"",
                    .reference = i % 3 ? "ref" : "line\r\nbreak"});
  }
  auto parsed = ParseInstallDetailsCsv(EncodeInstallDetailsCsv(rows));
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ((*parsed)[i], rows[i]) << i;
}

TEST(InstallDetailsCsv, ParsesCrlfBomReorderedColumnsAndBlankLines) {
  auto r = ParseInstallDetailsCsv(
      "\xEF\xBB\xBF\r\nReference,RSP URL,ICCID,Matching ID,Extra,PIN\r\n"
      "ref-1,rsp.example.com,8944123456789012345,M1,x,1234\r\n"
      "\r\n"
      "\"ref,2\",rsp.example.com,\"89441234567890123456\",M2\r\n");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].iccid, "8944123456789012345");
  EXPECT_EQ((*r)[0].reference, "ref-1");
  EXPECT_EQ((*r)[0].pin, "1234");
  EXPECT_EQ((*r)[1].iccid, "89441234567890123456");
  EXPECT_EQ((*r)[1].reference, "ref,2");
  EXPECT_EQ((*r)[1].matching_id, "M2");
  EXPECT_EQ((*r)[1].pin, "");  // short row
}

TEST(InstallDetailsCsv, ReportsTheLineOfAnUnterminatedQuote) {
  auto r = ParseInstallDetailsCsv("ICCID,Bundle\n1,\"two\nlines\"\n2,ok\n3,\"never closed\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kDecode);
  EXPECT_NE(r.error().message.find("line 5"), std::string::npos) << r.error().message;
}

TEST(InstallDetailsCsv, RejectsEmptyAndHeaderlessBodies) {
  for (std::string_view body : {"", "\n\n", "foo,bar\n1,2\n", R"({"iccid":"1"})"}) {
    auto r = ParseInstallDetailsCsv(body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code, ErrorCode::kDecode);
  }
}

TEST(InstallDetailsCsv, HeaderOnlyMeansNoRows) {
  auto r = ParseInstallDetailsCsv("ICCID,Matching ID,RSP URL,Bundle,Reference\n");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->empty());
}

// ------------------------------------------------------------------ LPA, ICCID

TEST(LpaString, BuildsTheActivationCodeWithoutScheme) {
  EXPECT_EQ(LpaString("rsp.example.com", "A1B2-C3D4"), "LPA:1$rsp.example.com$A1B2-C3D4");
  EXPECT_EQ(LpaString("http://smdp.example.com/", "M"), "LPA:1$smdp.example.com$M");
  EXPECT_EQ(LpaString("https://smdp.example.com", "M"), "LPA:1$smdp.example.com$M");
}

TEST(ValidateIccid, AcceptsEighteenToTwentyTwoDigits) {
  EXPECT_TRUE(ValidateIccid("894123456789123456"));
  EXPECT_TRUE(ValidateIccid("8944123456789012345"));
  EXPECT_TRUE(ValidateIccid("89441234567890123456"));
  EXPECT_TRUE(ValidateIccid("8944123456789012345678"));
}

TEST(ValidateIccid, RejectsWithAMessageThatSaysWhatIsWrong) {
  auto empty = ValidateIccid("");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(empty.error().message.find("empty"), std::string::npos);
  auto short_one = ValidateIccid("12345678901234567");
  ASSERT_FALSE(short_one);
  EXPECT_NE(short_one.error().message.find("17 digits"), std::string::npos);
  EXPECT_FALSE(ValidateIccid("89441234567890123456789"));
  auto dashed = ValidateIccid("8944-1234-5678-9012-345");
  ASSERT_FALSE(dashed);
  EXPECT_NE(dashed.error().message.find("position 5"), std::string::npos) << dashed.error().message;
}

TEST(ValidateIccid, NeverEchoesANonNumericValue) {
  const std::string secret = "sk_live_SECRET_API_KEY";
  auto r = ValidateIccid(secret);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.find("SECRET"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace esimgo
