// CLI end-to-end tests: `sandbox clock|reset|usage` on a sandbox of the test's own.

#include "cli_fixture.h"

namespace esimgo_cli_test {
namespace {

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

// `sandbox serve` passes its options to Sandbox::Start, which checks them (no CLI copy).
TEST(CliSandboxServe, InvalidOptionsAreRefusedByTheSandboxWithExit3) {
  TempDir home;
  Proc p = RunCli({"sandbox", "serve", "--port", "0", "--callback-version", "4"},
                  BaseEnv(home.path()), home.path());
  EXPECT_EQ(p.code, 3) << p.err;
  EXPECT_NE(p.err.find("2 or 3"), std::string::npos) << p.err;
  p = RunCli({"sandbox", "serve", "--port", "70000"}, BaseEnv(home.path()), home.path());
  EXPECT_EQ(p.code, 3) << p.err;
}


// The admin endpoints' errors are classified like the SDK's (Error::reason): a 403 for an eSIM
// the sandbox does not know is "not found" (exit 5), not a bad key.
TEST_F(Cli, SandboxUsageOfAnUnknownIccidExits5) {
  Proc p = Exec({"sandbox", "usage", "8944999999999999999", "--bytes", "100"});
  EXPECT_EQ(p.code, 5) << p.err;
  EXPECT_NE(p.err.find("8944999999999999999"), std::string::npos) << p.err;
}

}  // namespace
}  // namespace esimgo_cli_test
