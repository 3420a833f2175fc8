// Sell an eSIM end to end: check the order, place it, fetch the install details, write the QR
// code the customer scans, and, when the answer to the order is lost, find the order instead
// of sending it again.
//
//   sell_esim [--bundle esim_1GB_7D_GB_V2] [--out DIR] [--live]
//
// Without ESIMGO_API_KEY it runs against an in-process sandbox and makes the order's answer get
// lost on purpose, to show the reconciliation. With ESIMGO_API_KEY set it talks to the live
// API and SPENDS MONEY, so it then refuses to run unless --live is given.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "esimgo/esimgo.h"
#include "esimgo/qr.h"
#include "esimgo/sandbox/sandbox.h"

namespace {

struct Args {
  std::string bundle = "esim_1GB_7D_GB_V2";
  std::filesystem::path out = ".";
  bool live = false;
};

std::optional<Args> ParseArgs(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--live") {
      args.live = true;
    } else if (a == "--bundle" && i + 1 < argc) {
      args.bundle = argv[++i];
    } else if (a == "--out" && i + 1 < argc) {
      args.out = argv[++i];
    } else {
      std::fprintf(stderr, "usage: sell_esim [--bundle NAME] [--out DIR] [--live]\n");
      return std::nullopt;
    }
  }
  return args;
}

// The sandbox's admin endpoints (docs/sandbox.md) live beside the API path, behind the same key.
// Used here only to stage the outage that the reconciliation below recovers from.
bool SandboxAdmin(const esimgo::sandbox::Sandbox& sandbox, const std::string& key,
                  const std::string& path, const std::string& json) {
  esimgo::HttpRequest request{.method = "POST",
                              .url = "http://127.0.0.1:" + std::to_string(sandbox.port()) + path,
                              .headers = {{"X-API-Key", key}, {"Content-Type", "application/json"}},
                              .body = json};
  auto response = esimgo::MakeCurlTransport()->Send(request);
  return response && response->status == 200;
}

// What to do when `Create` answers kAmbiguous: the order was sent, the answer was lost, and the
// SDK could not check (the API was down). Do NOT send it again: that may charge twice. Look for
// it once the API answers: an order created since the attempt with the same lines, that is not
// one you already know. Returns the order, or empty when it was certainly not placed.
esimgo::Result<std::optional<esimgo::Order>> FindLostOrder(
    const esimgo::Client& client, const esimgo::OrderRequest& request,
    esimgo::Timestamp::TimePoint sent_at, const std::set<std::string>& known_references) {
  // Allow for clock skew between this machine and the API.
  const auto since = sent_at - std::chrono::minutes(2);
  std::optional<esimgo::Order> found;
  for (const auto& order :
       client.orders().ListAll({.limit = 100, .include_iccids = true, .created_from = since})) {
    if (!order) return tl::unexpected(order.error());
    if (known_references.count(order->order_reference) != 0) continue;
    bool same = order->order.size() == request.order.size();
    for (size_t i = 0; same && i < request.order.size(); ++i) {
      same = order->order[i].item == request.order[i].item &&
             order->order[i].quantity == request.order[i].quantity;
    }
    if (!same) continue;
    if (found) {
      return esimgo::Fail(esimgo::ErrorCode::kAmbiguous,
                          "two identical orders since the attempt (" + found->order_reference +
                              ", " + order->order_reference + "): decide by hand");
    }
    found = *order;
  }
  return found;
}

// Places the order; on a lost answer, finds it rather than sending it twice.
esimgo::Result<esimgo::Order> PlaceOrder(const esimgo::Client& client,
                                         const esimgo::OrderRequest& request,
                                         const std::function<void()>& api_recovers) {
  const auto sent_at =
      std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  auto order = client.orders().Create(request);
  if (order) {
    // `reconciled`: the answer was lost and the SDK found the order by itself.
    std::printf("order %s placed%s\n", order->order_reference.c_str(),
                order->reconciled ? " (answer lost; found by the SDK's reconciliation)" : "");
    return order;
  }
  if (order.error().code != esimgo::ErrorCode::kAmbiguous) {
    // Any other error: the order was not placed (the message says so when an answer was lost
    // and the SDK checked). Safe to fix and retry.
    return order;
  }
  std::printf("answer lost and not yet checkable: %s\n", order.error().message.c_str());
  api_recovers();
  // In production: retry this lookup with a backoff until the API answers; never re-send.
  auto found = FindLostOrder(client, request, sent_at, /*known_references=*/{});
  if (!found) return tl::unexpected(found.error());
  if (!*found) {
    return esimgo::Fail(esimgo::ErrorCode::kTransport,
                        "the order was not placed (no matching order since the attempt): it is "
                        "safe to send it again");
  }
  std::printf("order %s found after the outage: it was placed once, not sent again\n",
              (*found)->order_reference.c_str());
  return **found;
}

}  // namespace

