#include "model/catalogue_codec.h"

#include "model/common_codec.h"

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

// v2.5 `group` of a bundle detail: a string list per the YAML; a single string is read as a
// one-element list.
template <class V>
json::Err ReadGroup(V f, std::vector<std::string>& out) {
  if (json::IsNull(f) || json::IsArray(f)) return json::Read(f, out);
  out.clear();
  return json::Read(f, out.emplace_back());
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
    // v2.5
    if (key == "profileName") return json::Read(f, out.profile_name);
    if (key == "allowances") return json::Read(f, out.allowances);
    if (key == "group") return ReadGroup(f, out.group);
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
  // v2.5 fields only when present: a v2.4 answer encodes exactly as before.
  if (!b.profile_name.empty()) w.Field("profileName", b.profile_name);
  EncodeAllowancesIfAny(w, "allowances", b.allowances);
  if (!b.group.empty()) w.Field("group", b.group);
  w.EndObject();
}

// ---- GET /catalogue/prices (v2.5) ----

namespace {
json::Err DecodePriceCountry(json::Value v, PriceCountry& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "iso") return json::Read(f, out.iso);
    if (key == "name") return json::Read(f, out.name);
    return json::kOk;
  });
}
}  // namespace

json::Err Decode(json::Value v, PriceCountry& out) { return DecodePriceCountry(v, out); }

json::Err Decode(json::Value v, ConsumptionPrice& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) -> json::Err {
    if (key == "id") return json::Read(f, out.id);
    // A decimal string per the YAML (a number is read too). Anything that is not a decimal
    // fails the decode: a price is never guessed.
    if (key == "price") {
      if (json::IsNull(f)) return simdjson::INCORRECT_TYPE;
      return json::Read(f, out.price);
    }
    if (key == "currency") return json::Read(f, out.currency);
    if (key == "profile") return json::Read(f, out.profile);
    if (key == "country") return DecodePriceCountry(f, out.country);
    return json::kOk;
  });
}

json::Err Decode(json::Value v, CountryPrices& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) -> json::Err {
    if (key == "country") return DecodePriceCountry(f, out.country);
    if (key == "prices") return json::Read(f, out.prices);
    return json::kOk;
  });
}

json::Err Decode(json::Value v, CataloguePrices& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) -> json::Err {
    if (key == "hash") return json::Read(f, out.hash);
    if (key == "prices") return json::Read(f, out.prices);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const PriceCountry& c) {
  w.BeginObject().Field("iso", c.iso).Field("name", c.name).EndObject();
}

void Encode(JsonWriter& w, const ConsumptionPrice& p) {
  w.BeginObject().Field("id", p.id).Field("price", p.price.ToString());
  w.Field("currency", p.currency).Field("profile", p.profile).Key("country");
  Encode(w, p.country);
  w.EndObject();
}

void Encode(JsonWriter& w, const CountryPrices& c) {
  w.BeginObject().Key("country");
  Encode(w, c.country);
  w.Key("prices").BeginArray();
  for (const auto& p : c.prices) Encode(w, p);
  w.EndArray().EndObject();
}

void Encode(JsonWriter& w, const CataloguePrices& m) {
  w.BeginObject().Field("hash", m.hash).Key("prices").BeginArray();
  for (const auto& c : m.prices) Encode(w, c);
  w.EndArray().EndObject();
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
