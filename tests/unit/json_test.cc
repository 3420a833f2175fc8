// The tolerant JSON readers (src/json/json_reader.h) and the JsonWriter.

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "json/json_reader.h"
#include "json/json_writer.h"

namespace esimgo {
namespace {

namespace json = internal::json;
using internal::JsonWriter;

// One field of every reader type; decoded by the generic readers through ADL like a model.
struct Probe {
  std::string text;
  int64_t big = 0;
  int small = 0;
  double ratio = 0;
  bool flag = false;
  Money price;
  Timestamp when;
  std::vector<std::string> list;
  std::vector<int64_t> numbers;
};

json::Err Decode(json::Value v, Probe& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "text") return json::Read(f, out.text);
    if (key == "big") return json::Read(f, out.big);
    if (key == "small") return json::Read(f, out.small);
    if (key == "ratio") return json::Read(f, out.ratio);
    if (key == "flag") return json::Read(f, out.flag);
    if (key == "price") return json::Read(f, out.price);
    if (key == "when") return json::Read(f, out.when);
    if (key == "list") return json::Read(f, out.list);
    if (key == "numbers") return json::Read(f, out.numbers);
    return json::kOk;
  });
}

Probe DecodeOk(std::string_view body) {
  auto r = json::DecodeBody<Probe>(body, "probe.Get");
  EXPECT_TRUE(r) << body << " → " << (r ? "" : r.error().ToString());
  return r ? *r : Probe{};
}

Error DecodeFails(std::string_view body) {
  auto r = json::DecodeBody<Probe>(body, "probe.Get");
  EXPECT_FALSE(r) << "accepted: " << body;
  return r ? Error{} : r.error();
}

// ---- readers ----------------------------------------------------------------------------------

TEST(JsonReader, StringFromATwentyDigitNumberKeepsEveryDigit) {
  EXPECT_EQ(DecodeOk(R"({"text":89440000000000000001})").text, "89440000000000000001");
  EXPECT_EQ(DecodeOk(R"({"text": 8944123456789012000 , "big":1})").text, "8944123456789012000");
  EXPECT_EQ(DecodeOk(R"({"text":"8944123456789012000"})").text, "8944123456789012000");
  EXPECT_EQ(DecodeOk(R"({"text":2.50})").text, "2.50");
  EXPECT_EQ(DecodeOk(R"({"text":true})").text, "true");
  EXPECT_EQ(DecodeOk(R"({"text":null})").text, "");
}

TEST(JsonReader, StringsAreUnescaped) {
  EXPECT_EQ(DecodeOk(R"({"text":"a\"b\\c\nd\u00e9\ud83d\ude00"})").text,
            "a\"b\\c\nd\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(DecodeOk("{\"text\":\"Zürich\"}").text, "Zürich");
}

