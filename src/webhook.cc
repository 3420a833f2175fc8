#include "esimgo/webhook.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cmath>
#include <string>

#include "json/json_reader.h"
#include "json/json_writer.h"

namespace esimgo::webhook {
namespace {

namespace json = internal::json;
using internal::JsonWriter;

using Digest = std::array<unsigned char, 32>;

Digest Hmac(std::string_view key, std::string_view body) {
  Digest out{};
  unsigned int len = 0;
  // OpenSSL rejects a null key pointer even with length 0; an empty key is still a key.
  static const unsigned char kEmpty = 0;
  const void* key_ptr = key.empty() ? static_cast<const void*>(&kEmpty) : key.data();
  const unsigned char* msg =
      body.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(body.data());
  if (HMAC(EVP_sha256(), key_ptr, static_cast<int>(key.size()), msg, body.size(), out.data(),
           &len) == nullptr ||
      len != out.size()) {
    out.fill(0);
  }
  return out;
}

std::string Base64(const Digest& d) {
  std::string out(4 * ((d.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), d.data(),
                                static_cast<int>(d.size()));
  out.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return out;
}

std::string Hex(const Digest& d) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(d.size() * 2);
  for (unsigned char c : d) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xf];
  }
  return out;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool SameBytes(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

constexpr AlertType kKnownTypes[] = {
    AlertType::kUtilisation,
    AlertType::kFirstUse,
    AlertType::kCountryChange,
    AlertType::kLowBalance,
    AlertType::kInsufficientBalance,
    AlertType::kFirstAttachment,
    AlertType::kTopup,
    AlertType::kAutoTopup,
    AlertType::kEsimGoTopup,
    AlertType::kMsisdnDisabled,
    AlertType::kSmsFailed,
    AlertType::kEsimDeletionScheduled,
    AlertType::kEsimDeleted,
};

AlertType ParseAlertType(std::string_view raw) {
  if (EqualsIgnoreCase(raw, "Utilization")) return AlertType::kUtilisation;
  for (AlertType t : kKnownTypes) {
    if (EqualsIgnoreCase(raw, AlertTypeName(t))) return t;
  }
  return AlertType::kUnknown;
}

// The lifecycle notices name their type in `event`, not `alertType`.
bool IsEventKeyed(AlertType t) {
  return t == AlertType::kEsimDeletionScheduled || t == AlertType::kEsimDeleted;
}

bool IsTopup(AlertType t) {
  return t == AlertType::kTopup || t == AlertType::kAutoTopup || t == AlertType::kEsimGoTopup;
}

// An optional exact amount: null reads as absent.
json::Err ReadOptionalMoney(json::Value v, std::optional<Money>& out) {
  if (json::IsNull(v)) {
    out.reset();
    return json::kOk;
  }
  return json::Read(v, out.emplace());
}

// Byte counts: older (v2.0) alerts sent float quantities; a fractional byte count is
// rounded rather than failing the whole alert.
json::Err ReadBytes(json::Value v, int64_t& out) {
  if (json::Read(v, out) == json::kOk) return json::kOk;
  double d = 0;
  if (auto e = json::Read(v, d)) return e;
  if (!std::isfinite(d) || std::fabs(d) > 9.2e18) return simdjson::NUMBER_OUT_OF_RANGE;
  out = std::llround(d);
  return json::kOk;
}

json::Err DecodeBundle(json::Value v, AlertBundle& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "id") return json::Read(f, out.id);
    if (key == "reference") return json::Read(f, out.reference);
    if (key == "name") return json::Read(f, out.name);
    if (key == "description") return json::Read(f, out.description);
    if (key == "initialQuantity") return ReadBytes(f, out.initial_quantity);
    if (key == "remainingQuantity") return ReadBytes(f, out.remaining_quantity);
    if (key == "startTime") return json::Read(f, out.start_time);
    if (key == "endTime") return json::Read(f, out.end_time);
    if (key == "unlimited") return json::Read(f, out.unlimited);
    if (key == "unit") return json::Read(f, out.unit);
    if (key == "oldAmount") return ReadOptionalMoney(f, out.old_amount);
    if (key == "newAmount") return ReadOptionalMoney(f, out.new_amount);
    return json::kOk;
  });
}

json::Err DecodeCountry(json::Value v, AlertCountry& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "code") return json::Read(f, out.code);
    if (key == "name") return json::Read(f, out.name);
    return json::kOk;
  });
}

json::Err DecodeBalance(json::Value v, BalanceInfo& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "balance") return json::Read(f, out.balance);
    if (key == "threshold") return json::Read(f, out.threshold);
    if (key == "thresholdPercentRemaining") return json::Read(f, out.threshold_percent_remaining);
    return json::kOk;
  });
}

