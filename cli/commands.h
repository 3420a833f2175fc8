#pragma once
/// @file commands.h
/// One registration function per command group (one .cc each).

#include <CLI/CLI.hpp>

#include "context.h"

namespace esimgo::cli {

void RegisterCatalogue(CLI::App& app, Context& ctx);
void RegisterOrders(CLI::App& app, Context& ctx);
void RegisterEsims(CLI::App& app, Context& ctx);
void RegisterBundles(CLI::App& app, Context& ctx);
void RegisterInventory(CLI::App& app, Context& ctx);
void RegisterOrganisation(CLI::App& app, Context& ctx);
void RegisterNetworks(CLI::App& app, Context& ctx);
void RegisterCallbacks(CLI::App& app, Context& ctx);
void RegisterSandbox(CLI::App& app, Context& ctx);

/// Adds a subcommand that accepts the global options after it too.
inline CLI::App* Sub(CLI::App& parent, const std::string& name, const std::string& help) {
  CLI::App* sub = parent.add_subcommand(name, help);
  sub->fallthrough();
  return sub;
}

/// Sets `ctx.run` from a subcommand's callback.
template <class F>
void OnRun(CLI::App* sub, Context& ctx, F f) {
  sub->callback([&ctx, f]() { ctx.run = f; });
}

}  // namespace esimgo::cli
