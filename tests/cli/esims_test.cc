// CLI end-to-end tests: `esims …` and `bundles …`: apply, usage, revoke, refund, management,
// install.

#include "cli_fixture.h"
#include "esimgo/limits.h"

namespace esimgo_cli_test {
namespace {

TEST_F(CliOffline, MalformedIccidExits3WithAHint) {
  Proc p = Offline({"esims", "show", "12345"});
  EXPECT_EQ(p.code, 3);
  // The SDK's ICCID rule speaks (it replaced the CLI's copy, which said "18 to 22 digits").
  EXPECT_NE(p.err.find("18–22 digits"), std::string::npos) << p.err;
  p = Offline({"bundles", "list", "8944abc0000000000000"});
  EXPECT_EQ(p.code, 3);
}

TEST_F(CliOffline, SmsLongerThan160CharactersExits3) {
  Proc p = Offline({"esims", "sms", "8944000000000000001", std::string(161, 'x')});
  EXPECT_EQ(p.code, 3);
  // The SDK's message (the CLI's copy said "1 to 160").
  EXPECT_NE(p.err.find("at most 160"), std::string::npos) << p.err;
}

TEST_F(CliOffline, PerPageOutsideTheApiValuesExits3) {
  Proc p = Offline({"esims", "list", "--per-page", "7"});
  EXPECT_EQ(p.code, 3);
  EXPECT_NE(p.err.find("10, 25, 50 or 100"), std::string::npos) << p.err;
}

TEST_F(CliOffline, SmsThatIsNotUtf8IsRefusedByTheSdkBeforeSending) {
  // The CLI's own lax counter took "caf\xE9" for 4 characters; the SDK's strict one refuses it.
  Proc p = Offline({"esims", "sms", "8944000000000000001", "caf\xE9"});
  EXPECT_EQ(p.code, 3) << p.err;
  EXPECT_NE(p.err.find("UTF-8"), std::string::npos) << p.err;
}

TEST_F(CliOffline, ApplyRepeatFollowsTheSharedLimitNotAnOldCopy) {
  const std::string over = std::to_string(esimgo::limits::kApplyRepeatMax + 1);
  Proc p = Offline({"esims", "apply", "esim_1GB_7D_GB_V2", "--repeat", over});
  EXPECT_EQ(p.code, 3) << p.err;
  EXPECT_NE(p.err.find(std::to_string(esimgo::limits::kApplyRepeatMax)), std::string::npos)
      << p.err;
  // 101 was refused by the CLI's own 1–100 copy; the API's limit allows it, so it is sent (and
  // meets the dead port: exit 8).
  p = Offline({"--retries", "0", "esims", "apply", "esim_1GB_7D_GB_V2", "--repeat", "101"});
  EXPECT_EQ(p.code, 8) << p.err;
}

TEST_F(CliOffline, RevokeRefundToBalanceWithoutOfferIdExits3) {
  Proc p = Offline({"bundles", "revoke", "8944000000000000001", "esim_1GB_7D_GB_V2",
                    "--refund-to-balance", "--yes"});
  EXPECT_EQ(p.code, 3);
  // The SDK's message (the CLI's copy said "--offer-id").
  EXPECT_NE(p.err.find("offer_id"), std::string::npos) << p.err;
}

TEST_F(Cli, ApplyUsageStatusRevokeAndRefundFlow) {
  std::string bundle = GbBundle();
  std::string iccid = NewEsimWithBundle(bundle);
  ASSERT_FALSE(iccid.empty());

  json details = CliJson({"esims", "show", iccid});
  EXPECT_EQ(details["iccid"], iccid);
  EXPECT_EQ(details["lpa"].get<std::string>().rfind("LPA:1$", 0), 0u) << details.dump();

  Proc use = Exec({"sandbox", "usage", iccid, "--percent", "40"});
  ASSERT_EQ(use.code, 0) << use.err;
  json bundles = CliJson({"bundles", "list", iccid});
  ASSERT_FALSE(bundles.empty());
  const json& a = bundles[0]["assignments"][0];
  EXPECT_EQ(a["bundle_state"].get<std::string>().size() > 0, true);
  int64_t initial = a["initial_quantity"], remaining = a["remaining_quantity"];
  EXPECT_EQ(remaining, initial - initial * 40 / 100) << a.dump();

  Proc table = Exec({"-o", "table", "bundles", "list", iccid});
  EXPECT_NE(table.out.find("left, 60 %"), std::string::npos) << table.out;

  // A second bundle stays unused and can be revoked (after validation, with --yes).
  CliJson({"orders", "create", bundle, "--yes"});
  CliJson({"esims", "apply", bundle, "--iccid", iccid});
  Proc refused = Exec({"bundles", "revoke", iccid, bundle});
  EXPECT_EQ(refused.code, 2) << refused.err;
  json revoked = CliJson({"bundles", "revoke", iccid, bundle, "--yes"});
  EXPECT_FALSE(revoked["status"].get<std::string>().empty());

  // Refund one unit of an inventory lot.
  CliJson({"orders", "create", bundle + ":2", "--yes"});
  auto inv = client().inventory().Get();
  ASSERT_TRUE(inv);
  int64_t lot = 0, left = 0;
  for (const auto& b : inv->bundles) {
    for (const auto& l : b.available) {
      if (b.name == bundle && l.remaining > 0) lot = l.id, left = l.remaining;
    }
  }
  ASSERT_GT(lot, 0);
  EXPECT_EQ(Exec({"inventory", "refund", std::to_string(lot)}).code, 2);
  json refund = CliJson({"inventory", "refund", std::to_string(lot), "--yes"});
  EXPECT_EQ(refund["usage_id"], std::to_string(lot));
  auto inv2 = client().inventory().Get();
  int64_t left2 = 0;
  for (const auto& b : inv2->bundles) {
    for (const auto& l : b.available) {
      if (l.id == lot) left2 = l.remaining;
    }
  }
  EXPECT_EQ(left2, left - 1);
}

TEST_F(Cli, UnknownIccidExitsNotFound) {
  Proc p = Exec({"esims", "show", "8944999999999999999"});
  EXPECT_EQ(p.code, 5) << p.err;
}

TEST_F(Cli, InstallDetailsWritePngQrCodesLocally) {
  std::string bundle = GbBundle();
  json o = CliJson({"orders", "create", bundle, "--assign", "--yes"});
  std::string ref = o["order_reference"];
  fs::path dir = home_.path() / "qr";
  Proc p = Exec({"-o", "json", "esims", "install", ref, "--qr-png", dir.string()});
  ASSERT_EQ(p.code, 0) << p.err;
  json rows = json::parse(p.out);
  ASSERT_EQ(rows.size(), 1u) << p.out;
  fs::path png = dir / (rows[0]["iccid"].get<std::string>() + ".png");
  ASSERT_TRUE(fs::exists(png)) << p.err;
  std::string bytes = ReadFile(png);
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
}

TEST_F(Cli, EsimsUpdateSetsTheCustomerRefShownByListAndShow) {
  std::string iccid = NewEsimWithBundle(GbBundle());
  ASSERT_FALSE(iccid.empty());
  const std::string ref = "cust-ref-" + iccid.substr(iccid.size() - 6);
  json updated = CliJson({"esims", "update", iccid, "--customer-ref", ref});
  EXPECT_EQ(updated["iccid"], iccid) << updated.dump();
  EXPECT_EQ(updated["customer_ref"], ref) << updated.dump();
  EXPECT_FALSE(updated.value("status", "").empty()) << updated.dump();

  json shown = CliJson({"esims", "show", iccid});
  EXPECT_EQ(shown["customer_ref"], ref) << shown.dump();
  json list = CliJson({"esims", "list", "--per-page", "100"});
  ASSERT_TRUE(list.is_array()) << list.dump();
  bool found = false;
  for (const auto& e : list) {
    if (e["iccid"] == iccid) {
      found = true;
      EXPECT_EQ(e["customer_ref"], ref) << e.dump();
    }
  }
  EXPECT_TRUE(found) << list.dump();
  auto sdk = client().esims().Get(iccid);
  ASSERT_TRUE(sdk) << sdk.error().ToString();
  EXPECT_EQ(sdk->customer_ref, ref);
}

TEST_F(Cli, EsimsHistoryListsTheAppliedBundle) {
  std::string bundle = GbBundle();
  std::string iccid = NewEsimWithBundle(bundle);
  ASSERT_FALSE(iccid.empty());
  json history = CliJson({"esims", "history", iccid});
  ASSERT_TRUE(history.is_array()) << history.dump();
  ASSERT_FALSE(history.empty()) << history.dump();
  bool has_bundle = false;
  for (const auto& e : history) {
    EXPECT_FALSE(e.value("name", "").empty()) << e.dump();
    EXPECT_TRUE(e.contains("date")) << e.dump();
    has_bundle |= e["bundle_name"] == bundle;
  }
  EXPECT_TRUE(has_bundle) << history.dump();
  auto sdk = client().esims().History(iccid);
  ASSERT_TRUE(sdk) << sdk.error().ToString();
  EXPECT_EQ(history.size(), sdk->size());
  EXPECT_EQ(Exec({"esims", "history", "8944999999999999999"}).code, 5);
}

TEST_F(Cli, EsimsRefreshNeedsYesAndThenSucceeds) {
  std::string iccid = NewEsimWithBundle(GbBundle());
  ASSERT_FALSE(iccid.empty());
  Proc refused = Exec({"esims", "refresh", iccid});
  EXPECT_EQ(refused.code, 2) << refused.err;
  EXPECT_NE(refused.err.find("--yes"), std::string::npos) << refused.err;
  json refreshed = CliJson({"esims", "refresh", iccid, "--yes"});
  EXPECT_EQ(refreshed["iccid"], iccid) << refreshed.dump();
  EXPECT_FALSE(refreshed.value("status", "").empty()) << refreshed.dump();
}

TEST_F(Cli, EsimsCompatibleMatchesTheSdk) {
  std::string bundle = GbBundle();
  std::string iccid = NewEsimWithBundle(bundle);
  ASSERT_FALSE(iccid.empty());
  json c = CliJson({"esims", "compatible", iccid, bundle});
  EXPECT_EQ(c["iccid"], iccid) << c.dump();
  EXPECT_EQ(c["bundle"], bundle) << c.dump();
  auto sdk = client().esims().Compatible(iccid, bundle);
  ASSERT_TRUE(sdk) << sdk.error().ToString();
  ASSERT_TRUE(c["compatible"].is_boolean()) << c.dump();
  EXPECT_EQ(c["compatible"].get<bool>(), *sdk);
  EXPECT_TRUE(*sdk);  // the bundle already applied to it is compatible
  EXPECT_EQ(Exec({"esims", "compatible", iccid, "esim_NOPE_0D_XX_V9"}).code, 3);
}

TEST_F(Cli, EsimsLocationShowsTheCountryOfTheLastUsage) {
  std::string iccid = NewEsimWithBundle(GbBundle());
  ASSERT_FALSE(iccid.empty());
  // Not attached yet: the sandbox answers 400 (exit 3).
  Proc before = Exec({"esims", "location", iccid});
  EXPECT_EQ(before.code, 3) << before.err;
  Proc use = Exec({"sandbox", "usage", iccid, "--percent", "10", "--country", "FR"});
  ASSERT_EQ(use.code, 0) << use.err;
  json loc = CliJson({"esims", "location", iccid});
  EXPECT_EQ(loc["country"], "FR") << loc.dump();
  EXPECT_FALSE(loc.value("network_name", "").empty()) << loc.dump();
  EXPECT_TRUE(loc["last_seen"].is_string()) << loc.dump();
}

TEST_F(Cli, BundlesShowListsTheAssignmentsOfOneBundle) {
  std::string bundle = GbBundle();
  std::string iccid = NewEsimWithBundle(bundle);
  ASSERT_FALSE(iccid.empty());
  json shown = CliJson({"bundles", "show", iccid, bundle});
  ASSERT_TRUE(shown.is_array()) << shown.dump();
  ASSERT_EQ(shown.size(), 1u) << shown.dump();
  const json& a = shown[0];
  EXPECT_TRUE(a["id"].is_string()) << a.dump();
  auto price = client().catalogue().Get(bundle);
  ASSERT_TRUE(price) << price.error().ToString();
  EXPECT_EQ(a["initial_quantity"].get<int64_t>(), price->data_amount_mb * 1000 * 1000) << a.dump();
  EXPECT_EQ(a["remaining_quantity"], a["initial_quantity"]) << a.dump();
  EXPECT_FALSE(a.value("bundle_state", "").empty()) << a.dump();
}

// --out and --qr-png write through a temporary file and rename(2); a link planted at the
// target is refused and its target left alone.
TEST_F(Cli, InstallNeverWritesThroughASymlinkAtOutOrQrPng) {
  std::string bundle = GbBundle();
  json o = CliJson({"orders", "create", bundle, "--assign", "--yes"});
  std::string ref = o["order_reference"];
  json rows = CliJson({"esims", "install", ref});
  ASSERT_EQ(rows.size(), 1u) << rows.dump();
  std::string iccid = rows[0]["iccid"];

  fs::path victim = home_.path() / "victim.txt";
  WriteFile(victim, "precious");
  fs::path out = home_.path() / "install.json";
  fs::create_symlink(victim, out);
  Proc p = Exec({"-o", "json", "esims", "install", ref, "--out", out.string()});
  EXPECT_EQ(p.code, 3) << p.err;
  EXPECT_NE(p.err.find("symbolic link"), std::string::npos) << p.err;
  EXPECT_EQ(ReadFile(victim), "precious");

  fs::path qr = home_.path() / "qr";
  fs::create_directories(qr);
  fs::create_symlink(victim, qr / (iccid + ".png"));
  p = Exec({"-o", "json", "esims", "install", ref, "--qr-png", qr.string()});
  EXPECT_EQ(p.code, 3) << p.err;
  EXPECT_EQ(ReadFile(victim), "precious");
  EXPECT_TRUE(fs::is_symlink(qr / (iccid + ".png")));

  // A regular file is replaced, and --out writes what stdout would have shown.
  fs::remove(out);
  p = Exec({"-o", "json", "esims", "install", ref, "--out", out.string()});
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_EQ(json::parse(ReadFile(out))[0]["iccid"], iccid);
}

}  // namespace
}  // namespace esimgo_cli_test
