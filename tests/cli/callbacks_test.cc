// CLI end-to-end tests: `callbacks verify|listen`: signatures, storage, deduplication.

#include "cli_fixture.h"

namespace esimgo_cli_test {
namespace {

// Rows in the receiver's SQLite event store (esimgo::callbacks schema, issue 11).
int64_t CountStored(const fs::path& db) {
  sqlite3* h = nullptr;
  sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(h, "SELECT count(*) FROM callback_events", -1, &st, nullptr);
  int64_t n = -1;
  if (st && sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(h);
  return n;
}

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

}  // namespace
}  // namespace esimgo_cli_test
