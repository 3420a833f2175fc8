#pragma once
/// @file commands.h
/// One registration function per command group (one .cc each).

#include <CLI/CLI.hpp>
#include <type_traits>

#include "context.h"

namespace esimgo::cli {

void RegisterCatalogue(CLI::App& app, Context& ctx);
void RegisterOrders(CLI::App& app, Context& ctx);
void RegisterEsims(CLI::App& app, Context& ctx);
/// `esims apply` and `esims install` (esims_install.cc), under the `esims` group.
void RegisterEsimsApplyInstall(CLI::App& group, Context& ctx);
/// `esims suspend|unsuspend|suspension|delete` (esims_v25.cc, v2.5), under the `esims` group.
void RegisterEsimsV25(CLI::App& group, Context& ctx);
void RegisterBundles(CLI::App& app, Context& ctx);
void RegisterInventory(CLI::App& app, Context& ctx);
void RegisterOrganisation(CLI::App& app, Context& ctx);
void RegisterNetworks(CLI::App& app, Context& ctx);
void RegisterCallbacks(CLI::App& app, Context& ctx);
void RegisterSandbox(CLI::App& app, Context& ctx);
/// The hidden `__values` command behind the shell completions (completion_values.cc).
void RegisterCompletionValues(CLI::App& app, Context& ctx);
/// `contract check|replay` (contract.cc): read-only and dry-run probes of an account.
void RegisterContract(CLI::App& app, Context& ctx);

/// Adds a subcommand that accepts the global options after it too.
inline CLI::App* Sub(CLI::App& parent, const std::string& name, const std::string& help) {
  CLI::App* sub = parent.add_subcommand(name, help);
  sub->fallthrough();
  return sub;
}

/// Sets `ctx.run` from a subcommand's callback. `f` returns an `Outcome<>` (printed by
/// Finish) or, for commands that manage their own exit code, an int.
template <class F>
void OnRun(CLI::App* sub, Context& ctx, F f) {
  if constexpr (std::is_same_v<std::invoke_result_t<F>, int>) {
    sub->callback([&ctx, f]() { ctx.run = f; });
  } else {
    sub->callback([&ctx, f]() { ctx.run = [&ctx, f]() { return Finish(ctx, f()); }; });
  }
}

}  // namespace esimgo::cli
