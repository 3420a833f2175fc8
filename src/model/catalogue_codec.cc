#include "model/catalogue_codec.h"

namespace esimgo {

json::Err Decode(json::Value v, Country& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "name") return json::Read(f, out.name);
    if (key == "region") return json::Read(f, out.region);
    if (key == "iso") return json::Read(f, out.iso);
    return json::kOk;
  });
}

json::Err Decode(json::Value v, CatalogueBundle& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "name") return json::Read(f, out.name);
    if (key == "description") return json::Read(f, out.description);
    if (key == "groups") return json::Read(f, out.groups);
    if (key == "countries") return json::Read(f, out.countries);
    if (key == "dataAmount") return json::Read(f, out.data_amount_mb);
    if (key == "duration") return json::Read(f, out.duration_days);
    if (key == "speed") return json::Read(f, out.speed);
    if (key == "autostart") return json::Read(f, out.autostart);
    if (key == "unlimited") return json::Read(f, out.unlimited);
    if (key == "roamingEnabled") return json::Read(f, out.roaming_enabled);
    if (key == "price") return json::Read(f, out.price);
    if (key == "billingType") return json::Read(f, out.billing_type);
    return json::kOk;
  });
}

json::Err Decode(json::Value v, CataloguePage& out) {
  if (json::TypeOf(v) == simdjson::ondemand::json_type::array) return json::Read(v, out.bundles);
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "bundles") return json::Read(f, out.bundles);
    if (key == "pageCount") return json::Read(f, out.page_count.emplace());
    if (key == "rows") return json::Read(f, out.rows.emplace());
    if (key == "pageSize") return json::Read(f, out.page_size.emplace());
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const Country& c) {
  w.BeginObject().Field("name", c.name).Field("region", c.region).Field("iso", c.iso).EndObject();
}

void Encode(JsonWriter& w, const CatalogueBundle& b, bool with_groups) {
  w.BeginObject();
  w.Field("name", b.name).Field("description", b.description);
  if (with_groups) w.Field("groups", b.groups);
  w.Key("countries").BeginArray();
  for (const auto& c : b.countries) Encode(w, c);
  w.EndArray();
  w.Field("dataAmount", b.data_amount_mb).Field("duration", b.duration_days);
  w.Field("speed", b.speed).Field("autostart", b.autostart).Field("unlimited", b.unlimited);
  w.Key("roamingEnabled").BeginArray();
  for (const auto& c : b.roaming_enabled) Encode(w, c);
  w.EndArray();
  w.Field("price", b.price).Field("billingType", b.billing_type);
  w.EndObject();
}

void Encode(JsonWriter& w, const CataloguePage& page) {
  w.BeginObject().Key("bundles").BeginArray();
  for (const auto& b : page.bundles) Encode(w, b);
  w.EndArray();
  if (page.page_count) w.Field("pageCount", *page.page_count);
  if (page.rows) w.Field("rows", *page.rows);
  if (page.page_size) w.Field("pageSize", *page.page_size);
  w.EndObject();
}

}  // namespace esimgo
