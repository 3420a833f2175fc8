// GET /networks (#26) from the embedded network list.

#include "model/networks_codec.h"
#include "router.h"
#include "static_data.h"

namespace esimgo::sandbox {
namespace {

Reply Get(Ctx& c) {
  const StaticData& d = Data();
  std::vector<std::string> countries = SplitList(c.Query("countries").value_or(""));
  std::vector<std::string> isos = SplitList(c.Query("isos").value_or(""));
  bool return_all = false;
  if (auto v = c.Query("returnAll"); v && !ParseBoolText(*v, return_all)) {
    return ErrorReply(400, "returnAll must be true or false");
  }
  if (countries.empty() && isos.empty() && !return_all) {
    return ErrorReply(400,
                      "give countries (names, comma list), isos (ISO codes, comma list) or "
                      "returnAll=true");
  }
  NetworkList out;
  for (const auto& cn : d.networks.country_networks) {
    bool want = return_all;
    for (const auto& n : countries) want = want || EqualsIgnoreCase(n, cn.name);
    for (const auto& i : isos) want = want || EqualsIgnoreCase(i, cn.iso);
    if (want) out.country_networks.push_back(cn);
  }
  return Encoded(out);
}

}  // namespace

void AddNetworkRoutes(RouteTable& t) { t.push_back({"GET", "/networks", "GET /networks", Get}); }

}  // namespace esimgo::sandbox
