#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "drift/client_operations.h"
#include "esimgo/drift.h"
#include "retry/operations.h"

namespace esimgo::drift {
namespace {

std::string ReadData(const std::string& name) {
  std::ifstream in(std::string(ESIMGO_SOURCE_DIR) + "/tests/data/" + name, std::ios::binary);
  EXPECT_TRUE(in) << "missing fixture " << name;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// "kind path" lines, for readable comparisons.
std::vector<std::string> Lines(const std::vector<Drift>& drift) {
  std::vector<std::string> out;
  for (const auto& d : drift) out.push_back(std::string(ToString(d.kind)) + " " + d.path);
  return out;
}

std::vector<Drift> MustCheck(std::string_view op, ApiVersion v, std::string_view body) {
  auto r = Check(op, v, body);
  EXPECT_TRUE(r) << op << ": " << (r ? "" : r.error().ToString());
  return r ? *r : std::vector<Drift>{};
}

using Expected = std::vector<std::string>;

TEST(DriftKindNames, AreTheStableSnakeCaseNames) {
  EXPECT_EQ(ToString(DriftKind::kUnknownField), "unknown_field");
  EXPECT_EQ(ToString(DriftKind::kMissingField), "missing_field");
  EXPECT_EQ(ToString(DriftKind::kTypeMismatch), "type_mismatch");
  EXPECT_EQ(ToString(DriftKind::kUnknownEnum), "unknown_enum");
}

TEST(DriftOperations, ListEveryJsonOperationOfEachVersionAndOnlyThose) {
  auto v24 = Operations(ApiVersion::kV2_4);
  auto v25 = Operations(ApiVersion::kV2_5);
  EXPECT_TRUE(std::is_sorted(v24.begin(), v24.end()));
  auto has = [](const std::vector<std::string_view>& ops, std::string_view op) {
    return std::find(ops.begin(), ops.end(), op) != ops.end();
  };
  EXPECT_TRUE(has(v24, "GET /esims/{iccid}"));
  EXPECT_TRUE(has(v24, "POST /orders"));
  EXPECT_TRUE(has(v24, "POST /orders?type=transaction"));
  EXPECT_TRUE(has(v24, "GET /esims/assignments"));
  EXPECT_FALSE(has(v24, "GET /catalogue/prices"));
  EXPECT_FALSE(has(v24, "POST /esims/{iccid}/suspend"));
  EXPECT_TRUE(has(v25, "GET /catalogue/prices"));
  EXPECT_TRUE(has(v25, "GET /esims/{iccid}/suspend"));
  EXPECT_TRUE(has(v25, "DELETE /esims/{iccid}"));
  // Non-JSON answers have no contract to check.
  EXPECT_FALSE(has(v25, "GET /esims/csv/{reference}"));
  EXPECT_FALSE(has(v25, "GET /esims/qr/{reference}"));
  // The callback is not an answer of the API.
  EXPECT_FALSE(has(v24, "POST /your-usage-callback-url/"));
}

// Every row of the SDK's operations table that answers JSON can be checked on every version
// that has it: the production hook never meets an operation the tables lack.
TEST(DriftOperations, CoverEveryJsonOperationOfTheClient) {
  using esimgo::internal::kOperations;
  for (const auto& info : kOperations) {
    std::string_view op = internal::OperationOf(info.op);
    if (info.op == esimgo::internal::Op::kEsimsQrCodes ||
        info.op == esimgo::internal::Op::kEsimsInstallCsv) {
      EXPECT_TRUE(op.empty()) << info.name;
      continue;
    }
    ASSERT_FALSE(op.empty()) << info.name;
    for (ApiVersion v : {ApiVersion::kV2_4, ApiVersion::kV2_5}) {
      if (v < info.since) continue;
      auto ops = Operations(v);
      EXPECT_NE(std::find(ops.begin(), ops.end(), op), ops.end())
          << info.name << " (" << op << ") on v" << ApiVersionName(v);
    }
  }
}

TEST(DriftCheck, UnknownOperationIsAnInvalidArgumentNamingIt) {
  for (std::string_view op : {"GET /nope", "get /esims", "GET /esims/123", "", "GET"}) {
    auto r = Check(op, ApiVersion::kV2_4, "{}");
    ASSERT_FALSE(r) << op;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find("\"" + std::string(op) + "\""), std::string::npos)
        << r.error().message;
    EXPECT_NE(r.error().message.find("Operations"), std::string::npos) << r.error().message;
  }
  // A v2.5 operation on v2.4.
  auto r = Check("GET /catalogue/prices", ApiVersion::kV2_4, "{}");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("v2.4"), std::string::npos);
}

TEST(DriftCheck, MalformedJsonIsADecodeErrorNotACrash) {
  for (std::string_view body : {"",
                                " ",
                                "{",
                                "}",
                                "[",
                                "{\"esims\":[}",
                                "{\"esims\":[{\"iccid\":\"1\"}]",
                                "nul",
                                "{\"esims\":[]} x",
                                "{\"esims\":[]}{}",
                                "\"unterminated",
                                "{\"a\":01}",
                                "{\"a\":1.}",
                                "{\"a\":tru}",
                                "{\"esims\":[{\"physical\":fals}]}",
                                "{\"esims\":[1,]}",
                                "{,}",
                                "{\"a\" 1}",
                                "\xff\xfe",
                                "[\"\\x\"]"}) {
    auto r = Check("GET /esims", ApiVersion::kV2_4, body);
    ASSERT_FALSE(r) << "accepted: " << body;
    EXPECT_EQ(r.error().code, ErrorCode::kDecode) << body;
    EXPECT_NE(r.error().message.find("not well-formed JSON"), std::string::npos)
        << r.error().message;
    EXPECT_NE(r.error().message.find("GET /esims"), std::string::npos) << r.error().message;
  }
}

TEST(DriftCheck, DeeplyNestedJunkIsAnErrorOrAFindingNeverACrash) {
  std::string deep(100000, '[');
  auto r = Check("GET /esims", ApiVersion::kV2_4, deep);
  EXPECT_FALSE(r);
  std::string nested =
      "{\"esims\":[{\"iccid\":\"1\",\"x\":" + std::string(500, '[') + std::string(500, ']') + "}]}";
  auto ok = Check("GET /esims", ApiVersion::kV2_4, nested);
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ(Lines(*ok), (Expected{"unknown_field $.esims[0].x"}));
}

TEST(DriftCheck, CleanAnswerHasNoDrift) {
  EXPECT_TRUE(MustCheck("GET /esims", ApiVersion::kV2_4, ReadData("esims_list.json")).empty());
  EXPECT_TRUE(MustCheck("GET /esims", ApiVersion::kV2_4, R"({"esims":[]})").empty());
}

TEST(DriftCheck, RenamedFieldIsUnknownAndItsRequiredOriginalMissing) {
  auto d = MustCheck("GET /esims/{iccid}", ApiVersion::kV2_4,
                     R"({"iccId":"894","pin":"0000","customerRef":""})");
  EXPECT_EQ(Lines(d), (Expected{"unknown_field $.iccId", "missing_field $.iccid"}));
  EXPECT_EQ(d[0].detail, "not in the SDK's model or the API's schema");
}

TEST(DriftCheck, MissingRequiredFieldsAreReportedOptionalOnesNever) {
  // Only iccid is always sent; pin, puk, … may be absent.
  EXPECT_TRUE(MustCheck("GET /esims/{iccid}", ApiVersion::kV2_4, R"({"iccid":"8944"})").empty());
  EXPECT_EQ(Lines(MustCheck("GET /esims", ApiVersion::kV2_4, "{}")),
            (Expected{"missing_field $.esims"}));
  EXPECT_EQ(Lines(MustCheck("GET /esims", ApiVersion::kV2_4,
                            R"({"esims":[{"iccid":"1"},{"customerRef":"x"}]})")),
            (Expected{"missing_field $.esims[1].iccid"}));
  // The YAML's own `required` (CompatibilityResponse.compatible).
  EXPECT_EQ(Lines(MustCheck("GET /esims/{iccid}/compatible/{bundle}", ApiVersion::kV2_4, "{}")),
            (Expected{"missing_field $.compatible"}));
}

TEST(DriftCheck, RetypedFieldsAreTypeMismatchesWithTheirPath) {
  auto d = MustCheck(
      "GET /esims", ApiVersion::kV2_4,
      R"({"esims":[{"iccid":"1","physical":"yes"},{"iccid":8944123456789012345678,"customerRef":{}}]})");
  EXPECT_EQ(Lines(d),
            (Expected{"type_mismatch $.esims[0].physical", "type_mismatch $.esims[1].iccid",
                      "type_mismatch $.esims[1].customerRef"}));
  EXPECT_EQ(d[0].detail, "string where boolean expected");
  EXPECT_EQ(d[1].detail, "integer where string expected");
  EXPECT_EQ(d[2].detail, "object where string expected");

  auto arr = MustCheck("GET /esims", ApiVersion::kV2_4, R"({"esims":{"iccid":"1"}})");
  ASSERT_EQ(Lines(arr), (Expected{"type_mismatch $.esims"}));
  EXPECT_EQ(arr[0].detail, "object where array expected");

  // An integer field with a fraction; an integral float is still an integer.
  auto frac =
      MustCheck("GET /esims/{iccid}/bundles/{name}", ApiVersion::kV2_4,
                R"({"assignments":[{"initialQuantity":1.5,"remainingQuantity":1073741824.0}]})");
  ASSERT_EQ(Lines(frac), (Expected{"type_mismatch $.assignments[0].initialQuantity"}));
  EXPECT_EQ(frac[0].detail, "fractional number where integer expected");

  // Money is a number whatever the YAML says (reference §6.4): 1.23 and 1 both fit.
  EXPECT_TRUE(MustCheck("POST /organisation/balance", ApiVersion::kV2_4,
                        R"({"amount":1000.5,"balance":12500,"ref":"987"})")
                  .empty());
  auto money = MustCheck("POST /organisation/balance", ApiVersion::kV2_4, R"({"amount":"1000"})");
  EXPECT_EQ(Lines(money), (Expected{"type_mismatch $.amount"}));
  EXPECT_EQ(money[0].detail, "string where number expected");
}

TEST(DriftCheck, WrongRootTypeIsOneMismatchAtTheRoot) {
  auto d = MustCheck("GET /esims/{iccid}", ApiVersion::kV2_4, R"(["8944"])");
  ASSERT_EQ(Lines(d), (Expected{"type_mismatch $"}));
  EXPECT_EQ(d[0].detail, "array where object expected");
  auto scalar = MustCheck("GET /esims/{iccid}", ApiVersion::kV2_4, R"("8944")");
  ASSERT_EQ(Lines(scalar), (Expected{"type_mismatch $"}));
  EXPECT_EQ(scalar[0].detail, "string where object expected");
  EXPECT_EQ(Lines(MustCheck("GET /esims/{iccid}", ApiVersion::kV2_4, "null")),
            (Expected{"type_mismatch $"}));
}

TEST(DriftCheck, NullIsFineForOptionalFieldsButNotForRequiredOnes) {
  EXPECT_TRUE(MustCheck("GET /esims/{iccid}", ApiVersion::kV2_4,
                        R"({"iccid":"1","pin":null,"firstInstalledDateTime":null})")
                  .empty());
  auto d = MustCheck("GET /esims/{iccid}", ApiVersion::kV2_4, R"({"iccid":null})");
  ASSERT_EQ(Lines(d), (Expected{"type_mismatch $.iccid"}));
  EXPECT_EQ(d[0].detail, "null where string expected");
}

TEST(DriftCheck, UnknownEnumValuesAreReportedCaseInsensitively) {
  auto d = MustCheck(
      "GET /esims", ApiVersion::kV2_5,
      R"({"esims":[{"iccid":"1","state":"ACTIVE"},{"iccid":"2","state":"paused"},{"iccid":"3","state":"Suspended"}]})");
  ASSERT_EQ(Lines(d), (Expected{"unknown_enum $.esims[1].state"}));
  EXPECT_EQ(d[0].detail, "\"paused\" is not one of active, suspended, deactivated");
  // An open string is never an enum drift.
  EXPECT_TRUE(MustCheck("GET /esims", ApiVersion::kV2_5,
                        R"({"esims":[{"iccid":"1","lastAction":"Anything new"}]})")
                  .empty());
}

TEST(DriftCheck, UnknownEnumValueIsQuotedTruncated) {
  std::string value(100, 'x');
  auto d = MustCheck("GET /esims", ApiVersion::kV2_5,
                     R"({"esims":[{"iccid":"1","state":")" + value + R"("}]})");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].detail.find(value), std::string::npos);
  EXPECT_NE(d[0].detail.find(std::string(40, 'x') + "…"), std::string::npos) << d[0].detail;
}

