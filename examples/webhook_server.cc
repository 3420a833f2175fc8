// Receive eSIM Go's usage callbacks inside your own HTTP server (cpp-httplib): verify the
// signature, parse the alert, and drop the duplicates that retried deliveries produce.
//
//   webhook_server [--port 8080]
//
// With ESIMGO_API_KEY set it listens on --port until stopped (Ctrl-C); point the organisation's
// callback URL (eSIM Go portal, callback version 3 = signed) at
// http(s)://HOST:PORT/esimgo/callbacks. Without it, it starts an in-process sandbox that delivers
// signed callbacks to this server, buys an eSIM there, uses data, replays one delivery and sends
// one forged body, then stops.

#include <httplib.h>
#include <openssl/evp.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "esimgo/esimgo.h"
#include "esimgo/sandbox/sandbox.h"
#include "esimgo/webhook.h"

namespace {

using Clock = std::chrono::steady_clock;

// eSIM Go's callbacks carry no event ID, so a retried delivery is recognised by its bytes:
// the key is SHA-256 of the raw body, remembered for a window longer than eSIM Go retries.
std::string Sha256(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

// The part of your server that takes eSIM Go's POSTs. Thread-safe: cpp-httplib calls the
// handler from several worker threads.
class CallbackReceiver {
 public:
  // What the receiver has seen so far.
  struct Counts {
    int handled = 0;     // verified, new, handled
    int duplicates = 0;  // verified, seen before: answered 200, not handled again
    int rejected = 0;    // bad or missing signature: 401
    int malformed = 0;   // signed but not readable: logged, 200
  };

  explicit CallbackReceiver(std::string api_key,
                            Clock::duration dedupe_window = std::chrono::hours(6))
      : api_key_(std::move(api_key)), window_(dedupe_window) {}

  // Answers one delivery. A 2xx tells eSIM Go to stop retrying, so it is sent only once the
  // alert is handled (or known to be a duplicate).
  void Handle(const httplib::Request& req, httplib::Response& res) {
    esimgo::Headers headers(req.headers.begin(), req.headers.end());
    // Verify before anything else, on the raw bytes: never parse or store an unsigned body.
    auto alert = esimgo::webhook::ConstructAlert(api_key_, headers, req.body);
    if (!alert && alert.error().code == esimgo::ErrorCode::kSignatureMismatch) {
      std::printf("refused (401): %s\n", alert.error().message.c_str());
      res.status = 401;
      CountAndNotify(&Counts::rejected);
      return;
    }
    if (!alert) {
      // Signed, so it is eSIM Go's, but not an alert this SDK can read. A retry would bring the
      // same bytes: keep the raw body to look at (here: log it) and answer 2xx.
      std::printf("unreadable signed callback (%s): %s\n", alert.error().message.c_str(),
                  req.body.c_str());
      res.status = 200;
      CountAndNotify(&Counts::malformed);
      return;
    }
    const std::string key = Sha256(req.body);
    {
      std::lock_guard lock(mu_);
      Forget(Clock::now());
      // Claimed before handling, so two concurrent deliveries of the same bytes are handled
      // once. If your handling fails, erase the key and answer 500: eSIM Go will retry.
      if (!seen_.emplace(key, Clock::now()).second) {
        std::printf("duplicate %s for %s: already handled\n",
                    std::string(esimgo::webhook::AlertTypeName(alert->alert_type.value)).c_str(),
                    alert->iccid.c_str());
        res.status = 200;
        ++counts_.duplicates;
        cv_.notify_all();
        return;
      }
    }
    OnAlert(*alert);  // your business logic
    {
      std::lock_guard lock(mu_);
      last_body_ = req.body;
      last_signature_ = req.get_header_value(std::string(esimgo::webhook::kSignatureHeader));
      ++counts_.handled;
    }
    cv_.notify_all();
    res.status = 200;
  }

  Counts counts() const {
    std::lock_guard lock(mu_);
    return counts_;
  }
  // Waits (at most `timeout`) until `done(counts)` holds. For the demo below.
  template <class Pred>
  bool WaitUntil(Pred done, std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return done(counts_); });
  }
  // The last delivery handled: its body and signature, to replay it in the demo.
  std::pair<std::string, std::string> LastDelivery() const {
    std::lock_guard lock(mu_);
    return {last_body_, last_signature_};
  }

 private:
  static void OnAlert(const esimgo::webhook::Alert& alert) {
    using esimgo::webhook::AlertType;
    const std::string type(esimgo::webhook::AlertTypeName(alert.alert_type.value));
    switch (alert.alert_type.value) {
      case AlertType::kUtilisation:
      case AlertType::kFirstUse:
        if (alert.bundle) {
          std::printf("%s: eSIM %s, bundle %s, %s left of %s\n", type.c_str(), alert.iccid.c_str(),
                      alert.bundle->name.c_str(),
                      esimgo::FormatBytes(alert.bundle->remaining_quantity).c_str(),
                      esimgo::FormatBytes(alert.bundle->initial_quantity).c_str());
          break;
        }
        [[fallthrough]];
      default:
        // Unknown types are kept, not refused: eSIM Go adds new ones.
        std::printf("%s: eSIM %s\n", type.empty() ? alert.alert_type.raw.c_str() : type.c_str(),
                    alert.iccid.c_str());
    }
  }
  void CountAndNotify(int Counts::*counter) {
    {
      std::lock_guard lock(mu_);
      ++(counts_.*counter);
    }
    cv_.notify_all();
  }
  // Drops keys older than the window (called under mu_), so memory stays bounded.
  void Forget(Clock::time_point now) {
    for (auto it = seen_.begin(); it != seen_.end();) {
      it = now - it->second > window_ ? seen_.erase(it) : std::next(it);
    }
  }

