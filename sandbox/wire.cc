// Decoders of the sandbox's request bodies (wire.h) on the SDK's JSON reader.

#include "wire.h"

#include "esimgo/limits.h"
#include "json/json_reader.h"

namespace esimgo::sandbox::wire {
namespace {

namespace json = internal::json;
using json::Err;
using json::Value;
using simdjson::ondemand::json_type;

// Reads fields and remembers the first problem in words, for the 400's message.
class Reader {
 public:
  explicit Reader(bool strict) : strict_(strict) {}

  Err Fail(std::string_view key, std::string what) {
    if (problem_.empty()) problem_ = "field '" + std::string(key) + "' " + std::move(what);
    return simdjson::INCORRECT_TYPE;
  }

  Err String(Value v, std::string_view key, std::optional<std::string>& out) {
    if (json::IsNull(v)) {
      out.reset();
      return json::kOk;
    }
    std::string s;
    if (strict_ || json::TypeOf(v) == json_type::object || json::TypeOf(v) == json_type::array) {
      std::string_view view;
      if (json::TypeOf(v) != json_type::string || v.get_string().get(view)) {
        return Fail(key, "must be a string");
      }
      s.assign(view);
    } else if (json::Read(v, s)) {
      return Fail(key, "must be a string");
    }
    if (!IsUtf8(s)) return Fail(key, "must be valid UTF-8 text");
    out = std::move(s);
    return json::kOk;
  }

  Err Integer(Value v, std::string_view key, std::optional<int64_t>& out) {
    if (json::IsNull(v)) {
      out.reset();
      return json::kOk;
    }
    int64_t n = 0;
    if (strict_) {
      if (json::TypeOf(v) != json_type::number || v.get_int64().get(n)) {
        return Fail(key, "must be a whole number (64-bit)");
      }
    } else if (json::Read(v, n)) {
      return Fail(key, "must be a whole number (64-bit)");
    }
    out = n;
    return json::kOk;
  }

  Err Bool(Value v, std::string_view key, std::optional<bool>& out) {
    if (json::IsNull(v)) {
      out.reset();
      return json::kOk;
    }
    bool b = false;
    // Admin bodies (strict) take only a JSON boolean; API bodies also "true"/"1"/"yes"….
    if (strict_ && json::TypeOf(v) != json_type::boolean) return Fail(key, "must be true or false");
    if (json::Read(v, b)) return Fail(key, "must be true or false");
    out = b;
    return json::kOk;
  }

  Err StringList(Value v, std::string_view key, std::optional<std::vector<std::string>>& out) {
    if (json::IsNull(v)) {
      out.reset();
      return json::kOk;
    }
    if (json::TypeOf(v) != json_type::array) return Fail(key, "must be a list of strings");
    out.emplace();
    return json::ForEachElement(v, [&](Value x) {
      std::optional<std::string> s;
      if (auto e = String(x, key, s)) return e;
      if (!s) return Fail(key, "must not hold null");
      out->push_back(std::move(*s));
      return json::kOk;
    });
  }

  template <class T, class F>
  Err List(Value v, std::string_view key, std::optional<std::vector<T>>& out, F&& item) {
    if (json::IsNull(v)) {
      out.reset();
      return json::kOk;
    }
    if (json::TypeOf(v) != json_type::array) return Fail(key, "must be a list of objects");
    out.emplace();
    return json::ForEachElement(v, [&](Value x) {
      if (json::TypeOf(x) != json_type::object) return Fail(key, "must be a list of objects");
      out->emplace_back();
      return item(x, out->back());
    });
  }

  // Parses `body` as one JSON object and calls `field(key, value) -> Err` for each member.
  template <class T, class F>
  Result<T> Object(std::string_view body, bool empty_is_object, F&& field) {
    T out{};
    if (body.empty() && empty_is_object) return out;
    auto r = json::ParseRoot(body, "request body", [&](Value root) -> Err {
      if (json::TypeOf(root) != json_type::object) {
        problem_ = "the body must be a JSON object";
        return simdjson::INCORRECT_TYPE;
      }
      return json::ForEachField(root,
                                [&](std::string_view key, Value v) { return field(key, v, out); });
    });
    if (!r) {
      return esimgo::Fail(ErrorCode::kBadRequest,
                          problem_.empty() ? "the body is not valid JSON" : problem_);
    }
    return out;
  }

