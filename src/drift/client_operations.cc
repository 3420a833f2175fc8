#include "drift/client_operations.h"

namespace esimgo::drift::internal {

std::string_view OperationOf(esimgo::internal::Op op) noexcept {
  using esimgo::internal::Op;
  // No default: a new row of the operations table fails the build here (-Wswitch) until it
  // names its drift operation.
  switch (op) {
    case Op::kEsimsApply:
      return "POST /esims/apply";
    case Op::kEsimsInstallDetails:
      return "GET /esims/assignments";
    case Op::kEsimsHistory:
      return "GET /esims/{iccid}/history";
    case Op::kEsimsRefresh:
      return "GET /esims/{iccid}/refresh";
    case Op::kEsimsCompatible:
      return "GET /esims/{iccid}/compatible/{bundle}";
    case Op::kEsimsSendSms:
      return "POST /esims/{iccid}/sms";
    case Op::kEsimsListBundles:
      return "GET /esims/{iccid}/bundles";
    case Op::kEsimsApplyLegacy:
      return "POST /esims/{iccid}/bundles";
    case Op::kEsimsGetBundle:
      return "GET /esims/{iccid}/bundles/{name}";
    case Op::kEsimsRevokeBundle:
      return "DELETE /esims/{iccid}/bundles/{name}";
    case Op::kEsimsRevokeAssignment:
      return "DELETE /esims/{iccid}/bundles/{name}/assignments/{assignmentId}";
    case Op::kEsimsLocation:
      return "GET /esims/{iccid}/location";
    case Op::kEsimsGet:
      return "GET /esims/{iccid}";
    case Op::kEsimsList:
      return "GET /esims";
    case Op::kEsimsUpdate:
      return "PUT /esims";
    case Op::kOrganisationGet:
      return "GET /organisation";
    case Op::kOrganisationTopUp:
      return "POST /organisation/balance";
    case Op::kOrganisationGroups:
      return "GET /organisation/groups";
    case Op::kOrdersList:
      return "GET /orders";
    case Op::kOrdersCreate:
      // Same path as the validate dry run, another answer (reference §7.5).
      return "POST /orders?type=transaction";
    case Op::kOrdersValidate:
      return "POST /orders";
    case Op::kOrdersGet:
      return "GET /orders/{orderReference}";
    case Op::kInventoryGet:
      return "GET /inventory";
    case Op::kInventoryRefund:
      return "POST /inventory/refund";
    case Op::kCatalogueList:
      return "GET /catalogue";
    case Op::kCatalogueGet:
      return "GET /catalogue/bundle/{name}";
    case Op::kNetworksGet:
      return "GET /networks";
    case Op::kEsimsSuspend:
      return "POST /esims/{iccid}/suspend";
    case Op::kEsimsSuspension:
      return "GET /esims/{iccid}/suspend";
    case Op::kEsimsDelete:
      return "DELETE /esims/{iccid}";
    case Op::kCataloguePrices:
      return "GET /catalogue/prices";
    case Op::kEsimsQrCodes:
    case Op::kEsimsInstallCsv:
      return {};  // ZIP and CSV: no JSON contract to compare with
    case Op::kEsimsRevokeApplication:
      return "DELETE /esims/{iccid}/bundles/{name}/applications/{assignmentId}";
    case Op::kCount:
      break;
  }
  return {};
}

}  // namespace esimgo::drift::internal
