#include "esimgo/webhook.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

namespace esimgo::webhook {
namespace {

// Vectors computed outside this project (key `test-api-key-123`).
constexpr std::string_view kKey = "test-api-key-123";
constexpr std::string_view kUtilisationBody =
    R"({"iccid":"8944538532008160222","alertType":"Utilisation","bundle":{"id":"123456789","reference":"12345-12345-12345-12345-0","name":"A_BUNDLE_20GB_30D_EU_U","description":"A Bundle, 20GB, 30 Days, EU, Unthrottled","initialQuantity":20000000000,"remainingQuantity":19000000000,"startTime":"2006-01-02T15:04:05Z","endTime":"2007-01-02T15:04:05Z","unlimited":false}})";
constexpr std::string_view kUtilisationBase64 = "paCSAUqQLPFOinS3BQXFyXlF+X/JQ2aFQbqIF4h15L0=";
constexpr std::string_view kUtilisationHex =
    "a5a092014a902cf14e8a74b70505c5c97945f97fc943668541ba88178875e4bd";
constexpr std::string_view kFirstUseBody =
    R"({"alertType":"FirstUse","iccid":89445385320081602221})";
constexpr std::string_view kFirstUseBase64 = "wiZZHKXafYxZOpGNyrdWO3zBw4zp/pmLKrssx7uuo5o=";

TEST(WebhookSignature, ComputeMatchesTheExternalBase64Vectors) {
  EXPECT_EQ(ComputeSignature(kKey, kUtilisationBody), kUtilisationBase64);
  EXPECT_EQ(ComputeSignature(kKey, kFirstUseBody), kFirstUseBase64);
}

TEST(WebhookSignature, ComputeHexMatchesTheExternalHexVector) {
  EXPECT_EQ(ComputeSignatureHex(kKey, kUtilisationBody), kUtilisationHex);
}

TEST(WebhookSignature, VerifyAcceptsBase64AndHexInEitherCase) {
  EXPECT_TRUE(VerifySignature(kKey, kUtilisationBody, kUtilisationBase64));
  EXPECT_TRUE(VerifySignature(kKey, kUtilisationBody, kUtilisationHex));
  std::string upper(kUtilisationHex);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(VerifySignature(kKey, kUtilisationBody, upper));
  EXPECT_TRUE(VerifySignature(kKey, kFirstUseBody, kFirstUseBase64));
}

TEST(WebhookSignature, VerifyIgnoresSurroundingWhitespace) {
  EXPECT_TRUE(
      VerifySignature(kKey, kUtilisationBody, " \t" + std::string(kUtilisationBase64) + "\r\n"));
}

TEST(WebhookSignature, VerifyRejectsATamperedBody) {
  std::string body(kUtilisationBody);
  body.replace(body.find("19000000000"), 11, "19000000001");
  EXPECT_FALSE(VerifySignature(kKey, body, kUtilisationBase64));
  EXPECT_FALSE(VerifySignature(kKey, body, kUtilisationHex));
}

TEST(WebhookSignature, VerifyRejectsTheWrongKey) {
  EXPECT_FALSE(VerifySignature("test-api-key-124", kUtilisationBody, kUtilisationBase64));
  EXPECT_FALSE(VerifySignature("", kUtilisationBody, kUtilisationBase64));
}

TEST(WebhookSignature, VerifyRejectsReSerialisedJson) {
  // Same JSON value, different bytes: the signature covers bytes, not meaning.
  std::string pretty(kUtilisationBody);
  pretty.replace(pretty.find(",\"alertType\""), 1, ", ");
  ASSERT_TRUE(ParseAlert(pretty));
  EXPECT_FALSE(VerifySignature(kKey, pretty, kUtilisationBase64));
  EXPECT_FALSE(VerifySignature(kKey, std::string(kUtilisationBody) + "\n", kUtilisationBase64));
}

TEST(WebhookSignature, VerifyRejectsWrongLengthsAndGarbage) {
  EXPECT_FALSE(VerifySignature(kKey, kUtilisationBody, ""));
  EXPECT_FALSE(VerifySignature(kKey, kUtilisationBody, kUtilisationBase64.substr(0, 20)));
  EXPECT_FALSE(VerifySignature(kKey, kUtilisationBody, std::string(kUtilisationHex) + "00"));
  EXPECT_FALSE(VerifySignature(kKey, kUtilisationBody, std::string(44, 'A')));
  EXPECT_FALSE(VerifySignature(kKey, kUtilisationBody, std::string(64, 'z')));
}

TEST(WebhookSignature, VerifyAcceptsBase64WithoutPadding) {
  EXPECT_TRUE(VerifySignature(kKey, kUtilisationBody, kUtilisationBase64.substr(0, 43)));
}

TEST(WebhookRequest, VerifyRequestAcceptsASignedRequest) {
  Headers h{{"Content-Type", "application/json"},
            {"X-Signature-SHA256", std::string(kUtilisationBase64)}};
  auto r = VerifyRequest(kKey, h, kUtilisationBody);
  EXPECT_TRUE(r) << r.error().ToString();
}

TEST(WebhookRequest, VerifyRequestMatchesTheHeaderNameCaseInsensitively) {
  Headers h{{"x-signature-sha256", std::string(kUtilisationHex)}};
  EXPECT_TRUE(VerifyRequest(kKey, h, kUtilisationBody));
  Headers h2{{"X-SIGNATURE-SHA256", std::string(kUtilisationBase64)}};
  EXPECT_TRUE(VerifyRequest(kKey, h2, kUtilisationBody));
}

TEST(WebhookRequest, VerifyRequestSaysWhenTheHeaderIsMissing) {
  Headers h{{"Content-Type", "application/json"}};
  auto r = VerifyRequest(kKey, h, kUtilisationBody);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kSignatureMismatch);
  EXPECT_NE(r.error().message.find("missing"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find(kKey), std::string::npos);
  EXPECT_EQ(r.error().ToString().find(kKey), std::string::npos);
}

TEST(WebhookRequest, VerifyRequestSaysWhenTheSignatureDoesNotMatch) {
  Headers h{{"X-Signature-SHA256", std::string(kUtilisationBase64)}};
  auto r = VerifyRequest(kKey, h, kFirstUseBody);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kSignatureMismatch);
  EXPECT_NE(r.error().message.find("does not match"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find("missing"), std::string::npos);
  EXPECT_EQ(r.error().message.find(kKey), std::string::npos);
  EXPECT_EQ(r.error().ToString().find(kKey), std::string::npos);
}

TEST(WebhookConstruct, VerifiesThenParsesASignedCallback) {
  Headers h{{"X-Signature-SHA256", std::string(kUtilisationBase64)}};
  auto alert = ConstructAlert(kKey, h, kUtilisationBody);
  ASSERT_TRUE(alert) << alert.error().ToString();
  EXPECT_EQ(alert->alert_type.value, AlertType::kUtilisation);
  EXPECT_EQ(alert->raw_json, kUtilisationBody);
}

TEST(WebhookConstruct, NeverParsesAnUnverifiedBody) {
  // Signed for another body, and no signature at all: both refused before any parsing.
  Headers wrong{{"X-Signature-SHA256", std::string(kUtilisationBase64)}};
  auto r = ConstructAlert(kKey, wrong, kFirstUseBody);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kSignatureMismatch);
  auto unsigned_body = ConstructAlert(kKey, Headers{}, "not even json");
  ASSERT_FALSE(unsigned_body);
  EXPECT_EQ(unsigned_body.error().code, ErrorCode::kSignatureMismatch);
}

TEST(WebhookAlert, ParsesTheSpecUtilisationExample) {
  auto a = ParseAlert(kUtilisationBody);
  ASSERT_TRUE(a) << a.error().ToString();
  EXPECT_EQ(a->alert_type.value, AlertType::kUtilisation);
  EXPECT_EQ(a->alert_type.raw, "Utilisation");
  EXPECT_EQ(a->iccid, "8944538532008160222");
  ASSERT_TRUE(a->bundle);
  EXPECT_EQ(a->bundle->id, "123456789");
  EXPECT_EQ(a->bundle->reference, "12345-12345-12345-12345-0");
  EXPECT_EQ(a->bundle->name, "A_BUNDLE_20GB_30D_EU_U");
  EXPECT_EQ(a->bundle->description, "A Bundle, 20GB, 30 Days, EU, Unthrottled");
  EXPECT_EQ(a->bundle->initial_quantity, 20'000'000'000);
  EXPECT_EQ(a->bundle->remaining_quantity, 19'000'000'000);
  EXPECT_EQ(a->bundle->start_time.raw, "2006-01-02T15:04:05Z");
  EXPECT_TRUE(a->bundle->start_time.time.has_value());
  EXPECT_EQ(a->bundle->end_time.raw, "2007-01-02T15:04:05Z");
  EXPECT_FALSE(a->bundle->unlimited);
  EXPECT_FALSE(a->country);
  EXPECT_FALSE(a->balance_info);
  EXPECT_EQ(a->raw_json, kUtilisationBody);
}

TEST(WebhookAlert, FirstUseKeepsTheExactDigitsOfANumericIccid) {
  auto a = ParseAlert(kFirstUseBody);
  ASSERT_TRUE(a) << a.error().ToString();
  EXPECT_EQ(a->alert_type.value, AlertType::kFirstUse);
  // 20 digits: more than int64 or a double can hold exactly.
  EXPECT_EQ(a->iccid, "89445385320081602221");
  EXPECT_FALSE(a->bundle);
}

TEST(WebhookAlert, ParsesCountryChange) {
  auto a = ParseAlert(
      R"({"alertType":"CountryChange","iccid":"8944538532008160222","country":{"code":"FR","name":"France"}})");
  ASSERT_TRUE(a) << a.error().ToString();
  EXPECT_EQ(a->alert_type.value, AlertType::kCountryChange);
  EXPECT_EQ(a->iccid, "8944538532008160222");
  ASSERT_TRUE(a->country);
  EXPECT_EQ(a->country->code, "FR");
  EXPECT_EQ(a->country->name, "France");
}

TEST(WebhookAlert, ParsesLowBalanceWithExactMoney) {
  auto a = ParseAlert(
      R"({"alertType":"LowBalance","balanceInfo":{"balance":1299.3,"threshold":2600,"thresholdPercentRemaining":49.973}})");
  ASSERT_TRUE(a) << a.error().ToString();
  EXPECT_EQ(a->alert_type.value, AlertType::kLowBalance);
  EXPECT_TRUE(a->iccid.empty());
  ASSERT_TRUE(a->balance_info);
  EXPECT_EQ(a->balance_info->balance, Money::FromMicros(1'299'300'000));
  EXPECT_EQ(a->balance_info->threshold, Money::FromUnits(2600));
  EXPECT_DOUBLE_EQ(a->balance_info->threshold_percent_remaining, 49.973);
}

TEST(WebhookAlert, ParsesInsufficientBalance) {
  auto a = ParseAlert(
      R"({"alertType":"InsufficientBalance","balanceInfo":{"balance":0.5,"threshold":100,"thresholdPercentRemaining":0.5}})");
  ASSERT_TRUE(a) << a.error().ToString();
  EXPECT_EQ(a->alert_type.value, AlertType::kInsufficientBalance);
  ASSERT_TRUE(a->balance_info);
  EXPECT_EQ(a->balance_info->balance, Money::FromMicros(500'000));
}

TEST(WebhookAlert, AlertTypeIsMatchedCaseInsensitivelyAndRawIsKept) {
  auto a = ParseAlert(R"({"alertType":"utilisation","iccid":"1"})");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->alert_type.value, AlertType::kUtilisation);
  EXPECT_EQ(a->alert_type.raw, "utilisation");
}

TEST(WebhookAlert, UnknownAlertTypeIsKeptWithItsRawJson) {
  constexpr std::string_view body =
      R"({"alertType":"SimSwapped","iccid":"8944538532008160222","extra":{"a":[1,2,3]}})";
  auto a = ParseAlert(body);
  ASSERT_TRUE(a) << a.error().ToString();
  EXPECT_EQ(a->alert_type.value, AlertType::kUnknown);
  EXPECT_EQ(a->alert_type.raw, "SimSwapped");
  EXPECT_EQ(a->iccid, "8944538532008160222");
  EXPECT_EQ(a->raw_json, body);
}

TEST(WebhookAlert, UnitAndNullPartsAreTolerated) {
  auto a = ParseAlert(
      R"({"alertType":"Utilisation","iccid":"1","bundle":{"name":"x","unit":"SMSmessages","initialQuantity":1.5e3},"country":null})");
  ASSERT_TRUE(a) << a.error().ToString();
  ASSERT_TRUE(a->bundle);
  EXPECT_EQ(a->bundle->unit, "SMSmessages");
  EXPECT_EQ(a->bundle->initial_quantity, 1500);
  EXPECT_FALSE(a->country);
}

TEST(WebhookAlert, TrailingWhitespaceIsAcceptedAndKeptInRawJson) {
  const std::string body = std::string(kFirstUseBody) + "\r\n";
  auto a = ParseAlert(body);
  ASSERT_TRUE(a) << a.error().ToString();
  EXPECT_EQ(a->iccid, "89445385320081602221");
  EXPECT_EQ(a->raw_json, body);
}

TEST(WebhookAlert, MalformedJsonIsADecodeError) {
  for (std::string_view bad :
       {std::string_view(""), std::string_view("not json"), std::string_view("[1,2]"),
        std::string_view("\"Utilisation\""), std::string_view(R"({"alertType":"Utilisation",)"),
        std::string_view(R"({"alertType":"Utilisation","bundle":{"initialQuantity":"lots"}})"),
        std::string_view(R"({"alertType":"Utilisation","bundle":[1]})"),
        std::string_view(R"({"alertType":"FirstUse"} trailing)"),
        std::string_view(R"({"alertType":"FirstUse"}{"alertType":"FirstUse"})")}) {
    auto a = ParseAlert(bad);
    ASSERT_FALSE(a) << "accepted: " << bad;
    EXPECT_EQ(a.error().code, ErrorCode::kDecode) << bad;
    EXPECT_FALSE(a.error().message.empty());
  }
}

TEST(WebhookAlert, EncodeReproducesTheSpecBodyByteForByte) {
  auto a = ParseAlert(kUtilisationBody);
  ASSERT_TRUE(a);
  const std::string encoded = EncodeAlert(*a);
  EXPECT_EQ(encoded, kUtilisationBody);
  EXPECT_EQ(ComputeSignature(kKey, encoded), kUtilisationBase64);
}

TEST(WebhookAlert, EncodeThenParseRoundTripsEveryAlertType) {
  std::vector<Alert> alerts;
  alerts.push_back(
      {.alert_type = {AlertType::kUtilisation, "Utilisation"},
       .iccid = "89445385320081602221",
       .bundle = AlertBundle{.id = "7",
                             .reference = "r-1",
                             .name = "esim_1GB_7D_GB_V2",
                             .description = "d \"quoted\"",
                             .initial_quantity = 1'000'000'000,
                             .remaining_quantity = 10,
                             .start_time = Timestamp::Parse("2024-12-11T10:47:00.34523Z"),
                             .end_time = Timestamp::Parse("2024-12-18T10:47:00Z"),
                             .unlimited = true,
                             .unit = "BYTES"}});
  alerts.push_back({.alert_type = {AlertType::kFirstUse, "FirstUse"}, .iccid = "8944"});
  alerts.push_back({.alert_type = {AlertType::kCountryChange, "CountryChange"},
                    .iccid = "8944",
                    .country = AlertCountry{.code = "DE", .name = "Germany"}});
  alerts.push_back({.alert_type = {AlertType::kLowBalance, "LowBalance"},
                    .balance_info = BalanceInfo{.balance = Money::FromMicros(1'299'300'000),
                                                .threshold = Money::FromUnits(2600),
                                                .threshold_percent_remaining = 49.973}});
  alerts.push_back({.alert_type = {AlertType::kInsufficientBalance, ""},
                    .balance_info = BalanceInfo{.balance = Money::FromUnits(1)}});
  for (const Alert& in : alerts) {
    const std::string body = EncodeAlert(in);
    auto out = ParseAlert(body);
    ASSERT_TRUE(out) << body << ": " << out.error().ToString();
    EXPECT_EQ(out->alert_type.value, in.alert_type.value) << body;
    EXPECT_EQ(out->iccid, in.iccid) << body;
    EXPECT_EQ(out->bundle, in.bundle) << body;
    EXPECT_EQ(out->country, in.country) << body;
    EXPECT_EQ(out->balance_info, in.balance_info) << body;
    EXPECT_EQ(out->raw_json, body);
  }
}

TEST(WebhookAlert, EncodeOmitsAbsentParts) {
  Alert a{.alert_type = {AlertType::kFirstUse, "FirstUse"}, .iccid = "8944"};
  EXPECT_EQ(EncodeAlert(a), R"({"iccid":"8944","alertType":"FirstUse"})");
  Alert low{.alert_type = {AlertType::kLowBalance, ""},
            .balance_info = BalanceInfo{.balance = Money::FromMicros(1'299'300'000),
                                        .threshold = Money::FromUnits(2600),
                                        .threshold_percent_remaining = 49.973}};
  EXPECT_EQ(
      EncodeAlert(low),
      R"({"alertType":"LowBalance","balanceInfo":{"balance":1299.3,"threshold":2600,"thresholdPercentRemaining":49.973}})");
}

// ---- every documented notification (v2.5 docs, delta §7) -----------------------------------

TEST(WebhookAlertV25, ParsesFirstAttachment) {
  auto a = ParseAlert(R"({"alertType":"FirstAttachment","iccid":"8944538532008160222"})");
  ASSERT_TRUE(a) << a.error().ToString();
  EXPECT_EQ(a->alert_type.value, AlertType::kFirstAttachment);
  EXPECT_EQ(a->iccid, "8944538532008160222");
  EXPECT_TRUE(a->event.empty());
}

TEST(WebhookAlertV25, ParsesTheThreeTopupsWithExactOldAndNewAmounts) {
  const std::vector<std::pair<std::string, AlertType>> types = {
      {"Topup", AlertType::kTopup},
      {"AutoTopup", AlertType::kAutoTopup},
      {"eSIMGoTopup", AlertType::kEsimGoTopup},
      {"esimgotopup", AlertType::kEsimGoTopup}};
  for (const auto& [name, type] : types) {
    SCOPED_TRACE(name);
    auto a = ParseAlert(R"({"alertType":")" + name +
                        R"(","bundle":{"oldAmount":100.1,"newAmount":"1100.10"}})");
    ASSERT_TRUE(a) << a.error().ToString();
    EXPECT_EQ(a->alert_type.value, type);
    EXPECT_EQ(a->alert_type.raw, name);
    ASSERT_TRUE(a->bundle);
    EXPECT_EQ(a->bundle->old_amount, Money::FromMicros(100'100'000));
    EXPECT_EQ(a->bundle->new_amount, Money::FromMicros(1'100'100'000));
  }
}

TEST(WebhookAlertV25, ParsesMsisdnDisabledWithItsReason) {
  auto a = ParseAlert(
      R"({"alertType":"MSISDNDisabled","iccid":"8944538532008160222","msisdn":"447700900123","reason":"Bundle expired"})");
  ASSERT_TRUE(a) << a.error().ToString();
  EXPECT_EQ(a->alert_type.value, AlertType::kMsisdnDisabled);
  EXPECT_EQ(a->msisdn, "447700900123");
  EXPECT_EQ(a->reason, "Bundle expired");
}

TEST(WebhookAlertV25, ParsesSmsFailedWithAndWithoutAnMsisdn) {
  auto a = ParseAlert(
      R"({"iccid":"8944538532008160222","msisdn":"447700900123","alertType":"SMSFailed","timestamp":"2026-11-30T10:00:00Z"})");
  ASSERT_TRUE(a) << a.error().ToString();
  EXPECT_EQ(a->alert_type.value, AlertType::kSmsFailed);
  EXPECT_EQ(a->msisdn, "447700900123");
  EXPECT_TRUE(a->timestamp.time);
  auto b = ParseAlert(R"({"iccid":"1","alertType":"SMSFailed","timestamp":1764496800000})");
  ASSERT_TRUE(b) << b.error().ToString();
  EXPECT_TRUE(b->msisdn.empty());
  EXPECT_EQ(b->timestamp.raw, "1764496800000");  // epoch-ms read too
  EXPECT_TRUE(b->timestamp.time);
}

TEST(WebhookAlertV25, DispatchesTheLifecycleNoticesOnEvent) {
  auto scheduled = ParseAlert(
      R"({"date":"2026-12-07","event":"esim.deletion_scheduled","iccid":"8944538532008160222"})");
  ASSERT_TRUE(scheduled) << scheduled.error().ToString();
  EXPECT_EQ(scheduled->alert_type.value, AlertType::kEsimDeletionScheduled);
  EXPECT_EQ(scheduled->alert_type.raw, "esim.deletion_scheduled");
  EXPECT_EQ(scheduled->event, "esim.deletion_scheduled");
  EXPECT_EQ(scheduled->date.raw, "2026-12-07");
  EXPECT_TRUE(scheduled->date.time);
  EXPECT_EQ(scheduled->iccid, "8944538532008160222");

  auto deleted =
      ParseAlert(R"({"date":"2026-12-14T00:00:00Z","event":"esim.deleted","iccid":"1"})");
  ASSERT_TRUE(deleted) << deleted.error().ToString();
  EXPECT_EQ(deleted->alert_type.value, AlertType::kEsimDeleted);
}

TEST(WebhookAlertV25, AnUnknownEventIsKeptRawNeverAnError) {
  constexpr std::string_view body = R"({"event":"esim.reborn","iccid":"1","date":"2026-01-01"})";
  auto a = ParseAlert(body);
  ASSERT_TRUE(a) << a.error().ToString();
  EXPECT_EQ(a->alert_type.value, AlertType::kUnknown);
  EXPECT_EQ(a->alert_type.raw, "esim.reborn");
  EXPECT_EQ(a->event, "esim.reborn");
  EXPECT_EQ(a->raw_json, body);
  // MSISDNEnabled exists only in a third-party mock: unknown, kept.
  auto enabled = ParseAlert(R"({"alertType":"MSISDNEnabled","msisdn":"1"})");
  ASSERT_TRUE(enabled);
  EXPECT_EQ(enabled->alert_type.value, AlertType::kUnknown);
  EXPECT_EQ(enabled->msisdn, "1");
}

TEST(WebhookAlertV25, AlertTypeWinsOverEventWhenBothAreSent) {
  auto a = ParseAlert(R"({"alertType":"FirstUse","event":"esim.deleted","iccid":"1"})");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->alert_type.value, AlertType::kFirstUse);
  EXPECT_EQ(a->event, "esim.deleted");
}

TEST(WebhookAlertV25, EncodeWritesTheDocumentedShapes) {
  Alert deleted{.alert_type = {AlertType::kEsimDeleted, ""},
                .iccid = "8944538532008160222",
                .date = Timestamp::Parse("2026-12-14")};
  EXPECT_EQ(EncodeAlert(deleted),
            R"({"date":"2026-12-14","event":"esim.deleted","iccid":"8944538532008160222"})");
  Alert topup{.alert_type = {AlertType::kAutoTopup, ""},
              .bundle = AlertBundle{.old_amount = Money::FromMicros(100'100'000),
                                    .new_amount = Money::FromUnits(1100)}};
  EXPECT_EQ(EncodeAlert(topup),
            R"({"alertType":"AutoTopup","bundle":{"oldAmount":100.1,"newAmount":1100}})");
  Alert msisdn{.alert_type = {AlertType::kMsisdnDisabled, ""},
               .iccid = "1",
               .msisdn = "447700900123",
               .reason = "Bundle revoked"};
  EXPECT_EQ(
      EncodeAlert(msisdn),
      R"({"iccid":"1","alertType":"MSISDNDisabled","msisdn":"447700900123","reason":"Bundle revoked"})");
  EXPECT_EQ(AlertTypeName(AlertType::kEsimGoTopup), "eSIMGoTopup");
  EXPECT_EQ(AlertTypeName(AlertType::kUnknown), "");
}

TEST(WebhookAlertV25, EncodeThenParseRoundTripsEveryNewType) {
  std::vector<Alert> alerts;
  alerts.push_back({.alert_type = {AlertType::kFirstAttachment, "FirstAttachment"}, .iccid = "1"});
  for (AlertType t : {AlertType::kTopup, AlertType::kAutoTopup, AlertType::kEsimGoTopup}) {
    alerts.push_back({.alert_type = {t, ""},
                      .bundle = AlertBundle{.old_amount = Money::FromMicros(1),
                                            .new_amount = Money::FromUnits(5)}});
  }
  alerts.push_back({.alert_type = {AlertType::kMsisdnDisabled, "MSISDNDisabled"},
                    .iccid = "2",
                    .msisdn = "447700900123",
                    .reason = "Bundle depleted"});
  alerts.push_back({.alert_type = {AlertType::kSmsFailed, "SMSFailed"},
                    .iccid = "3",
                    .timestamp = Timestamp::Parse("2026-11-30T10:00:00.000Z")});
  alerts.push_back({.alert_type = {AlertType::kEsimDeletionScheduled, "esim.deletion_scheduled"},
                    .iccid = "4",
                    .date = Timestamp::Parse("2026-12-07"),
                    .event = "esim.deletion_scheduled"});
  alerts.push_back({.alert_type = {AlertType::kEsimDeleted, ""},
                    .iccid = "5",
                    .date = Timestamp::Parse("2026-12-14")});
  alerts.push_back({.alert_type = {AlertType::kUnknown, "SimSwapped"}, .iccid = "6"});
  for (const Alert& in : alerts) {
    const std::string body = EncodeAlert(in);
    auto out = ParseAlert(body);
    ASSERT_TRUE(out) << body << ": " << out.error().ToString();
    EXPECT_EQ(out->alert_type.value, in.alert_type.value) << body;
    EXPECT_EQ(out->iccid, in.iccid) << body;
    EXPECT_EQ(out->bundle, in.bundle) << body;
    EXPECT_EQ(out->msisdn, in.msisdn) << body;
    EXPECT_EQ(out->reason, in.reason) << body;
    EXPECT_EQ(out->timestamp, in.timestamp) << body;
    EXPECT_EQ(out->date, in.date) << body;
    EXPECT_EQ(EncodeAlert(*out), body) << "encoding is stable";
  }
}

TEST(WebhookAlertV25, AWronglyTypedNewFieldIsADecodeError) {
  for (std::string_view bad :
       {std::string_view(R"({"alertType":"Topup","bundle":{"oldAmount":"lots"}})"),
        std::string_view(R"({"alertType":"SMSFailed","msisdn":{"a":1}})"),
        std::string_view(R"({"event":["esim.deleted"]})")}) {
    auto a = ParseAlert(bad);
    ASSERT_FALSE(a) << "accepted: " << bad;
    EXPECT_EQ(a.error().code, ErrorCode::kDecode) << bad;
  }
}

}  // namespace
}  // namespace esimgo::webhook
