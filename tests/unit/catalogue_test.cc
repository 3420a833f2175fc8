#include "esimgo/catalogue.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "esimgo/client.h"
#include "json/json_reader.h"
#include "model/catalogue_codec.h"
#include "testing/fake_transport.h"

namespace esimgo {
namespace {

using testing::FakeClient;
using testing::Target;

// The spec's CatalogueResponse example is a bare array with an integer price.
constexpr const char* kSpecArray =
    R"([{"name":"esim_1GB_7D_GB_V2","description":"eSIM, 1GB, 7 Days, United Kingdom, V2",
  "groups":["Standard Fixed"],"countries":[{"name":"United Kingdom","region":"Europe","iso":"GB"}],
  "dataAmount":1000,"duration":7,"speed":["4G"],"autostart":true,"unlimited":false,
  "roamingEnabled":[],"price":2,"billingType":"FixedCost"}])";

// The live API wraps the list and sends fractional prices and unknown fields.
constexpr const char* kLiveObject = R"({"bundles":[{"name":"esim_UL_3D_RAF_V2","description":"x",
  "groups":["Standard Unlimited Lite"],"countries":[{"name":"South Africa","region":"Africa","iso":"ZA"}],
  "dataAmount":0,"duration":3,"speed":null,"autostart":false,"unlimited":true,
  "roamingEnabled":[],"price":9.99,"billingType":"FixedCost","imageUrl":"https://x/y.png"}],
  "pageCount":3,"rows":250,"pageSize":100})";

TEST(CatalogueApi, ListSendsEveryQueryParameterEncoded) {
  FakeClient fake;
  fake.transport->PushJson(kLiveObject);
  Client client(fake.Options());
  auto page = client.catalogue().List({.page = 2,
                                       .per_page = 100,
                                       .countries = {"GB", " FR"},
                                       .region = "Europe",
                                       .group = "Standard Fixed",
                                       .description = "1GB*",
                                       .order_by = "price",
                                       .direction = "asc"});
  ASSERT_TRUE(page) << page.error().ToString();
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target(req),
            "/catalogue?page=2&perPage=100&countries=GB,FR&region=Europe&group=Standard%20Fixed"
            "&description=1GB%2A&orderBy=price&direction=asc");
  EXPECT_EQ(FindHeader(req.headers, "x-api-key"), testing::kTestKey);
  EXPECT_EQ(FindHeader(req.headers, "Accept"), "application/json");
}

TEST(CatalogueApi, ListDecodesTheSpecsBareArray) {
  FakeClient fake;
  fake.transport->PushJson(kSpecArray);
  Client client(fake.Options());
  auto page = client.catalogue().List();
  ASSERT_TRUE(page) << page.error().ToString();
  ASSERT_EQ(page->bundles.size(), 1u);
  const auto& b = page->bundles[0];
  EXPECT_EQ(b.name, "esim_1GB_7D_GB_V2");
  EXPECT_EQ(b.countries[0].iso, "GB");
  EXPECT_EQ(b.data_amount_mb, 1000);
  EXPECT_EQ(b.duration_days, 7);
  EXPECT_EQ(b.price, Money::FromUnits(2));
  EXPECT_FALSE(page->page_count);
}

TEST(CatalogueApi, ListDecodesTheLiveWrappedShape) {
  FakeClient fake;
  fake.transport->PushJson(kLiveObject);
  Client client(fake.Options());
  auto page = client.catalogue().List();
  ASSERT_TRUE(page) << page.error().ToString();
  EXPECT_EQ(page->page_count, 3);
  EXPECT_EQ(page->rows, 250);
  EXPECT_EQ(page->bundles[0].price.micros(), 9'990'000);
  EXPECT_TRUE(page->bundles[0].unlimited);
  EXPECT_TRUE(page->bundles[0].speed.empty());
}

TEST(CatalogueApi, ListAllWalksEveryPageByPageCount) {
  FakeClient fake;
  for (int i = 0; i < 3; ++i) fake.transport->PushJson(kLiveObject);
  Client client(fake.Options());
  int n = 0;
  for (const auto& r : client.catalogue().ListAll({.per_page = 100})) {
    ASSERT_TRUE(r);
    ++n;
  }
  EXPECT_EQ(n, 3);
  auto reqs = fake.transport->requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(Target(reqs[2]), "/catalogue?page=3&perPage=100");
}

