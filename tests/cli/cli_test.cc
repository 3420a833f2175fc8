// End-to-end tests of the `esimgo` binary: each test runs the real executable as a process
// against a sandbox started in-process on port 0, parses its stdout and checks the state
// through the SDK.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "esimgo/esimgo.h"
#include "esimgo/sandbox/sandbox.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kCli = ESIMGO_CLI_PATH;
constexpr const char* kKey = "cli-test-key-7f3a9c41";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "esimgo-cli-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct Proc {
  int code = -1;
  std::string out;
  std::string err;
};

using Env = std::map<std::string, std::string>;

// A clean environment: HOME and the XDG dirs inside `home`, no ESIMGO_* from the caller.
Env BaseEnv(const fs::path& home) {
  return {{"PATH", "/usr/bin:/bin"},
          {"HOME", home.string()},
          {"XDG_STATE_HOME", (home / "state").string()},
          {"XDG_CONFIG_HOME", (home / "config").string()},
          {"NO_COLOR", "1"}};
}

// Starts the CLI with stdout/stderr redirected to files in `dir`.
pid_t Spawn(const std::vector<std::string>& args, const Env& env, const fs::path& dir,
            const std::string& name, const std::string& stdin_text = {}) {
  fs::path in = dir / (name + ".in");
  WriteFile(in, stdin_text);
  std::vector<std::string> argv_s = {kCli};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<std::string> env_s;
  for (const auto& [k, v] : env) env_s.push_back(k + "=" + v);
  pid_t pid = fork();
  if (pid == 0) {
    int fd_in = open(in.c_str(), O_RDONLY);
    int fd_out = open((dir / (name + ".out")).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int fd_err = open((dir / (name + ".err")).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd_in, 0);
    dup2(fd_out, 1);
    dup2(fd_err, 2);
    std::vector<char*> argv, envp;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    execve(kCli, argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

int WaitExit(pid_t pid, std::chrono::seconds limit = std::chrono::seconds(60)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Proc RunCli(const std::vector<std::string>& args, const Env& env, const fs::path& dir,
            const std::string& stdin_text = {}) {
  static int counter = 0;
  std::string name = "run" + std::to_string(++counter);
  pid_t pid = Spawn(args, env, dir, name, stdin_text);
  Proc p;
  p.code = WaitExit(pid);
  p.out = ReadFile(dir / (name + ".out"));
  p.err = ReadFile(dir / (name + ".err"));
  return p;
}

class Cli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto sb = esimgo::sandbox::Sandbox::Start(
        {.port = 0, .api_key = kKey, .rate_limit = 0, .seed = 4242});
    ASSERT_TRUE(sb) << sb.error().ToString();
    sandbox_ = std::move(*sb).release();
  }
  static void TearDownTestSuite() {
    delete sandbox_;
    sandbox_ = nullptr;
  }

  [[nodiscard]] std::string url() const { return sandbox_->base_url(); }
  [[nodiscard]] esimgo::Client client() const {
    return esimgo::Client({.api_key = kKey, .base_url = url(), .requests_per_second = 0});
  }

  // Runs `esimgo --base-url <sandbox> --api-key <key> args…`.
  Proc Exec(std::vector<std::string> args, const std::string& stdin_text = {}) {
    std::vector<std::string> full = {"--base-url", url(), "--api-key", kKey};
    full.insert(full.end(), args.begin(), args.end());
    return RunCli(full, BaseEnv(home_.path()), home_.path(), stdin_text);
  }

  // The JSON stdout of a successful run.
  json CliJson(std::vector<std::string> args) {
    args.insert(args.begin(), {"-o", "json"});
    Proc p = Exec(args);
    EXPECT_EQ(p.code, 0) << p.err;
    auto j = json::parse(p.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << p.out;
    return j;
  }

  // A GB data bundle with a finite amount.
  std::string GbBundle() {
    auto page = client().catalogue().List({.per_page = 100, .countries = {"GB"}});
    EXPECT_TRUE(page) << page.error().ToString();
    for (const auto& b : page->bundles) {
      if (!b.unlimited && b.data_amount_mb > 0) return b.name;
    }
    ADD_FAILURE() << "no GB bundle in the sandbox catalogue";
    return "";
  }

  // Buys one bundle into inventory and applies it to a new eSIM; returns the ICCID.
  std::string NewEsimWithBundle(const std::string& bundle) {
    json order = CliJson({"orders", "create", bundle, "--yes"});
    EXPECT_FALSE(order.value("order_reference", "").empty()) << order.dump();
    json applied = CliJson({"esims", "apply", bundle});
    EXPECT_EQ(applied["esims"].size(), 1u) << applied.dump();
    return applied["esims"][0]["iccid"].get<std::string>();
  }

  static esimgo::sandbox::Sandbox* sandbox_;
  TempDir home_;
};

esimgo::sandbox::Sandbox* Cli::sandbox_ = nullptr;

// ---- catalogue --------------------------------------------------------------------------

TEST_F(Cli, CatalogueListJsonMatchesTheSdkAndFiltersByCountry) {
  json list = CliJson({"catalogue", "list", "--countries", "GB", "--per-page", "50"});
  ASSERT_TRUE(list.is_array());
  ASSERT_FALSE(list.empty());
  auto sdk = client().catalogue().List({.per_page = 50, .countries = {"GB"}});
  ASSERT_TRUE(sdk);
  ASSERT_EQ(list.size(), sdk->bundles.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(list[i]["name"], sdk->bundles[i].name);
    EXPECT_EQ(list[i]["data_amount_mb"].get<int64_t>(), sdk->bundles[i].data_amount_mb);
    EXPECT_EQ(list[i]["price"].dump(), sdk->bundles[i].price.ToString());
    bool has_gb = false;
    for (const auto& c : list[i]["countries"]) has_gb |= c["iso"] == "GB";
    EXPECT_TRUE(has_gb) << list[i].dump();
  }
}

TEST_F(Cli, CatalogueListCsvHasAHeaderAndOneRowPerBundle) {
  Proc p = Exec({"-o", "csv", "catalogue", "list", "--countries", "FR", "--per-page", "20"});
  ASSERT_EQ(p.code, 0) << p.err;
  std::istringstream lines(p.out);
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header.rfind("name,description,", 0), 0u) << header;
  int rows = 0;
  for (std::string l; std::getline(lines, l);) rows += !l.empty();
  auto sdk = client().catalogue().List({.per_page = 20, .countries = {"FR"}});
  ASSERT_TRUE(sdk);
  EXPECT_EQ(rows, static_cast<int>(sdk->bundles.size()));
}

TEST_F(Cli, CatalogueShowUnknownBundleExitsNotFound) {
  Proc p = Exec({"catalogue", "show", "esim_NOPE_0D_XX_V9"});
  EXPECT_EQ(p.code, 5) << p.err;
  EXPECT_NE(p.err.find("esim_NOPE_0D_XX_V9"), std::string::npos) << p.err;
}

TEST_F(Cli, TableOutputShowsUnits) {
  std::string bundle = GbBundle();
  Proc p = Exec({"-o", "table", "catalogue", "show", bundle});
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_TRUE(p.out.find(" GB") != std::string::npos || p.out.find(" MB") != std::string::npos)
      << p.out;
  EXPECT_NE(p.out.find(" day"), std::string::npos) << p.out;
}

// ---- orders: validation, confirmation, placement -------------------------------------------

TEST_F(Cli, OrderWithoutTerminalOrYesIsRefusedWithExit2AndChargesNothing) {
  std::string bundle = GbBundle();
  auto before = client().organisation().Get();
  ASSERT_TRUE(before);
  Proc p = Exec({"orders", "create", bundle + ":2"});
  EXPECT_EQ(p.code, 2) << p.err;
  EXPECT_NE(p.err.find("--yes"), std::string::npos) << p.err;
  auto after = client().organisation().Get();
  ASSERT_TRUE(after);
  EXPECT_EQ(before->balance, after->balance);
}

TEST_F(Cli, OrderValidateReportsTheTotalAndChargesNothing) {
  std::string bundle = GbBundle();
  auto before = client().organisation().Get();
  json v = CliJson({"orders", "create", bundle + ":3", "--validate"});
  EXPECT_EQ(v["valid"], true) << v.dump();
  auto price = client().catalogue().Get(bundle);
  ASSERT_TRUE(price);
  EXPECT_EQ(v["total"].dump(), (price->price * 3).ToString());
  auto after = client().organisation().Get();
  EXPECT_EQ(before->balance, after->balance);
}

TEST_F(Cli, OrderWithYesIsPlacedAndMatchesTheServerState) {
  std::string bundle = GbBundle();
  auto before = client().organisation().Get();
  ASSERT_TRUE(before);
  json o = CliJson({"orders", "create", bundle + ":2", "--yes"});
  std::string ref = o.value("order_reference", "");
  ASSERT_FALSE(ref.empty()) << o.dump();
  auto server = client().orders().Get(ref);
  ASSERT_TRUE(server) << server.error().ToString();
  EXPECT_EQ(o["total"].dump(), server->total.ToString());
  EXPECT_EQ(o["order"][0]["item"], bundle);
  EXPECT_EQ(o["order"][0]["quantity"], 2);
  auto after = client().organisation().Get();
  EXPECT_EQ(after->balance, before->balance - server->total);
  json shown = CliJson({"orders", "show", ref});
  EXPECT_EQ(shown["order_reference"], ref);
}

TEST_F(Cli, BadQuantityIsRejectedBeforeAnyRequest) {
  Proc p = RunCli({"--base-url", "http://127.0.0.1:1/v2.4", "--api-key", kKey, "orders", "create",
                   "esim_1GB_7D_GB_V2:zero", "--yes"},
                  BaseEnv(home_.path()), home_.path());
  EXPECT_EQ(p.code, 3) << p.err;
  EXPECT_NE(p.err.find("BUNDLE:QTY"), std::string::npos) << p.err;
}

// ---- input validation before any request (a closed port proves nothing was sent) ----------

class CliOffline : public ::testing::Test {
 protected:
  Proc Offline(std::vector<std::string> args) {
    std::vector<std::string> full = {"--base-url", "http://127.0.0.1:1/v2.4", "--api-key", kKey};
    full.insert(full.end(), args.begin(), args.end());
    return RunCli(full, BaseEnv(home_.path()), home_.path());
  }
  TempDir home_;
};

TEST_F(CliOffline, MalformedIccidExits3WithAHint) {
  Proc p = Offline({"esims", "show", "12345"});
  EXPECT_EQ(p.code, 3);
  EXPECT_NE(p.err.find("18 to 22 digits"), std::string::npos) << p.err;
  p = Offline({"bundles", "list", "8944abc0000000000000"});
  EXPECT_EQ(p.code, 3);
}

TEST_F(CliOffline, SmsLongerThan160CharactersExits3) {
  Proc p = Offline({"esims", "sms", "8944000000000000001", std::string(161, 'x')});
  EXPECT_EQ(p.code, 3);
  EXPECT_NE(p.err.find("1 to 160"), std::string::npos) << p.err;
}

TEST_F(CliOffline, PerPageOutsideTheApiValuesExits3) {
  Proc p = Offline({"esims", "list", "--per-page", "7"});
  EXPECT_EQ(p.code, 3);
  EXPECT_NE(p.err.find("10, 25, 50 or 100"), std::string::npos) << p.err;
}

TEST_F(CliOffline, TopUpBelowTheMinimumExits3) {
  Proc p = Offline({"organisation", "topup", "999", "--yes"});
  EXPECT_EQ(p.code, 3);
  EXPECT_NE(p.err.find("1000"), std::string::npos) << p.err;
  p = Offline({"organisation", "topup", "1000.005", "--yes"});
  EXPECT_EQ(p.code, 3);
}

TEST_F(CliOffline, RevokeRefundToBalanceWithoutOfferIdExits3) {
  Proc p = Offline({"bundles", "revoke", "8944000000000000001", "esim_1GB_7D_GB_V2",
                    "--refund-to-balance", "--yes"});
  EXPECT_EQ(p.code, 3);
  EXPECT_NE(p.err.find("--offer-id"), std::string::npos) << p.err;
}

TEST_F(CliOffline, UnreachableServerExits8) {
  Proc p = Offline({"--retries", "0", "organisation", "show"});
  EXPECT_EQ(p.code, 8) << p.err;
}

TEST_F(CliOffline, UsageErrorsExit2) {
  EXPECT_EQ(Offline({"orders"}).code, 2);
  EXPECT_EQ(Offline({"catalogue", "list", "--no-such-flag"}).code, 2);
  EXPECT_EQ(Offline({"nonsense"}).code, 2);
  Proc help = Offline({"esims", "install", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("--qr-png"), std::string::npos);
}

// ---- secrets ------------------------------------------------------------------------------

TEST_F(Cli, WrongKeyExits4AndNeverPrintsTheKey) {
  const std::string wrong = "wrong-secret-9d8c7b6a5";
  Proc p = RunCli({"--base-url", url(), "--api-key", wrong, "--verbose", "organisation", "show"},
                  BaseEnv(home_.path()), home_.path());
  EXPECT_EQ(p.code, 4) << p.err;
  EXPECT_EQ(p.out.find(wrong), std::string::npos);
  EXPECT_EQ(p.err.find(wrong), std::string::npos) << p.err;
}

TEST_F(Cli, VerboseTracesRequestsButNeverTheKey) {
  Proc p = Exec({"--verbose", "-o", "json", "organisation", "show"});
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_NE(p.err.find("trace:"), std::string::npos) << p.err;
  EXPECT_NE(p.err.find("/organisation"), std::string::npos) << p.err;
  EXPECT_EQ(p.err.find(kKey), std::string::npos) << p.err;
  EXPECT_EQ(p.out.find(kKey), std::string::npos) << p.out;  // the API returns it: not printed
  json org = json::parse(p.out);
  EXPECT_FALSE(org.contains("api_key"));
  EXPECT_TRUE(org.contains("balance"));
}

TEST_F(Cli, ApiKeyFromFileAndFromEnvironment) {
  fs::path key_file = home_.path() / "key.txt";
  WriteFile(key_file, std::string(kKey) + "\n");
  Proc p = RunCli({"--base-url", url(), "--api-key-file", key_file.string(), "-o", "json",
                   "organisation", "groups"},
                  BaseEnv(home_.path()), home_.path());
  EXPECT_EQ(p.code, 0) << p.err;
  Env env = BaseEnv(home_.path());
  env["ESIMGO_API_KEY"] = kKey;
  env["ESIMGO_BASE_URL"] = url();
  p = RunCli({"-o", "json", "organisation", "groups"}, env, home_.path());
  EXPECT_EQ(p.code, 0) << p.err;
  EXPECT_TRUE(json::parse(p.out, nullptr, false).is_array()) << p.out;
}

// ---- configuration precedence: flags > env > config file > defaults --------------------------

TEST_F(Cli, FlagsBeatEnvironmentWhichBeatsTheConfigFile) {
  Env env = BaseEnv(home_.path());
  WriteFile(home_.path() / "config" / "esimgo" / "config",
            "# test config\napi_key = " + std::string(kKey) + "\nbase_url = " + url() +
                "\noutput = csv\n");
  // Config alone: works, and its output format applies.
  Proc p = RunCli({"organisation", "groups"}, env, home_.path());
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_EQ(p.out.rfind("name,", 0), 0u) << p.out;
  // The environment overrides the config file's base URL (a closed port → network error).
  env["ESIMGO_BASE_URL"] = "http://127.0.0.1:1/v2.4";
  p = RunCli({"--retries", "0", "organisation", "groups"}, env, home_.path());
  EXPECT_EQ(p.code, 8) << p.err;
  // A flag overrides the environment.
  p = RunCli({"--base-url", url(), "-o", "json", "organisation", "groups"}, env, home_.path());
  EXPECT_EQ(p.code, 0) << p.err;
  EXPECT_TRUE(json::parse(p.out, nullptr, false).is_array()) << p.out;
}

// ---- embedded sandbox by default ----------------------------------------------------------

TEST_F(Cli, WithoutKeyOrUrlEveryCommandRunsOnThePersistentEmbeddedSandbox) {
  Env env = BaseEnv(home_.path());
  Proc p = RunCli({"-o", "json", "organisation", "show"}, env, home_.path());
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_NE(p.err.find("embedded sandbox"), std::string::npos) << p.err;
  EXPECT_TRUE(fs::exists(home_.path() / "state" / "esimgo" / "sandbox.db"));
  std::string balance = json::parse(p.out)["balance"].dump();
  // State persists across runs: an order placed in one run is visible in the next.
  auto page = client().catalogue().List({.per_page = 5, .countries = {"GB"}});
  ASSERT_TRUE(page && !page->bundles.empty());
  p = RunCli({"-o", "json", "orders", "create", page->bundles[0].name, "--yes"}, env, home_.path());
  ASSERT_EQ(p.code, 0) << p.err;
  std::string ref = json::parse(p.out)["order_reference"];
  p = RunCli({"-o", "json", "orders", "show", ref}, env, home_.path());
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_EQ(json::parse(p.out)["order_reference"], ref);
  p = RunCli({"-o", "json", "organisation", "show"}, env, home_.path());
  EXPECT_NE(json::parse(p.out)["balance"].dump(), balance);
}

// ---- eSIMs, bundles, usage, revoke, refund ---------------------------------------------------

TEST_F(Cli, ApplyUsageStatusRevokeAndRefundFlow) {
  std::string bundle = GbBundle();
  std::string iccid = NewEsimWithBundle(bundle);
  ASSERT_FALSE(iccid.empty());

  json details = CliJson({"esims", "show", iccid});
  EXPECT_EQ(details["iccid"], iccid);
  EXPECT_EQ(details["lpa"].get<std::string>().rfind("LPA:1$", 0), 0u) << details.dump();

  Proc use = Exec({"sandbox", "usage", iccid, "--percent", "40"});
  ASSERT_EQ(use.code, 0) << use.err;
  json bundles = CliJson({"bundles", "list", iccid});
  ASSERT_FALSE(bundles.empty());
  const json& a = bundles[0]["assignments"][0];
  EXPECT_EQ(a["bundle_state"].get<std::string>().size() > 0, true);
  int64_t initial = a["initial_quantity"], remaining = a["remaining_quantity"];
  EXPECT_EQ(remaining, initial - initial * 40 / 100) << a.dump();

  Proc table = Exec({"-o", "table", "bundles", "list", iccid});
  EXPECT_NE(table.out.find("left, 60 %"), std::string::npos) << table.out;

  // A second bundle stays unused and can be revoked (after validation, with --yes).
  CliJson({"orders", "create", bundle, "--yes"});
  CliJson({"esims", "apply", bundle, "--iccid", iccid});
  Proc refused = Exec({"bundles", "revoke", iccid, bundle});
  EXPECT_EQ(refused.code, 2) << refused.err;
  json revoked = CliJson({"bundles", "revoke", iccid, bundle, "--yes"});
  EXPECT_FALSE(revoked["status"].get<std::string>().empty());

  // Refund one unit of an inventory lot.
  CliJson({"orders", "create", bundle + ":2", "--yes"});
  auto inv = client().inventory().Get();
  ASSERT_TRUE(inv);
  int64_t lot = 0, left = 0;
  for (const auto& b : inv->bundles) {
    for (const auto& l : b.available) {
      if (b.name == bundle && l.remaining > 0) lot = l.id, left = l.remaining;
    }
  }
  ASSERT_GT(lot, 0);
  EXPECT_EQ(Exec({"inventory", "refund", std::to_string(lot)}).code, 2);
  json refund = CliJson({"inventory", "refund", std::to_string(lot), "--yes"});
  EXPECT_EQ(refund["usage_id"], std::to_string(lot));
  auto inv2 = client().inventory().Get();
  int64_t left2 = 0;
  for (const auto& b : inv2->bundles) {
    for (const auto& l : b.available) {
      if (l.id == lot) left2 = l.remaining;
    }
  }
  EXPECT_EQ(left2, left - 1);
}

TEST_F(Cli, UnknownIccidExitsNotFound) {
  Proc p = Exec({"esims", "show", "8944999999999999999"});
  EXPECT_EQ(p.code, 5) << p.err;
}

TEST_F(Cli, InstallDetailsWritePngQrCodesLocally) {
  std::string bundle = GbBundle();
  json o = CliJson({"orders", "create", bundle, "--assign", "--yes"});
  std::string ref = o["order_reference"];
  fs::path dir = home_.path() / "qr";
  Proc p = Exec({"-o", "json", "esims", "install", ref, "--qr-png", dir.string()});
  ASSERT_EQ(p.code, 0) << p.err;
  json rows = json::parse(p.out);
  ASSERT_EQ(rows.size(), 1u) << p.out;
  fs::path png = dir / (rows[0]["iccid"].get<std::string>() + ".png");
  ASSERT_TRUE(fs::exists(png)) << p.err;
  std::string bytes = ReadFile(png);
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
}

// ---- callbacks ------------------------------------------------------------------------------

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

// Waits until `file` contains `needle`; returns the file's text.
std::string WaitFor(const fs::path& file, const std::string& needle,
                    std::chrono::seconds limit = std::chrono::seconds(20)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  std::string text;
  while (std::chrono::steady_clock::now() < deadline) {
    text = ReadFile(file);
    if (text.find(needle) != std::string::npos) return text;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return text;
}

int64_t CountEvents(const fs::path& db) {
  sqlite3* h = nullptr;
  sqlite3_open(db.c_str(), &h);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(h, "SELECT count(*) FROM events", -1, &st, nullptr);
  int64_t n = -1;
  if (st && sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(h);
  return n;
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
  EXPECT_EQ(CountEvents(store), lines);
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
  EXPECT_EQ(CountEvents(store), lines + 1);  // the redelivery was deduplicated

  (*sb)->Stop();
  kill(listener, SIGTERM);
  EXPECT_EQ(WaitExit(listener), 0);
}

// ---- eSIM management, bundles show, inventory, orders list, networks, sandbox admin ----------

TEST_F(Cli, EsimsUpdateSetsTheCustomerRefShownByListAndShow) {
  std::string iccid = NewEsimWithBundle(GbBundle());
  ASSERT_FALSE(iccid.empty());
  const std::string ref = "cust-ref-" + iccid.substr(iccid.size() - 6);
  json updated = CliJson({"esims", "update", iccid, "--customer-ref", ref});
  EXPECT_EQ(updated["iccid"], iccid) << updated.dump();
  EXPECT_EQ(updated["customer_ref"], ref) << updated.dump();
  EXPECT_FALSE(updated.value("status", "").empty()) << updated.dump();

  json shown = CliJson({"esims", "show", iccid});
  EXPECT_EQ(shown["customer_ref"], ref) << shown.dump();
  json list = CliJson({"esims", "list", "--per-page", "100"});
  ASSERT_TRUE(list.is_array()) << list.dump();
  bool found = false;
  for (const auto& e : list) {
    if (e["iccid"] == iccid) {
      found = true;
      EXPECT_EQ(e["customer_ref"], ref) << e.dump();
    }
  }
  EXPECT_TRUE(found) << list.dump();
  auto sdk = client().esims().Get(iccid);
  ASSERT_TRUE(sdk) << sdk.error().ToString();
  EXPECT_EQ(sdk->customer_ref, ref);
}

TEST_F(Cli, EsimsHistoryListsTheAppliedBundle) {
  std::string bundle = GbBundle();
  std::string iccid = NewEsimWithBundle(bundle);
  ASSERT_FALSE(iccid.empty());
  json history = CliJson({"esims", "history", iccid});
  ASSERT_TRUE(history.is_array()) << history.dump();
  ASSERT_FALSE(history.empty()) << history.dump();
  bool has_bundle = false;
  for (const auto& e : history) {
    EXPECT_FALSE(e.value("name", "").empty()) << e.dump();
    EXPECT_TRUE(e.contains("date")) << e.dump();
    has_bundle |= e["bundle_name"] == bundle;
  }
  EXPECT_TRUE(has_bundle) << history.dump();
  auto sdk = client().esims().History(iccid);
  ASSERT_TRUE(sdk) << sdk.error().ToString();
  EXPECT_EQ(history.size(), sdk->size());
  EXPECT_EQ(Exec({"esims", "history", "8944999999999999999"}).code, 5);
}

TEST_F(Cli, EsimsRefreshNeedsYesAndThenSucceeds) {
  std::string iccid = NewEsimWithBundle(GbBundle());
  ASSERT_FALSE(iccid.empty());
  Proc refused = Exec({"esims", "refresh", iccid});
  EXPECT_EQ(refused.code, 2) << refused.err;
  EXPECT_NE(refused.err.find("--yes"), std::string::npos) << refused.err;
  json refreshed = CliJson({"esims", "refresh", iccid, "--yes"});
  EXPECT_EQ(refreshed["iccid"], iccid) << refreshed.dump();
  EXPECT_FALSE(refreshed.value("status", "").empty()) << refreshed.dump();
}

TEST_F(Cli, EsimsCompatibleMatchesTheSdk) {
  std::string bundle = GbBundle();
  std::string iccid = NewEsimWithBundle(bundle);
  ASSERT_FALSE(iccid.empty());
  json c = CliJson({"esims", "compatible", iccid, bundle});
  EXPECT_EQ(c["iccid"], iccid) << c.dump();
  EXPECT_EQ(c["bundle"], bundle) << c.dump();
  auto sdk = client().esims().Compatible(iccid, bundle);
  ASSERT_TRUE(sdk) << sdk.error().ToString();
  ASSERT_TRUE(c["compatible"].is_boolean()) << c.dump();
  EXPECT_EQ(c["compatible"].get<bool>(), *sdk);
  EXPECT_TRUE(*sdk);  // the bundle already applied to it is compatible
  EXPECT_EQ(Exec({"esims", "compatible", iccid, "esim_NOPE_0D_XX_V9"}).code, 3);
}

TEST_F(Cli, EsimsLocationShowsTheCountryOfTheLastUsage) {
  std::string iccid = NewEsimWithBundle(GbBundle());
  ASSERT_FALSE(iccid.empty());
  // Not attached yet: the sandbox answers 400 (exit 3).
  Proc before = Exec({"esims", "location", iccid});
  EXPECT_EQ(before.code, 3) << before.err;
  Proc use = Exec({"sandbox", "usage", iccid, "--percent", "10", "--country", "FR"});
  ASSERT_EQ(use.code, 0) << use.err;
  json loc = CliJson({"esims", "location", iccid});
  EXPECT_EQ(loc["country"], "FR") << loc.dump();
  EXPECT_FALSE(loc.value("network_name", "").empty()) << loc.dump();
  EXPECT_TRUE(loc["last_seen"].is_string()) << loc.dump();
}

TEST_F(Cli, BundlesShowListsTheAssignmentsOfOneBundle) {
  std::string bundle = GbBundle();
  std::string iccid = NewEsimWithBundle(bundle);
  ASSERT_FALSE(iccid.empty());
  json shown = CliJson({"bundles", "show", iccid, bundle});
  ASSERT_TRUE(shown.is_array()) << shown.dump();
  ASSERT_EQ(shown.size(), 1u) << shown.dump();
  const json& a = shown[0];
  EXPECT_TRUE(a["id"].is_string()) << a.dump();
  auto price = client().catalogue().Get(bundle);
  ASSERT_TRUE(price) << price.error().ToString();
  EXPECT_EQ(a["initial_quantity"].get<int64_t>(), price->data_amount_mb * 1000 * 1000) << a.dump();
  EXPECT_EQ(a["remaining_quantity"], a["initial_quantity"]) << a.dump();
  EXPECT_FALSE(a.value("bundle_state", "").empty()) << a.dump();
}

TEST_F(Cli, InventoryListShowsTheNewLotWithTwoRemaining) {
  std::string bundle = GbBundle();
  auto before = client().inventory().Get();
  ASSERT_TRUE(before) << before.error().ToString();
  std::vector<int64_t> old_ids;
  for (const auto& b : before->bundles) {
    for (const auto& l : b.available) old_ids.push_back(l.id);
  }
  json o = CliJson({"orders", "create", bundle + ":2", "--yes"});
  ASSERT_FALSE(o.value("order_reference", "").empty()) << o.dump();
  json inv = CliJson({"inventory", "list"});
  ASSERT_TRUE(inv.is_array()) << inv.dump();
  int new_lots = 0;
  for (const auto& b : inv) {
    for (const auto& l : b["available"]) {
      ASSERT_TRUE(l["id"].is_string()) << l.dump();
      int64_t id = std::stoll(l["id"].get<std::string>());
      if (std::find(old_ids.begin(), old_ids.end(), id) != old_ids.end()) continue;
      ++new_lots;
      EXPECT_EQ(b["name"], bundle) << b.dump();
      EXPECT_EQ(l["total"], 2) << l.dump();
      EXPECT_EQ(l["remaining"], 2) << l.dump();
    }
  }
  EXPECT_EQ(new_lots, 1) << inv.dump();
}

TEST_F(Cli, OrdersListContainsThePlacedOrder) {
  std::string bundle = GbBundle();
  json o = CliJson({"orders", "create", bundle + ":2", "--yes"});
  std::string ref = o.value("order_reference", "");
  ASSERT_FALSE(ref.empty()) << o.dump();
  json list = CliJson({"orders", "list", "--limit", "100"});
  ASSERT_TRUE(list.is_array()) << list.dump();
  bool found = false;
  for (const auto& e : list) {
    if (e["order_reference"] != ref) continue;
    found = true;
    EXPECT_EQ(e["total"].dump(), o["total"].dump()) << e.dump();
    ASSERT_FALSE(e["order"].empty()) << e.dump();
    EXPECT_EQ(e["order"][0]["item"], bundle) << e.dump();
    EXPECT_EQ(e["order"][0]["quantity"], 2) << e.dump();
  }
  EXPECT_TRUE(found) << list.dump();
}

TEST_F(Cli, NetworksForGbAreListed) {
  json nets = CliJson({"networks", "--isos", "GB"});
  ASSERT_TRUE(nets.is_array()) << nets.dump();
  ASSERT_FALSE(nets.empty()) << nets.dump();
  for (const auto& c : nets) {
    EXPECT_EQ(c["iso"], "GB") << c.dump();
    ASSERT_TRUE(c["networks"].is_array()) << c.dump();
    EXPECT_FALSE(c["networks"].empty()) << c.dump();
    for (const auto& n : c["networks"]) {
      EXPECT_FALSE(n.value("name", "").empty()) << n.dump();
      EXPECT_EQ(n.value("mcc", "").size(), 3u) << n.dump();
    }
  }
}

// Clock and reset run on a sandbox of their own: a reset must not wipe the shared one.
TEST(CliSandboxAdmin, ClockAdvancesAndResetEmptiesTheOrderList) {
  TempDir home;
  auto sb =
      esimgo::sandbox::Sandbox::Start({.port = 0, .api_key = kKey, .rate_limit = 0, .seed = 5151});
  ASSERT_TRUE(sb) << sb.error().ToString();
  esimgo::Client c({.api_key = kKey, .base_url = (*sb)->base_url(), .requests_per_second = 0});
  auto run = [&](std::vector<std::string> args) {
    std::vector<std::string> full = {"--base-url", (*sb)->base_url(), "--api-key", kKey, "-o",
                                     "json"};
    full.insert(full.end(), args.begin(), args.end());
    return RunCli(full, BaseEnv(home.path()), home.path());
  };
  Proc clock = run({"sandbox", "clock", "--advance", "1h"});
  EXPECT_EQ(clock.code, 0) << clock.err;
  json advanced = json::parse(clock.out, nullptr, false);
  EXPECT_EQ(advanced.value("offsetSeconds", int64_t{0}), 3600) << clock.out;
  EXPECT_EQ(run({"sandbox", "clock", "--advance", "0s"}).code, 3);

  auto page = c.catalogue().List({.per_page = 10, .countries = {"GB"}});
  ASSERT_TRUE(page && !page->bundles.empty());
  Proc order = run({"orders", "create", page->bundles[0].name, "--yes"});
  ASSERT_EQ(order.code, 0) << order.err;
  Proc list = run({"orders", "list"});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_EQ(json::parse(list.out, nullptr, false).size(), 1u) << list.out;

  Proc reset = run({"sandbox", "reset"});
  EXPECT_EQ(reset.code, 0) << reset.err;
  list = run({"orders", "list"});
  ASSERT_EQ(list.code, 0) << list.err;
  json after = json::parse(list.out, nullptr, false);
  ASSERT_TRUE(after.is_array()) << list.out;
  EXPECT_TRUE(after.empty()) << list.out;
  auto sdk = c.orders().List({});
  ASSERT_TRUE(sdk) << sdk.error().ToString();
  EXPECT_TRUE(sdk->items.empty());
}

}  // namespace