  const std::string api_key_;
  const Clock::duration window_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  Counts counts_;
  std::map<std::string, Clock::time_point> seen_;
  std::string last_body_, last_signature_;
};

// Demo only: drives the in-process sandbox's admin endpoint (docs/sandbox.md).
bool SandboxAdmin(const esimgo::sandbox::Sandbox& sandbox, const std::string& key,
                  const std::string& path, const std::string& json) {
  auto response = esimgo::MakeCurlTransport()->Send(
      {.method = "POST",
       .url = "http://127.0.0.1:" + std::to_string(sandbox.port()) + path,
       .headers = {{"X-API-Key", key}, {"Content-Type", "application/json"}},
       .body = json});
  return response && response->status == 200;
}

int RunSandboxDemo(httplib::Server& server, CallbackReceiver& receiver, int port,
                   const std::string& key) {
  auto sandbox = esimgo::sandbox::Sandbox::Start(
      {.api_key = key,
       .callback_url = "http://127.0.0.1:" + std::to_string(port) + "/esimgo/callbacks",
       .callback_version = 3});
  if (!sandbox) {
    std::fprintf(stderr, "sandbox: %s\n", sandbox.error().ToString().c_str());
    return 1;
  }
  esimgo::Client client({.api_key = key, .base_url = (*sandbox)->base_url()});
  auto order = client.orders().Create({.assign = true, .order = {{.item = "esim_1GB_7D_GB_V2"}}});
  if (!order || order->order.empty() || order->order[0].iccids.empty()) {
    std::fprintf(stderr, "order: %s\n", order ? "no eSIM" : order.error().ToString().c_str());
    return 1;
  }
  const std::string iccid = order->order[0].iccids[0];
  // 600 MB of the 1 GB.
  if (!SandboxAdmin(**sandbox, key, "/_sandbox/usage",
                    R"({"iccid":")" + iccid + R"(","bytes":600000000})")) {
    std::fprintf(stderr, "could not simulate usage\n");
    return 1;
  }
  // FirstUse, then Utilisation as thresholds are crossed.
  if (!receiver.WaitUntil([](const auto& c) { return c.handled >= 2; }, std::chrono::seconds(10))) {
    std::fprintf(stderr, "expected at least 2 callbacks, got %d\n", receiver.counts().handled);
    return 1;
  }
  // eSIM Go retries a delivery it thinks failed: the same bytes arrive again.
  httplib::Client self("127.0.0.1", port);
  auto [body, signature] = receiver.LastDelivery();
  auto replay =
      self.Post("/esimgo/callbacks", {{"X-Signature-SHA256", signature}}, body, "application/json");
  // Anyone can POST to your URL: a body signed with another key is refused unread.
  auto forged =
      self.Post("/esimgo/callbacks",
                {{"X-Signature-SHA256", esimgo::webhook::ComputeSignature("not-the-key", body)}},
                body, "application/json");
  (*sandbox)->Stop();
  server.stop();
  const auto counts = receiver.counts();
  std::printf("handled %d, duplicates %d, refused %d\n", counts.handled, counts.duplicates,
              counts.rejected);
  return replay && replay->status == 200 && forged && forged->status == 401 &&
                 counts.duplicates == 1 && counts.rejected == 1
             ? 0
             : 1;
}

}  // namespace

int main(int argc, char** argv) {
  int port = 8080;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--port" && i + 1 < argc) {
      port = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: webhook_server [--port 8080]\n");
      return 2;
    }
  }
  const char* env_key = std::getenv("ESIMGO_API_KEY");
  const bool live = env_key != nullptr && *env_key != '\0';
  // V3 callbacks are signed with the organisation's API key.
  const std::string key = live ? env_key : "example-key";

  CallbackReceiver receiver(key);
  httplib::Server server;
  server.set_payload_max_length(64 * 1024);  // a callback is well under 1 KiB
  server.Post("/esimgo/callbacks", [&](const httplib::Request& req, httplib::Response& res) {
    receiver.Handle(req, res);
  });

  if (live) {
    // Plain HTTP: put it behind your TLS-terminating proxy; eSIM Go should call an https URL.
    std::printf("listening on port %d: POST /esimgo/callbacks\n", port);
    return server.listen("0.0.0.0", port) ? 0 : 1;
  }
  const int bound = server.bind_to_any_port("127.0.0.1");
  if (bound <= 0) {
    std::fprintf(stderr, "cannot bind a loopback port\n");
    return 1;
  }
  std::thread listener([&] { server.listen_after_bind(); });
  const int rc = RunSandboxDemo(server, receiver, bound, key);
  server.stop();
  listener.join();
  return rc;
}
