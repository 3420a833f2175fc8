// Sandbox::InProcessTransport: the same routes, middleware and answers as over HTTP. Each
// request goes to one sandbox twice, once over loopback HTTP (libcurl) and once in process,
// and the two answers must agree; then what only the in-process path has (no socket, stop).

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "esimgo/client.h"
#include "esimgo/sandbox/sandbox.h"
#include "esimgo/transport.h"
#include "sandbox_fixture.h"

namespace esimgo {
namespace {

using testing::kSandboxKey;
using testing::StartSandbox;

// The parts of an answer a client can rely on (the server adds Date, Keep-Alive and the like
// over HTTP only).
struct Answer {
  int status = 0;
  std::string content_type;
  std::string body;
  std::string retry_after;
  std::string rate_limit;
  std::string rate_cost;
  bool has_rate_reset = false;
};

Answer Of(const HttpResponse& r) {
  return {.status = r.status,
          .content_type = std::string(FindHeader(r.headers, "Content-Type")),
          .body = r.body,
          .retry_after = std::string(FindHeader(r.headers, "Retry-After")),
          .rate_limit = std::string(FindHeader(r.headers, "X-Ratelimit-Limit")),
          .rate_cost = std::string(FindHeader(r.headers, "X-Ratelimit-Cost")),
          .has_rate_reset = !FindHeader(r.headers, "X-Ratelimit-Reset").empty()};
}

class InProcess : public ::testing::Test {
 protected:
  void Start(sandbox::SandboxOptions o) {
    sandbox_ = StartSandbox(std::move(o));
    ASSERT_NE(sandbox_, nullptr);
    root_ = sandbox_->base_url().substr(0, sandbox_->base_url().rfind('/'));
    http_ = MakeCurlTransport();
    in_process_ = sandbox_->InProcessTransport();
  }

