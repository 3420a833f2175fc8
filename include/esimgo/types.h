#pragma once
/// @file types.h
/// Value types shared by every model: exact money, tolerant timestamps and open enums.

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace esimgo {

/// An exact decimal amount in the organisation's currency, stored in millionths.
/// JSON numbers such as `9.99` or `1299.3` are read from their digits, never through a
/// binary float, so `9.99 * 3` is exactly `29.97`.
class Money {
 public:
  static constexpr int64_t kScale = 1'000'000;  ///< Millionths per unit.

  constexpr Money() = default;
  /// From millionths of a unit (e.g. 9'990'000 for 9.99).
  static constexpr Money FromMicros(int64_t micros) { return Money(micros); }
  /// From whole units (e.g. 1000 for $1000).
  static constexpr Money FromUnits(int64_t units) { return Money(units * kScale); }
  /// Parses a JSON number or decimal string ("9.99", "-2", "1e3"). Empty on bad input or
  /// more than 6 fractional digits that are not zeros.
  static std::optional<Money> Parse(std::string_view text);

  /// The amount in millionths of a unit.
  [[nodiscard]] constexpr int64_t micros() const { return micros_; }
  /// The amount as a double, for display only.
  [[nodiscard]] double ToDouble() const { return static_cast<double>(micros_) / kScale; }
  /// Shortest exact decimal: "9.99", "10", "-0.5".
  [[nodiscard]] std::string ToString() const;

  /// Exact sum.
  constexpr Money operator+(Money o) const { return Money(micros_ + o.micros_); }
  /// Exact difference.
  constexpr Money operator-(Money o) const { return Money(micros_ - o.micros_); }
  /// Exact product with a count (e.g. price × quantity).
  constexpr Money operator*(int64_t n) const { return Money(micros_ * n); }
  /// Adds exactly.
  constexpr Money& operator+=(Money o) {
    micros_ += o.micros_;
    return *this;
  }
  /// Subtracts exactly.
  constexpr Money& operator-=(Money o) {
    micros_ -= o.micros_;
    return *this;
  }
  constexpr auto operator<=>(const Money&) const = default;  ///< Orders by amount.

 private:
  constexpr explicit Money(int64_t micros) : micros_(micros) {}
  int64_t micros_ = 0;
};

/// A point in time as the API sent it. The API mixes ISO-8601 with 0–9 fractional digits,
/// date-only values and epoch milliseconds; `raw` keeps what was sent, `time` holds the
/// parsed instant when the text was understood.
struct Timestamp {
  /// An instant, UTC, in nanoseconds.
  using TimePoint = std::chrono::sys_time<std::chrono::nanoseconds>;

  std::string raw;                ///< Exactly as received (epoch-ms as its digits).
  std::optional<TimePoint> time;  ///< Empty when `raw` is empty or not understood.

  /// Parses ISO-8601 (`2023-04-07T00:50:31.618780311Z`, offsets allowed), a date
  /// (`2023-12-31`), or epoch milliseconds (`1723541877280`).
  static Timestamp Parse(std::string_view text);
  /// From an instant; `raw` becomes ISO-8601 UTC with millisecond precision.
  static Timestamp FromTime(TimePoint t);

  /// True when nothing was sent.
  [[nodiscard]] bool empty() const { return raw.empty(); }
  /// ISO-8601 UTC with 3 fractional digits, or `raw` when the instant is unknown.
  [[nodiscard]] std::string ToIso() const;
  /// Compares what was sent (`raw`), not the instant.
  bool operator==(const Timestamp& o) const { return raw == o.raw; }
};

/// An enum the API does not close: keeps the raw string and the parsed value
/// (`E::kUnknown` when the string is new to us). Matching is case-insensitive.
template <class E>
struct OpenEnum {
  E value = E::kUnknown;  ///< The parsed value; `E::kUnknown` for text new to this SDK.
  std::string raw;        ///< The text exactly as sent.
  /// Compares the raw text.
  bool operator==(const OpenEnum& o) const { return raw == o.raw; }
};

/// One allowance of a v2.5 bundle (catalogue and applied bundles; the inventory has its own
/// `Allowance` with an integer amount): what it gives (data, voice, SMS) and, on an applied
/// bundle, what is left. Amounts are doubles because the v2.5 YAML declares them
/// "integer (format float)": both integers and fractions are read, exactly up to 2^53, and an
/// integral amount is written back as an integer. `unit` is kept exactly as sent, because the
/// YAML says "MB" on `GET /esims/{iccid}/bundles` and "BYTES" on `…/bundles/{name}` (◐ which is
/// right is unknown; see docs/adr/0007-api-versions.md): convert only after reading it.
struct BundleAllowance {
  std::string type;                        ///< "DATA", "VOICE" or "SMS" (as sent).
  std::string service;                     ///< "STANDARD" or "ROAMING" (as sent).
  std::string description;                 ///< Free text.
  std::optional<double> initial_amount;    ///< Applied bundles: the amount granted.
  std::optional<double> remaining_amount;  ///< Applied bundles: the amount left.
  std::optional<double> amount;            ///< Catalogue bundles: the amount offered.
  std::string unit;                        ///< "MB", "BYTES", "SMS", "MINS"… exactly as sent.
  bool unlimited = false;                  ///< No limit (then the amounts say nothing).
  bool operator==(const BundleAllowance&) const = default;  ///< Compares every field.
};

/// `StatusMessage`: the free-text `{status}` many write operations answer with.
struct StatusMessage {
  std::string status;  ///< e.g. "sent", "Successfully refreshed SIM"
  bool operator==(const StatusMessage&) const = default;  ///< Compares every field.
};

/// Case-insensitive ASCII comparison, used by the open-enum parsers.
[[nodiscard]] bool EqualsIgnoreCase(std::string_view a, std::string_view b) noexcept;

/// Bytes as people read them: "1.5 GB", "512 MB" (decimal units, like eSIM Go).
[[nodiscard]] std::string FormatBytes(int64_t bytes);

}  // namespace esimgo
