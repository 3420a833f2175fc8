#pragma once
// The idempotency table: one row per API operation, and the only place that decides
// whether a failed call may be sent again (style rule 6).

#include <array>
#include <string_view>

#include "esimgo/options.h"

namespace esimgo::internal {

enum class Op {
  kEsimsApply,             // #1  POST   /esims/apply
  kEsimsInstallDetails,    // #2  GET    /esims/assignments
  kEsimsHistory,           // #3  GET    /esims/{iccid}/history
  kEsimsRefresh,           // #4  GET    /esims/{iccid}/refresh  (side effect)
  kEsimsCompatible,        // #5  GET    /esims/{iccid}/compatible/{bundle}
  kEsimsSendSms,           // #6  POST   /esims/{iccid}/sms
  kEsimsListBundles,       // #7  GET    /esims/{iccid}/bundles
  kEsimsApplyLegacy,       // #8  POST   /esims/{iccid}/bundles  (deprecated)
  kEsimsGetBundle,         // #9  GET    /esims/{iccid}/bundles/{name}
  kEsimsRevokeBundle,      // #10 DELETE /esims/{iccid}/bundles/{name}
  kEsimsRevokeAssignment,  // #11 DELETE /esims/{iccid}/bundles/{name}/assignments/{id}
  kEsimsLocation,          // #12 GET    /esims/{iccid}/location
  kEsimsGet,               // #13 GET    /esims/{iccid}
  kEsimsList,              // #14 GET    /esims
  kEsimsUpdate,            // #15 PUT    /esims
  kOrganisationGet,        // #16 GET    /organisation
  kOrganisationTopUp,      // #17 POST   /organisation/balance
  kOrganisationGroups,     // #18 GET    /organisation/groups
  kOrdersList,             // #19 GET    /orders
  kOrdersCreate,           // #20 POST   /orders type=transaction
  kOrdersValidate,         // #20 POST   /orders type=validate (charges nothing)
  kOrdersGet,              // #21 GET    /orders/{reference}
  kInventoryGet,           // #22 GET    /inventory
  kInventoryRefund,        // #23 POST   /inventory/refund
  kCatalogueList,          // #24 GET    /catalogue
  kCatalogueGet,           // #25 GET    /catalogue/bundle/{name}
  kNetworksGet,            // #26 GET    /networks
  // v2.5 (docs/adr/0007-api-versions.md); numbered after v2.4's 27 rows.
  kEsimsSuspend,            // #27 POST   /esims/{iccid}/suspend  {"suspend": bool}
  kEsimsSuspension,         // #28 GET    /esims/{iccid}/suspend  (guides only, not in the YAML)
  kEsimsDelete,             // #29 DELETE /esims/{iccid}          (irreversible)
  kCataloguePrices,         // #30 GET    /catalogue/prices       (consumption billing only)
  kEsimsQrCodes,            // #31 GET    /esims/qr/{reference}   (deprecated)
  kEsimsInstallCsv,         // #32 GET    /esims/csv/{reference}  (deprecated)
  kEsimsRevokeApplication,  // #33 DELETE …/bundles/{name}/applications/{id} (deprecated)
  kCount,
};

// kRetrySafe: sending twice has the effect of sending once (reads; PUT of the same value;
// validate dry runs). kNeverAfterSend: moves money or acts on the network — retried only
// when the transport proves the request never left this machine.
enum class Idempotency { kRetrySafe, kNeverAfterSend };

struct OperationInfo {
  Op op;
  std::string_view name;    // "orders.Create", used in errors and traces
  std::string_view method;  // HTTP method
  Idempotency idempotency;
  // The first API version that has the operation: ClientCore::Execute refuses it, before
  // sending, on a client whose base URL names an older version (an unknown version never
  // refuses). v2.4 rows leave it at its default.
  ApiVersion since = ApiVersion::kV2_4;
};

inline constexpr std::array<OperationInfo, static_cast<size_t>(Op::kCount)> kOperations = {{
    {Op::kEsimsApply, "esims.ApplyBundle", "POST", Idempotency::kNeverAfterSend},
    {Op::kEsimsInstallDetails, "esims.InstallDetails", "GET", Idempotency::kRetrySafe},
    {Op::kEsimsHistory, "esims.History", "GET", Idempotency::kRetrySafe},
    // A GET, but it disconnects the customer: never repeat it behind the user's back.
    {Op::kEsimsRefresh, "esims.Refresh", "GET", Idempotency::kNeverAfterSend},
    {Op::kEsimsCompatible, "esims.Compatible", "GET", Idempotency::kRetrySafe},
    {Op::kEsimsSendSms, "esims.SendSms", "POST", Idempotency::kNeverAfterSend},
    {Op::kEsimsListBundles, "esims.ListBundles", "GET", Idempotency::kRetrySafe},
    {Op::kEsimsApplyLegacy, "esims.ApplyBundleLegacy", "POST", Idempotency::kNeverAfterSend},
    {Op::kEsimsGetBundle, "esims.GetBundle", "GET", Idempotency::kRetrySafe},
    {Op::kEsimsRevokeBundle, "esims.RevokeBundle", "DELETE", Idempotency::kNeverAfterSend},
    {Op::kEsimsRevokeAssignment, "esims.RevokeAssignment", "DELETE", Idempotency::kNeverAfterSend},
    {Op::kEsimsLocation, "esims.Location", "GET", Idempotency::kRetrySafe},
    {Op::kEsimsGet, "esims.Get", "GET", Idempotency::kRetrySafe},
    {Op::kEsimsList, "esims.List", "GET", Idempotency::kRetrySafe},
    // Setting the same customerRef twice leaves the same state.
    {Op::kEsimsUpdate, "esims.Update", "PUT", Idempotency::kRetrySafe},
    {Op::kOrganisationGet, "organisation.Get", "GET", Idempotency::kRetrySafe},
    {Op::kOrganisationTopUp, "organisation.TopUp", "POST", Idempotency::kNeverAfterSend},
    {Op::kOrganisationGroups, "organisation.Groups", "GET", Idempotency::kRetrySafe},
    {Op::kOrdersList, "orders.List", "GET", Idempotency::kRetrySafe},
    {Op::kOrdersCreate, "orders.Create", "POST", Idempotency::kNeverAfterSend},
    {Op::kOrdersValidate, "orders.Validate", "POST", Idempotency::kRetrySafe},
    {Op::kOrdersGet, "orders.Get", "GET", Idempotency::kRetrySafe},
    {Op::kInventoryGet, "inventory.Get", "GET", Idempotency::kRetrySafe},
    {Op::kInventoryRefund, "inventory.Refund", "POST", Idempotency::kNeverAfterSend},
    {Op::kCatalogueList, "catalogue.List", "GET", Idempotency::kRetrySafe},
    {Op::kCatalogueGet, "catalogue.Get", "GET", Idempotency::kRetrySafe},
    {Op::kNetworksGet, "networks.Get", "GET", Idempotency::kRetrySafe},
    // Suspending or unsuspending acts on the network: the customer is cut off or reconnected.
    {Op::kEsimsSuspend, "esims.Suspend", "POST", Idempotency::kNeverAfterSend, ApiVersion::kV2_5},
    {Op::kEsimsSuspension, "esims.Suspension", "GET", Idempotency::kRetrySafe, ApiVersion::kV2_5},
    // Irreversible: revokes every bundle without a refund and removes the eSIM.
    {Op::kEsimsDelete, "esims.Delete", "DELETE", Idempotency::kNeverAfterSend, ApiVersion::kV2_5},
    {Op::kCataloguePrices, "catalogue.Prices", "GET", Idempotency::kRetrySafe, ApiVersion::kV2_5},
    // The deprecated operations are absent from the v2.4 YAML and listed in v2.5's (◐ they
    // probably existed before; nothing says so, so they are gated like the new ones).
    {Op::kEsimsQrCodes, "esims.QrCodes", "GET", Idempotency::kRetrySafe, ApiVersion::kV2_5},
    {Op::kEsimsInstallCsv, "esims.InstallCsv", "GET", Idempotency::kRetrySafe, ApiVersion::kV2_5},
    {Op::kEsimsRevokeApplication, "esims.RevokeApplication", "DELETE", Idempotency::kNeverAfterSend,
     ApiVersion::kV2_5},
}};

constexpr const OperationInfo& InfoOf(Op op) { return kOperations[static_cast<size_t>(op)]; }

// The table must list the operations in enum order.
constexpr bool TableInOrder() {
  for (size_t i = 0; i < kOperations.size(); ++i) {
    if (static_cast<size_t>(kOperations[i].op) != i) return false;
  }
  return true;
}
static_assert(TableInOrder(), "kOperations rows must follow the Op enum order");

}  // namespace esimgo::internal
