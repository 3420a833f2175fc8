#include "esimgo/organisation.h"

#include <gtest/gtest.h>

#include "esimgo/client.h"
#include "model/organisation_codec.h"
#include "testing/codec_helpers.h"
#include "testing/fake_transport.h"

namespace esimgo {
namespace {

using testing::CountMethod;
using testing::FakeClient;
using testing::FakeReply;
using testing::MustDecode;
using testing::SpecExample;
using testing::Target;

TEST(OrganisationApi, GetSendsAnAuthenticatedGetAndDecodesTheSpecExample) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("organisation_spec.json"));
  Client client(fake.Options());
  auto org = client.organisation().Get();
  ASSERT_TRUE(org) << org.error().ToString();
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target(req), "/organisation");
  EXPECT_EQ(FindHeader(req.headers, "X-API-Key"), testing::kTestKey);
  EXPECT_TRUE(req.body.empty());
  EXPECT_EQ(org->name, "Acme Mobile");
  EXPECT_EQ(org->api_key, "live-key-should-never-print");
  EXPECT_EQ(org->tax_liable, "Yes");
  EXPECT_EQ(org->country, "USA");
  EXPECT_EQ(org->postcode, "12345");
  EXPECT_EQ(org->currency, "USD");
  EXPECT_EQ(org->groups, std::vector<std::string>{"Standard Fixed"});
  EXPECT_EQ(org->balance, Money::FromUnits(10000));
  EXPECT_EQ(org->test_credit, Money::FromUnits(500));
  EXPECT_EQ(org->test_credit_expiry.raw, "2023-12-31");
  EXPECT_TRUE(org->test_credit_expiry.time.has_value());
  ASSERT_EQ(org->users.size(), 1u);
  EXPECT_EQ(org->users[0].first_name, "Ada");
  EXPECT_EQ(org->users[0].email_address, "{EMAIL}");
  EXPECT_EQ(org->users[0].time_zone, "America/New_York");
}

TEST(OrganisationApi, GetReadsFractionalMoneyAndTheWrappedShape) {
  FakeClient fake;
  fake.transport->PushJson(
      R"({"organisations":[{"name":"Acme","balance":1299.3,"testCredit":0.05,
      "testCreditExpiry":null,"users":null}]})");
  Client client(fake.Options());
  auto org = client.organisation().Get();
  ASSERT_TRUE(org) << org.error().ToString();
  EXPECT_EQ(org->name, "Acme");
  EXPECT_EQ(org->balance.micros(), 1'299'300'000);
  EXPECT_EQ(org->test_credit.ToString(), "0.05");
  EXPECT_TRUE(org->test_credit_expiry.empty());
  EXPECT_TRUE(org->users.empty());
}

TEST(OrganisationApi, TopUpSendsTheAmountAsAQueryParameterWithNoBody) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("organisation_topup_spec.json"));
  Client client(fake.Options());
  auto r = client.organisation().TopUp(Money::FromUnits(1000));
  ASSERT_TRUE(r) << r.error().ToString();
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(Target(req), "/organisation/balance?amount=1000");
  EXPECT_EQ(FindHeader(req.headers, "X-API-Key"), testing::kTestKey);
  EXPECT_TRUE(req.body.empty());
  EXPECT_TRUE(FindHeader(req.headers, "Content-Type").empty());
  EXPECT_EQ(r->amount, Money::FromUnits(5000));
  EXPECT_EQ(r->balance, Money::FromUnits(12500));
  EXPECT_EQ(r->ref, "987654321");  // a number in the spec, kept as its digits
}

TEST(OrganisationApi, TopUpSendsCentsAsAnExactDecimal) {
  FakeClient fake;
  fake.transport->PushJson(R"({"amount":1500.5,"balance":2000.75,"ref":"abc-1"})");
  Client client(fake.Options());
  auto r = client.organisation().TopUp(Money::FromMicros(1'500'500'000));
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(Target(fake.transport->last()), "/organisation/balance?amount=1500.5");
  EXPECT_EQ(r->ref, "abc-1");
  EXPECT_EQ(r->balance.ToString(), "2000.75");
}

TEST(OrganisationApi, TopUpRejectsAmountsBelowTheMinimumOrWithFractionsOfACent) {
  FakeClient fake;
  Client client(fake.Options());
  auto low = client.organisation().TopUp(Money::FromMicros(999'990'000));
  auto zero = client.organisation().TopUp(Money());
  auto sub_cent = client.organisation().TopUp(Money::FromMicros(1'000'005'000));
  for (const auto* r : {&low, &zero, &sub_cent}) {
    ASSERT_FALSE(*r);
    EXPECT_EQ(r->error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r->error().operation, "organisation.TopUp");
  }
  EXPECT_NE(low.error().message.find("1000"), std::string::npos);
  EXPECT_NE(sub_cent.error().message.find("cents"), std::string::npos);
  EXPECT_EQ(fake.transport->count(), 0u);
}

TEST(OrganisationApi, TopUpIsSentExactlyOnceAfterATimeoutAndIsAmbiguous) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(true, ErrorCode::kTimeout));
  Client client(fake.Options());
  auto r = client.organisation().TopUp(Money::FromUnits(2000));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kAmbiguous);
  EXPECT_NE(r.error().message.find("MAY have been carried out"), std::string::npos);
  EXPECT_NE(r.error().message.find("GET /organisation"), std::string::npos);
  EXPECT_EQ(fake.transport->count(), 1u);
  EXPECT_TRUE(fake.clock->sleeps().empty());
}

TEST(OrganisationApi, TopUpRefusedBeforeSendingMayBeRetried) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(false, ErrorCode::kTransport));
  fake.transport->PushJson(SpecExample("organisation_topup_spec.json"));
  Client client(fake.Options());
  auto r = client.organisation().TopUp(Money::FromUnits(5000));
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(fake.transport->count(), 2u);
}

