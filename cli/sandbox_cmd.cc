// esimgo sandbox serve|usage|clock|reset — run the emulator and drive its admin endpoints.

#include <fmt/core.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "esimgo/sandbox/sandbox.h"
#include "esimgo/transport.h"
#include "fields.h"
#include "signals.h"

namespace esimgo::cli {
namespace {

struct ServeArgs {
  sandbox::SandboxOptions options{.port = 8080};
};

Outcome<> RunServe(Context& ctx, ServeArgs a, bool key_given) {
  // Sandbox::Start checks the options (port, callback version, rate limit): its message speaks.
  if (!key_given && !ctx.settings().api_key.empty()) a.options.api_key = ctx.settings().api_key;
  BlockStopSignals();
  auto sb = sandbox::Sandbox::Start(a.options);
  if (!sb) return tl::unexpected(sb.error());
  std::fputs(fmt::format("{}\n", (*sb)->base_url()).c_str(), stdout);
  std::fflush(stdout);
  ctx.Info(fmt::format("sandbox serving {} (state {}); Ctrl-C stops", (*sb)->base_url(),
                       a.options.db_path.empty() ? "in memory" : a.options.db_path));
  WaitForStopSignal();
  (*sb)->Stop();
  ctx.Info("sandbox stopped");
  return {};
}

// POSTs to an admin endpoint of the sandbox behind the configured base URL.
Result<HttpResponse> Admin(Context& ctx, std::string_view path, std::string body) {
  auto base = ctx.BaseUrl();
  if (!base) return tl::unexpected(base.error());
  // Admin lives beside the API prefix (/v2.4 or /v2.5), at the server's root.
  std::string root = *base;
  if (auto slash = root.rfind('/');
      slash != std::string::npos && ApiVersionOfBaseUrl(root).has_value()) {
    root.resize(slash);
  }
  HttpRequest req{.method = "POST",
                  .url = root + std::string(path),
                  .headers = {{"X-API-Key", ctx.ApiKey()},
                              {"Content-Type", "application/json"},
                              {"Accept", "application/json"}},
                  .body = std::move(body),
                  .timeout = ctx.settings().timeout};
  if (ctx.settings().verbose) ctx.Info(fmt::format("trace: POST {}", req.url));
  auto transport = ctx.transport();  // in process for the embedded sandbox
  if (!transport) return tl::unexpected(transport.error());
  auto res = (*transport)->Send(req);
  if (!res) {
    res.error().operation = "sandbox" + std::string(path);
    return res;
  }
  if (res->status < 200 || res->status >= 300) {
    // The admin endpoints answer errors as `{"message": …}`: decoded, not searched for.
    std::string msg;
    auto answer = nlohmann::json::parse(res->body, nullptr, /*allow_exceptions=*/false);
    if (answer.is_object() && answer.contains("message") && answer["message"].is_string()) {
      msg = answer["message"].get<std::string>();
    }
    if (res->status == 404 && ctx.settings().base_url.find("esim-go.com") != std::string::npos) {
      msg = "the live API has no sandbox admin endpoints: use --sandbox or a sandbox --base-url";
    }
    Error e;
    e.code = ErrorCodeForStatus(res->status);
    e.http_status = res->status;
    e.message = msg.empty() ? "request rejected" : msg;
    e.reason = ErrorReasonFor(res->status, e.message);
    e.operation = "sandbox" + std::string(path);
    return tl::unexpected(e);
  }
  return res;
}

void PrintAdmin(Context& ctx, const HttpResponse& res, std::string_view done) {
  if (ctx.out().format() == Format::kTable) {
    std::fputs(fmt::format("{}\n", done).c_str(), stdout);
  } else {
    std::string body = res.body.empty() ? std::string("{}") : res.body;
    std::fputs((body + "\n").c_str(), stdout);
  }
}

Outcome<> RunUsage(Context& ctx, const std::string& iccid, int64_t bytes, double percent,
                   const std::string& country, bool have_bytes, bool have_percent) {
  if (auto ok = ValidateIccid(iccid); !ok) return tl::unexpected(ok.error());
  if (have_bytes == have_percent) return Invalid("give exactly one of --bytes N and --percent P");
  if (have_bytes && bytes <= 0) return Invalid("--bytes must be positive");
  if (have_percent && (percent <= 0 || percent > 100)) {
    return Invalid("--percent must be more than 0 and at most 100");
  }
  if (!country.empty() && country.size() != 2) {
    return Invalid("--country is a two-letter ISO code such as FR");
  }
  if (have_percent) {
    // Percent of the bundle in use: the active assignment, else the oldest queued one.
    auto client = ctx.client();
    if (!client) return tl::unexpected(client.error());
    auto bundles = (*client)->esims().ListBundles(iccid);
    if (!bundles) return tl::unexpected(bundles.error());
    const BundleAssignment* pick = nullptr;
    for (const auto& b : *bundles) {
      for (const auto& as : b.assignments) {
        auto s = as.bundle_state.value;
        if (s == BundleState::kActive) pick = &as;
        if (!pick && (s == BundleState::kQueued || s == BundleState::kProcessing)) pick = &as;
      }
    }
    if (pick == nullptr || pick->initial_quantity <= 0) {
      return Stop(kExitNotFound, fmt::format("{} has no active or queued data bundle to use: "
                                             "apply one first (esimgo esims apply)",
                                             iccid));
    }
    bytes = static_cast<int64_t>(static_cast<double>(pick->initial_quantity) * percent / 100.0);
  }
  Json body = Json::Object().Set("iccid", iccid).Set("bytes", bytes);
  if (!country.empty()) body.Set("country", country);
  auto res = Admin(ctx, "/_sandbox/usage", body.Dump(-1));
  if (!res) return tl::unexpected(res.error());
  PrintAdmin(ctx, *res, fmt::format("used {} on {}", FormatBytes(bytes), iccid));
  return {};
}

Outcome<> RunClock(Context& ctx, const std::string& advance) {
  auto d = ParseDuration(advance);
  if (!d) return tl::unexpected(d.error());
  int64_t secs = std::chrono::duration_cast<std::chrono::seconds>(*d).count();
  if (secs <= 0) return Invalid("--advance must be at least 1s");
  auto res = Admin(ctx, "/_sandbox/clock", Json::Object().Set("advanceSeconds", secs).Dump(-1));
  if (!res) return tl::unexpected(res.error());
  PrintAdmin(ctx, *res, fmt::format("sandbox clock advanced by {} s", secs));
  return {};
}

// v2.5: a suspension by eSIM Go's policy, which the API cannot lift (docs/sandbox.md).
Outcome<> RunPolicySuspension(Context& ctx, const std::string& iccid, bool lift) {
  if (auto ok = ValidateIccid(iccid); !ok) return tl::unexpected(ok.error());
  auto res = Admin(ctx, "/_sandbox/esims/" + iccid + "/policy-suspension",
                   Json::Object().Set("suspended", !lift).Dump(-1));
  if (!res) return tl::unexpected(res.error());
  PrintAdmin(ctx, *res,
             fmt::format("{} {} by policy", iccid, lift ? "no longer suspended" : "suspended"));
  return {};
}

// v2.5: GET /catalogue/prices answers only consumption customers.
Outcome<> RunConsumption(Context& ctx, bool off) {
  auto res = Admin(ctx, "/_sandbox/consumption", Json::Object().Set("enabled", !off).Dump(-1));
  if (!res) return tl::unexpected(res.error());
  PrintAdmin(ctx, *res,
             off ? "the organisation is no longer a consumption customer"
                 : "the organisation is a consumption customer (catalogue prices answer)");
  return {};
}

Outcome<> RunReset(Context& ctx) {
  auto res = Admin(ctx, "/_sandbox/reset", "{}");
  if (!res) return tl::unexpected(res.error());
  PrintAdmin(ctx, *res, "sandbox reset to its seed state");
  return {};
}

}  // namespace

void RegisterSandbox(CLI::App& app, Context& ctx) {
  auto* group = Sub(app, "sandbox", "Run the eSIM Go emulator and drive it");
  group->require_subcommand(1);

  auto sa = std::make_shared<ServeArgs>();
  auto* serve = Sub(*group, "serve", "Serve the sandbox API until Ctrl-C (like esimgo-sandbox)");
  auto& o = sa->options;
  serve->add_option("--host", o.host, "Address to bind (default 127.0.0.1)");
  serve->add_option("--port", o.port, "Port (default 8080; 0 = any free port)");
  serve->add_option("--db", o.db_path, "SQLite file (default: in memory)");
  auto* key =
      serve->add_option("--api-key", o.api_key, "Key clients must send (default sandbox-key)");
  serve->add_option("--callback-url", o.callback_url, "POST usage callbacks here");
  serve->add_option("--callback-version", o.callback_version, "2 (unsigned) or 3 (signed)");
  serve->add_option("--rate-limit", o.rate_limit, "Requests/s per client; 0 = off (default 10)");
  serve->add_option("--seed", o.seed, "Seed for generated ICCIDs (0 = random)");
  serve->add_option("--faults", o.faults, "Fault spec (see docs/sandbox.md)");
  OnRun(serve, ctx, [&ctx, sa, key] { return RunServe(ctx, *sa, key->count() > 0); });

  struct U {
    std::string iccid, country;
    int64_t bytes = 0;
    double percent = 0;
  };
  auto u = std::make_shared<U>();
  auto* usage = Sub(*group, "usage", "Simulate data use on an eSIM (POST /_sandbox/usage)");
  usage->add_option("ICCID", u->iccid, "ICCID")->required();
  auto* ob = usage->add_option("--bytes", u->bytes, "Bytes used");
  auto* op = usage->add_option("--percent", u->percent, "Percent of the bundle in use");
  usage->add_option("--country", u->country, "Country ISO where it was used");
  OnRun(usage, ctx, [&ctx, u, ob, op] {
    return RunUsage(ctx, u->iccid, u->bytes, u->percent, u->country, ob->count() > 0,
                    op->count() > 0);
  });

  auto adv = std::make_shared<std::string>();
  auto* clock = Sub(*group, "clock", "Advance the sandbox clock (POST /_sandbox/clock)");
  clock->add_option("--advance", *adv, "Duration, e.g. 1h, 7d")->required();
  OnRun(clock, ctx, [&ctx, adv] { return RunClock(ctx, *adv); });

  struct P {
    std::string iccid;
    bool lift = false;
  };
  auto ps = std::make_shared<P>();
  auto* policy = Sub(*group, "policy-suspension",
                     "v2.5: suspend an eSIM by policy, which the API cannot lift "
                     "(POST /_sandbox/esims/{iccid}/policy-suspension)");
  policy->add_option("ICCID", ps->iccid, "ICCID")->required();
  policy->add_flag("--lift", ps->lift, "Lift the policy suspension instead");
  OnRun(policy, ctx, [&ctx, ps] { return RunPolicySuspension(ctx, ps->iccid, ps->lift); });

  auto off = std::make_shared<bool>(false);
  auto* consumption = Sub(*group, "consumption",
                          "v2.5: make the organisation a consumption customer, so GET "
                          "/catalogue/prices answers (POST /_sandbox/consumption)");
  consumption->add_flag("--off", *off, "Turn it off again");
  OnRun(consumption, ctx, [&ctx, off] { return RunConsumption(ctx, *off); });

  auto* reset = Sub(*group, "reset", "Reset the sandbox to its seed state (POST /_sandbox/reset)");
  OnRun(reset, ctx, [&ctx] { return RunReset(ctx); });
}

}  // namespace esimgo::cli
