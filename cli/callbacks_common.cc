// What the `esimgo callbacks …` commands share: keys, opening the store, --since, printing an
// event, and running a hook command.

#include <fmt/core.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <cctype>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <thread>

#include "callbacks_internal.h"
#include "config.h"
#include "output.h"

extern char** environ;

namespace esimgo::cli {
namespace {

std::vector<std::string> SplitKeys(std::string_view text) {
  std::vector<std::string> keys;
  std::size_t p = 0;
  while (p <= text.size()) {
    std::size_t comma = text.find(',', p);
    if (comma == std::string_view::npos) comma = text.size();
    std::string k(text.substr(p, comma - p));
    while (!k.empty() && std::isspace(static_cast<unsigned char>(k.back()))) k.pop_back();
    std::size_t lead = 0;
    while (lead < k.size() && std::isspace(static_cast<unsigned char>(k[lead]))) ++lead;
    if (lead < k.size()) keys.push_back(k.substr(lead));
    p = comma + 1;
  }
  return keys;
}

std::string Iso(std::chrono::system_clock::time_point t) {
  return Timestamp::FromTime(std::chrono::time_point_cast<std::chrono::nanoseconds>(t)).ToIso();
}

// The body's JSON with whitespace outside strings removed, lexemes untouched (a 20-digit ICCID
// stays exact), so one event is one line; nullopt when the body is not JSON.
std::optional<std::string> CompactJson(const std::string& body) {
  if (!nlohmann::json::accept(body)) return std::nullopt;
  std::string out;
  out.reserve(body.size());
  bool in_string = false, escaped = false;
  for (char c : body) {
    if (in_string) {
      out += c;
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
      out += c;
    } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
      out += c;
    }
  }
  return out;
}

}  // namespace

Outcome<CallbackKeys> ResolveKeys(const Context& ctx, const std::string& previous_flag) {
  CallbackKeys keys;
  std::vector<std::string> from_env;
  if (const char* env = std::getenv("ESIMGO_CALLBACK_KEYS"); env != nullptr && *env != '\0') {
    from_env = SplitKeys(env);
    if (from_env.size() > 2) {
      return Invalid(
          "ESIMGO_CALLBACK_KEYS holds more than two keys: give the current key, then the "
          "previous one during a rotation (k1,k2)");
    }
  }
  // An explicit --api-key (or ESIMGO_API_KEY / the config file) is the current key; the
  // rotation list is used when nothing more specific was said.
  if (!ctx.settings().api_key.empty()) {
    keys.current = ctx.settings().api_key;
  } else if (!from_env.empty()) {
    keys.current = from_env[0];
  } else {
    keys.current = ctx.CallbackKey();
  }
  if (!previous_flag.empty()) {
    keys.previous = previous_flag;
  } else if (from_env.size() == 2) {
    keys.previous = from_env[1];
  }
  if (keys.previous == keys.current) keys.previous.clear();
  return keys;
}

