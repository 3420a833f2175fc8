#include "esimgo/orders.h"

#include <gtest/gtest.h>

#include "client_core.h"
#include "esimgo/client.h"
#include "model/orders_codec.h"
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

Timestamp::TimePoint At(std::chrono::sys_days day, std::chrono::milliseconds ms = {}) {
  return Timestamp::TimePoint(day) + ms;
}

// The order the safe-ordering tests place: one line, three bundles into inventory.
OrderRequest SmallOrder() {
  return OrderRequest{.order = {{.item = "esim_1GB_7D_GB_V2", .quantity = 2}}};
}

// A GET /orders answer holding one order like `SmallOrder`, created at `created`.
std::string ListWith(std::string_view item, int quantity, std::string_view created) {
  return R"({"orders":[{"order":[{"type":"bundle","item":")" + std::string(item) +
         R"(","quantity":)" + std::to_string(quantity) +
         R"(,"subTotal":3.5,"pricePerUnit":1.75,"AllowReassign":false}],"total":3.5,)"
         R"("currency":"USD","status":"completed","orderReference":"ref-found","createdDate":")" +
         std::string(created) + R"(","assigned":false}],"pageCount":1,"rows":1})";
}

// ---- GET /orders ----------------------------------------------------------------------

TEST(OrdersApi, ListSendsPageLimitIncludeIccidsAndRepeatedCreatedAt) {
  FakeClient fake;
  fake.transport->PushJson("[]");
  Client client(fake.Options());
  using namespace std::chrono;
  auto page = client.orders().List(
      {.page = 2,
       .limit = 10,
       .include_iccids = true,
       .created_from = At(sys_days{year{2024} / 3 / 1}),
       .created_to = At(sys_days{year{2024} / 3 / 31},
                        hours(23) + minutes(59) + seconds(59) + milliseconds(999))});
  ASSERT_TRUE(page) << page.error().ToString();
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target(req),
            "/orders?page=2&limit=10&includeIccids=true&createdAt=gte:2024-03-01T00:00:00.000Z"
            "&createdAt=lte:2024-03-31T23:59:59.999Z");
  EXPECT_EQ(FindHeader(req.headers, "X-API-Key"), testing::kTestKey);
  EXPECT_EQ(FindHeader(req.headers, "Accept"), "application/json");
  EXPECT_TRUE(req.body.empty());
  EXPECT_EQ(page->page, 2);
}

TEST(OrdersApi, ListSendsNoQueryWhenNothingIsSet) {
  FakeClient fake;
  fake.transport->PushJson("[]");
  Client client(fake.Options());
  ASSERT_TRUE(client.orders().List());
  EXPECT_EQ(Target(fake.transport->last()), "/orders");
}

TEST(OrdersApi, ListSendsIncludeIccidsFalseInLowercase) {
  FakeClient fake;
  fake.transport->PushJson("[]");
  Client client(fake.Options());
  ASSERT_TRUE(client.orders().List({.include_iccids = false}));
  EXPECT_EQ(Target(fake.transport->last()), "/orders?includeIccids=false");
}

TEST(OrdersApi, ListRejectsBadPagingBeforeSending) {
  FakeClient fake;
  Client client(fake.Options());
  auto a = client.orders().List({.page = 0});
  auto b = client.orders().List({.limit = 0});
  auto c = client.orders().List({.created_from = At(std::chrono::sys_days{}, std::chrono::hours(2)),
                                 .created_to = At(std::chrono::sys_days{})});
  for (const auto* r : {&a, &b, &c}) {
    ASSERT_FALSE(*r);
    EXPECT_EQ(r->error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r->error().operation, "orders.List");
  }
  EXPECT_NE(a.error().message.find("page"), std::string::npos);
  EXPECT_NE(b.error().message.find("limit"), std::string::npos);
  EXPECT_EQ(fake.transport->count(), 0u);
}

TEST(OrdersApi, ListDecodesTheYamlSingleOrderObject) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("orders_get_spec.json"));
  Client client(fake.Options());
  auto page = client.orders().List();
  ASSERT_TRUE(page) << page.error().ToString();
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].order_reference, "1a2b3c4d-5e6f-7g8h-9i10-11j12k13l14m");
  EXPECT_FALSE(page->has_more);
}

TEST(OrdersApi, ListDecodesABareArray) {
  FakeClient fake;
  fake.transport->PushJson("[" + SpecExample("orders_get_spec.json") + "," +
                           SpecExample("orders_transaction_spec.json") + "]");
  Client client(fake.Options());
  auto page = client.orders().List({.limit = 2});
  ASSERT_TRUE(page) << page.error().ToString();
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[1].order_reference, "order-ref-002");
  EXPECT_EQ(page->items[1].source_ip, "244.178.44.111");
  EXPECT_TRUE(page->has_more);  // a full page without metadata: ask for the next
  EXPECT_FALSE(page->page_count);
}

