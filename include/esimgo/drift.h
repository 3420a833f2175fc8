#pragma once
/// @file drift.h
/// Drift detection: how a JSON answer differs from what this SDK and eSIM Go's published
/// contract (the YAML of the API version, corrected by the live shapes the project documents)
/// expect. For logging API changes in production (`ClientOptions::on_drift`) and for
/// `esimgo contract check`; see docs/adr/0010-drift-detection.md.

#include <string>
#include <string_view>
#include <vector>

#include "esimgo/options.h"
#include "esimgo/result.h"

/// Comparing answers with the contract of their operation.
namespace esimgo::drift {

/// The kinds of difference a check reports.
enum class DriftKind {
  /// A field the SDK and the contract do not know: new in the API, or renamed.
  kUnknownField,
  /// A field that the live API always sends, and the SDK relies on, is absent (optional fields
  /// are never reported).
  kMissingField,
  /// A value of another JSON type than the contract's: a number where a string is expected,
  /// an object where an array is expected, a fraction where an integer is expected, …
  kTypeMismatch,
  /// A string outside the known values of an enumerated field (compared case-insensitively,
  /// as the SDK parses them).
  kUnknownEnum,
};

/// "unknown_field", "missing_field", "type_mismatch" or "unknown_enum": stable names for logs
/// and JSON reports. Thread-safe.
[[nodiscard]] std::string_view ToString(DriftKind kind) noexcept;

/// One difference between an answer and its contract.
struct Drift {
  /// Where: a JSON path from the root `$`, e.g. "$.esims[0].state" or "$[2].name". Keys that
  /// are not plain identifiers are written `$["a key"]`.
  std::string path;
  DriftKind kind = DriftKind::kUnknownField;  ///< What kind of difference.
  /// Human-readable specifics, e.g. "number where string expected", "\"paused\" is not one
  /// of active, suspended, deactivated". Never contains a value of an unknown field (it may be
  /// a secret); an unknown enum value is quoted, truncated to 40 bytes.
  std::string detail;
};

/// Checks `body`, a successful JSON answer of `operation` on API `version`, and returns every
/// difference, in document order (empty when the answer matches). Stops after 1,000 findings
/// (the last one then says so).
///
/// `operation` is the method and the templated path without the version prefix, as in
/// eSIM Go's YAML: "GET /esims/{iccid}", "GET /catalogue", "GET /esims/assignments" (the
/// JSON answer). "POST /orders" is the answer of `type: validate`; the answer of a
/// `type: transaction` order is "POST /orders?type=transaction". `Operations(version)` lists
/// them all.
///
/// Errors: kInvalidArgument when `operation` is not one `Operations(version)` lists (the
/// message names the known ones' count and how to list them); kDecode when `body` is not
/// well-formed JSON (the message says what simdjson found wrong). Thread-safe: each thread
/// parses with its own parser, which keeps its memory (a few times the largest body that
/// thread checked) for the next call.
[[nodiscard]] Result<std::vector<Drift>> Check(std::string_view operation, ApiVersion version,
                                               std::string_view body);

/// Every operation `Check` knows for `version`, sorted: the operations of that version whose
/// successful answer is JSON. Thread-safe.
[[nodiscard]] std::vector<std::string_view> Operations(ApiVersion version);

}  // namespace esimgo::drift
