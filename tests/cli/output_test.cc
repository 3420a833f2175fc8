// CLI end-to-end tests of the output formats against hostile answers: server-controlled text
// never reaches the terminal with control characters in table and CSV output (nor in error
// messages), while `-o json` stays exact.

#include "cli_fixture.h"

namespace esimgo_cli_test {
namespace {

// ESC [2J clears the screen, ESC ]0;…BEL retitles the window, CR returns to overwrite a line.
constexpr const char* kHostileGroups =
    R"({"groups":[{"name":"\u001b[2J\u001b]0;pwned\u0007evil","desc":"ok\r\nfake: line",)"
    R"("priceListUrl":"https://x.example/\u009b31m"}]})";

class CliHostileAnswers : public ::testing::Test {
 protected:
  CliHostileAnswers() { api_.Get("/organisation/groups", 200, kHostileGroups); }
  Proc Run(std::vector<std::string> args) {
    std::vector<std::string> full = {"--base-url", api_.url(), "--api-key", kKey};
    full.insert(full.end(), args.begin(), args.end());
    return RunCli(full, BaseEnv(home_.path()), home_.path());
  }
  FakeApi api_;
  TempDir home_;
};

void ExpectNoControlCharacters(const std::string& text, bool c1_too = true) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    ASSERT_FALSE((u < 0x20 && c != '\n') || u == 0x7f) << "byte " << int{u} << " in: " << text;
  }
  if (c1_too) {
    EXPECT_EQ(text.find("\xC2\x9B"), std::string::npos) << text;  // the 8-bit CSI
  }
}

TEST_F(CliHostileAnswers, TableOutputReplacesEscapeSequencesFromTheServer) {
  Proc p = Run({"-o", "table", "organisation", "groups"});
  ASSERT_EQ(p.code, 0) << p.err;
  ExpectNoControlCharacters(p.out);
  EXPECT_NE(p.out.find("\xEF\xBF\xBD[2J"), std::string::npos) << p.out;  // shown, defused
  EXPECT_NE(p.out.find("evil"), std::string::npos) << p.out;
  EXPECT_EQ(p.out.find("fake: line\n"), p.out.find("fake: line")) << p.out;
  EXPECT_EQ(std::count(p.out.begin(), p.out.end(), '\n'), 2) << p.out;  // header + one row
}

TEST_F(CliHostileAnswers, CsvOutputReplacesEscapeSequencesFromTheServer) {
  Proc p = Run({"-o", "csv", "organisation", "groups"});
  ASSERT_EQ(p.code, 0) << p.err;
  ExpectNoControlCharacters(p.out);
  EXPECT_EQ(std::count(p.out.begin(), p.out.end(), '\n'), 2) << p.out;
}

TEST_F(CliHostileAnswers, JsonOutputKeepsTheServersTextExactly) {
  Proc p = Run({"-o", "json", "organisation", "groups"});
  ASSERT_EQ(p.code, 0) << p.err;
  json groups = json::parse(p.out, nullptr, false);
  ASSERT_TRUE(groups.is_array()) << p.out;
  EXPECT_EQ(groups[0]["name"],
            "\x1b[2J\x1b]0;pwned\x07"
            "evil");
  EXPECT_EQ(groups[0]["desc"], "ok\r\nfake: line");
  EXPECT_EQ(groups[0]["price_list_url"],
            "https://x.example/\xC2\x9B"
            "31m");
  // C0 controls are escaped (\u001b) by the JSON writer; U+009B is valid JSON text, kept exact.
  ExpectNoControlCharacters(p.out, /*c1_too=*/false);
}

TEST_F(CliHostileAnswers, ErrorMessagesFromTheServerAreSanitisedToo) {
  api_.Get("/organisation", 400, R"({"message":"bad request\u001b[2J\u001b[31m\rOK: all fine"})");
  Proc p = Run({"organisation", "show"});
  EXPECT_EQ(p.code, 3) << p.err;
  ExpectNoControlCharacters(p.err);
  EXPECT_NE(p.err.find("all fine"), std::string::npos) << p.err;
}

}  // namespace
}  // namespace esimgo_cli_test