json::Err DecodeAlert(json::Value v, Alert& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) -> json::Err {
    if (key == "iccid") return json::Read(f, out.iccid);
    if (key == "alertType") return json::Read(f, out.alert_type.raw);
    if (key == "event") return json::Read(f, out.event);
    if (key == "msisdn") return json::Read(f, out.msisdn);
    if (key == "reason") return json::Read(f, out.reason);
    if (key == "timestamp") return json::Read(f, out.timestamp);
    if (key == "date") return json::Read(f, out.date);
    // A null part is the same as an absent one.
    if (key == "bundle") {
      if (json::IsNull(f)) return json::kOk;
      return DecodeBundle(f, out.bundle.emplace());
    }
    if (key == "country") {
      if (json::IsNull(f)) return json::kOk;
      return DecodeCountry(f, out.country.emplace());
    }
    if (key == "balanceInfo") {
      if (json::IsNull(f)) return json::kOk;
      return DecodeBalance(f, out.balance_info.emplace());
    }
    return json::kOk;
  });
}

}  // namespace

std::string ComputeSignature(std::string_view api_key, std::string_view raw_body) {
  return Base64(Hmac(api_key, raw_body));
}

std::string ComputeSignatureHex(std::string_view api_key, std::string_view raw_body) {
  return Hex(Hmac(api_key, raw_body));
}

bool VerifySignature(std::string_view api_key, std::string_view raw_body,
                     std::string_view signature) {
  signature = TrimSpace(signature);
  const Digest d = Hmac(api_key, raw_body);
  if (signature.size() == 64) {
    // Hex from the webhooks guide; accept either case without branching on secret bytes.
    std::string lowered(signature);
    for (char& c : lowered) {
      if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    }
    return SameBytes(lowered, Hex(d));
  }
  std::string expected = Base64(d);
  if (signature.size() == expected.size()) return SameBytes(signature, expected);
  // Base64 with its single `=` padding dropped.
  if (signature.size() + 1 == expected.size() && expected.back() == '=') {
    expected.pop_back();
    return SameBytes(signature, expected);
  }
  return false;
}

Result<void> VerifyRequest(std::string_view api_key, const Headers& headers,
                           std::string_view raw_body) {
  bool present = false;
  std::string_view value;
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, kSignatureHeader)) {
      present = true;
      value = v;
      break;
    }
  }
  if (!present || TrimSpace(value).empty()) {
    return Fail(ErrorCode::kSignatureMismatch,
                "the X-Signature-SHA256 header is missing: enable V3 callbacks in the eSIM Go "
                "portal (Account Settings > API Details > Callback Version) or reject the request",
                "webhook.VerifyRequest");
  }
  if (!VerifySignature(api_key, raw_body, value)) {
    return Fail(ErrorCode::kSignatureMismatch,
                "the X-Signature-SHA256 header does not match the HMAC-SHA256 of the body: check "
                "the API key used to verify and pass the raw body bytes exactly as received "
                "(never re-serialised JSON)",
                "webhook.VerifyRequest");
  }
  return {};
}

Result<Alert> ParseAlert(std::string_view raw_body) {
  Alert alert;
  simdjson::ondemand::document* doc = nullptr;
  json::Err e = json::IterateRoot(raw_body, doc);
  if (!e) {
    json::Value root;
    e = doc->get_value().get(root);
    if (!e) e = DecodeAlert(root, alert);
    // A signed body is one JSON object; anything after it means the bytes are not an alert.
    const char* rest = nullptr;  // current_location() fails with OUT_OF_BOUNDS at the end
    if (!e && doc->current_location().get(rest) == simdjson::SUCCESS) {
      e = simdjson::TRAILING_CONTENT;
    }
  }
  if (e) {
    Error err = json::DecodeError("webhook alert", e, raw_body);
    err.operation = "webhook.ParseAlert";
    return tl::unexpected(std::move(err));
  }
  // Dispatch on `alertType`, or on `event` for the lifecycle notices.
  if (alert.alert_type.raw.empty()) alert.alert_type.raw = alert.event;
  alert.alert_type.value = ParseAlertType(alert.alert_type.raw);
  alert.raw_json.assign(raw_body);
  return alert;
}

