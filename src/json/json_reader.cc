#include "json/json_reader.h"

#include <charconv>
#include <cmath>
#include <memory>

namespace esimgo::internal::json {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// The exact text of a scalar token (a number keeps every digit).
Err RawToken(Value v, std::string_view& out) {
  out = Trim(v.raw_json_token());  // a plain string_view in simdjson 3.0
  return kOk;
}

bool ParseInt64(std::string_view s, int64_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec == std::errc() && p == s.data() + s.size()) return true;
  // 1e3, 5.0: accept when the value is integral and in range.
  double d = 0;
  auto [p2, ec2] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec2 != std::errc() || p2 != s.data() + s.size()) return false;
  if (!std::isfinite(d) || std::floor(d) != d || std::fabs(d) > 9.2e18) return false;
  out = static_cast<int64_t>(d);
  return true;
}

struct ThreadState {
  simdjson::ondemand::parser parser;
  std::unique_ptr<char[]> buffer;
  size_t capacity = 0;
  size_t size = 0;  // of the body being decoded
  simdjson::ondemand::document doc;
  simdjson::dom::parser dom;
};

ThreadState& State() {
  thread_local ThreadState state;
  return state;
}

}  // namespace

Err Read(Value v, std::string& out) {
  using simdjson::ondemand::json_type;
  // The common case first: a failed get_string() consumes nothing, so the other types can
  // still be read below.
  std::string_view s;
  const Err first = v.get_string().get(s);
  if (!first) {
    out.assign(s);
    return kOk;
  }
  if (first != simdjson::INCORRECT_TYPE) return first;
  json_type t{};
  if (auto e = v.type().get(t)) return e;
  switch (t) {
    case json_type::number:
    case json_type::boolean: {
      std::string_view raw;
      if (auto e = RawToken(v, raw)) return e;
      out.assign(raw);
      return kOk;
    }
    case json_type::null:
      out.clear();
      return kOk;
    default:
      return simdjson::INCORRECT_TYPE;
  }
}

Err Read(Value v, int64_t& out) {
  using simdjson::ondemand::json_type;
  json_type t{};
  if (auto e = v.type().get(t)) return e;
  std::string_view raw;
  if (t == json_type::number) {
    if (auto e = RawToken(v, raw)) return e;
  } else if (t == json_type::string) {
    if (auto e = v.get_string().get(raw)) return e;
  } else if (t == json_type::null) {
    out = 0;
    return kOk;
  } else {
    return simdjson::INCORRECT_TYPE;
  }
  return ParseInt64(raw, out) ? kOk : simdjson::NUMBER_ERROR;
}

Err Read(Value v, int& out) {
  int64_t wide = 0;
  if (auto e = Read(v, wide)) return e;
  if (wide < INT32_MIN || wide > INT32_MAX) return simdjson::NUMBER_OUT_OF_RANGE;
  out = static_cast<int>(wide);
  return kOk;
}

Err Read(Value v, double& out) {
  using simdjson::ondemand::json_type;
  json_type t{};
  if (auto e = v.type().get(t)) return e;
  std::string_view raw;
  if (t == json_type::number) {
    if (auto e = RawToken(v, raw)) return e;
  } else if (t == json_type::string) {
    if (auto e = v.get_string().get(raw)) return e;
  } else if (t == json_type::null) {
    out = 0;
    return kOk;
  } else {
    return simdjson::INCORRECT_TYPE;
  }
  auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), out);
  return ec == std::errc() && p == raw.data() + raw.size() ? kOk : simdjson::NUMBER_ERROR;
}

Err Read(Value v, bool& out) {
  using simdjson::ondemand::json_type;
  json_type t{};
  if (auto e = v.type().get(t)) return e;
  switch (t) {
    case json_type::boolean:
      return v.get_bool().get(out);
    case json_type::string: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return e;
      if (EqualsIgnoreCase(s, "true") || s == "1" || EqualsIgnoreCase(s, "yes")) {
        out = true;
      } else if (EqualsIgnoreCase(s, "false") || s == "0" || EqualsIgnoreCase(s, "no") ||
                 s.empty()) {
        out = false;
      } else {
        return simdjson::INCORRECT_TYPE;
      }
      return kOk;
    }
    case json_type::number: {
      int64_t n = 0;
      if (auto e = Read(v, n)) return e;
      out = n != 0;
      return kOk;
    }
    case json_type::null:
      out = false;
      return kOk;
    default:
      return simdjson::INCORRECT_TYPE;
  }
}

