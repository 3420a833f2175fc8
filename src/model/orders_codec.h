#pragma once
// JSON ⇄ order models (#19–#21).

#include <optional>
#include <string>
#include <vector>

#include "esimgo/orders.h"
#include "json/json_reader.h"
#include "json/json_writer.h"

namespace esimgo {
using internal::JsonWriter;
namespace json = internal::json;

// GET /orders: a bare array, `{"orders": [...], ...}`, or (the YAML) one order object.
struct OrderListBody {
  std::vector<Order> orders;
  std::optional<int> page_count;
  std::optional<int64_t> rows;
};

json::Err Decode(json::Value v, BundleOrder& out);   // allowReassign or AllowReassign
json::Err Decode(json::Value v, OrderRequest& out);  // `order` or `Order`; type string
json::Err Decode(json::Value v, OrderEsim& out);
json::Err Decode(json::Value v, OrderLine& out);     // AllowReassign or allowReassign
json::Err Decode(json::Value v, OrderValidation& out);
json::Err Decode(json::Value v, Order& out);
json::Err Decode(json::Value v, OrderListBody& out);

void Encode(JsonWriter& w, const BundleOrder& m);   // request casing: allowReassign
void Encode(JsonWriter& w, const OrderRequest& m);  // {"type","assign","order":[...]}
void Encode(JsonWriter& w, const OrderEsim& m);
void Encode(JsonWriter& w, const OrderLine& m);     // response casing: AllowReassign
void Encode(JsonWriter& w, const OrderValidation& m);
void Encode(JsonWriter& w, const Order& m);
void Encode(JsonWriter& w, const OrderListBody& m);  // {"orders":[...],"pageCount","rows"}

std::string_view OrderTypeName(OrderType t);  // "validate" / "transaction"
OpenEnum<OrderStatus> ParseOrderStatus(std::string_view raw);

}  // namespace esimgo
