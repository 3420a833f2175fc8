// The one retry loop (src/client_core.cc) and the idempotency table (src/retry/operations.h):
// which failures are sent again, how long the client waits, and which operations are never
// repeated once they may have reached the server.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "client_core.h"
#include "esimgo/client.h"
#include "retry/operations.h"
#include "testing/fake_transport.h"

namespace esimgo {
namespace {

using internal::Call;
using internal::ClientCore;
using internal::Idempotency;
using internal::InfoOf;
using internal::kOperations;
using internal::Op;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;
using testing::FakeClient;
using testing::FakeReply;

// v2.5 has every operation of the table (v2.4's and its own), so the loops over all rows run
// on a v2.5 base URL; the version gate has its own tests (api_version_test.cc).
constexpr const char* kEveryOpBase = "https://api.test/v2.5";

// A ClientCore on fakes, with every trace event recorded.
struct Harness {
  FakeClient fake;
  std::vector<TraceEvent> events;
  std::unique_ptr<ClientCore> core;

  explicit Harness(RetryPolicy retry = {}, uint64_t seed = 42,
                   std::string base_url = testing::kTestBase) {
    ClientOptions o = fake.Options();
    o.base_url = std::move(base_url);
    o.retry = retry;
    o.jitter_seed = seed;
    o.trace = [this](const TraceEvent& e) { events.push_back(e); };
    core = std::make_unique<ClientCore>(std::move(o));
  }
  Result<HttpResponse> Run(Op op, CallOptions call = {}) {
    return core->Execute(Call{.op = op, .target = "/probe"}, call);
  }
  std::vector<nanoseconds> sleeps() { return fake.clock->sleeps(); }
};

FakeReply Status(int status, Headers headers = {}) {
  return FakeReply{
      .status = status, .body = R"({"message":"scripted"})", .headers = std::move(headers)};
}

// The "equal jitter" bounds of attempt n's delay with the default policy (200 ms × 2^(n-1)).
void ExpectBackoffWithinBounds(const std::vector<nanoseconds>& sleeps) {
  for (size_t i = 0; i < sleeps.size(); ++i) {
    const nanoseconds nominal = milliseconds(200) * (1 << i);
    EXPECT_GE(sleeps[i], nominal / 2) << "retry " << i + 1;
    EXPECT_LE(sleeps[i], nominal) << "retry " << i + 1;
  }
}

std::vector<Op> NeverAfterSendOps() {
  std::vector<Op> ops;
  for (const auto& info : kOperations) {
    if (info.idempotency == Idempotency::kNeverAfterSend) ops.push_back(info.op);
  }
  return ops;
}

// ---- the table ------------------------------------------------------------------------------

TEST(IdempotencyTable, ExactlyTheMoneyAndSideEffectOperationsAreNeverSentTwice) {
  // Listed by hand on purpose: any change to the table must be a deliberate change here too.
  const std::set<Op> expected = {
      Op::kEsimsApply,
      Op::kEsimsRefresh,
      Op::kEsimsSendSms,
      Op::kEsimsApplyLegacy,
      Op::kEsimsRevokeBundle,
      Op::kEsimsRevokeAssignment,
      Op::kOrganisationTopUp,
      Op::kOrdersCreate,
      Op::kInventoryRefund,
      // v2.5: suspension acts on the network; deletion and revoking an application are
      // irreversible.
      Op::kEsimsSuspend,
      Op::kEsimsDelete,
      Op::kEsimsRevokeApplication,
  };
  const auto actual_ops = NeverAfterSendOps();
  const std::set<Op> actual(actual_ops.begin(), actual_ops.end());
  EXPECT_EQ(actual, expected);
  EXPECT_EQ(kOperations.size(), 34u) << "a new operation needs a deliberate idempotency row";
}

TEST(IdempotencyTable, EveryOperationHasAUniqueNameAndAnHttpMethod) {
  std::set<std::string_view> names;
  for (const auto& info : kOperations) {
    EXPECT_TRUE(names.insert(info.name).second) << "duplicate name " << info.name;
    EXPECT_TRUE(info.method == "GET" || info.method == "POST" || info.method == "PUT" ||
                info.method == "DELETE")
        << info.name;
    EXPECT_NE(info.name.find('.'), std::string_view::npos) << info.name;
  }
  // Spot checks of rows that a careless edit would get wrong.
  EXPECT_EQ(InfoOf(Op::kEsimsRefresh).method, "GET");  // a GET with a side effect
  EXPECT_EQ(InfoOf(Op::kOrdersValidate).idempotency, Idempotency::kRetrySafe);
  EXPECT_EQ(InfoOf(Op::kEsimsUpdate).idempotency, Idempotency::kRetrySafe);
}

// ---- reads ----------------------------------------------------------------------------------

TEST(RetryLoop, ReadIsRetriedOnTransportErrorsUntilMaxAttempts) {
  Harness h;
  h.fake.transport->Push(FakeReply::Lost(/*maybe_sent=*/true, ErrorCode::kTransport));
  auto r = h.Run(Op::kCatalogueList);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kTransport);
  EXPECT_EQ(h.fake.transport->count(), 4u);  // RetryPolicy::max_attempts default
  EXPECT_EQ(r.error().attempts, 4);
  EXPECT_EQ(r.error().operation, "catalogue.List");
  ASSERT_EQ(h.sleeps().size(), 3u);
  ExpectBackoffWithinBounds(h.sleeps());
  ASSERT_EQ(h.events.size(), 4u);
  EXPECT_EQ(h.events.back().note, "not retried: attempts exhausted");
}

TEST(RetryLoop, ReadIsRetriedAfterATimeoutAndSucceeds) {
  Harness h;
  h.fake.transport->Push(FakeReply::Lost(true, ErrorCode::kTimeout));
  h.fake.transport->PushJson(R"({"ok":true})");
  auto r = h.Run(Op::kCatalogueGet);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->body, R"({"ok":true})");
  EXPECT_EQ(h.fake.transport->count(), 2u);
  ASSERT_EQ(h.sleeps().size(), 1u);
  ExpectBackoffWithinBounds(h.sleeps());
}

