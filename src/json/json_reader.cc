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
  simdjson::ondemand::document doc;
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

Err IterateRoot(std::string_view body, simdjson::ondemand::document*& doc) {
  ThreadState& st = State();
  const size_t needed = body.size() + simdjson::SIMDJSON_PADDING;
  if (st.capacity < needed) {
    // Grow geometrically so a stream of growing bodies does not reallocate every time.
    st.capacity = std::max(needed, st.capacity * 2);
    st.buffer = std::make_unique<char[]>(st.capacity);
  }
  std::copy(body.begin(), body.end(), st.buffer.get());
  std::fill_n(st.buffer.get() + body.size(), simdjson::SIMDJSON_PADDING, '\0');
  if (auto e = st.parser.iterate(st.buffer.get(), body.size(), st.capacity).get(st.doc)) return e;
  doc = &st.doc;
  return kOk;
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