  HttpRequest Request(std::string method, const std::string& path, std::string body = {},
                      std::string key = kSandboxKey) const {
    HttpRequest r{.method = std::move(method), .url = root_ + path, .body = std::move(body)};
    if (!key.empty()) r.headers.emplace_back("X-API-Key", key);
    r.headers.emplace_back("Accept", "application/json");
    if (!r.body.empty()) r.headers.emplace_back("Content-Type", "application/json");
    r.timeout = std::chrono::milliseconds(10'000);
    return r;
  }

  // Sends `r` over HTTP, then in process, and expects the same answer; returns it.
  Answer Both(const HttpRequest& r) {
    auto over_http = http_->Send(r);
    auto direct = in_process_->Send(r);
    EXPECT_TRUE(over_http) << r.method << " " << r.url << ": " << over_http.error().message;
    EXPECT_TRUE(direct) << r.method << " " << r.url << ": " << direct.error().message;
    if (!over_http || !direct) return {};
    Answer a = Of(*over_http);
    Answer b = Of(*direct);
    EXPECT_EQ(a.status, b.status) << r.method << " " << r.url;
    EXPECT_EQ(a.content_type, b.content_type) << r.method << " " << r.url;
    EXPECT_EQ(a.body, b.body) << r.method << " " << r.url;
    EXPECT_EQ(a.retry_after, b.retry_after) << r.method << " " << r.url;
    EXPECT_EQ(a.rate_limit, b.rate_limit) << r.method << " " << r.url;
    EXPECT_EQ(a.rate_cost, b.rate_cost) << r.method << " " << r.url;
    EXPECT_EQ(a.has_rate_reset, b.has_rate_reset) << r.method << " " << r.url;
    return b;
  }

  std::unique_ptr<sandbox::Sandbox> sandbox_;
  std::string root_;  // the base URL without /v2.4
  std::shared_ptr<Transport> http_;
  std::shared_ptr<Transport> in_process_;
};

TEST_F(InProcess, ReadsAnswerExactlyAsOverHttp) {
  Start({.rate_limit = 0});
  EXPECT_EQ(Both(Request("GET", "/v2.4/catalogue/bundle/esim_1GB_7D_GB_V2")).status, 200);
  EXPECT_EQ(Both(Request("GET", "/v2.5/catalogue/bundle/esim_1GB_7D_GB_V2")).status, 200);
  // Query decoding: a comma list with a space, an encoded comma, '+' as a space.
  Answer page = Both(Request("GET", "/v2.4/catalogue?perPage=3&page=2&countries=GB,%20FR"));
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("\"pageSize\":3"), std::string::npos) << page.body;
  EXPECT_EQ(Both(Request("GET", "/v2.4/catalogue?description=1GB+7+Days&perPage=2")).status, 200);
  EXPECT_EQ(Both(Request("GET", "/v2.4/organisation")).status, 200);
  EXPECT_EQ(Both(Request("GET", "/v2.4/networks?countries=GB")).status, 200);
  // A percent-encoded path segment is decoded before the route sees it.
  EXPECT_EQ(Both(Request("GET", "/v2.4/catalogue/bundle/esim%5F1GB%5F7D%5FGB%5FV2")).status, 200);
}

TEST_F(InProcess, ErrorsAnswerExactlyAsOverHttp) {
  Start({.rate_limit = 0});
  // A bundle that does not exist: eSIM Go's 403 with the sandbox's message.
  EXPECT_EQ(Both(Request("GET", "/v2.4/catalogue/bundle/esim_NOPE")).status, 403);
  // No such route: 404 naming the path.
  Answer none = Both(Request("GET", "/v2.4/no/such/operation"));
  EXPECT_EQ(none.status, 404);
  EXPECT_NE(none.body.find("no such operation"), std::string::npos) << none.body;
  // An eSIM that does not exist.
  EXPECT_EQ(Both(Request("GET", "/v2.4/esims/89440000000000000000")).status / 100, 4);
  // A v2.5-only operation under /v2.4.
  EXPECT_EQ(Both(Request("PUT", "/v2.4/esims/89440000000000000000/suspend")).status, 404);
  // Bad JSON in a body.
  EXPECT_EQ(Both(Request("POST", "/v2.4/orders", "{not json")).status, 400);
}

TEST_F(InProcess, AuthFailuresAnswerExactlyAsOverHttp) {
  Start({.rate_limit = 0});
  Answer bad = Both(Request("GET", "/v2.4/organisation", {}, "wrong-key"));
  EXPECT_EQ(bad.status, 403);
  EXPECT_EQ(Both(Request("GET", "/v2.4/organisation", {}, "")).status, 403);
  // POST /orders answers a bad key with 401 text/plain, as live.
  Answer order = Both(Request("POST", "/v2.4/orders",
                              R"({"type":"validate","order":[{"type":"bundle","quantity":1,)"
                              R"("item":"esim_1GB_7D_GB_V2"}]})",
                              "wrong-key"));
  EXPECT_EQ(order.status, 401);
  EXPECT_EQ(order.content_type.rfind("text/plain", 0), 0u) << order.content_type;
}

TEST_F(InProcess, InjectedFaultsAnswerExactlyAsOverHttp) {
  // Each rule hits twice: once over HTTP, once in process.
  Start({.rate_limit = 0,
         .faults = "GET /organisation=429-7:2,GET /networks=503-3:2,GET /esims=500:2"});
  Answer limited = Both(Request("GET", "/v2.4/organisation"));
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.retry_after, "7");
  Answer busy = Both(Request("GET", "/v2.4/networks"));
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(busy.retry_after, "3");
  EXPECT_EQ(Both(Request("GET", "/v2.4/esims")).status, 500);
  // Used up: both paths consumed the same rules.
  EXPECT_EQ(Both(Request("GET", "/v2.4/organisation")).status, 200);
}

TEST_F(InProcess, ADroppedConnectionIsATransportFailureThatMayHaveBeenSent) {
  Start({.rate_limit = 0, .faults = "GET /organisation=drop:2"});
  auto over_http = http_->Send(Request("GET", "/v2.4/organisation"));
  auto direct = in_process_->Send(Request("GET", "/v2.4/organisation"));
  ASSERT_FALSE(over_http);
  ASSERT_FALSE(direct);
  EXPECT_EQ(direct.error().code, over_http.error().code);
  EXPECT_EQ(direct.error().code, ErrorCode::kTransport);
  EXPECT_TRUE(direct.error().maybe_sent);
  EXPECT_TRUE(over_http.error().maybe_sent);
}

TEST_F(InProcess, ALatencyFaultBeyondTheTimeoutIsATimeout) {
  Start({.rate_limit = 0, .faults = "GET /organisation=latency-300:1"});
  HttpRequest r = Request("GET", "/v2.4/organisation");
  r.timeout = std::chrono::milliseconds(50);
  auto direct = in_process_->Send(r);
  ASSERT_FALSE(direct);
  EXPECT_EQ(direct.error().code, ErrorCode::kTimeout);
  EXPECT_TRUE(direct.error().maybe_sent);
}

TEST_F(InProcess, TheRateLimitCountsInProcessRequestsLikeLocalHttpOnes) {
  // One request a second from 127.0.0.1: of three requests sent at once (they span at most two
  // one-second windows) at least one is over the limit, with the live answer and headers.
  Start({.rate_limit = 1});
  int limited = 0;
  for (int i = 0; i < 3; ++i) {
    auto r = in_process_->Send(Request("GET", "/v2.4/organisation"));
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(FindHeader(r->headers, "X-Ratelimit-Limit"), "1");
    EXPECT_EQ(FindHeader(r->headers, "X-Ratelimit-Cost"), "1");
    EXPECT_FALSE(FindHeader(r->headers, "X-Ratelimit-Reset").empty());
    if (r->status == 429) {
      ++limited;
      EXPECT_EQ(FindHeader(r->headers, "Retry-After"), "1");
      EXPECT_EQ(FindHeader(r->headers, "X-Ratelimit-Remaining"), "0");
      EXPECT_NE(r->body.find("Rate limit exceeded"), std::string::npos) << r->body;
    }
  }
  EXPECT_GE(limited, 1);
  // Admin routes are not limited, in process either.
  auto admin = in_process_->Send(Request("GET", "/_sandbox/faults"));
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->status, 200);
}

