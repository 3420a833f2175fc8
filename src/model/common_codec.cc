#include "model/common_codec.h"

#include <cmath>
#include <cstdint>

namespace esimgo {

json::Err Decode(json::Value v, StatusMessage& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "status" || key == "message") return json::Read(f, out.status);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const StatusMessage& m) {
  w.BeginObject().Field("status", m.status).EndObject();
}

namespace {

template <class V>
json::Err ReadOptionalAmount(V f, std::optional<double>& out) {
  if (json::IsNull(f)) {
    out.reset();
    return json::kOk;
  }
  return json::Read(f, out.emplace());
}

template <class V>
json::Err DecodeAllowance(V v, BundleAllowance& out) {
  return json::ForEachField(v, [&](std::string_view key, V f) -> json::Err {
    if (key == "type") return json::Read(f, out.type);
    if (key == "service") return json::Read(f, out.service);
    if (key == "description") return json::Read(f, out.description);
    // "integer (format float)" in the YAML: read integers and fractions alike.
    if (key == "initialAmount") return ReadOptionalAmount(f, out.initial_amount);
    if (key == "remainingAmount") return ReadOptionalAmount(f, out.remaining_amount);
    if (key == "amount") return ReadOptionalAmount(f, out.amount);
    if (key == "unit") return json::Read(f, out.unit);
    if (key == "unlimited") return json::Read(f, out.unlimited);
    return json::kOk;
  });
}

void WriteAmount(JsonWriter& w, std::string_view key, double amount) {
  // Integral amounts (the usual case) as integers, so that a body reads back unchanged.
  if (std::isfinite(amount) && std::fabs(amount) < 9.0e15 && amount == std::trunc(amount)) {
    w.Field(key, static_cast<int64_t>(amount));
  } else {
    w.Key(key).Double(amount);
  }
}

}  // namespace

json::Err Decode(json::Value v, BundleAllowance& out) { return DecodeAllowance(v, out); }
json::Err Decode(json::Element v, BundleAllowance& out) { return DecodeAllowance(v, out); }

void Encode(JsonWriter& w, const BundleAllowance& m) {
  w.BeginObject().Field("type", m.type).Field("service", m.service);
  w.Field("description", m.description);
  if (m.initial_amount) WriteAmount(w, "initialAmount", *m.initial_amount);
  if (m.remaining_amount) WriteAmount(w, "remainingAmount", *m.remaining_amount);
  if (m.amount) WriteAmount(w, "amount", *m.amount);
  w.Field("unit", m.unit).Field("unlimited", m.unlimited).EndObject();
}

void EncodeAllowancesIfAny(JsonWriter& w, std::string_view key,
                           const std::vector<BundleAllowance>& allowances) {
  if (allowances.empty()) return;
  w.Key(key).BeginArray();
  for (const auto& a : allowances) Encode(w, a);
  w.EndArray();
}

void EncodeErrorMessage(JsonWriter& w, std::string_view message) {
  w.BeginObject().Field("message", message).EndObject();
}

}  // namespace esimgo
