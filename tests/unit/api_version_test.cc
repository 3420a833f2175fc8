// API versions (docs/adr/0007-api-versions.md): the version a base URL names, the environment
// that picks it, and the gate in ClientCore::Execute that refuses a v2.5-only operation on a
// v2.4 client before anything is sent.

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "client_core.h"
#include "esimgo/client.h"
#include "retry/operations.h"
#include "testing/fake_transport.h"
#include "testing/scoped_env.h"

namespace esimgo {
namespace {

using internal::Call;
using internal::ClientCore;
using internal::InfoOf;
using internal::kOperations;
using internal::Op;
using testing::FakeClient;

// ---- parsing --------------------------------------------------------------------------------

TEST(ApiVersion, TheBaseUrlsLastSegmentNamesTheVersion) {
  EXPECT_EQ(ApiVersionOfBaseUrl("https://api.esim-go.com/v2.4"), ApiVersion::kV2_4);
  EXPECT_EQ(ApiVersionOfBaseUrl("https://api.esim-go.com/v2.5"), ApiVersion::kV2_5);
  EXPECT_EQ(ApiVersionOfBaseUrl("http://127.0.0.1:8080/v2.5/"), ApiVersion::kV2_5);
  EXPECT_EQ(ApiVersionOfBaseUrl("http://127.0.0.1:8080/v2.5//"), ApiVersion::kV2_5);
  EXPECT_EQ(ApiVersionOfBaseUrl("http://localhost/proxy/V2.4"), ApiVersion::kV2_4);
  EXPECT_EQ(ApiVersionOfBaseUrl("http://localhost/v2.5?x=/v2.4"), ApiVersion::kV2_5);
}

TEST(ApiVersion, AUrlWithoutAKnownVersionSegmentIsUnknown) {
  EXPECT_EQ(ApiVersionOfBaseUrl("https://proxy.example.com/esimgo"), std::nullopt);
  EXPECT_EQ(ApiVersionOfBaseUrl("https://proxy.example.com"), std::nullopt);
  EXPECT_EQ(ApiVersionOfBaseUrl("https://api.esim-go.com/v2.6"), std::nullopt);
  EXPECT_EQ(ApiVersionOfBaseUrl("https://api.esim-go.com/v2.4/extra"), std::nullopt);
  EXPECT_EQ(ApiVersionOfBaseUrl("http://host/2.5"), std::nullopt);  // no "v": not a version
  EXPECT_EQ(ApiVersionOfBaseUrl(""), std::nullopt);
}

TEST(ApiVersion, ParsesTheSpellingsTheEnvironmentAndCliTake) {
  EXPECT_EQ(ParseApiVersion("2.4"), ApiVersion::kV2_4);
  EXPECT_EQ(ParseApiVersion("v2.5"), ApiVersion::kV2_5);
  EXPECT_EQ(ParseApiVersion(" V2.5 "), ApiVersion::kV2_5);
  EXPECT_EQ(ParseApiVersion("2.3"), std::nullopt);
  EXPECT_EQ(ParseApiVersion("2.50"), std::nullopt);
  EXPECT_EQ(ParseApiVersion(""), std::nullopt);
  EXPECT_EQ(ApiVersionName(ApiVersion::kV2_4), "2.4");
  EXPECT_EQ(ApiVersionName(ApiVersion::kV2_5), "2.5");
}

TEST(ApiVersion, DefaultBaseUrlsAreTheLiveHostAndTheDefaultStaysV24) {
  EXPECT_EQ(DefaultBaseUrl(ApiVersion::kV2_4), "https://api.esim-go.com/v2.4");
  EXPECT_EQ(DefaultBaseUrl(ApiVersion::kV2_5), "https://api.esim-go.com/v2.5");
  EXPECT_EQ(DefaultBaseUrl(ApiVersion::kV2_4), kDefaultBaseUrl);
  EXPECT_EQ(ClientOptions{}.base_url, kDefaultBaseUrl);
  EXPECT_EQ(ApiVersionOfBaseUrl(ClientOptions{}.base_url), ApiVersion::kV2_4);
}

TEST(ApiVersion, TheClientReportsTheVersionOfItsBaseUrl) {
  FakeClient fake;
  ClientOptions o = fake.Options();
  EXPECT_EQ(Client(o).api_version(), ApiVersion::kV2_4);
  o.base_url = "https://api.test/v2.5/";
  EXPECT_EQ(Client(o).api_version(), ApiVersion::kV2_5);
  o.base_url = "https://proxy.test/esimgo";
  EXPECT_EQ(Client(o).api_version(), std::nullopt);
}

// ---- FromEnv --------------------------------------------------------------------------------

using testing::ScopedEnv;

TEST(FromEnvApiVersion, PicksTheLiveHostOfThatVersionWhenNoBaseUrlIsSet) {
  ScopedEnv key("ESIMGO_API_KEY", "env-key-1234");
  ScopedEnv url("ESIMGO_BASE_URL", nullptr);
  {
    ScopedEnv version("ESIMGO_API_VERSION", "2.5");
    auto o = ClientOptions::FromEnv();
    ASSERT_TRUE(o) << o.error().ToString();
    EXPECT_EQ(o->base_url, "https://api.esim-go.com/v2.5");
  }
  {
    ScopedEnv version("ESIMGO_API_VERSION", "2.4");
    auto o = ClientOptions::FromEnv();
    ASSERT_TRUE(o) << o.error().ToString();
    EXPECT_EQ(o->base_url, "https://api.esim-go.com/v2.4");
  }
  {
    ScopedEnv version("ESIMGO_API_VERSION", nullptr);
    auto o = ClientOptions::FromEnv();
    ASSERT_TRUE(o) << o.error().ToString();
    EXPECT_EQ(o->base_url, kDefaultBaseUrl);  // the default stays v2.4
  }
}

TEST(FromEnvApiVersion, AnUnknownVersionIsAClearInvalidArgument) {
  ScopedEnv key("ESIMGO_API_KEY", "env-key-1234");
  ScopedEnv version("ESIMGO_API_VERSION", "3");
  auto o = ClientOptions::FromEnv();
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(o.error().message.find("ESIMGO_API_VERSION is '3'"), std::string::npos);
  EXPECT_NE(o.error().message.find("2.4 or 2.5"), std::string::npos);
}

TEST(FromEnvApiVersion, TheBaseUrlWinsButAContradictionIsRefused) {
  ScopedEnv key("ESIMGO_API_KEY", "env-key-1234");
  {
    ScopedEnv url("ESIMGO_BASE_URL", "http://127.0.0.1:9/v2.5");
    ScopedEnv version("ESIMGO_API_VERSION", "2.5");
    auto o = ClientOptions::FromEnv();
    ASSERT_TRUE(o) << o.error().ToString();
    EXPECT_EQ(o->base_url, "http://127.0.0.1:9/v2.5");
  }
  {
    ScopedEnv url("ESIMGO_BASE_URL", "http://127.0.0.1:9/v2.4");
    ScopedEnv version("ESIMGO_API_VERSION", "2.5");
    auto o = ClientOptions::FromEnv();
    ASSERT_FALSE(o);
    EXPECT_EQ(o.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(o.error().message.find("ESIMGO_BASE_URL ends in /v2.4"), std::string::npos)
        << o.error().message;
  }
  {
    // A proxy URL names no version: the variable cannot contradict it.
    ScopedEnv url("ESIMGO_BASE_URL", "https://proxy.test/esimgo");
    ScopedEnv version("ESIMGO_API_VERSION", "2.5");
    auto o = ClientOptions::FromEnv();
    ASSERT_TRUE(o) << o.error().ToString();
    EXPECT_EQ(o->base_url, "https://proxy.test/esimgo");
  }
}

// ---- the gate -------------------------------------------------------------------------------

std::unique_ptr<ClientCore> CoreAt(FakeClient& fake, std::string base_url) {
  ClientOptions o = fake.Options();
  o.base_url = std::move(base_url);
  return std::make_unique<ClientCore>(std::move(o));
}

TEST(IdempotencyTable, ExactlyTheSevenNewOperationsNeedV25) {
  std::set<Op> v25;
  for (const auto& info : kOperations) {
    if (info.since == ApiVersion::kV2_5) v25.insert(info.op);
  }
  const std::set<Op> expected = {
      Op::kEsimsSuspend, Op::kEsimsSuspension, Op::kEsimsDelete,           Op::kCataloguePrices,
      Op::kEsimsQrCodes, Op::kEsimsInstallCsv, Op::kEsimsRevokeApplication};
  EXPECT_EQ(v25, expected);
  EXPECT_EQ(InfoOf(Op::kEsimsSuspension).idempotency, internal::Idempotency::kRetrySafe);
  EXPECT_EQ(InfoOf(Op::kCataloguePrices).idempotency, internal::Idempotency::kRetrySafe);
}

TEST(VersionGate, AV24ClientRefusesEveryV25OperationBeforeSendingAndSaysHowToSwitch) {
  for (const auto& info : kOperations) {
    if (info.since != ApiVersion::kV2_5) continue;
    SCOPED_TRACE(std::string(info.name));
    FakeClient fake;
    auto core = CoreAt(fake, "https://api.test/v2.4");
    auto r = core->Execute(Call{.op = info.op, .target = "/probe"}, {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().operation, info.name);
    EXPECT_EQ(r.error().attempts, 0);
    EXPECT_FALSE(r.error().maybe_sent);
    EXPECT_EQ(fake.transport->count(), 0u);
    const std::string& m = r.error().message;
    EXPECT_NE(m.find("needs eSIM Go API v2.5"), std::string::npos) << m;
    EXPECT_NE(m.find("this client speaks v2.4"), std::string::npos) << m;
    EXPECT_NE(m.find("/v2.5"), std::string::npos) << m;
    EXPECT_NE(m.find("ESIMGO_API_VERSION=2.5"), std::string::npos) << m;
    EXPECT_NE(m.find("--api-version 2.5"), std::string::npos) << m;
  }
}

TEST(VersionGate, V25AndUnknownVersionClientsSendEveryOperation) {
  for (const char* base : {"https://api.test/v2.5", "https://proxy.test/esimgo"}) {
    for (const auto& info : kOperations) {
      SCOPED_TRACE(std::string(base) + " " + std::string(info.name));
      FakeClient fake;
      auto core = CoreAt(fake, base);
      auto r = core->Execute(Call{.op = info.op, .target = "/probe"}, {});
      ASSERT_TRUE(r) << r.error().ToString();
      EXPECT_EQ(fake.transport->count(), 1u);
    }
  }
}

TEST(VersionGate, AV24ClientStillSendsEveryV24Operation) {
  for (const auto& info : kOperations) {
    if (info.since != ApiVersion::kV2_4) continue;
    SCOPED_TRACE(std::string(info.name));
    FakeClient fake;
    auto core = CoreAt(fake, "https://api.test/v2.4");
    auto r = core->Execute(Call{.op = info.op, .target = "/probe"}, {});
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(fake.transport->count(), 1u);
  }
}

TEST(VersionGate, TheRefusalIsTracedAsNotSent) {
  FakeClient fake;
  ClientOptions o = fake.Options();
  std::vector<TraceEvent> events;
  o.trace = [&](const TraceEvent& e) { events.push_back(e); };
  ClientCore core(std::move(o));
  auto r = core.Execute(Call{.op = Op::kEsimsSuspend, .target = "/esims/1/suspend"}, {});
  ASSERT_FALSE(r);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].operation, "esims.Suspend");
  EXPECT_EQ(events[0].method, "POST");
  EXPECT_EQ(events[0].attempt, 0);
  EXPECT_EQ(events[0].status, 0);
  EXPECT_EQ(events[0].note, "not sent: needs API v2.5");
  EXPECT_EQ(fake.transport->count(), 0u);
}

TEST(VersionGate, TheRefusalNeverShowsTheApiKeyEvenWhenTheBaseUrlHoldsIt) {
  FakeClient fake;
  auto core = CoreAt(fake, std::string("https://u:") + testing::kTestKey + "@api.test/v2.4");
  auto r = core->Execute(Call{.op = Op::kEsimsDelete, .target = "/probe"}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.find(testing::kTestKey), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace esimgo
