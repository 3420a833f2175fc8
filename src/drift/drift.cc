#include "esimgo/drift.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "drift/schema.h"

namespace esimgo::drift {
namespace {

using internal::FieldSpec;
using internal::kNone;
using internal::NodeSpec;
using Element = simdjson::dom::element;
using Err = simdjson::error_code;

// A body of drift is a symptom, not the cure: past this many findings the rest is noise, and a
// hostile answer must not make the check allocate without bound.
constexpr size_t kMaxFindings = 1000;
// Enum values quoted in a detail are cut here (a secret might hide in an unexpected value).
constexpr size_t kMaxQuoted = 40;

std::string_view TypeName(uint8_t bit) {
  switch (bit) {
    case internal::kTypeString:
      return "string";
    case internal::kTypeInteger:
      return "integer";
    case internal::kTypeNumber:
      return "number";
    case internal::kTypeBoolean:
      return "boolean";
    case internal::kTypeObject:
      return "object";
    case internal::kTypeArray:
      return "array";
    case internal::kTypeNull:
      return "null";
  }
  return "?";
}

// "string or integer"
std::string TypesText(uint8_t types) {
  std::string out;
  for (uint8_t bit = 1; bit != 0 && bit <= internal::kTypeNull;
       bit = static_cast<uint8_t>(bit << 1)) {
    if (!(types & bit)) continue;
    // "integer or number" says no more than "number".
    if (bit == internal::kTypeInteger && (types & internal::kTypeNumber)) continue;
    if (!out.empty()) out += " or ";
    out += TypeName(bit);
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool IsIdentifier(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '$';
    if (!ok) return false;
  }
  return !(key[0] >= '0' && key[0] <= '9');
}

// At most `max` bytes of `s`, never ending inside a UTF-8 sequence (simdjson has validated
// the text, so reports stay valid UTF-8).
std::string_view CutUtf8(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

constexpr size_t kMaxKey = 64;

// Appends `.key`, or `["key"]` when the key is not a plain identifier or is longer than 64
// bytes (escaped, and cut so that a hostile key cannot make paths huge).
void AppendKey(std::string& path, std::string_view key) {
  if (key.size() <= kMaxKey && IsIdentifier(key)) {
    path += '.';
    path += key;
    return;
  }
  path += "[\"";
  const std::string_view cut = CutUtf8(key, kMaxKey);
  for (char c : cut) {
    if (c == '"' || c == '\\') {
      path += '\\';
      path += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      path += '?';
    } else {
      path += c;
    }
  }
  if (cut.size() < key.size()) path += "…";
  path += "\"]";
}

class Walker {
 public:
  explicit Walker(std::vector<Drift>& out) : out_(out) {}

  // Where a value is: its key or index and its parent's frame (null: the root). Frames live
  // on the walk's stack, so locating a value costs no allocation; the path is rendered only
  // for a finding (most answers have none: building it for every value made a check of a
  // 2.2 MB catalogue page 25 % slower).
  struct Frame {
    const Frame* up;
    std::string_view key;  // null data(): an array element at `index`
    size_t index;
  };

  void Walk(Element v, uint16_t node_index, const Frame* at) {
    const NodeSpec* node = &internal::Nodes()[node_index];
    const uint8_t bit = BitOf(v);
    // The YAML's shape beside the live one (a bare array beside the wrapper object).
    if (!Accepts(*node, bit) && node->alt != kNone && Accepts(internal::Nodes()[node->alt], bit)) {
      node = &internal::Nodes()[node->alt];
    }
    if (!Accepts(*node, bit)) {
      uint8_t expected = node->types;
      if (node->alt != kNone) expected |= internal::Nodes()[node->alt].types;
      Add(at, DriftKind::kTypeMismatch,
          std::string(bit == internal::kTypeNumber ? "fractional number" : TypeName(bit)) +
              " where " + TypesText(expected) + " expected");
      return;
    }
    if (node->open) return;
    switch (bit) {
      case internal::kTypeObject:
        return WalkObject(v, *node, at);
      case internal::kTypeArray:
        return WalkArray(v, *node, at);
      case internal::kTypeString:
        return CheckEnum(v, *node, at);
      default:
        return;
    }
  }

 private:
  bool Full() const { return out_.size() >= kMaxFindings; }

  static uint8_t BitOf(Element v) {
    switch (v.type()) {
      case simdjson::dom::element_type::STRING:
        return internal::kTypeString;
      case simdjson::dom::element_type::BOOL:
        return internal::kTypeBoolean;
      case simdjson::dom::element_type::NULL_VALUE:
        return internal::kTypeNull;
      case simdjson::dom::element_type::INT64:
      case simdjson::dom::element_type::UINT64:
        return internal::kTypeInteger;
      case simdjson::dom::element_type::DOUBLE: {
        // 5.0 and 1e3 are integers to the SDK's readers: so they are here.
        double d = v.get_double().value_unsafe();
        return std::isfinite(d) && std::floor(d) == d ? internal::kTypeInteger
                                                      : internal::kTypeNumber;
      }
      case simdjson::dom::element_type::OBJECT:
        return internal::kTypeObject;
      case simdjson::dom::element_type::ARRAY:
        return internal::kTypeArray;
    }
    return 0;
  }

  static bool Accepts(const NodeSpec& node, uint8_t bit) {
    if (node.types & bit) return true;
    // An integral number is a number too.
    return bit == internal::kTypeInteger && (node.types & internal::kTypeNumber);
  }

  void WalkObject(Element v, const NodeSpec& node, const Frame* at) {
    auto fields = internal::Fields().subspan(node.first_field, node.field_count);
    // Required fields seen, by index: a node has at most 64 fields (the generator checks it).
    uint64_t seen = 0;
    for (auto [key, child] : simdjson::dom::object(v)) {
      if (Full()) return;
      auto it = std::lower_bound(fields.begin(), fields.end(), key, internal::FieldBefore);
      const Frame here{at, key, 0};
      if (it == fields.end() || !internal::SameName(it->name, key)) {
        // Never the value: an unknown field may hold anything, a secret included.
        Add(&here, DriftKind::kUnknownField, "not in the SDK's model or the API's schema");
      } else {
        seen |= uint64_t{1} << static_cast<size_t>(it - fields.begin());
        // Optional fields may be null: the live API sends `"endTime": null`, `"speed": null`.
        if (!(child.is_null() && !it->required)) Walk(child, it->node, &here);
      }
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].required && !(seen & (uint64_t{1} << i))) {
        const Frame missing{at, fields[i].name, 0};
        Add(&missing, DriftKind::kMissingField, "always sent by the API and expected by the SDK");
      }
    }
  }

  void WalkArray(Element v, const NodeSpec& node, const Frame* at) {
    if (node.items == kNone) return;
    size_t index = 0;
    for (Element x : simdjson::dom::array(v)) {
      if (Full()) return;
      const Frame here{at, {}, index++};
      Walk(x, node.items, &here);
    }
  }

  void CheckEnum(Element v, const NodeSpec& node, const Frame* at) {
    if (node.enum_count == 0) return;
    std::string_view s = v.get_string().value_unsafe();
    auto values = internal::EnumValues().subspan(node.first_enum, node.enum_count);
    for (std::string_view known : values) {
      // The SDK parses enumerations case-insensitively (reference §7.18): so does the check.
      if (EqualsIgnoreCase(s, known)) return;
    }
    std::string detail = "\"";
    detail += CutUtf8(s, kMaxQuoted);
    if (s.size() > kMaxQuoted) detail += "…";
    detail += "\" is not one of ";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) detail += ", ";
      detail += values[i];
    }
    Add(at, DriftKind::kUnknownEnum, std::move(detail));
  }