int main(int argc, char** argv) {
  auto args = ParseArgs(argc, argv);
  if (!args) return 2;

  // Live API when ESIMGO_API_KEY is set, else an in-process sandbox on a free port.
  std::unique_ptr<esimgo::sandbox::Sandbox> sandbox;
  esimgo::ClientOptions options;
  if (std::getenv("ESIMGO_API_KEY") != nullptr) {
    auto env = esimgo::ClientOptions::FromEnv();
    if (!env) {
      std::fprintf(stderr, "%s\n", env.error().ToString().c_str());
      return 2;
    }
    if (!args->live) {
      std::fprintf(stderr,
                   "ESIMGO_API_KEY is set: this would buy %s on the live API. Pass --live to "
                   "spend the money, or unset ESIMGO_API_KEY to use the sandbox.\n",
                   args->bundle.c_str());
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
    options.api_key = "example-key";
    options.base_url = sandbox->base_url();
    std::printf("sandbox at %s\n", sandbox->base_url().c_str());
  }
  esimgo::Client client(options);
  auto api_recovers = [&] {
    if (sandbox) SandboxAdmin(*sandbox, options.api_key, "/_sandbox/faults", R"({"spec":""})");
  };

  // 1. Validate: every check of the real order (bundle name, balance), nothing charged.
  const esimgo::OrderRequest request{.assign = true,
                                     .order = {{.item = args->bundle, .quantity = 1}}};
  auto check = client.orders().Validate(request);
  if (!check) {
    std::fprintf(stderr, "validate: %s\n", check.error().ToString().c_str());
    return 1;
  }
  if (!check->valid) {
    std::fprintf(stderr, "the order would be refused (balance too low?): total %s %s\n",
                 check->total.ToString().c_str(), check->currency.c_str());
    return 1;
  }
  std::printf("validated: %s costs %s %s\n", args->bundle.c_str(), check->total.ToString().c_str(),
              check->currency.c_str());

  // 2. Order, onto a new eSIM (assign = true), never twice.
  if (sandbox) {
    // Demo: the order's answer is lost after it was committed, and GET /orders fails until
    // the API "recovers", so the SDK cannot check by itself: the hardest case.
    SandboxAdmin(*sandbox, options.api_key, "/_sandbox/faults",
                 R"({"spec":"POST /orders=commit-then-drop:1, GET /orders=503-0"})");
  }
  auto order = PlaceOrder(client, request, api_recovers);
  if (!order) {
    std::fprintf(stderr, "order: %s\n", order.error().ToString().c_str());
    return 1;
  }

  // 3. Install details of the order's eSIMs: the activation code and Apple's install link.
  auto details = client.esims().InstallDetails({.references = {order->order_reference},
                                                .format = esimgo::InstallDetailsFormat::kJson,
                                                .additional_fields = "appleInstallUrl"});
  if (!details) {
    std::fprintf(stderr, "install details: %s\n", details.error().ToString().c_str());
    return 1;
  }
  if (details->esims.empty()) {
    std::fprintf(stderr, "install details: no eSIM for order %s\n", order->order_reference.c_str());
    return 1;
  }

  // 4. A QR code per eSIM, made locally: an activation code sent to a QR web service would
  //    leak a live eSIM.
  std::error_code ec;
  std::filesystem::create_directories(args->out, ec);
  for (const auto& esim : details->esims) {
    const std::string lpa = esimgo::LpaString(esim.smdp_address, esim.matching_id);
    auto png = esimgo::qr::QrPng(lpa);
    if (!png) {
      std::fprintf(stderr, "QR code: %s\n", png.error().ToString().c_str());
      return 1;
    }
    const auto path = args->out / (esim.iccid + ".png");
    std::ofstream(path, std::ios::binary).write(png->data(), std::streamsize(png->size()));
    std::printf("eSIM %s: activation code %s\n  QR code: %s\n", esim.iccid.c_str(), lpa.c_str(),
                path.c_str());
    if (!esim.apple_install_url.empty()) {
      std::printf("  iPhone install link: %s\n", esim.apple_install_url.c_str());
    }
  }

  if (sandbox) {
    // The point of the demo: despite the lost answer, the money moved once.
    auto orders = client.orders().List();
    if (!orders || orders->items.size() != 1) {
      std::fprintf(stderr, "expected exactly one order in the sandbox\n");
      return 1;
    }
  }
  return 0;
}
