// CLI end-to-end tests: `callbacks verify|listen`: signatures, storage, deduplication.

#include "cli_fixture.h"

namespace esimgo_cli_test {
namespace {

TEST_F(Cli, CallbacksVerifyAcceptsTheRightSignatureAndExits9OnAMismatch) {
  fs::path body = home_.path() / "body.json";
  std::string raw = R"({"alertType":"Utilisation","iccid":"8944000000000000001"})";
  WriteFile(body, raw);
  std::string sig = esimgo::webhook::ComputeSignature(kKey, raw);
  Proc ok = Exec({"callbacks", "verify", "--body-file", body.string(), "--signature", sig});
  EXPECT_EQ(ok.code, 0) << ok.err;
  Proc bad = Exec({"callbacks", "verify", "--body-file", body.string(), "--signature",
                   esimgo::webhook::ComputeSignature("other-key", raw)});
  EXPECT_EQ(bad.code, 9) << bad.err;
}

TEST(CliCallbacks, SignedCallbacksFromTheSandboxAreVerifiedStoredOnceAndPrinted) {
  TempDir home;
  fs::path store = home.path() / "events.db";
  fs::path exec_out = home.path() / "exec.jsonl";
  Env env = BaseEnv(home.path());
  pid_t listener =
      Spawn({"--api-key", kKey, "-o", "json", "callbacks", "listen", "--port", "0", "--store",
             store.string(), "--require-signature", "--exec", "cat >> " + exec_out.string()},
            env, home.path(), "listen");
  std::string err = WaitFor(home.path() / "listen.err", "listening on http://");
  auto at = err.find("http://");
  ASSERT_NE(at, std::string::npos) << err;
  std::string cb_url = err.substr(at, err.find_first_of(" \n", at) - at);
  ASSERT_NE(cb_url.find("/callback"), std::string::npos) << cb_url;

  auto sb = esimgo::sandbox::Sandbox::Start({.port = 0,
                                             .api_key = kKey,
                                             .callback_url = cb_url,
                                             .callback_version = 3,
                                             .rate_limit = 0,
                                             .seed = 7});
  ASSERT_TRUE(sb) << sb.error().ToString();
  esimgo::Client c({.api_key = kKey, .base_url = (*sb)->base_url(), .requests_per_second = 0});
  auto page = c.catalogue().List({.per_page = 20, .countries = {"GB"}});
  ASSERT_TRUE(page && !page->bundles.empty());
  std::string bundle;
  for (const auto& b : page->bundles) {
    if (!b.unlimited && b.data_amount_mb > 0) bundle = b.name;
  }
  auto order = c.orders().Create({.order = {{.item = bundle, .quantity = 1}}});
  ASSERT_TRUE(order) << order.error().ToString();
  auto applied = c.esims().ApplyBundle({.name = bundle});
  ASSERT_TRUE(applied && !applied->esims.empty());
  std::string iccid = applied->esims[0].iccid;

  Proc use = RunCli({"--base-url", (*sb)->base_url(), "--api-key", kKey, "sandbox", "usage", iccid,
                     "--percent", "60"},
                    env, home.path());
  ASSERT_EQ(use.code, 0) << use.err;

  // FirstUse and Utilisation (50 %) alerts arrive, signed, and are printed as JSON lines.
  std::string out = WaitFor(home.path() / "listen.out", "\"Utilisation\"");
  ASSERT_NE(out.find("\"Utilisation\""), std::string::npos)
      << out << ReadFile(home.path() / "listen.err");
  int lines = 0;
  std::istringstream in(out);
  for (std::string l; std::getline(in, l);) {
    json e = json::parse(l);
    EXPECT_EQ(e["iccid"], iccid);
    EXPECT_EQ(e["verified"], true);
    ++lines;
  }
  EXPECT_GE(lines, 2);
  EXPECT_EQ(CountStored(store), lines);
  EXPECT_EQ(WaitFor(exec_out, "Utilisation").find("Utilisation") != std::string::npos, true);

  // Forged, oversized and redelivered callbacks.
  auto port = std::stoi(cb_url.substr(cb_url.rfind(':') + 1));
  httplib::Client http("127.0.0.1", port);
  std::string body = R"({"alertType":"FirstUse","iccid":")" + iccid + R"("})";
  auto forged = http.Post("/callback", {{"X-Signature-SHA256", "AAAA"}}, body, "application/json");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 401);
  auto unsigned_ = http.Post("/callback", body, "application/json");
  ASSERT_TRUE(unsigned_);
  EXPECT_EQ(unsigned_->status, 401);
  std::string big = R"({"alertType":"x","pad":")" + std::string(70 * 1024, 'a') + "\"}";
  auto too_big =
      http.Post("/callback", {{"X-Signature-SHA256", esimgo::webhook::ComputeSignature(kKey, big)}},
                big, "application/json");
  ASSERT_TRUE(too_big);
  EXPECT_EQ(too_big->status, 413);
  std::string sig = esimgo::webhook::ComputeSignature(kKey, body);
  for (int i = 0; i < 2; ++i) {
    auto r = http.Post("/callback", {{"X-Signature-SHA256", sig}}, body, "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  EXPECT_EQ(CountStored(store), lines + 1);  // the redelivery was deduplicated

  (*sb)->Stop();
  kill(listener, SIGTERM);
  EXPECT_EQ(WaitExit(listener), 0);
}

// A receiver on a SQLite store in `home`, port parsed from its stderr.
struct SqliteReceiver {
  SqliteReceiver(const fs::path& home, const std::vector<std::string>& extra,
                 const std::string& name = "listen", Env env = {}) {
    Env e = BaseEnv(home);
    for (auto& [k, v] : env) e[k] = v;
    std::vector<std::string> args = {
        "--api-key", kKey,     "-o", "json",    "callbacks",
        "listen",    "--port", "0",  "--store", (home / "events.db").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    pid = Spawn(args, e, home, name);
    std::string err = WaitFor(home / (name + ".err"), "listening on http://");
    auto at = err.find("http://127.0.0.1:");
    if (at != std::string::npos) port = std::stoi(err.substr(at + 17));
  }
  ~SqliteReceiver() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      WaitExit(pid);
    }
  }
  int Stop() {
    kill(pid, SIGTERM);
    int code = WaitExit(pid);
    pid = -1;
    return code;
  }
  httplib::Result Post(const std::string& body, const std::string& key = kKey) const {
    httplib::Client c("127.0.0.1", port);
    return c.Post("/callback",
                  {{"X-Signature-SHA256", esimgo::webhook::ComputeSignature(key, body)}}, body,
                  "application/json");
  }
  pid_t pid = -1;
  int port = 0;
};

std::string CountryChange(const std::string& code) {
  return R"({"alertType":"CountryChange","iccid":"8944000000000000077","country":{"code":")" +
         code + R"(","name":"x"}})";
}

