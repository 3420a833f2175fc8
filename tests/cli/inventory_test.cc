// CLI end-to-end tests: `inventory list|refund`.

#include "cli_fixture.h"

namespace esimgo_cli_test {
namespace {

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

}  // namespace
}  // namespace esimgo_cli_test