TEST(CatalogueApi, GetEscapesTheCaseSensitiveName) {
  FakeClient fake;
  fake.transport->PushJson(R"({"name":"esim 1/GB?x","price":1.5})");
  Client client(fake.Options());
  auto b = client.catalogue().Get("esim 1/GB?x");
  ASSERT_TRUE(b) << b.error().ToString();
  EXPECT_EQ(Target(fake.transport->last()), "/catalogue/bundle/esim%201%2FGB%3Fx");
  EXPECT_EQ(b->price.ToString(), "1.5");
}

TEST(CatalogueApi, GetRejectsAnEmptyNameBeforeSending) {
  FakeClient fake;
  Client client(fake.Options());
  auto b = client.catalogue().Get("");
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(fake.transport->count(), 0u);
}

TEST(CatalogueApi, MalformedJsonIsADecodeErrorNotACrash) {
  FakeClient fake;
  fake.transport->PushJson(R"({"bundles":[{"name":)");
  Client client(fake.Options());
  auto page = client.catalogue().List();
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::kDecode);
  EXPECT_EQ(page.error().operation, "catalogue.List");
}

}  // namespace
}  // namespace esimgo

namespace esimgo {
namespace {

// DecodeBody<CataloguePage> tries simdjson's DOM first (ADR 0003); it must give exactly what
// the on-demand decoder gives, falling back to it wherever the DOM cannot.
CataloguePage OnDemand(std::string_view body) {
  CataloguePage page;
  auto r = internal::json::ParseRoot(
      body, "test", [&](internal::json::Value root) { return Decode(root, page); });
  EXPECT_TRUE(r) << r.error().ToString();
  return page;
}

TEST(CatalogueCodec, DomAndOnDemandDecodesAgree) {
  const std::vector<std::string> bodies = {
      kSpecArray,
      kLiveObject,
      // Numbers where strings are expected keep their raw digits; strings where numbers are.
      R"({"bundles":[{"name":89441234567890123456,"dataAmount":"1000","duration":7.0,
         "price":"2.28","unlimited":"true","countries":null,"speed":["4G",5]}],"rows":"1"})",
      R"([{"name":"a","price":1e3,"dataAmount":2e10,"groups":[]}])",
  };
  for (const auto& body : bodies) {
    SCOPED_TRACE(body);
    auto dom = internal::json::DecodeBody<CataloguePage>(body, "test");
    ASSERT_TRUE(dom) << dom.error().ToString();
    CataloguePage od = OnDemand(body);
    EXPECT_EQ(dom->bundles, od.bundles);
    EXPECT_EQ(dom->page_count, od.page_count);
    EXPECT_EQ(dom->rows, od.rows);
    EXPECT_EQ(dom->page_size, od.page_size);
  }
}

TEST(CatalogueCodec, DomPathKeepsATwentyDigitNumberAsItsDigits) {
  auto page = internal::json::DecodeBody<CataloguePage>(
      R"([{"name":89441234567890123456,"price":9.99}])", "test");
  ASSERT_TRUE(page) << page.error().ToString();
  EXPECT_EQ(page->bundles[0].name, "89441234567890123456");
  EXPECT_EQ(page->bundles[0].price.micros(), 9'990'000);
}

TEST(ClientLifetime, AViewAndAPagerOutliveTheirClient) {
  FakeClient fake;
  fake.transport->PushJson(R"({"bundles":[{"name":"a"}],"pageCount":2})");
  fake.transport->PushJson(R"({"bundles":[{"name":"b"}],"pageCount":2})");
  fake.transport->PushJson(R"({"name":"c"})");  // the fake repeats its last reply: queue all
  std::optional<Pager<CatalogueBundle>> pager;
  std::optional<CatalogueApi> view;
  {
    Client client(fake.Options());
    view.emplace(client.catalogue());
    pager.emplace(client.catalogue().ListAll({.per_page = 1}));
  }  // the Client is gone; its view and pager share its state (ASan would catch a dangle)
  std::vector<std::string> names;
  for (const auto& bundle : *pager) {
    ASSERT_TRUE(bundle) << bundle.error().ToString();
    names.push_back(bundle->name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b"}));
  auto got = view->Get("c");
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->name, "c");
}

}  // namespace
}  // namespace esimgo
