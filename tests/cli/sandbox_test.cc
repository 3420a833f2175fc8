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

// v2.5 admin switches: a policy suspension the API cannot lift, and the consumption flag that
// opens GET /catalogue/prices. Run against /v2.5, whose admin root is beside the API prefix.
TEST(CliSandboxAdmin, PolicySuspensionAndConsumptionSwitchTheV25Behaviour) {
  TempDir home;
  auto sb = esimgo::sandbox::Sandbox::Start({.port = 0, .api_key = kKey, .rate_limit = 0});
  ASSERT_TRUE(sb) << sb.error().ToString();
  std::string base25 = (*sb)->base_url();
  base25.replace(base25.rfind("/v2.4"), 5, "/v2.5");
  esimgo::Client c({.api_key = kKey, .base_url = base25, .requests_per_second = 0});
  auto run = [&](std::vector<std::string> args) {
    std::vector<std::string> full = {"--base-url", base25, "--api-key", kKey};
    full.insert(full.end(), args.begin(), args.end());
    return RunCli(full, BaseEnv(home.path()), home.path());
  };
  auto order = c.orders().Create({.assign = true, .order = {{.item = "esim_1GB_7D_GB_V2"}}});
  ASSERT_TRUE(order) << order.error().ToString();
  const std::string iccid = order->order.at(0).iccids.at(0);

  Proc policy = run({"sandbox", "policy-suspension", iccid});
  ASSERT_EQ(policy.code, 0) << policy.err;
  auto lift = c.esims().Suspend(iccid, false);  // the API cannot lift a policy suspension
  ASSERT_FALSE(lift);
  EXPECT_NE(lift.error().message.find("policy"), std::string::npos) << lift.error().message;
  ASSERT_EQ(run({"sandbox", "policy-suspension", iccid, "--lift"}).code, 0);
  auto state = c.esims().Get(iccid);
  ASSERT_TRUE(state) << state.error().ToString();
  EXPECT_EQ(state->state.value, esimgo::EsimState::kActive) << state->state.raw;

  auto closed = c.catalogue().Prices();
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().http_status, 403);
  Proc on = run({"sandbox", "consumption"});
  ASSERT_EQ(on.code, 0) << on.err;
  auto prices = c.catalogue().Prices();
  ASSERT_TRUE(prices) << prices.error().ToString();
  EXPECT_FALSE(prices->prices.empty());
  ASSERT_EQ(run({"sandbox", "consumption", "--off"}).code, 0);
  EXPECT_FALSE(c.catalogue().Prices());
  EXPECT_EQ(run({"sandbox", "policy-suspension", "not-an-iccid"}).code, 3);
}

}  // namespace
}  // namespace esimgo_cli_test
