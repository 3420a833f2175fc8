#include "esimgo/networks.h"

#include <gtest/gtest.h>

#include "esimgo/client.h"
#include "model/networks_codec.h"
#include "testing/codec_helpers.h"
#include "testing/fake_transport.h"

namespace esimgo {
namespace {

using testing::CountMethod;
using testing::FakeClient;
using testing::MustDecode;
using testing::SpecExample;
using testing::Target;

TEST(NetworksApi, GetSendsCountriesAndIsosAsCommaListsAndReturnAllLowercase) {
  FakeClient fake;
  fake.transport->PushJson(R"({"countryNetworks":[]})");
  Client client(fake.Options());
  auto n = client.networks().Get({.countries = {"United Kingdom", " United States "},
                                  .isos = {"GB", "US"},
                                  .return_all = true});
  ASSERT_TRUE(n) << n.error().ToString();
  auto req = fake.transport->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(Target(req),
            "/networks?countries=United%20Kingdom,United%20States&isos=GB,US&returnAll=true");
  EXPECT_EQ(FindHeader(req.headers, "X-API-Key"), testing::kTestKey);
  EXPECT_EQ(FindHeader(req.headers, "Accept"), "application/json");
  EXPECT_TRUE(req.body.empty());
}

TEST(NetworksApi, GetWithoutFiltersSendsNoQuery) {
  FakeClient fake;
  fake.transport->PushJson(R"({"countryNetworks":[]})");
  Client client(fake.Options());
  ASSERT_TRUE(client.networks().Get());
  EXPECT_EQ(Target(fake.transport->last()), "/networks");
  ASSERT_TRUE(client.networks().Get({.return_all = false}));
  EXPECT_EQ(Target(fake.transport->last()), "/networks?returnAll=false");
}

TEST(NetworksApi, GetDecodesStringCodesWithLeadingZerosAndTheTagid) {
  FakeClient fake;
  fake.transport->PushJson(SpecExample("networks_live.json"));
  Client client(fake.Options());
  auto n = client.networks().Get({.isos = {"GB", "GG"}});
  ASSERT_TRUE(n) << n.error().ToString();
  ASSERT_EQ(n->country_networks.size(), 2u);
  const auto& gb = n->country_networks[0];
  EXPECT_EQ(gb.name, "United Kingdom");
  ASSERT_EQ(gb.networks.size(), 2u);
  EXPECT_EQ(gb.networks[0].name, "EE");
  EXPECT_EQ(gb.networks[0].brand_name, "EE");
  EXPECT_EQ(gb.networks[0].mcc, "234");
  EXPECT_EQ(gb.networks[0].mnc, "30");
  EXPECT_EQ(gb.networks[0].tag_id, "GBRME");
  EXPECT_EQ(gb.networks[0].speed, (std::vector<std::string>{"3G", "4G", "5G"}));
  EXPECT_EQ(gb.networks[1].mnc, "015");       // leading zero kept
  EXPECT_TRUE(gb.networks[1].speed.empty());  // null
  EXPECT_EQ(n->country_networks[1].iso, "GG");
  EXPECT_TRUE(n->country_networks[1].networks.empty());
}

TEST(NetworksApi, GetReadsNumericCodesAsTheirDigits) {
  FakeClient fake;
  fake.transport->PushJson(R"([{"name":"X","networks":[{"mcc":234,"mnc":15}]}])");
  Client client(fake.Options());
  auto n = client.networks().Get();
  ASSERT_TRUE(n) << n.error().ToString();
  EXPECT_EQ(n->country_networks[0].networks[0].mcc, "234");
  EXPECT_EQ(n->country_networks[0].networks[0].mnc, "15");
}

TEST(NetworksApi, GetForbiddenIsMappedAndTheKeyIsNotEchoed) {
  FakeClient fake;
  fake.transport->PushJson(std::string(R"({"message":"bad key )") + testing::kTestKey + "\"}", 403);
  Client client(fake.Options());
  auto n = client.networks().Get();
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(n.error().operation, "networks.Get");
  EXPECT_EQ(n.error().message.find(testing::kTestKey), std::string::npos);
}

TEST(NetworksCodec, EveryTypeRoundTrips) {
  auto list = MustDecode<NetworkList>(SpecExample("networks_live.json"));
  EXPECT_EQ(MustDecode<NetworkList>(internal::EncodeBody(list)), list);
  EXPECT_EQ(MustDecode<CountryNetworks>(internal::EncodeBody(list.country_networks[1])),
            list.country_networks[1]);
  const Network& ee = list.country_networks[0].networks[0];
  EXPECT_EQ(internal::EncodeBody(ee),
            R"({"name":"EE","brandName":"EE","mcc":"234","mnc":"30","tagid":"GBRME",)"
            R"("speed":["3G","4G","5G"]})");
  EXPECT_EQ(MustDecode<Network>(internal::EncodeBody(ee)), ee);
}

TEST(NetworksCodec, GarbageIsADecodeErrorNotACrash) {
  for (const char* body : {"", "{", R"({"countryNetworks":7})", R"([{"networks":[1]}])"}) {
    EXPECT_FALSE(internal::json::DecodeBody<NetworkList>(body, "t")) << body;
  }
}

}  // namespace
}  // namespace esimgo
