// Request targets: path segments escaped so no value can change the route; query encoding.

#include "http/url.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace esimgo::internal {
namespace {

TEST(EscapePathSegment, EscapesEverythingThatCouldChangeTheRoute) {
  EXPECT_EQ(EscapePathSegment("a/b"), "a%2Fb");
  EXPECT_EQ(EscapePathSegment("a?b=c"), "a%3Fb%3Dc");
  EXPECT_EQ(EscapePathSegment("a#frag"), "a%23frag");
  EXPECT_EQ(EscapePathSegment("100%"), "100%25");
  EXPECT_EQ(EscapePathSegment("esim 1GB"), "esim%201GB");
  EXPECT_EQ(EscapePathSegment(".."), "..");  // unreserved; the API has no dot segments
  EXPECT_EQ(EscapePathSegment("a+b&c;d"), "a%2Bb%26c%3Bd");
  EXPECT_EQ(EscapePathSegment(std::string("a\0b", 3)), "a%00b");
  EXPECT_EQ(EscapePathSegment("\r\n"), "%0D%0A");
}

TEST(EscapePathSegment, KeepsUnreservedCharactersAndCase) {
  EXPECT_EQ(EscapePathSegment("esim_1GB_7D_GB_V2"), "esim_1GB_7D_GB_V2");
  EXPECT_EQ(EscapePathSegment("esim_UL_3D_RAF_V2"), "esim_UL_3D_RAF_V2");
  EXPECT_EQ(EscapePathSegment("8944000000000000001"), "8944000000000000001");
  EXPECT_EQ(EscapePathSegment("a-b.c_d~e"), "a-b.c_d~e");
  EXPECT_EQ(EscapePathSegment(""), "");
}

TEST(EscapePathSegment, EncodesUnicodeAsUtf8Bytes) {
  EXPECT_EQ(EscapePathSegment("Zürich"), "Z%C3%BCrich");
  EXPECT_EQ(EscapePathSegment("€"), "%E2%82%AC");
  EXPECT_EQ(EscapePathSegment("😀"), "%F0%9F%98%80");
  EXPECT_EQ(PercentDecode(EscapePathSegment("Zürich / 😀 ?#%")), "Zürich / 😀 ?#%");
}

TEST(Query, AddsParametersInOrderWithEncoding) {
  Query q;
  q.Add("page", int64_t{2}).Add("group", "Standard Fixed").Add("description", "1GB*&x=y");
  EXPECT_EQ(q.str(), "?page=2&group=Standard%20Fixed&description=1GB%2A%26x%3Dy");
  EXPECT_EQ(Query().str(), "");
}

TEST(Query, KeepsCommasAndColonsReadable) {
  EXPECT_EQ(Query().Add("createdAt", "gte:2026-11-26T21:45:00.000Z").str(),
            "?createdAt=gte:2026-11-26T21:45:00.000Z");
  // A repeated parameter stays repeated (createdAt ranges must not be comma-joined).
  EXPECT_EQ(Query().Add("createdAt", "gte:a").Add("createdAt", "lte:b").str(),
            "?createdAt=gte:a&createdAt=lte:b");
}

TEST(Query, ListsAreTrimmedCommaJoinedAndOmittedWhenEmpty) {
  EXPECT_EQ(Query().AddList("countries", {"GB", " US ", "", "  ", "FR"}).str(),
            "?countries=GB,US,FR");
  EXPECT_EQ(Query().AddList("countries", {}).str(), "");
  EXPECT_EQ(Query().AddList("countries", {" ", ""}).str(), "");
  EXPECT_EQ(Query().AddList("isos", {"US-HI", "a b"}).str(), "?isos=US-HI,a%20b");
}

TEST(Query, BoolsAreLowercaseAndOptionalsSkipWhenUnset) {
  Query q;
  q.AddBool("includeUsed", true)
      .AddBool("returnAll", false)
      .AddBoolIf("unset", std::nullopt)
      .AddBoolIf("set", false)
      .AddIf("s", std::optional<std::string>("v w"))
      .AddIf("none", std::optional<std::string>())
      .AddIf("limit", std::optional<int>(50))
      .AddIf("nolimit", std::optional<int>());
  EXPECT_EQ(q.str(), "?includeUsed=true&returnAll=false&set=false&s=v%20w&limit=50");
}

TEST(Query, KeysAreEscapedToo) { EXPECT_EQ(Query().Add("a b&", "1").str(), "?a%20b%26=1"); }

TEST(ParseQuery, DecodesWhatQueryEncodes) {
  Query q;
  q.Add("group", "Standard Fixed").AddList("countries", {"GB", "FR"}).Add("x", "a&b=c%d+e");
  auto pairs = ParseQuery(q.str());
  std::vector<std::pair<std::string, std::string>> expected = {
      {"group", "Standard Fixed"}, {"countries", "GB,FR"}, {"x", "a&b=c%d+e"}};
  EXPECT_EQ(pairs, expected);
}

TEST(ParseQuery, ToleratesOddInput) {
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(ParseQuery(""), Pairs{});
  EXPECT_EQ(ParseQuery("?"), Pairs{});
  EXPECT_EQ(ParseQuery("a&&b=&=c"), (Pairs{{"a", ""}, {"b", ""}, {"", "c"}}));
  EXPECT_EQ(ParseQuery("q=a+b%2"), (Pairs{{"q", "a b%2"}}));  // '+' is a space; bad % kept
  EXPECT_EQ(ParseQuery("q=%zz%4"), (Pairs{{"q", "%zz%4"}}));
  EXPECT_EQ(ParseQuery("q=%41"), (Pairs{{"q", "A"}}));
  EXPECT_EQ(ParseQuery("k=v=w"), (Pairs{{"k", "v=w"}}));
}

TEST(UrlHost, StripsSchemeUserinfoPortAndBrackets) {
  EXPECT_EQ(UrlHost("https://api.esim-go.com/v2.4"), "api.esim-go.com");
  EXPECT_EQ(UrlHost("http://User@LOCALHOST:8080/x?y#z"), "localhost");
  EXPECT_EQ(UrlHost("https://[::1]:8443/v2.4"), "::1");
  EXPECT_EQ(UrlHost("api.esim-go.com/v2.4"), "");
  EXPECT_EQ(UrlHost("https://[::1/v2.4"), "");
}

TEST(IsLoopbackUrl, DecidesOnTheParsedHostNotASubstring) {
  for (const char* url : {"http://127.0.0.1:4010/v2.4", "https://localhost/v2.4",
                          "https://[::1]:1/v2.4", "http://127.1.2.3/", "http://u@127.0.0.1/"}) {
    EXPECT_TRUE(IsLoopbackUrl(url)) << url;
  }
  // verify_tls=false must never reach these: they only look like loopback.
  for (const char* url :
       {"https://localhost.example.net/v2.4", "https://127.0.0.1.evil.io/",
        "https://x/?h=127.0.0.1", "https://127.0.0.1@evil.io/", "https://api.esim-go.com/v2.4",
        "http://127.0.0.256/", "http://127.0.0/", "http://1127.0.0.1/", "https://[::2]/"}) {
    EXPECT_FALSE(IsLoopbackUrl(url)) << url;
  }
}

}  // namespace
}  // namespace esimgo::internal