TEST(DriftCheck, NestedArraysGiveFullIndexedPaths) {
  auto d = MustCheck("GET /esims/{iccid}/bundles", ApiVersion::kV2_5, R"({"bundles":[
      {"name":"a","assignments":[]},
      {"name":"b","assignments":[
        {"id":"1","bundleState":"active","allowances":[]},
        {"id":"2","bundleState":"frozen","allowances":[
          {"type":"DATA","unit":"GB","initialAmount":"1","extra":true}]}]}]})");
  EXPECT_EQ(Lines(d),
            (Expected{"unknown_enum $.bundles[1].assignments[1].bundleState",
                      "unknown_enum $.bundles[1].assignments[1].allowances[0].unit",
                      "type_mismatch $.bundles[1].assignments[1].allowances[0].initialAmount",
                      "unknown_field $.bundles[1].assignments[1].allowances[0].extra"}));
}

TEST(DriftCheck, FieldsOfALaterVersionAreUnknownOnAnEarlierOne) {
  std::string body = R"({"esims":[{"iccid":"1","state":"active","msisdn":"44"}]})";
  EXPECT_TRUE(MustCheck("GET /esims", ApiVersion::kV2_5, body).empty());
  EXPECT_EQ(Lines(MustCheck("GET /esims", ApiVersion::kV2_4, body)),
            (Expected{"unknown_field $.esims[0].state", "unknown_field $.esims[0].msisdn"}));
}

