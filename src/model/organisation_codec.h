#pragma once
// JSON ⇄ organisation models (#16–#18).

#include <vector>

#include "esimgo/organisation.h"
#include "json/json_reader.h"
#include "json/json_writer.h"

namespace esimgo {
using internal::JsonWriter;
namespace json = internal::json;

// GET /organisation/groups → {"groups": [...]}
struct BundleGroupListBody {
  std::vector<BundleGroup> groups;
};

json::Err Decode(json::Value v, OrganisationUser& out);
json::Err Decode(json::Value v, Organisation& out);
json::Err Decode(json::Value v, TopUpResult& out);
json::Err Decode(json::Value v, BundleGroup& out);
json::Err Decode(json::Value v, BundleGroupListBody& out);

void Encode(JsonWriter& w, const OrganisationUser& m);
void Encode(JsonWriter& w, const Organisation& m);
void Encode(JsonWriter& w, const TopUpResult& m);
void Encode(JsonWriter& w, const BundleGroup& m);
void Encode(JsonWriter& w, const BundleGroupListBody& m);

}  // namespace esimgo