Err Read(Value v, Money& out) {
  using simdjson::ondemand::json_type;
  json_type t{};
  if (auto e = v.type().get(t)) return e;
  std::string_view raw;
  if (t == json_type::number) {
    if (auto e = RawToken(v, raw)) return e;
  } else if (t == json_type::string) {
    if (auto e = v.get_string().get(raw)) return e;
  } else if (t == json_type::null) {
    out = Money();
    return kOk;
  } else {
    return simdjson::INCORRECT_TYPE;
  }
  auto m = Money::Parse(raw);
  if (!m) return simdjson::NUMBER_ERROR;
  out = *m;
  return kOk;
}

Err Read(Value v, Timestamp& out) {
  std::string s;
  if (auto e = Read(v, s)) return e;
  out = Timestamp::Parse(s);
  return kOk;
}

namespace {
// Copies `body` into the thread's padded buffer.
ThreadState& CopyPadded(std::string_view body) {
  ThreadState& st = State();
  const size_t needed = body.size() + simdjson::SIMDJSON_PADDING;
  if (st.capacity < needed) {
    // Grow geometrically so a stream of growing bodies does not reallocate every time.
    st.capacity = std::max(needed, st.capacity * 2);
    st.buffer = std::make_unique<char[]>(st.capacity);
  }
  std::copy(body.begin(), body.end(), st.buffer.get());
  st.size = body.size();
  std::fill_n(st.buffer.get() + body.size(), simdjson::SIMDJSON_PADDING, '\0');
  return st;
}
}  // namespace

Err IterateRoot(std::string_view body, simdjson::ondemand::document*& doc) {
  ThreadState& st = CopyPadded(body);
  if (auto e = st.parser.iterate(st.buffer.get(), body.size(), st.capacity).get(st.doc)) return e;
  doc = &st.doc;
  return kOk;
}

size_t BytesToEnd(Value v) {
  const ThreadState& st = State();
  const auto at = reinterpret_cast<uintptr_t>(v.raw_json_token().data());
  const auto begin = reinterpret_cast<uintptr_t>(st.buffer.get());
  return at >= begin && at <= begin + st.size ? begin + st.size - at : 0;
}

// ---- DOM readers: each fails wherever the on-demand reader might answer differently -------
namespace {
using simdjson::dom::element_type;

// Shortest round-trip text of a double with at most 15 significant digits: then it has the
// same decimal value as the JSON text it was parsed from. Empty otherwise.
std::string_view ShortDouble(double d, char (&buf)[32]) {
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
  if (ec != std::errc()) return {};
  int digits = 0;
  bool leading = true;
  for (const char* c = buf; c < p; ++c) {
    if (*c == 'e' || *c == 'E') break;
    if (*c < '0' || *c > '9') continue;
    if (leading && *c == '0') continue;
    leading = false;
    ++digits;
  }
  return digits <= 15 ? std::string_view(buf, static_cast<size_t>(p - buf)) : std::string_view();
}
}  // namespace

Err Read(Element v, std::string& out) {
  switch (v.type()) {
    case element_type::STRING: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return e;
      out.assign(s);
      return kOk;
    }
    case element_type::BOOL:
      out.assign(v.get_bool().value_unsafe() ? "true" : "false");
      return kOk;
    case element_type::NULL_VALUE:
      out.clear();
      return kOk;
    default:  // a number's raw digits are only known on demand
      return simdjson::INCORRECT_TYPE;
  }
}

Err Read(Element v, int64_t& out) {
  switch (v.type()) {
    case element_type::INT64:
      out = v.get_int64().value_unsafe();
      return kOk;
    case element_type::STRING: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return e;
      return ParseInt64(s, out) ? kOk : simdjson::NUMBER_ERROR;
    }
    case element_type::NULL_VALUE:
      out = 0;
      return kOk;
    default:
      return simdjson::INCORRECT_TYPE;
  }
}

