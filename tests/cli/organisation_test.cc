// CLI end-to-end tests: `organisation show|topup|groups`.

#include "cli_fixture.h"

namespace esimgo_cli_test {
namespace {

TEST_F(CliOffline, TopUpBelowTheMinimumExits3) {
  Proc p = Offline({"organisation", "topup", "999", "--yes"});
  EXPECT_EQ(p.code, 3);
  EXPECT_NE(p.err.find("1000"), std::string::npos) << p.err;
  p = Offline({"organisation", "topup", "1000.005", "--yes"});
  EXPECT_EQ(p.code, 3);
}

}  // namespace
}  // namespace esimgo_cli_test
