// `esimgo callbacks listen` under slow and abusive clients (issue 8 items 4 and 5): the real
// binary, started as a process on port 0, keeps acknowledging signed callbacks at once while 200
// connections trickle their headers, refuses oversized chunked bodies as they arrive, and
// answers a POST without a length at once.

#include <algorithm>

#include "../hostile/raw_http.h"
#include "cli_fixture.h"

namespace esimgo_cli_test {
namespace {

using esimgo::hostile::Chunked;
using esimgo::hostile::RawConn;
using esimgo::hostile::RawResponse;
using std::chrono::milliseconds;

long RssKib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

class Receiver : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = home_.path() / "events.db";
    pid_ = Spawn({"--api-key", kKey, "-o", "json", "callbacks", "listen", "--port", "0", "--store",
                  store_.string(), "--require-signature"},
                 BaseEnv(home_.path()), home_.path(), "listen");
    std::string err = WaitFor(home_.path() / "listen.err", "listening on http://");
    auto at = err.find("http://127.0.0.1:");
    ASSERT_NE(at, std::string::npos) << err;
    port_ = std::stoi(err.substr(at + 17));
  }
  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      EXPECT_EQ(WaitExit(pid_), 0) << ReadFile(home_.path() / "listen.err");
    }
  }

  std::string Signed(const std::string& body, const std::vector<std::string>& framing) {
    std::string req =
        "POST /callback HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
        "application/json\r\nX-Signature-SHA256: " +
        esimgo::webhook::ComputeSignature(kKey, body) + "\r\n";
    for (const auto& f : framing) req += f + "\r\n";
    return req + "\r\n";
  }

  TempDir home_;
  fs::path store_;
  pid_t pid_ = -1;
  int port_ = 0;
};

TEST_F(Receiver, SignedCallbacksAreAcknowledgedAtOnceWhileTwoHundredSlowClientsHangOn) {
  std::vector<RawConn> slow;
  for (int i = 0; i < 200; ++i) {
    std::string source = "127.0.2." + std::to_string(i + 1);
    slow.emplace_back(port_, source.c_str());
    ASSERT_TRUE(slow.back().ok()) << source;
    slow.back().Send("POST /callback HTTP/1.1\r\nHost: x\r\nX-Slow: ");
  }
  std::this_thread::sleep_for(milliseconds(200));
  std::vector<milliseconds> took;
  for (int i = 0; i < 20; ++i) {
    for (auto& s : slow) s.Send("a");  // one header byte at a time, never finished
    std::string body = R"({"alertType":"Utilisation","iccid":"8944000000000000)" +
                       std::to_string(100 + i) + R"("})";
    RawConn c(port_);
    auto start = std::chrono::steady_clock::now();
    c.Send(Signed(body, {"Content-Length: " + std::to_string(body.size())}) + body);
    RawResponse r = c.Read(milliseconds(5000));
    took.push_back(
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start));
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("stored"), std::string::npos) << r.body;
  }
  std::sort(took.begin(), took.end());
  // The bar is 100 ms per callback (each is an fsync'ed SQLite insert); the 90th percentile is
  // held to it and every one to 5x, as this 2-core machine is shared with builds.
  EXPECT_LE(took[17], milliseconds(100)) << "p90 " << took[17].count() << " ms";
  EXPECT_LE(took.back(), milliseconds(500)) << "max " << took.back().count() << " ms";
  EXPECT_EQ(CountStored(store_), 20);
}

TEST_F(Receiver, AChunkedBodyOverTheLimitIsRefusedAsItArrives) {
  // It used to buffer 128 MiB before its 413.
  std::string body = R"({"alertType":"x","pad":")" + std::string(1 << 20, 'p') + "\"}";
  // Growth, not the absolute size: under ASan the receiver starts at a few hundred MiB.
  const long rss_before = RssKib(pid_);
  RawConn c(port_);
  c.Send(Signed(body, {"Transfer-Encoding: chunked"}));
  size_t sent = 0;
  std::string chunk = Chunked(std::string(16 << 10, 'p')).substr(0, (16 << 10) + 8);
  while (sent < (256u << 20) && c.Send(chunk)) sent += chunk.size();
  // The kernel's loopback buffers take tens of MiB (tcp_rmem allows 32 MiB here) before a send
  // fails; what matters is that the send fails at all and that the receiver did not keep it.
  EXPECT_LT(sent, 128u << 20) << "the receiver kept reading";
#if !defined(__SANITIZE_ADDRESS__)
  // Not under ASan: its shadow memory and quarantine grew the receiver by ~140 MiB here without
  // any body being kept, so RSS proves nothing there (the `sent` bound above still does).
  EXPECT_LT(RssKib(pid_) - rss_before, 64 * 1024) << "the receiver buffered the body";
#else
  (void)rss_before;
#endif
  EXPECT_EQ(CountStored(store_), 0);

  RawConn small(port_);
  small.Send(Signed(body, {"Transfer-Encoding: chunked"}) + Chunked(body, 8192));
  RawResponse r = small.Read(milliseconds(5000));
  EXPECT_EQ(r.status, 413) << r.body;
}

TEST_F(Receiver, APostWithoutALengthIsAnsweredAtOnce) {
  RawConn c(port_);
  c.Send("POST /callback HTTP/1.1\r\nHost: x\r\n\r\n");
  RawResponse r = c.Read(milliseconds(3000));
  EXPECT_EQ(r.status, 401) << r.body;  // an empty body carries no valid signature
  EXPECT_LT(r.elapsed, milliseconds(1000));
}

}  // namespace
}  // namespace esimgo_cli_test
