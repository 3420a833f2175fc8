// esimgo: every operation of the eSIM Go API v2.4 and v2.5 from the shell.
//
// This is the CLI module (esimgo-cli.so): the `esimgo` executable is a launcher (launcher.cc)
// that answers a bare `esimgo --version` itself and dlopens this module for everything else, so
// that the libraries the commands need are mapped only when a command runs (ADR 0008).

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "commands.h"
#include "context.h"
#include "exit_codes.h"
#include "version_line.h"

// The module's one exported symbol (the module is linked with a version script that keeps
// every other symbol local): what main() was, called by the launcher with its own argc/argv.
extern "C" __attribute__((visibility("default"))) int esimgo_cli_main(int argc, char** argv) {
  using namespace esimgo::cli;
  Context ctx;
  CLI::App app{
      "esimgo — the eSIM Go reseller API (v2.4; v2.5 with --api-version 2.5) from the shell.\n"
      "Without an API key every command runs against an embedded sandbox (no account needed).",
      "esimgo"};
  app.set_version_flag("--version", ESIMGO_CLI_VERSION_LINE);
  app.require_subcommand(1);
  app.fallthrough();

  std::string api_key, api_key_file, base_url, api_version, output, timeout;
  int retries = 0;
  auto* o_key = app.add_option("--api-key", api_key, "API key (or ESIMGO_API_KEY); never printed");
  auto* o_key_file =
      app.add_option("--api-key-file", api_key_file, "Read the API key from this file");
  auto* o_url = app.add_option("--base-url", base_url,
                               "API base URL (or ESIMGO_BASE_URL; default "
                               "https://api.esim-go.com/v2.4)");
  auto* o_version = app.add_option("--api-version", api_version,
                                   "API version of the default host: 2.4 (default) or 2.5 (or "
                                   "ESIMGO_API_VERSION); a --base-url keeps its own");
  app.add_flag("--sandbox", ctx.flags.sandbox, "Use the embedded sandbox even if a key is set");
  auto* o_out = app.add_option("-o,--output", output,
                               "Output format: table (default on a terminal), json, csv")
                    ->check(CLI::IsMember({"table", "json", "csv"}));
  auto* o_timeout =
      app.add_option("--timeout", timeout, "Per-request timeout, e.g. 30s, 500ms (default 30s)");
  auto* o_retries =
      app.add_option("--retries", retries, "Retries of safe reads (default 3; writes never)");
  app.add_flag("-v,--verbose", ctx.flags.verbose, "Trace requests on stderr (key redacted)");
  app.add_flag("--no-color", ctx.flags.no_color, "No colours (also NO_COLOR)");

  RegisterCatalogue(app, ctx);
  RegisterOrders(app, ctx);
  RegisterEsims(app, ctx);
  RegisterBundles(app, ctx);
  RegisterInventory(app, ctx);
  RegisterOrganisation(app, ctx);
  RegisterNetworks(app, ctx);
  RegisterCallbacks(app, ctx);
  RegisterSandbox(app, ctx);
  RegisterCompletionValues(app, ctx);
  RegisterContract(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // CLI11 quotes what it did not expect, and a key typed in the wrong place is exactly that:
    // redacted (with every key it may be) before it is printed.
    std::string message = RedactKey(e.what(), api_key);
    if (const char* key = std::getenv("ESIMGO_API_KEY")) message = RedactKey(message, key);
    constexpr std::string_view kKeyFlag = "--api-key";
    for (int i = 1; i < argc; ++i) {
      std::string_view arg = argv[i];
      if (arg == kKeyFlag && i + 1 < argc) message = RedactKey(message, argv[i + 1]);
      if (arg.starts_with(kKeyFlag) && arg.size() > kKeyFlag.size() + 1 &&
          arg[kKeyFlag.size()] == '=') {
        message = RedactKey(message, arg.substr(kKeyFlag.size() + 1));
      }
    }
    std::fputs(("error: " + Sanitize(message) + "\nRun with --help for usage.\n").c_str(), stderr);
    return kExitUsage;
  }
  if (o_key->count()) ctx.flags.api_key = api_key;
  if (o_key_file->count()) ctx.flags.api_key_file = api_key_file;
  if (o_url->count()) ctx.flags.base_url = base_url;
  if (o_version->count()) ctx.flags.api_version = api_version;
  if (o_out->count()) ctx.flags.output = output;
  if (o_timeout->count()) ctx.flags.timeout = timeout;
  if (o_retries->count()) ctx.flags.retries = retries;

  if (int rc = ctx.Init(isatty(STDOUT_FILENO) == 1); rc != kExitOk) return rc;
  if (!ctx.run) {
    std::fputs("error: missing command; run with --help\n", stderr);
    return kExitUsage;
  }
  try {
    return ctx.run();
  } catch (const std::exception& e) {
    return ctx.Fail(kExitFailure, std::string("unexpected failure: ") + e.what());
  }
}
