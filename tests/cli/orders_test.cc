// CLI end-to-end tests: `orders create|list|show`: validation, confirmation, placement.

#include "cli_fixture.h"

namespace esimgo_cli_test {
namespace {

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
  DeadPort dead;
  Proc p = RunCli({"--base-url", dead.url(), "--api-key", kKey, "orders", "create",
                   "esim_1GB_7D_GB_V2:zero", "--yes"},
                  BaseEnv(home_.path()), home_.path());
  EXPECT_EQ(p.code, 3) << p.err;
  EXPECT_NE(p.err.find("BUNDLE:QTY"), std::string::npos) << p.err;
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

}  // namespace
}  // namespace esimgo_cli_test