TEST(JsonReader, Int64HoldsByteCountsBeyondInt32) {
  EXPECT_EQ(DecodeOk(R"({"big":20000000000})").big, 20'000'000'000);
  EXPECT_EQ(DecodeOk(R"({"big":2e10})").big, 20'000'000'000);
  EXPECT_EQ(DecodeOk(R"({"big":5.0})").big, 5);
  EXPECT_EQ(DecodeOk(R"({"big":"123"})").big, 123);
  EXPECT_EQ(DecodeOk(R"({"big":-7})").big, -7);
  EXPECT_EQ(DecodeOk(R"({"big":null})").big, 0);
  EXPECT_EQ(DecodeOk(R"({"big":9223372036854775807})").big, INT64_MAX);
}

TEST(JsonReader, IntegersRejectFractionsOverflowAndText) {
  DecodeFails(R"({"big":1.5})");
  DecodeFails(R"({"big":"12abc"})");
  DecodeFails(R"({"big":99999999999999999999})");
  DecodeFails(R"({"big":true})");
  DecodeFails(R"({"small":3000000000})");  // out of int range
  EXPECT_EQ(DecodeOk(R"({"small":-2147483648})").small, INT32_MIN);
}

TEST(JsonReader, Doubles) {
  EXPECT_DOUBLE_EQ(DecodeOk(R"({"ratio":0.25})").ratio, 0.25);
  EXPECT_DOUBLE_EQ(DecodeOk(R"({"ratio":"1e-3"})").ratio, 0.001);
  EXPECT_DOUBLE_EQ(DecodeOk(R"({"ratio":3})").ratio, 3.0);
}

TEST(JsonReader, BoolsFromBooleansStringsAndNumbers) {
  EXPECT_TRUE(DecodeOk(R"({"flag":true})").flag);
  EXPECT_TRUE(DecodeOk(R"({"flag":"true"})").flag);
  EXPECT_TRUE(DecodeOk(R"({"flag":"TRUE"})").flag);
  EXPECT_TRUE(DecodeOk(R"({"flag":1})").flag);
  EXPECT_FALSE(DecodeOk(R"({"flag":"false"})").flag);
  EXPECT_FALSE(DecodeOk(R"({"flag":0})").flag);
  EXPECT_FALSE(DecodeOk(R"({"flag":null})").flag);
  DecodeFails(R"({"flag":"maybe"})");
  DecodeFails(R"({"flag":[]})");
}

TEST(JsonReader, MoneyFromIntFloatAndStringThroughItsDigits) {
  EXPECT_EQ(DecodeOk(R"({"price":9.99})").price.micros(), 9'990'000);
  EXPECT_EQ(DecodeOk(R"({"price":2})").price.micros(), 2'000'000);
  EXPECT_EQ(DecodeOk(R"({"price":1299.3})").price.micros(), 1'299'300'000);
  EXPECT_EQ(DecodeOk(R"({"price":"2.28"})").price.micros(), 2'280'000);
  EXPECT_EQ(DecodeOk(R"({"price":1e3})").price, Money::FromUnits(1000));
  EXPECT_EQ(DecodeOk(R"({"price":0.1})").price + DecodeOk(R"({"price":0.2})").price,
            DecodeOk(R"({"price":0.3})").price);
  DecodeFails(R"({"price":1.0000001})");
  DecodeFails(R"({"price":"abc"})");
}

TEST(JsonReader, TimestampsFromStringsAndEpochNumbers) {
  auto iso = DecodeOk(R"({"when":"2023-04-07T00:50:31.618780311Z"})").when;
  EXPECT_TRUE(iso.time);
  auto epoch = DecodeOk(R"({"when":1723541877280})").when;
  EXPECT_EQ(epoch.raw, "1723541877280");
  ASSERT_TRUE(epoch.time);
  EXPECT_EQ(epoch.ToIso(), "2024-08-13T09:37:57.280Z");
  auto odd = DecodeOk(R"({"when":"Data and time"})").when;  // tolerated, kept raw
  EXPECT_EQ(odd.raw, "Data and time");
  EXPECT_FALSE(odd.time);
}

TEST(JsonReader, VectorsAndNullLists) {
  auto p = DecodeOk(R"({"list":["4G","5G"],"numbers":[1,2e3,"3"]})");
  EXPECT_EQ(p.list, (std::vector<std::string>{"4G", "5G"}));
  EXPECT_EQ(p.numbers, (std::vector<int64_t>{1, 2000, 3}));
  EXPECT_TRUE(DecodeOk(R"({"list":null})").list.empty());
  DecodeFails(R"({"list":"4G"})");
}

TEST(JsonReader, UnknownFieldsOfEveryShapeAreSkipped) {
  auto p = DecodeOk(
      R"({"extra":{"deep":[1,{"x":[null,"}"]}]},"text":"kept","more":[[],{}],"n":1e400,
          "s":"\"{[","big":42,"imageUrl":"https://x/y.png"})");
  EXPECT_EQ(p.text, "kept");
  EXPECT_EQ(p.big, 42);
}

TEST(JsonReader, EscapedKeysAreMatchedUnescaped) {
  EXPECT_EQ(DecodeOk(R"({"t\u0065xt":"escaped key"})").text, "escaped key");
}

TEST(JsonReader, MalformedBodiesAreDecodeErrorsNamingTheOperation) {
  for (const char* bad : {"", "   ", "{", R"({"text":)", R"({"text":"unterminated)", "[1,2",
                          R"({"text" "x"})", "nul", "{'text':1}", R"({"big":12)"}) {
    SCOPED_TRACE(bad);
    auto e = DecodeFails(bad);
    EXPECT_EQ(e.code, ErrorCode::kDecode);
    EXPECT_EQ(e.message.rfind("could not decode probe.Get: ", 0), 0u) << e.message;
  }
  EXPECT_NE(DecodeFails("").message.find("(empty body)"), std::string::npos);
  EXPECT_NE(DecodeFails("<html>oops</html>").message.find("body starts with: <html>oops"),
            std::string::npos);
}

TEST(JsonReader, AWrongRootTypeIsADecodeError) {
  EXPECT_EQ(DecodeFails("[1,2]").code, ErrorCode::kDecode);
  EXPECT_EQ(DecodeFails(R"("text")").code, ErrorCode::kDecode);
  auto list = json::DecodeBody<std::vector<std::string>>(R"(["a",1,true])", "x");
  ASSERT_TRUE(list) << list.error().ToString();
  EXPECT_EQ(*list, (std::vector<std::string>{"a", "1", "true"}));
}

TEST(JsonReader, LargeAndGrowingBodiesReuseTheThreadBuffer) {
  std::string big = R"({"list":[)";
  for (int i = 0; i < 20000; ++i) big += (i ? ",\"" : "\"") + std::to_string(i) + "\"";
  big += "]}";
  EXPECT_EQ(DecodeOk(big).list.size(), 20000u);
  EXPECT_EQ(DecodeOk(R"({"text":"small again"})").text, "small again");
  EXPECT_EQ(DecodeOk(big).list.back(), "19999");
}

// ---- writer -----------------------------------------------------------------------------------

TEST(JsonWriter, PlacesCommasAndNestsContainers) {
  JsonWriter w;
  w.BeginObject()
      .Field("a", 1)
      .Field("b", "x")
      .Key("c")
      .BeginArray()
      .Int(1)
      .BeginObject()
      .EndObject()
      .Null()
      .EndArray()
      .Field("d", true)
      .Field("e", std::vector<std::string>{"p", "q"})
      .EndObject();
  EXPECT_EQ(w.str(), R"({"a":1,"b":"x","c":[1,{},null],"d":true,"e":["p","q"]})");
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  JsonWriter w;
  w.BeginObject().Field("k\"ey", "q\"b\\s/\n\r\t\b\f\x01\x1f\x7f").EndObject();
  EXPECT_EQ(w.str(), "{\"k\\\"ey\":\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\\u001f\x7f\"}");
  std::string with_nul("a\0b", 3);
  EXPECT_EQ(JsonWriter().String(with_nul).str(), R"("a\u0000b")");
}

TEST(JsonWriter, PassesUtf8Through) {
  EXPECT_EQ(JsonWriter().String("Zürich € 😀").str(), "\"Zürich € 😀\"");
}

TEST(JsonWriter, NumbersMoneyAndDoubles) {
  JsonWriter w;
  w.BeginArray()
      .Number(*Money::Parse("9.99"))
      .Number(Money::FromUnits(1000))
      .Number(*Money::Parse("-0.5"))
      .Int(INT64_MIN)
      .Double(0.1)
      .Double(std::numeric_limits<double>::infinity())
      .RawValue(R"({"raw":1})")
      .EndArray();
  EXPECT_EQ(w.str(), R"([9.99,1000,-0.5,-9223372036854775808,0.1,null,{"raw":1}])");
}

TEST(JsonWriter, WhatItWritesTheReadersReadBack) {
  JsonWriter w;
  w.BeginObject()
      .Field("text", "he said \"hi\"\n\x02")
      .Field("big", int64_t{20'000'000'000})
      .Field("price", *Money::Parse("1299.3"))
      .Field("when", Timestamp::Parse("2023-12-31"))
      .Field("list", std::vector<std::string>{"a,b", ""})
      .EndObject();
  auto p = DecodeOk(w.str());
  EXPECT_EQ(p.text, "he said \"hi\"\n\x02");
  EXPECT_EQ(p.big, 20'000'000'000);
  EXPECT_EQ(p.price.ToString(), "1299.3");
  EXPECT_EQ(p.when.raw, "2023-12-31");
  EXPECT_EQ(p.list, (std::vector<std::string>{"a,b", ""}));
}

}  // namespace
}  // namespace esimgo