TEST(OrdersApi, ListDecodesTheLiveWrapperWithPageMetadata) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("orders_list_live.json"));
  Client client(fake.Options());
  auto page = client.orders().List();
  ASSERT_TRUE(page) << page.error().ToString();
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->page_count, 3);
  EXPECT_EQ(page->rows, 21);
  EXPECT_TRUE(page->has_more);
  const Order& o = page->items[0];
  EXPECT_EQ(o.status.value, OrderStatus::kCompleted);  // "Completed": case-insensitive
  EXPECT_EQ(o.status.raw, "Completed");
  EXPECT_EQ(o.order[0].sub_total, Money::FromMicros(3'500'000));
  EXPECT_EQ(o.total.ToString(), "3.5");
  EXPECT_TRUE(o.created_date.time.has_value());
  EXPECT_EQ(page->items[1].status.value, OrderStatus::kUnknown);  // open enum
  EXPECT_EQ(page->items[1].status.raw, "Refunded");
  EXPECT_EQ(page->items[1].total, Money::FromUnits(100));  // integer money
}

TEST(OrdersApi, ListAllWalksEveryPageByPageCount) {
  FakeClient fake;
  for (int i = 0; i < 3; ++i) fake.transport->PushJson(SpecExample("orders_list_live.json"));
  Client client(fake.Options());
  auto all = client.orders().ListAll({.limit = 2}).Collect();
  ASSERT_TRUE(all) << all.error().ToString();
  EXPECT_EQ(all->size(), 6u);
  auto reqs = fake.transport->requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(Target(reqs[0]), "/orders?page=1&limit=2");
  EXPECT_EQ(Target(reqs[2]), "/orders?page=3&limit=2");
}

TEST(OrdersApi, ListAllStopsOnAShortPageWithoutMetadata) {
  FakeClient fake;
  fake.transport->PushJson("[" + SpecExample("orders_get_spec.json") + "]");
  Client client(fake.Options());
  auto all = client.orders().ListAll({.limit = 5}).Collect();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);
  EXPECT_EQ(fake.transport->count(), 1u);
}

// ---- GET /orders/{ref} ------------------------------------------------------------------

TEST(OrdersApi, GetEscapesTheReferenceAndDecodesTheSpecExample) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("orders_get_spec.json"));
  Client client(fake.Options());
  auto o = client.orders().Get("ref/1?x y");
  ASSERT_TRUE(o) << o.error().ToString();
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target(req), "/orders/ref%2F1%3Fx%20y");
  EXPECT_EQ(FindHeader(req.headers, "X-API-Key"), testing::kTestKey);
  ASSERT_EQ(o->order.size(), 1u);
  const OrderLine& line = o->order[0];
  EXPECT_EQ(line.item, "esim_5GB_30D_EU_V3");
  EXPECT_EQ(line.type, "bundle");
  EXPECT_EQ(line.quantity, 1);
  EXPECT_EQ(line.sub_total.micros(), 9'990'000);
  EXPECT_EQ(line.price_per_unit.micros(), 9'990'000);
  EXPECT_TRUE(line.allow_reassign);  // read from capital `AllowReassign`
  EXPECT_EQ(line.iccids, std::vector<std::string>{"8912345678901234567"});
  ASSERT_EQ(line.esims.size(), 1u);
  EXPECT_EQ(line.esims[0].matching_id, "AB-12C3DE-4FGHIJ5");
  EXPECT_EQ(line.esims[0].smdp_address, "http://rsp.mockprovider.com");
  EXPECT_EQ(o->total.micros(), 9'990'000);
  EXPECT_EQ(o->currency, "USD");
  EXPECT_EQ(o->status.value, OrderStatus::kCompleted);
  EXPECT_EQ(o->status_message, "Order completed: 1 eSIMs assigned");
  EXPECT_EQ(o->created_date.raw, "2023-06-15T10:30:45.123456789Z");
  EXPECT_TRUE(o->created_date.time.has_value());
  EXPECT_TRUE(o->assigned);
  EXPECT_FALSE(o->reconciled);
}

TEST(OrdersApi, GetRejectsAnEmptyReferenceBeforeSending) {
  FakeClient fake;
  Client client(fake.Options());
  auto o = client.orders().Get("");
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(o.error().operation, "orders.Get");
  EXPECT_EQ(fake.transport->count(), 0u);
}