class ReadRetriedOnStatus : public ::testing::TestWithParam<int> {};

TEST_P(ReadRetriedOnStatus, UpToMaxAttemptsWithExponentialJitteredBackoff) {
  Harness h;
  h.fake.transport->Push(Status(GetParam()));
  auto r = h.Run(Op::kCatalogueList);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().http_status, GetParam());
  EXPECT_EQ(r.error().attempts, 4);
  EXPECT_EQ(h.fake.transport->count(), 4u);
  ASSERT_EQ(h.sleeps().size(), 3u);
  ExpectBackoffWithinBounds(h.sleeps());
  // Attempts 1..3 announce the retry, the last one says why it stopped.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(h.events[i].note.rfind("retrying in ", 0), 0u) << h.events[i].note;
    EXPECT_EQ(h.events[i].attempt, i + 1);
    EXPECT_EQ(h.events[i].status, GetParam());
  }
}

TEST_P(ReadRetriedOnStatus, AndSucceedsWhenTheServerRecovers) {
  Harness h;
  h.fake.transport->Push(Status(GetParam()));
  h.fake.transport->Push(Status(GetParam()));
  h.fake.transport->PushJson("[]");
  auto r = h.Run(Op::kEsimsList);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(h.fake.transport->count(), 3u);
  EXPECT_EQ(h.sleeps().size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(RetryLoop, ReadRetriedOnStatus,
                         ::testing::Values(429, 500, 502, 503, 504));

class ReadNeverRetriedOnStatus : public ::testing::TestWithParam<int> {};

TEST_P(ReadNeverRetriedOnStatus, OneSendAndNoSleep) {
  Harness h;
  h.fake.transport->Push(Status(GetParam()));
  auto r = h.Run(Op::kCatalogueGet);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().http_status, GetParam());
  EXPECT_EQ(r.error().attempts, 1);
  EXPECT_EQ(h.fake.transport->count(), 1u);
  EXPECT_TRUE(h.sleeps().empty());
}

INSTANTIATE_TEST_SUITE_P(RetryLoop, ReadNeverRetriedOnStatus,
                         ::testing::Values(400, 401, 403, 404, 418));

TEST(RetryLoop, RetryAfterIsHonouredAsAMinimumDelay) {
  Harness h;
  h.fake.transport->Push(Status(503, {{"Retry-After", "3"}}));
  h.fake.transport->PushJson("{}");
  auto r = h.Run(Op::kCatalogueGet);
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(h.sleeps().size(), 1u);
  EXPECT_EQ(h.sleeps()[0], seconds(3));  // 3 s > the 100–200 ms backoff
  EXPECT_EQ(h.events[0].note, "retrying in 3000 ms");
}

TEST(RetryLoop, BackoffLongerThanRetryAfterWins) {
  Harness h(RetryPolicy{.initial_backoff = milliseconds(4000)});
  h.fake.transport->Push(Status(429, {{"retry-after", "1"}}));
  h.fake.transport->PushJson("{}");
  auto r = h.Run(Op::kCatalogueGet);
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(h.sleeps().size(), 1u);
  EXPECT_GE(h.sleeps()[0], milliseconds(2000));
  EXPECT_LE(h.sleeps()[0], milliseconds(4000));
}

TEST(RetryLoop, RetryAfterAboveThePolicyMaximumIsReturnedNotWaited) {
  Harness h(RetryPolicy{.max_retry_after = seconds(60)});
  h.fake.transport->Push(Status(503, {{"Retry-After", "120"}}));
  auto r = h.Run(Op::kCatalogueList);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(r.error().retry_after, seconds(120));
  EXPECT_EQ(h.fake.transport->count(), 1u);
  EXPECT_TRUE(h.sleeps().empty());
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(h.events[0].note, "not retried: Retry-After exceeds the policy's max_retry_after");
}

TEST(RetryLoop, BackoffIsCappedAtMaxBackoff) {
  Harness h(RetryPolicy{.max_attempts = 8, .max_backoff = milliseconds(1000)});
  h.fake.transport->Push(Status(500));
  auto r = h.Run(Op::kNetworksGet);
  ASSERT_FALSE(r);
  auto sleeps = h.sleeps();
  ASSERT_EQ(sleeps.size(), 7u);
  for (size_t i = 3; i < sleeps.size(); ++i) {  // 200·2^3 = 1600 ms > cap
    EXPECT_GE(sleeps[i], milliseconds(500));
    EXPECT_LE(sleeps[i], milliseconds(1000));
  }
}

TEST(RetryLoop, JitterDependsOnTheSeedAndIsReproducibleForOne) {
  auto run = [](uint64_t seed) {
    Harness h(RetryPolicy{}, seed);
    h.fake.transport->Push(Status(500));
    (void)h.Run(Op::kCatalogueList);
    return h.sleeps();
  };
  EXPECT_EQ(run(7), run(7));
  EXPECT_NE(run(7), run(8));
}

TEST(RetryLoop, PerCallMaxAttemptsOverridesThePolicy) {
  Harness h;
  h.fake.transport->Push(Status(503));
  auto r = h.Run(Op::kCatalogueList, CallOptions{.max_attempts = 1});
  ASSERT_FALSE(r);
  EXPECT_EQ(h.fake.transport->count(), 1u);
  EXPECT_EQ(r.error().attempts, 1);

  Harness h2;
  h2.fake.transport->Push(Status(503));
  (void)h2.Run(Op::kCatalogueList, CallOptions{.max_attempts = 6});
  EXPECT_EQ(h2.fake.transport->count(), 6u);
}

TEST(RetryLoop, RequestCarriesMethodUrlKeyAcceptTimeoutAndBody) {
  Harness h;
  h.fake.transport->PushJson("{}");
  auto r = h.core->Execute(
      Call{.op = Op::kOrdersValidate, .target = "/orders", .body = R"({"type":"validate"})"},
      CallOptions{.timeout = milliseconds(1234)});
  ASSERT_TRUE(r) << r.error().ToString();
  auto req = h.fake.transport->last();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, std::string(testing::kTestBase) + "/orders");
  EXPECT_EQ(FindHeader(req.headers, "X-API-Key"), testing::kTestKey);
  EXPECT_EQ(FindHeader(req.headers, "Accept"), "application/json");
  EXPECT_EQ(FindHeader(req.headers, "Content-Type"), "application/json");
  EXPECT_EQ(req.body, R"({"type":"validate"})");
  EXPECT_EQ(req.timeout, milliseconds(1234));
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(h.events[0].operation, "orders.Validate");
  EXPECT_EQ(h.events[0].status, 200);
}

