// `esimgo contract check|replay` (issue 10), run as a process: against the sandbox on v2.4 and
// v2.5 (every operation ok), behind a proxy that drifts the answers (each drift named by path
// and kind), one that fails them (errors, 429s, dropped connections: still nothing but reads
// and dry runs is sent), with --record (no secret in the files, every other byte as answered),
// without a key (the embedded sandbox) and as an offline replay of tests/data/live/.

#include <functional>
#include <regex>
#include <set>

#include "cli_fixture.h"

namespace esimgo_cli_test {
namespace {

constexpr int kExitDrift = 10;
constexpr int kExitErrors = 11;

// A proxy in front of a sandbox (port 0) that logs every request and the exact answer it gave,
// and lets a test change an answer or drop the connection instead.
class Proxy {
 public:
  struct Exchange {
    std::string method, target, body;  // the request
    int status = 0;
    std::string answer;  // the body answered ("" when dropped)
    bool dropped = false;
  };
  struct Answer {
    int status;
    std::string content_type;
    std::string body;
    httplib::Headers headers;
    bool drop = false;  // close the connection before the body is complete
    int retry_after = -1;
  };
  // Sees the request (method, target) and may change the upstream answer.
  using Mutate = std::function<void(const std::string& method, const std::string& target, int n,
                                    Answer& answer)>;

  Proxy(int upstream_port, Mutate mutate)
      : upstream_port_(upstream_port), mutate_(std::move(mutate)) {
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      Handle(req, res);
    };
    server_.Get(".*", handler);
    server_.Post(".*", handler);
    server_.Put(".*", handler);
    server_.Delete(".*", handler);
    server_.Patch(".*", handler);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Proxy() {
    server_.stop();
    thread_.join();
  }
  Proxy(const Proxy&) = delete;
  Proxy& operator=(const Proxy&) = delete;

  [[nodiscard]] std::string url(const std::string& version) const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/v" + version;
  }
  [[nodiscard]] std::vector<Exchange> log() const {
    std::lock_guard<std::mutex> lock(mu_);
    return log_;
  }

