#pragma once
/// @file limits.h
/// The API's rules that the SDK, the CLI and the sandbox all enforce: one home for each number.
///
/// The SDK checks a request against these before sending it (kInvalidArgument), the sandbox
/// answers 400/403 from the same values, and the CLI lets the SDK's check speak. Change a rule
/// here and all three follow. Sources: the v2.4 reference (docs.esim-go.com) and, where the spec
/// is silent, what the live API was seen to do (noted per constant).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "esimgo/types.h"

namespace esimgo::limits {

/// One day in milliseconds: the unit of every time-based rule below.
inline constexpr int64_t kDayMs = 86'400'000;

// ---- SMS (POST /esims/{iccid}/sms) -------------------------------------------------------

/// The shortest SMS text the API accepts, in Unicode characters.
inline constexpr std::size_t kSmsMinCharacters = 1;
/// The longest SMS text, in Unicode characters (not bytes: "é" counts once).
inline constexpr std::size_t kSmsMaxCharacters = 160;

/// Number of Unicode code points in `text`, or nullopt when it is not valid UTF-8 (overlong
/// forms, surrogates and values past U+10FFFF are rejected). The one counter behind the SMS
/// limit everywhere. Thread-safe.
[[nodiscard]] std::optional<std::size_t> Utf8Length(std::string_view text) noexcept;

// ---- Lists and pages ---------------------------------------------------------------------

/// `perPage` values GET /esims accepts (an enum in the spec; anything else is a 400).
inline constexpr std::array<int, 4> kEsimPageSizes = {10, 25, 50, 100};
/// The page size the SDK asks GET /esims for when the caller does not say.
inline constexpr int kEsimDefaultPageSize = 25;
/// True when `per_page` is one of `kEsimPageSizes`.
[[nodiscard]] constexpr bool IsEsimPageSize(int per_page) noexcept {
  for (int size : kEsimPageSizes) {
    if (size == per_page) return true;
  }
  return false;
}
/// Column names GET /esims can filter by (`filterBy`; the spec's enum is one malformed string).
inline constexpr std::array<std::string_view, 5> kEsimFilterFields = {
    "iccid", "customerRef", "lastAction", "actionDate", "assignedDate"};

/// The largest `perPage` of GET /catalogue (no maximum in the spec; the sandbox enforces this
/// one so a page cannot be unbounded).
inline constexpr int kCatalogueMaxPerPage = 1000;
/// The largest `limit` (page size) of GET /orders.
inline constexpr int kOrdersMaxLimit = 1000;
/// The largest page number any list accepts; bigger numbers are refused before any arithmetic
/// (`(page - 1) * size` must not overflow).
inline constexpr int64_t kMaxPageNumber = 1'000'000;

// ---- Orders and applying bundles ---------------------------------------------------------

/// Order lines per POST /orders.
inline constexpr std::size_t kOrderMaxItems = 100;
/// Bundles per order line.
inline constexpr int kOrderMaxQuantity = 1000;
/// `repeat` of POST /esims/apply (new eSIMs per request): 1 when absent.
inline constexpr int kApplyRepeatMin = 1;
inline constexpr int kApplyRepeatMax = 1000;  ///< Most new eSIMs per apply request.

// ---- Balance, inventory and refunds ------------------------------------------------------

/// eSIM Go's minimum top-up per call (USD).
inline constexpr Money kTopUpMinimum = Money::FromUnits(1000);
/// eSIM Go's default top-up maximum per UTC day (USD; the account manager can raise it).
inline constexpr Money kTopUpDailyMaximum = Money::FromUnits(5000);
/// An unused bundle can be refunded up to this many days after it was bought or assigned
/// ("typically 60 days").
inline constexpr int64_t kRefundWindowDays = 60;
/// A bundle in inventory expires this many days after purchase, and an assigned bundle that
/// never started lapses after the same time ("inactive after 12 months").
inline constexpr int64_t kInventoryLotLifetimeDays = 365;

}  // namespace esimgo::limits
