#pragma once
/// @file dedupe.h
/// The dedupe key and the field lexemes the store indexes, computed from the raw body.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace esimgo::callbacks {

/// sha256(source ‖ 0x00 ‖ body): byte-identical redeliveries of one account collide, any other
/// difference (one byte, another source) does not. Thread-safe.
[[nodiscard]] std::array<uint8_t, 32> DedupeKey(std::string_view source, std::string_view body);

/// The indexed fields of a callback, as raw lexemes.
struct Fields {
  /// `alertType`, or `event` when there is no `alertType` (the eSIM lifecycle notices).
  std::optional<std::string> alert_type;
  /// `iccid` exactly as sent: the string's text, or a number's digits (never via double, so
  /// 19–20-digit ICCIDs survive).
  std::optional<std::string> iccid;
};

/// Reads the top-level `alertType`/`event` and `iccid` of a JSON object. A body that is not a
/// JSON object, or fields of another type, give empty fields — never an error: a signed but
/// odd body is still stored. Thread-safe.
[[nodiscard]] Fields ExtractFields(std::string_view body);

}  // namespace esimgo::callbacks
