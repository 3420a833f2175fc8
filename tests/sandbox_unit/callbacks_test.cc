#include "callbacks.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "esimgo/webhook.h"

namespace esimgo::sandbox {
namespace {

using std::chrono::milliseconds;

constexpr std::string_view kKey = "test-api-key-123";

// A callback receiver on 127.0.0.1, port 0: answers with scripted statuses (then 200)
// and records every request it got.
class Receiver {
 public:
  struct Request {
    std::string body;
    Headers headers;
  };

  explicit Receiver(std::deque<int> statuses = {}) : statuses_(std::move(statuses)) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      Request r{.body = req.body};
      for (const auto& [k, v] : req.headers) r.headers.emplace_back(k, v);
      requests_.push_back(std::move(r));
      int status = 200;
      if (!statuses_.empty()) {
        status = statuses_.front();
        statuses_.pop_front();
      }
      res.status = status;
      res.set_content("{}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is a no-op until listen has started; wait for it (no fixed sleep).
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<Request> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::deque<int> statuses_;
  std::vector<Request> requests_;
};

// Collects attempts from the worker thread.
struct Recorder {
  std::mutex mu;
  std::vector<CallbackAttempt> attempts;
  std::vector<milliseconds> delays;

  CallbackSink Sink() {
    return [this](const CallbackAttempt& a) {
      std::lock_guard lock(mu);
      attempts.push_back(a);
    };
  }
  // Records the backoff instead of sleeping.
  CallbackSleeper Sleeper() {
    return [this](milliseconds d) {
      std::lock_guard lock(mu);
      delays.push_back(d);
      return true;
    };
  }
  std::vector<CallbackAttempt> Attempts() {
    std::lock_guard lock(mu);
    return attempts;
  }
  std::vector<milliseconds> Delays() {
    std::lock_guard lock(mu);
    return delays;
  }
};

webhook::Alert UtilisationAlert() {
  return {.alert_type = {webhook::AlertType::kUtilisation, "Utilisation"},
          .iccid = "8944538532008160222",
          .bundle = webhook::AlertBundle{.id = "123456789",
                                         .name = "A_BUNDLE_20GB_30D_EU_U",
                                         .initial_quantity = 20'000'000'000,
                                         .remaining_quantity = 19'000'000'000}};
}

TEST(CallbackDispatcher, V3DeliveryCarriesASignatureThatVerifies) {
  Receiver receiver;
  Recorder rec;
  CallbackDispatcher d({.url = receiver.url(),
                        .version = CallbackVersion::kV3,
                        .api_key = std::string(kKey),
                        .sink = rec.Sink(),
                        .sleep = rec.Sleeper()});
  auto id = d.Enqueue(UtilisationAlert());
  ASSERT_TRUE(id) << id.error().ToString();
  ASSERT_TRUE(d.WaitIdle(milliseconds(10'000)));

  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, webhook::EncodeAlert(UtilisationAlert()));
  EXPECT_EQ(FindHeader(got[0].headers, "Content-Type"), "application/json");
  auto verified = webhook::VerifyRequest(kKey, got[0].headers, got[0].body);
  EXPECT_TRUE(verified) << verified.error().ToString();
  EXPECT_FALSE(webhook::VerifyRequest("another-key", got[0].headers, got[0].body));

  auto attempts = rec.Attempts();
  ASSERT_EQ(attempts.size(), 1u);
  const auto& a = attempts[0];
  EXPECT_EQ(a.delivery_id, *id);
  EXPECT_EQ(a.alert_type, "Utilisation");
  EXPECT_EQ(a.url, receiver.url());
  EXPECT_EQ(a.attempt, 1);
  EXPECT_EQ(a.http_status, 200);
  EXPECT_EQ(a.outcome, AttemptOutcome::kDelivered);
  EXPECT_TRUE(a.error.empty());
  EXPECT_EQ(a.body, got[0].body);
  EXPECT_EQ(a.signature, FindHeader(got[0].headers, "X-Signature-SHA256"));
  EXPECT_GT(a.at.time_since_epoch().count(), 0);
  for (const std::string* field : {&a.alert_type, &a.url, &a.error, &a.signature, &a.body}) {
    EXPECT_EQ(field->find(kKey), std::string::npos);
  }
}

TEST(CallbackDispatcher, V2DeliveryHasNoSignatureHeader) {
  Receiver receiver;
  Recorder rec;
  CallbackDispatcher d({.url = receiver.url(),
                        .version = CallbackVersion::kV2,
                        .api_key = std::string(kKey),
                        .sink = rec.Sink(),
                        .sleep = rec.Sleeper()});
  const std::string body = R"({"alertType":"FirstUse","iccid":89445385320081602221})";
  ASSERT_TRUE(d.Enqueue(body));
  ASSERT_TRUE(d.WaitIdle(milliseconds(10'000)));
  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, body);  // byte for byte
  EXPECT_EQ(FindHeader(got[0].headers, "X-Signature-SHA256"), "");
  auto attempts = rec.Attempts();
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].alert_type, "FirstUse");  // read from the body
  EXPECT_TRUE(attempts[0].signature.empty());
  EXPECT_EQ(attempts[0].version, CallbackVersion::kV2);
}

TEST(CallbackDispatcher, ReceiverFailingTwiceGetsThreeAttemptsWithBackoff) {
  Receiver receiver({500, 503});
  Recorder rec;
  CallbackDispatcher d({.url = receiver.url(),
                        .version = CallbackVersion::kV3,
                        .api_key = std::string(kKey),
                        .retry = {.max_attempts = 5, .initial_backoff = milliseconds(500)},
                        .sink = rec.Sink(),
                        .sleep = rec.Sleeper()});
  ASSERT_TRUE(d.Enqueue(UtilisationAlert()));
  ASSERT_TRUE(d.WaitIdle(milliseconds(10'000)));

  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 3u);
  for (const auto& r : got) {
    EXPECT_EQ(r.body, got[0].body);
    EXPECT_TRUE(webhook::VerifyRequest(kKey, r.headers, r.body));
  }
  auto attempts = rec.Attempts();
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].attempt, 1);
  EXPECT_EQ(attempts[0].http_status, 500);
  EXPECT_EQ(attempts[0].outcome, AttemptOutcome::kWillRetry);
  EXPECT_NE(attempts[0].error.find("500"), std::string::npos);
  EXPECT_EQ(attempts[1].attempt, 2);
  EXPECT_EQ(attempts[1].http_status, 503);
  EXPECT_EQ(attempts[1].outcome, AttemptOutcome::kWillRetry);
  EXPECT_EQ(attempts[2].attempt, 3);
  EXPECT_EQ(attempts[2].http_status, 200);
  EXPECT_EQ(attempts[2].outcome, AttemptOutcome::kDelivered);
  for (const auto& a : attempts) EXPECT_EQ(a.delivery_id, attempts[0].delivery_id);
  EXPECT_EQ(rec.Delays(), (std::vector<milliseconds>{milliseconds(500), milliseconds(1000)}));
}

// A port nothing listens on: bind one without listening, read its number, close it.
// (httplib::Server would leak its listening socket if never started.)
int DeadPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

TEST(CallbackDispatcher, DeadUrlRecordsEveryFailedAttemptThenGivesUp) {
  Recorder rec;
  const std::string url = "http://127.0.0.1:" + std::to_string(DeadPort()) + "/hook";
  CallbackDispatcher d({.url = url,
                        .retry = {.max_attempts = 4,
                                  .initial_backoff = milliseconds(500),
                                  .max_backoff = milliseconds(1500)},
                        .connect_timeout = milliseconds(1000),
                        .sink = rec.Sink(),
                        .sleep = rec.Sleeper()});
  ASSERT_TRUE(d.Enqueue(UtilisationAlert()));
  ASSERT_TRUE(d.WaitIdle(milliseconds(20'000)));
  auto attempts = rec.Attempts();
  ASSERT_EQ(attempts.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(attempts[i].attempt, i + 1);
    EXPECT_EQ(attempts[i].http_status, 0);
    EXPECT_FALSE(attempts[i].error.empty());
    EXPECT_EQ(attempts[i].url, url);
    EXPECT_EQ(attempts[i].outcome, i < 3 ? AttemptOutcome::kWillRetry : AttemptOutcome::kGaveUp);
  }
  EXPECT_NE(attempts[3].error.find("gave up after 4 attempts"), std::string::npos)
      << attempts[3].error;
  // 500, 1000, then capped at 1500.
  EXPECT_EQ(rec.Delays(),
            (std::vector<milliseconds>{milliseconds(500), milliseconds(1000), milliseconds(1500)}));
}

TEST(CallbackDispatcher, StopDrainsQueuedDeliveriesWithinTheGrace) {
  Receiver receiver;
  Recorder rec;
  CallbackDispatcher d({.url = receiver.url(), .sink = rec.Sink(), .sleep = rec.Sleeper()});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(d.Enqueue(UtilisationAlert()));
  d.Stop(milliseconds(10'000));
  EXPECT_EQ(receiver.requests().size(), 3u);
  auto attempts = rec.Attempts();
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].delivery_id + 1, attempts[1].delivery_id);
  for (const auto& a : attempts) EXPECT_EQ(a.outcome, AttemptOutcome::kDelivered);
  EXPECT_EQ(d.pending(), 0u);
  auto late = d.Enqueue(UtilisationAlert());
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kUnavailable);
}

TEST(CallbackDispatcher, StopAbandonsPendingRetriesWithinTheBound) {
  Receiver receiver({500, 500, 500, 500});
  Recorder rec;
  // Real (interruptible) waits with a long backoff: Stop must cut them short.
  CallbackDispatcher d({.url = receiver.url(),
                        .retry = {.max_attempts = 5, .initial_backoff = milliseconds(60'000)},
                        .sink = rec.Sink()});
  ASSERT_TRUE(d.Enqueue(UtilisationAlert()));
  ASSERT_TRUE(d.Enqueue(UtilisationAlert()));
  // The first attempt fails and the worker starts its 60 s backoff; wait for that report.
  while (rec.Attempts().empty()) std::this_thread::yield();
  const auto start = std::chrono::steady_clock::now();
  d.Stop(milliseconds(0));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  auto attempts = rec.Attempts();
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].outcome, AttemptOutcome::kWillRetry);
  EXPECT_EQ(attempts[1].outcome, AttemptOutcome::kAbandoned);  // the retry of alert 1
  EXPECT_EQ(attempts[1].delivery_id, attempts[0].delivery_id);
  EXPECT_EQ(attempts[1].http_status, 0);
  EXPECT_EQ(attempts[2].outcome, AttemptOutcome::kAbandoned);  // alert 2, never sent
  EXPECT_NE(attempts[2].delivery_id, attempts[0].delivery_id);
  EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST(CallbackDispatcher, RejectsMissingAndNonHttpUrls) {
  CallbackDispatcher none({});
  auto r = none.Enqueue(UtilisationAlert());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("no callback URL"), std::string::npos);
  EXPECT_FALSE(none.SetTarget("ftp://example.com/x", CallbackVersion::kV3));
  EXPECT_FALSE(none.SetTarget("http:///nohost", CallbackVersion::kV3));
  EXPECT_TRUE(none.SetTarget("https://example.com", CallbackVersion::kV3));
  EXPECT_TRUE(none.SetTarget("", CallbackVersion::kV2));  // turns callbacks off
  EXPECT_FALSE(none.Enqueue(UtilisationAlert()));
}

TEST(CallbackDispatcher, SetTargetRedirectsLaterAlerts) {
  Receiver first;
  Receiver second;
  Recorder rec;
  CallbackDispatcher d({.url = first.url(), .sink = rec.Sink(), .sleep = rec.Sleeper()});
  ASSERT_TRUE(d.Enqueue(UtilisationAlert()));
  ASSERT_TRUE(d.SetTarget(second.url(), CallbackVersion::kV3));
  ASSERT_TRUE(d.Enqueue(UtilisationAlert()));
  ASSERT_TRUE(d.WaitIdle(milliseconds(10'000)));
  ASSERT_EQ(first.requests().size(), 1u);
  ASSERT_EQ(second.requests().size(), 1u);
  EXPECT_EQ(FindHeader(first.requests()[0].headers, "X-Signature-SHA256"), "");
  EXPECT_NE(FindHeader(second.requests()[0].headers, "X-Signature-SHA256"), "");
}

}  // namespace
}  // namespace esimgo::sandbox
