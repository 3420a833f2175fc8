// Catalogue, networks and organisation operations through the SDK against the sandbox.

#include <set>

#include "sandbox_fixture.h"

namespace esimgo::testing {
namespace {

using CatalogueIt = SandboxTest;

TEST_F(CatalogueIt, ListAnswersTheLiveWrappedShapeWithPageMetadata) {
  auto page = client->catalogue().List({.page = 1, .per_page = 100});
  ASSERT_TRUE(page) << page.error().ToString();
  EXPECT_EQ(page->bundles.size(), 100u);
  ASSERT_TRUE(page->rows && page->page_count && page->page_size);
  EXPECT_EQ(*page->rows, 5221);
  EXPECT_EQ(*page->page_count, 53);
  EXPECT_EQ(*page->page_size, 100);
}

TEST_F(CatalogueIt, BundlesCarryEsimGoStyleDescriptionsGroupsAndCountries) {
  auto b = client->catalogue().Get("esim_1GB_7D_GB_V2");
  ASSERT_TRUE(b) << b.error().ToString();
  EXPECT_EQ(b->description, "eSIM, 1GB, 7 Days, United Kingdom, V2");
  EXPECT_EQ(b->data_amount_mb, 1000);
  EXPECT_EQ(b->duration_days, 7);
  EXPECT_FALSE(b->unlimited);
  ASSERT_EQ(b->countries.size(), 1u);
  EXPECT_EQ(b->countries[0].iso, "GB");
  EXPECT_EQ(b->countries[0].region, "Europe");
  EXPECT_GT(b->price, Money());
  EXPECT_TRUE(b->groups.empty());  // #25 has no groups

  auto page = client->catalogue().List({.countries = {"GB"}, .group = "Standard Fixed"});
  ASSERT_TRUE(page);
  ASSERT_FALSE(page->bundles.empty());
  for (const auto& x : page->bundles) {
    EXPECT_EQ(x.groups, std::vector<std::string>{"Standard Fixed"}) << x.name;
  }
}

TEST_F(CatalogueIt, UnlimitedBundlesReportZeroMegabytes) {
  auto b = client->catalogue().Get("esim_UL_1D_AX_V2");
  ASSERT_TRUE(b) << b.error().ToString();
  EXPECT_TRUE(b->unlimited);
  EXPECT_EQ(b->data_amount_mb, 0);
  EXPECT_NE(b->description.find("Unlimited Lite"), std::string::npos);
}

TEST_F(CatalogueIt, FiltersByCountriesWithSpacesRegionAndWildcardDescription) {
  auto r = raw->Get("/v2.4/catalogue?countries=GB,%20US&perPage=1000");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  auto page = client->catalogue().List({.per_page = 1000, .countries = {"GB", "US"}});
  ASSERT_TRUE(page);
  std::set<std::string> isos;
  for (const auto& b : page->bundles) {
    bool hit = false;
    for (const auto& c : b.countries) hit = hit || c.iso == "GB" || c.iso == "US";
    EXPECT_TRUE(hit) << b.name;
  }
  auto desc = client->catalogue().List({.description = "*1gb*7 days*kingdom*"});
  ASSERT_TRUE(desc);
  ASSERT_FALSE(desc->bundles.empty());
  EXPECT_EQ(desc->bundles[0].name, "esim_1GB_7D_GB_V2");
  auto region = client->catalogue().List({.per_page = 100, .region = "Oceania"});
  ASSERT_TRUE(region);
  ASSERT_FALSE(region->bundles.empty());
  auto cheap = client->catalogue().List(
      {.per_page = 5, .countries = {"FR"}, .order_by = "price", .direction = "desc"});
  ASSERT_TRUE(cheap);
  ASSERT_EQ(cheap->bundles.size(), 5u);
  EXPECT_GE(cheap->bundles[0].price, cheap->bundles[4].price);
}

TEST_F(CatalogueIt, ListAllWalksEveryPage) {
  auto first = client->catalogue().List({.per_page = 7, .countries = {"GB"}});
  ASSERT_TRUE(first);
  ASSERT_TRUE(first->rows && first->page_count);
  ASSERT_GT(*first->page_count, 2);
  size_t n = 0;
  std::set<std::string> names;
  for (const auto& r : client->catalogue().ListAll({.per_page = 7, .countries = {"GB"}})) {
    ASSERT_TRUE(r) << r.error().ToString();
    names.insert(r->name);
    ++n;
  }
  EXPECT_EQ(static_cast<int64_t>(n), *first->rows);
  EXPECT_EQ(names.size(), n);  // no bundle twice across pages
}

TEST_F(CatalogueIt, UnknownBundleIsForbiddenAndNamesAreCaseSensitive) {
  auto b = client->catalogue().Get("ESIM_1GB_7D_GB_V2");
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().http_status, 403);
  EXPECT_NE(b.error().message.find("case-sensitive"), std::string::npos);
}

TEST_F(CatalogueIt, BadPerPageIsABadRequestWithAHint) {
  auto r = raw->Get("/v2.4/catalogue?perPage=5000");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("perPage"), std::string::npos);
}

