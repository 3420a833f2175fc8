// esimgo networks — GET /networks (#26).

#include <fmt/core.h>

#include "commands.h"
#include "json_model.h"

namespace esimgo::cli {

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
  OnRun(cmd, ctx, [&ctx, a] {
    for (const auto& iso : a->isos) {
      bool ok =
          iso.size() >= 2 && iso.size() <= 6 && std::all_of(iso.begin(), iso.end(), [](char c) {
            return std::isalpha(static_cast<unsigned char>(c)) || c == '-';
          });
      if (!ok) {
        return ctx.Fail(kExitInvalidArgument,
                        fmt::format("invalid ISO code '{}': use two letters such as GB", iso));
      }
    }
    auto client = ctx.client();
    if (!client) return ctx.Fail(client.error());
    NetworksRequest req{.countries = a->countries, .isos = a->isos};
    if (a->all) req.return_all = true;
    auto r = (*client)->networks().Get(req);
    if (!r) return ctx.Fail(r.error());
    Table t{.headers = {"COUNTRY", "ISO", "NETWORK", "BRAND", "MCC", "MNC", "TADIG", "SPEED"}};
    for (const auto& c : r->country_networks) {
      for (const auto& n : c.networks) {
        t.rows.push_back(
            {c.name, c.iso, n.name, n.brand_name, n.mcc, n.mnc, n.tag_id, Join(n.speed, "/")});
      }
    }
    ctx.out().Emit(ToJsonArray(r->country_networks), t);
    return int{kExitOk};
  });
}

}  // namespace esimgo::cli