 private:
  void Handle(const httplib::Request& req, httplib::Response& res) {
    httplib::Client up("127.0.0.1", upstream_port_);
    httplib::Headers h;
    for (const char* name : {"X-API-Key", "Accept", "Content-Type"}) {
      if (req.has_header(name)) h.emplace(name, req.get_header_value(name));
    }
    httplib::Result r =
        req.method == "GET"      ? up.Get(req.target.c_str(), h)
        : req.method == "POST"   ? up.Post(req.target.c_str(), h, req.body, "application/json")
        : req.method == "DELETE" ? up.Delete(req.target.c_str(), h, req.body, "application/json")
                                 : up.Put(req.target.c_str(), h, req.body, "application/json");
    Answer a{.status = 502, .content_type = "text/plain", .body = "upstream failed"};
    if (r) {
      a.status = r->status;
      a.body = r->body;
      a.content_type = r->get_header_value("Content-Type");
      for (const auto& [k, v] : r->headers) {
        if (k.rfind("X-Ratelimit", 0) == 0) a.headers.emplace(k, v);
      }
    }
    int n = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      n = static_cast<int>(log_.size());
    }
    if (mutate_) mutate_(req.method, req.target, n, a);
    {
      std::lock_guard<std::mutex> lock(mu_);
      log_.push_back({req.method, req.target, req.body, a.status, a.drop ? "" : a.body, a.drop});
    }
    res.status = a.status;
    for (const auto& [k, v] : a.headers) res.set_header(k, v);
    if (a.retry_after >= 0) res.set_header("Retry-After", std::to_string(a.retry_after));
    if (a.drop) {
      // Promise the whole body, send half, then give up: the client sees the connection drop.
      std::string half = a.body.substr(0, a.body.size() / 2);
      res.set_content_provider(a.body.size() + 1, a.content_type,
                               [half](size_t offset, size_t, httplib::DataSink& sink) {
                                 if (offset == 0 && !half.empty())
                                   sink.write(half.data(), half.size());
                                 return false;
                               });
      return;
    }
    res.set_content(a.body, a.content_type.empty() ? "application/json" : a.content_type);
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  int upstream_port_;
  Mutate mutate_;
  mutable std::mutex mu_;
  std::vector<Exchange> log_;
};

std::string WithVersion(std::string url, const std::string& version) {
  return url.substr(0, url.rfind("/v")) + "/v" + version;
}

// Whether a request may change anything: everything but a read, POST /orders with type
// validate and a revoke with type=validate.
std::string StateChanging(const std::string& method, const std::string& target,
                          const std::string& body) {
  std::string path = target.substr(0, target.find('?'));
  if (method == "GET") {
    for (const char* bad : {"/refresh", "/suspend"}) {
      if (path.find(bad) != std::string::npos) return "GET " + path;
    }
    return "";
  }
  if (method == "POST" && std::regex_match(path, std::regex("/v2\\.[45]/orders"))) {
    auto j = json::parse(body, nullptr, false);
    if (!j.is_discarded() && j.is_object() && j.value("type", "") == "validate") return "";
  }
  if (method == "DELETE" &&
      std::regex_match(path, std::regex("/v2\\.[45]/esims/[0-9]+/bundles/[^/]+"))) {
    std::string query =
        target.find('?') == std::string::npos ? "" : target.substr(target.find('?'));
    if (query.find("type=validate") != std::string::npos &&
        query.find("type=transaction") == std::string::npos) {
      return "";
    }
  }
  return method + " " + target + " " + body;
}

// POSTs to an admin route of the suite's sandbox; returns the answer's JSON.
json Admin(int port, const std::string& method, const std::string& path, const std::string& body) {
  httplib::Client c("127.0.0.1", port);
  httplib::Headers h = {{"X-API-Key", kKey}};
  auto r =
      method == "GET" ? c.Get(path.c_str(), h) : c.Post(path.c_str(), h, body, "application/json");
  EXPECT_TRUE(r && r->status == 200) << path << ": " << (r ? r->body : "no answer");
  return r ? json::parse(r->body, nullptr, false) : json();
}

class Contract : public Cli {
 protected:
  // An account where every check has something to read: one eSIM that has attached to a
  // network (it has a location) with a used bundle and an unused one (for the revoke dry run),
  // from two assigned orders; and consumption billing (for v2.5's prices).
  static void SetUpTestSuite() {
    Cli::SetUpTestSuite();
    ASSERT_NE(sandbox_, nullptr);
    esimgo::Client c({.api_key = kKey, .base_url = sandbox_->base_url(), .requests_per_second = 0});
    auto page = c.catalogue().List({.per_page = 100, .countries = {"GB"}});
    ASSERT_TRUE(page) << page.error().ToString();
    std::string bundle;
    for (const auto& b : page->bundles) {
      if (bundle.empty() && !b.unlimited && b.data_amount_mb > 0) bundle = b.name;
    }
    ASSERT_FALSE(bundle.empty());
    auto first = c.orders().Create({.assign = true, .order = {{.item = bundle, .quantity = 1}}});
    ASSERT_TRUE(first) << first.error().ToString();
    ASSERT_FALSE(first->order.empty());
    std::string iccid = first->order[0].esims.empty() ? first->order[0].iccids.at(0)
                                                      : first->order[0].esims[0].iccid;
    Admin(sandbox_->port(), "POST", "/_sandbox/usage",
          json{{"iccid", iccid}, {"bytes", 1000}, {"country", "GB"}}.dump());
    auto second = c.orders().Create(
        {.assign = true, .order = {{.item = bundle, .quantity = 1, .iccids = {iccid}}}});
    ASSERT_TRUE(second) << second.error().ToString();
    Admin(sandbox_->port(), "POST", "/_sandbox/consumption", R"({"enabled":true})");
    // A new assignment is `processing` for a second, then `queued`: let that happen now, so a
    // state snapshot taken by a test cannot change under it for reasons of time alone.
    Admin(sandbox_->port(), "POST", "/_sandbox/clock", R"({"advanceSeconds":60})");
  }

