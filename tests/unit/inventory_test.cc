#include "esimgo/inventory.h"

#include <gtest/gtest.h>

#include "esimgo/client.h"
#include "model/common_codec.h"
#include "model/inventory_codec.h"
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

TEST(InventoryApi, GetSendsAPlainAuthenticatedGet) {
  FakeClient fake;
  fake.transport->PushJson(R"({"bundles":[]})");
  Client client(fake.Options());
  auto inv = client.inventory().Get();
  ASSERT_TRUE(inv) << inv.error().ToString();
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target(req), "/inventory");
  EXPECT_EQ(FindHeader(req.headers, "X-API-Key"), testing::kTestKey);
  EXPECT_EQ(FindHeader(req.headers, "Accept"), "application/json");
  EXPECT_TRUE(req.body.empty());
  EXPECT_TRUE(inv->bundles.empty());
}

TEST(InventoryApi, GetDecodesIntegerLotIdsNullSpeedAndDateOnlyExpiry) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("inventory_live.json"));
  Client client(fake.Options());
  auto inv = client.inventory().Get();
  ASSERT_TRUE(inv) << inv.error().ToString();
  ASSERT_EQ(inv->bundles.size(), 2u);
  const InventoryBundle& b = inv->bundles[0];
  EXPECT_EQ(b.name, "esim_1GB_7D_GB_V2");
  EXPECT_EQ(b.desc, "eSIM, 1GB, 7 Days, United Kingdom, V2");
  EXPECT_FALSE(b.use_dms);
  ASSERT_EQ(b.available.size(), 2u);
  EXPECT_EQ(b.available[0].id, 1234567);
  EXPECT_EQ(b.available[0].total, 5);
  EXPECT_EQ(b.available[0].remaining, 4);
  EXPECT_EQ(b.available[0].expiry.raw, "2027-01-25");
  EXPECT_TRUE(b.available[0].expiry.time.has_value());  // date-only is understood
  EXPECT_TRUE(b.available[1].expiry.time.has_value());
  EXPECT_EQ(b.countries, std::vector<std::string>{"GB"});
  EXPECT_EQ(b.data_mb, 1000);
  EXPECT_EQ(b.duration, 7);
  EXPECT_EQ(b.duration_unit, "day");
  EXPECT_TRUE(b.autostart);
  EXPECT_TRUE(b.speed.empty());  // null
  ASSERT_EQ(b.allowances.size(), 1u);
  EXPECT_EQ(b.allowances[0].type, "DATA");
  EXPECT_EQ(b.allowances[0].service, "Roaming");
  EXPECT_EQ(b.allowances[0].amount, 1000);
  EXPECT_EQ(b.allowances[0].unit, "MB");
  EXPECT_EQ(inv->bundles[1].speed, (std::vector<std::string>{"4G", "5G"}));
  EXPECT_TRUE(inv->bundles[1].unlimited);
  EXPECT_TRUE(inv->bundles[1].use_dms);
}

TEST(InventoryApi, GetAcceptsABareArray) {
  FakeClient fake;
  fake.transport->PushJson(R"([{"name":"a","available":[{"id":"42","remaining":1}]}])");
  Client client(fake.Options());
  auto inv = client.inventory().Get();
  ASSERT_TRUE(inv) << inv.error().ToString();
  ASSERT_EQ(inv->bundles.size(), 1u);
  EXPECT_EQ(inv->bundles[0].available[0].id, 42);
}

TEST(InventoryApi, GetMalformedJsonIsADecodeError) {
  FakeClient fake;
  fake.transport->PushJson(R"({"bundles":[{"available":[{"id":"not a number"}]}]})");
  Client client(fake.Options());
  auto inv = client.inventory().Get();
  ASSERT_FALSE(inv);
  EXPECT_EQ(inv.error().code, ErrorCode::kDecode);
  EXPECT_EQ(inv.error().operation, "inventory.Get");
}

TEST(InventoryApi, RefundSendsUsageIdAndQuantityAsJson) {
  FakeClient fake;
  fake.transport->PushJson(R"({"status":"Successfully refunded bundles to balance"})");
  Client client(fake.Options());
  auto r = client.inventory().Refund({.usage_id = 1234567, .quantity = 2});
  ASSERT_TRUE(r) << r.error().ToString();
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(Target(req), "/inventory/refund");
  EXPECT_EQ(FindHeader(req.headers, "X-API-Key"), testing::kTestKey);
  EXPECT_EQ(FindHeader(req.headers, "Content-Type"), "application/json");
  EXPECT_EQ(req.body, R"({"usageId":1234567,"quantity":2})");
  EXPECT_EQ(r->status, "Successfully refunded bundles to balance");
}

