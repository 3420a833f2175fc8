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

/// Alert types (open: unknown types are kept with their raw JSON). Most notifications name
/// their type in `alertType`; the eSIM lifecycle notices name it in `event` (see
/// `Alert::event`). Matched case-insensitively.
enum class AlertType {
  kUtilisation,            ///< "Utilisation": 1/50/80/100 % of a bundle used.
  kFirstUse,               ///< "FirstUse": a bundle's first use.
  kCountryChange,          ///< "CountryChange": the eSIM attached in another country.
  kLowBalance,             ///< "LowBalance": the organisation's balance is below its threshold.
  kInsufficientBalance,    ///< "InsufficientBalance"
  kFirstAttachment,        ///< "FirstAttachment": the eSIM first attached to a network.
  kTopup,                  ///< "Topup": the balance was topped up (`bundle` old/new amounts).
  kAutoTopup,              ///< "AutoTopup": an automatic top-up (same body).
  kEsimGoTopup,            ///< "eSIMGoTopup": a top-up by eSIM Go (same body).
  kMsisdnDisabled,         ///< "MSISDNDisabled": `msisdn` and `reason` ("Bundle expired"…).
  kSmsFailed,              ///< "SMSFailed": an SMS was not delivered (`timestamp`, `msisdn`?).
  kEsimDeletionScheduled,  ///< event "esim.deletion_scheduled": 180 idle days (`date`).
  kEsimDeleted,            ///< event "esim.deleted": deactivated 7 days later (`date`).
  kUnknown
};

/// The wire name of a type: "Utilisation", …, "esim.deleted"; empty for kUnknown. Thread-safe.
[[nodiscard]] std::string_view AlertTypeName(AlertType type) noexcept;

/// The bundle of a usage alert.
struct AlertBundle {
  std::string id;                  ///< V3: the assignment's ID.
  std::string reference;           ///< V3: the order or apply reference.
  std::string name;                ///< Bundle name.
  std::string description;         ///< V3: bundle description.
  int64_t initial_quantity = 0;    ///< Bytes.
  int64_t remaining_quantity = 0;  ///< Bytes.
  Timestamp start_time;            ///< When the bundle started.
  Timestamp end_time;              ///< When it ends.
  bool unlimited = false;          ///< Unlimited data.
  std::string unit;                ///< Some alerts carry BYTES / SMSmessages / minutes.
  /// `Topup` / `AutoTopup` / `eSIMGoTopup`: the balance before and after (a "float" in the
  /// docs, read exactly). Empty for every other type.
  std::optional<Money> old_amount;
  std::optional<Money> new_amount;                      ///< See `old_amount`.
  bool operator==(const AlertBundle&) const = default;  ///< Compares every field.
};

/// Country of a `CountryChange` alert.
struct AlertCountry {
  std::string code;                                      ///< ISO code.
  std::string name;                                      ///< Country name.
  bool operator==(const AlertCountry&) const = default;  ///< Compares every field.
};

/// Balance of a `LowBalance` / `InsufficientBalance` alert.
struct BalanceInfo {
  Money balance;                           ///< The organisation's balance.
  Money threshold;                         ///< The threshold that raised the alert.
  double threshold_percent_remaining = 0;  ///< How much of the threshold is left, in percent.
  bool operator==(const BalanceInfo&) const = default;  ///< Compares every field.
};

/// One callback, polymorphic on `alertType` or, for the lifecycle notices, `event`. Fields a
/// type does not carry stay empty.
struct Alert {
  /// From `alertType`, or from `event` when there is no `alertType`.
  OpenEnum<AlertType> alert_type;
  std::string iccid;                    ///< Raw digits, even when the JSON sent a 20-digit number.
  std::optional<AlertBundle> bundle;    ///< Usage alerts: the bundle concerned.
  std::optional<AlertCountry> country;  ///< `CountryChange`: the new country.
  std::optional<BalanceInfo> balance_info;  ///< `LowBalance` / `InsufficientBalance`: the balance.
  std::string msisdn;   ///< `MSISDNDisabled`, `SMSFailed` (domestic numbers only).
  std::string reason;   ///< `MSISDNDisabled`: "Bundle expired", "Bundle revoked", ….
  Timestamp timestamp;  ///< `SMSFailed`: when delivery failed.
  Timestamp date;       ///< `esim.deletion_scheduled` / `esim.deleted`.
  /// The `event` key as sent ("esim.deleted"…); empty for `alertType` notifications.
  std::string event;
  std::string raw_json;  ///< The body exactly as received.
};

/// Parses a callback body, dispatching on `alertType` or `event`; an unknown type is kept
/// (kUnknown, raw text and raw JSON), never an error. Errors: kDecode (not one JSON object, or
/// a known field of the wrong type). Thread-safe.
[[nodiscard]] Result<Alert> ParseAlert(std::string_view raw_body);

/// Verifies, then parses, a received V3 callback: the one call a receiver needs (like Stripe's
/// ConstructEvent), so an unverified body is never parsed by accident.
///   auto alert = webhook::ConstructAlert(key, request.headers, request.body);
/// Errors: kSignatureMismatch (missing or wrong `X-Signature-SHA256`; nothing is parsed),
/// kDecode (signed, but not a JSON object). Thread-safe.
[[nodiscard]] Result<Alert> ConstructAlert(std::string_view api_key, const Headers& headers,
                                           std::string_view raw_body);

/// Serialises an alert as eSIM Go sends it (used by the sandbox and tests): `event`-keyed for
/// the lifecycle notices, `alertType`-keyed otherwise; absent parts are left out, so that
/// ParseAlert(EncodeAlert(a)) gives `a` back for every type. Thread-safe.
[[nodiscard]] std::string EncodeAlert(const Alert& alert);

}  // namespace esimgo::webhook