  void Add(const Frame* at, DriftKind kind, std::string detail) {
    if (Full()) return;
    if (out_.size() + 1 == kMaxFindings) detail += " (and possibly more: the check stops here)";
    std::vector<const Frame*> chain;
    for (const Frame* f = at; f != nullptr; f = f->up) chain.push_back(f);
    std::string path = "$";
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      if ((*it)->key.data() != nullptr) {
        AppendKey(path, (*it)->key);
      } else {
        path += '[';
        path += std::to_string((*it)->index);
        path += ']';
      }
    }
    out_.push_back({std::move(path), kind, std::move(detail)});
  }

  std::vector<Drift>& out_;
};

// simdjson's DOM rejects integers beyond 64 bits, which the live API may send (a 20-digit
// ICCID as a number) and the SDK reads as digits. Blanks each such integer to `0` plus spaces
// (the same length) so that the parse goes through and the value stays an integer. Strings
// are skipped; anything else is left for the parser to judge. True if anything changed.
bool NeutraliseBigIntegers(std::string& text, size_t size) {
  bool changed = false;
  bool in_string = false;
  for (size_t i = 0; i < size; ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c != '-' && (c < '0' || c > '9')) continue;
    const size_t start = i;
    size_t j = c == '-' ? i + 1 : i;
    const size_t first_digit = j;
    while (j < size && text[j] >= '0' && text[j] <= '9') ++j;
    const bool plain = j == size || (text[j] != '.' && text[j] != 'e' && text[j] != 'E');
    if (plain && j - first_digit >= 20 && text[first_digit] != '0') {
      text[start] = '0';
      for (size_t k = start + 1; k < j; ++k) text[k] = ' ';
      changed = true;
    }
    i = j == start ? start : j - 1;
  }
  return changed;
}

