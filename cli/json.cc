#include "json.h"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>

namespace esimgo::cli {

Json::Json(double v) : kind_(Kind::kNumber) {
  if (!std::isfinite(v)) {
    kind_ = Kind::kNull;
    return;
  }
  text_ = fmt::format("{}", v);
}

Json::Json(const Timestamp& t) {
  if (t.empty()) return;
  kind_ = Kind::kString;
  text_ = t.ToIso();
}

Json::Json(const std::vector<std::string>& v) : kind_(Kind::kArray) {
  for (const auto& s : v) elements_.emplace_back(s);
}

Json& Json::Set(std::string key, Json value) {
  kind_ = Kind::kObject;
  for (auto& [k, v] : members_) {
    if (k == key) {
      v = std::move(value);
      return *this;
    }
  }
  members_.emplace_back(std::move(key), std::move(value));
  return *this;
}

Json& Json::Push(Json value) {
  kind_ = Kind::kArray;
  elements_.push_back(std::move(value));
  return *this;
}

std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

void Json::DumpTo(std::string& out, int indent, int depth) const {
  auto newline = [&](int d) {
    if (indent < 0) return;
    out += '\n';
    out.append(static_cast<std::size_t>(indent * d), ' ');
  };
  switch (kind_) {
    case Kind::kNull:
      out += "null";
      break;
    case Kind::kBool:
    case Kind::kNumber:
      out += text_;
      break;
    case Kind::kString:
      out += '"';
      out += JsonEscape(text_);
      out += '"';
      break;
    case Kind::kArray:
      if (elements_.empty()) {
        out += "[]";
        break;
      }
      out += '[';
      for (std::size_t i = 0; i < elements_.size(); ++i) {
        if (i) out += ',';
        newline(depth + 1);
        elements_[i].DumpTo(out, indent, depth + 1);
      }
      newline(depth);
      out += ']';
      break;
    case Kind::kObject:
      if (members_.empty()) {
        out += "{}";
        break;
      }
      out += '{';
      for (std::size_t i = 0; i < members_.size(); ++i) {
        if (i) out += ',';
        newline(depth + 1);
        out += '"';
        out += JsonEscape(members_[i].first);
        out += indent < 0 ? "\":" : "\": ";
        members_[i].second.DumpTo(out, indent, depth + 1);
      }
      newline(depth);
      out += '}';
      break;
  }
}

std::string Json::Dump(int indent) const {
  std::string out;
  DumpTo(out, indent, 0);
  return out;
}

std::string Json::Cell() const {
  switch (kind_) {
    case Kind::kNull:
      return "";
    case Kind::kString:
    case Kind::kBool:
    case Kind::kNumber:
      return text_;
    case Kind::kArray: {
      bool all_scalar = std::all_of(elements_.begin(), elements_.end(), [](const Json& e) {
        return e.kind_ != Kind::kArray && e.kind_ != Kind::kObject;
      });
      if (all_scalar) {
        std::string s;
        for (std::size_t i = 0; i < elements_.size(); ++i) {
          if (i) s += ';';
          s += elements_[i].text_;
        }
        return s;
      }
      return Dump(-1);
    }
    case Kind::kObject:
      return Dump(-1);
  }
  return "";
}

}  // namespace esimgo::cli