TEST(OrdersApi, GetReadsNumericIccidsAsTheirDigits) {
  FakeClient fake;
  fake.transport->PushJson(
      R"({"order":[{"item":"b","quantity":1,"iccids":[89441234567890123456],"allowReassign":true,
      "esims":[{"iccid":89441234567890123456}]}],"orderReference":"r","total":"2.50"})");
  Client client(fake.Options());
  auto o = client.orders().Get("r");
  ASSERT_TRUE(o) << o.error().ToString();
  EXPECT_EQ(o->order[0].iccids[0], "89441234567890123456");
  EXPECT_EQ(o->order[0].esims[0].iccid, "89441234567890123456");
  EXPECT_TRUE(o->order[0].allow_reassign);  // lowercase casing accepted too
  EXPECT_EQ(o->total.ToString(), "2.5");
}

// ---- POST /orders: request shape and validation ----------------------------------------

TEST(OrdersApi, CreateSendsLowercaseOrderAndAllowReassignAndOmitsUnsetFields) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("orders_transaction_spec.json"));
  Client client(fake.Options());
  auto o =
      client.orders().Create({.assign = true,
                              .order = {{.item = "esim_10GB_30D_IM_U",
                                         .quantity = 2,
                                         .iccids = {"8901234567890123456", "8901234567890123457"},
                                         .allow_reassign = true},
                                        {.item = "esim_1GB_7D_GB_V2", .quantity = 1}}});
  ASSERT_TRUE(o) << o.error().ToString();
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(Target(req), "/orders");
  EXPECT_EQ(FindHeader(req.headers, "X-API-Key"), testing::kTestKey);
  EXPECT_EQ(FindHeader(req.headers, "Content-Type"), "application/json");
  EXPECT_EQ(req.body,
            R"({"type":"transaction","assign":true,"order":[{"type":"bundle","quantity":2,)"
            R"("item":"esim_10GB_30D_IM_U","iccids":["8901234567890123456",)"
            R"("8901234567890123457"],"allowReassign":true},{"type":"bundle","quantity":1,)"
            R"("item":"esim_1GB_7D_GB_V2"}]})");
  EXPECT_EQ(o->order_reference, "order-ref-002");
  EXPECT_EQ(o->order[0].esims[0].iccid, "8900000000000000001");
  EXPECT_FALSE(o->reconciled);
}

TEST(OrdersApi, CreateForcesTypeTransactionWhateverTheRequestSays) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("orders_transaction_spec.json"));
  Client client(fake.Options());
  OrderRequest r = SmallOrder();
  r.type = OrderType::kValidate;
  ASSERT_TRUE(client.orders().Create(r));
  EXPECT_EQ(fake.transport->last().body.rfind(R"({"type":"transaction",)", 0), 0u);
}

TEST(OrdersApi, ValidateSendsTypeValidateAndDecodesTheSpecExample) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("orders_validate_spec.json"));
  Client client(fake.Options());
  auto v = client.orders().Validate(
      {.assign = true, .order = {{.item = "esim_1GB_7D_AX_V2", .quantity = 1}}});
  ASSERT_TRUE(v) << v.error().ToString();
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(Target(req), "/orders");
  EXPECT_EQ(FindHeader(req.headers, "X-API-Key"), testing::kTestKey);
  EXPECT_EQ(req.body, R"({"type":"validate","assign":true,"order":[{"type":"bundle","quantity":1,)"
                      R"("item":"esim_1GB_7D_AX_V2"}]})");
  EXPECT_TRUE(v->valid);
  EXPECT_EQ(v->total.micros(), 2'280'000);
  EXPECT_EQ(v->currency, "USD");
  EXPECT_TRUE(v->assigned);
  EXPECT_EQ(v->created_date.raw, "2025-03-28T14:47:26.153875019Z");
  ASSERT_EQ(v->order.size(), 1u);
  EXPECT_EQ(v->order[0].price_per_unit.ToString(), "2.28");
  EXPECT_FALSE(v->order[0].allow_reassign);
}

TEST(OrdersApi, ValidateIsRetriedAfterATimeoutBecauseItChargesNothing) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(true, ErrorCode::kTimeout));
  fake.transport->PushJson(SpecExample("orders_validate_spec.json"));
  Client client(fake.Options());
  auto v = client.orders().Validate(SmallOrder());
  ASSERT_TRUE(v) << v.error().ToString();
  EXPECT_EQ(CountMethod(fake.transport->requests(), "POST"), 2u);
}

struct BadOrder {
  const char* name;
  OrderRequest request;
  const char* says;
};

