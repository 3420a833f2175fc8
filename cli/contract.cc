// esimgo contract check|replay (issue 10): one command that tells a user with a live key, in a
// minute, whether this toolkit and their account agree — without spending a cent.
//
// The check runs the SDK's own typed calls (so "the body decodes with the typed models" is
// literally what is tested) through a client whose transport is the guard of
// contract_guard.cc: every request is matched against the allow-list of reads and dry runs
// before it is sent. The plan below decides what to call; the guard decides what may leave.

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "commands.h"
#include "contract.h"
#include "esimgo/drift.h"

namespace esimgo::cli {
namespace {

namespace fs = std::filesystem;
using contract::Exchange;
using contract::GuardTransport;
using contract::ReplayTransport;

// What one operation of the check found.
struct OpReport {
  std::string operation;
  std::string status;  // "ok", "drift", "error" or "skipped"
  int http_status = 0;
  int64_t ms = 0;
  int attempts = 0;
  std::vector<drift::Drift> drift;
  std::string reason;
  Headers rate_limit;  // the X-Ratelimit-* headers of the last answer, as sent
};

// The body kind an operation answers with: what is checked beyond the typed decode.
enum class Body { kJson, kCsv };

bool HasContentType(const Headers& headers, std::string_view want) {
  std::string ct(FindHeader(headers, "Content-Type"));
  std::transform(ct.begin(), ct.end(), ct.begin(), [](unsigned char c) { return std::tolower(c); });
  return ct.find(want) != std::string::npos;
}

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t at = 0;
  while (at < path.size()) {
    size_t end = path.find('/', at);
    if (end == std::string_view::npos) end = path.size();
    if (end > at) out.push_back(path.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

// The drift facility's name of an allow-list row: the same method and path, placeholders
// matching whatever the YAML calls them ({orderReference} or {reference}).
std::optional<std::string> DriftOperation(std::string_view row, ApiVersion version) {
  auto split = [](std::string_view op) {
    size_t sp = op.find(' ');
    return std::pair(op.substr(0, sp), sp == std::string_view::npos ? "" : op.substr(sp + 1));
  };
  auto [method, path] = split(row);
  auto mine = Segments(path);
  for (std::string_view known : drift::Operations(version)) {
    auto [m, p] = split(known);
    if (m != method || p.find('?') != std::string_view::npos) continue;
    auto theirs = Segments(p);
    if (theirs.size() != mine.size()) continue;
    bool same = true;
    for (size_t i = 0; i < mine.size() && same; ++i) {
      bool placeholder = mine[i].starts_with('{') && theirs[i].starts_with('{');
      same = placeholder || mine[i] == theirs[i];
    }
    if (same) return std::string(known);
  }
  return std::nullopt;
}

std::string Slug(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

// Runs the plan and collects one OpReport per operation.
class Checker {
 public:
  Checker(const Client& client, GuardTransport& guard, ApiVersion version, std::string api_key,
          std::optional<fs::path> record_dir, ReplayTransport* replay)
      : client_(client),
        guard_(guard),
        version_(version),
        api_key_(std::move(api_key)),
        record_dir_(std::move(record_dir)),
        replay_(replay) {}

  void Run();
  [[nodiscard]] const std::vector<OpReport>& reports() const { return reports_; }
  [[nodiscard]] const std::string& record_error() const { return record_error_; }

 private:
  // Calls `call` (one SDK method), then judges what the guard saw of it.
  template <class F>
  auto Step(std::string name, Body body, F&& call) -> decltype(call()) {
    auto result = call();
    Judge(std::move(name), body, result ? nullptr : &result.error());
    return result;
  }
  void Judge(std::string name, Body body, const Error* error);
  void Skip(std::string name, std::string reason) {
    reports_.push_back(
        {.operation = std::move(name), .status = "skipped", .reason = std::move(reason)});
  }
  void Record(const std::vector<Exchange>& exchanges);

  const Client& client_;
  GuardTransport& guard_;
  ApiVersion version_;
  std::string api_key_;
  std::optional<fs::path> record_dir_;
  ReplayTransport* replay_;
  std::vector<OpReport> reports_;
  int recorded_ = 0;
  std::string record_error_;
};

void Checker::Judge(std::string name, Body body, const Error* error) {
  std::vector<Exchange> xs = guard_.Take();
  Record(xs);
  OpReport r{.operation = std::move(name)};
  r.attempts = static_cast<int>(xs.size());
  for (const auto& x : xs) r.ms += x.ms;
  if (replay_) r.ms = replay_->TakeMs();
  const Exchange* last = xs.empty() ? nullptr : &xs.back();
  if (last) {
    r.http_status = last->status;
    for (const auto& [k, v] : last->headers) {
      std::string lower = k;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      if (lower.starts_with("x-ratelimit-")) r.rate_limit.emplace_back(k, v);
    }
  }
  bool success = last && last->status >= 200 && last->status < 300;
  if (success && body == Body::kJson) {
    if (!HasContentType(last->headers, "application/json")) {
      r.drift.push_back({.path = "$",
                         .kind = drift::DriftKind::kTypeMismatch,
                         .detail = fmt::format("Content-Type is \"{}\", not application/json",
                                               FindHeader(last->headers, "Content-Type"))});
    }
    if (auto op = DriftOperation(last->operation, version_)) {
      auto found = drift::Check(*op, version_, last->body);
      if (found) {
        r.drift.insert(r.drift.end(), found->begin(), found->end());
      } else if (!error) {
        r.reason = "drift check failed: " + found.error().message;
      }
    }
  } else if (success && body == Body::kCsv && !HasContentType(last->headers, "csv")) {
    r.drift.push_back({.path = "$",
                       .kind = drift::DriftKind::kTypeMismatch,
                       .detail = fmt::format("Content-Type is \"{}\", not text/csv",
                                             FindHeader(last->headers, "Content-Type"))});
  }
  if (error) {
    std::string what = error->message;
    if (error->http_status) what += fmt::format(" (HTTP {})", error->http_status);
    // A body the typed model cannot read, explained by drift: the drift is the finding.
    r.status = r.drift.empty() ? "error" : "drift";
    r.reason = what;
  } else if (!r.drift.empty()) {
    r.status = "drift";
  } else {
    r.status = r.reason.empty() ? "ok" : "error";
  }
  reports_.push_back(std::move(r));
}

void Checker::Record(const std::vector<Exchange>& exchanges) {
  if (!record_dir_) return;
  for (const Exchange& x : exchanges) {
    ++recorded_;
    std::string file = fmt::format("{:02}-{}.txt", recorded_, Slug(x.operation));
    std::ofstream out(*record_dir_ / file, std::ios::binary | std::ios::trunc);
    out << contract::FormatRecording(x, api_key_);
    if (!out) record_error_ = "could not write " + (*record_dir_ / file).string();
  }
}

// The account's most recent order that went to eSIMs (install details need one).
const Order* RecentAssignedOrder(const std::vector<Order>& orders) {
  const Order* best = nullptr;
  for (const auto& o : orders) {
    bool has_esims = o.assigned;
    for (const auto& line : o.order)
      has_esims = has_esims || !line.esims.empty() || !line.iccids.empty();
    if (!has_esims || o.order_reference.empty()) continue;
    if (!best || o.created_date.raw > best->created_date.raw) best = &o;
  }
  return best;
}

void Checker::Run() {
  Step("GET /organisation", Body::kJson, [&] { return client_.organisation().Get(); });
  Step("GET /organisation/groups", Body::kJson, [&] { return client_.organisation().Groups(); });

  std::string bundle;  // a catalogue bundle for the dependent checks
  std::string iso = "GB";
  auto page = Step("GET /catalogue", Body::kJson,
                   [&] { return client_.catalogue().List({.page = 1, .per_page = 10}); });
  if (page && !page->bundles.empty()) {
    bundle = page->bundles.front().name;
    if (!page->bundles.front().countries.empty() &&
        !page->bundles.front().countries.front().iso.empty()) {
      iso = page->bundles.front().countries.front().iso;
    }
  }
  const std::string no_bundle = page ? "the catalogue's first page has no bundle"
                                     : "GET /catalogue failed, so there is no bundle to name";
  if (bundle.empty()) {
    Skip("GET /catalogue/bundle/{name}", no_bundle);
  } else {
    Step("GET /catalogue/bundle/{name}", Body::kJson,
         [&] { return client_.catalogue().Get(bundle); });
  }
  if (version_ == ApiVersion::kV2_5) {
    auto prices =
        Step("GET /catalogue/prices", Body::kJson, [&] { return client_.catalogue().Prices(); });
    // Only organisations on consumption billing may read prices: a 403 is not a failure.
    if (!prices && prices.error().http_status == 403 &&
        prices.error().reason != ErrorReason::kInvalidKey && reports_.back().status == "error") {
      reports_.back().status = "skipped";
      reports_.back().reason =
          "the organisation may not read consumption prices (HTTP 403: consumption billing only)";
    }
  }
  Step("GET /networks", Body::kJson, [&] { return client_.networks().Get({.isos = {iso}}); });
  Step("GET /inventory", Body::kJson, [&] { return client_.inventory().Get(); });

  // Orders: the list, one order, and the install details of a recent one (JSON and CSV).
  auto orders = Step("GET /orders", Body::kJson,
                     [&] { return client_.orders().List({.page = 1, .limit = 10}); });
  const Order* any_order = orders && !orders->items.empty() ? &orders->items.front() : nullptr;
  const Order* assigned = orders ? RecentAssignedOrder(orders->items) : nullptr;
  std::string no_order = orders ? "the account has no order" : "GET /orders failed";
  if (any_order) {
    std::string ref = (assigned ? assigned : any_order)->order_reference;
    Step("GET /orders/{orderReference}", Body::kJson, [&] { return client_.orders().Get(ref); });
  } else {
    Skip("GET /orders/{orderReference}", no_order);
  }
  if (assigned) {
    std::string ref = assigned->order_reference;
    Step("GET /esims/assignments", Body::kJson, [&] {
      return client_.esims().InstallDetails(
          {.references = {ref}, .format = InstallDetailsFormat::kJson});
    });
    Step("GET /esims/assignments (CSV)", Body::kCsv, [&] {
      return client_.esims().InstallDetails(
          {.references = {ref}, .format = InstallDetailsFormat::kCsv});
    });
  } else {
    std::string why =
        any_order ? "no order on the first page of orders was assigned to eSIMs" : no_order;
    Skip("GET /esims/assignments", why);
    Skip("GET /esims/assignments (CSV)", why);
  }
  if (bundle.empty()) {
    Skip("POST /orders (type validate)", no_bundle);
  } else {
    Step("POST /orders (type validate)", Body::kJson,
         [&] { return client_.orders().Validate({.order = {{.item = bundle, .quantity = 1}}}); });
  }

  // eSIMs: the list, then one eSIM of the account in detail.
  auto esims = Step("GET /esims", Body::kJson,
                    [&] { return client_.esims().List({.page = 1, .per_page = 10}); });
  std::string iccid;
  if (esims && !esims->items.empty()) iccid = esims->items.front().iccid;
  const std::vector<std::string> per_esim = {
      "GET /esims/{iccid}",
      "GET /esims/{iccid}/history",
      "GET /esims/{iccid}/bundles",
      "GET /esims/{iccid}/bundles/{name}",
      "GET /esims/{iccid}/location",
      "GET /esims/{iccid}/compatible/{bundle}",
      "DELETE /esims/{iccid}/bundles/{name} (type validate)"};
  if (iccid.empty()) {
    std::string why = esims ? "the account has no eSIM" : "GET /esims failed";
    for (const auto& op : per_esim) Skip(op, why);
    return;
  }
  Step(per_esim[0], Body::kJson, [&] { return client_.esims().Get(iccid); });
  Step(per_esim[1], Body::kJson, [&] { return client_.esims().History(iccid); });
  auto applied = Step(per_esim[2], Body::kJson, [&] { return client_.esims().ListBundles(iccid); });
  std::string applied_name, unused_name;
  if (applied) {
    for (const auto& b : *applied) {
      if (applied_name.empty()) applied_name = b.name;
      for (const auto& a : b.assignments) {
        // Not started yet: what a revoke takes ("processing" turns "queued" within seconds).
        bool unused = a.bundle_state.value == BundleState::kQueued ||
                      a.bundle_state.value == BundleState::kProcessing;
        if (unused_name.empty() && unused) unused_name = b.name;
      }
    }
  }
  std::string no_applied = applied ? "the eSIM checked has no bundle" : "its bundle list failed";
  if (applied_name.empty()) {
    Skip(per_esim[3], no_applied);
  } else {
    Step(per_esim[3], Body::kJson, [&] { return client_.esims().GetBundle(iccid, applied_name); });
  }
  auto location = Step(per_esim[4], Body::kJson, [&] { return client_.esims().Location(iccid); });
  // An eSIM that never attached to a network has no location: eSIM Go answers 400. That is
  // the account's state, not a broken contract.
  if (!location && location.error().http_status == 400 && reports_.back().status == "error") {
    reports_.back().status = "skipped";
    reports_.back().reason = "the eSIM checked has no location yet: " + reports_.back().reason;
  }
  if (bundle.empty()) {
    Skip(per_esim[5], no_bundle);
  } else {
    Step(per_esim[5], Body::kJson, [&] { return client_.esims().Compatible(iccid, bundle); });
  }
  if (unused_name.empty()) {
    Skip(per_esim[6], applied ? "the eSIM checked has no unused (queued or processing) bundle "
                                "assignment to revoke in a dry run"
                              : "its bundle list failed");
  } else {
    Step(per_esim[6], Body::kJson, [&] {
      return client_.esims().RevokeBundle(iccid, unused_name, {.type = RevokeType::kValidate});
    });
  }
}

// ---- report --------------------------------------------------------------------------------

struct Summary {
  int ok = 0, drift = 0, error = 0, skipped = 0;
};

Summary Summarize(const std::vector<OpReport>& reports) {
  Summary s;
  for (const auto& r : reports) {
    if (r.status == "ok") ++s.ok;
    if (r.status == "drift") ++s.drift;
    if (r.status == "error") ++s.error;
    if (r.status == "skipped") ++s.skipped;
  }
  return s;
}

Json ReportJson(const std::string& base_url, ApiVersion version,
                const std::vector<OpReport>& reports, int requests, bool replay) {
  Json ops = Json::Array();
  for (const auto& r : reports) {
    Json o = Json::Object();
    o.Set("operation", r.operation).Set("status", r.status);
    o.Set("http_status", r.http_status ? Json(r.http_status) : Json(nullptr));
    o.Set("ms", r.attempts == 0 ? Json(nullptr) : Json(r.ms));
    Json drifts = Json::Array();
    for (const auto& d : r.drift) {
      drifts.Push(Json::Object()
                      .Set("path", d.path)
                      .Set("kind", std::string(drift::ToString(d.kind)))
                      .Set("detail", d.detail));
    }
    o.Set("drift", std::move(drifts));
    o.Set("reason", r.reason);
    if (r.attempts > 1) o.Set("attempts", r.attempts);
    if (!r.rate_limit.empty()) {
      Json rl = Json::Object();
      for (const auto& [k, v] : r.rate_limit) rl.Set(k, v);
      o.Set("rate_limit", std::move(rl));
    }
    ops.Push(std::move(o));
  }
  Summary s = Summarize(reports);
  Json out = Json::Object();
  out.Set("base_url", base_url).Set("api_version", std::string(ApiVersionName(version)));
  if (replay) out.Set("replay", true);
  out.Set("operations", std::move(ops));
  out.Set("summary", Json::Object()
                         .Set("ok", s.ok)
                         .Set("drift", s.drift)
                         .Set("error", s.error)
                         .Set("skipped", s.skipped)
                         .Set("requests", requests));
  return out;
}

Table ReportTable(const std::vector<OpReport>& reports) {
  Table t{.headers = {"OPERATION", "STATUS", "HTTP", "MS", "DETAIL"},
          .right_align = {false, false, true, true, false}};
  for (const auto& r : reports) {
    // Plain status words: table cells are sanitised, so colour codes would not survive.
    const std::string& status = r.status;
    std::string detail = r.reason;
    if (!r.drift.empty()) {
      detail = fmt::format("{} difference{}{}", r.drift.size(), r.drift.size() == 1 ? "" : "s",
                           r.reason.empty() ? "" : " · " + r.reason);
    }
    t.rows.push_back({r.operation, status, r.http_status ? std::to_string(r.http_status) : "",
                      r.attempts == 0 ? "" : std::to_string(r.ms), detail});
    for (const auto& d : r.drift) {
      t.rows.push_back(
          {"", "", "", "", fmt::format("{} {}: {}", d.path, drift::ToString(d.kind), d.detail)});
    }
  }
  return t;
}

int Conclude(Context& ctx, const std::string& url, ApiVersion version,
             std::vector<OpReport> reports, int requests, bool replay,
             const std::optional<fs::path>& record_dir) {
  // Reasons quote the server, which may echo the key: redacted in every output.
  for (auto& r : reports) {
    r.reason = ctx.Redact(r.reason);
    for (auto& d : r.drift) d.detail = ctx.Redact(d.detail);
  }
  const std::string base_url = ctx.Redact(url);
  Json report = ReportJson(base_url, version, reports, requests, replay);
  if (record_dir) {
    // The report beside the answers: a replay reads the API version from it.
    std::ofstream out(*record_dir / "report.json", std::ios::binary | std::ios::trunc);
    out << ctx.Redact(report.Dump()) << "\n";
  }
  Summary s = Summarize(reports);
  if (ctx.out().format() == Format::kJson) {
    ctx.out().Emit(report, {});
  } else {
    ctx.out().Emit(report, ReportTable(reports));
    std::fputs(fmt::format("\n{} ok · {} drift · {} error · {} skipped · {} requests · API v{} at "
                           "{}\n",
                           s.ok, s.drift, s.error, s.skipped, requests, ApiVersionName(version),
                           Sanitize(base_url))
                   .c_str(),
               stdout);
  }
  std::fflush(stdout);
  // An error means part of the contract was not checked at all: it outranks drift.
  if (s.error > 0) return kExitContractError;
  if (s.drift > 0) return kExitContractDrift;
  return kExitOk;
}

// `url` with its version segment ("/v2.4") set to `version`, or empty when it has none.
std::optional<std::string> WithVersion(const std::string& url, ApiVersion version) {
  for (std::string_view seg : {"/v2.4", "/v2.5"}) {
    size_t at = url.rfind(seg);
    if (at == std::string::npos) continue;
    size_t after = at + seg.size();
    if (after != url.size() && url[after] != '/' && url[after] != '?') continue;
    return url.substr(0, at) + "/v" + std::string(ApiVersionName(version)) + url.substr(after);
  }
  return std::nullopt;
}

struct Args {
  std::string api_version;
  std::string record;
  std::string dir;
};

Outcome<ApiVersion> ChosenVersion(const Context& ctx, const Args& a, const std::string& base) {
  if (!a.api_version.empty()) {
    auto v = ParseApiVersion(a.api_version);
    if (!v)
      return Invalid(fmt::format("--api-version must be 2.4 or 2.5, not '{}'", a.api_version));
    return *v;
  }
  if (ctx.settings().api_version) return *ctx.settings().api_version;
  return ApiVersionOfBaseUrl(base).value_or(ApiVersion::kV2_4);
}

int RunCheck(Context& ctx, const Args& a) {
  if (ctx.out().format() == Format::kCsv) {
    return ctx.Fail(kExitUsage, "contract check prints a table or JSON: use -o table or -o json");
  }
  auto url = ctx.BaseUrl();
  if (!url) return ctx.Fail(url.error());
  std::string base = *url;
  auto version = ChosenVersion(ctx, a, base);
  if (!version) return ctx.Fail(version.error());
  auto named = ApiVersionOfBaseUrl(base);
  if (named && *named != *version) {
    // The embedded sandbox and the default live host serve both versions under their own
    // prefix; a base URL the user typed keeps the version it names.
    if (ctx.settings().embedded || ctx.settings().base_url.empty()) {
      base = WithVersion(base, *version).value_or(base);
    } else {
      return ctx.Fail(kExitInvalidArgument,
                      fmt::format("--base-url names API v{} but the check was asked for v{}: "
                                  "change one of them",
                                  ApiVersionName(*named), ApiVersionName(*version)));
    }
  }
  std::optional<fs::path> record_dir;
  if (!a.record.empty()) {
    std::error_code ec;
    fs::create_directories(a.record, ec);
    if (ec || !fs::is_directory(a.record)) {
      return ctx.Fail(kExitInvalidArgument,
                      fmt::format("cannot create the recording directory {}: {}", a.record,
                                  ec ? ec.message() : "not a directory"));
    }
    // A replay reads every *.txt of the directory: answers of an earlier run would mix in.
    for (const auto& entry : fs::directory_iterator(a.record, ec)) {
      if (entry.path().extension() == ".txt" || entry.path().filename() == "report.json") {
        return ctx.Fail(kExitInvalidArgument,
                        fmt::format("{} already holds a recording ({}): record into a new or "
                                    "empty directory",
                                    a.record, entry.path().filename().string()));
      }
    }
    record_dir = fs::path(a.record);
  }
  // The run's own transport (libcurl, or the embedded sandbox's in-process one) behind the guard.
  auto inner = ctx.transport();
  if (!inner) return ctx.Fail(inner.error());
  auto guard = std::make_shared<GuardTransport>(*inner, base, *version);
  ClientOptions options{
      .api_key = ctx.ApiKey(), .base_url = base, .timeout = ctx.settings().timeout};
  // 5 a second keeps even a burst at a window's edge under eSIM Go's fixed window of 10
  // requests per second (the bucket holds one second: at most 5 + 5 in any second).
  options.requests_per_second = 5;
  options.retry.max_attempts = 2;  // one retry after a 429/5xx; the budget caps the rest
  options.transport = guard;
  if (ctx.settings().verbose) {
    options.trace = [&ctx](const TraceEvent& e) {
      ctx.Info(fmt::format("trace: {} {} {} attempt {} → {} in {} ms{}{}", e.operation, e.method,
                           e.url, e.attempt,
                           e.status == 0 ? "no response" : std::to_string(e.status),
                           e.elapsed.count(), e.note.empty() ? "" : " · ", e.note));
    };
  }
  Client client(std::move(options));
  Checker checker(client, *guard, *version, ctx.ApiKey(), record_dir, nullptr);
  checker.Run();
  if (!checker.record_error().empty()) ctx.Info(checker.record_error());
  for (const auto& why : guard->refused()) ctx.Info("refused by the guard: " + why);
  return Conclude(ctx, base, *version, checker.reports(), guard->sent(), false, record_dir);
}

int RunReplay(Context& ctx, const Args& a) {
  if (ctx.out().format() == Format::kCsv) {
    return ctx.Fail(kExitUsage, "contract replay prints a table or JSON: use -o table or -o json");
  }
  fs::path dir(a.dir);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return ctx.Fail(kExitInvalidArgument,
                    fmt::format("{} is not a directory: pass the DIR of `contract check --record "
                                "DIR`",
                                a.dir));
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".txt")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Exchange> exchanges;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto x = contract::ParseRecording(ss.str());
    if (!x) return ctx.Fail(kExitInvalidArgument, f.string() + ": " + x.error().message);
    exchanges.push_back(std::move(*x));
  }
  if (exchanges.empty()) {
    return ctx.Fail(kExitInvalidArgument,
                    fmt::format("{} holds no recorded answers (*.txt from `contract check "
                                "--record`)",
                                a.dir));
  }
  // The version and base URL of the recording, from its report; --api-version overrides.
  std::string recorded_url;
  std::optional<ApiVersion> version;
  {
    std::ifstream in(dir / "report.json", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (!j.is_discarded() && j.is_object()) {
      if (j.contains("api_version") && j["api_version"].is_string()) {
        version = ParseApiVersion(j["api_version"].get<std::string>());
      }
      if (j.contains("base_url") && j["base_url"].is_string()) recorded_url = j["base_url"];
    }
  }
  if (!a.api_version.empty()) {
    version = ParseApiVersion(a.api_version);
    if (!version) {
      return ctx.Fail(kExitUsage,
                      fmt::format("--api-version must be 2.4 or 2.5, not '{}'", a.api_version));
    }
  }
  if (!version) version = ctx.settings().api_version.value_or(ApiVersion::kV2_4);
  // Never a real host: the replay transport answers everything, and nothing is sent.
  std::string base = fmt::format("http://replay.invalid/v{}", ApiVersionName(*version));
  auto replay = std::make_shared<ReplayTransport>(base, std::move(exchanges));
  auto guard = std::make_shared<GuardTransport>(replay, base, *version);
  ClientOptions options{.api_key = "replay", .base_url = base};
  options.requests_per_second = 0;
  options.retry.max_attempts = 2;
  options.transport = guard;
  options.clock = std::make_shared<contract::InstantClock>();
  Client client(std::move(options));
  Checker checker(client, *guard, *version, "", std::nullopt, replay.get());
  checker.Run();
  for (const auto& why : guard->refused()) ctx.Info("refused by the guard: " + why);
  return Conclude(ctx, recorded_url.empty() ? base : recorded_url, *version, checker.reports(),
                  guard->sent(), true, std::nullopt);
}

}  // namespace

void RegisterContract(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<Args>();
  auto* group = Sub(app, "contract",
                    "Prove this toolkit against your account: reads and dry runs only, never a "
                    "purchase or a change (docs/contract.md)");
  group->require_subcommand(1);
  auto* check = Sub(*group, "check",
                    "Call every read-only and dry-run operation and report drift, errors and "
                    "timings (exit 0 clean, 10 drift, 11 errors)");
  check->add_option("--api-version", a->api_version, "API version to check: 2.4 or 2.5");
  check->add_option("--record", a->record,
                    "Write each answer (redacted: key, matching IDs, activation codes, PIN, "
                    "PUK) to files in this directory");
  OnRun(check, ctx, [&ctx, a]() { return RunCheck(ctx, *a); });
  auto* replay =
      Sub(*group, "replay", "Re-run the decoders and drift checks on a recording, offline");
  replay->add_option("DIR", a->dir, "The directory of `contract check --record DIR`")->required();
  replay->add_option("--api-version", a->api_version,
                     "API version of the recording (default: from its report.json)");
  OnRun(replay, ctx, [&ctx, a]() { return RunReplay(ctx, *a); });

  auto* list = Sub(*group, "allow-list",
                   "Print the only requests a check may send (every other is refused unsent)");
  list->add_option("--api-version", a->api_version, "API version: 2.4 or 2.5 (default 2.4)");
  OnRun(list, ctx, [&ctx, a]() -> int {
    auto v =
        a->api_version.empty() ? std::optional(ApiVersion::kV2_4) : ParseApiVersion(a->api_version);
    if (!v) return ctx.Fail(kExitUsage, "--api-version must be 2.4 or 2.5");
    for (const auto& line : contract::AllowListDescription(*v)) {
      std::fputs((line + "\n").c_str(), stdout);
    }
    return kExitOk;
  });

  // The guard's verdict on one request, without sending anything: how the tests (and a
  // curious user) probe the allow-list itself. Exit 0 = it would be sent, 3 = refused.
  auto p = std::make_shared<std::vector<std::string>>();
  auto* probe =
      Sub(*group, "allowed", "Would the guard send METHOD TARGET [BODY]? (sends nothing)");
  probe->group("");  // hidden: a tool for tests, not a workflow
  probe->add_option("REQUEST", *p, "METHOD, TARGET relative to the base URL, optional BODY")
      ->expected(2, 3)
      ->required();
  probe->add_option("--api-version", a->api_version, "API version: 2.4 or 2.5 (default 2.4)");
  OnRun(probe, ctx, [&ctx, a, p]() -> int {
    auto v =
        a->api_version.empty() ? std::optional(ApiVersion::kV2_4) : ParseApiVersion(a->api_version);
    if (!v) return ctx.Fail(kExitUsage, "--api-version must be 2.4 or 2.5");
    auto op = contract::Allowed((*p)[0], (*p)[1], p->size() > 2 ? (*p)[2] : "", *v);
    if (!op) return ctx.Fail(kExitInvalidArgument, op.error().message);
    std::fputs((*op + "\n").c_str(), stdout);
    return kExitOk;
  });
}

}  // namespace esimgo::cli