std::string PrintableTarget(const std::string& target) {
  if (!callbacks::IsPostgresTarget(target)) return target;
  std::string out = target;
  // postgresql://user:secret@host/db → postgresql://user:***@host/db
  if (auto scheme = out.find("://"); scheme != std::string::npos) {
    auto at = out.find('@', scheme + 3);
    auto colon = out.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at) {
      out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // keyword form and URL query: password=secret → password=***
  for (std::size_t p = out.find("password="); p != std::string::npos;
       p = out.find("password=", p + 1)) {
    std::size_t v = p + 9;
    std::size_t end = out.find_first_of(" &", v);
    if (end == std::string::npos) end = out.size();
    out.replace(v, end - v, "***");
  }
  return out;
}

Outcome<std::string> StoreTarget(const std::string& flag) {
  if (!flag.empty()) return flag;
  auto dir = StateDir();
  if (!dir) return tl::unexpected(Failure(dir.error()));
  return *dir + "/callbacks.db";
}

Outcome<std::unique_ptr<callbacks::Store>> OpenCallbackStore(const std::string& target,
                                                             const callbacks::StoreOptions& options,
                                                             bool must_exist) {
  if (must_exist && !callbacks::IsPostgresTarget(target) && access(target.c_str(), F_OK) != 0) {
    return Invalid(
        fmt::format("no event store at {}: pass the receiver's --store (a SQLite file "
                    "or a postgresql:// URL)",
                    target));
  }
  auto store = callbacks::Store::Open(target, options);
  if (store) return std::move(*store);
  Error e = store.error();
  std::string where = PrintableTarget(target);
  // The library's message may quote the target; never let a password through.
  if (e.message.find(target) != std::string::npos && where != target) {
    e.message.replace(e.message.find(target), target.size(), where);
  }
  if (e.code == ErrorCode::kUnavailable) {
    return Stop(kExitUnavailable,
                fmt::format("the event store {} is not reachable: {}; check that the database "
                            "is up and the URL is right (--store)",
                            where, e.message));
  }
  return Stop(kExitInvalidArgument, fmt::format("cannot open the event store {}: {}; choose "
                                                "another one with --store",
                                                where, e.message));
}

Outcome<std::chrono::milliseconds> PositiveDuration(const std::string& text,
                                                    const std::string& what) {
  auto d = ParseDuration(text);
  if (!d) return Invalid(fmt::format("{}: {}", what, d.error().message));
  if (d->count() <= 0) return Invalid(fmt::format("{} must be more than 0, got '{}'", what, text));
  return *d;
}

namespace {

bool AllDigits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// ID, DURATION (ago) or TIME: which one `text` is, as a filter bound.
Outcome<> ApplyBound(const std::string& text, const char* flag, callbacks::ReadFilter& filter,
                     bool lower) {
  if (AllDigits(text)) {
    int64_t id = std::stoll(text);
    (lower ? filter.min_id : filter.max_id) = id;
    return {};
  }
  if (auto d = ParseDuration(text); d && d->count() > 0) {
    if (lower) {
      filter.since_age = std::chrono::duration_cast<std::chrono::seconds>(*d);
    } else {
      filter.until = std::chrono::system_clock::now() - *d;
    }
    return {};
  }
  Timestamp t = Timestamp::Parse(text);
  if (t.time) {
    auto at = std::chrono::time_point_cast<std::chrono::system_clock::duration>(*t.time);
    (lower ? filter.since : filter.until) = at;
    return {};
  }
  return Invalid(
      fmt::format("{} '{}' is neither an event id (123), a duration ago (2h, 7d) nor a "
                  "time (2026-11-30T12:00:00Z)",
                  flag, text));
}

}  // namespace

Outcome<> ApplySince(const std::string& since, callbacks::ReadFilter& filter) {
  if (since.empty()) return {};
  return ApplyBound(since, "--since", filter, true);
}

Outcome<> ApplyUntil(const std::string& until, callbacks::ReadFilter& filter) {
  if (until.empty()) return {};
  return ApplyBound(until, "--until", filter, false);
}

std::string EventJsonLine(const callbacks::Event& e) {
  Json j = Json::Object();
  j.Set("id", e.id)
      .Set("received_at", Iso(e.received_at))
      .Set("alert_type", e.alert_type ? Json(*e.alert_type) : Json(nullptr))
      .Set("iccid", e.iccid ? Json(*e.iccid) : Json(nullptr))
      .Set("verified", e.verified)
      .Set("key_slot", e.key_slot ? Json(static_cast<int>(*e.key_slot)) : Json(nullptr))
      .Set("source", e.source)
      .Set("receiver", e.receiver);
  std::string line = j.Dump(-1);
  line.pop_back();  // the closing brace: the body is appended raw
  if (auto body = CompactJson(e.body)) {
    line += ",\"body\":" + *body + "}";
  } else {
    line += ",\"body_text\":" + Json(e.body).Dump(-1) + "}";
  }
  return line;
}

std::string EventTableLine(const callbacks::Event& e) {
  return Sanitize(
      fmt::format("{:>8}  {}  {:<20}  {:<20}  {}  {}", e.id, Iso(e.received_at),
                  e.alert_type.value_or("-"), e.iccid.value_or("-"),
                  e.verified ? (e.key_slot && *e.key_slot == 1 ? "verified(previous)" : "verified")
                             : "UNVERIFIED",
                  e.receiver));
}

pid_t SpawnCommand(const std::string& command,
                   const std::vector<std::pair<std::string, std::string>>& env,
                   const std::string& input) {
  // Everything the child needs is built before the spawn: no allocation after fork.
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    bool replaced = false;
    for (const auto& [k, v] : env) {
      if (std::strncmp(*e, k.c_str(), k.size()) == 0 && (*e)[k.size()] == '=') replaced = true;
    }
    if (!replaced) envp.push_back(*e);
  }
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string sh = "/bin/sh", dash_c = "-c", cmd = command;
  char* argv[] = {sh.data(), dash_c.data(), cmd.data(), nullptr};

  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipefd[0], STDIN_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // The receiver blocks SIGINT/SIGTERM in every thread and ignores SIGPIPE; a hook gets the
  // defaults back, so it can be stopped and a broken pipe ends it like any shell command.
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, sh.c_str(), &actions, &attr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(pipefd[0]);
  if (rc != 0) {
    close(pipefd[1]);
    return -1;
  }
  // A hook that does not read its stdin must not block us: write what fits, then close.
  std::size_t off = 0;
  while (off < input.size()) {
    ssize_t n = write(pipefd[1], input.data() + off, input.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    off += static_cast<std::size_t>(n);
  }
  close(pipefd[1]);
  return pid;
}

int RunCommand(const std::string& command,
               const std::vector<std::pair<std::string, std::string>>& env,
               const std::string& input) {
  pid_t pid = SpawnCommand(command, env, input);
  if (pid < 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return status;
}

}  // namespace esimgo::cli