  Proc Check(const std::string& base, std::vector<std::string> args) {
    std::vector<std::string> full = {"--base-url", base,   "--api-key", kKey,
                                     "-o",         "json", "contract",  "check"};
    full.insert(full.end(), args.begin(), args.end());
    return RunCli(full, BaseEnv(home_.path()), home_.path());
  }
  static json Parse(const Proc& p) {
    auto j = json::parse(p.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << p.out << p.err;
    return j.is_discarded() ? json::object() : j;
  }
  static void ExpectAllOk(const json& report) {
    ASSERT_TRUE(report.contains("operations")) << report.dump(2);
    EXPECT_GE(report["operations"].size(), 18u);
    for (const auto& op : report["operations"]) {
      EXPECT_EQ(op["status"], "ok") << op.dump();
      EXPECT_TRUE(op["drift"].empty()) << op.dump();
      EXPECT_GE(op["http_status"].get<int>(), 200) << op.dump();
      EXPECT_LT(op["http_status"].get<int>(), 300) << op.dump();
    }
    EXPECT_EQ(report["summary"]["ok"], report["operations"].size());
    EXPECT_EQ(report["summary"]["drift"], 0);
    EXPECT_EQ(report["summary"]["error"], 0);
    EXPECT_EQ(report["summary"]["skipped"], 0);
    EXPECT_LE(report["summary"]["requests"].get<int>(), 40);
  }
  json FindOp(const json& report, const std::string& name) {
    for (const auto& op : report["operations"]) {
      if (op["operation"] == name) return op;
    }
    ADD_FAILURE() << "no operation " << name << " in " << report.dump(2);
    return json::object();
  }
  static bool HasDrift(const json& op, const std::string& path, const std::string& kind) {
    for (const auto& d : op["drift"]) {
      if (d["path"] == path && d["kind"] == kind) return true;
    }
    return false;
  }
};

TEST_F(Contract, AgainstTheSandboxOnV24EveryOperationIsOkAndTheCheckExitsZero) {
  Proc p = Check(url(), {});
  EXPECT_EQ(p.code, 0) << p.out << p.err;
  json j = Parse(p);
  EXPECT_EQ(j["api_version"], "2.4");
  EXPECT_EQ(j["base_url"], url());
  ExpectAllOk(j);
  // The dry runs were among them.
  EXPECT_EQ(FindOp(j, "POST /orders (type validate)")["status"], "ok");
  EXPECT_EQ(FindOp(j, "DELETE /esims/{iccid}/bundles/{name} (type validate)")["status"], "ok");
}

TEST_F(Contract, AgainstTheSandboxOnV25EveryOperationIsOkAndTheCheckExitsZero) {
  Proc p = Check(WithVersion(url(), "2.5"), {});
  EXPECT_EQ(p.code, 0) << p.out << p.err;
  json j = Parse(p);
  EXPECT_EQ(j["api_version"], "2.5");
  ExpectAllOk(j);
  EXPECT_EQ(FindOp(j, "GET /catalogue/prices")["status"], "ok");
}

TEST_F(Contract, ApiVersionThatContradictsTheBaseUrlIsRefusedBeforeAnyRequest) {
  Proxy proxy(sandbox_->port(), nullptr);
  Proc p = Check(proxy.url("2.4"), {"--api-version", "2.5"});
  EXPECT_EQ(p.code, 3) << p.err;
  EXPECT_NE(p.err.find("v2.4"), std::string::npos) << p.err;
  EXPECT_TRUE(proxy.log().empty());
}

TEST_F(Contract, TheTableReportShowsEachOperationAndASummary) {
  std::vector<std::string> full = {"--base-url", url(),   "--api-key", kKey,
                                   "-o",         "table", "contract",  "check"};
  Proc p = RunCli(full, BaseEnv(home_.path()), home_.path());
  EXPECT_EQ(p.code, 0) << p.err;
  EXPECT_NE(p.out.find("GET /esims/{iccid}/history"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find(" 0 drift · 0 error · 0 skipped"), std::string::npos) << p.out;
  EXPECT_EQ(p.out.find(kKey), std::string::npos);
}

TEST_F(Contract, DriftedAnswersAreNamedByJsonPathAndKindAndTheCheckExitsWithTheDriftCode) {
  Proxy proxy(sandbox_->port(), [](const std::string& method, const std::string& target, int,
                                   Proxy::Answer& a) {
    std::string path = target.substr(0, target.find('?'));
    auto j = json::parse(a.body, nullptr, false);
    if (method != "GET" || j.is_discarded()) return;
    if (path == "/v2.4/esims") {
      j["esims"][0]["loyaltyPoints"] = 7;  // extra
    } else if (std::regex_match(path, std::regex("/v2\\.4/esims/[0-9]+"))) {
      j["iccId"] = j["iccid"];  // renamed
      j.erase("iccid");
    } else if (std::regex_match(path, std::regex("/v2\\.4/esims/[0-9]+/bundles"))) {
      j["bundles"][0]["assignments"][0]["bundleState"] = "hibernating";  // unknown enum value
    } else if (std::regex_match(path, std::regex("/v2\\.4/esims/[0-9]+/bundles/[^/]+"))) {
      j["assignments"] = json::object();  // an object where an array is expected
    } else if (path == "/v2.4/organisation") {
      j["name"] = 42;  // a number where a string is expected
    } else if (std::regex_match(path, std::regex("/v2\\.4/esims/[0-9]+/history"))) {
      j[0]["eventName"] = j[0]["name"];  // renamed (an optional field: only the new name shows)
      j[0].erase("name");
    } else {
      return;
    }
    a.body = j.dump();
  });
  Proc p = Check(proxy.url("2.4"), {});
  EXPECT_EQ(p.code, kExitDrift) << p.out << p.err;
  json r = Parse(p);
  json list = FindOp(r, "GET /esims");
  EXPECT_EQ(list["status"], "drift") << list.dump();
  EXPECT_TRUE(HasDrift(list, "$.esims[0].loyaltyPoints", "unknown_field")) << list.dump();
  json esim = FindOp(r, "GET /esims/{iccid}");
  EXPECT_TRUE(HasDrift(esim, "$.iccId", "unknown_field")) << esim.dump();
  EXPECT_TRUE(HasDrift(esim, "$.iccid", "missing_field")) << esim.dump();
  json bundles = FindOp(r, "GET /esims/{iccid}/bundles");
  EXPECT_TRUE(HasDrift(bundles, "$.bundles[0].assignments[0].bundleState", "unknown_enum"))
      << bundles.dump();
  json bundle = FindOp(r, "GET /esims/{iccid}/bundles/{name}");
  EXPECT_TRUE(HasDrift(bundle, "$.assignments", "type_mismatch")) << bundle.dump();
  json org = FindOp(r, "GET /organisation");
  EXPECT_TRUE(HasDrift(org, "$.name", "type_mismatch")) << org.dump();
  json history = FindOp(r, "GET /esims/{iccid}/history");
  EXPECT_TRUE(HasDrift(history, "$[0].eventName", "unknown_field")) << history.dump();
  for (const json* op : {&list, &esim, &bundles, &bundle, &org, &history}) {
    EXPECT_EQ((*op)["status"], "drift") << op->dump();
  }
  // What did not drift stays ok.
  EXPECT_EQ(FindOp(r, "GET /inventory")["status"], "ok");
  EXPECT_EQ(FindOp(r, "GET /esims/{iccid}/location")["status"], "ok");
  EXPECT_EQ(r["summary"]["drift"], 6) << r.dump(2);
  EXPECT_EQ(r["summary"]["error"], 0) << r.dump(2);
  // The table names them too.
  std::vector<std::string> full = {"--base-url", proxy.url("2.4"), "--api-key", kKey,
                                   "-o",         "table",          "contract",  "check"};
  Proc t = RunCli(full, BaseEnv(home_.path()), home_.path());
  EXPECT_EQ(t.code, kExitDrift);
  EXPECT_NE(t.out.find("$.bundles[0].assignments[0].bundleState unknown_enum"), std::string::npos)
      << t.out;
}

// Every request a check sent, judged by the proxy that saw it (not by the check's own guard).
void ExpectOnlyReadsAndDryRuns(const std::vector<Proxy::Exchange>& log) {
  EXPECT_FALSE(log.empty());
  EXPECT_LE(log.size(), 40u);
  for (const auto& x : log) {
    EXPECT_EQ(StateChanging(x.method, x.target, x.body), "") << "state-changing request sent";
  }
}

TEST_F(Contract, AFullCheckSendsOnlyReadsAndDryRunsAndChangesNothing) {
  auto state = [this] {
    json j = Admin(sandbox_->port(), "GET", "/_sandbox/state", "");
    j.erase("now");
    return j;
  };
  json before = state();
  Proxy proxy(sandbox_->port(), nullptr);
  Proc p = Check(proxy.url("2.5"), {});
  EXPECT_EQ(p.code, 0) << p.out << p.err;
  auto log = proxy.log();
  ExpectOnlyReadsAndDryRuns(log);
  // Both dry runs were really sent.
  int validates = 0, revokes = 0;
  for (const auto& x : log) {
    if (x.method == "POST") ++validates;
    if (x.method == "DELETE") ++revokes;
  }
  EXPECT_EQ(validates, 1);
  EXPECT_EQ(revokes, 1);
  // Balance, ledger, orders, eSIMs and assignments by state: all as they were.
  EXPECT_EQ(state(), before);
}

TEST_F(Contract, ServerErrorsRateLimitsAndDroppedConnectionsStillSendNothingButReadsAndDryRuns) {
  struct Case {
    const char* name;
    Proxy::Mutate mutate;
  };
  std::vector<Case> cases = {
      {"every answer a 500",
       [](const std::string&, const std::string&, int, Proxy::Answer& a) {
         a.status = 500;
         // A server that quotes the key back: the report must not.
         a.body = std::string(R"({"message":"boom for key )") + kKey + "\"}";
       }},
      {"every other answer a 429",
       [](const std::string&, const std::string&, int n, Proxy::Answer& a) {
         if (n % 2 == 0) {
           a.status = 429;
           a.body = R"({"message":"Rate limit exceeded"})";
           a.retry_after = 0;
         }
       }},
      {"every third connection dropped",
       [](const std::string&, const std::string&, int n, Proxy::Answer& a) {
         if (n % 3 == 0) a.drop = true;
       }},
      {"every answer a 400 or 403",
       [](const std::string&, const std::string&, int n, Proxy::Answer& a) {
         a.status = n % 2 ? 400 : 403;
         a.body = R"({"message":"no"})";
       }},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    Proxy proxy(sandbox_->port(), c.mutate);
    Proc p = Check(proxy.url("2.4"), {});
    EXPECT_NE(p.code, 0) << p.out;
    EXPECT_TRUE(p.code == kExitErrors || p.code == kExitDrift) << p.code << p.err;
    ExpectOnlyReadsAndDryRuns(proxy.log());
    json r = Parse(p);
    EXPECT_GT(r["summary"]["error"].get<int>(), 0) << r.dump(2);
    EXPECT_EQ(p.err.find("refused by the guard"), std::string::npos) << p.err;
    EXPECT_EQ(p.out.find(kKey), std::string::npos) << p.out;
    EXPECT_EQ(p.err.find(kKey), std::string::npos) << p.err;
  }
}

// The guard's allow-list itself, probed request by request through `contract allowed` (which
// sends nothing): what a check may send, and everything that could move money or change an
// eSIM, refused.
TEST(ContractGuard, OnlyReadsAndDryRunsPassTheAllowList) {
  TempDir home;
  const std::string iccid = "89440000000000000001";
  auto probe = [&](std::vector<std::string> request, const std::string& version = "2.4") {
    std::vector<std::string> args = {"contract", "allowed", "--api-version", version};
    args.insert(args.end(), request.begin(), request.end());
    return RunCli(args, BaseEnv(home.path()), home.path());
  };
  const std::string validate =
      R"({"type":"validate","assign":false,"order":[{"type":"bundle","item":"x","quantity":1}]})";
  struct Case {
    std::vector<std::string> request;
    std::string version;
  };
  std::vector<Case> allowed = {
      {{"GET", "/esims?page=1&perPage=10"}, "2.4"},
      {{"GET", "/esims/" + iccid + "/history"}, "2.4"},
      {{"GET", "/esims/assignments?reference=abc"}, "2.5"},
      {{"POST", "/orders", validate}, "2.4"},
      {{"DELETE", "/esims/" + iccid + "/bundles/esim_1GB_7D_GB_V2?type=validate"}, "2.4"},
      {{"GET", "/catalogue/prices"}, "2.5"},
  };
  for (const auto& c : allowed) {
    Proc p = probe(c.request, c.version);
    EXPECT_EQ(p.code, 0) << c.request[0] << " " << c.request[1] << ": " << p.err;
  }
  std::vector<Case> refused = {
      {{"POST", "/orders", R"({"type":"transaction","assign":true,"order":[]})"}, "2.4"},
      {{"POST", "/orders", R"({"type":"validate","type":"transaction"})"}, "2.4"},
      {{"POST", "/orders", R"({"order":[{"type":"validate"}]})"}, "2.4"},
      {{"POST", "/orders", "type=validate"}, "2.4"},
      {{"POST", "/orders"}, "2.4"},
      {{"DELETE", "/esims/" + iccid + "/bundles/x"}, "2.4"},
      {{"DELETE", "/esims/" + iccid + "/bundles/x?type=transaction"}, "2.4"},
      {{"DELETE", "/esims/" + iccid + "/bundles/x?type=validate&type=transaction"}, "2.4"},
      {{"DELETE", "/esims/" + iccid + "/bundles/x?%74ype=transaction&type=validate"}, "2.4"},
      {{"DELETE", "/esims/" + iccid + "/bundles/x/assignments/1?type=validate"}, "2.4"},
      {{"DELETE", "/esims/" + iccid}, "2.5"},
      {{"GET", "/esims/" + iccid + "/refresh"}, "2.4"},
      {{"GET", "/esims/" + iccid + "/suspend"}, "2.5"},
      {{"POST", "/esims/" + iccid + "/suspend", R"({"suspend":true})"}, "2.5"},
      {{"POST", "/esims/apply", R"({"name":"x"})"}, "2.4"},
      {{"POST", "/esims/" + iccid + "/sms", R"({"message":"hi"})"}, "2.4"},
      {{"PUT", "/esims", R"({"iccid":"1","customerRef":"x"})"}, "2.4"},
      {{"POST", "/organisation/balance", R"({"amount":100})"}, "2.4"},
      {{"POST", "/inventory/refund", R"({"usageId":1,"quantity":1})"}, "2.4"},
      {{"POST", "/esims/" + iccid + "/bundles", R"({"name":"x"})"}, "2.4"},
      {{"GET", "/catalogue/prices"}, "2.4"},
      {{"GET", "/catalogue/bundle/..%2F..%2Fesims"}, "2.4"},
      {{"GET", "/esims/assignments/../" + iccid + "/refresh"}, "2.4"},
      {{"GET", "//esims"}, "2.4"},
      {{"GET", "/esims/1234/history"}, "2.4"},
      {{"PATCH", "/esims"}, "2.4"},
  };
  for (const auto& c : refused) {
    Proc p = probe(c.request, c.version);
    EXPECT_EQ(p.code, 3) << c.request[0] << " " << c.request[1] << " was allowed: " << p.out;
    EXPECT_NE(p.err.find("contract guard"), std::string::npos) << p.err;
  }
}

TEST(ContractGuard, TheAllowListCommandPrintsTheRowsOfTheVersion) {
  TempDir home;
  Proc v24 = RunCli({"contract", "allow-list"}, BaseEnv(home.path()), home.path());
  Proc v25 =
      RunCli({"contract", "allow-list", "--api-version", "2.5"}, BaseEnv(home.path()), home.path());
  ASSERT_EQ(v24.code, 0) << v24.err;
  EXPECT_NE(v24.out.find("POST /orders (body type \"validate\" only)"), std::string::npos);
  EXPECT_NE(v24.out.find("DELETE /esims/{iccid}/bundles/{name} (type=validate only)"),
            std::string::npos);
  EXPECT_EQ(v24.out.find("/catalogue/prices"), std::string::npos);
  EXPECT_NE(v25.out.find("GET /catalogue/prices"), std::string::npos);
}

TEST_F(Contract, RecordingIntoADirectoryThatHoldsARecordingIsRefused) {
  TempDir rec;
  WriteFile(rec.path() / "01-get-organisation.txt", "old");
  Proxy proxy(sandbox_->port(), nullptr);
  Proc p = Check(proxy.url("2.4"), {"--record", rec.path().string()});
  EXPECT_EQ(p.code, 3) << p.err;
  EXPECT_NE(p.err.find("already holds a recording"), std::string::npos) << p.err;
  EXPECT_TRUE(proxy.log().empty());
}

// Secrets the proxy adds to the install details, beside the sandbox's own matching IDs.
constexpr const char* kActivation = "ACT-7f3a9c41-SECRET-CODE";
constexpr const char* kPin = "4321";
constexpr const char* kPuk = "87654321";
constexpr const char* kLpaCode = "MATCH-1B2C3D-SECRET";

TEST_F(Contract, RecordedFilesHoldNoSecretAndEveryOtherByteExactlyAsAnswered) {
  Proxy proxy(sandbox_->port(),
              [](const std::string& method, const std::string& target, int, Proxy::Answer& a) {
                if (method != "GET" || target.find("/esims/assignments") == std::string::npos)
                  return;
                auto j = json::parse(a.body, nullptr, false);
                if (j.is_discarded()) return;  // the CSV stays as the sandbox wrote it
                for (auto& e : j.is_array() ? j : j["esims"]) {
                  e["activationCode"] = kActivation;
                  e["pin"] = kPin;
                  e["puk"] = kPuk;
                  e["appleInstallUrl"] = std::string(
                                             "https://esimsetup.apple.com/esim_qrcode_provisioning?"
                                             "carddata=LPA:1$rsp.example.com$") +
                                         kLpaCode;
                }
                a.body = j.dump();
                a.headers.emplace("X-Echo-Key", kKey);
              });
  TempDir rec;
  Proc p = Check(proxy.url("2.4"), {"--record", rec.path().string()});
  EXPECT_TRUE(p.code == 0 || p.code == kExitDrift) << p.err;  // the added fields are drift

  // The secrets as answered: the sandbox's matching IDs, and ours.
  std::set<std::string> matching_ids;
  auto log = proxy.log();
  for (const auto& x : log) {
    if (x.target.find("/esims/assignments") == std::string::npos) continue;
    auto j = json::parse(x.answer, nullptr, false);
    if (j.is_discarded()) continue;
    for (auto& e : j.is_array() ? j : j["esims"])
      matching_ids.insert(e["matchingId"].get<std::string>());
  }
  ASSERT_FALSE(matching_ids.empty()) << "the check read no install details";
  // Every PIN, PUK and API key the answers named (GET /esims/{iccid} and GET /organisation
  // carry them too).
  std::set<std::pair<std::string, std::string>> named;
  std::function<void(const json&)> walk = [&](const json& v) {
    if (v.is_object()) {
      for (const auto& [k, x] : v.items()) {
        if ((k == "pin" || k == "puk" || k == "apiKey") && x.is_string()) named.insert({k, x});
        walk(x);
      }
    } else if (v.is_array()) {
      for (const auto& x : v) walk(x);
    }
  };
  for (const auto& x : log) walk(json::parse(x.answer, nullptr, false));
  EXPECT_GE(named.size(), 3u);

  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(rec.path())) {
    if (e.path().extension() == ".txt") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), log.size()) << "one file per answer";
  int redacted_files = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    std::string text = ReadFile(files[i]);
    SCOPED_TRACE(files[i].filename().string());
    for (const std::string& secret :
         {std::string(kKey), std::string(kActivation), std::string(kLpaCode),
          std::string("\"") + kPin + "\"", std::string(kPuk)}) {
      EXPECT_EQ(text.find(secret), std::string::npos) << secret;
    }
    for (const auto& m : matching_ids) EXPECT_EQ(text.find(m), std::string::npos) << m;
    // The body is the answer with exactly the secrets replaced.
    std::string body = text.substr(text.find("\n\n") + 2);
    std::string expected = log[i].answer;
    auto replace_all = [&expected](const std::string& from, const std::string& to) {
      for (size_t at = 0; (at = expected.find(from, at)) != std::string::npos; at += to.size()) {
        expected.replace(at, from.size(), to);
      }
    };
    replace_all(std::string("LPA:1$rsp.example.com$") + kLpaCode, "LPA:1$REDACTED");
    for (const auto& m : matching_ids) replace_all(m, "REDACTED");
    replace_all(kActivation, "REDACTED");
    for (const auto& [field, value] : named) {
      replace_all("\"" + field + "\":\"" + value + "\"", "\"" + field + "\":\"REDACTED\"");
    }
    EXPECT_EQ(body, expected);
    if (body != log[i].answer) ++redacted_files;
    EXPECT_NE(text.find("status: " + std::to_string(log[i].status)), std::string::npos);
  }
  EXPECT_GE(redacted_files, 2) << "the JSON and CSV install details carry secrets";
}