TEST(DriftCheck, TheYamlsShapeStaysAcceptedBesideTheLiveOne) {
  // GET /catalogue: live {"bundles":[…]} and the YAML's bare array.
  std::string bundle = R"({"name":"b","price":1.5,"dataAmount":1000})";
  EXPECT_TRUE(MustCheck("GET /catalogue", ApiVersion::kV2_4,
                        R"({"bundles":[)" + bundle + R"(],"pageCount":1,"rows":1,"pageSize":50})")
                  .empty());
  EXPECT_TRUE(MustCheck("GET /catalogue", ApiVersion::kV2_4, "[" + bundle + "]").empty());
  EXPECT_EQ(Lines(MustCheck("GET /catalogue", ApiVersion::kV2_4, R"([{"name":"b","nope":1}])")),
            (Expected{"unknown_field $[0].nope"}));
  // Neither shape: the detail names both.
  auto neither = MustCheck("GET /catalogue", ApiVersion::kV2_4, R"("bundles")");
  ASSERT_EQ(Lines(neither), (Expected{"type_mismatch $"}));
  EXPECT_EQ(neither[0].detail, "string where object or array expected");
  // History: live array, the YAML's one object.
  EXPECT_TRUE(MustCheck("GET /esims/{iccid}/history", ApiVersion::kV2_4,
                        R"({"name":"Bundle Applied","bundleName":"b","date":"2023"})")
                  .empty());
  // Install details: an array for several references, one object for one.
  EXPECT_TRUE(
      MustCheck("GET /esims/assignments", ApiVersion::kV2_4, R"([{"iccid":"1"},{"iccid":"2"}])")
          .empty());
  EXPECT_TRUE(MustCheck("GET /esims/assignments", ApiVersion::kV2_4, R"({"iccid":"1"})").empty());
}

