// Error mapping (the status table, messages from JSON, text/plain and empty bodies, rate-limit
// headers), redaction of the API key everywhere it could surface, and ClientOptions::FromEnv.

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client_core.h"
#include "esimgo/client.h"
#include "json/json_reader.h"
#include "retry/operations.h"
#include "testing/fake_transport.h"
#include "testing/scoped_env.h"

namespace esimgo {
namespace {

using internal::Call;
using internal::ClientCore;
using internal::InfoOf;
using internal::Op;
using testing::FakeClient;
using testing::FakeReply;
using testing::kTestKey;

struct Harness {
  FakeClient fake;
  std::vector<TraceEvent> events;
  std::unique_ptr<ClientCore> core;

  Harness() {
    ClientOptions o = fake.Options();
    o.trace = [this](const TraceEvent& e) { events.push_back(e); };
    core = std::make_unique<ClientCore>(std::move(o));
  }
  Error Fail(Op op, FakeReply reply, CallOptions call = {.max_attempts = 1}) {
    fake.transport->Push(std::move(reply));
    auto r = core->Execute(Call{.op = op, .target = "/probe"}, call);
    EXPECT_FALSE(r) << "expected a failure";
    return r ? Error{} : r.error();
  }
};

// True if `s` holds any 6-byte piece of the key (a truncated key leaks too).
bool HoldsKeyPiece(std::string_view s) {
  const std::string_view key = kTestKey;
  for (size_t i = 0; i + 6 <= key.size(); ++i) {
    if (s.find(key.substr(i, 6)) != std::string_view::npos) return true;
  }
  return false;
}

// Every place a secret could surface for one call: the error line and each trace event.
void ExpectNoKeyAnywhere(const Error& e, const std::vector<TraceEvent>& events) {
  const std::string line = e.ToString();
  EXPECT_FALSE(HoldsKeyPiece(line)) << line;
  EXPECT_FALSE(HoldsKeyPiece(e.rate_limit.reset)) << e.rate_limit.reset;
  for (const auto& ev : events) {
    for (const std::string* s : {&ev.operation, &ev.method, &ev.url, &ev.note}) {
      EXPECT_FALSE(HoldsKeyPiece(*s)) << *s;
    }
  }
}

// ---- the status table -----------------------------------------------------------------------

TEST(StatusTable, MapsEveryDocumentedStatus) {
  EXPECT_EQ(ErrorCodeForStatus(400), ErrorCode::kBadRequest);
  EXPECT_EQ(ErrorCodeForStatus(401), ErrorCode::kUnauthorized);
  EXPECT_EQ(ErrorCodeForStatus(403), ErrorCode::kForbidden);
  EXPECT_EQ(ErrorCodeForStatus(404), ErrorCode::kNotFound);
  EXPECT_EQ(ErrorCodeForStatus(408), ErrorCode::kTimeout);
  EXPECT_EQ(ErrorCodeForStatus(429), ErrorCode::kRateLimited);
  EXPECT_EQ(ErrorCodeForStatus(503), ErrorCode::kUnavailable);
  for (int s : {500, 501, 502, 504, 599}) EXPECT_EQ(ErrorCodeForStatus(s), ErrorCode::kServer) << s;
  for (int s : {0, 100, 302, 304, 418, 422, 600, -1}) {
    EXPECT_EQ(ErrorCodeForStatus(s), ErrorCode::kUnexpectedStatus) << s;
  }
}

TEST(StatusTable, EveryErrorCodeHasADistinctStableName) {
  std::vector<std::string_view> names;
  for (int c = 0; c <= static_cast<int>(ErrorCode::kSignatureMismatch); ++c) {
    auto name = ErrorCodeName(static_cast<ErrorCode>(c));
    EXPECT_NE(name, "unknown") << c;
    for (auto other : names) EXPECT_NE(name, other);
    names.push_back(name);
  }
  EXPECT_EQ(ErrorCodeName(ErrorCode::kForbidden), "forbidden");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kRateLimited), "rate_limited");
}

// ---- messages ---------------------------------------------------------------------------------

