#pragma once
/// @file field.h
/// The machinery behind the CLI's one description per model (fields.h): a `Field<T>` names a
/// member once — its snake_case JSON name, its human label, how it reads — and `ToJson`,
/// `RecordOf` and `TableOf` generate `-o json`, the key/value view and the list columns from
/// the same list. A new SDK field is one line in fields.h and appears in all three.

#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "json.h"
#include "output.h"
#include "units.h"

namespace esimgo::cli {

/// Where a field is shown besides `-o json` (which shows every field).
enum FieldView : unsigned {
  kJsonOnly = 0,
  kRecord = 1,  ///< A line of the key/value view (`show` commands).
  kColumn = 2,  ///< A column of the list table.
  kBoth = kRecord | kColumn,
};

template <class T>
struct Field {
  std::string_view name;             ///< snake_case JSON key (stable, documented in docs/cli.md).
  std::string_view label;            ///< Record label; the column header is its upper case.
  Json (*json)(const T&) = nullptr;  ///< The exact value for `-o json`.
  std::string (*text)(const T&) = nullptr;  ///< Human text with units (records, columns).
  unsigned views = kJsonOnly;
  bool (*present)(const T&) = nullptr;      ///< nullptr = always; else omitted when false.
  std::string (*cell)(const T&) = nullptr;  ///< Shorter column text; nullptr = `text`.
  bool right_align = false;

  [[nodiscard]] constexpr Field Text(std::string (*f)(const T&)) const {
    Field c = *this;
    c.text = f;
    return c;
  }
  [[nodiscard]] constexpr Field Value(Json (*f)(const T&)) const {
    Field c = *this;
    c.json = f;
    return c;
  }
  [[nodiscard]] constexpr Field Cell(std::string (*f)(const T&)) const {
    Field c = *this;
    c.cell = f;
    return c;
  }
  [[nodiscard]] constexpr Field Only(bool (*f)(const T&)) const {
    Field c = *this;
    c.present = f;
    return c;
  }
  [[nodiscard]] constexpr Field Right() const {
    Field c = *this;
    c.right_align = true;
    return c;
  }
};

/// Specialised once per model in fields.h: `static constexpr Field<T> kFields[] = {…};`.
template <class T>
struct Model;

template <class T>
concept Modelled = requires {
  Model<T>::kFields;
};

template <class T>
struct IsVector : std::false_type {};
template <class T>
struct IsVector<std::vector<T>> : std::true_type {};
template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <class T>
concept OpenEnumLike = requires(const T& v) {
  v.raw;
  v.value;
};

template <Modelled T>
Json ToJson(const T& value);

/// One member value as JSON: models and lists recurse, open enums print their raw text,
/// absent optionals are null.
template <class V>
Json ToJsonValue(const V& v) {
  if constexpr (Modelled<V>) {
    return ToJson(v);
  } else if constexpr (IsVector<V>::value) {
    Json a = Json::Array();
    for (const auto& e : v) a.Push(ToJsonValue(e));
    return a;
  } else if constexpr (IsOptional<V>::value) {
    return v ? ToJsonValue(*v) : Json();
  } else if constexpr (OpenEnumLike<V>) {
    return Json(v.raw);
  } else {
    return Json(v);
  }
}

/// One member value for people: units, "yes/no", times in UTC.
template <class V>
std::string ToText(const V& v) {
  if constexpr (std::is_same_v<V, std::string>) {
    return v;
  } else if constexpr (std::is_same_v<V, bool>) {
    return YesNo(v);
  } else if constexpr (std::is_same_v<V, Timestamp>) {
    return When(v);
  } else if constexpr (std::is_same_v<V, Money>) {
    return Price(v, "");
  } else if constexpr (std::is_integral_v<V>) {
    return std::to_string(v);
  } else if constexpr (std::is_same_v<V, std::vector<std::string>>) {
    return Join(v, ", ");
  } else if constexpr (OpenEnumLike<V>) {
    return v.raw;
  } else {
    return ToJsonValue(v).Cell();
  }
}

template <class C, class V>
C OwnerOf(V C::*);
/// The struct a member pointer belongs to.
template <auto M>
using Owner = decltype(OwnerOf(M));

template <auto M>
Json MemberJson(const Owner<M>& t) {
  return ToJsonValue(t.*M);
}
template <auto M>
std::string MemberText(const Owner<M>& t) {
  return ToText(t.*M);
}

/// A field read straight from member `M`: `F<&EsimDetails::iccid>("iccid", "ICCID", kBoth)`.
template <auto M>
constexpr Field<Owner<M>> F(std::string_view name, std::string_view label = {},
                            unsigned views = kJsonOnly) {
  return {.name = name,
          .label = label,
          .json = &MemberJson<M>,
          .text = &MemberText<M>,
          .views = label.empty() ? kJsonOnly : views};
}

/// A field computed from the whole object (e.g. the LPA string from two members).
template <class T>
constexpr Field<T> Computed(std::string_view name, std::string_view label, Json (*json)(const T&),
                            std::string (*text)(const T&), unsigned views) {
  return {.name = name, .label = label, .json = json, .text = text, .views = views};
}

/// `-o json` of a model: every present field, in table order.
template <Modelled T>
Json ToJson(const T& value) {
  Json j = Json::Object();
  for (const auto& f : Model<T>::kFields) {
    if (f.present && !f.present(value)) continue;
    j.Set(std::string(f.name), f.json(value));
  }
  return j;
}

template <Modelled T>
Json ToJsonArray(const std::vector<T>& items) {
  Json a = Json::Array();
  for (const auto& i : items) a.Push(ToJson(i));
  return a;
}

/// The key/value view of a model (fields marked kRecord).
template <Modelled T>
Record RecordOf(const T& value) {
  Record kv;
  for (const auto& f : Model<T>::kFields) {
    if (!(f.views & kRecord) || (f.present && !f.present(value))) continue;
    kv.emplace_back(std::string(f.label), f.text(value));
  }
  return kv;
}

/// The list table of a model (fields marked kColumn). An optional column (one with `Only`)
/// that no row has is left out: the v2.5 columns (an eSIM's state) appear only when the answer
/// carries them, so a v2.4 table (and its CSV) stays as it was.
template <Modelled T>
Table TableOf(const std::vector<T>& items) {
  std::vector<const Field<T>*> columns;
  for (const auto& f : Model<T>::kFields) {
    if (!(f.views & kColumn)) continue;
    if (f.present) {
      bool any = false;
      for (const auto& item : items) any = any || f.present(item);
      if (!any) continue;
    }
    columns.push_back(&f);
  }
  Table t;
  for (const auto* f : columns) {
    std::string header(f->label);
    for (char& c : header) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    t.headers.push_back(std::move(header));
    t.right_align.push_back(f->right_align);
  }
  for (const auto& item : items) {
    std::vector<std::string> row;
    for (const auto* f : columns) {
      if (f->present && !f->present(item)) {
        row.emplace_back();
        continue;
      }
      row.push_back(f->cell ? f->cell(item) : f->text(item));
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace esimgo::cli
