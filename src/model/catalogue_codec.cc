#include "model/catalogue_codec.h"

namespace esimgo {

// Each decoder is written once over the value type and instantiated for simdjson's on-demand
// values (requests in the sandbox, single bundles) and its DOM (whole pages, the fast path of
// DecodeBody: see json_reader.h).
namespace {
template <class V>
json::Err DecodeCountry(V v, Country& out) {
  return json::ForEachField(v, [&](std::string_view key, V f) {
    if (key == "name") return json::Read(f, out.name);
    if (key == "region") return json::Read(f, out.region);
    if (key == "iso") return json::Read(f, out.iso);
    return json::kOk;
  });
}

template <class V>
json::Err DecodeBundle(V v, CatalogueBundle& out) {
  return json::ForEachField(v, [&](std::string_view key, V f) {
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

// A live catalogue bundle takes well over 320 bytes of JSON (name, description, one country,
// speed, price…), so this never reserves fewer slots than a full page needs, and the part
// of a large reservation that stays unused is never touched. Growing a 5,000-bundle vector
// instead moves every bundle about twelve times.
constexpr size_t kMinBundleJsonBytes = 320;

json::Err ReadBundles(json::Value f, std::vector<CatalogueBundle>& bundles) {
  bundles.clear();
  bundles.reserve(json::BytesToEnd(f) / kMinBundleJsonBytes);
  return json::Read(f, bundles);
}

// The DOM knows the element count (json::Read reserves it).
json::Err ReadBundles(json::Element f, std::vector<CatalogueBundle>& bundles) {
  return json::Read(f, bundles);
}

template <class V>
json::Err DecodePage(V v, CataloguePage& out) {
  if (json::IsArray(v)) return ReadBundles(v, out.bundles);
  return json::ForEachField(v, [&](std::string_view key, V f) {
    if (key == "bundles") return ReadBundles(f, out.bundles);
    if (key == "pageCount") return json::Read(f, out.page_count.emplace());
    if (key == "rows") return json::Read(f, out.rows.emplace());
    if (key == "pageSize") return json::Read(f, out.page_size.emplace());
    return json::kOk;
  });
}

}  // namespace

json::Err Decode(json::Value v, Country& out) { return DecodeCountry(v, out); }
json::Err Decode(json::Element v, Country& out) { return DecodeCountry(v, out); }
json::Err Decode(json::Value v, CatalogueBundle& out) { return DecodeBundle(v, out); }
json::Err Decode(json::Element v, CatalogueBundle& out) { return DecodeBundle(v, out); }
json::Err Decode(json::Value v, CataloguePage& out) { return DecodePage(v, out); }
json::Err Decode(json::Element v, CataloguePage& out) { return DecodePage(v, out); }

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