TEST(ErrorMapping, JsonMessageIsReadFromTheBody) {
  Harness h;
  auto e = h.Fail(Op::kCatalogueGet, FakeReply::Json(R"({"message":"Bundle not found"})", 400));
  EXPECT_EQ(e.code, ErrorCode::kBadRequest);
  EXPECT_EQ(e.http_status, 400);
  EXPECT_EQ(e.message, "Bundle not found");
  EXPECT_EQ(e.operation, "catalogue.Get");
  EXPECT_EQ(e.ToString(), "catalogue.Get: bad_request (HTTP 400): Bundle not found");
}

TEST(ErrorMapping, ForbiddenKeepsTheServersReasonAlone) {
  Harness h;
  auto e = h.Fail(Op::kEsimsGet, FakeReply::Json(R"({"message":"Unauthorised"})", 403));
  EXPECT_EQ(e.code, ErrorCode::kForbidden);
  EXPECT_EQ(e.message, "Unauthorised");
}

TEST(ErrorMapping, SilentForbiddenExplainsItsThreeMeanings) {
  Harness h;
  auto e = h.Fail(Op::kEsimsGet, FakeReply::Json("", 403));
  EXPECT_EQ(e.code, ErrorCode::kForbidden);
  EXPECT_NE(e.message.find("check the API key"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("inventory"), std::string::npos) << e.message;
}

TEST(ErrorMapping, TextPlainBodyIsKeptAsTheMessage) {
  Harness h;
  FakeReply reply{.status = 401,
                  .body = "Invalid API Key provided\r\n",
                  .headers = {{"Content-Type", "text/plain"}}};
  auto e = h.Fail(Op::kOrdersCreate, reply);
  EXPECT_EQ(e.code, ErrorCode::kUnauthorized);
  EXPECT_EQ(e.message, "Invalid API Key provided");
  EXPECT_EQ(e.operation, "orders.Create");
}

TEST(ErrorMapping, NonObjectJsonAndObjectsWithoutMessageFallBackToTheRawBody) {
  for (const char* body : {R"(["a"])", R"({"error":"x"})", R"({"message":)", R"("text")",
                           "Processing, come back later"}) {
    Harness h;
    EXPECT_EQ(h.Fail(Op::kCatalogueGet, FakeReply::Json(body, 400)).message, body);
  }
}

TEST(ErrorMapping, EmptyBodySaysSo) {
  Harness h;
  FakeReply reply{.status = 503, .body = "", .headers = {{"Content-Type", "text/plain"}}};
  auto e = h.Fail(Op::kOrdersCreate, reply);
  EXPECT_EQ(e.code, ErrorCode::kUnavailable);
  EXPECT_EQ(e.message, "no error message in the response");
}

TEST(ErrorMapping, LongBodiesAreCutTo500Bytes) {
  Harness h;
  auto e = h.Fail(Op::kCatalogueGet, FakeReply::Json(std::string(5000, 'x'), 500));
  EXPECT_EQ(e.message.size(), 500u);
}

TEST(ErrorMapping, RetryAfterAndRateLimitHeadersAreCaptured) {
  Harness h;
  FakeReply reply{.status = 429,
                  .body = R"({"message":"Rate limit exceeded"})",
                  .headers = {{"retry-after", " 7"},
                              {"X-RateLimit-Limit", "10"},
                              {"x-ratelimit-remaining", "0"},
                              {"X-Ratelimit-Cost", "2"},
                              {"X-Ratelimit-Reset", "2026-11-26T21:45:01.000Z"}}};
  auto e = h.Fail(Op::kCatalogueList, reply);
  EXPECT_EQ(e.code, ErrorCode::kRateLimited);
  EXPECT_EQ(e.retry_after, std::chrono::seconds(7));
  EXPECT_EQ(e.rate_limit.limit, 10);
  EXPECT_EQ(e.rate_limit.remaining, 0);
  EXPECT_EQ(e.rate_limit.cost, 2);
  EXPECT_EQ(e.rate_limit.reset, "2026-11-26T21:45:01.000Z");
  EXPECT_EQ(e.ToString(),
            "catalogue.List: rate_limited (HTTP 429): Rate limit exceeded [retry after 7 s]");
}

TEST(ErrorMapping, MalformedRetryAfterIsIgnored) {
  Harness h;
  FakeReply reply{.status = 503, .body = "", .headers = {{"Retry-After", "soon"}}};
  auto e = h.Fail(Op::kCatalogueList, reply);
  EXPECT_FALSE(e.retry_after);
  EXPECT_FALSE(e.rate_limit.limit);
}

TEST(ErrorMapping, AttemptsCountEverySend) {
  Harness h;
  auto e = h.Fail(Op::kCatalogueList, FakeReply::Json("", 502), CallOptions{.max_attempts = 3});
  EXPECT_EQ(e.attempts, 3);
  EXPECT_EQ(e.code, ErrorCode::kServer);
}

TEST(ErrorMapping, TransportErrorsKeepTheirMessageAndNameTheOperation) {
  Harness h;
  auto e = h.Fail(Op::kOrdersCreate, FakeReply::Lost(true, ErrorCode::kTimeout));
  EXPECT_EQ(e.code, ErrorCode::kTimeout);
  EXPECT_EQ(e.http_status, 0);
  EXPECT_EQ(e.operation, "orders.Create");
  EXPECT_EQ(e.message, "fake transport: connection lost");
  EXPECT_EQ(e.ToString(), "orders.Create: timeout: fake transport: connection lost");
}

TEST(ErrorMapping, ErrorsThroughThePublicClientNameTheOperation) {
  FakeClient fake;
  fake.transport->PushJson(R"({"message":"Bundle not found"})", 403);
  Client client(fake.Options());
  auto b = client.catalogue().Get("nope");
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().operation, "catalogue.Get");
  EXPECT_EQ(b.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(b.error().attempts, 1);
}

// ---- secrets ----------------------------------------------------------------------------------

TEST(Secrets, KeyIsSentInTheHeaderButNeverInTheUrl) {
  Harness h;
  h.fake.transport->PushJson("{}");
  ASSERT_TRUE(h.core->Execute(Call{.op = Op::kOrganisationGet, .target = "/organisation"}, {}));
  auto req = h.fake.transport->last();
  EXPECT_EQ(FindHeader(req.headers, "X-API-Key"), kTestKey);  // the control: the key is known
  EXPECT_FALSE(HoldsKeyPiece(req.url));
}

TEST(Secrets, KeyEchoedInAJsonErrorBodyIsRedacted) {
  Harness h;
  auto e =
      h.Fail(Op::kCatalogueList,
             FakeReply::Json(std::string(R"({"message":"Invalid key )") + kTestKey + "\"}", 403));
  EXPECT_NE(e.message.find("Invalid key [REDACTED]"), std::string::npos) << e.message;
  ExpectNoKeyAnywhere(e, h.events);
}

TEST(Secrets, KeyEchoedInATextBodyIsRedactedEvenWhereTruncationCutsIt) {
  for (size_t at : {0u, 480u, 490u, 496u}) {
    SCOPED_TRACE(at);
    Harness h;
    std::string body = std::string(at, '.') + kTestKey + " was rejected";
    FakeReply reply{.status = 401, .body = body, .headers = {{"Content-Type", "text/plain"}}};
    auto e = h.Fail(Op::kOrdersCreate, reply);
    ExpectNoKeyAnywhere(e, h.events);
  }
}

TEST(Secrets, KeyEchoedInHeadersAndRetriedCallsNeverReachesTraces) {
  Harness h;
  FakeReply reply{.status = 503,
                  .body = std::string("processing for ") + kTestKey,
                  .headers = {{"X-Ratelimit-Reset", kTestKey}, {"Retry-After", "1"}}};
  auto e = h.Fail(Op::kCatalogueList, reply, CallOptions{.max_attempts = 3});
  EXPECT_EQ(h.events.size(), 3u);
  ExpectNoKeyAnywhere(e, h.events);
}

TEST(Secrets, DecodeErrorsOfBodiesHoldingTheKeyCanBeRedacted) {
  // GET /organisation returns the key in clear; a malformed body's snippet would show it.
  Harness h;
  for (size_t pad : {0u, 60u, 90u, 97u, 100u}) {
    SCOPED_TRACE(pad);
    std::string body = R"({"x":")" + std::string(pad, 'a') + R"(","apiKey":")" + kTestKey;
    auto decoded = internal::json::DecodeBody<std::vector<std::string>>(body, "organisation.Get");
    ASSERT_FALSE(decoded);
    Error e = decoded.error();
    h.core->Redact(e);
    EXPECT_EQ(e.code, ErrorCode::kDecode);
    ExpectNoKeyAnywhere(e, {});
  }
}

