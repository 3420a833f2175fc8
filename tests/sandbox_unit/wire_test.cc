// The request-body decoders (wire.h): absent keys stay absent, types and UTF-8 are checked.

#include "wire.h"

#include <gtest/gtest.h>

namespace esimgo::sandbox::wire {
namespace {

TEST(Wire, AnOrderTypeIsAbsentUnlessTheTopLevelTypeKeyIsThere) {
  auto capital = DecodeOrder(R"({"Type":"validate","order":[{"type":"bundle","item":"x"}]})");
  ASSERT_TRUE(capital) << capital.error().message;
  EXPECT_FALSE(capital->type);  // only the line's "type" is there
  ASSERT_TRUE(capital->order);
  EXPECT_EQ(capital->order->at(0).type, "bundle");
  auto none = DecodeOrder(R"({"order":[{"type":"bundle","item":"x","quantity":2}]})");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->type);
  EXPECT_EQ(none->order->at(0).quantity, 2);
  auto given = DecodeOrder(R"({"type":"transaction","assign":true,"Order":[]})");
  ASSERT_TRUE(given);
  EXPECT_EQ(given->type, "transaction");
  EXPECT_EQ(given->assign, true);
}

TEST(Wire, ABadFieldIsNamedInTheError) {
  auto q = DecodeOrder(R"({"type":"transaction","order":[{"item":"x","quantity":"lots"}]})");
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().code, ErrorCode::kBadRequest);
  EXPECT_NE(q.error().message.find("quantity"), std::string::npos);
  EXPECT_FALSE(DecodeOrder("[1,2]"));
  EXPECT_FALSE(DecodeOrder(""));
  EXPECT_FALSE(DecodeOrder(R"({"order": 5})"));
  EXPECT_FALSE(DecodeRefund(R"({"usageId": 1e30})"));
}

TEST(Wire, AdminBodiesAreStrictAboutTypes) {
  auto country = DecodeUsage(R"({"iccid":"1","bytes":5,"country":7})");
  ASSERT_FALSE(country);
  EXPECT_NE(country.error().message.find("country"), std::string::npos);
  EXPECT_FALSE(DecodeUsage(R"({"iccid":"1","bytes":5.5})"));
  EXPECT_FALSE(DecodeClock(R"({"advanceSeconds":"10"})"));
  auto empty = DecodeClock("");
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->advance_seconds);
  auto ok = DecodeUsage(R"({"iccid":"1","bytes":5,"country":null})");
  ASSERT_TRUE(ok);
  EXPECT_FALSE(ok->country);
}

TEST(Wire, SuspendBodyNeedsABooleanSuspendKey) {
  auto on = DecodeSuspend(R"({"suspend": true})");
  ASSERT_TRUE(on);
  EXPECT_EQ(on->suspend, std::optional<bool>(true));
  auto off = DecodeSuspend(R"({"suspend": false})");
  ASSERT_TRUE(off);
  EXPECT_EQ(off->suspend, std::optional<bool>(false));
  auto absent = DecodeSuspend(R"({"suspended": true})");  // GET's key, not POST's
  ASSERT_TRUE(absent);
  EXPECT_FALSE(absent->suspend);
  // API bodies read as tolerantly as the SDK's decoders ("yes" is true), but not anything.
  EXPECT_EQ(DecodeSuspend(R"({"suspend": "yes"})")->suspend, std::optional<bool>(true));
  auto text = DecodeSuspend(R"({"suspend": "maybe"})");
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().message.find("suspend"), std::string::npos);
  EXPECT_FALSE(DecodeSuspend("not json"));
}

TEST(Wire, AdminFlagsReadOnlyTheirKeyAndOnlyBooleans) {
  auto set = DecodeFlag(R"({"enabled": true, "other": 1})", "enabled");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->value, std::optional<bool>(true));
  auto other = DecodeFlag(R"({"suspended": true})", "enabled");
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->value);
  EXPECT_FALSE(DecodeFlag(R"({"enabled": "true"})", "enabled"));
  EXPECT_FALSE(DecodeFlag(R"({"enabled": 1})", "enabled"));
  auto empty = DecodeFlag("", "enabled");  // admin: an empty body reads as {}
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->value);
}

TEST(Wire, StringsMustBeUtf8) {
  EXPECT_FALSE(DecodeUpdateEsim("{\"iccid\":\"1\",\"customerRef\":\"\xFF\"}"));
  EXPECT_FALSE(DecodeUpdateEsim(R"({"iccid":"1","customerRef":"\udc00"})"));
  auto ok = DecodeUpdateEsim(R"({"iccid":"1","customerRef":"caf\u00e9"})");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->customer_ref, "caf\xC3\xA9");
  EXPECT_TRUE(IsUtf8("caf\xC3\xA9"));
  EXPECT_FALSE(IsUtf8("\xC0\x80"));  // overlong NUL
}

}  // namespace
}  // namespace esimgo::sandbox::wire