TEST(InventoryApi, RefundRejectsBadInputBeforeSending) {
  FakeClient fake;
  Client client(fake.Options());
  auto a = client.inventory().Refund({.usage_id = 0, .quantity = 1});
  auto b = client.inventory().Refund({.usage_id = -5, .quantity = 1});
  auto c = client.inventory().Refund({.usage_id = 7, .quantity = 0});
  for (const auto* r : {&a, &b, &c}) {
    ASSERT_FALSE(*r);
    EXPECT_EQ(r->error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r->error().operation, "inventory.Refund");
  }
  EXPECT_NE(a.error().message.find("GET /inventory"), std::string::npos);
  EXPECT_NE(c.error().message.find("quantity"), std::string::npos);
  EXPECT_EQ(fake.transport->count(), 0u);
}

TEST(InventoryApi, RefundIsSentExactlyOnceAfterATimeoutAndIsAmbiguous) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(true, ErrorCode::kTimeout));
  Client client(fake.Options());
  auto r = client.inventory().Refund({.usage_id = 9, .quantity = 1});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kAmbiguous);
  EXPECT_NE(r.error().message.find("MAY have been carried out"), std::string::npos);
  EXPECT_EQ(fake.transport->count(), 1u);
  EXPECT_TRUE(fake.clock->sleeps().empty());
}

TEST(InventoryApi, RefundIsNotRetriedOn503) {
  FakeClient fake;
  fake.transport->Push(FakeReply{
      .status = 503, .body = R"({"message":"Processing"})", .headers = {{"Retry-After", "2"}}});
  Client client(fake.Options());
  auto r = client.inventory().Refund({.usage_id = 9, .quantity = 1});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(r.error().retry_after, std::chrono::seconds(2));
  EXPECT_EQ(fake.transport->count(), 1u);
}

TEST(InventoryApi, RefundForbiddenKeepsTheServersMessage) {
  FakeClient fake;
  fake.transport->PushJson(R"({"message":"Refunds are not enabled"})", 403);
  Client client(fake.Options());
  auto r = client.inventory().Refund({.usage_id = 9, .quantity = 1});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(r.error().message.rfind("Refunds are not enabled", 0), 0u);
}

TEST(InventoryCodec, EveryTypeRoundTrips) {
  auto inv = MustDecode<Inventory>(SpecExample("inventory_live.json"));
  auto encoded = internal::EncodeBody(inv);
  EXPECT_NE(encoded.find(R"("speed":null)"), std::string::npos);
  EXPECT_EQ(MustDecode<Inventory>(encoded), inv);
  EXPECT_EQ(MustDecode<InventoryBundle>(internal::EncodeBody(inv.bundles[0])), inv.bundles[0]);
  EXPECT_EQ(MustDecode<InventoryLot>(internal::EncodeBody(inv.bundles[0].available[0])),
            inv.bundles[0].available[0]);
  EXPECT_EQ(MustDecode<Allowance>(internal::EncodeBody(inv.bundles[0].allowances[0])),
            inv.bundles[0].allowances[0]);
  RefundRequest refund{.usage_id = 1234567, .quantity = 3};
  EXPECT_EQ(MustDecode<RefundRequest>(internal::EncodeBody(refund)), refund);
}

TEST(InventoryCodec, RefundRequestDecodesTheSpecSample) {
  auto r = MustDecode<RefundRequest>(R"({"usageId":0,"quantity":0})");
  EXPECT_EQ(r.usage_id, 0);
  EXPECT_EQ(r.quantity, 0);
  auto s = MustDecode<RefundRequest>(R"({"usageId":"77","quantity":2,"extra":true})");
  EXPECT_EQ(s.usage_id, 77);
}

TEST(InventoryCodec, StatusMessageDecodesTheSpecExample) {
  auto s = MustDecode<StatusMessage>(R"({"status":"Successfully refunded bundles to balance"})");
  EXPECT_EQ(s.status, "Successfully refunded bundles to balance");
}

}  // namespace
}  // namespace esimgo