TEST_F(CatalogueIt, NetworksByIsoNameAndAll) {
  auto gb = client->networks().Get({.isos = {"GB"}});
  ASSERT_TRUE(gb) << gb.error().ToString();
  ASSERT_EQ(gb->country_networks.size(), 1u);
  EXPECT_EQ(gb->country_networks[0].name, "United Kingdom");
  ASSERT_FALSE(gb->country_networks[0].networks.empty());
  EXPECT_EQ(gb->country_networks[0].networks[0].mcc, "234");
  auto named = client->networks().Get({.countries = {"France", "Germany"}});
  ASSERT_TRUE(named);
  EXPECT_EQ(named->country_networks.size(), 2u);
  auto all = client->networks().Get({.return_all = true});
  ASSERT_TRUE(all);
  EXPECT_GT(all->country_networks.size(), 150u);
}

TEST_F(CatalogueIt, OrganisationStartsWithTenThousandDollars) {
  auto org = client->organisation().Get();
  ASSERT_TRUE(org) << org.error().ToString();
  EXPECT_EQ(org->balance, Money::FromUnits(10'000));
  EXPECT_EQ(org->currency, "USD");
  EXPECT_FALSE(org->groups.empty());
  auto groups = client->organisation().Groups();
  ASSERT_TRUE(groups);
  std::set<std::string> names;
  for (const auto& g : *groups) names.insert(g.name);
  EXPECT_TRUE(names.count("Standard Fixed"));
  EXPECT_TRUE(names.count("Standard Unlimited Plus"));
}

TEST_F(CatalogueIt, TopUpEnforcesTheMinimumAndTheDailyMaximum) {
  auto small = raw->Post("/v2.4/organisation/balance?amount=999", "");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 400);
  EXPECT_NE(small->body.find("minimum"), std::string::npos);
  auto ok = client->organisation().TopUp(Money::FromUnits(3000));
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ(ok->balance, Money::FromUnits(13'000));
  EXPECT_FALSE(ok->ref.empty());
  auto ok2 = client->organisation().TopUp(Money::FromUnits(2000));
  ASSERT_TRUE(ok2) << ok2.error().ToString();
  auto over = client->organisation().TopUp(Money::FromUnits(1000));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().http_status, 400);
  EXPECT_NE(over.error().message.find("daily"), std::string::npos);
  // A new UTC day allows more.
  ASSERT_TRUE(raw->Post("/_sandbox/clock", R"({"advanceSeconds": 86400})"));
  EXPECT_TRUE(client->organisation().TopUp(Money::FromUnits(1000)));
}

TEST_F(CatalogueIt, WrongOrMissingKeyIsForbiddenAndTheKeyIsNotEchoed) {
  Client bad = MakeClient(sb->base_url(), "wrong-key-xyz");
  auto r = bad.catalogue().List();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().http_status, 403);
  EXPECT_EQ(r.error().message.find("wrong-key-xyz"), std::string::npos);
  Raw none(sb->port(), "");
  auto n = none.Get("/v2.4/organisation");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->status, 403);
  EXPECT_NE(n->body.find("\"message\""), std::string::npos);
  // The header name is matched case-insensitively.
  httplib::Client lower("127.0.0.1", sb->port());
  auto l = lower.Get("/v2.4/organisation/groups", {{"x-api-key", kSandboxKey}});
  ASSERT_TRUE(l);
  EXPECT_EQ(l->status, 200);
}

TEST_F(CatalogueIt, UnknownPathsAnswerJsonErrors) {
  auto r = raw->Get("/v2.4/nope");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(r->body.find("no such operation"), std::string::npos);
}

}  // namespace
}  // namespace esimgo::testing