// GET /organisation carries the key in clear: a malformed 2xx body must not quote it.
TEST(Secrets, DecodeErrorThroughThePublicClientDoesNotShowTheKey) {
  FakeClient fake;
  fake.transport->PushJson(std::string(R"({"name":"x","description":")") + kTestKey);
  Client client(fake.Options());
  auto b = client.catalogue().Get("x");
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, ErrorCode::kDecode);
  ExpectNoKeyAnywhere(b.error(), {});
}

TEST(Secrets, ShortKeysAreNotUsedToMaskOrdinaryText) {
  FakeClient fake;
  ClientOptions o = fake.Options();
  o.api_key = "ab";
  ClientCore core(std::move(o));
  EXPECT_EQ(core.Redacted("abc abab"), "abc abab");
}

// ---- FromEnv ----------------------------------------------------------------------------------

using testing::ScopedEnv;

TEST(FromEnv, ReadsTheKeyAndTheBaseUrl) {
  ScopedEnv key("ESIMGO_API_KEY", "env-key-1234");
  ScopedEnv url("ESIMGO_BASE_URL", "http://127.0.0.1:8080/v2.4");
  auto o = ClientOptions::FromEnv();
  ASSERT_TRUE(o) << o.error().ToString();
  EXPECT_EQ(o->api_key, "env-key-1234");
  EXPECT_EQ(o->base_url, "http://127.0.0.1:8080/v2.4");
}

