// CLI end-to-end tests: `catalogue list|show`: JSON matches the SDK, CSV and table output.

#include "cli_fixture.h"

namespace esimgo_cli_test {
namespace {

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

}  // namespace
}  // namespace esimgo_cli_test
