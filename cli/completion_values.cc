// esimgo __values NAME — the values shell completion offers for a flag, from the same
// constants the SDK checks (esimgo/limits.h), so the completion scripts hold no copy of them.
// Hidden from --help: it is an interface for cli/completions/, not for people.

#include <cstdio>

#include "commands.h"
#include "esimgo/limits.h"
#include "units.h"

namespace esimgo::cli {

void RegisterCompletionValues(CLI::App& app, Context& ctx) {
  auto name = std::make_shared<std::string>();
  auto* values = app.add_subcommand("__values", "");
  values->group("");  // hidden
  values->add_option("NAME", *name, "per-page or filter-by")->required();
  OnRun(values, ctx, [name]() -> Outcome<> {
    std::vector<std::string> out;
    if (*name == "per-page") {
      for (int size : limits::kEsimPageSizes) out.push_back(std::to_string(size));
    } else if (*name == "filter-by") {
      out.assign(limits::kEsimFilterFields.begin(), limits::kEsimFilterFields.end());
    } else {
      return Invalid("unknown value list '" + *name + "': per-page or filter-by");
    }
    std::fputs((Join(out, " ") + "\n").c_str(), stdout);
    return {};
  });
}

}  // namespace esimgo::cli
