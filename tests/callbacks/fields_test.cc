// The dedupe key and the field lexemes (no database).

#include <gtest/gtest.h>

#include "esimgo/callbacks/dedupe.h"
#include "esimgo/callbacks/store.h"

namespace esimgo::callbacks {
namespace {

TEST(FieldsTest, TakesAlertTypeAndStringIccid) {
  Fields f = ExtractFields(R"({"iccid":"8944000000000000001","alertType":"Utilisation",
                               "bundle":{"iccid":"nested","alertType":"x"}})");
  EXPECT_EQ(f.alert_type, "Utilisation");
  EXPECT_EQ(f.iccid, "8944000000000000001");
}

TEST(FieldsTest, KeepsANumericIccidAsItsDigitsNotADouble) {
  // 20 digits: no double holds it exactly, and it exceeds uint64.
  Fields f = ExtractFields(R"({"alertType":"FirstUse","iccid":89440000000000000123})");
  EXPECT_EQ(f.iccid, "89440000000000000123");
}

TEST(FieldsTest, UsesEventWhenThereIsNoAlertType) {
  EXPECT_EQ(ExtractFields(R"({"event":"esim.deleted","iccid":"1"})").alert_type, "esim.deleted");
  EXPECT_EQ(ExtractFields(R"({"event":"e","alertType":"A"})").alert_type, "A");
}

TEST(FieldsTest, MalformedOrNonObjectBodiesGiveNoFields) {
  for (std::string_view body : {R"({"alertType":"Utilisation","iccid":"1")",  // cut off
                                R"({"alertType":"Utilisation","iccid":"1"} trailing)",
                                R"(["alertType"])", "", "\xff\xfe", R"("x")"}) {
    Fields f = ExtractFields(body);
    EXPECT_FALSE(f.alert_type.has_value()) << body;
    EXPECT_FALSE(f.iccid.has_value()) << body;
  }
}

TEST(FieldsTest, UnescapesStringsAndAcceptsEveryJsonShape) {
  Fields f = ExtractFields(
      R"( { "alert\u0054ype" : "Low\u00e9\n", "x":[1,-2.5e+3,true,false,null,{"a":[]}],
            "iccid" : -0.5E-2 } )");
  EXPECT_EQ(f.alert_type, "Low\xc3\xa9\n");
  EXPECT_EQ(f.iccid, "-0.5E-2");
}

TEST(FieldsTest, RejectsBadNumbersEscapesAndDeepNesting) {
  for (std::string_view body : {R"({"iccid":01})", R"({"iccid":1.})", R"({"iccid":"\x"})",
                                R"({"iccid":"a
b"})",
                                R"({"iccid":1,})", R"({"iccid" 1})"}) {
    EXPECT_FALSE(ExtractFields(body).iccid.has_value()) << body;
  }
  std::string deep =
      R"({"iccid":"1","x":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_FALSE(ExtractFields(deep).iccid.has_value());
}

TEST(FieldsTest, FieldsOfAnotherTypeAreEmpty) {
  Fields f = ExtractFields(R"({"alertType":{"a":1},"iccid":null})");
  EXPECT_FALSE(f.alert_type.has_value());
  EXPECT_FALSE(f.iccid.has_value());
}

TEST(FieldsTest, DedupeKeySeparatesSourceFromBody) {
  EXPECT_EQ(DedupeKey("a", "body"), DedupeKey("a", "body"));
  EXPECT_NE(DedupeKey("a", "body"), DedupeKey("b", "body"));
  EXPECT_NE(DedupeKey("ab", "c"), DedupeKey("a", "bc"));
  EXPECT_NE(DedupeKey("a", "body"), DedupeKey("a", "body "));
}

TEST(FieldsTest, PostgresTargetsAreRecognised) {
  EXPECT_TRUE(IsPostgresTarget("postgresql://u@h/db"));
  EXPECT_TRUE(IsPostgresTarget("postgres://h/db"));
  EXPECT_TRUE(IsPostgresTarget("host=/tmp dbname=x"));
  EXPECT_FALSE(IsPostgresTarget("/var/lib/esimgo/callbacks.db"));
  EXPECT_FALSE(IsPostgresTarget("callbacks.db"));
  EXPECT_FALSE(IsPostgresTarget("./a=b.db"));
}

}  // namespace
}  // namespace esimgo::callbacks