TEST(OrdersApi, CreateAndValidateRejectBrokenOrdersBeforeSending) {
  const std::vector<BadOrder> cases = {
      {"no items", OrderRequest{}, "no items"},
      {"quantity 0", OrderRequest{.order = {{.item = "b", .quantity = 0}}}, "quantity"},
      {"empty item", OrderRequest{.order = {{.item = "", .quantity = 1}}}, "bundle name"},
      {"iccids without assign",
       OrderRequest{.assign = false,
                    .order = {{.item = "b", .quantity = 1, .iccids = {"8944123456789012345"}}}},
       "assign"},
      {"iccids count",
       OrderRequest{.assign = true,
                    .order = {{.item = "b", .quantity = 2, .iccids = {"8944123456789012345"}}}},
       "1 iccids for quantity 2"},
      {"malformed iccid",
       OrderRequest{.assign = true,
                    .order = {{.item = "b", .quantity = 1, .iccids = {"89441234X6789012345"}}}},
       "non-digit"},
      {"short iccid",
       OrderRequest{.assign = true, .order = {{.item = "b", .quantity = 1, .iccids = {"8944"}}}},
       "digits"},
  };
  for (const auto& c : cases) {
    FakeClient fake;
    Client client(fake.Options());
    auto created = client.orders().Create(c.request);
    auto validated = client.orders().Validate(c.request);
    ASSERT_FALSE(created) << c.name;
    ASSERT_FALSE(validated) << c.name;
    EXPECT_EQ(created.error().code, ErrorCode::kInvalidArgument) << c.name;
    EXPECT_EQ(validated.error().code, ErrorCode::kInvalidArgument) << c.name;
    EXPECT_EQ(created.error().operation, "orders.Create") << c.name;
    EXPECT_EQ(validated.error().operation, "orders.Validate") << c.name;
    EXPECT_NE(created.error().message.find(c.says), std::string::npos)
        << c.name << ": " << created.error().message;
    EXPECT_EQ(fake.transport->count(), 0u) << c.name;
  }
}

TEST(OrdersApi, Create401TextPlainBodyBecomesTheMessage) {
  FakeClient fake;
  fake.transport->Push(FakeReply{.status = 401,
                                 .body = "Invalid API Key provided\n",
                                 .headers = {{"Content-Type", "text/plain"}}});
  Client client(fake.Options());
  auto o = client.orders().Create(SmallOrder());
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(o.error().http_status, 401);
  EXPECT_EQ(o.error().message.rfind("Invalid API Key provided", 0), 0u) << o.error().message;
  EXPECT_EQ(o.error().message.find(testing::kTestKey), std::string::npos);
  EXPECT_EQ(fake.transport->count(), 1u);
}

TEST(OrdersApi, Create400EmptyTextPlainBodyIsABadRequestWithAMessage) {
  FakeClient fake;
  fake.transport->Push(
      FakeReply{.status = 400, .body = "", .headers = {{"Content-Type", "text/plain"}}});
  Client client(fake.Options());
  auto o = client.orders().Create(SmallOrder());
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kBadRequest);
  EXPECT_FALSE(o.error().message.empty());
  EXPECT_EQ(fake.transport->count(), 1u);
}

// ---- POST /orders: never sent twice -----------------------------------------------------

TEST(OrdersApi, CreateIsNeverSentTwiceAfterTimeoutAndFindsThePlacedOrder) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(true, ErrorCode::kTimeout));
  // The fake wall clock starts at 2026-11-26T00:00:00Z; the order was created just after.
  fake.transport->PushJson(ListWith("esim_1GB_7D_GB_V2", 2, "2026-11-26T00:00:01.5Z"));
  Client client(fake.Options());
  auto o = client.orders().Create(SmallOrder());
  ASSERT_TRUE(o) << o.error().ToString();
  EXPECT_TRUE(o->reconciled);
  EXPECT_EQ(o->order_reference, "ref-found");
  auto reqs = fake.transport->requests();
  EXPECT_EQ(CountMethod(reqs, "POST"), 1u);
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[1].method, "GET");
  // Looked back two minutes before the attempt, with ICCIDs, from page 1.
  EXPECT_EQ(Target(reqs[1]),
            "/orders?page=1&limit=100&includeIccids=true&createdAt=gte:2026-11-25T23:58:00.000Z");
}

TEST(OrdersApi, CreateAfterTimeoutWithNoMatchingOrderSaysNotPlacedAndSendsOnce) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(true, ErrorCode::kTimeout));
  fake.transport->PushJson("[]");
  Client client(fake.Options());
  auto o = client.orders().Create(SmallOrder());
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(o.error().operation, "orders.Create");
  EXPECT_NE(o.error().message.find("NOT placed"), std::string::npos) << o.error().message;
  EXPECT_NE(o.error().message.find("GET /orders"), std::string::npos);
  EXPECT_NE(o.error().message.find("safe to retry"), std::string::npos);
  EXPECT_EQ(CountMethod(fake.transport->requests(), "POST"), 1u);
}