Err Read(Element v, int& out) {
  int64_t wide = 0;
  if (auto e = Read(v, wide)) return e;
  if (wide < INT32_MIN || wide > INT32_MAX) return simdjson::NUMBER_OUT_OF_RANGE;
  out = static_cast<int>(wide);
  return kOk;
}

Err Read(Element v, double& out) {
  switch (v.type()) {
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return v.get_double().get(out);
    case element_type::STRING: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return e;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      return ec == std::errc() && p == s.data() + s.size() ? kOk : simdjson::NUMBER_ERROR;
    }
    case element_type::NULL_VALUE:
      out = 0;
      return kOk;
    default:
      return simdjson::INCORRECT_TYPE;
  }
}

Err Read(Element v, bool& out) {
  switch (v.type()) {
    case element_type::BOOL:
      out = v.get_bool().value_unsafe();
      return kOk;
    case element_type::STRING: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return e;
      if (EqualsIgnoreCase(s, "true") || s == "1" || EqualsIgnoreCase(s, "yes")) {
        out = true;
      } else if (EqualsIgnoreCase(s, "false") || s == "0" || EqualsIgnoreCase(s, "no") ||
                 s.empty()) {
        out = false;
      } else {
        return simdjson::INCORRECT_TYPE;
      }
      return kOk;
    }
    case element_type::INT64:
      out = v.get_int64().value_unsafe() != 0;
      return kOk;
    case element_type::NULL_VALUE:
      out = false;
      return kOk;
    default:
      return simdjson::INCORRECT_TYPE;
  }
}

Err Read(Element v, Money& out) {
  char buf[32];
  std::string_view text;
  switch (v.type()) {
    case element_type::INT64: {
      auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v.get_int64().value_unsafe());
      if (ec != std::errc()) return simdjson::NUMBER_ERROR;
      text = std::string_view(buf, static_cast<size_t>(p - buf));
      break;
    }
    case element_type::DOUBLE: {
      const double d = v.get_double().value_unsafe();
      // Fast path: when d is the double nearest to a whole number of millionths r below 1e9
      // (15 significant digits at most), the JSON text has that decimal value, so the amount
      // is r micros: exactly what Money::Parse of the shortest text gives, without formatting.
      if (std::fabs(d) < 1e9) {
        const auto r = static_cast<int64_t>(std::llround(d * 1e6));
        if (static_cast<double>(r) / 1e6 == d) {
          out = Money::FromMicros(r);
          return kOk;
        }
      }
      text = ShortDouble(d, buf);
      if (text.empty()) return simdjson::NUMBER_ERROR;
      break;
    }
    case element_type::STRING:
      if (auto e = v.get_string().get(text)) return e;
      break;
    case element_type::NULL_VALUE:
      out = Money();
      return kOk;
    default:
      return simdjson::INCORRECT_TYPE;
  }
  auto m = Money::Parse(text);
  if (!m) return simdjson::NUMBER_ERROR;
  out = *m;
  return kOk;
}

Err Read(Element v, Timestamp& out) {
  std::string_view s;
  if (v.type() == element_type::STRING) {
    if (auto e = v.get_string().get(s)) return e;
  } else if (v.type() != element_type::NULL_VALUE) {
    return simdjson::INCORRECT_TYPE;  // epoch-ms digits are read on demand
  }
  out = Timestamp::Parse(s);
  return kOk;
}

Err ParseDom(std::string_view body, Element& root) {
  ThreadState& st = CopyPadded(body);
  return st.dom.parse(st.buffer.get(), body.size(), false).get(root);
}

Error DecodeError(std::string_view what, Err e, std::string_view body) {
  Error err;
  err.code = ErrorCode::kDecode;
  std::string snippet(body.substr(0, 120));
  for (char& c : snippet) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  err.message = std::string("could not decode ") + std::string(what) + ": " +
                simdjson::error_message(e) + (body.empty() ? " (empty body)" : "") +
                (snippet.empty() ? "" : "; body starts with: " + snippet);
  return err;
}

}  // namespace esimgo::internal::json