 private:
  bool strict_;
  std::string problem_;
};

bool IsAllowReassign(std::string_view key) {
  // The request schema says allowReassign; every response sends AllowReassign.
  return key == "allowReassign" || key == "AllowReassign";
}

}  // namespace

bool IsUtf8(std::string_view text) { return limits::Utf8Length(text).has_value(); }

Result<OrderBody> DecodeOrder(std::string_view body) {
  Reader r(false);
  return r.Object<OrderBody>(body, false, [&](std::string_view key, Value v, OrderBody& out) {
    if (key == "type") return r.String(v, key, out.type);
    if (key == "assign") return r.Bool(v, key, out.assign);
    if (key == "order" || key == "Order") {  // the schema says order; code samples send Order
      return r.List(v, key, out.order, [&](Value x, OrderItem& item) {
        return json::ForEachField(x, [&](std::string_view k, Value f) {
          if (k == "type") return r.String(f, k, item.type);
          if (k == "item") return r.String(f, k, item.item);
          if (k == "quantity") return r.Integer(f, k, item.quantity);
          if (k == "iccids") return r.StringList(f, k, item.iccids);
          if (IsAllowReassign(k)) return r.Bool(f, k, item.allow_reassign);
          return json::kOk;
        });
      });
    }
    return json::kOk;
  });
}

Result<ApplyBody> DecodeApply(std::string_view body) {
  Reader r(false);
  return r.Object<ApplyBody>(body, false, [&](std::string_view key, Value v, ApplyBody& out) {
    if (key == "iccid") return r.String(v, key, out.iccid);
    if (key == "name") return r.String(v, key, out.name);
    if (key == "repeat") return r.Integer(v, key, out.repeat);
    if (IsAllowReassign(key)) return r.Bool(v, key, out.allow_reassign);
    if (key == "bundles") {
      return r.List(v, key, out.bundles, [&](Value x, ApplyItem& item) {
        return json::ForEachField(x, [&](std::string_view k, Value f) {
          if (k == "name") return r.String(f, k, item.name);
          if (k == "repeat") return r.Integer(f, k, item.repeat);
          if (IsAllowReassign(k)) return r.Bool(f, k, item.allow_reassign);
          return json::kOk;
        });
      });
    }
    return json::kOk;
  });
}

Result<LegacyApplyBody> DecodeLegacyApply(std::string_view body) {
  Reader r(false);
  return r.Object<LegacyApplyBody>(body, false,
                                   [&](std::string_view key, Value v, LegacyApplyBody& out) {
                                     if (key == "name") return r.String(v, key, out.name);
                                     if (key == "startTime")
                                       return r.String(v, key, out.start_time);
                                     if (key == "repeat") return r.Integer(v, key, out.repeat);
                                     return json::kOk;
                                   });
}

Result<SmsBody> DecodeSms(std::string_view body) {
  Reader r(false);
  return r.Object<SmsBody>(body, false, [&](std::string_view key, Value v, SmsBody& out) {
    if (key == "message") return r.String(v, key, out.message);
    if (key == "from") return r.String(v, key, out.from);
    return json::kOk;
  });
}

Result<RefundBody> DecodeRefund(std::string_view body) {
  Reader r(false);
  return r.Object<RefundBody>(body, false, [&](std::string_view key, Value v, RefundBody& out) {
    if (key == "usageId") return r.Integer(v, key, out.usage_id);
    if (key == "quantity") return r.Integer(v, key, out.quantity);
    return json::kOk;
  });
}

Result<UpdateEsimBody> DecodeUpdateEsim(std::string_view body) {
  Reader r(false);
  return r.Object<UpdateEsimBody>(body, false,
                                  [&](std::string_view key, Value v, UpdateEsimBody& out) {
                                    if (key == "iccid") return r.String(v, key, out.iccid);
                                    if (key == "customerRef") {
                                      return r.String(v, key, out.customer_ref);
                                    }
                                    return json::kOk;
                                  });
}

Result<UsageBody> DecodeUsage(std::string_view body) {
  Reader r(true);
  return r.Object<UsageBody>(body, true, [&](std::string_view key, Value v, UsageBody& out) {
    if (key == "iccid") return r.String(v, key, out.iccid);
    if (key == "bytes") return r.Integer(v, key, out.bytes);
    if (key == "country") return r.String(v, key, out.country);
    return json::kOk;
  });
}

Result<ClockBody> DecodeClock(std::string_view body) {
  Reader r(true);
  return r.Object<ClockBody>(body, true, [&](std::string_view key, Value v, ClockBody& out) {
    if (key == "advanceSeconds") return r.Integer(v, key, out.advance_seconds);
    return json::kOk;
  });
}

Result<UrlBody> DecodeUrl(std::string_view body) {
  Reader r(true);
  return r.Object<UrlBody>(body, true, [&](std::string_view key, Value v, UrlBody& out) {
    if (key == "url") return r.String(v, key, out.url);
    return json::kOk;
  });
}

Result<FaultsBody> DecodeFaults(std::string_view body) {
  Reader r(true);
  return r.Object<FaultsBody>(body, true, [&](std::string_view key, Value v, FaultsBody& out) {
    if (key == "spec") return r.String(v, key, out.spec);
    return json::kOk;
  });
}

Result<SuspendBody> DecodeSuspend(std::string_view body) {
  Reader r(false);
  return r.Object<SuspendBody>(body, false, [&](std::string_view key, Value v, SuspendBody& out) {
    if (key == "suspend") return r.Bool(v, key, out.suspend);
    return json::kOk;
  });
}

Result<FlagBody> DecodeFlag(std::string_view body, std::string_view flag) {
  Reader r(true);
  return r.Object<FlagBody>(body, true, [&](std::string_view key, Value v, FlagBody& out) {
    if (key == flag) return r.Bool(v, key, out.value);
    return json::kOk;
  });
}

}  // namespace esimgo::sandbox::wire