TEST(OrdersApi, CreateAfterConnectionLossIgnoresOrdersWithOtherItems) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(true, ErrorCode::kTransport));
  // Same bundle, different quantity: somebody else's order.
  fake.transport->PushJson(ListWith("esim_1GB_7D_GB_V2", 3, "2026-11-26T00:00:01Z"));
  Client client(fake.Options());
  auto o = client.orders().Create(SmallOrder());
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kTransport);
  EXPECT_NE(o.error().message.find("NOT placed"), std::string::npos);
  EXPECT_EQ(CountMethod(fake.transport->requests(), "POST"), 1u);
}

TEST(OrdersApi, CreateReconciliationIgnoresIdenticalOrdersOlderThanTheAttempt) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(true, ErrorCode::kTimeout));
  // A server that ignored createdAt returns yesterday's identical order.
  fake.transport->PushJson(ListWith("esim_1GB_7D_GB_V2", 2, "2026-11-25T10:00:00Z"));
  Client client(fake.Options());
  auto o = client.orders().Create(SmallOrder());
  ASSERT_FALSE(o);
  EXPECT_NE(o.error().message.find("NOT placed"), std::string::npos);
  EXPECT_EQ(CountMethod(fake.transport->requests(), "POST"), 1u);
}

// One placed order like `SmallOrder`, as a JSON object.
std::string SmallOrderJson(std::string_view reference) {
  return R"({"order":[{"type":"bundle","item":"esim_1GB_7D_GB_V2","quantity":2,"subTotal":3.5,)"
         R"("pricePerUnit":1.75,"AllowReassign":false}],"total":3.5,"currency":"USD",)"
         R"("status":"completed","orderReference":")" +
         std::string(reference) + R"(","createdDate":"2026-11-26T00:00:01Z","assigned":false})";
}

TEST(OrdersApi, CreateIsAmbiguousWhenTwoIdenticalUnclaimedOrdersMatch) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(true, ErrorCode::kTimeout));
  fake.transport->PushJson(R"({"orders":[)" + SmallOrderJson("ref-a") + "," +
                           SmallOrderJson("ref-b") + R"(],"pageCount":1,"rows":2})");
  Client client(fake.Options());
  auto o = client.orders().Create(SmallOrder());
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kAmbiguous) << o.error().message;
  EXPECT_NE(o.error().message.find("ref-a"), std::string::npos) << o.error().message;
  EXPECT_NE(o.error().message.find("ref-b"), std::string::npos) << o.error().message;
  EXPECT_EQ(CountMethod(fake.transport->requests(), "POST"), 1u);
}

TEST(OrdersApi, CreateNeverReconcilesToAnOrderThisClientAlreadyReturned) {
  FakeClient fake;
  // The first Create succeeds with ref-a; the second, identical one loses its answer and the
  // list shows only ref-a: the second was NOT placed.
  fake.transport->PushJson(SmallOrderJson("ref-a"));
  fake.transport->Push(FakeReply::Lost(true, ErrorCode::kTimeout));
  fake.transport->PushJson(R"({"orders":[)" + SmallOrderJson("ref-a") + R"(],"pageCount":1})");
  Client client(fake.Options());
  auto first = client.orders().Create(SmallOrder());
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(first->order_reference, "ref-a");
  auto second = client.orders().Create(SmallOrder());
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find("NOT placed"), std::string::npos) << second.error().message;
  EXPECT_EQ(CountMethod(fake.transport->requests(), "POST"), 2u);
}

TEST(OrdersApi, CreateReconciliationMatchesIccidsWhenGiven) {
  const OrderRequest request{
      .assign = true,
      .order = {{.item = "esim_1GB_7D_GB_V2", .quantity = 1, .iccids = {"8944123456789012345"}}}};
  auto listed = [](std::string_view iccid) {
    return R"([{"order":[{"item":"esim_1GB_7D_GB_V2","quantity":1,"iccids":[")" +
           std::string(iccid) +
           R"("]}],"orderReference":"r1","createdDate":"2026-11-26T00:00:02Z"}])";
  };
  {
    FakeClient fake;
    fake.transport->Push(FakeReply::Lost());
    fake.transport->PushJson(listed("8944123456789012345"));
    Client client(fake.Options());
    auto o = client.orders().Create(request);
    ASSERT_TRUE(o) << o.error().ToString();
    EXPECT_TRUE(o->reconciled);
    EXPECT_EQ(CountMethod(fake.transport->requests(), "POST"), 1u);
  }
  {
    FakeClient fake;
    fake.transport->Push(FakeReply::Lost());
    fake.transport->PushJson(listed("8944000000000000000"));
    Client client(fake.Options());
    auto o = client.orders().Create(request);
    ASSERT_FALSE(o);
    EXPECT_NE(o.error().message.find("NOT placed"), std::string::npos);
    EXPECT_EQ(CountMethod(fake.transport->requests(), "POST"), 1u);
  }
}

