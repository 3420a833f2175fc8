// CLI end-to-end tests: `networks`.

#include "cli_fixture.h"

namespace esimgo_cli_test {
namespace {

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

}  // namespace
}  // namespace esimgo_cli_test