TEST(DriftCheck, OddKeysArePathSafe) {
  auto d = MustCheck("GET /esims", ApiVersion::kV2_4,
                     R"({"esims":[],"a b":1,"q\"uote":2,"x\u0001":3,"9lives":4})");
  EXPECT_EQ(Lines(d), (Expected{R"(unknown_field $["a b"])", R"(unknown_field $["q\"uote"])",
                                R"(unknown_field $["x?"])", R"(unknown_field $["9lives"])"}));
}

TEST(DriftCheck, LongKeysAndValuesAreCutOnACharacterBoundary) {
  // 63 ASCII bytes, then a 2-byte "é" across the 64-byte cut: the cut keeps whole characters.
  std::string key = std::string(63, 'k') + "\xc3\xa9" + std::string(1000, 'k');
  auto d = MustCheck("GET /esims", ApiVersion::kV2_5,
                     R"({"esims":[{"iccid":"1","state":")" + std::string(39, 's') + "\xc3\xa9" +
                         R"("}],")" + key + R"(":1})");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].detail.substr(0, 43), "\"" + std::string(39, 's') + "\xe2\x80\xa6");
  EXPECT_EQ(d[1].path, "$[\"" + std::string(63, 'k') + "\xe2\x80\xa6\"]");
}

TEST(DriftCheck, NeverQuotesTheValueOfAnUnknownField) {
  auto d = MustCheck("GET /organisation", ApiVersion::kV2_4,
                     R"({"name":"Acme","secretToken":"sk-live-DO-NOT-LEAK"})");
  ASSERT_EQ(Lines(d), (Expected{"unknown_field $.secretToken"}));
  EXPECT_EQ(d[0].detail.find("sk-live"), std::string::npos);
}