TEST(OrdersApi, CreateReconciliationWalksEveryPage) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost());
  fake.transport->PushJson(
      R"({"orders":[{"order":[{"item":"other","quantity":1}],"orderReference":"x",
      "createdDate":"2026-11-26T00:00:01Z"}],"pageCount":2})");
  fake.transport->PushJson(ListWith("esim_1GB_7D_GB_V2", 2, "2026-11-26T00:00:03Z"));
  Client client(fake.Options());
  auto o = client.orders().Create(SmallOrder());
  ASSERT_TRUE(o) << o.error().ToString();
  EXPECT_EQ(o->order_reference, "ref-found");
  auto reqs = fake.transport->requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(CountMethod(reqs, "POST"), 1u);
  EXPECT_NE(Target(reqs[2]).find("page=2"), std::string::npos);
}

TEST(OrdersApi, CreateAfterTimeoutIsAmbiguousWhenTheCheckFails) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(true, ErrorCode::kTimeout));
  fake.transport->PushJson(R"({"message":"Server Error"})", 500);  // repeats: reads retry
  Client client(fake.Options());
  auto o = client.orders().Create(SmallOrder());
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kAmbiguous);
  EXPECT_EQ(o.error().operation, "orders.Create");
  EXPECT_TRUE(o.error().maybe_sent);
  EXPECT_NE(o.error().message.find("MAY have been placed"), std::string::npos) << o.error().message;
  EXPECT_NE(o.error().message.find("GET /orders"), std::string::npos);
  EXPECT_EQ(o.error().message.find(testing::kTestKey), std::string::npos);
  auto reqs = fake.transport->requests();
  EXPECT_EQ(CountMethod(reqs, "POST"), 1u);
  // The listing is a read: the loop retried it (4 attempts by default).
  EXPECT_EQ(CountMethod(reqs, "GET"), 4u);
}

TEST(OrdersApi, CreateIsAmbiguousWhenAnOrderInTheWindowCannotBeCompared) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost());
  fake.transport->PushJson(
      R"([{"order":[],"orderReference":"no-lines","createdDate":"2026-11-26T00:00:01Z"}])");
  Client client(fake.Options());
  auto o = client.orders().Create(SmallOrder());
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kAmbiguous);
  EXPECT_EQ(CountMethod(fake.transport->requests(), "POST"), 1u);
}

TEST(OrdersApi, Create503IsReturnedAsIsWithRetryAfterAndSentOnce) {
  FakeClient fake;
  fake.transport->Push(
      FakeReply{.status = 503,
                .body = "Service Unavailable",
                .headers = {{"Content-Type", "text/plain"}, {"Retry-After", "7"}}});
  Client client(fake.Options());
  auto o = client.orders().Create(SmallOrder());
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(o.error().http_status, 503);
  ASSERT_TRUE(o.error().retry_after.has_value());
  EXPECT_EQ(*o.error().retry_after, std::chrono::seconds(7));
  EXPECT_EQ(fake.transport->count(), 1u);  // no retry, no reconciliation listing
  EXPECT_TRUE(fake.clock->sleeps().empty());
}

TEST(OrdersApi, Create429And500AreNeverRetried) {
  for (int status : {429, 500, 502}) {
    FakeClient fake;
    fake.transport->PushJson(R"({"message":"busy"})", status);
    Client client(fake.Options());
    auto o = client.orders().Create(SmallOrder());
    ASSERT_FALSE(o) << status;
    EXPECT_EQ(o.error().http_status, status);
    EXPECT_EQ(fake.transport->count(), 1u) << status;
  }
}

TEST(OrdersApi, CreateRefusedBeforeSendingIsRetriedByTheLoop) {
  FakeClient fake;
  // Connection refused: the request provably never left, so the loop may send it again.
  fake.transport->Push(FakeReply::Lost(false, ErrorCode::kTransport));
  fake.transport->PushJson(SpecExample("orders_transaction_spec.json"));
  Client client(fake.Options());
  auto o = client.orders().Create(SmallOrder());
  ASSERT_TRUE(o) << o.error().ToString();
  EXPECT_FALSE(o->reconciled);
  auto reqs = fake.transport->requests();
  EXPECT_EQ(reqs.size(), 2u);
  EXPECT_EQ(CountMethod(reqs, "POST"), 2u);
  EXPECT_EQ(fake.clock->sleeps().size(), 1u);  // one backoff, on the fake clock
}