TEST(FromEnv, WithoutABaseUrlUsesTheLiveApi) {
  ScopedEnv key("ESIMGO_API_KEY", "env-key-1234");
  ScopedEnv url("ESIMGO_BASE_URL", nullptr);
  auto o = ClientOptions::FromEnv();
  ASSERT_TRUE(o);
  EXPECT_EQ(o->base_url, kDefaultBaseUrl);
}

TEST(FromEnv, MissingOrEmptyKeyIsAClearInvalidArgument) {
  for (const char* value : {static_cast<const char*>(nullptr), ""}) {
    ScopedEnv key("ESIMGO_API_KEY", value);
    auto o = ClientOptions::FromEnv();
    ASSERT_FALSE(o);
    EXPECT_EQ(o.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(o.error().message.find("ESIMGO_API_KEY is not set"), std::string::npos);
    EXPECT_EQ(o.error().operation, "ClientOptions.FromEnv");
  }
}

TEST(ClientCoreSetup, AKeyWithAControlCharacterIsRefusedBeforeSending) {
  // "key\r\nX-Injected: 1" would otherwise end the X-API-Key header and add one of its own.
  for (const char* key : {"abc\r\nX-Injected: 1", "abc\n", "a\tb", "a\x7f"}) {
    FakeClient fake;
    ClientOptions o = fake.Options();
    o.api_key = key;
    ClientCore core(std::move(o));
    auto r = core.Execute(Call{.op = Op::kNetworksGet, .target = "/networks"}, {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find("control character"), std::string::npos);
    EXPECT_EQ(r.error().ToString().find("abc"), std::string::npos) << "the key is never quoted";
    EXPECT_TRUE(fake.transport->requests().empty());
  }
}

TEST(ClientCoreSetup, TrailingSlashesOfTheBaseUrlAreRemoved) {
  FakeClient fake;
  ClientOptions o = fake.Options();
  o.base_url = "https://api.test/v2.4//";
  ClientCore core(std::move(o));
  fake.transport->PushJson("{}");
  ASSERT_TRUE(core.Execute(Call{.op = Op::kNetworksGet, .target = "/networks"}, {}));
  EXPECT_EQ(fake.transport->last().url, "https://api.test/v2.4/networks");
}

}  // namespace
}  // namespace esimgo
