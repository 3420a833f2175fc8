#pragma once
// Tolerant JSON decoding on simdjson on-demand: the one decode boundary of the SDK.
// Readers return a simdjson error code; `DecodeBody` turns it into an `Error` once.

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "esimgo/result.h"
#include "esimgo/types.h"

namespace esimgo::internal::json {

using Value = simdjson::ondemand::value;
using Err = simdjson::error_code;
inline constexpr Err kOk = simdjson::SUCCESS;

// Strings, also from a JSON number (a 20-digit ICCID keeps its raw digits), bool or null.
Err Read(Value v, std::string& out);
// Integers, from a number (1e3 and 5.0 accepted when integral) or a numeric string.
Err Read(Value v, int64_t& out);
Err Read(Value v, int& out);
Err Read(Value v, double& out);
// Booleans, also from "true"/"false" strings and 0/1.
Err Read(Value v, bool& out);
// Money from an int, a float or a numeric string, through its digits.
Err Read(Value v, Money& out);
// ISO-8601 with 0–9 fractional digits, date-only, or epoch-ms as a number or string.
Err Read(Value v, Timestamp& out);

// The key of `field` as it appears in the input (no copy), or empty when it holds an escape
// (or is empty) and must be unescaped. The parse buffer is padded with NULs, so the scan ends
// inside it even on malformed input.
inline std::string_view RawKey(simdjson::ondemand::field& field) {
  const char* p = field.key().raw();
  const char* q = p;
  while (*q != '"' && *q != '\\' && *q != '\0') ++q;
  return *q == '"' ? std::string_view(p, static_cast<size_t>(q - p)) : std::string_view();
}

// Calls `f(std::string_view key, Value value) -> Err` for every field of an object. Keys are
// compared in place (an inline scan of a few bytes beats a call into simdjson's unescaper).
template <class F>
Err ForEachField(Value v, F&& f) {
  simdjson::ondemand::object obj;
  if (auto e = v.get_object().get(obj)) return e;
  for (auto result : obj) {
    simdjson::ondemand::field field;
    if (auto e = std::move(result).get(field)) return e;
    std::string_view key = RawKey(field);
    if (key.empty()) {
      if (auto e = field.unescaped_key().get(key)) return e;
    }
    if (auto e = f(key, std::move(field).value())) return e;
  }
  return kOk;
}

// Calls `f(Value element) -> Err` for every element of an array.
template <class F>
Err ForEachElement(Value v, F&& f) {
  simdjson::ondemand::array arr;
  if (auto e = v.get_array().get(arr)) return e;
  for (auto element : arr) {
    Value x;
    if (auto e = element.get(x)) return e;
    if (auto e = f(x)) return e;
  }
  return kOk;
}

// True if the value is JSON null (consumes nothing otherwise).
inline bool IsNull(Value v) {
  simdjson::ondemand::json_type t;
  return !v.type().get(t) && t == simdjson::ondemand::json_type::null;
}

inline simdjson::ondemand::json_type TypeOf(Value v) {
  simdjson::ondemand::json_type t{};
  (void)v.type().get(t);
  return t;
}

// ---- DOM readers ------------------------------------------------------------------------
// The same tolerant readers over simdjson's DOM, whose stage 2 runs in libsimdjson's runtime-
// dispatched kernel (icelake/haswell): decoding a whole large response that way is about
// twice as fast as walking it on demand (docs/performance.md). A codec opts in by declaring
// `Decode(json::Element, T&)` too; `DecodeBody<T>` then tries the DOM first. Whenever a DOM
// reader cannot give exactly what the on-demand reader would (a number read as a string, a
// non-integral number read as an integer…), it fails, and `DecodeBody` decodes the body again
// on demand. Both paths give the same result or the same error, with one documented exception
// (docs/adr/0003): a price with more than 17 significant digits is rounded by the DOM path's
// double and rejected by the on-demand path.
using Element = simdjson::dom::element;

Err Read(Element v, std::string& out);
Err Read(Element v, int64_t& out);
Err Read(Element v, int& out);
Err Read(Element v, double& out);
Err Read(Element v, bool& out);
Err Read(Element v, Money& out);
Err Read(Element v, Timestamp& out);

template <class F>
Err ForEachField(Element v, F&& f) {
  simdjson::dom::object obj;
  if (auto e = v.get_object().get(obj)) return e;
  for (auto field : obj) {
    if (auto e = f(field.key, field.value)) return e;
  }
  return kOk;
}

template <class F>
Err ForEachElement(Element v, F&& f) {
  simdjson::dom::array arr;
  if (auto e = v.get_array().get(arr)) return e;
  for (Element x : arr) {
    if (auto e = f(x)) return e;
  }
  return kOk;
}

inline bool IsNull(Element v) { return v.is_null(); }
inline bool IsArray(Element v) { return v.type() == simdjson::dom::element_type::ARRAY; }
inline bool IsArray(Value v) { return TypeOf(v) == simdjson::ondemand::json_type::array; }

template <class T>
Err Read(Element v, std::vector<T>& out);

// Parses `body` into this thread's DOM parser (reusing the padded buffer of `IterateRoot`).
Err ParseDom(std::string_view body, Element& root);

// How many bytes of this thread's document (the body being decoded by `ParseRoot`) lie from
// the start of `v` to its end: an upper bound of the size of `v`'s JSON, for reserving a large
// array before reading it. 0 if `v` does not belong to that document.
size_t BytesToEnd(Value v);

// Vectors of anything with a `Read`/`Decode` overload; null reads as empty.
template <class T>
Err Read(Value v, std::vector<T>& out);

}  // namespace esimgo::internal::json