TEST(OrdersApi, CreateRefusedEveryTimeIsNotReconciled) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(false, ErrorCode::kTransport));  // repeats
  Client client(fake.Options());
  auto o = client.orders().Create(SmallOrder());
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kTransport);
  EXPECT_FALSE(o.error().maybe_sent);
  auto reqs = fake.transport->requests();
  EXPECT_EQ(CountMethod(reqs, "GET"), 0u);  // never sent: nothing to look for
  EXPECT_EQ(CountMethod(reqs, "POST"), 4u);
}

TEST(OrdersApi, CreateRefusedThenTimedOutReconcilesOnceSent) {
  FakeClient fake;
  fake.transport->Push(FakeReply::Lost(false, ErrorCode::kTransport));
  fake.transport->Push(FakeReply::Lost(true, ErrorCode::kTimeout));
  fake.transport->PushJson(ListWith("esim_1GB_7D_GB_V2", 2, "2026-11-26T00:00:01Z"));
  Client client(fake.Options());
  auto o = client.orders().Create(SmallOrder());
  ASSERT_TRUE(o) << o.error().ToString();
  EXPECT_TRUE(o->reconciled);
  auto reqs = fake.transport->requests();
  EXPECT_EQ(CountMethod(reqs, "POST"), 2u);  // the first never left this machine
  EXPECT_EQ(CountMethod(reqs, "GET"), 1u);
}

TEST(OrdersApi, CreateWithAnUnreadable200SaysTheOrderWasPlaced) {
  FakeClient fake;
  fake.transport->PushJson(R"({"order":[{"item":)");
  Client client(fake.Options());
  auto o = client.orders().Create(SmallOrder());
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kDecode);
  EXPECT_EQ(o.error().http_status, 200);
  EXPECT_NE(o.error().message.find("WAS placed"), std::string::npos);
  EXPECT_EQ(fake.transport->count(), 1u);
}

// ---- codecs -----------------------------------------------------------------------------

TEST(OrdersCodec, RequestDecodeAcceptsCapitalOrderAndBothReassignCasings) {
  auto r = MustDecode<OrderRequest>(
      R"({"type":"validate","assign":true,"Order":[{"type":"bundle","quantity":1,"item":"a",
      "AllowReassign":true},{"quantity":2,"item":"b","allowReassign":false,"iccids":["1","2"]}]})");
  EXPECT_EQ(r.type, OrderType::kValidate);
  EXPECT_TRUE(r.assign);
  ASSERT_EQ(r.order.size(), 2u);
  EXPECT_EQ(r.order[0].allow_reassign, true);
  EXPECT_EQ(r.order[1].allow_reassign, false);
  EXPECT_EQ(r.order[1].iccids.size(), 2u);
  EXPECT_EQ(r.order[1].type, "bundle");  // default when absent
}

TEST(OrdersCodec, RequestDecodeOfTheSpecExample) {
  auto r = MustDecode<OrderRequest>(SpecExample("orders_request_spec.json"));
  EXPECT_EQ(r.type, OrderType::kTransaction);
  ASSERT_EQ(r.order.size(), 2u);
  EXPECT_EQ(r.order[0].quantity, 3);
  EXPECT_FALSE(r.order[0].allow_reassign.value());
  EXPECT_EQ(r.order[1].iccids.size(), 2u);  // quantity 5: the spec's own example breaks the rule
}

TEST(OrdersCodec, RequestDecodeRejectsAnUnknownTypeRatherThanCharging) {
  auto r = internal::json::DecodeBody<OrderRequest>(R"({"type":"purchase","order":[]})", "t");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kDecode);
}

TEST(OrdersCodec, RequestRoundTrips) {
  OrderRequest in{.type = OrderType::kValidate,
                  .assign = true,
                  .order = {{.item = "esim_1GB_7D_GB_V2",
                             .quantity = 2,
                             .iccids = {"8944123456789012345", "8944123456789012346"},
                             .allow_reassign = false},
                            {.item = "x", .quantity = 1}}};
  auto out = MustDecode<OrderRequest>(internal::EncodeBody(in));
  EXPECT_EQ(out, in);
}

TEST(OrdersCodec, OrderRoundTripsWithResponseCasing) {
  auto in = MustDecode<Order>(SpecExample("orders_transaction_spec.json"));
  std::string encoded = internal::EncodeBody(in);
  EXPECT_NE(encoded.find(R"("AllowReassign":false)"), std::string::npos);
  EXPECT_EQ(encoded.find("allowReassign"), std::string::npos);
  EXPECT_NE(encoded.find(R"("total":9.99)"), std::string::npos);  // exact decimal
  EXPECT_NE(encoded.find(R"("sourceIP":"244.178.44.111")"), std::string::npos);
  auto out = MustDecode<Order>(encoded);
  EXPECT_EQ(out, in);
  EXPECT_EQ(out.status.value, OrderStatus::kCompleted);
}