TEST(RetryLoop, ValidateDryRunIsRetriedLikeARead) {
  Harness h;
  h.fake.transport->Push(Status(503));
  h.fake.transport->PushJson(R"({"valid":true})");
  auto r = h.Run(Op::kOrdersValidate);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(h.fake.transport->count(), 2u);
}

// ---- operations that move money or act on the network --------------------------------------

TEST(RetryLoop, NeverAfterSendOperationsAreSentOnceAfterAnyFailureThatMayHaveArrived) {
  const std::vector<std::pair<std::string, FakeReply>> failures = {
      {"timeout", FakeReply::Lost(/*maybe_sent=*/true, ErrorCode::kTimeout)},
      {"connection reset", FakeReply::Lost(/*maybe_sent=*/true, ErrorCode::kTransport)},
      {"503", Status(503, {{"Retry-After", "1"}})},
      {"429", Status(429, {{"Retry-After", "1"}})},
      {"500", Status(500)},
      {"502", Status(502)},
  };
  const auto ops = NeverAfterSendOps();
  ASSERT_FALSE(ops.empty());
  for (Op op : ops) {
    for (const auto& [what, reply] : failures) {
      SCOPED_TRACE(std::string(InfoOf(op).name) + " after " + what);
      Harness h({}, 42, kEveryOpBase);
      h.fake.transport->Push(reply);
      h.fake.transport->PushJson("{}");  // a retry would succeed: it must not happen
      auto r = h.Run(op);
      ASSERT_FALSE(r);
      EXPECT_EQ(h.fake.transport->count(), 1u);
      EXPECT_EQ(r.error().attempts, 1);
      EXPECT_TRUE(r.error().maybe_sent);
      EXPECT_EQ(r.error().operation, InfoOf(op).name);
      EXPECT_TRUE(h.sleeps().empty());
      ASSERT_EQ(h.events.size(), 1u);
      EXPECT_EQ(h.events[0].note,
                "not retried: this operation is never repeated once it may have been sent");
    }
  }
}

