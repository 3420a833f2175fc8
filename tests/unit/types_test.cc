// Money (exact decimal in millionths) and Timestamp (the API's many time formats).

#include "esimgo/types.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace esimgo {
namespace {

using namespace std::chrono;

int64_t Micros(std::string_view text) {
  auto m = Money::Parse(text);
  EXPECT_TRUE(m) << "rejected: " << text;
  return m ? m->micros() : INT64_MIN;
}

// ---- Money ----------------------------------------------------------------------------------

TEST(Money, ParsesTheApisDecimalsExactly) {
  EXPECT_EQ(Micros("9.99"), 9'990'000);
  EXPECT_EQ(Micros("1299.3"), 1'299'300'000);
  EXPECT_EQ(Micros("2.28"), 2'280'000);
  EXPECT_EQ(Micros("-0.5"), -500'000);
  EXPECT_EQ(Micros("2"), 2'000'000);
  EXPECT_EQ(Micros("0"), 0);
  EXPECT_EQ(Micros("-0"), 0);
  EXPECT_EQ(Micros("0.000001"), 1);
  EXPECT_EQ(Micros("1.0000000"), 1'000'000);  // trailing zeros beyond 6 digits are exact
  EXPECT_EQ(Micros(" 5.5 "), 5'500'000);
  EXPECT_EQ(Micros("999999999999"), 999'999'999'999'000'000);
}

TEST(Money, ParsesExponents) {
  EXPECT_EQ(Micros("1e3"), 1'000'000'000);
  EXPECT_EQ(Micros("1E3"), 1'000'000'000);
  EXPECT_EQ(Micros("1.5e+2"), 150'000'000);
  EXPECT_EQ(Micros("25e-1"), 2'500'000);
  EXPECT_EQ(Micros("1e-6"), 1);
  EXPECT_EQ(Micros("10e-7"), 1);
  EXPECT_EQ(Micros("0e-18"), 0);
  EXPECT_EQ(Micros("0.0e-9"), 0);
}

TEST(Money, RejectsWhatIsNotAnExactAmount) {
  for (const char* bad :
       {"",     " ",   "abc", "1.0000001", "1e-7", "9.99.9", "1,5",  "$5",
        "-",    "+",   ".",   "e3",        "1e",   "1e3.5",  "1e99", "99999999999999999999",
        "0x10", "nan", "inf", "1 2",       "--1",  "1-"}) {
    EXPECT_FALSE(Money::Parse(bad)) << '"' << bad << '"';
  }
}

TEST(Money, SumsAreExact) {
  auto a = *Money::Parse("0.1"), b = *Money::Parse("0.2");
  EXPECT_EQ(a + b, *Money::Parse("0.3"));
  EXPECT_EQ(*Money::Parse("9.99") * 3, *Money::Parse("29.97"));
  Money total;
  for (int i = 0; i < 1000; ++i) total += *Money::Parse("0.01");
  EXPECT_EQ(total, Money::FromUnits(10));
  EXPECT_EQ((Money::FromUnits(5) - *Money::Parse("0.01")).ToString(), "4.99");
  EXPECT_LT(*Money::Parse("1.3"), *Money::Parse("2.28"));
}

TEST(Money, ToStringIsTheShortestExactDecimal) {
  EXPECT_EQ(Money::Parse("9.99")->ToString(), "9.99");
  EXPECT_EQ(Money::Parse("1299.3")->ToString(), "1299.3");
  EXPECT_EQ(Money::Parse("1e3")->ToString(), "1000");
  EXPECT_EQ(Money::Parse("-0.5")->ToString(), "-0.5");
  EXPECT_EQ(Money::Parse("0.000001")->ToString(), "0.000001");
  EXPECT_EQ(Money::FromMicros(-1).ToString(), "-0.000001");
  EXPECT_EQ(Money().ToString(), "0");
  EXPECT_EQ(Money::FromMicros(INT64_MIN).ToString(), "-9223372036854.775808");
  EXPECT_EQ(Money::FromMicros(INT64_MAX).ToString(), "9223372036854.775807");
  // Round trip through text.
  for (const char* s : {"0.01", "12.5", "-3", "1000000", "0.123456"}) {
    EXPECT_EQ(Money::Parse(s)->ToString(), s);
  }
}

TEST(Money, FromUnitsAndDouble) {
  EXPECT_EQ(Money::FromUnits(1000).micros(), 1'000'000'000);
  EXPECT_DOUBLE_EQ(Money::Parse("9.99")->ToDouble(), 9.99);
}

// ---- Timestamp --------------------------------------------------------------------------------

Timestamp::TimePoint At(int y, unsigned mo, unsigned d, int h, int mi, int s, int64_t ns = 0) {
  return Timestamp::TimePoint(sys_days{year{y} / month{mo} / day{d}}) + hours(h) + minutes(mi) +
         seconds(s) + nanoseconds(ns);
}

TEST(Timestamp, IsoWithZeroToNineFractionalDigits) {
  struct Case {
    const char* text;
    int64_t nanos;
  } cases[] = {
      {"2023-04-07T00:50:31Z", 0},
      {"2023-04-07T00:50:31.618Z", 618'000'000},
      {"2023-04-07T00:50:31.34523Z", 345'230'000},
      {"2023-04-07T00:50:31.618780Z", 618'780'000},
      {"2023-04-07T00:50:31.618780311Z", 618'780'311},
      {"2023-04-07T00:50:31.1Z", 100'000'000},
  };
  for (const auto& c : cases) {
    auto ts = Timestamp::Parse(c.text);
    EXPECT_EQ(ts.raw, c.text);
    ASSERT_TRUE(ts.time) << c.text;
    EXPECT_EQ(*ts.time, At(2023, 4, 7, 0, 50, 31, c.nanos)) << c.text;
  }
}

TEST(Timestamp, MoreThanNineFractionalDigitsAreTruncated) {
  auto ts = Timestamp::Parse("2023-04-07T00:50:31.1234567891Z");
  ASSERT_TRUE(ts.time);
  EXPECT_EQ(*ts.time, At(2023, 4, 7, 0, 50, 31, 123'456'789));
}

TEST(Timestamp, OffsetsAreAppliedToUtc) {
  const auto utc = At(2023, 4, 7, 10, 0, 0);
  for (const char* t :
       {"2023-04-07T12:00:00+02:00", "2023-04-07T12:00:00+0200", "2023-04-07T12:00:00+02",
        "2023-04-07T05:30:00-04:30", "2023-04-07T10:00:00z", "2023-04-07T10:00:00",
        "2023-04-07 10:00:00Z", "2023-04-07T10:00Z", "2023-04-07T15:45:00.000+05:45"}) {
    auto ts = Timestamp::Parse(t);
    ASSERT_TRUE(ts.time) << t;
    EXPECT_EQ(*ts.time, utc) << t;
  }
  // Crossing midnight backwards.
  auto ts = Timestamp::Parse("2024-01-01T01:00:00+02:00");
  ASSERT_TRUE(ts.time);
  EXPECT_EQ(*ts.time, At(2023, 12, 31, 23, 0, 0));
}

TEST(Timestamp, DateOnlyIsMidnightUtc) {
  auto ts = Timestamp::Parse("2023-12-31");
  ASSERT_TRUE(ts.time);
  EXPECT_EQ(*ts.time, At(2023, 12, 31, 0, 0, 0));
  EXPECT_EQ(ts.ToIso(), "2023-12-31T00:00:00.000Z");
  EXPECT_TRUE(Timestamp::Parse("2024-02-29").time);
  EXPECT_FALSE(Timestamp::Parse("2023-02-29").time);
}

TEST(Timestamp, EpochMillisecondsKeepTheirDigits) {
  auto ts = Timestamp::Parse("1723541877280");
  EXPECT_EQ(ts.raw, "1723541877280");
  ASSERT_TRUE(ts.time);
  EXPECT_EQ(*ts.time, Timestamp::TimePoint(milliseconds(1723541877280)));
  EXPECT_EQ(ts.ToIso(), "2024-08-13T09:37:57.280Z");
}

TEST(Timestamp, GarbageKeepsTheRawTextWithoutATime) {
  for (const char* bad :
       {"yesterday", "2023-13-01", "2023-04-31", "2023-04-07T25:00:00Z", "2023-04-07T10:61:00Z",
        "2023-04-07T10:00:00.Z", "2023-04-07T10:00:00Zjunk", "2023-04-07X10:00:00Z",
        "2023-04-07T10", "2023-04-07T10:00:0", "2023/04/07", "12345678", "-1723541877280",
        "2023-04-07T10:00:00+ab:00", "2023-4-7"}) {
    auto ts = Timestamp::Parse(bad);
    EXPECT_EQ(ts.raw, bad);
    EXPECT_FALSE(ts.time) << bad;
    EXPECT_EQ(ts.ToIso(), bad);  // what was sent, not an invented instant
  }
  auto empty = Timestamp::Parse("");
  EXPECT_TRUE(empty.empty());
  EXPECT_FALSE(empty.time);
}

TEST(Timestamp, ToIsoIsUtcWithMilliseconds) {
  EXPECT_EQ(Timestamp::Parse("2023-04-07T02:50:31.618780311+02:00").ToIso(),
            "2023-04-07T00:50:31.618Z");
  auto t = Timestamp::FromTime(At(1999, 12, 31, 23, 59, 59, 999'999'999));
  EXPECT_EQ(t.raw, "1999-12-31T23:59:59.999Z");
  EXPECT_EQ(Timestamp::Parse(t.raw).time, At(1999, 12, 31, 23, 59, 59, 999'000'000));
}

TEST(Timestamp, EqualityComparesWhatWasSent) {
  EXPECT_EQ(Timestamp::Parse("2023-12-31"), Timestamp::Parse("2023-12-31"));
  EXPECT_FALSE(Timestamp::Parse("2023-12-31") == Timestamp::Parse("2023-12-31T00:00:00Z"));
}

// ---- helpers ----------------------------------------------------------------------------------

TEST(TypesHelpers, EqualsIgnoreCaseAndFormatBytes) {
  EXPECT_TRUE(EqualsIgnoreCase("FixedCost", "fixedcost"));
  EXPECT_FALSE(EqualsIgnoreCase("Fixed", "FixedCost"));
  EXPECT_EQ(FormatBytes(0), "0 B");
  EXPECT_EQ(FormatBytes(512'000'000), "512 MB");
  EXPECT_EQ(FormatBytes(1'500'000'000), "1.5 GB");
  EXPECT_EQ(FormatBytes(20'000'000'000), "20 GB");
}

}  // namespace
}  // namespace esimgo

namespace esimgo {
namespace {

// More integer digits than the fast path reads must reach the general path, not overflow
// (UBSan caught `999999999999999999 * 10` in the fast path). Amounts are kept in 18 digits of
// millionths, so 12 integer digits is the largest amount; longer ones are rejected cleanly.
TEST(Money, LongIntegerPartsAreRejectedWithoutOverflow) {
  ASSERT_TRUE(Money::Parse("999999999999.5"));
  EXPECT_EQ(Money::Parse("999999999999.5")->micros(), 999'999'999'999'500'000);
  EXPECT_FALSE(Money::Parse("1234567890123.5"));
  EXPECT_FALSE(Money::Parse("999999999999999999"));
  EXPECT_FALSE(Money::Parse("-99999999999999999999"));
}

}  // namespace
}  // namespace esimgo