namespace esimgo {
// Model codecs declare `json::Err Decode(json::Value, T&)` overloads in namespace esimgo,
// beside the models, so that the generic readers below find them by argument-dependent
// lookup. They are declared only in src/model/*.h: not part of the public API.
namespace internal {
template <class T>
concept HasDecode = requires(json::Value v, T& t) {
  { Decode(v, t) } -> std::same_as<json::Err>;
};
// A model whose codec also declares `Decode(json::Element, T&)` is decoded through the DOM
// first (see DecodeBody); so far only the catalogue (a 5,000-bundle page is 2 MB).
template <class T>
concept HasDomDecode = requires(json::Element v, T& t) {
  { Decode(v, t) } -> std::same_as<json::Err>;
};
}  // namespace internal
}  // namespace esimgo

namespace esimgo::internal::json {

template <class T>
Err ReadAny(Value v, T& out) {
  if constexpr (esimgo::internal::HasDecode<T>) {
    return Decode(v, out);
  } else {
    return Read(v, out);
  }
}

template <class T>
Err ReadAny(Element v, T& out) {
  if constexpr (esimgo::internal::HasDomDecode<T>) {
    return Decode(v, out);
  } else {
    return Read(v, out);
  }
}

template <class T>
Err Read(Element v, std::vector<T>& out) {
  out.clear();
  if (IsNull(v)) return kOk;
  simdjson::dom::array arr;
  if (auto e = v.get_array().get(arr)) return e;
  out.reserve(arr.size());  // the DOM knows the count (saturates at 0xFFFFFF: then it grows)
  for (Element x : arr) {
    out.emplace_back();
    if (auto e = ReadAny(x, out.back())) return e;
  }
  return kOk;
}

template <class T>
Err Read(Value v, std::vector<T>& out) {
  out.clear();
  if (IsNull(v)) return kOk;
  return ForEachElement(v, [&](Value x) {
    // Most API lists are short (speed ["4G","5G"], a country or two): one allocation, not
    // two or three; an empty list allocates nothing.
    if (out.capacity() == 0) out.reserve(4);
    out.emplace_back();
    return ReadAny(x, out.back());
  });
}

// Parses `body` (copied into a reusable padded thread-local buffer) and hands the root
// value to `f(Value root) -> Err`. Turns any failure into kDecode naming `what`.
template <class F>
Result<void> ParseRoot(std::string_view body, std::string_view what, F&& f);

// The padded copy + parse, shared by all ParseRoot instantiations.
Err IterateRoot(std::string_view body, simdjson::ondemand::document*& doc);
Error DecodeError(std::string_view what, Err e, std::string_view body);

template <class F>
Result<void> ParseRoot(std::string_view body, std::string_view what, F&& f) {
  simdjson::ondemand::document* doc = nullptr;
  Err e = IterateRoot(body, doc);
  if (!e) {
    Value root;
    e = doc->get_value().get(root);
    if (!e) e = f(root);
  }
  if (e) return tl::unexpected(DecodeError(what, e, body));
  return {};
}

// Decodes a whole body into `T` with its `Decode` overload.
template <class T>
Result<T> DecodeBody(std::string_view body, std::string_view what) {
  if constexpr (esimgo::internal::HasDomDecode<T>) {
    T out{};
    Element root;
    if (!ParseDom(body, root) && !Decode(root, out)) return out;
    // Anything the DOM path could not decode exactly is decoded (or rejected) on demand.
  }
  T out{};
  auto r = ParseRoot(body, what, [&](Value root) { return ReadAny(root, out); });
  if (!r) return tl::unexpected(r.error());
  return out;
}

}  // namespace esimgo::internal::json