std::string_view AlertTypeName(AlertType t) noexcept {
  switch (t) {
    case AlertType::kUtilisation:
      return "Utilisation";
    case AlertType::kFirstUse:
      return "FirstUse";
    case AlertType::kCountryChange:
      return "CountryChange";
    case AlertType::kLowBalance:
      return "LowBalance";
    case AlertType::kInsufficientBalance:
      return "InsufficientBalance";
    case AlertType::kFirstAttachment:
      return "FirstAttachment";
    case AlertType::kTopup:
      return "Topup";
    case AlertType::kAutoTopup:
      return "AutoTopup";
    case AlertType::kEsimGoTopup:
      return "eSIMGoTopup";
    case AlertType::kMsisdnDisabled:
      return "MSISDNDisabled";
    case AlertType::kSmsFailed:
      return "SMSFailed";
    case AlertType::kEsimDeletionScheduled:
      return "esim.deletion_scheduled";
    case AlertType::kEsimDeleted:
      return "esim.deleted";
    case AlertType::kUnknown:
      break;
  }
  return {};
}

std::string EncodeAlert(const Alert& alert) {
  JsonWriter w;
  w.BeginObject();
  std::string_view type = alert.alert_type.raw;
  if (type.empty()) type = AlertTypeName(alert.alert_type.value);
  // The lifecycle notices are `{date, event, iccid}` (eSIM Go's order); a type that only
  // came from `event` is not repeated as `alertType`.
  std::string_view event = alert.event;
  if (event.empty() && IsEventKeyed(alert.alert_type.value)) event = type;
  const bool type_is_event = !event.empty() && type == event;
  if (!event.empty()) {
    if (!alert.date.empty()) w.Field("date", alert.date);
    w.Field("event", event);
  }
  // Key order as eSIM Go sends it (iccid first, as in the spec's example).
  if (!alert.iccid.empty()) w.Field("iccid", alert.iccid);
  if (!type.empty() && !type_is_event) w.Field("alertType", type);
  if (event.empty() && !alert.date.empty()) w.Field("date", alert.date);
  if (!alert.msisdn.empty()) w.Field("msisdn", alert.msisdn);
  if (!alert.reason.empty()) w.Field("reason", alert.reason);
  if (!alert.timestamp.empty()) w.Field("timestamp", alert.timestamp);
  if (alert.bundle && IsTopup(alert.alert_type.value)) {
    // `{oldAmount, newAmount}` only (plus anything else actually set).
    const AlertBundle& b = *alert.bundle;
    w.Key("bundle").BeginObject();
    if (!b.id.empty()) w.Field("id", b.id);
    if (!b.reference.empty()) w.Field("reference", b.reference);
    if (!b.name.empty()) w.Field("name", b.name);
    if (!b.description.empty()) w.Field("description", b.description);
    if (b.initial_quantity != 0) w.Field("initialQuantity", b.initial_quantity);
    if (b.remaining_quantity != 0) w.Field("remainingQuantity", b.remaining_quantity);
    if (!b.start_time.empty()) w.Field("startTime", b.start_time);
    if (!b.end_time.empty()) w.Field("endTime", b.end_time);
    if (b.unlimited) w.Field("unlimited", b.unlimited);
    if (!b.unit.empty()) w.Field("unit", b.unit);
    if (b.old_amount) w.Field("oldAmount", *b.old_amount);
    if (b.new_amount) w.Field("newAmount", *b.new_amount);
    w.EndObject();
  } else if (alert.bundle) {
    const AlertBundle& b = *alert.bundle;
    w.Key("bundle").BeginObject();
    if (!b.id.empty()) w.Field("id", b.id);
    if (!b.reference.empty()) w.Field("reference", b.reference);
    w.Field("name", b.name);
    if (!b.description.empty()) w.Field("description", b.description);
    w.Field("initialQuantity", b.initial_quantity);
    w.Field("remainingQuantity", b.remaining_quantity);
    if (!b.start_time.empty()) w.Field("startTime", b.start_time);
    if (!b.end_time.empty()) w.Field("endTime", b.end_time);
    w.Field("unlimited", b.unlimited);
    if (!b.unit.empty()) w.Field("unit", b.unit);
    if (b.old_amount) w.Field("oldAmount", *b.old_amount);
    if (b.new_amount) w.Field("newAmount", *b.new_amount);
    w.EndObject();
  }
  if (alert.country) {
    w.Key("country").BeginObject();
    w.Field("code", alert.country->code).Field("name", alert.country->name);
    w.EndObject();
  }
  if (alert.balance_info) {
    w.Key("balanceInfo").BeginObject();
    w.Field("balance", alert.balance_info->balance);
    w.Field("threshold", alert.balance_info->threshold);
    w.Key("thresholdPercentRemaining").Double(alert.balance_info->threshold_percent_remaining);
    w.EndObject();
  }
  w.EndObject();
  return w.Take();
}

Result<Alert> ConstructAlert(std::string_view api_key, const Headers& headers,
                             std::string_view raw_body) {
  if (auto verified = VerifyRequest(api_key, headers, raw_body); !verified) {
    return tl::unexpected(std::move(verified.error()));
  }
  return ParseAlert(raw_body);
}

}  // namespace esimgo::webhook
