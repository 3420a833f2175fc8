#pragma once
/// @file context.h
/// State shared by every command of one `esimgo` run: settings, client, embedded sandbox.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "config.h"
#include "esimgo/client.h"
#include "esimgo/result.h"
#include "exit_codes.h"
#include "output.h"

namespace esimgo::sandbox {
class Sandbox;
}

namespace esimgo::cli {

/// The API key the embedded sandbox accepts.
inline constexpr std::string_view kEmbeddedKey = "sandbox-key";

/// One run of the CLI. Not thread-safe except `Redact` and `Info`.
class Context {
 public:
  Context();
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  GlobalFlags flags;
  /// The chosen command; set by the command's CLI11 callback.
  std::function<int()> run;

  /// Applies precedence; returns an exit code (0 = fine).
  int Init(bool stdout_is_tty);

  [[nodiscard]] const Settings& settings() const { return settings_; }
  [[nodiscard]] const Printer& out() const { return *printer_; }

  /// The client, starting the embedded sandbox on first use when no key/base URL is set.
  [[nodiscard]] Result<Client*> client();
  /// The effective base URL and key (starts the embedded sandbox if needed).
  [[nodiscard]] Result<std::string> BaseUrl();
  [[nodiscard]] std::string ApiKey() const;
  /// The key to verify callbacks with: the configured key, else the embedded sandbox's.
  [[nodiscard]] std::string CallbackKey() const;

  /// Prints an SDK error with a hint and returns its exit code.
  int Fail(const Error& error) const;
  /// Prints "error: message" and returns `code`.
  int Fail(int code, std::string_view message) const;
  /// Prints a diagnostic to stderr (redacted).
  void Info(std::string_view message) const;
  /// Replaces every occurrence of the API key with "***".
  [[nodiscard]] std::string Redact(std::string_view text) const;

  /// Asks "question [y/N]" on a terminal. Returns 0 to proceed, or an exit code: 2 when no
  /// terminal and no --yes, 1 when the user said no.
  int Confirm(std::string_view what, bool yes) const;

  /// Call options for one call (the client already carries timeout/retries).
  [[nodiscard]] CallOptions call() const { return {}; }

 private:
  Settings settings_;
  std::unique_ptr<Printer> printer_;
  std::unique_ptr<sandbox::Sandbox> sandbox_;
  std::unique_ptr<Client> client_;
  std::string base_url_;
};

/// Validates an ICCID (digits, 18–22) locally; returns 0 or the exit code after printing.
int CheckIccid(const Context& ctx, std::string_view iccid);

}  // namespace esimgo::cli