TEST(DriftCheck, StopsAfterAThousandFindingsAndSaysSo) {
  std::string body = R"({"esims":[)";
  for (int i = 0; i < 3000; ++i) body += std::string(i ? "," : "") + R"({"iccid":"1","x":0})";
  body += "]}";
  auto d = MustCheck("GET /esims", ApiVersion::kV2_4, body);
  ASSERT_EQ(d.size(), 1000u);
  EXPECT_NE(d.back().detail.find("the check stops here"), std::string::npos);
}

TEST(DriftCheck, ThreadsCheckAtTheSameTimeWithTheirOwnParsers) {
  const std::string clean = ReadData("esims_list.json");
  const std::string drifted = R"({"esims":[{"iccid":"1","x":1}]})";
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        bool drift = (i + t) % 2 == 0;
        auto r = Check("GET /esims", ApiVersion::kV2_4, drift ? drifted : clean);
        if (!r || r->size() != (drift ? 1u : 0u)) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

// ---- fixtures: the spec's examples, the sandbox's shapes and the live shapes ------------------

struct Fixture {
  const char* file;
  const char* operation;
  std::vector<ApiVersion> versions;
  Expected drift;  // what the fixture deliberately carries beyond the contract
};

const std::vector<ApiVersion> kBoth = {ApiVersion::kV2_4, ApiVersion::kV2_5};
const std::vector<ApiVersion> kV25 = {ApiVersion::kV2_5};

std::vector<Fixture> Fixtures() {
  return {
      {"catalogue_bundle_v25.json", "GET /catalogue/bundle/{name}", kV25, {}},
      {"catalogue_prices_spec.json", "GET /catalogue/prices", kV25, {}},
      {"esims_apply_legacy.json", "POST /esims/{iccid}/bundles", kBoth, {}},
      {"esims_apply_response.json", "POST /esims/apply", kBoth, {}},
      {"esims_assignments.json", "GET /esims/{iccid}/bundles/{name}", kBoth, {}},
      {"esims_bundles.json", "GET /esims/{iccid}/bundles", kBoth, {}},
      {"esims_bundles_v25.json", "GET /esims/{iccid}/bundles", kV25, {}},
      {"esims_compatible.json", "GET /esims/{iccid}/compatible/{bundle}", kBoth, {}},
      {"esims_details.json", "GET /esims/{iccid}", kBoth, {}},
      {"esims_details_v25.json", "GET /esims/{iccid}", kV25, {}},
      {"esims_history.json", "GET /esims/{iccid}/history", kBoth, {}},
      {"esims_install_details.json", "GET /esims/assignments", kBoth, {}},
      {"esims_list.json", "GET /esims", kBoth, {}},
      {"esims_list_v25.json", "GET /esims", kV25, {}},
      {"esims_location.json", "GET /esims/{iccid}/location", kBoth, {}},
      {"esims_refresh.json", "GET /esims/{iccid}/refresh", kBoth, {}},
      {"esims_revoke.json", "DELETE /esims/{iccid}/bundles/{name}", kBoth, {}},
      {"esims_revoke.json",
       "DELETE /esims/{iccid}/bundles/{name}/assignments/{assignmentId}",
       kBoth,
       {}},
      {"esims_sms.json", "POST /esims/{iccid}/sms", kBoth, {}},
      {"esims_suspend.json", "POST /esims/{iccid}/suspend", kV25, {}},
      {"esims_suspension.json", "GET /esims/{iccid}/suspend", kV25, {}},
      {"esims_update.json", "PUT /esims", kBoth, {}},
      {"orders_get_spec.json", "GET /orders/{orderReference}", kBoth, {}},
      {"orders_transaction_spec.json", "POST /orders?type=transaction", kBoth, {}},
      {"orders_transaction_v25.json", "POST /orders?type=transaction", kV25, {}},
      {"orders_validate_spec.json", "POST /orders", kBoth, {}},
      {"organisation_groups_spec.json", "GET /organisation/groups", kBoth, {}},
      {"organisation_spec.json", "GET /organisation", kBoth, {}},
      {"organisation_topup_spec.json", "POST /organisation/balance", kBoth, {}},
      // The live-shaped fixtures: every live fact (fractional money, numbers as strings, nulls,
      // wrappers, case) passes; what they add on purpose to prove the SDK's tolerance (a new
      // field, a new enum value, a numeric ICCID) is exactly what the check reports.
      {"catalogue_page_v25_live.json",
       "GET /catalogue",
       kV25,
       {"unknown_field $.bundles[0].countryNetworks"}},
      {"catalogue_prices_live.json",
       "GET /catalogue/prices",
       kV25,
       {"unknown_field $.prices[0].prices[0].updatedAt"}},
      {"esims_bundle_v25_live.json", "GET /esims/{iccid}/bundles/{name}", kV25, {}},
      {"esims_details_v25_live.json",
       "GET /esims/{iccid}",
       kV25,
       {"unknown_field $.lastSeenNetwork"}},
      {"esims_list_v25_live.json",
       "GET /esims",
       kV25,
       {"type_mismatch $.esims[0].iccid", "unknown_field $.esims[0].newField",
        "unknown_enum $.esims[1].state"}},
      {"inventory_live.json", "GET /inventory", kBoth, {"unknown_field $.bundles[0].someNewField"}},
      {"networks_live.json", "GET /networks", kBoth, {}},
      {"orders_list_live.json", "GET /orders", kBoth, {}},
  };
}

TEST(DriftFixtures, SpecSandboxAndLiveShapedAnswersCarryOnlyTheirDeliberateDrift) {
  for (const auto& f : Fixtures()) {
    std::string body = ReadData(f.file);
    for (ApiVersion v : f.versions) {
      SCOPED_TRACE(std::string(f.file) + " as " + f.operation + " on v" +
                   std::string(ApiVersionName(v)));
      auto d = MustCheck(f.operation, v, body);
      EXPECT_EQ(Lines(d), f.drift);
      for (const auto& x : d) EXPECT_FALSE(x.detail.empty()) << x.path;
    }
  }
}

// One answer of every JSON operation of the real sandbox, per version, recorded by
// tests/data/drift/capture_sandbox.py: the sandbox speaks the contract, so none may drift.
TEST(DriftFixtures, EveryRecordedSandboxAnswerHasNoDrift) {
  for (const char* version : {"2.4", "2.5"}) {
    ApiVersion v = *ParseApiVersion(version);
    std::string dir = std::string("drift/sandbox/v") + version + "/";
    std::istringstream index(ReadData(dir + "index.tsv"));
    std::set<std::string> operations;
    std::string line;
    while (std::getline(index, line)) {
      if (line.empty()) continue;
      auto tab = line.find('\t');
      ASSERT_NE(tab, std::string::npos) << line;
      std::string file = line.substr(0, tab), op = line.substr(tab + 1);
      SCOPED_TRACE(dir + file + " as " + op);
      EXPECT_EQ(Lines(MustCheck(op, v, ReadData(dir + file))), Expected{});
      operations.insert(op);
    }
    // Every JSON operation of the version was recorded at least once.
    for (std::string_view op : Operations(v)) {
      EXPECT_TRUE(operations.count(std::string(op)))
          << "v" << version << ": no sandbox answer of " << op;
    }
  }
}

// Hand-drifted answers (tests/data/drift/drifted/expected.tsv): renamed, missing, retyped and
// extra fields and unknown enum values, each named by path and kind, in document order.
TEST(DriftFixtures, HandDriftedAnswersReportExactlyTheirDrift) {
  std::istringstream index(ReadData("drift/drifted/expected.tsv"));
  std::string line;
  size_t cases = 0;
  while (std::getline(index, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::istringstream row(line);
    for (std::string col; std::getline(row, col, '\t');) cols.push_back(col);
    ASSERT_EQ(cols.size(), 4u) << line;
    Expected expected;
    for (size_t start = 0; start <= cols[3].size();) {
      size_t end = cols[3].find("; ", start);
      expected.push_back(cols[3].substr(start, end - start));
      if (end == std::string::npos) break;
      start = end + 2;
    }
    SCOPED_TRACE(cols[0]);
    EXPECT_EQ(
        Lines(MustCheck(cols[2], *ParseApiVersion(cols[1]), ReadData("drift/drifted/" + cols[0]))),
        expected);
    ++cases;
  }
  EXPECT_GE(cases, 8u);
}

}  // namespace
}  // namespace esimgo::drift
