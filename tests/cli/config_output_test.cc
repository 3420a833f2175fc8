// Unit tests of the CLI's pure helpers: config parsing, durations, JSON/CSV/table output,
// exit-code mapping.

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config.h"
#include "exit_codes.h"
#include "fields.h"
#include "files.h"
#include "output.h"

namespace esimgo::cli {
namespace {

TEST(CliConfig, ParsesKeyValueLinesWithCommentsAndQuotes) {
  auto c = ParseConfig("# comment\n\napi-key = \"abc def\"\n Base_URL=http://x/v2.4 \n; other\n");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->at("api_key"), "abc def");
  EXPECT_EQ(c->at("base_url"), "http://x/v2.4");
  EXPECT_EQ(c->size(), 2u);
}

TEST(CliConfig, RejectsALineWithoutEqualsAndNamesTheLine) {
  auto c = ParseConfig("output = json\nthis is wrong\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(c.error().message.find("line 2"), std::string::npos);
}

TEST(CliConfig, DurationsAcceptUnitsAndCombinations) {
  EXPECT_EQ(ParseDuration("30")->count(), 30'000);
  EXPECT_EQ(ParseDuration("500ms")->count(), 500);
  EXPECT_EQ(ParseDuration("1h30m")->count(), 5'400'000);
  EXPECT_EQ(ParseDuration("2d")->count(), 172'800'000);
  EXPECT_FALSE(ParseDuration("soon"));
  EXPECT_FALSE(ParseDuration("5 parsecs"));
  EXPECT_FALSE(ParseDuration(""));
}

TEST(CliOutput, JsonKeepsExactMoneyAndEscapesStrings) {
  Json j = Json::Object()
               .Set("iccid", "8944000000000000001")
               .Set("price", Money::Parse("9.99").value() * 3)
               .Set("text", "a\"b\\c\n")
               .Set("none", Json());
  EXPECT_EQ(j.Dump(-1),
            R"({"iccid":"8944000000000000001","price":29.97,"text":"a\"b\\c\n","none":null})");
}

TEST(CliOutput, CsvQuotesFieldsWithCommasAndJoinsLists) {
  Json rows = Json::Array();
  rows.Push(Json::Object().Set("name", "a,b").Set("isos", std::vector<std::string>{"GB", "FR"}));
  rows.Push(Json::Object().Set("name", "say \"hi\"").Set("extra", 1));
  EXPECT_EQ(Printer::RenderCsv(rows), "name,isos,extra\n\"a,b\",GB;FR,\n\"say \"\"hi\"\"\",,1\n");
}

TEST(CliOutput, TableAlignsColumnsAndRightAlignsNumbers) {
  Printer p(Format::kTable, false);
  Table t{.headers = {"NAME", "DATA"},
          .rows = {{"x", "1 GB"}, {"longer", "10 GB"}},
          .right_align = {false, true}};
  EXPECT_EQ(p.RenderTable(t), "NAME     DATA\nx        1 GB\nlonger  10 GB\n");
}

TEST(CliOutput, RemainingShowsBothAmountsAndThePercentLeft) {
  EXPECT_EQ(Remaining(3'200'000'000, 5'000'000'000, false), "3.2 GB of 5 GB left, 64 %");
  EXPECT_EQ(Remaining(0, 0, true), "unlimited");
  EXPECT_EQ(Megabytes(500), "500 MB");
  EXPECT_EQ(Megabytes(20000), "20 GB");
  EXPECT_EQ(Days(1), "1 day");
}

TEST(CliExitCodes, MapEveryErrorCodeToTheDocumentedTable) {
  auto code = [](ErrorCode c, std::string msg = "",
                 ErrorReason reason = ErrorReason::kUnspecified) {
    Error e;
    e.code = c;
    e.message = std::move(msg);
    e.reason = reason;
    return ExitCodeFor(e);
  };
  EXPECT_EQ(code(ErrorCode::kInvalidArgument), 3);
  EXPECT_EQ(code(ErrorCode::kBadRequest), 3);
  EXPECT_EQ(code(ErrorCode::kUnauthorized), 4);
  EXPECT_EQ(code(ErrorCode::kForbidden, "Unauthorised: missing or invalid X-API-Key header",
                 ErrorReason::kInvalidKey),
            4);
  EXPECT_EQ(code(ErrorCode::kForbidden, "eSIM 89 is not accessible: it does not belong to you",
                 ErrorReason::kNotFound),
            5);
  EXPECT_EQ(code(ErrorCode::kNotFound), 5);
  EXPECT_EQ(code(ErrorCode::kRateLimited), 6);
  EXPECT_EQ(code(ErrorCode::kUnavailable), 6);
  EXPECT_EQ(code(ErrorCode::kServer), 7);
  EXPECT_EQ(code(ErrorCode::kDecode), 7);
  EXPECT_EQ(code(ErrorCode::kTransport), 8);
  EXPECT_EQ(code(ErrorCode::kTimeout), 8);
  EXPECT_EQ(code(ErrorCode::kAmbiguous), 8);
  EXPECT_EQ(code(ErrorCode::kSignatureMismatch), 9);
}

TEST(CliExitCodes, DecideOnTheSdksReasonNeverOnTheMessageText) {
  auto code = [](ErrorCode c, ErrorReason reason, std::string msg) {
    Error e;
    e.code = c;
    e.reason = reason;
    e.message = std::move(msg);
    return ExitCodeFor(e);
  };
  // The wording says "not found", the SDK's classification says the key: the reason wins.
  EXPECT_EQ(code(ErrorCode::kForbidden, ErrorReason::kInvalidKey, "ICCID not found"), 4);
  // An unclassified 403 is about the key, whatever its text says.
  EXPECT_EQ(code(ErrorCode::kForbidden, ErrorReason::kUnspecified, "ICCID not found"), 4);
  EXPECT_EQ(code(ErrorCode::kForbidden, ErrorReason::kNotFound, "Unauthorised"), 5);
  EXPECT_EQ(code(ErrorCode::kForbidden, ErrorReason::kNoInventory, ""), 5);
  EXPECT_EQ(code(ErrorCode::kUnauthorized, ErrorReason::kInvalidKey, ""), 4);
  EXPECT_EQ(code(ErrorCode::kNotFound, ErrorReason::kNotFound, ""), 5);
  EXPECT_EQ(code(ErrorCode::kNotFound, ErrorReason::kDeactivated, ""), 5);    // 410
  EXPECT_EQ(code(ErrorCode::kBadRequest, ErrorReason::kDeactivated, ""), 5);  // 400 "deactivated"
  // Balance and refund refusals: the input must change (exit 3), whatever the status.
  EXPECT_EQ(code(ErrorCode::kBadRequest, ErrorReason::kInsufficientBalance, ""), 3);
  EXPECT_EQ(code(ErrorCode::kForbidden, ErrorReason::kInsufficientBalance, ""), 3);
  EXPECT_EQ(code(ErrorCode::kForbidden, ErrorReason::kRefundNotAllowed, ""), 3);
}

TEST(CliOutput, SanitizeReplacesControlCharactersAndInvalidUtf8ButKeepsText) {
  EXPECT_EQ(Sanitize("plain é ✓ 日本"), "plain é ✓ 日本");
  EXPECT_EQ(Sanitize("a\x1b[2Jb"), "a\xEF\xBF\xBD[2Jb");
  EXPECT_EQ(Sanitize("\r\n\t\x7f"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(Sanitize("\xC2\x9B"
                     "31m"),
            "\xEF\xBF\xBD"
            "31m");                                             // the 8-bit CSI (U+009B)
  EXPECT_EQ(Sanitize("\xFF\xC3"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // not UTF-8, truncated
}

TEST(CliOutput, TablesRecordsAndCsvNeverPassAnEscapeThroughButJsonStaysExact) {
  Printer p(Format::kTable, false);
  std::string table = p.RenderTable({.headers = {"NAME"}, .rows = {{"x\x1b]0;owned\x07"}}});
  EXPECT_EQ(table.find('\x1b'), std::string::npos) << table;
  Json rows = Json::Array();
  rows.Push(Json::Object().Set("name", "\x1b[31mred\r\nfake line"));
  std::string csv = Printer::RenderCsv(rows);
  EXPECT_EQ(csv.find('\x1b'), std::string::npos) << csv;
  EXPECT_EQ(csv.find('\r'), std::string::npos) << csv;
  EXPECT_EQ(rows.Dump(-1), R"([{"name":"\u001b[31mred\r\nfake line"}])");
}

TEST(CliConfig, RedactKeyMasksEveryOccurrenceButNotShortKeys) {
  EXPECT_EQ(RedactKey("a k3y-secret b k3y-secret", "k3y-secret"), "a *** b ***");
  EXPECT_EQ(RedactKey("a b c", "a"), "a b c");
  EXPECT_EQ(RedactKey("xxxx", "xx xx"), "xxxx");
}

TEST(CliConfig, ApiKeysWithControlCharactersAreRefusedWithoutEchoingThem) {
  EXPECT_TRUE(CheckApiKey("abc-DEF_123.456", "--api-key"));
  for (const std::string& bad : std::vector<std::string>{"key\r\nX-Injected: 1", "key\n", "k\tey",
                                                         std::string("k\0ey", 4), "k\x7f"}) {
    auto ok = CheckApiKey(bad, "ESIMGO_API_KEY");
    ASSERT_FALSE(ok) << bad;
    EXPECT_EQ(ok.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(ok.error().message.find("ESIMGO_API_KEY"), std::string::npos);
    EXPECT_EQ(ok.error().message.find("Injected"), std::string::npos) << ok.error().message;
  }
}

class CliFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "esimgo-files-XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  static std::string Read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::filesystem::path dir_;
};

TEST_F(CliFiles, WriteFileSafelyCreatesAndReplacesRegularFiles) {
  auto path = (dir_ / "out.json").string();
  ASSERT_TRUE(WriteFileSafely(path, "first"));
  ASSERT_TRUE(WriteFileSafely(path, "second"));
  EXPECT_EQ(Read(path), "second");
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);  // activation codes: owner only
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 1);
}

TEST_F(CliFiles, WriteFileSafelyRefusesASymlinkAndLeavesItsTargetAlone) {
  auto victim = dir_ / "victim";
  std::ofstream(victim) << "precious";
  auto link = dir_ / "out.png";
  std::filesystem::create_symlink(victim, link);
  auto ok = WriteFileSafely(link.string(), "attacker bytes");
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(ok.error().message.find("symbolic link"), std::string::npos) << ok.error().message;
  EXPECT_EQ(Read(victim), "precious");
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  // A dangling link (the target does not exist yet) is refused too: nothing is created.
  auto dangling = dir_ / "dangling";
  std::filesystem::create_symlink(dir_ / "new-file", dangling);
  EXPECT_FALSE(WriteFileSafely(dangling.string(), "x"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "new-file"));
}

TEST(CliFields, JsonOfAModelKeepsTheDocumentedNamesAndOrder) {
  EsimDetails d{.iccid = "8944000000000000001",
                .pin = "1234",
                .puk = "5678",
                .matching_id = "M-1",
                .smdp_address = "smdp.example",
                .profile_status = "Released",
                .customer_ref = "c"};
  EXPECT_EQ(ToJson(d).Dump(-1),
            R"({"iccid":"8944000000000000001","pin":"1234","puk":"5678","matching_id":"M-1",)"
            R"("smdp_address":"smdp.example","lpa":"LPA:1$smdp.example$M-1",)"
            R"("profile_status":"Released","first_installed":null,"customer_ref":"c"})");
  d.apple_install_url = "https://x";
  EXPECT_NE(ToJson(d).Dump(-1).find(R"("apple_install_url":"https://x")"), std::string::npos);
  Record kv = RecordOf(d);
  ASSERT_FALSE(kv.empty());
  EXPECT_EQ(kv.front(), (std::pair<std::string, std::string>{"ICCID", "8944000000000000001"}));
  InventoryLot lot{.id = 42, .total = 2, .remaining = 1};
  EXPECT_EQ(ToJson(lot).Dump(-1), R"({"id":"42","total":2,"remaining":1,"expiry":null})");
  Table t = TableOf(std::vector<InventoryLot>{lot});
  EXPECT_EQ(t.headers, (std::vector<std::string>{"USAGE ID", "TOTAL", "REMAINING", "EXPIRY"}));
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"42", "2", "1", "-"}));
}

TEST(CliFields, V25ColumnsAppearOnlyWhenSomeRowHasThem) {
  EsimSummary v24{.iccid = "8944000000000000001"};
  Table old_table = TableOf(std::vector<EsimSummary>{v24});
  EXPECT_EQ(old_table.headers, (std::vector<std::string>{"ICCID", "CUSTOMER REF", "LAST ACTION",
                                                         "ACTION DATE", "ASSIGNED"}));
  EsimSummary v25 = v24;
  v25.state.raw = "suspended";
  Table mixed = TableOf(std::vector<EsimSummary>{v24, v25});
  ASSERT_EQ(mixed.headers.back(), "STATE");  // no MSISDN column: nobody has one
  EXPECT_EQ(mixed.rows[0].back(), "");
  EXPECT_EQ(mixed.rows[1].back(), "suspended");
  EXPECT_EQ(ToJson(v24).Dump(-1).find("state"), std::string::npos);
  EXPECT_NE(ToJson(v25).Dump(-1).find(R"("state":"suspended")"), std::string::npos);
}

TEST(CliFields, V25FieldsAreAbsentNotEmptyWhenTheAnswerLacksThem) {
  for (const std::string& j : {ToJson(EsimDetails{}).Dump(-1), ToJson(CatalogueBundle{}).Dump(-1),
                               ToJson(Order{}).Dump(-1), ToJson(BundleAssignment{}).Dump(-1)}) {
    for (const char* key : {"state", "msisdn", "android_install_url", "branding_id", "profile_name",
                            "allowances", "group", "running_balance", "start_time", "end_time"}) {
      EXPECT_EQ(j.find(std::string("\"") + key + "\""), std::string::npos) << key << " in " << j;
    }
  }
}

TEST(CliFields, OrganisationJsonNeverHasTheApiKey) {
  Organisation o;
  o.api_key = "secret-key-123";
  std::string j = ToJson(o).Dump(-1);
  EXPECT_EQ(j.find("secret-key-123"), std::string::npos) << j;
  EXPECT_EQ(j.find("api_key"), std::string::npos) << j;
}

}  // namespace
}  // namespace esimgo::cli
