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
#include "outcome.h"
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
  /// What carries this run's requests: the embedded sandbox's in-process transport, else libcurl
  /// (loaded on first use). Starts the embedded sandbox if needed.
  [[nodiscard]] Result<std::shared_ptr<esimgo::Transport>> transport();
  /// The key to verify callbacks with: the configured key, else the embedded sandbox's.
  [[nodiscard]] std::string CallbackKey() const;

  /// Prints a failure (redacted, with a hint) and returns its exit code. Nothing is printed
  /// for a failure with an empty message (it was already said).
  int Fail(const Failure& failure) const;
  /// Prints an SDK error with a hint and returns its exit code.
  int Fail(const Error& error) const { return Fail(Failure(error)); }
  /// Prints "error: message" and returns `code`.
  int Fail(int code, std::string_view message) const;
  /// Prints a diagnostic to stderr (redacted and sanitised: it may quote the server).
  void Info(std::string_view message) const;
  /// Replaces every occurrence of the API key with "***".
  [[nodiscard]] std::string Redact(std::string_view text) const;

  /// Asks "what? [y/N]" on a terminal. Succeeds to proceed; fails with exit 2 when there is no
  /// terminal and no --yes, and with exit 1 when the user said no (nothing was changed).
  [[nodiscard]] Outcome<> Confirm(std::string_view what, bool yes) const;

 private:
  Settings settings_;
  std::unique_ptr<Printer> printer_;
  std::unique_ptr<sandbox::Sandbox> sandbox_;
  std::shared_ptr<esimgo::Transport> transport_;
  std::unique_ptr<Client> client_;
  std::string base_url_;
};

/// The one adaptor from a command's outcome to its exit code: 0, or the failure printed.
[[nodiscard]] inline int Finish(const Context& ctx, const Outcome<>& outcome) {
  return outcome ? kExitOk : ctx.Fail(outcome.error());
}

}  // namespace esimgo::cli
