// The v2.5 commands and fields of the CLI, run as processes against a FakeApi (the sandbox does
// not serve /v2.5 to these tests): suspend, unsuspend, suspension, delete, catalogue prices,
// the v2.5 fields in -o json and tables, the v2.4 refusal, and --api-version's precedence.

#include "cli_fixture.h"

namespace esimgo_cli_test {
namespace {

constexpr const char* kIccid = "8944500102198304826";

std::string Data(const std::string& name) {
  return ReadFile(fs::path(ESIMGO_SOURCE_DIR) / "tests" / "data" / name);
}

class CliV25 : public ::testing::Test {
 protected:
  // Runs `esimgo --base-url <fake>/v<version> --api-key <key> args…`.
  Proc Run(std::vector<std::string> args, const std::string& version = "2.5",
           const std::string& stdin_text = {}) {
    std::vector<std::string> full = {"--base-url", api_.url(version), "--api-key", kKey};
    full.insert(full.end(), args.begin(), args.end());
    return RunCli(full, BaseEnv(home_.path()), home_.path(), stdin_text);
  }
  static json Parse(const Proc& p) {
    auto j = json::parse(p.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << p.out << p.err;
    return j;
  }

  FakeApi api_;
  TempDir home_;
};

// ---- suspend / unsuspend -------------------------------------------------------------------

TEST_F(CliV25, SuspendWithYesPostsSuspendTrueOnceAndPrintsTheStatus) {
  api_.On("POST", std::string("/v2.5/esims/") + kIccid + "/suspend", 201,
          Data("esims_suspend.json"));
  Proc p = Run({"-o", "json", "esims", "suspend", kIccid, "--yes"});
  ASSERT_EQ(p.code, 0) << p.err;
  json j = Parse(p);
  EXPECT_EQ(j["iccid"], kIccid);
  EXPECT_EQ(j["suspended"], true);
  EXPECT_EQ(j["status"], "eSIM suspended successfully");
  auto seen = api_.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(json::parse(seen[0].body), json::parse(R"({"suspend":true})"));
}

TEST_F(CliV25, UnsuspendWithYesPostsSuspendFalse) {
  api_.On("POST", std::string("/v2.5/esims/") + kIccid + "/suspend", 201,
          R"({"status":"eSIM unsuspended"})");
  Proc p = Run({"-o", "json", "esims", "unsuspend", kIccid, "-y"});
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_EQ(Parse(p)["suspended"], false);
  auto seen = api_.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(json::parse(seen[0].body), json::parse(R"({"suspend":false})"));
}

TEST_F(CliV25, SuspendAndUnsuspendWithoutATerminalAndWithoutYesAreRefusedAndSendNothing) {
  api_.On("POST", std::string("/v2.5/esims/") + kIccid + "/suspend", 201, R"({"status":"x"})");
  for (const char* verb : {"suspend", "unsuspend"}) {
    Proc p = Run({"esims", verb, kIccid}, "2.5", "y\n");  // stdin is a file, not a terminal
    EXPECT_EQ(p.code, 2) << verb << ": " << p.err;
    EXPECT_NE(p.err.find("--yes"), std::string::npos) << p.err;
  }
  EXPECT_EQ(api_.requests(), 0);
}

TEST_F(CliV25, SuspendIsNotRetriedAfterAServerError) {
  api_.On("POST", std::string("/v2.5/esims/") + kIccid + "/suspend", 503,
          R"({"message":"try later"})");
  Proc p = Run({"esims", "suspend", kIccid, "--yes"});
  EXPECT_NE(p.code, 0);
  EXPECT_EQ(api_.seen().size(), 1u) << p.err;
}

TEST_F(CliV25, SuspendOfAMalformedIccidIsExit3BeforeAnyRequest) {
  Proc p = Run({"esims", "suspend", "12ab", "--yes"});
  EXPECT_EQ(p.code, 3) << p.err;
  EXPECT_EQ(api_.requests(), 0);
}

// ---- suspension --------------------------------------------------------------------------

TEST_F(CliV25, SuspensionReadsTheStateWithAGet) {
  api_.On("GET", std::string("/v2.5/esims/") + kIccid + "/suspend", 200,
          Data("esims_suspension.json"));
  Proc p = Run({"-o", "json", "esims", "suspension", kIccid});
  ASSERT_EQ(p.code, 0) << p.err;
  json j = Parse(p);
  EXPECT_EQ(j["iccid"], kIccid);
  EXPECT_EQ(j["suspended"], true);
  EXPECT_FALSE(j.contains("answer"));
  ASSERT_EQ(api_.seen().size(), 1u);
  EXPECT_EQ(api_.seen()[0].method, "GET");

  Proc table = Run({"-o", "table", "esims", "suspension", kIccid});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("yes"), std::string::npos) << table.out;
}

TEST_F(CliV25, SuspensionOfAnUnknownShapeShowsTheAnswerAsReceived) {
  api_.On("GET", std::string("/v2.5/esims/") + kIccid + "/suspend", 200, R"({"mystery":1})");
  Proc p = Run({"-o", "json", "esims", "suspension", kIccid});
  ASSERT_EQ(p.code, 0) << p.err;
  json j = Parse(p);
  EXPECT_TRUE(j["suspended"].is_null());
  EXPECT_EQ(j["answer"], R"({"mystery":1})");
}

// ---- delete ------------------------------------------------------------------------------

TEST_F(CliV25, DeleteWithYesSendsOneDelete) {
  api_.On("DELETE", std::string("/v2.5/esims/") + kIccid, 200, R"({"status":"deleted"})");
  Proc p = Run({"-o", "json", "esims", "delete", kIccid, "--yes"});
  ASSERT_EQ(p.code, 0) << p.err;
  json j = Parse(p);
  EXPECT_EQ(j["iccid"], kIccid);
  EXPECT_EQ(j["deleted"], true);
  EXPECT_EQ(j["status"], "deleted");
  auto seen = api_.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "DELETE");
  EXPECT_EQ(seen[0].path, std::string("/v2.5/esims/") + kIccid);
}

TEST_F(CliV25, DeleteWithoutATerminalAndWithoutYesIsRefusedAndSendsNothing) {
  api_.On("DELETE", std::string("/v2.5/esims/") + kIccid, 200, R"({"status":"deleted"})");
  // Even the ICCID typed back on stdin does not count: only a terminal may confirm.
  Proc p = Run({"esims", "delete", kIccid}, "2.5", std::string(kIccid) + "\n");
  EXPECT_EQ(p.code, 2) << p.err;
  EXPECT_NE(p.err.find("--yes"), std::string::npos) << p.err;
  EXPECT_NE(p.err.find("irreversible"), std::string::npos) << p.err;
  EXPECT_EQ(api_.requests(), 0);
}

TEST_F(CliV25, DeleteIsNeverRetriedEvenOnA503) {
  api_.On("DELETE", std::string("/v2.5/esims/") + kIccid, 503, R"({"message":"busy"})");
  Proc p = Run({"--retries", "5", "esims", "delete", kIccid, "--yes"});
  EXPECT_NE(p.code, 0);
  EXPECT_EQ(api_.seen().size(), 1u) << p.err;
}

// ---- confirmation on a terminal -----------------------------------------------------------

// Runs the CLI with stdin on a pseudo-terminal (so isatty(0) holds) and `typed` written to it;
// stdout and stderr go to files as in RunCli.
Proc RunOnTerminal(const std::vector<std::string>& args, const fs::path& dir,
                   const std::string& typed) {
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  EXPECT_GE(master, 0);
  EXPECT_EQ(grantpt(master), 0);
  EXPECT_EQ(unlockpt(master), 0);
  std::string slave = ptsname(master);
  static int counter = 0;
  std::string name = "tty" + std::to_string(++counter);
  pid_t pid = SpawnWithStdin(args, BaseEnv(dir), dir, name, slave, /*new_session=*/true);
  // The line waits in the terminal's input queue until the CLI reads it.
  EXPECT_EQ(write(master, typed.data(), typed.size()), static_cast<ssize_t>(typed.size()));
  Proc p;
  p.code = WaitExit(pid);
  close(master);
  p.out = ReadFile(dir / (name + ".out"));
  p.err = ReadFile(dir / (name + ".err"));
  return p;
}

TEST_F(CliV25, DeleteOnATerminalNeedsTheIccidTypedBack) {
  api_.On("DELETE", std::string("/v2.5/esims/") + kIccid, 200, R"({"status":"deleted"})");
  std::vector<std::string> args = {"--base-url", api_.url("2.5"), "--api-key", kKey,  "-o",
                                   "json",       "esims",         "delete",    kIccid};
  Proc yes = RunOnTerminal(args, home_.path(), "y\n");  // a reflex "y" is not enough
  EXPECT_EQ(yes.code, 1) << yes.err;
  EXPECT_NE(yes.err.find("Type the ICCID"), std::string::npos) << yes.err;
  EXPECT_NE(yes.err.find("nothing was deleted"), std::string::npos) << yes.err;
  EXPECT_EQ(api_.requests(), 0);

  Proc typed = RunOnTerminal(args, home_.path(), std::string(kIccid) + "\n");
  EXPECT_EQ(typed.code, 0) << typed.err;
  EXPECT_EQ(Parse(typed)["deleted"], true);
  EXPECT_EQ(api_.seen().size(), 1u);
}

TEST_F(CliV25, SuspendOnATerminalAsksAndANoSendsNothing) {
  api_.On("POST", std::string("/v2.5/esims/") + kIccid + "/suspend", 201, R"({"status":"ok"})");
  std::vector<std::string> args = {"--base-url", api_.url("2.5"), "--api-key", kKey,
                                   "esims",      "suspend",       kIccid};
  Proc no = RunOnTerminal(args, home_.path(), "n\n");
  EXPECT_EQ(no.code, 1) << no.err;
  EXPECT_NE(no.err.find("suspend " + std::string(kIccid) + "? [y/N]"), std::string::npos) << no.err;
  EXPECT_EQ(api_.requests(), 0);
  Proc yes = RunOnTerminal(args, home_.path(), "y\n");
  EXPECT_EQ(yes.code, 0) << yes.err;
  EXPECT_EQ(api_.seen().size(), 1u);
}

// ---- the v2.4 refusal --------------------------------------------------------------------

TEST_F(CliV25, EveryV25CommandOnAV24ClientIsExit3WithHowToSwitchAndSendsNothing) {
  const std::vector<std::vector<std::string>> commands = {
      {"esims", "suspend", kIccid, "--yes"},
      {"esims", "unsuspend", kIccid, "--yes"},
      {"esims", "suspension", kIccid},
      {"esims", "delete", kIccid, "--yes"},
      // Refused before the question too: nobody is asked to confirm what cannot run.
      {"esims", "delete", kIccid},
      {"esims", "suspend", kIccid},
      {"catalogue", "prices"},
  };
  for (const auto& c : commands) {
    Proc p = Run(c, "2.4");
    EXPECT_EQ(p.code, 3) << c[1] << ": " << p.err;
    EXPECT_NE(p.err.find("needs eSIM Go API v2.5"), std::string::npos) << p.err;
    EXPECT_NE(p.err.find("--api-version 2.5"), std::string::npos) << p.err;
    EXPECT_NE(p.err.find("Nothing was sent"), std::string::npos) << p.err;
    EXPECT_EQ(p.err.find(kKey), std::string::npos) << p.err;
  }
  EXPECT_EQ(api_.requests(), 0);
}

TEST(CliV25Default, TheDefaultHostIsV24AndRefusesAV25CommandWithoutAnyRequest) {
  TempDir home;
  Env env = BaseEnv(home.path());
  env["ESIMGO_API_KEY"] = kKey;  // no base URL: the live host, which must never be reached
  Proc p = RunCli({"esims", "suspension", kIccid}, env, home.path());
  EXPECT_EQ(p.code, 3) << p.err;
  EXPECT_NE(p.err.find("https://api.esim-go.com/v2.4"), std::string::npos) << p.err;
}

TEST(CliV25Default, ConfigApiVersion24PicksTheV24HostAndStillRefusesBeforeSending) {
  TempDir home;
  WriteFile(home.path() / "config" / "esimgo" / "config",
            std::string("api_key = ") + kKey + "\napi_version = 2.4\n");
  Proc p = RunCli({"catalogue", "prices"}, BaseEnv(home.path()), home.path());
  EXPECT_EQ(p.code, 3) << p.err;
  EXPECT_NE(p.err.find("https://api.esim-go.com/v2.4"), std::string::npos) << p.err;
}

// ---- --api-version / ESIMGO_API_VERSION / config api_version -------------------------------

TEST_F(CliV25, ABadApiVersionIsExit3NamingWhereItCameFrom) {
  Proc flag = Run({"--api-version", "3.0", "esims", "suspension", kIccid});
  EXPECT_EQ(flag.code, 3) << flag.err;
  EXPECT_NE(flag.err.find("'3.0'"), std::string::npos) << flag.err;
  EXPECT_NE(flag.err.find("--api-version"), std::string::npos) << flag.err;

  Env env = BaseEnv(home_.path());
  env["ESIMGO_API_VERSION"] = "2.6";
  Proc from_env =
      RunCli({"--base-url", api_.url("2.5"), "--api-key", kKey, "esims", "suspension", kIccid}, env,
             home_.path());
  EXPECT_EQ(from_env.code, 3) << from_env.err;
  EXPECT_NE(from_env.err.find("ESIMGO_API_VERSION"), std::string::npos) << from_env.err;
  EXPECT_EQ(api_.requests(), 0);
}

TEST_F(CliV25, AnApiVersionThatContradictsTheBaseUrlIsExit3AndSendsNothing) {
  Proc p = Run({"--api-version", "2.4", "esims", "suspension", kIccid}, "2.5");
  EXPECT_EQ(p.code, 3) << p.err;
  EXPECT_NE(p.err.find("--api-version says API v2.4"), std::string::npos) << p.err;
  EXPECT_NE(p.err.find("/v2.5"), std::string::npos) << p.err;

  WriteFile(home_.path() / "config" / "esimgo" / "config", "api_version = 2.5\n");
  Proc from_config = Run({"organisation", "show"}, "2.4");
  EXPECT_EQ(from_config.code, 3) << from_config.err;
  EXPECT_NE(from_config.err.find("api_version in"), std::string::npos) << from_config.err;
  EXPECT_EQ(api_.requests(), 0);
}

TEST_F(CliV25, AnAgreeingApiVersionKeepsTheBaseUrl) {
  api_.On("GET", std::string("/v2.5/esims/") + kIccid + "/suspend", 200,
          Data("esims_suspension.json"));
  Proc p = Run({"--api-version", "v2.5", "-o", "json", "esims", "suspension", kIccid}, "2.5");
  EXPECT_EQ(p.code, 0) << p.err;
  EXPECT_EQ(api_.seen().size(), 1u);
}

// Precedence flags > env > config, seen through the contradiction rule: only the winning
// source is compared with the base URL, so a losing source that disagrees is harmless.
TEST_F(CliV25, ApiVersionPrecedenceIsFlagThenEnvironmentThenConfig) {
  api_.On("GET", std::string("/v2.5/esims/") + kIccid + "/suspend", 200,
          Data("esims_suspension.json"));
  WriteFile(home_.path() / "config" / "esimgo" / "config", "api_version = 2.4\n");
  std::vector<std::string> args = {"--base-url", api_.url("2.5"), "--api-key",  kKey,  "-o",
                                   "json",       "esims",         "suspension", kIccid};

  Env env = BaseEnv(home_.path());
  env["ESIMGO_API_VERSION"] = "2.5";  // env beats the config's 2.4
  Proc env_wins = RunCli(args, env, home_.path());
  EXPECT_EQ(env_wins.code, 0) << env_wins.err;

  env["ESIMGO_API_VERSION"] = "2.4";  // the flag beats the environment's 2.4
  std::vector<std::string> with_flag = {"--api-version", "2.5"};
  with_flag.insert(with_flag.end(), args.begin(), args.end());
  Proc flag_wins = RunCli(with_flag, env, home_.path());
  EXPECT_EQ(flag_wins.code, 0) << flag_wins.err;

  Proc env_loses = RunCli(args, env, home_.path());  // env 2.4 against a /v2.5 URL
  EXPECT_EQ(env_loses.code, 3) << env_loses.err;
  EXPECT_NE(env_loses.err.find("ESIMGO_API_VERSION"), std::string::npos) << env_loses.err;

  Proc config_only = RunCli(args, BaseEnv(home_.path()), home_.path());  // config 2.4 loses
  EXPECT_EQ(config_only.code, 3) << config_only.err;
  EXPECT_NE(config_only.err.find("api_version in"), std::string::npos) << config_only.err;

  EXPECT_EQ(api_.seen().size(), 2u);
}

// ---- catalogue prices --------------------------------------------------------------------

constexpr const char* kTwoCountries =
    R"({"hash":"h-1","prices":[)"
    R"({"country":{"iso":"GB","name":"United Kingdom"},"prices":[)"
    R"({"id":"p1","price":"1.23","currency":"USD","profile":"Profile 1","country":{"iso":"GB","name":"United Kingdom"}},)"
    R"({"id":"p2","price":"0.90","currency":"USD","profile":"Profile 2","country":{"iso":"GB","name":"United Kingdom"}}]},)"
    R"({"country":{"iso":"FR","name":"France"},"prices":[)"
    R"({"id":"p3","price":"2.50","currency":"USD","profile":"Profile 1","country":{"iso":"FR","name":"France"}}]}]})";

TEST_F(CliV25, CataloguePricesPrintsTheHashAndEveryPriceExactly) {
  api_.On("GET", "/v2.5/catalogue/prices", 200, kTwoCountries);
  Proc p = Run({"-o", "json", "catalogue", "prices"});
  ASSERT_EQ(p.code, 0) << p.err;
  json j = Parse(p);
  EXPECT_EQ(j["hash"], "h-1");
  ASSERT_EQ(j["prices"].size(), 2u);
  EXPECT_EQ(j["prices"][0]["country"]["iso"], "GB");
  ASSERT_EQ(j["prices"][0]["prices"].size(), 2u);
  EXPECT_EQ(j["prices"][0]["prices"][1]["profile"], "Profile 2");
  // Money is an exact decimal number: "0.90" is printed as 0.9, never 0.8999…
  EXPECT_NE(p.out.find(R"("price": 0.9,)"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find(R"("price": 1.23,)"), std::string::npos) << p.out;
  ASSERT_EQ(api_.seen().size(), 1u);
  EXPECT_EQ(api_.seen()[0].method, "GET");
  EXPECT_EQ(api_.seen()[0].path, "/v2.5/catalogue/prices");
}

TEST_F(CliV25, CataloguePricesFiltersByCountryOnTheClientInEveryFormat) {
  api_.On("GET", "/v2.5/catalogue/prices", 200, kTwoCountries);
  Proc j = Run({"-o", "json", "catalogue", "prices", "--country", "fr"});
  ASSERT_EQ(j.code, 0) << j.err;
  json parsed = Parse(j);
  ASSERT_EQ(parsed["prices"].size(), 1u);
  EXPECT_EQ(parsed["prices"][0]["country"]["iso"], "FR");

  Proc csv = Run({"-o", "csv", "catalogue", "prices", "--country", "GB"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("id,country_iso,country_name,profile,price,currency\n", 0), 0u)
      << csv.out;
  EXPECT_NE(csv.out.find("p1,GB,United Kingdom,Profile 1,1.23,USD"), std::string::npos) << csv.out;
  EXPECT_EQ(csv.out.find("FR"), std::string::npos) << csv.out;

  Proc table = Run({"-o", "table", "catalogue", "prices"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("PRICE PER GB"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("2.50 USD"), std::string::npos) << table.out;
  EXPECT_EQ(api_.seen().size(), 3u);  // --country never reaches the server
  for (const auto& s : api_.seen()) EXPECT_EQ(s.path, "/v2.5/catalogue/prices");
}

TEST_F(CliV25, CataloguePricesForbiddenIsAnAuthError) {
  api_.On("GET", "/v2.5/catalogue/prices", 403, R"({"message":"Not a consumption customer"})");
  Proc p = Run({"catalogue", "prices"});
  EXPECT_EQ(p.code, 4) << p.err;
}

// ---- v2.5 fields -------------------------------------------------------------------------

TEST_F(CliV25, ShowPrintsEveryV25FieldOfAnEsim) {
  api_.On("GET", "/v2.5/esims/894123456789123456", 200, Data("esims_details_v25.json"));
  Proc p = Run({"-o", "json", "esims", "show", "894123456789123456"});
  ASSERT_EQ(p.code, 0) << p.err;
  json j = Parse(p);
  EXPECT_EQ(j["state"], "active");
  EXPECT_EQ(j["branding_id"], "f616f7g8-ey0d-123d-803d-0214a2f5dafb");
  EXPECT_EQ(j["profile_name"], "Profile 1");
  EXPECT_NE(j["android_install_url"].get<std::string>().find("esimsetup.android.com"),
            std::string::npos);
  EXPECT_NE(j["apple_install_url"].get<std::string>().find("esimsetup.apple.com"),
            std::string::npos);
  EXPECT_FALSE(j.contains("msisdn"));  // not in this answer: absent, not ""

  Proc table = Run({"-o", "table", "esims", "show", "894123456789123456"});
  ASSERT_EQ(table.code, 0) << table.err;
  for (const char* label : {"State", "Branding", "Profile", "Android install URL"}) {
    EXPECT_NE(table.out.find(label), std::string::npos) << label << "\n" << table.out;
  }
}

TEST_F(CliV25, ListShowsTheStateColumnOnlyWhenTheAnswerHasIt) {
  api_.On("GET", "/v2.5/esims", 200, Data("esims_list_v25.json"));
  Proc j = Run({"-o", "json", "esims", "list"});
  ASSERT_EQ(j.code, 0) << j.err;
  json parsed = Parse(j);
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[1]["state"], "suspended");
  Proc table = Run({"-o", "table", "esims", "list"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("STATE"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("suspended"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("MSISDN"), std::string::npos) << table.out;  // nobody has one
}

// A v2.4 answer has none of the v2.5 fields: its JSON has none of their keys (the output of
// v2.4 stays byte-identical), and its table no State column.
TEST_F(CliV25, AV24AnswerPrintsNoV25Key) {
  const std::string list =
      R"({"esims":[{"iccid":"8901234567890123456","customerRef":"C1","lastAction":"Bundle Applied",)"
      R"("actionDate":"2023-05-15T14:30:00Z","physical":false,"assignedDate":"2023-05-01T10:00:00Z"}]})";
  api_.Get("/esims", 200, list);
  Proc j = Run({"-o", "json", "esims", "list"}, "2.4");
  ASSERT_EQ(j.code, 0) << j.err;
  // Exactly the v2.4 keys, no more (a JSON comparison: key order is pinned by CliFields).
  EXPECT_EQ(Parse(j), json::parse(R"([{"iccid":"8901234567890123456","customer_ref":"C1",)"
                                  R"("last_action":"Bundle Applied",)"
                                  R"("action_date":"2023-05-15T14:30:00.000Z","physical":false,)"
                                  R"("assigned_date":"2023-05-01T10:00:00.000Z"}])"))
      << j.out;
  Proc table = Run({"-o", "table", "esims", "list"}, "2.4");
  EXPECT_EQ(table.out.find("STATE"), std::string::npos) << table.out;
}

TEST_F(CliV25, AssignmentsCarryStartEndAndAllowancesInJson) {
  api_.On("GET", std::string("/v2.5/esims/") + kIccid + "/bundles", 200,
          Data("esims_bundles_v25.json"));
  Proc p = Run({"-o", "json", "bundles", "list", kIccid});
  ASSERT_EQ(p.code, 0) << p.err;
  json a = Parse(p)[0]["assignments"][0];
  EXPECT_EQ(a["start_time"], "2026-11-01T10:05:00.000Z");
  EXPECT_EQ(a["end_time"], "2026-11-08T10:05:00.000Z");
  ASSERT_EQ(a["allowances"].size(), 2u);
  EXPECT_EQ(a["allowances"][0]["unit"], "MB");
  EXPECT_EQ(a["allowances"][0]["remaining_amount"], 750);
  EXPECT_FALSE(a["allowances"][0].contains("amount"));  // a catalogue field: absent here
}

TEST_F(CliV25, CatalogueShowCarriesProfileAndAllowances) {
  api_.On("GET", "/v2.5/catalogue/bundle/esim_1GB_7D_GB_V2", 200,
          Data("catalogue_bundle_v25.json"));
  Proc p = Run({"-o", "json", "catalogue", "show", "esim_1GB_7D_GB_V2"});
  ASSERT_EQ(p.code, 0) << p.err;
  json j = Parse(p);
  EXPECT_EQ(j["profile_name"], "Profile 1");
  EXPECT_EQ(j["allowances"][0]["amount"], 1000);
  EXPECT_EQ(j["group"][0], "Standard Fixed");
}

TEST_F(CliV25, OrderShowCarriesTheRunningBalance) {
  api_.On("GET", "/v2.5/orders/a1b2c3d4-e5f6-7890-abcd-ef1234567890", 200,
          Data("orders_transaction_v25.json"));
  Proc p = Run({"-o", "json", "orders", "show", "a1b2c3d4-e5f6-7890-abcd-ef1234567890"});
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_NE(p.out.find(R"("running_balance": 998.77)"), std::string::npos) << p.out;
  EXPECT_EQ(p.out.find("running_balance"), p.out.rfind("running_balance"));
}

TEST(CliV25Completions, BothScriptsKnowTheV25CommandsAndApiVersion) {
  for (const char* script : {"esimgo.bash", "esimgo.zsh"}) {
    std::string text = ReadFile(fs::path(ESIMGO_SOURCE_DIR) / "cli" / "completions" / script);
    ASSERT_FALSE(text.empty()) << script;
    for (const char* word : {"suspend unsuspend suspension delete", "list show prices",
                             "--api-version", "2.4 2.5", "--country"}) {
      EXPECT_NE(text.find(word), std::string::npos) << word << " in " << script;
    }
  }
}

}  // namespace
}  // namespace esimgo_cli_test
