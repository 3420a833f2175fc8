#include "model/organisation_codec.h"

namespace esimgo {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

json::Err DecodeOrganisationField(std::string_view key, json::Value f, Organisation& out) {
  if (key == "name") return json::Read(f, out.name);
  if (key == "apiKey") return json::Read(f, out.api_key);
  if (key == "taxLiable") return json::Read(f, out.tax_liable);
  if (key == "addr1") return json::Read(f, out.addr1);
  if (key == "addr2") return json::Read(f, out.addr2);
  if (key == "city") return json::Read(f, out.city);
  if (key == "country") return json::Read(f, out.country);
  if (key == "postcode") return json::Read(f, out.postcode);
  if (key == "callbackUrl") return json::Read(f, out.callback_url);
  if (key == "notes") return json::Read(f, out.notes);
  if (key == "currency") return json::Read(f, out.currency);
  if (key == "businessType") return json::Read(f, out.business_type);
  if (key == "website") return json::Read(f, out.website);
  if (key == "productDescription") return json::Read(f, out.product_description);
  if (key == "groups") return json::Read(f, out.groups);
  if (key == "balance") return json::Read(f, out.balance);
  if (key == "testCredit") return json::Read(f, out.test_credit);
  if (key == "testCreditExpiry") return json::Read(f, out.test_credit_expiry);
  if (key == "users") return json::Read(f, out.users);
  return json::kOk;
}

}  // namespace

json::Err Decode(json::Value v, OrganisationUser& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "firstName") return json::Read(f, out.first_name);
    if (key == "lastName") return json::Read(f, out.last_name);
    if (key == "role") return json::Read(f, out.role);
    if (key == "emailAddress") return json::Read(f, out.email_address);
    if (key == "phoneNumber") return json::Read(f, out.phone_number);
    if (key == "timeZone") return json::Read(f, out.time_zone);
    return json::kOk;
  });
}

json::Err Decode(json::Value v, Organisation& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    // Some integrators see the organisation wrapped as {"organisations":[{…}]}; read the
    // first one so both shapes work.
    if (key == "organisations") {
      bool first = true;
      return json::ForEachElement(f, [&](json::Value org) {
        if (!first) return json::kOk;
        first = false;
        return json::ForEachField(org, [&](std::string_view k, json::Value x) {
          return DecodeOrganisationField(k, x, out);
        });
      });
    }
    return DecodeOrganisationField(key, f, out);
  });
}

json::Err Decode(json::Value v, TopUpResult& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "amount") return json::Read(f, out.amount);
    if (key == "balance") return json::Read(f, out.balance);
    if (key == "ref") return json::Read(f, out.ref);  // a number in the spec: keep its digits
    return json::kOk;
  });
}

json::Err Decode(json::Value v, BundleGroup& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "name") return json::Read(f, out.name);
    if (key == "priceListUrl") return json::Read(f, out.price_list_url);
    if (key == "desc" || key == "description") return json::Read(f, out.desc);
    if (key == "icon") return json::Read(f, out.icon);
    return json::kOk;
  });
}

json::Err Decode(json::Value v, BundleGroupListBody& out) {
  if (json::TypeOf(v) == simdjson::ondemand::json_type::array) return json::Read(v, out.groups);
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "groups") return json::Read(f, out.groups);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const OrganisationUser& m) {
  w.BeginObject()
      .Field("firstName", m.first_name)
      .Field("lastName", m.last_name)
      .Field("role", m.role)
      .Field("emailAddress", m.email_address)
      .Field("phoneNumber", m.phone_number)
      .Field("timeZone", m.time_zone)
      .EndObject();
}

void Encode(JsonWriter& w, const Organisation& m) {
  w.BeginObject()
      .Field("name", m.name)
      .Field("apiKey", m.api_key)
      .Field("taxLiable", m.tax_liable)
      .Field("addr1", m.addr1)
      .Field("addr2", m.addr2)
      .Field("city", m.city)
      .Field("country", m.country)
      .Field("postcode", m.postcode)
      .Field("callbackUrl", m.callback_url)
      .Field("notes", m.notes)
      .Field("currency", m.currency)
      .Field("businessType", m.business_type)
      .Field("website", m.website)
      .Field("productDescription", m.product_description)
      .Field("groups", m.groups)
      .Field("balance", m.balance)
      .Field("testCredit", m.test_credit)
      .Field("testCreditExpiry", m.test_credit_expiry);
  w.Key("users").BeginArray();
  for (const auto& u : m.users) Encode(w, u);
  w.EndArray().EndObject();
}

void Encode(JsonWriter& w, const TopUpResult& m) {
  w.BeginObject().Field("amount", m.amount).Field("balance", m.balance);
  // The API sends `ref` as an integer; anything else stays a string.
  if (AllDigits(m.ref) && m.ref.size() < 16 && (m.ref.size() == 1 || m.ref[0] != '0')) {
    w.Key("ref").RawValue(m.ref);
  } else {
    w.Field("ref", m.ref);
  }
  w.EndObject();
}

void Encode(JsonWriter& w, const BundleGroup& m) {
  w.BeginObject().Field("name", m.name);
  if (!m.price_list_url.empty()) w.Field("priceListUrl", m.price_list_url);
  if (!m.desc.empty()) w.Field("desc", m.desc);
  if (!m.icon.empty()) w.Field("icon", m.icon);
  w.EndObject();
}

void Encode(JsonWriter& w, const BundleGroupListBody& m) {
  w.BeginObject().Key("groups").BeginArray();
  for (const auto& g : m.groups) Encode(w, g);
  w.EndArray().EndObject();
}

}  // namespace esimgo
