#pragma once
// JSON ⇄ network models (#26).

#include "esimgo/networks.h"
#include "json/json_reader.h"
#include "json/json_writer.h"

namespace esimgo {
using internal::JsonWriter;
namespace json = internal::json;

json::Err Decode(json::Value v, Network& out);
json::Err Decode(json::Value v, CountryNetworks& out);
json::Err Decode(json::Value v, NetworkList& out);

void Encode(JsonWriter& w, const Network& m);
void Encode(JsonWriter& w, const CountryNetworks& m);
void Encode(JsonWriter& w, const NetworkList& m);

}  // namespace esimgo