TEST(CliCallbacks, AnIdenticalCallbackAfterTheDedupeWindowIsANewEventNotADuplicate) {
  // The earlier receiver deduplicated by body hash forever and dropped eSIM Go's 24-hourly
  // CountryChange repeat; now only a redelivery within the window is a duplicate.
  TempDir home;
  SqliteReceiver r(home.path(), {"--dedupe-window", "1s"});
  ASSERT_GT(r.port, 0) << ReadFile(home.path() / "listen.err");
  auto first = r.Post(CountryChange("FR"));
  ASSERT_TRUE(first);
  EXPECT_EQ(json::parse(first->body)["status"], "stored");
  EXPECT_EQ(json::parse(r.Post(CountryChange("FR"))->body)["status"], "duplicate");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // the window is wall-clock time
  auto later = r.Post(CountryChange("FR"));
  ASSERT_TRUE(later);
  EXPECT_EQ(json::parse(later->body)["status"], "stored") << later->body;
  EXPECT_EQ(CountStored(home.path() / "events.db"), 2);
  EXPECT_EQ(r.Stop(), 0);
}

TEST(CliCallbacks, AWindowOf24HoursOrMoreIsRefusedBeforeListening) {
  TempDir home;
  Proc p = RunCli({"--api-key", kKey, "callbacks", "listen", "--port", "0", "--dedupe-window",
                   "24h", "--store", (home.path() / "e.db").string()},
                  BaseEnv(home.path()), home.path());
  EXPECT_EQ(p.code, 3) << p.err;
  EXPECT_NE(p.err.find("CountryChange"), std::string::npos) << p.err;
}