TEST_F(Contract, AReplayOfAFreshRecordingReportsWhatTheCheckReportedWithoutTheNetwork) {
  TempDir rec;
  Proc live = Check(WithVersion(url(), "2.5"), {"--record", rec.path().string()});
  ASSERT_EQ(live.code, 0) << live.err;
  std::vector<std::string> args = {"-o", "json", "contract", "replay", rec.path().string()};
  // No key and a dead base URL: a replay that reached the network would fail.
  DeadPort dead;
  args.insert(args.begin(), {"--base-url", dead.url()});
  Proc replay = RunCli(args, BaseEnv(home_.path()), home_.path());
  ASSERT_EQ(replay.code, 0) << replay.out << replay.err;
  json a = Parse(live), b = Parse(replay);
  ASSERT_EQ(a["operations"].size(), b["operations"].size());
  for (size_t i = 0; i < a["operations"].size(); ++i) {
    EXPECT_EQ(a["operations"][i]["operation"], b["operations"][i]["operation"]);
    EXPECT_EQ(a["operations"][i]["status"], b["operations"][i]["status"]);
    EXPECT_EQ(a["operations"][i]["http_status"], b["operations"][i]["http_status"]);
  }
  EXPECT_EQ(b["api_version"], "2.5");
  EXPECT_EQ(b["replay"], true);
}

