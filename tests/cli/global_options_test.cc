// CLI end-to-end tests: Global options and secrets: exit codes, the key never printed, precedence
// of flags, environment and config file, the embedded sandbox.

#include "cli_fixture.h"
#include "esimgo/limits.h"

namespace esimgo_cli_test {
namespace {

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
  // The environment overrides the config file's base URL (a dead port → network error).
  DeadPort dead;
  env["ESIMGO_BASE_URL"] = dead.url();
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

// The embedded sandbox serves both versions on one state: --api-version picks the one asked for.
TEST_F(Cli, TheEmbeddedSandboxAnswersInTheApiVersionAskedFor) {
  Env env = BaseEnv(home_.path());
  for (const char* version : {"2.4", "2.5"}) {
    Proc p = RunCli({"--api-version", version, "-v", "-o", "json", "organisation", "show"}, env,
                    home_.path());
    ASSERT_EQ(p.code, 0) << p.err;
    EXPECT_NE(p.err.find(std::string("/v") + version + "/organisation"), std::string::npos)
        << p.err;
  }
  // A v2.5-only operation reaches it when v2.5 is asked for (a v2.4 client refuses it, exit 3,
  // before sending); the sandbox then answers that the account is not on consumption billing.
  Proc p = RunCli({"--api-version", "2.5", "-o", "json", "catalogue", "prices"}, env, home_.path());
  EXPECT_NE(p.code, 3) << p.err;
  EXPECT_NE(p.err.find("consumption billing"), std::string::npos) << p.err;
}

// ---- hostile input: the key, the base URL -----------------------------------------------------

// A CR/LF in the key would end the X-API-Key header and start the caller's own headers.
TEST(CliSecrets, AKeyWithControlCharactersIsRefusedWithExit3BeforeAnyRequest) {
  TempDir home;
  FakeApi api;
  api.Get("/organisation", 200, R"({"name":"x"})");
  const std::string key = "k3y-9f8e7d\r\nX-Injected: yes";
  Proc flag = RunCli({"--base-url", api.url(), "--api-key", key, "organisation", "show"},
                     BaseEnv(home.path()), home.path());
  EXPECT_EQ(flag.code, 3) << flag.err;
  EXPECT_NE(flag.err.find("control character"), std::string::npos) << flag.err;
  EXPECT_NE(flag.err.find("--api-key"), std::string::npos) << flag.err;

  Env env = BaseEnv(home.path());
  env["ESIMGO_API_KEY"] = key;
  env["ESIMGO_BASE_URL"] = api.url();
  Proc from_env = RunCli({"organisation", "show"}, env, home.path());
  EXPECT_EQ(from_env.code, 3) << from_env.err;
  EXPECT_NE(from_env.err.find("ESIMGO_API_KEY"), std::string::npos) << from_env.err;

  // A config file cannot hold a line break, but an ESC or another control byte is refused too.
  WriteFile(home.path() / "config" / "esimgo" / "config",
            "api_key = k3y-9f8e7d\x1b[31m\nbase_url = " + api.url() + "\n");
  Proc from_config = RunCli({"organisation", "show"}, BaseEnv(home.path()), home.path());
  EXPECT_EQ(from_config.code, 3) << from_config.err;
  EXPECT_NE(from_config.err.find("api_key in"), std::string::npos) << from_config.err;

  for (const Proc* p : {&flag, &from_env, &from_config}) {
    EXPECT_EQ(p->err.find("X-Injected"), std::string::npos) << p->err;
    EXPECT_EQ(p->err.find("k3y-9f8e7d"), std::string::npos) << p->err;  // the key is not echoed
    EXPECT_EQ(p->err.find('\x1b'), std::string::npos) << p->err;
  }
  EXPECT_EQ(api.requests(), 0);
}

TEST(CliSecrets, AnInvalidBaseUrlContainingTheKeyIsNeverEchoedWithTheKey) {
  TempDir home;
  const std::string key = "k3y-c0ffee-5ecret";
  Proc p = RunCli({"--api-key", key, "--base-url", "ftp://api.example/" + key, "org", "show"},
                  BaseEnv(home.path()), home.path());
  EXPECT_EQ(p.code, 3) << p.err;
  EXPECT_NE(p.err.find("http://"), std::string::npos) << p.err;  // still says what to do
  EXPECT_NE(p.err.find("***"), std::string::npos) << p.err;
  EXPECT_EQ(p.err.find(key), std::string::npos) << p.err;

  Env env = BaseEnv(home.path());
  env["ESIMGO_API_KEY"] = key;
  env["ESIMGO_BASE_URL"] = "api.example/v2.4?key=" + key;
  p = RunCli({"org", "show"}, env, home.path());
  EXPECT_EQ(p.code, 3) << p.err;
  EXPECT_EQ(p.err.find(key), std::string::npos) << p.err;
}

// A key typed where a command was expected is quoted back by the parser: redacted.
TEST(CliSecrets, UsageErrorsNeverEchoTheKey) {
  TempDir home;
  const std::string key = "k3y-misplaced-77aa";
  Proc p = RunCli({"--api-key", key, key}, BaseEnv(home.path()), home.path());
  EXPECT_EQ(p.code, 2) << p.err;
  EXPECT_EQ(p.err.find(key), std::string::npos) << p.err;
  p = RunCli({"--api-key=" + key, "orders", "list", key}, BaseEnv(home.path()), home.path());
  EXPECT_EQ(p.code, 2) << p.err;
  EXPECT_EQ(p.err.find(key), std::string::npos) << p.err;
  Env env = BaseEnv(home.path());
  env["ESIMGO_API_KEY"] = key;
  p = RunCli({"orders", "list", key}, env, home.path());
  EXPECT_EQ(p.code, 2) << p.err;
  EXPECT_EQ(p.err.find(key), std::string::npos) << p.err;
  EXPECT_NE(p.err.find("***"), std::string::npos) << p.err;  // still says what was wrong
}

// ---- shell completion -----------------------------------------------------------------------

TEST(CliCompletion, ValuesComeFromTheSharedLimitsAndTheScriptsHoldNoCopy) {
  TempDir home;
  Proc sizes = RunCli({"__values", "per-page"}, BaseEnv(home.path()), home.path());
  ASSERT_EQ(sizes.code, 0) << sizes.err;
  std::string expected;
  for (int s : esimgo::limits::kEsimPageSizes) {
    expected += (expected.empty() ? "" : " ") + std::to_string(s);
  }
  EXPECT_EQ(sizes.out, expected + "\n");
  Proc fields = RunCli({"__values", "filter-by"}, BaseEnv(home.path()), home.path());
  ASSERT_EQ(fields.code, 0) << fields.err;
  for (auto f : esimgo::limits::kEsimFilterFields) {
    EXPECT_NE(fields.out.find(std::string(f)), std::string::npos) << fields.out;
  }
  EXPECT_EQ(RunCli({"__values", "nope"}, BaseEnv(home.path()), home.path()).code, 3);
  Proc help = RunCli({"--help"}, BaseEnv(home.path()), home.path());
  EXPECT_EQ(help.out.find("__values"), std::string::npos) << help.out;  // hidden
  for (const char* script : {"esimgo.bash", "esimgo.zsh"}) {
    std::string text = ReadFile(fs::path(ESIMGO_SOURCE_DIR) / "cli" / "completions" / script);
    ASSERT_FALSE(text.empty()) << script;
    EXPECT_EQ(text.find("10 25 50 100"), std::string::npos) << script;
    EXPECT_EQ(text.find("customerRef lastAction"), std::string::npos) << script;
    EXPECT_NE(text.find("__values per-page"), std::string::npos) << script;
  }
}

}  // namespace
}  // namespace esimgo_cli_test
