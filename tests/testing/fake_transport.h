#pragma once
// Test doubles: a transport that records requests and replays scripted responses, and a
// clock that advances instead of sleeping.

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "esimgo/options.h"
#include "esimgo/transport.h"

namespace esimgo::testing {

class FakeClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point Now() override {
    std::lock_guard<std::mutex> l(mu_);
    return now_;
  }
  std::chrono::system_clock::time_point WallNow() override {
    std::lock_guard<std::mutex> l(mu_);
    return wall_ + (now_ - std::chrono::steady_clock::time_point{});
  }
  void Sleep(std::chrono::nanoseconds d) override {
    std::lock_guard<std::mutex> l(mu_);
    sleeps_.push_back(d);
    now_ += d;
  }
  std::vector<std::chrono::nanoseconds> sleeps() {
    std::lock_guard<std::mutex> l(mu_);
    return sleeps_;
  }

 private:
  std::mutex mu_;
  std::chrono::steady_clock::time_point now_{};
  std::chrono::system_clock::time_point wall_ =
      std::chrono::sys_days{std::chrono::year{2026} / 11 / 26};
  std::vector<std::chrono::nanoseconds> sleeps_;
};

// A scripted answer: a response, or a transport error.
struct FakeReply {
  int status = 200;
  std::string body;
  Headers headers = {{"Content-Type", "application/json"}};
  bool transport_error = false;
  bool maybe_sent = true;
  ErrorCode error_code = ErrorCode::kTransport;

  static FakeReply Json(std::string body, int status = 200) {
    return FakeReply{.status = status, .body = std::move(body)};
  }
  static FakeReply Lost(bool maybe_sent = true, ErrorCode code = ErrorCode::kTimeout) {
    return FakeReply{.transport_error = true, .maybe_sent = maybe_sent, .error_code = code};
  }
};

class FakeTransport final : public Transport {
 public:
  // Replies are consumed in order; when they run out, the last one repeats.
  void Push(FakeReply reply) {
    std::lock_guard<std::mutex> l(mu_);
    replies_.push_back(std::move(reply));
  }
  void PushJson(std::string body, int status = 200) {
    Push(FakeReply::Json(std::move(body), status));
  }

  Result<HttpResponse> Send(const HttpRequest& request) override {
    std::lock_guard<std::mutex> l(mu_);
    requests_.push_back(request);
    FakeReply reply = replies_.empty() ? FakeReply::Json("{}") : replies_.front();
    if (replies_.size() > 1) replies_.pop_front();
    if (reply.transport_error) {
      Error e;
      e.code = reply.error_code;
      e.maybe_sent = reply.maybe_sent;
      e.message = "fake transport: connection lost";
      return tl::unexpected(e);
    }
    return HttpResponse{reply.status, reply.headers, reply.body};
  }

  std::vector<HttpRequest> requests() {
    std::lock_guard<std::mutex> l(mu_);
    return requests_;
  }
  HttpRequest last() {
    std::lock_guard<std::mutex> l(mu_);
    return requests_.back();
  }
  size_t count() {
    std::lock_guard<std::mutex> l(mu_);
    return requests_.size();
  }

 private:
  std::mutex mu_;
  std::deque<FakeReply> replies_;
  std::vector<HttpRequest> requests_;
};

inline constexpr const char* kTestKey = "test-key-SECRET-0123456789";
inline constexpr const char* kTestBase = "https://api.test/v2.4";

// A client wired to fakes: no rate limit, no real sleeping, deterministic jitter.
struct FakeClient {
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  ClientOptions Options() const {
    ClientOptions o;
    o.api_key = kTestKey;
    o.base_url = kTestBase;
    o.transport = transport;
    o.clock = clock;
    o.requests_per_second = 0;
    o.jitter_seed = 42;
    return o;
  }
};

// The part of a URL after the base, e.g. "/catalogue?page=1".
inline std::string Target(const HttpRequest& r) {
  std::string base = kTestBase;
  return r.url.rfind(base, 0) == 0 ? r.url.substr(base.size()) : r.url;
}

}  // namespace esimgo::testing