TEST_F(Contract, TheCommittedSandboxRecordingsReplayCleanOffline) {
  for (const char* name : {"sandbox-v2.4", "sandbox-v2.5"}) {
    SCOPED_TRACE(name);
    fs::path dir = fs::path(ESIMGO_SOURCE_DIR) / "tests" / "data" / "live" / name;
    Proc p = RunCli({"-o", "json", "contract", "replay", dir.string()}, BaseEnv(home_.path()),
                    home_.path());
    EXPECT_EQ(p.code, 0) << p.out << p.err;
    ExpectAllOk(Parse(p));
  }
}

TEST_F(Contract, AReplayOfADirectoryWithoutRecordingsIsAClearError) {
  TempDir empty;
  Proc p =
      RunCli({"contract", "replay", empty.path().string()}, BaseEnv(home_.path()), home_.path());
  EXPECT_EQ(p.code, 3) << p.err;
  EXPECT_NE(p.err.find("no recorded answers"), std::string::npos) << p.err;
}

TEST_F(Contract, WithoutAKeyTheCheckRunsAgainstTheEmbeddedSandbox) {
  for (const char* version : {"2.4", "2.5"}) {
    SCOPED_TRACE(version);
    Proc p = RunCli({"-o", "json", "contract", "check", "--api-version", version},
                    BaseEnv(home_.path()), home_.path());
    EXPECT_EQ(p.code, 0) << p.out << p.err;
    json j = Parse(p);
    // The embedded sandbox (in-process: no port), in the version asked for.
    EXPECT_TRUE(j["base_url"].get<std::string>().ends_with(std::string("/v") + version)) << j;
    EXPECT_NE(p.err.find("embedded sandbox"), std::string::npos) << p.err;
    EXPECT_EQ(j["api_version"], version);
    EXPECT_EQ(j["summary"]["error"], 0) << j.dump(2);
    EXPECT_EQ(j["summary"]["drift"], 0) << j.dump(2);
  }
}

}  // namespace
}  // namespace esimgo_cli_test
