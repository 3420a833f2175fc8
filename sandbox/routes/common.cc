#include <cctype>
#include <charconv>

#include "model/common_codec.h"
#include "router.h"

namespace esimgo::sandbox {

Reply JsonReply(std::string body, int status) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Reply ErrorReply(int status, std::string_view message) {
  internal::JsonWriter w;
  EncodeErrorMessage(w, message);
  return JsonReply(w.Take(), status);
}

Reply TextErrorReply(int status, std::string_view message) {
  Reply r;
  r.status = status;
  r.content_type = "text/plain";
  r.body = std::string(message);
  return r;
}

std::optional<int64_t> ParseInt(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view part = text.substr(pos, comma - pos);
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.front()))) {
      part.remove_prefix(1);
    }
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.back()))) {
      part.remove_suffix(1);
    }
    if (!part.empty()) out.emplace_back(part);
    pos = comma + 1;
  }
  return out;
}

bool ParseBoolText(std::string_view text, bool& out) {
  std::string t = Lower(text);
  if (t == "true" || t == "1" || t == "yes") {
    out = true;
    return true;
  }
  if (t == "false" || t == "0" || t == "no" || t.empty()) {
    out = false;
    return true;
  }
  return false;
}

}  // namespace esimgo::sandbox
