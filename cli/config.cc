#include "config.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/core.h>

namespace esimgo::cli {
namespace {

std::string Trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::optional<std::string> Env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

std::string Home() {
  auto h = Env("HOME");
  return h ? *h : std::string(".");
}

}  // namespace

Result<std::map<std::string, std::string>> ParseConfig(std::string_view text) {
  std::map<std::string, std::string> out;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string line = Trim(text.substr(pos, nl - pos));
    pos = nl + 1;
    ++line_no;
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    auto eq = line.find('=');
    if (eq == std::string::npos) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("config line {}: expected `key = value`", line_no));
    }
    std::string key = Trim(std::string_view(line).substr(0, eq));
    std::string value = Trim(std::string_view(line).substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    for (char& c : key) c = c == '-' ? '_' : static_cast<char>(std::tolower(c));
    if (key.empty()) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("config line {}: empty key", line_no));
    }
    out[key] = value;
  }
  return out;
}

std::string ConfigPath() {
  auto xdg = Env("XDG_CONFIG_HOME");
  std::string base = xdg ? *xdg : Home() + "/.config";
  return base + "/esimgo/config";
}

Result<std::string> StateDir() {
  auto xdg = Env("XDG_STATE_HOME");
  std::string dir = (xdg ? *xdg : Home() + "/.local/state") + "/esimgo";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("cannot create the state directory {}: {}; set XDG_STATE_HOME to a "
                            "writable directory",
                            dir, ec.message()));
  }
  return dir;
}

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  std::string s = Trim(text);
  auto bad = [&] {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("invalid duration '{}': use e.g. 30s, 500ms, 15m, 2h, 1d or 1h30m", s));
  };
  if (s.empty()) return bad();
  double total_ms = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t start = i;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    if (start == i) return bad();
    double number = 0;
    try {
      number = std::stod(s.substr(start, i - start));
    } catch (...) {
      return bad();
    }
    std::size_t ustart = i;
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    std::string unit = s.substr(ustart, i - ustart);
    double scale = 0;
    if (unit.empty() || unit == "s" || unit == "sec") {
      scale = 1000;
      if (unit.empty() && i != s.size()) return bad();
    } else if (unit == "ms") {
      scale = 1;
    } else if (unit == "m" || unit == "min") {
      scale = 60'000;
    } else if (unit == "h") {
      scale = 3'600'000;
    } else if (unit == "d") {
      scale = 86'400'000;
    } else {
      return bad();
    }
    total_ms += number * scale;
  }
  if (total_ms < 0 || total_ms > 1e15) return bad();
  return std::chrono::milliseconds(static_cast<int64_t>(total_ms));
}

std::string RedactKey(std::string_view text, std::string_view key) {
  std::string out(text);
  if (key.size() < 4) return out;
  for (std::size_t p = 0; (p = out.find(key, p)) != std::string::npos; p += 3) {
    out.replace(p, key.size(), "***");
  }
  return out;
}

Result<void> CheckApiKey(std::string_view key, std::string_view source) {
  for (std::size_t i = 0; i < key.size(); ++i) {
    const auto c = static_cast<unsigned char>(key[i]);
    if (c < 0x20 || c == 0x7f) {
      // Sent as a header value, a CR or LF would end the header and start the caller's own.
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("the API key from {} contains a control character (byte 0x{:02x} "
                              "at position {}): copy the key again without line breaks",
                              source, c, i + 1));
    }
  }
  return {};
}

Result<std::string> ReadKeyFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return Fail(
        ErrorCode::kInvalidArgument,
        fmt::format("cannot read the API key file {}: check the path and permissions", path));
  }
  std::string line;
  std::getline(in, line);
  std::string key = Trim(line);
  if (key.empty()) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("the API key file {} is empty", path));
  }
  return key;
}

