#pragma once
// An in-process sandbox on a loopback port plus an SDK client pointed at it, and a tiny
// callback receiver. Every test gets a fresh in-memory sandbox unless it asks otherwise.

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "esimgo/client.h"
#include "esimgo/sandbox/sandbox.h"

namespace esimgo::testing {

inline constexpr char kSandboxKey[] = "it-key-1234";

inline std::unique_ptr<sandbox::Sandbox> StartSandbox(sandbox::SandboxOptions o = {}) {
  if (o.api_key == "sandbox-key") o.api_key = kSandboxKey;
  if (o.seed == 0) o.seed = 42;
  auto s = sandbox::Sandbox::Start(std::move(o));
  if (!s) {
    ADD_FAILURE() << "sandbox did not start: " << s.error().message;
    return nullptr;
  }
  return std::move(*s);
}

inline Client MakeClient(const std::string& base_url, std::string key = kSandboxKey) {
  ClientOptions o;
  o.api_key = std::move(key);
  o.base_url = base_url;
  o.requests_per_second = 0;
  o.timeout = std::chrono::milliseconds(10'000);
  o.retry.initial_backoff = std::chrono::milliseconds(10);
  o.retry.max_backoff = std::chrono::milliseconds(50);
  return Client(std::move(o));
}

// Raw HTTP against the sandbox for what the SDK does not expose (admin, headers).
struct Raw {
  explicit Raw(int port, std::string key = kSandboxKey)
      : client("127.0.0.1", port), key(std::move(key)) {
    client.set_read_timeout(10);
  }
  httplib::Result Get(const std::string& path, httplib::Headers h = {}) {
    if (!key.empty()) h.emplace("X-API-Key", key);
    return client.Get(path.c_str(), h);
  }
  httplib::Result Post(const std::string& path, const std::string& body, httplib::Headers h = {}) {
    if (!key.empty()) h.emplace("X-API-Key", key);
    return client.Post(path.c_str(), h, body, "application/json");
  }
  httplib::Client client;
  std::string key;
};

class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({.rate_limit = 0}); }
  void Start(sandbox::SandboxOptions o) {
    sb = StartSandbox(std::move(o));
    ASSERT_NE(sb, nullptr);
    client = std::make_unique<Client>(MakeClient(sb->base_url()));
    raw = std::make_unique<Raw>(sb->port());
  }
  std::unique_ptr<sandbox::Sandbox> sb;
  std::unique_ptr<Client> client;
  std::unique_ptr<Raw> raw;
};

// Receives callbacks on a loopback port; keeps raw bodies and signature headers.
class Receiver {
 public:
  struct Hit {
    std::string body;
    std::string signature;
  };
  Receiver() {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard lock(mu_);
        hits_.push_back({req.body, req.get_header_value("X-Signature-SHA256")});
      }
      cv_.notify_all();
      res.set_content("{}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  // Waits until at least `n` callbacks arrived (or 10 s passed).
  std::vector<Hit> WaitFor(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return hits_.size() >= n; });
    return hits_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Hit> hits_;
};

}  // namespace esimgo::testing
