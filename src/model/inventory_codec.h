#pragma once
// JSON ⇄ inventory models (#22, #23).

#include "esimgo/inventory.h"
#include "json/json_reader.h"
#include "json/json_writer.h"

namespace esimgo {
using internal::JsonWriter;
namespace json = internal::json;

json::Err Decode(json::Value v, InventoryLot& out);
json::Err Decode(json::Value v, Allowance& out);
json::Err Decode(json::Value v, InventoryBundle& out);
json::Err Decode(json::Value v, Inventory& out);
json::Err Decode(json::Value v, RefundRequest& out);

void Encode(JsonWriter& w, const InventoryLot& m);
void Encode(JsonWriter& w, const Allowance& m);
void Encode(JsonWriter& w, const InventoryBundle& m);
void Encode(JsonWriter& w, const Inventory& m);
void Encode(JsonWriter& w, const RefundRequest& m);

}  // namespace esimgo