namespace {

Result<Settings> Resolve(const GlobalFlags& flags, bool stdout_is_tty, std::string& key_seen) {
  Settings s;
  std::map<std::string, std::string> file;
  std::string path = ConfigPath();
  if (std::ifstream in(path); in) {
    std::stringstream ss;
    ss << in.rdbuf();
    auto parsed = ParseConfig(ss.str());
    if (!parsed) {
      parsed.error().message = fmt::format("{}: {}", path, parsed.error().message);
      return tl::unexpected(parsed.error());
    }
    file = std::move(*parsed);
    s.config_path = path;
  }
  auto from_file = [&](const char* key) -> std::optional<std::string> {
    auto it = file.find(key);
    if (it == file.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };

  // API key: --api-key > --api-key-file > ESIMGO_API_KEY > config api_key > config api_key_file.
  std::string source;
  if (flags.api_key) {
    s.api_key = *flags.api_key, source = "--api-key";
  } else if (flags.api_key_file) {
    auto k = ReadKeyFile(*flags.api_key_file);
    if (!k) return tl::unexpected(k.error());
    s.api_key = *k, source = "--api-key-file " + *flags.api_key_file;
  } else if (auto e = Env("ESIMGO_API_KEY")) {
    s.api_key = *e, source = "ESIMGO_API_KEY";
  } else if (auto f = from_file("api_key")) {
    s.api_key = *f, source = "api_key in " + path;
  } else if (auto kf = from_file("api_key_file")) {
    auto k = ReadKeyFile(*kf);
    if (!k) return tl::unexpected(k.error());
    s.api_key = *k, source = "api_key_file " + *kf;
  }
  key_seen = s.api_key;
  if (auto ok = CheckApiKey(s.api_key, source); !ok) return tl::unexpected(ok.error());

  if (flags.base_url) {
    s.base_url = *flags.base_url;
  } else if (auto e = Env("ESIMGO_BASE_URL")) {
    s.base_url = *e;
  } else if (auto f = from_file("base_url")) {
    s.base_url = *f;
  }
  while (!s.base_url.empty() && s.base_url.back() == '/') s.base_url.pop_back();
  if (!s.base_url.empty() && s.base_url.rfind("http://", 0) != 0 &&
      s.base_url.rfind("https://", 0) != 0) {
    return Fail(
        ErrorCode::kInvalidArgument,
        fmt::format("invalid base URL '{}': it must start with http:// or https://", s.base_url));
  }
  // API version: --api-version > ESIMGO_API_VERSION > config api_version. It only names the
  // default host's version: a base URL carries its own (its last segment), and the two must
  // agree, because silently preferring one would send v2.5 calls to a v2.4 host or vice versa.
  std::optional<std::string> version_text;
  if (flags.api_version) {
    version_text = *flags.api_version, s.api_version_source = "--api-version";
  } else if (auto e = Env("ESIMGO_API_VERSION")) {
    version_text = *e, s.api_version_source = "ESIMGO_API_VERSION";
  } else if (auto f = from_file("api_version")) {
    version_text = *f, s.api_version_source = "api_version in " + path;
  }
  if (version_text) {
    s.api_version = ParseApiVersion(*version_text);
    if (!s.api_version) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("invalid API version '{}' ({}): use 2.4 or 2.5", *version_text,
                              s.api_version_source));
    }
    auto of_url = ApiVersionOfBaseUrl(s.base_url);
    if (!s.base_url.empty() && !flags.sandbox && of_url && *of_url != *s.api_version) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{} says API v{} but the base URL {} speaks v{}: drop one of them, "
                              "or make the base URL end in /v{}",
                              s.api_version_source, ApiVersionName(*s.api_version), s.base_url,
                              ApiVersionName(*of_url), ApiVersionName(*s.api_version)));
    }
  }

  s.embedded = flags.sandbox || (s.api_key.empty() && s.base_url.empty());
  if (s.embedded && flags.sandbox) {
    s.api_key.clear();
    s.base_url.clear();
  }

  std::optional<std::string> output = flags.output;
  if (!output) output = Env("ESIMGO_OUTPUT");
  if (!output) output = from_file("output");
  s.output = output ? *output : (stdout_is_tty ? "table" : "json");
  if (s.output != "table" && s.output != "json" && s.output != "csv") {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("invalid output format '{}': use table, json or csv", s.output));
  }

  std::optional<std::string> timeout = flags.timeout;
  if (!timeout) timeout = Env("ESIMGO_TIMEOUT");
  if (!timeout) timeout = from_file("timeout");
  if (timeout) {
    auto d = ParseDuration(*timeout);
    if (!d) return tl::unexpected(d.error());
    if (d->count() <= 0) {
      return Fail(ErrorCode::kInvalidArgument, "--timeout must be greater than zero");
    }
    s.timeout = *d;
  }

  if (flags.retries) {
    s.retries = *flags.retries;
  } else if (auto r = from_file("retries")) {
    try {
      s.retries = std::stoi(*r);
    } catch (...) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{}: retries must be a whole number", path));
    }
  }
  if (s.retries < 0 || s.retries > 10) {
    return Fail(ErrorCode::kInvalidArgument, "--retries must be between 0 and 10");
  }

  s.verbose = flags.verbose;
  bool no_color = flags.no_color || Env("NO_COLOR").has_value();
  if (auto c = from_file("color"); c && (*c == "false" || *c == "no" || *c == "never")) {
    no_color = true;
  }
  s.color = !no_color && stdout_is_tty;
  return s;
}

}  // namespace

Result<Settings> ResolveSettings(const GlobalFlags& flags, bool stdout_is_tty) {
  std::string key;
  auto s = Resolve(flags, stdout_is_tty, key);
  // Any message below the key may quote a value that contains it (a base URL with the key
  // pasted in, a mistyped option): redacted here, before anything prints it.
  if (!s) s.error().message = RedactKey(s.error().message, key);
  return s;
}

}  // namespace esimgo::cli