TEST(RetryLoop, NeverAfterSendOperationsAreRetriedWhenTheRequestProvablyNeverLeft) {
  for (Op op : NeverAfterSendOps()) {
    SCOPED_TRACE(std::string(InfoOf(op).name));
    Harness h({}, 42, kEveryOpBase);
    // Connection refused / DNS failure: the transport reports maybe_sent = false.
    h.fake.transport->Push(FakeReply::Lost(/*maybe_sent=*/false, ErrorCode::kTransport));
    h.fake.transport->PushJson("{}");
    auto r = h.Run(op);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(h.fake.transport->count(), 2u);
    EXPECT_EQ(h.sleeps().size(), 1u);
  }
}

TEST(RetryLoop, NeverSentFailuresStillStopAtMaxAttempts) {
  Harness h;
  h.fake.transport->Push(FakeReply::Lost(false, ErrorCode::kTransport));
  auto r = h.Run(Op::kOrdersCreate);
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.error().maybe_sent);
  EXPECT_EQ(r.error().attempts, 4);
  EXPECT_EQ(h.fake.transport->count(), 4u);
}

TEST(RetryLoop, HttpAnswersAreAlwaysMarkedMaybeSent) {
  Harness h;
  h.fake.transport->Push(Status(400));
  auto r = h.Run(Op::kOrdersCreate);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().maybe_sent);
  EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
  EXPECT_TRUE(h.events[0].note.empty()) << h.events[0].note;  // 400 is final for every op
}

TEST(RetryLoop, ThroughThePublicClientACatalogueReadIsRetried) {
  FakeClient fake;
  fake.transport->Push(Status(503, {{"Retry-After", "2"}}));
  fake.transport->PushJson(R"({"name":"esim_1GB_7D_GB_V2","price":1.3})");
  Client client(fake.Options());
  auto b = client.catalogue().Get("esim_1GB_7D_GB_V2");
  ASSERT_TRUE(b) << b.error().ToString();
  EXPECT_EQ(b->price.ToString(), "1.3");
  EXPECT_EQ(fake.transport->count(), 2u);
  ASSERT_EQ(fake.clock->sleeps().size(), 1u);
  EXPECT_EQ(fake.clock->sleeps()[0], seconds(2));
}

}  // namespace
}  // namespace esimgo