TEST(OrganisationApi, TopUpOverTheDailyMaximumKeepsTheServersMessage) {
  FakeClient fake;
  fake.transport->PushJson(R"({"message":"Daily top-up limit reached"})", 400);
  Client client(fake.Options());
  auto r = client.organisation().TopUp(Money::FromUnits(5000));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(r.error().message, "Daily top-up limit reached");
  EXPECT_EQ(fake.transport->count(), 1u);
}

TEST(OrganisationApi, GroupsSendsAGetAndDecodesTheSpecExample) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("organisation_groups_spec.json"));
  Client client(fake.Options());
  auto groups = client.organisation().Groups();
  ASSERT_TRUE(groups) << groups.error().ToString();
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target(req), "/organisation/groups");
  EXPECT_EQ(FindHeader(req.headers, "X-API-Key"), testing::kTestKey);
  ASSERT_EQ(groups->size(), 2u);
  EXPECT_EQ((*groups)[0].name, "Standard Fixed Bundles");
  EXPECT_EQ((*groups)[1].name, "Standard Unlimited Bundles");
}

TEST(OrganisationApi, GroupsReadsEveryFieldAndABareArray) {
  FakeClient fake;
  fake.transport->PushJson(
      R"([{"name":"Standard Fixed","priceListUrl":"https://x/p.csv","desc":"fixed","icon":"https://x/i.png"}])");
  Client client(fake.Options());
  auto groups = client.organisation().Groups();
  ASSERT_TRUE(groups) << groups.error().ToString();
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ((*groups)[0].price_list_url, "https://x/p.csv");
  EXPECT_EQ((*groups)[0].desc, "fixed");
  EXPECT_EQ((*groups)[0].icon, "https://x/i.png");
}

TEST(OrganisationApi, GetIsRetriedAfterA503WithRetryAfter) {
  FakeClient fake;
  fake.transport->Push(FakeReply{
      .status = 503, .body = R"({"message":"Processing"})", .headers = {{"Retry-After", "3"}}});
  fake.transport->PushJson(SpecExample("organisation_spec.json"));
  Client client(fake.Options());
  auto org = client.organisation().Get();
  ASSERT_TRUE(org) << org.error().ToString();
  EXPECT_EQ(fake.transport->count(), 2u);
  ASSERT_EQ(fake.clock->sleeps().size(), 1u);
  EXPECT_GE(fake.clock->sleeps()[0], std::chrono::seconds(3));
}

TEST(OrganisationCodec, EveryTypeRoundTrips) {
  auto org = MustDecode<Organisation>(SpecExample("organisation_spec.json"));
  EXPECT_EQ(MustDecode<Organisation>(internal::EncodeBody(org)), org);
  EXPECT_EQ(MustDecode<OrganisationUser>(internal::EncodeBody(org.users[0])), org.users[0]);
  auto topup = MustDecode<TopUpResult>(SpecExample("organisation_topup_spec.json"));
  EXPECT_EQ(internal::EncodeBody(topup), R"({"amount":5000,"balance":12500,"ref":987654321})");
  EXPECT_EQ(MustDecode<TopUpResult>(internal::EncodeBody(topup)), topup);
  TopUpResult odd{.amount = Money::FromMicros(1'500'500'000), .ref = "0042"};
  EXPECT_EQ(MustDecode<TopUpResult>(internal::EncodeBody(odd)),
            odd);  // leading zero stays a string
  auto groups = MustDecode<BundleGroupListBody>(SpecExample("organisation_groups_spec.json"));
  EXPECT_EQ(internal::EncodeBody(groups), R"({"groups":[{"name":"Standard Fixed Bundles"},)"
                                          R"({"name":"Standard Unlimited Bundles"}]})");
  EXPECT_EQ(MustDecode<BundleGroupListBody>(internal::EncodeBody(groups)).groups, groups.groups);
  BundleGroup g{.name = "n", .price_list_url = "u", .desc = "d", .icon = "i"};
  EXPECT_EQ(MustDecode<BundleGroup>(internal::EncodeBody(g)), g);
}

TEST(OrganisationCodec, GarbageIsADecodeErrorNotACrash) {
  for (const char* body : {"", "[", R"({"balance":"lots"})", R"({"users":[5]})"}) {
    EXPECT_FALSE(internal::json::DecodeBody<Organisation>(body, "t")) << body;
  }
  EXPECT_FALSE(internal::json::DecodeBody<TopUpResult>(R"({"amount":{}})", "t"));
}

}  // namespace
}  // namespace esimgo
