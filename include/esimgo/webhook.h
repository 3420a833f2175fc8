#pragma once
/// @file webhook.h
/// eSIM Go usage callbacks: signature verification and typed alerts.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "esimgo/result.h"
#include "esimgo/transport.h"
#include "esimgo/types.h"

namespace esimgo::webhook {

/// The header V3 callbacks carry the signature in (matched case-insensitively).
inline constexpr std::string_view kSignatureHeader = "X-Signature-SHA256";

/// base64(HMAC-SHA256(key = api_key, message = raw_body)). Thread-safe.
[[nodiscard]] std::string ComputeSignature(std::string_view api_key, std::string_view raw_body);

/// Lower-case hex of the same HMAC (eSIM Go's webhook guide shows hex).
[[nodiscard]] std::string ComputeSignatureHex(std::string_view api_key, std::string_view raw_body);

/// True if `signature` is the base64 or hex HMAC of the raw body bytes, compared in
/// constant time. Surrounding whitespace is ignored. Never re-serialise the JSON first.
[[nodiscard]] bool VerifySignature(std::string_view api_key, std::string_view raw_body,
                                   std::string_view signature);

/// Verifies a received request: reads `X-Signature-SHA256` from `headers`.
/// Errors: kSignatureMismatch (missing or wrong signature; the message says which).
[[nodiscard]] Result<void> VerifyRequest(std::string_view api_key, const Headers& headers,
                                         std::string_view raw_body);

/// Alert types (open: unknown types are kept with their raw JSON).
enum class AlertType {
  kUtilisation,
  kFirstUse,
  kCountryChange,
  kLowBalance,
  kInsufficientBalance,
  kUnknown
};

/// The bundle of a usage alert.
struct AlertBundle {
  std::string id;
  std::string reference;
  std::string name;
  std::string description;
  int64_t initial_quantity = 0;    ///< Bytes.
  int64_t remaining_quantity = 0;  ///< Bytes.
  Timestamp start_time;
  Timestamp end_time;
  bool unlimited = false;
  std::string unit;  ///< Some alerts carry BYTES / SMSmessages / minutes.
  bool operator==(const AlertBundle&) const = default;
};

/// Country of a `CountryChange` alert.
struct AlertCountry {
  std::string code;
  std::string name;
  bool operator==(const AlertCountry&) const = default;
};

/// Balance of a `LowBalance` / `InsufficientBalance` alert.
struct BalanceInfo {
  Money balance;
  Money threshold;
  double threshold_percent_remaining = 0;
  bool operator==(const BalanceInfo&) const = default;
};

/// One callback, polymorphic on `alertType`.
struct Alert {
  OpenEnum<AlertType> alert_type;
  std::string iccid;  ///< Raw digits, even when the JSON sent a 20-digit number.
  std::optional<AlertBundle> bundle;
  std::optional<AlertCountry> country;
  std::optional<BalanceInfo> balance_info;
  std::string raw_json;  ///< The body exactly as received.
};

/// Parses a callback body. Errors: kDecode (not a JSON object). Thread-safe.
[[nodiscard]] Result<Alert> ParseAlert(std::string_view raw_body);

/// Verifies, then parses, a received V3 callback: the one call a receiver needs (like Stripe's
/// ConstructEvent), so an unverified body is never parsed by accident.
///   auto alert = webhook::ConstructAlert(key, request.headers, request.body);
/// Errors: kSignatureMismatch (missing or wrong `X-Signature-SHA256`; nothing is parsed),
/// kDecode (signed, but not a JSON object). Thread-safe.
[[nodiscard]] Result<Alert> ConstructAlert(std::string_view api_key, const Headers& headers,
                                           std::string_view raw_body);

/// Serialises an alert as eSIM Go sends it (used by the sandbox and tests).
[[nodiscard]] std::string EncodeAlert(const Alert& alert);

}  // namespace esimgo::webhook
