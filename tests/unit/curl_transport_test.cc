// The libcurl transport against a real cpp-httplib server on 127.0.0.1 (port 0): status,
// headers, binary bodies, timeouts, refused connections and keep-alive.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "esimgo/transport.h"

namespace esimgo {
namespace {

using std::chrono::milliseconds;

// What the server saw of the last request.
struct Seen {
  std::string method;
  std::string path;
  std::string body;
  std::string api_key;
  std::string content_type;
  std::string accept_encoding;
  bool has_accept_encoding = false;
  bool has_expect = false;
  int remote_port = -1;
};

class LoopbackServer {
 public:
  LoopbackServer() {
    server_.Get("/status", [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      res.status = 503;
      res.set_header("Retry-After", "7");
      res.set_header("X-Ratelimit-Remaining", "0");
      res.set_content(R"({"message":"Processing"})", "application/json");
    });
    server_.Post("/echo", [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      res.status = 201;
      res.set_header("X-Ratelimit-Limit", "10");
      res.set_content(req.body, "application/octet-stream");
    });
    auto echo = [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      res.set_content("{\"method\":\"" + req.method + "\"}", "application/json");
    };
    server_.Put("/echo", echo);
    server_.Delete("/echo", echo);
    server_.Get("/binary", [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      std::string bytes;
      for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
      res.set_content(bytes + bytes, "application/zip");
    });
    server_.Get("/json", [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      res.set_content(std::string(20000, ' ') + R"({"ok":true})", "application/json");
    });
    server_.Get("/slow", [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return released_; });  // released by the test, not a sleep
      res.set_content("too late", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~LoopbackServer() {
    Release();
    server_.stop();
    thread_.join();
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  std::string Url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  int port() const { return port_; }
  void Release() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      released_ = true;
    }
    cv_.notify_all();
  }
  Seen last() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_.empty() ? Seen{} : seen_.back();
  }
  std::vector<Seen> all() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

 private:
  void Record(const httplib::Request& req) {
    std::lock_guard<std::mutex> lock(mu_);
    seen_.push_back(Seen{.method = req.method,
                         .path = req.path,
                         .body = req.body,
                         .api_key = req.get_header_value("X-API-Key"),
                         .content_type = req.get_header_value("Content-Type"),
                         .accept_encoding = req.get_header_value("Accept-Encoding"),
                         .has_accept_encoding = req.has_header("Accept-Encoding"),
                         .has_expect = req.has_header("Expect"),
                         .remote_port = req.remote_port});
  }

  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool released_ = false;
  std::vector<Seen> seen_;
};

HttpRequest Get(std::string url) {
  return HttpRequest{.method = "GET",
                     .url = std::move(url),
                     .headers = {{"X-API-Key", "loopback-key"}, {"Accept", "application/json"}},
                     .timeout = milliseconds(5000)};
}

// A port that certainly refuses connections: bound by us, then closed.
int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST(CurlTransport, ReturnsStatusHeadersAndBodyOfNon2xxAnswers) {
  LoopbackServer server;
  auto transport = MakeCurlTransport();
  auto r = transport->Send(Get(server.Url("/status")));
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->status, 503);  // an HTTP answer, mapped later by the client
  EXPECT_EQ(r->body, R"({"message":"Processing"})");
  EXPECT_EQ(FindHeader(r->headers, "retry-after"), "7");
  EXPECT_EQ(FindHeader(r->headers, "X-RateLimit-Remaining"), "0");
  EXPECT_EQ(FindHeader(r->headers, "Content-Type"), "application/json");
  auto seen = server.last();
  EXPECT_EQ(seen.method, "GET");
  EXPECT_EQ(seen.path, "/status");
  EXPECT_EQ(seen.api_key, "loopback-key");
}

TEST(CurlTransport, SendsMethodBodyAndHeadersUnchanged) {
  LoopbackServer server;
  auto transport = MakeCurlTransport();
  std::string body = R"({"type":"validate","order":[{"item":"esim_1GB_7D_GB_V2","quantity":1}]})";
  body += std::string(300'000, ' ');  // large enough that curl would otherwise send Expect
  HttpRequest req = Get(server.Url("/echo"));
  req.method = "POST";
  req.body = body;
  req.headers.emplace_back("Content-Type", "application/json");
  auto r = transport->Send(req);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, body);
  EXPECT_EQ(FindHeader(r->headers, "X-Ratelimit-Limit"), "10");
  auto seen = server.last();
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.body, body);
  EXPECT_EQ(seen.content_type, "application/json");
  EXPECT_FALSE(seen.has_expect);

