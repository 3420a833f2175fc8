// Network coverage (#26).

#include "esimgo/networks.h"

#include "api_call.h"
#include "http/url.h"
#include "model/networks_codec.h"

namespace esimgo {
using internal::Call;
using internal::Op;

Result<NetworkList> NetworksApi::Get(const NetworksRequest& request,
                                     const CallOptions& call) const {
  internal::Query q;
  q.AddList("countries", request.countries)
      .AddList("isos", request.isos)
      .AddBoolIf("returnAll", request.return_all);
  return internal::ExecuteAndDecode<NetworkList>(
      core_.get(), Call{.op = Op::kNetworksGet, .target = "/networks" + q.str()}, call);
}

}  // namespace esimgo
