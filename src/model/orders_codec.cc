#include "model/orders_codec.h"

namespace esimgo {
namespace {

// Both casings of the reassign flag: the request schema says `allowReassign`, every
// response sends `AllowReassign`.
bool IsAllowReassignKey(std::string_view key) {
  return key == "allowReassign" || key == "AllowReassign";
}

void EncodeLines(JsonWriter& w, const std::vector<OrderLine>& lines) {
  w.Key("order").BeginArray();
  for (const auto& l : lines) Encode(w, l);
  w.EndArray();
}

// Fields of an order object; shared by `Order` and the single-object form of GET /orders.
json::Err DecodeOrderField(std::string_view key, json::Value f, Order& out, bool& seen) {
  if (key == "order" || key == "Order") {
    seen = true;
    return json::Read(f, out.order);
  }
  if (key == "total") return json::Read(f, out.total);
  if (key == "currency") return json::Read(f, out.currency);
  if (key == "status") {
    seen = true;
    std::string raw;
    if (auto e = json::Read(f, raw)) return e;
    out.status = ParseOrderStatus(raw);
    return json::kOk;
  }
  if (key == "statusMessage") return json::Read(f, out.status_message);
  if (key == "orderReference") {
    seen = true;
    return json::Read(f, out.order_reference);
  }
  // `createDate` is the orphan Order schema's spelling.
  if (key == "createdDate" || key == "createDate") return json::Read(f, out.created_date);
  if (key == "assigned") return json::Read(f, out.assigned);
  if (key == "sourceIP" || key == "sourceIp") return json::Read(f, out.source_ip);
  if (key == "runningBalance") {
    // v2.5, a decimal string. An order that moved money must never be lost to a malformed
    // informational field: anything that is not a decimal (or null) leaves it empty.
    out.running_balance.reset();
    if (json::IsNull(f)) return json::kOk;
    Money m;
    if (json::Read(f, m) == json::kOk) out.running_balance = m;
    return json::kOk;
  }
  return json::kOk;
}

}  // namespace

std::string_view OrderTypeName(OrderType t) {
  return t == OrderType::kValidate ? "validate" : "transaction";
}

OpenEnum<OrderStatus> ParseOrderStatus(std::string_view raw) {
  OpenEnum<OrderStatus> out;
  out.raw = std::string(raw);
  if (EqualsIgnoreCase(raw, "completed") || EqualsIgnoreCase(raw, "complete")) {
    out.value = OrderStatus::kCompleted;
  } else if (EqualsIgnoreCase(raw, "processing") || EqualsIgnoreCase(raw, "pending")) {
    out.value = OrderStatus::kProcessing;
  } else if (EqualsIgnoreCase(raw, "failed")) {
    out.value = OrderStatus::kFailed;
  } else {
    out.value = OrderStatus::kUnknown;
  }
  return out;
}

json::Err Decode(json::Value v, BundleOrder& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "type") return json::Read(f, out.type);
    if (key == "quantity") return json::Read(f, out.quantity);
    if (key == "item") return json::Read(f, out.item);
    if (key == "iccids") return json::Read(f, out.iccids);
    if (IsAllowReassignKey(key)) {
      if (json::IsNull(f)) {
        out.allow_reassign.reset();
        return json::kOk;
      }
      return json::Read(f, out.allow_reassign.emplace());
    }
    return json::kOk;
  });
}

json::Err Decode(json::Value v, OrderRequest& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "type") {
      std::string raw;
      if (auto e = json::Read(f, raw)) return e;
      // A type we do not know must not silently become a charging transaction.
      if (EqualsIgnoreCase(raw, "validate")) {
        out.type = OrderType::kValidate;
      } else if (EqualsIgnoreCase(raw, "transaction")) {
        out.type = OrderType::kTransaction;
      } else {
        return simdjson::INCORRECT_TYPE;
      }
      return json::kOk;
    }
    if (key == "assign") return json::Read(f, out.assign);
    // The schema says `order`; every code sample sends `Order`.
    if (key == "order" || key == "Order") return json::Read(f, out.order);
    if (key == "profileID" || key == "profileId") {  // v2.5; the YAML spells it profileID
      if (json::IsNull(f)) return json::kOk;
      return json::Read(f, out.profile_id.emplace());
    }
    return json::kOk;
  });
}

json::Err Decode(json::Value v, OrderEsim& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "iccid") return json::Read(f, out.iccid);
    if (key == "matchingId") return json::Read(f, out.matching_id);
    if (key == "smdpAddress") return json::Read(f, out.smdp_address);
    return json::kOk;
  });
}

json::Err Decode(json::Value v, OrderLine& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "type") return json::Read(f, out.type);
    if (key == "item") return json::Read(f, out.item);
    if (key == "quantity") return json::Read(f, out.quantity);
    if (key == "subTotal") return json::Read(f, out.sub_total);
    if (key == "pricePerUnit") return json::Read(f, out.price_per_unit);
    if (IsAllowReassignKey(key)) {
      if (json::IsNull(f)) return json::kOk;
      return json::Read(f, out.allow_reassign);
    }
    if (key == "iccids") return json::Read(f, out.iccids);
    if (key == "esims") return json::Read(f, out.esims);
    return json::kOk;
  });
}