  for (const char* method : {"PUT", "DELETE"}) {
    HttpRequest other = Get(server.Url("/echo"));
    other.method = method;
    auto o = transport->Send(other);
    ASSERT_TRUE(o) << o.error().ToString();
    EXPECT_EQ(o->body, std::string("{\"method\":\"") + method + "\"}");
    EXPECT_EQ(server.last().method, method);
    EXPECT_EQ(server.last().body, "");
  }
}

TEST(CurlTransport, AsksALoopbackServerForNoCompression) {
  // Compressing on loopback only burns CPU on both ends (the sandbox's brotli at quality 11
  // once made a 1000-bundle page 25x slower); remote hosts get libcurl's full list.
  LoopbackServer server;
  auto transport = MakeCurlTransport();
  auto r = transport->Send(Get(server.Url("/binary")));
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_FALSE(server.last().has_accept_encoding) << server.last().accept_encoding;
}

TEST(CurlTransport, BinaryBodiesSurviveIntact) {
  LoopbackServer server;
  auto transport = MakeCurlTransport();
  auto r = transport->Send(Get(server.Url("/binary")));
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->body.size(), 512u);
  for (size_t i = 0; i < r->body.size(); ++i) {
    ASSERT_EQ(static_cast<unsigned char>(r->body[i]), i % 256) << "byte " << i;
  }
}

TEST(CurlTransport, CompressedJsonIsDecoded) {
  LoopbackServer server;
  auto transport = MakeCurlTransport();
  auto r = transport->Send(Get(server.Url("/json")));
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->body, std::string(20000, ' ') + R"({"ok":true})");
}

TEST(CurlTransport, TimeoutAfterSendingIsKTimeoutAndMaybeSent) {
  LoopbackServer server;
  auto transport = MakeCurlTransport();
  HttpRequest req = Get(server.Url("/slow"));
  req.timeout = milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  auto r = transport->Send(req);
  const auto took = std::chrono::steady_clock::now() - start;
  server.Release();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kTimeout);
  EXPECT_TRUE(r.error().maybe_sent) << r.error().message;
  EXPECT_EQ(r.error().http_status, 0);
  EXPECT_LT(took, std::chrono::seconds(4));
  EXPECT_EQ(server.last().path, "/slow");  // it did arrive: retrying could act twice
}

TEST(CurlTransport, ConnectionRefusedIsKTransportAndCertainlyNotSent) {
  auto transport = MakeCurlTransport();
  const int port = ClosedPort();
  HttpRequest req = Get("http://127.0.0.1:" + std::to_string(port) + "/orders");
  req.method = "POST";
  req.body = "{}";
  auto r = transport->Send(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kTransport);
  EXPECT_FALSE(r.error().maybe_sent);
  EXPECT_NE(r.error().message.find("request not sent"), std::string::npos) << r.error().message;
}

TEST(CurlTransport, KeepAliveReusesTheConnectionAcrossCalls) {
  LoopbackServer server;
  auto transport = MakeCurlTransport();
  for (int i = 0; i < 3; ++i) {
    auto r = transport->Send(Get(server.Url("/status")));
    ASSERT_TRUE(r) << r.error().ToString();
  }
  auto seen = server.all();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_GT(seen[0].remote_port, 0);
  EXPECT_EQ(seen[1].remote_port, seen[0].remote_port);
  EXPECT_EQ(seen[2].remote_port, seen[0].remote_port);
}

TEST(CurlTransport, StateChangingRequestsNeverRideAReusedConnection) {
  // libcurl would silently re-send a request on a fresh connection if a reused one died
  // before answering; for a POST /orders that could be a second order. So every non-GET
  // request opens its own connection.
  LoopbackServer server;
  auto transport = MakeCurlTransport();
  ASSERT_TRUE(transport->Send(Get(server.Url("/status"))));
  for (const char* method : {"POST", "DELETE", "POST"}) {
    HttpRequest req = Get(server.Url("/echo"));
    req.method = method;
    req.body = "{}";
    auto r = transport->Send(req);
    ASSERT_TRUE(r) << r.error().ToString();
  }
  auto seen = server.all();
  ASSERT_EQ(seen.size(), 4u);
  for (size_t i = 1; i < seen.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      EXPECT_NE(seen[i].remote_port, seen[j].remote_port) << i << " reused " << j;
    }
  }
}

TEST(CurlTransport, IsSafeToShareBetweenThreads) {
  LoopbackServer server;
  auto transport = MakeCurlTransport();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        auto r = transport->Send(Get(server.Url("/binary")));
        if (r && r->status == 200 && r->body.size() == 512) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 20);
}

}  // namespace
}  // namespace esimgo
