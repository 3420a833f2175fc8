// esimgo networks — GET /networks (#26).

#include <fmt/core.h>

#include "commands.h"
#include "fields.h"

namespace esimgo::cli {
namespace {

// One row per network: its country's columns, then the network's.
Table NetworksTable(const std::vector<CountryNetworks>& countries) {
  Table t = TableOf(std::vector<CountryNetworks>{});
  Table nets = TableOf(std::vector<Network>{});
  t.headers.insert(t.headers.end(), nets.headers.begin(), nets.headers.end());
  t.right_align.insert(t.right_align.end(), nets.right_align.begin(), nets.right_align.end());
  for (const auto& c : countries) {
    std::vector<std::string> country = TableOf(std::vector<CountryNetworks>{c}).rows[0];
    for (auto& row : TableOf(c.networks).rows) {
      row.insert(row.begin(), country.begin(), country.end());
      t.rows.push_back(std::move(row));
    }
  }
  return t;
}

}  // namespace

void RegisterNetworks(CLI::App& app, Context& ctx) {
  struct A {
    std::vector<std::string> countries, isos;
    bool all = false;
  };
  auto a = std::make_shared<A>();
  auto* cmd = Sub(app, "networks", "Mobile networks by country (GET /networks)");
  cmd->add_option("--countries", a->countries, "Country names, e.g. \"United Kingdom\",France")
      ->delimiter(',');
  cmd->add_option("--isos", a->isos, "ISO codes, e.g. GB,US")->delimiter(',');
  cmd->add_flag("--all", a->all, "Return every country (returnAll)");
  OnRun(cmd, ctx, [&ctx, a]() -> Outcome<> {
    for (const auto& iso : a->isos) {
      bool ok =
          iso.size() >= 2 && iso.size() <= 6 && std::all_of(iso.begin(), iso.end(), [](char c) {
            return std::isalpha(static_cast<unsigned char>(c)) || c == '-';
          });
      if (!ok)
        return Invalid(fmt::format("invalid ISO code '{}': use two letters such as GB", iso));
    }
    auto client = ctx.client();
    if (!client) return tl::unexpected(client.error());
    NetworksRequest req{.countries = a->countries, .isos = a->isos};
    if (a->all) req.return_all = true;
    auto r = (*client)->networks().Get(req);
    if (!r) return tl::unexpected(r.error());
    ctx.out().Emit(ToJsonArray(r->country_networks), NetworksTable(r->country_networks));
    return {};
  });
}

}  // namespace esimgo::cli