json::Err Decode(json::Value v, OrderValidation& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "order" || key == "Order") return json::Read(f, out.order);
    if (key == "total") return json::Read(f, out.total);
    if (key == "valid") return json::Read(f, out.valid);
    if (key == "currency") return json::Read(f, out.currency);
    if (key == "createdDate" || key == "createDate") return json::Read(f, out.created_date);
    if (key == "assigned") return json::Read(f, out.assigned);
    return json::kOk;
  });
}

json::Err Decode(json::Value v, Order& out) {
  bool seen = false;
  return json::ForEachField(
      v, [&](std::string_view key, json::Value f) { return DecodeOrderField(key, f, out, seen); });
}

json::Err Decode(json::Value v, OrderListBody& out) {
  using simdjson::ondemand::json_type;
  out = OrderListBody{};
  const json_type t = json::TypeOf(v);
  if (t == json_type::null) return json::kOk;
  if (t == json_type::array) return json::Read(v, out.orders);
  // An object is either the wrapper {"orders":[…],"pageCount","rows"} or, as the YAML
  // declares, one order. One pass reads both; the keys decide which it was.
  Order single;
  bool single_seen = false;
  bool wrapper_seen = false;
  auto e = json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "orders") {
      wrapper_seen = true;
      return json::Read(f, out.orders);
    }
    if (key == "pageCount") {
      if (json::IsNull(f)) return json::kOk;
      return json::Read(f, out.page_count.emplace());
    }
    if (key == "rows") {
      if (json::IsNull(f)) return json::kOk;
      return json::Read(f, out.rows.emplace());
    }
    return DecodeOrderField(key, f, single, single_seen);
  });
  if (e) return e;
  if (!wrapper_seen && single_seen) out.orders.push_back(std::move(single));
  return json::kOk;
}

void Encode(JsonWriter& w, const BundleOrder& m) {
  w.BeginObject();
  w.Field("type", m.type.empty() ? std::string_view("bundle") : std::string_view(m.type));
  w.Field("quantity", m.quantity).Field("item", m.item);
  if (!m.iccids.empty()) w.Field("iccids", m.iccids);
  if (m.allow_reassign) w.Field("allowReassign", *m.allow_reassign);
  w.EndObject();
}

void Encode(JsonWriter& w, const OrderRequest& m) {
  w.BeginObject().Field("type", OrderTypeName(m.type)).Field("assign", m.assign);
  w.Key("order").BeginArray();
  for (const auto& item : m.order) Encode(w, item);
  w.EndArray();
  if (m.profile_id) w.Field("profileID", *m.profile_id);  // v2.5; absent unless chosen
  w.EndObject();
}

void Encode(JsonWriter& w, const OrderEsim& m) {
  w.BeginObject()
      .Field("iccid", m.iccid)
      .Field("matchingId", m.matching_id)
      .Field("smdpAddress", m.smdp_address)
      .EndObject();
}

void Encode(JsonWriter& w, const OrderLine& m) {
  w.BeginObject();
  if (!m.esims.empty()) {
    w.Key("esims").BeginArray();
    for (const auto& e : m.esims) Encode(w, e);
    w.EndArray();
  }
  w.Field("type", m.type).Field("item", m.item);
  if (!m.iccids.empty()) w.Field("iccids", m.iccids);
  w.Field("quantity", m.quantity)
      .Field("subTotal", m.sub_total)
      .Field("pricePerUnit", m.price_per_unit)
      .Field("AllowReassign", m.allow_reassign);
  w.EndObject();
}

void Encode(JsonWriter& w, const OrderValidation& m) {
  w.BeginObject();
  EncodeLines(w, m.order);
  w.Field("total", m.total).Field("valid", m.valid).Field("currency", m.currency);
  if (!m.created_date.empty()) w.Field("createdDate", m.created_date);
  w.Field("assigned", m.assigned);
  w.EndObject();
}

void Encode(JsonWriter& w, const Order& m) {
  w.BeginObject();
  EncodeLines(w, m.order);
  w.Field("total", m.total)
      .Field("currency", m.currency)
      .Field("status", m.status.raw)
      .Field("statusMessage", m.status_message)
      .Field("orderReference", m.order_reference);
  if (!m.created_date.empty()) w.Field("createdDate", m.created_date);
  w.Field("assigned", m.assigned);
  if (!m.source_ip.empty()) w.Field("sourceIP", m.source_ip);
  // v2.5 sends it as a string; absent from v2.4 answers.
  if (m.running_balance) w.Field("runningBalance", m.running_balance->ToString());
  w.EndObject();
}

void Encode(JsonWriter& w, const OrderListBody& m) {
  w.BeginObject().Key("orders").BeginArray();
  for (const auto& o : m.orders) Encode(w, o);
  w.EndArray();
  if (m.page_count) w.Field("pageCount", *m.page_count);
  if (m.rows) w.Field("rows", *m.rows);
  w.EndObject();
}

}  // namespace esimgo
