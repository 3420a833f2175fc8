// Unit tests of the CLI's pure helpers: config parsing, durations, JSON/CSV/table output,
// exit-code mapping.

#include <gtest/gtest.h>

#include "config.h"
#include "exit_codes.h"
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
  auto code = [](ErrorCode c, std::string msg = "") {
    Error e;
    e.code = c;
    e.message = std::move(msg);
    return ExitCodeFor(e);
  };
  EXPECT_EQ(code(ErrorCode::kInvalidArgument), 3);
  EXPECT_EQ(code(ErrorCode::kBadRequest), 3);
  EXPECT_EQ(code(ErrorCode::kUnauthorized), 4);
  EXPECT_EQ(code(ErrorCode::kForbidden, "Unauthorised: missing or invalid X-API-Key header"), 4);
  EXPECT_EQ(code(ErrorCode::kForbidden, "eSIM 89 is not accessible: it does not belong to you"), 5);
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

}  // namespace
}  // namespace esimgo::cli
