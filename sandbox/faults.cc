#include "faults.h"

#include <cctype>

namespace esimgo::sandbox {
namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

bool ParsePositive(std::string_view s, int& out) {
  if (s.empty() || s.size() > 9) return false;
  int v = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

bool Glob(std::string_view pattern, std::string_view text) {
  if (pattern.empty()) return text.empty();
  if (pattern[0] == '*') {
    for (size_t i = 0; i <= text.size(); ++i) {
      if (Glob(pattern.substr(1), text.substr(i))) return true;
    }
    return false;
  }
  return !text.empty() && pattern[0] == text[0] && Glob(pattern.substr(1), text.substr(1));
}

}  // namespace

std::string FaultKindName(FaultKind k) {
  switch (k) {
    case FaultKind::k429:
      return "429";
    case FaultKind::k503:
      return "503";
    case FaultKind::k500:
      return "500";
    case FaultKind::kLatency:
      return "latency";
    case FaultKind::kDrop:
      return "drop";
    case FaultKind::kCommitThenDrop:
      return "commit-then-drop";
  }
  return "?";
}

Result<std::vector<FaultRule>> ParseFaultSpec(std::string_view spec) {
  std::vector<FaultRule> rules;
  auto bad = [](std::string_view part, std::string_view why) {
    return Fail(ErrorCode::kInvalidArgument,
                "bad fault rule '" + std::string(part) + "': " + std::string(why) +
                    ". Expected 'METHOD /path=KIND[-N][:COUNT]', KIND one of 429, 503, 500, "
                    "latency, drop, commit-then-drop, e.g. 'POST /orders=commit-then-drop:1'");
  };
  size_t pos = 0;
  while (pos <= spec.size()) {
    size_t comma = spec.find(',', pos);
    if (comma == std::string_view::npos) comma = spec.size();
    std::string part = Trim(spec.substr(pos, comma - pos));
    pos = comma + 1;
    if (part.empty()) continue;
    size_t eq = part.rfind('=');
    if (eq == std::string::npos) return bad(part, "missing '='");
    std::string target = Trim(std::string_view(part).substr(0, eq));
    std::string action = Trim(std::string_view(part).substr(eq + 1));
    FaultRule rule;
    size_t space = target.find(' ');
    if (space == std::string::npos) return bad(part, "missing the method before the path");
    rule.method = Trim(std::string_view(target).substr(0, space));
    for (char& c : rule.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    rule.path = Trim(std::string_view(target).substr(space + 1));
    if (rule.path.rfind("/v2.4/", 0) == 0) rule.path = rule.path.substr(5);
    if (rule.path.empty() || (rule.path[0] != '/' && rule.path != "*")) {
      return bad(part, "the path must start with '/'");
    }
    if (size_t colon = action.find(':'); colon != std::string::npos) {
      if (!ParsePositive(action.substr(colon + 1), rule.remaining) || rule.remaining == 0) {
        return bad(part, "the count after ':' must be a positive integer");
      }
      action = action.substr(0, colon);
    }
    std::string kind = action;
    std::string arg;
    if (action.rfind("commit-then-drop", 0) != 0) {
      if (size_t dash = action.find('-'); dash != std::string::npos) {
        kind = action.substr(0, dash);
        arg = action.substr(dash + 1);
      }
    }
    if (kind == "429") {
      rule.kind = FaultKind::k429;
    } else if (kind == "503") {
      rule.kind = FaultKind::k503;
    } else if (kind == "500") {
      rule.kind = FaultKind::k500;
      rule.value = 0;
    } else if (kind == "latency") {
      rule.kind = FaultKind::kLatency;
      rule.value = 500;
    } else if (kind == "drop") {
      rule.kind = FaultKind::kDrop;
    } else if (kind == "commit-then-drop") {
      rule.kind = FaultKind::kCommitThenDrop;
      if (rule.path != "/orders" || rule.method != "POST") {
        return bad(part, "commit-then-drop applies to 'POST /orders' only");
      }
    } else {
      return bad(part, "unknown kind '" + kind + "'");
    }
    if (!arg.empty() && !ParsePositive(arg, rule.value)) {
      return bad(part, "the number after '-' must be a non-negative integer");
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

void Faults::Set(std::vector<FaultRule> rules) {
  std::lock_guard lock(mu_);
  rules_ = std::move(rules);
}

std::vector<FaultRule> Faults::Rules() {
  std::lock_guard lock(mu_);
  return rules_;
}

std::optional<FaultRule> Faults::Take(std::string_view method, std::string_view path,
                                      std::string_view route_name) {
  std::lock_guard lock(mu_);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if (it->method != "*" && it->method != method) continue;
    std::string name_path(route_name.substr(std::min(route_name.find(' ') + 1, route_name.size())));
    if (!Glob(it->path, path) && it->path != name_path) continue;
    FaultRule hit = *it;
    if (it->remaining > 0 && --it->remaining == 0) rules_.erase(it);
    return hit;
  }
  return std::nullopt;
}

}  // namespace esimgo::sandbox