TEST(OrdersCodec, ValidationRoundTrips) {
  auto in = MustDecode<OrderValidation>(SpecExample("orders_validate_spec.json"));
  EXPECT_EQ(MustDecode<OrderValidation>(internal::EncodeBody(in)), in);
  EXPECT_EQ(internal::EncodeBody(in),
            internal::EncodeBody(MustDecode<OrderValidation>(internal::EncodeBody(in))));
}

TEST(OrdersCodec, ListBodyRoundTripsAndAcceptsThreeShapes) {
  auto live = MustDecode<OrderListBody>(SpecExample("orders_list_live.json"));
  ASSERT_EQ(live.orders.size(), 2u);
  auto again = MustDecode<OrderListBody>(internal::EncodeBody(live));
  EXPECT_EQ(again.orders, live.orders);
  EXPECT_EQ(again.page_count, 3);
  EXPECT_EQ(again.rows, 21);
  EXPECT_EQ(MustDecode<OrderListBody>("[]").orders.size(), 0u);
  EXPECT_EQ(MustDecode<OrderListBody>("{}").orders.size(), 0u);
  EXPECT_EQ(MustDecode<OrderListBody>(SpecExample("orders_get_spec.json")).orders.size(), 1u);
}

TEST(OrdersCodec, EsimAndLineRoundTrip) {
  OrderLine line{
      .type = "bundle",
      .item = "esim_1GB_7D_GB_V2",
      .quantity = 1,
      .sub_total = Money::FromMicros(1'750'000),
      .price_per_unit = Money::FromMicros(1'750'000),
      .allow_reassign = true,
      .iccids = {"8944123456789012345"},
      .esims = {
          {.iccid = "8944123456789012345", .matching_id = "M-1", .smdp_address = "rsp.example"}}};
  EXPECT_EQ(MustDecode<OrderLine>(internal::EncodeBody(line)), line);
  EXPECT_EQ(MustDecode<OrderEsim>(internal::EncodeBody(line.esims[0])), line.esims[0]);
  BundleOrder item{.item = "x", .quantity = 3};
  EXPECT_EQ(internal::EncodeBody(item), R"({"type":"bundle","quantity":3,"item":"x"})");
  EXPECT_EQ(MustDecode<BundleOrder>(internal::EncodeBody(item)), item);
}

TEST(OrdersCodec, StatusIsAnOpenCaseInsensitiveEnum) {
  EXPECT_EQ(ParseOrderStatus("COMPLETED").value, OrderStatus::kCompleted);
  EXPECT_EQ(ParseOrderStatus("Processing").value, OrderStatus::kProcessing);
  EXPECT_EQ(ParseOrderStatus("failed").value, OrderStatus::kFailed);
  auto odd = ParseOrderStatus("Partially Refunded");
  EXPECT_EQ(odd.value, OrderStatus::kUnknown);
  EXPECT_EQ(odd.raw, "Partially Refunded");
  EXPECT_EQ(OrderTypeName(OrderType::kValidate), "validate");
  EXPECT_EQ(OrderTypeName(OrderType::kTransaction), "transaction");
}

TEST(OrdersCodec, GarbageIsADecodeErrorNotACrash) {
  for (const char* body : {"", "{", R"({"order":5})", R"({"order":[{"quantity":"x"}]})",
                           R"({"total":"nine"})", "[1,2]"}) {
    auto r = internal::json::DecodeBody<OrderListBody>(body, "t");
    EXPECT_FALSE(r) << body;
  }
}

TEST(OrderClaims, AreBoundedAndForgetTheOldestFirst) {
  FakeClient fake;
  internal::ClientCore core(fake.Options());
  const size_t n = internal::ClientCore::kMaxClaimedOrders;
  for (size_t i = 0; i <= n; ++i) ASSERT_TRUE(core.ClaimOrderReference("ref-" + std::to_string(i)));
  EXPECT_FALSE(core.IsOrderReferenceClaimed("ref-0"));  // the oldest was forgotten
  EXPECT_TRUE(core.IsOrderReferenceClaimed("ref-1"));
  EXPECT_TRUE(core.IsOrderReferenceClaimed("ref-" + std::to_string(n)));
  EXPECT_FALSE(core.ClaimOrderReference("ref-5"));  // a remembered one is still refused
}

}  // namespace
}  // namespace esimgo
