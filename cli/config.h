#pragma once
/// @file config.h
/// Global settings of the CLI: flags > environment > config file > defaults.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "esimgo/options.h"
#include "esimgo/result.h"

namespace esimgo::cli {

/// Global options as typed on the command line (unset = not given).
struct GlobalFlags {
  std::optional<std::string> api_key;
  std::optional<std::string> api_key_file;
  std::optional<std::string> base_url;
  std::optional<std::string> api_version;  ///< --api-version: "2.4" or "2.5".
  bool sandbox = false;
  std::optional<std::string> output;
  std::optional<std::string> timeout;
  std::optional<int> retries;
  bool verbose = false;
  bool no_color = false;
};

/// Where the settings came from, after precedence was applied.
struct Settings {
  std::string api_key;    ///< Empty = none configured. Never printed.
  std::string base_url;   ///< Empty = none configured (the live default applies with a key).
  bool embedded = false;  ///< Run against the in-process sandbox.
  /// --api-version / ESIMGO_API_VERSION / config api_version; empty = not asked for (v2.4).
  /// It picks the live host's version when no base URL is set; a base URL keeps its own.
  std::optional<ApiVersion> api_version;
  std::string api_version_source;  ///< Where `api_version` came from, for messages.
  std::string output;              ///< "table", "json" or "csv".
  std::chrono::milliseconds timeout{30'000};
  int retries = 3;  ///< Retries of idempotent reads (attempts = retries + 1).
  bool verbose = false;
  bool color = false;
  std::string config_path;  ///< The config file that was read, if any.
};

/// Parses "key = value" lines (`#` comments, blank lines, optional quotes around values).
/// Errors: kInvalidArgument with the line number.
[[nodiscard]] Result<std::map<std::string, std::string>> ParseConfig(std::string_view text);

/// `$XDG_CONFIG_HOME/esimgo/config` (fallback `~/.config/esimgo/config`).
[[nodiscard]] std::string ConfigPath();

/// `$XDG_STATE_HOME/esimgo` (fallback `~/.local/state/esimgo`); created if missing.
/// Errors: kInvalidArgument when it cannot be created.
[[nodiscard]] Result<std::string> StateDir();

/// "30", "30s", "500ms", "2m", "1h30m", "2d" → duration. Bare numbers are seconds.
/// Errors: kInvalidArgument.
[[nodiscard]] Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

/// Applies precedence and validates. `stdout_is_tty` picks the default output format.
/// Errors: kInvalidArgument (bad value, a key with control characters, unreadable key file or
/// config file); their messages never contain the key.
[[nodiscard]] Result<Settings> ResolveSettings(const GlobalFlags& flags, bool stdout_is_tty);

/// `text` with every occurrence of `key` replaced by "***". Keys shorter than 4 characters
/// are left alone (they would mask ordinary words). Thread-safe.
[[nodiscard]] std::string RedactKey(std::string_view text, std::string_view key);

/// Refuses a key with a control character (CR/LF would add request headers). `source` names
/// where it came from, e.g. "--api-key". Errors: kInvalidArgument (never echoes the key).
[[nodiscard]] Result<void> CheckApiKey(std::string_view key, std::string_view source);

/// Reads a key from a file (first line, surrounding whitespace trimmed).
[[nodiscard]] Result<std::string> ReadKeyFile(const std::string& path);

}  // namespace esimgo::cli