const internal::RootSpec* FindRoot(std::string_view operation, ApiVersion version) {
  for (const auto& root : internal::Roots()) {
    if (root.version == version && root.operation == operation) return &root;
  }
  return nullptr;
}

}  // namespace

std::string_view ToString(DriftKind kind) noexcept {
  switch (kind) {
    case DriftKind::kUnknownField:
      return "unknown_field";
    case DriftKind::kMissingField:
      return "missing_field";
    case DriftKind::kTypeMismatch:
      return "type_mismatch";
    case DriftKind::kUnknownEnum:
      return "unknown_enum";
  }
  return "unknown";
}

std::vector<std::string_view> Operations(ApiVersion version) {
  std::vector<std::string_view> out;
  for (const auto& root : internal::Roots()) {
    if (root.version == version) out.push_back(root.operation);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<Drift>> Check(std::string_view operation, ApiVersion version,
                                 std::string_view body) {
  const internal::RootSpec* root_spec = FindRoot(operation, version);
  if (root_spec == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                "drift check: \"" + std::string(operation.substr(0, 100)) +
                    "\" is not an operation with a JSON answer on API v" +
                    std::string(ApiVersionName(version)) +
                    " (expected a method and a path template such as \"GET /esims/{iccid}\"; "
                    "drift::Operations lists the " +
                    std::to_string(Operations(version).size()) + " known ones)");
  }
  // Each thread parses with its own parser and padded copy: Check runs on whichever thread
  // made the call. The DOM validates the whole body, trailing bytes included, before the walk.
  thread_local simdjson::dom::parser parser;
  thread_local std::string buffer;
  buffer.assign(body);
  buffer.append(simdjson::SIMDJSON_PADDING, '\0');
  Element root;
  Err e = parser.parse(buffer.data(), body.size(), false).get(root);
  if (e == simdjson::NUMBER_ERROR && NeutraliseBigIntegers(buffer, body.size())) {
    e = parser.parse(buffer.data(), body.size(), false).get(root);
  }
  if (e) {
    return Fail(ErrorCode::kDecode, "drift check of " + std::string(operation) +
                                        ": the body is not well-formed JSON (" +
                                        simdjson::error_message(e) + "); nothing was checked");
  }
  std::vector<Drift> out;
  Walker(out).Walk(root, root_spec->node, nullptr);
  return out;
}

}  // namespace esimgo::drift