TEST_F(InProcess, ABodyOverTheLimitIs413AsOverHttp) {
  Start({.rate_limit = 0});
  Answer big = Both(Request("POST", "/v2.4/orders", std::string((1 << 20) + 1, 'x')));
  EXPECT_EQ(big.status, 413);
}

TEST(InProcessOnly, ASandboxWithoutASocketServesTheSdkThroughItsTransport) {
  auto started = sandbox::Sandbox::Start(
      {.api_key = kSandboxKey, .rate_limit = 0, .seed = 7, .listen = false});
  ASSERT_TRUE(started) << started.error().message;
  auto& sb = *started;
  EXPECT_EQ(sb->port(), 0);
  EXPECT_EQ(sb->base_url(), "http://in-process.invalid/v2.4");
  ClientOptions o{.api_key = kSandboxKey,
                  .base_url = sb->base_url(),
                  .requests_per_second = 0,
                  .transport = sb->InProcessTransport()};
  Client client(std::move(o));
  auto bundle = client.catalogue().Get("esim_1GB_7D_GB_V2");
  ASSERT_TRUE(bundle) << bundle.error().message;
  EXPECT_EQ(bundle->name, "esim_1GB_7D_GB_V2");
  auto missing = client.catalogue().Get("esim_NOPE");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().http_status, 403);
  // A listing after a lone lookup sees the whole catalogue (and the same bundle).
  auto page = client.catalogue().List({.per_page = 5, .countries = {"GB"}});
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->bundles.size(), 5u);
  // A wrong key is refused in process too.
  ClientOptions bad{.api_key = "wrong",
                    .base_url = sb->base_url(),
                    .requests_per_second = 0,
                    .transport = sb->InProcessTransport()};
  auto refused = Client(std::move(bad)).organisation().Get();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(refused.error().reason, ErrorReason::kInvalidKey);

  // After Stop the transport fails without reaching the sandbox.
  auto transport = sb->InProcessTransport();
  sb->Stop();
  auto after = transport->Send({.url = "http://in-process.invalid/v2.4/organisation"});
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, ErrorCode::kTransport);
  EXPECT_FALSE(after.error().maybe_sent);
}

TEST(InProcessOnly, ALoneBundleLookupAnswersWhatTheFullCatalogueAnswers) {
  // Two sandboxes in one process share the parsed rate sheet: compare a cold lookup's answer
  // with the same bundle taken from a catalogue page.
  auto started =
      sandbox::Sandbox::Start({.api_key = kSandboxKey, .rate_limit = 0, .listen = false});
  ASSERT_TRUE(started) << started.error().message;
  auto transport = (*started)->InProcessTransport();
  HttpRequest show{.url = "http://in-process.invalid/v2.4/catalogue/bundle/esim_1GB_7D_GB_V2",
                   .headers = {{"X-API-Key", kSandboxKey}}};
  auto one = transport->Send(show);
  ASSERT_TRUE(one);
  ASSERT_EQ(one->status, 200);
  HttpRequest list{.url = "http://in-process.invalid/v2.4/catalogue?perPage=1000&countries=GB",
                   .headers = {{"X-API-Key", kSandboxKey}}};
  auto page = transport->Send(list);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  auto again = transport->Send(show);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body, one->body);
}

}  // namespace
}  // namespace esimgo
