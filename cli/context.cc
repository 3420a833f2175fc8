#include "context.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <fmt/core.h>

#include "esimgo/esims.h"
#include "esimgo/sandbox/sandbox.h"

namespace esimgo::cli {

Context::Context() : printer_(std::make_unique<Printer>(Format::kJson, false)) {}
Context::~Context() {
  client_.reset();
  if (sandbox_) sandbox_->Stop();
}

int Context::Init(bool stdout_is_tty) {
  auto s = ResolveSettings(flags, stdout_is_tty);
  // ResolveSettings redacts the key from its own messages: settings_ does not hold it yet.
  if (!s) return Fail(s.error());
  settings_ = std::move(*s);
  Format f = settings_.output == "csv"    ? Format::kCsv
             : settings_.output == "json" ? Format::kJson
                                          : Format::kTable;
  printer_ = std::make_unique<Printer>(f, settings_.color);
  return kExitOk;
}

std::string Context::ApiKey() const {
  return settings_.embedded ? std::string(kEmbeddedKey) : settings_.api_key;
}

std::string Context::CallbackKey() const {
  return settings_.api_key.empty() ? std::string(kEmbeddedKey) : settings_.api_key;
}

Result<std::string> Context::BaseUrl() {
  if (!base_url_.empty()) return base_url_;
  if (!settings_.embedded) {
    if (settings_.api_key.empty()) {
      return esimgo::Fail(ErrorCode::kUnauthorized,
                          "no API key: pass --api-key, --api-key-file, set ESIMGO_API_KEY or "
                          "api_key in " +
                              ConfigPath());
    }
    // --api-version picks the live host's version; an explicit base URL keeps its own (config.cc
    // already refused a contradiction).
    base_url_ = settings_.base_url.empty()
                    ? DefaultBaseUrl(settings_.api_version.value_or(ApiVersion::kV2_4))
                    : settings_.base_url;
    return base_url_;
  }
  auto dir = StateDir();
  if (!dir) return tl::unexpected(dir.error());
  std::string db = *dir + "/sandbox.db";
  // No socket: the client reaches the sandbox through its in-process transport (same routes and
  // checks, no HTTP, no server threads), and the rate sheet is parsed only as far as the command
  // reads it (docs/adr/0008-fast-cli-start.md).
  auto started = sandbox::Sandbox::Start(
      {.db_path = db, .api_key = std::string(kEmbeddedKey), .listen = false});
  if (!started) {
    Error e = started.error();
    e.message = "could not start the embedded sandbox (" + db + "): " + e.message;
    return tl::unexpected(e);
  }
  sandbox_ = std::move(*started);
  base_url_ = sandbox_->base_url();
  transport_ = sandbox_->InProcessTransport();
  // The embedded sandbox serves /v2.4 and /v2.5 on one state (ADR 0007): a version asked for
  // (--api-version, ESIMGO_API_VERSION, config) picks the base URL's last segment.
  if (settings_.api_version && ApiVersionOfBaseUrl(base_url_) &&
      *ApiVersionOfBaseUrl(base_url_) != *settings_.api_version) {
    const std::size_t slash = base_url_.rfind('/');
    base_url_ =
        base_url_.substr(0, slash + 1) + "v" + std::string(ApiVersionName(*settings_.api_version));
  }
  if (!flags.sandbox) {  // with --sandbox the user asked for it: no need to say so
    Info(
        fmt::format("no API key configured: using the embedded sandbox (state in {}); set "
                    "ESIMGO_API_KEY to use the live API",
                    db));
  }
  return base_url_;
}

Result<Client*> Context::client() {
  if (client_) return client_.get();
  auto url = BaseUrl();
  if (!url) return tl::unexpected(url.error());
  auto transport = this->transport();
  if (!transport) return tl::unexpected(transport.error());
  ClientOptions options{
      .api_key = ApiKey(), .base_url = *url, .timeout = settings_.timeout, .transport = *transport};
  options.retry.max_attempts = settings_.retries + 1;
  if (settings_.embedded) options.requests_per_second = 0;
  if (settings_.verbose) {
    std::string key = ApiKey();
    options.trace = [key](const TraceEvent& e) {
      std::string line = fmt::format(
          "trace: {} {} {} attempt {} → {} in {} ms{}{}", e.operation, e.method, e.url, e.attempt,
          e.status == 0 ? std::string("no response") : std::to_string(e.status), e.elapsed.count(),
          e.note.empty() ? "" : " · ", e.note);
      std::fputs((Sanitize(RedactKey(line, key)) + "\n").c_str(), stderr);
    };
  }
  client_ = std::make_unique<Client>(std::move(options));
  return client_.get();
}

Result<std::shared_ptr<Transport>> Context::transport() {
  auto url = BaseUrl();
  if (!url) return tl::unexpected(url.error());
  // libcurl is loaded only here, for a request that goes to the network (src/http/curl_api.h).
  if (!transport_) transport_ = MakeCurlTransport();
  return transport_;
}

std::string Context::Redact(std::string_view text) const {
  return RedactKey(RedactKey(text, settings_.api_key), kEmbeddedKey);
}

void Context::Info(std::string_view message) const {
  std::string line = "esimgo: " + Sanitize(Redact(message)) + "\n";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

namespace {

std::string Hint(const Error& e, int code) {
  switch (code) {
    case kExitAuth:
      return "check the API key (--api-key, --api-key-file, ESIMGO_API_KEY or api_key in the "
             "config file)";
    case kExitNotFound:
      return "check the identifier (list them with the matching `list` command)";
    case kExitUnavailable:
      return e.retry_after ? fmt::format("try again in {} s", e.retry_after->count())
                           : std::string("try again later");
    case kExitNetwork:
      if (e.code == ErrorCode::kAmbiguous &&
          (e.operation == "esims.Suspend" || e.operation == "esims.Delete")) {
        return "the request may have been applied: check the eSIM's state with `esimgo esims "
               "show ICCID` before trying again";
      }
      if (e.code == ErrorCode::kAmbiguous) {
        return "the request may have been applied: check with `esimgo orders list` before "
               "retrying";
      }
      return "check --base-url and the network connection; --timeout raises the deadline";
    case kExitServer:
      return "the server failed; try again later or with --verbose to see the requests";
    default:
      return "";
  }
}

}  // namespace

int Context::Fail(const Failure& failure) const {
  const Error& error = failure.error;
  const int code = failure.exit_code;
  if (error.message.empty()) return code;
  // Some SDK messages already start with the operation's name ("esims.Suspend needs …").
  std::string what = error.operation.empty() || error.message.starts_with(error.operation)
                         ? std::string()
                         : error.operation + ": ";
  std::string status = error.http_status ? fmt::format(" (HTTP {})", error.http_status) : "";
  // The message may quote the server (and the key): redacted, then sanitised for the terminal.
  std::string safe =
      "error: " + Sanitize(Redact(fmt::format("{}{}{}", what, error.message, status)));
  std::string hint = Hint(error, code);
  if (!hint.empty()) safe += "\nhint: " + Sanitize(Redact(hint));
  std::string red = printer_->color() ? "\033[31m" + safe + "\033[0m" : safe;
  std::fputs((red + "\n").c_str(), stderr);
  return code;
}

int Context::Fail(int code, std::string_view message) const {
  std::string line = "error: " + Sanitize(Redact(message)) + "\n";
  std::fputs(line.c_str(), stderr);
  return code;
}

Outcome<> Context::Confirm(std::string_view what, bool yes) const {
  if (yes) return {};
  if (isatty(STDIN_FILENO) != 1) {
    return Stop(kExitUsage, fmt::format("refusing to {} without confirmation: stdin is not a "
                                        "terminal; re-run with --yes to confirm",
                                        what));
  }
  std::fputs(fmt::format("{}? [y/N] ", what).c_str(), stderr);
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) answer.clear();
  if (answer == "y" || answer == "Y" || answer == "yes" || answer == "YES") return {};
  Info("cancelled: nothing was changed");
  return Stop(kExitFailure, "");
}

}  // namespace esimgo::cli
