#pragma once
// The descriptor tables drift detection walks (docs/adr/0010-drift-detection.md): one tree of
// nodes per operation and API version, generated into schema_tables.cc by
// scripts/gen_drift_schema.py from the YAML of each version and src/drift/live_overlay.yaml.

#include <cstdint>
#include <span>
#include <string_view>

#include "esimgo/options.h"

namespace esimgo::drift::internal {

// The JSON types a node accepts (a bit set). kTypeNumber accepts any number, kTypeInteger only
// integral ones (5 and 5.0, not 5.5). The same values as the generator's BITS.
enum TypeBits : uint8_t {
  kTypeString = 1,
  kTypeInteger = 2,
  kTypeNumber = 4,
  kTypeBoolean = 8,
  kTypeObject = 16,
  kTypeArray = 32,
  kTypeNull = 64,
};

inline constexpr uint16_t kNone = 0xFFFF;

// One known field of an object node. Fields of a node are sorted by name length, then by name
// bytes: a lookup then compares bytes only of names as long as the key (FieldBefore).
struct FieldSpec {
  std::string_view name;
  uint16_t node;  // index into Nodes()
  bool required;  // reported as missing when absent
};

struct NodeSpec {
  uint8_t types;         // TypeBits accepted
  bool open;             // an object whose fields are not checked (untyped in the YAML), or any
  uint16_t first_field;  // into Fields(), for objects
  uint16_t field_count;
  uint16_t items;       // the node of array elements, or kNone
  uint16_t first_enum;  // into EnumValues(): the known values of an enumerated string
  uint16_t enum_count;  // 0 = any string
  // Another shape the SDK reads too (the YAML's bare array beside the live wrapper object):
  // used when the value's JSON type is not one of `types` but one of the alternative's.
  uint16_t alt;
};

struct RootSpec {
  std::string_view operation;  // "GET /esims/{iccid}"
  ApiVersion version;
  uint16_t node;
};

// The order of a node's fields: true if `field` sorts before `key`.
inline bool FieldBefore(const FieldSpec& field, std::string_view key) {
  if (field.name.size() != key.size()) return field.name.size() < key.size();
  // Names are short: a loop beats a call into memcmp here.
  for (size_t i = 0; i < key.size(); ++i) {
    if (field.name[i] != key[i]) {
      return static_cast<unsigned char>(field.name[i]) < static_cast<unsigned char>(key[i]);
    }
  }
  return false;
}

inline bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

std::span<const FieldSpec> Fields();
std::span<const NodeSpec> Nodes();
std::span<const RootSpec> Roots();  // sorted by version, then operation
std::span<const std::string_view> EnumValues();

}  // namespace esimgo::drift::internal