TEST(CliCallbacks, ThePreviousKeyVerifiesDuringARotationAndTheSlotIsStoredAndPrinted) {
  TempDir home;
  SqliteReceiver r(home.path(), {"--require-signature"}, "listen",
                   {{"ESIMGO_CALLBACK_KEYS", std::string(kKey) + ",old-key-1b7c"}});
  ASSERT_GT(r.port, 0) << ReadFile(home.path() / "listen.err");
  EXPECT_EQ(r.Post(CountryChange("FR"))->status, 200);
  EXPECT_EQ(r.Post(CountryChange("DE"), "old-key-1b7c")->status, 200);
  EXPECT_EQ(r.Post(CountryChange("IT"), "unknown-key")->status, 401);
  EXPECT_EQ(r.Stop(), 0);
  Proc tail = RunCli({"callbacks", "tail", "--store", (home.path() / "events.db").string()},
                     BaseEnv(home.path()), home.path());
  ASSERT_EQ(tail.code, 0) << tail.err;
  std::vector<json> lines;
  std::istringstream in(tail.out);
  for (std::string l; std::getline(in, l);) lines.push_back(json::parse(l));
  ASSERT_EQ(lines.size(), 2u) << tail.out;
  EXPECT_EQ(lines[0]["key_slot"], 0);
  EXPECT_EQ(lines[1]["key_slot"], 1);
  EXPECT_EQ(lines[1]["body"]["country"]["code"], "DE");
  // Neither key is ever printed.
  for (const auto& f : {"listen.out", "listen.err"}) {
    std::string text = ReadFile(home.path() / f);
    EXPECT_EQ(text.find("old-key-1b7c"), std::string::npos) << f;
    EXPECT_EQ(text.find(kKey), std::string::npos) << f;
  }
}

TEST(CliCallbacks, TailPrintsJsonLinesFiltersAndANamedConsumerResumesAfterItsLastPage) {
  TempDir home;
  SqliteReceiver r(home.path(), {"--quiet"});
  ASSERT_GT(r.port, 0);
  for (const char* c : {"FR", "DE", "IT"}) ASSERT_EQ(r.Post(CountryChange(c))->status, 200);
  ASSERT_EQ(r.Post(R"({"alertType":"Utilisation","iccid":"8944000000000000001"})")->status, 200);
  std::string store = (home.path() / "events.db").string();
  Env env = BaseEnv(home.path());
  Proc only =
      RunCli({"callbacks", "tail", "--store", store, "--type", "Utilisation"}, env, home.path());
  ASSERT_EQ(only.code, 0) << only.err;
  EXPECT_EQ(std::count(only.out.begin(), only.out.end(), '\n'), 1) << only.out;
  EXPECT_EQ(json::parse(only.out)["iccid"], "8944000000000000001");
  Proc first = RunCli({"callbacks", "tail", "--store", store, "--consumer", "billing", "-n", "2"},
                      env, home.path());
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_EQ(std::count(first.out.begin(), first.out.end(), '\n'), 2) << first.out;
  ASSERT_EQ(r.Post(CountryChange("ES"))->status, 200);
  Proc second =
      RunCli({"callbacks", "tail", "--store", store, "--consumer", "billing"}, env, home.path());
  ASSERT_EQ(second.code, 0) << second.err;
  std::vector<int64_t> ids;
  std::istringstream in(second.out);
  for (std::string l; std::getline(in, l);) ids.push_back(json::parse(l)["id"]);
  EXPECT_EQ(ids, (std::vector<int64_t>{3, 4, 5})) << second.out;
  Proc missing = RunCli({"callbacks", "tail", "--store", (home.path() / "nope.db").string()}, env,
                        home.path());
  EXPECT_EQ(missing.code, 3) << missing.err;
  EXPECT_FALSE(fs::exists(home.path() / "nope.db"));  // a typo does not create a store
}

