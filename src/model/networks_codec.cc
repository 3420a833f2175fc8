#include "model/networks_codec.h"

namespace esimgo {

json::Err Decode(json::Value v, Network& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "name") return json::Read(f, out.name);
    if (key == "brandName") return json::Read(f, out.brand_name);
    // Strings keep leading zeros ("01"); a number is read as its raw digits.
    if (key == "mcc") return json::Read(f, out.mcc);
    if (key == "mnc") return json::Read(f, out.mnc);
    if (key == "tagid" || key == "tagId" || key == "tadig") return json::Read(f, out.tag_id);
    if (key == "speed") return json::Read(f, out.speed);
    return json::kOk;
  });
}

json::Err Decode(json::Value v, CountryNetworks& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "name" || key == "country") return json::Read(f, out.name);
    if (key == "iso") return json::Read(f, out.iso);
    if (key == "networks") return json::Read(f, out.networks);
    return json::kOk;
  });
}

json::Err Decode(json::Value v, NetworkList& out) {
  if (json::TypeOf(v) == simdjson::ondemand::json_type::array) {
    return json::Read(v, out.country_networks);
  }
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "countryNetworks") return json::Read(f, out.country_networks);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const Network& m) {
  w.BeginObject()
      .Field("name", m.name)
      .Field("brandName", m.brand_name)
      .Field("mcc", m.mcc)
      .Field("mnc", m.mnc)
      .Field("tagid", m.tag_id)
      .Field("speed", m.speed)
      .EndObject();
}

void Encode(JsonWriter& w, const CountryNetworks& m) {
  w.BeginObject().Field("name", m.name);
  if (!m.iso.empty()) w.Field("iso", m.iso);
  w.Key("networks").BeginArray();
  for (const auto& n : m.networks) Encode(w, n);
  w.EndArray().EndObject();
}

void Encode(JsonWriter& w, const NetworkList& m) {
  w.BeginObject().Key("countryNetworks").BeginArray();
  for (const auto& c : m.country_networks) Encode(w, c);
  w.EndArray().EndObject();
}

}  // namespace esimgo
