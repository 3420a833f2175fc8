#include "model/inventory_codec.h"

namespace esimgo {

json::Err Decode(json::Value v, InventoryLot& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    // `id` is the only integer ID of the API (the `usageId` of a refund).
    if (key == "id" || key == "usageId") return json::Read(f, out.id);
    if (key == "total") return json::Read(f, out.total);
    if (key == "remaining") return json::Read(f, out.remaining);
    if (key == "expiry") return json::Read(f, out.expiry);
    return json::kOk;
  });
}

json::Err Decode(json::Value v, Allowance& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "type") return json::Read(f, out.type);
    if (key == "service") return json::Read(f, out.service);
    if (key == "description") return json::Read(f, out.description);
    if (key == "amount") return json::Read(f, out.amount);
    if (key == "unit") return json::Read(f, out.unit);
    if (key == "unlimited") return json::Read(f, out.unlimited);
    return json::kOk;
  });
}

json::Err Decode(json::Value v, InventoryBundle& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "name") return json::Read(f, out.name);
    if (key == "desc" || key == "description") return json::Read(f, out.desc);
    if (key == "useDms") return json::Read(f, out.use_dms);
    if (key == "available") return json::Read(f, out.available);
    if (key == "countries") return json::Read(f, out.countries);
    if (key == "data") return json::Read(f, out.data_mb);
    if (key == "duration") return json::Read(f, out.duration);
    if (key == "durationUnit") return json::Read(f, out.duration_unit);
    if (key == "autostart") return json::Read(f, out.autostart);
    if (key == "unlimited") return json::Read(f, out.unlimited);
    if (key == "speed") return json::Read(f, out.speed);  // nullable: null → empty
    if (key == "allowances") return json::Read(f, out.allowances);
    return json::kOk;
  });
}

json::Err Decode(json::Value v, Inventory& out) {
  // Tolerate a bare array of bundles as well as the documented {"bundles": […]}.
  if (json::TypeOf(v) == simdjson::ondemand::json_type::array) return json::Read(v, out.bundles);
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "bundles") return json::Read(f, out.bundles);
    return json::kOk;
  });
}

json::Err Decode(json::Value v, RefundRequest& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "usageId") return json::Read(f, out.usage_id);
    if (key == "quantity") return json::Read(f, out.quantity);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const InventoryLot& m) {
  w.BeginObject()
      .Field("id", m.id)
      .Field("total", m.total)
      .Field("remaining", m.remaining)
      .Field("expiry", m.expiry)
      .EndObject();
}

void Encode(JsonWriter& w, const Allowance& m) {
  w.BeginObject()
      .Field("type", m.type)
      .Field("service", m.service)
      .Field("description", m.description)
      .Field("amount", m.amount)
      .Field("unit", m.unit)
      .Field("unlimited", m.unlimited)
      .EndObject();
}

void Encode(JsonWriter& w, const InventoryBundle& m) {
  w.BeginObject().Field("name", m.name).Field("desc", m.desc).Field("useDms", m.use_dms);
  w.Key("available").BeginArray();
  for (const auto& lot : m.available) Encode(w, lot);
  w.EndArray();
  w.Field("countries", m.countries)
      .Field("data", m.data_mb)
      .Field("duration", m.duration)
      .Field("durationUnit", m.duration_unit)
      .Field("autostart", m.autostart)
      .Field("unlimited", m.unlimited);
  // The one nullable field of the spec: the API sends null when a bundle has no speeds.
  if (m.speed.empty()) {
    w.Key("speed").Null();
  } else {
    w.Field("speed", m.speed);
  }
  w.Key("allowances").BeginArray();
  for (const auto& a : m.allowances) Encode(w, a);
  w.EndArray().EndObject();
}

void Encode(JsonWriter& w, const Inventory& m) {
  w.BeginObject().Key("bundles").BeginArray();
  for (const auto& b : m.bundles) Encode(w, b);
  w.EndArray().EndObject();
}

void Encode(JsonWriter& w, const RefundRequest& m) {
  w.BeginObject().Field("usageId", m.usage_id).Field("quantity", m.quantity).EndObject();
}

}  // namespace esimgo