TEST(CliCallbacks, ReplaySendsTheStoredBytesWithTheirSignatureAndReplayHeaders) {
  TempDir home;
  SqliteReceiver r(home.path(), {"--quiet"});
  ASSERT_GT(r.port, 0);
  std::string body = "{\n  \"alertType\": \"CountryChange\", \"iccid\": 89440000000000000123 }";
  auto stored = r.Post(body);
  ASSERT_TRUE(stored && stored->status == 200);
  int64_t id = json::parse(stored->body)["id"];
  ASSERT_EQ(r.Stop(), 0);

  httplib::Server target;
  std::mutex mu;
  std::vector<httplib::Request> got;
  target.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu);
    got.push_back(req);
    res.status = 204;
  });
  int port = target.bind_to_any_port("127.0.0.1");
  std::thread t([&] { target.listen_after_bind(); });
  Proc p = RunCli({"--api-key", kKey, "-o", "json", "callbacks", "replay", "--store",
                   (home.path() / "events.db").string(), "--id", std::to_string(id), "--forward-to",
                   "http://127.0.0.1:" + std::to_string(port) + "/hook"},
                  BaseEnv(home.path()), home.path());
  target.stop();
  t.join();
  EXPECT_EQ(p.code, 0) << p.err;
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, body);  // exact bytes: whitespace and the numeric ICCID untouched
  EXPECT_EQ(got[0].get_header_value("X-Signature-SHA256"),
            esimgo::webhook::ComputeSignature(kKey, body));
  EXPECT_EQ(got[0].get_header_value("X-Esimgo-Event-Id"), std::to_string(id));
  EXPECT_EQ(got[0].get_header_value("X-Esimgo-Replay"), "1");

  Proc none = RunCli({"callbacks", "replay", "--store", (home.path() / "events.db").string(),
                      "--forward-to", "http://127.0.0.1:1/x"},
                     BaseEnv(home.path()), home.path());
  EXPECT_EQ(none.code, 3) << none.err;  // which events? neither --id nor --since
}

TEST(CliCallbacks, PruneDeletesOnlyEventsOlderThanTheCut) {
  TempDir home;
  SqliteReceiver r(home.path(), {"--quiet"});
  ASSERT_GT(r.port, 0);
  ASSERT_EQ(r.Post(CountryChange("FR"))->status, 200);
  ASSERT_EQ(r.Stop(), 0);
  std::string store = (home.path() / "events.db").string();
  Proc keep = RunCli({"-o", "json", "callbacks", "prune", "--store", store, "--older-than", "1h"},
                     BaseEnv(home.path()), home.path());
  ASSERT_EQ(keep.code, 0) << keep.err;
  EXPECT_EQ(json::parse(keep.out)["events"], 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  Proc cut = RunCli({"-o", "json", "callbacks", "prune", "--store", store, "--older-than", "1s",
                     "--dedupe-window", "1s"},
                    BaseEnv(home.path()), home.path());
  ASSERT_EQ(cut.code, 0) << cut.err;
  EXPECT_EQ(json::parse(cut.out)["events"], 1);
  EXPECT_EQ(CountStored(home.path() / "events.db"), 0);
}

}  // namespace
}  // namespace esimgo_cli_test
