// Watch an eSIM's usage: poll its bundles (GET /esims/{iccid}/bundles) and report what is left
// and each change of state (processing, queued, active, depleted, expired, ...).
//
//   watch_usage [ICCID] [--interval 300]
//
// With ESIMGO_API_KEY set it watches ICCID on the live API, polling every --interval seconds,
// until no bundle is left to use (or Ctrl-C). Reading spends nothing, but the rate limit is
// shared with everything else your account does: poll gently, or use callbacks
// (webhook_server.cc) and poll only to reconcile. Without it, it buys an eSIM with a 1 GB
// bundle in an in-process sandbox and, between polls, the sandbox's usage simulation uses a
// quarter of the data and its clock moves a day forward, until the bundle is depleted.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "esimgo/esimgo.h"
#include "esimgo/sandbox/sandbox.h"

namespace {

using esimgo::BundleState;

// What one poll saw: each assignment (one bundle applied once) by its ID.
struct Seen {
  std::string bundle;
  std::string state;
  int64_t initial = 0;
  int64_t remaining = 0;
};
using Snapshot = std::map<std::string, Seen>;

bool IsLive(BundleState state) {
  return state == BundleState::kProcessing || state == BundleState::kQueued ||
         state == BundleState::kActive;
}

// Polls once, prints what changed since `before`, and says whether any bundle can still be
// used (so whether watching goes on).
esimgo::Result<bool> PollOnce(const esimgo::Client& client, const std::string& iccid,
                              Snapshot& before) {
  // include_used: a depleted or expired assignment stays in the answer, so its end is seen.
  auto bundles = client.esims().ListBundles(iccid, {.include_used = true});
  if (!bundles) return tl::unexpected(bundles.error());
  bool any_live = false;
  Snapshot now;
  for (const auto& bundle : *bundles) {
    for (const auto& a : bundle.assignments) {
      Seen seen{.bundle = bundle.name,
                .state = a.bundle_state.raw,
                .initial = a.initial_quantity,
                .remaining = a.remaining_quantity};
      any_live = any_live || IsLive(a.bundle_state.value);
      auto old = before.find(a.id);
      if (old == before.end() || old->second.state != seen.state ||
          old->second.remaining != seen.remaining) {
        const std::string left = a.unlimited ? "unlimited"
                                             : esimgo::FormatBytes(seen.remaining) + " of " +
                                                   esimgo::FormatBytes(seen.initial) + " left";
        std::printf("%s %-10s %s\n", bundle.name.c_str(), seen.state.c_str(), left.c_str());
      }
      now.emplace(a.id, std::move(seen));
    }
  }
  before = std::move(now);
  return any_live;
}

// Demo only: the sandbox's admin endpoints (docs/sandbox.md) stand in for a customer using data
// and for time passing.
bool SandboxAdmin(const esimgo::sandbox::Sandbox& sandbox, const std::string& key,
                  const std::string& path, const std::string& json) {
  auto response = esimgo::MakeCurlTransport()->Send(
      {.method = "POST",
       .url = "http://127.0.0.1:" + std::to_string(sandbox.port()) + path,
       .headers = {{"X-API-Key", key}, {"Content-Type", "application/json"}},
       .body = json});
  return response && response->status == 200;
}

}  // namespace

int main(int argc, char** argv) {
  std::string iccid;
  int interval_s = 300;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--interval" && i + 1 < argc) {
      interval_s = std::atoi(argv[++i]);
    } else if (!a.empty() && a[0] != '-' && iccid.empty()) {
      iccid = a;
    } else {
      std::fprintf(stderr, "usage: watch_usage [ICCID] [--interval 300]\n");
      return 2;
    }
  }
  if (interval_s < 1) {
    std::fprintf(stderr, "--interval must be at least 1 second\n");
    return 2;
  }

  std::unique_ptr<esimgo::sandbox::Sandbox> sandbox;
  esimgo::ClientOptions options;
  if (std::getenv("ESIMGO_API_KEY") != nullptr) {
    auto env = esimgo::ClientOptions::FromEnv();
    if (!env) {
      std::fprintf(stderr, "%s\n", env.error().ToString().c_str());
      return 2;
    }
    if (iccid.empty()) {
      std::fprintf(stderr, "give the ICCID to watch: watch_usage ICCID\n");
      return 2;
    }
    options = *env;
  } else {
    auto started = esimgo::sandbox::Sandbox::Start({.api_key = "example-key"});
    if (!started) {
      std::fprintf(stderr, "sandbox: %s\n", started.error().ToString().c_str());
      return 1;
    }
    sandbox = std::move(*started);
    options = {.api_key = "example-key", .base_url = sandbox->base_url()};
  }
  esimgo::Client client(options);

  if (sandbox) {
    // A sandbox eSIM to watch (sandbox money).
    auto order = client.orders().Create({.assign = true, .order = {{.item = "esim_1GB_7D_GB_V2"}}});
    if (!order || order->order.empty() || order->order[0].iccids.empty()) {
      std::fprintf(stderr, "order: %s\n", order ? "no eSIM" : order.error().ToString().c_str());
      return 1;
    }
    iccid = order->order[0].iccids[0];
  }
  if (auto ok = esimgo::ValidateIccid(iccid); !ok) {
    std::fprintf(stderr, "%s\n", ok.error().message.c_str());
    return 2;
  }
  std::printf("watching eSIM %s\n", iccid.c_str());

  Snapshot seen;
  for (int round = 0;; ++round) {
    auto live = PollOnce(client, iccid, seen);
    if (!live) {
      // The SDK already retried what can be retried; a live watcher would log and go on.
      std::fprintf(stderr, "poll: %s\n", live.error().ToString().c_str());
      return 1;
    }
    if (!*live) {
      std::printf("no bundle left to use on %s\n", iccid.c_str());
      return 0;
    }
    if (!sandbox) {
      std::this_thread::sleep_for(std::chrono::seconds(interval_s));
      continue;
    }
    if (round >= 20) {
      std::fprintf(stderr, "demo: the bundle should have been used up by now\n");
      return 1;
    }
    // Round 0: a second passes and the bundle goes from processing to queued. Then each
    // "day" the customer uses a quarter of the first bundle's data.
    if (round == 0) {
      SandboxAdmin(*sandbox, options.api_key, "/_sandbox/clock", R"({"advanceSeconds": 2})");
      continue;
    }
    const int64_t quarter = seen.empty() ? 250'000'000 : (seen.begin()->second.initial + 3) / 4;
    SandboxAdmin(*sandbox, options.api_key, "/_sandbox/usage",
                 R"({"iccid":")" + iccid + R"(","bytes":)" + std::to_string(quarter) + "}");
    SandboxAdmin(*sandbox, options.api_key, "/_sandbox/clock", R"({"advanceSeconds": 86400})");
  }
}
