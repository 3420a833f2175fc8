// eSIM operations (#1–#15): validation, request shape, content negotiation.

#include "esimgo/esims.h"

#include "esimgo/limits.h"

#include <array>

#include "api_call.h"
#include "http/url.h"
#include "model/common_codec.h"
#include "model/esims_codec.h"

namespace esimgo {
using internal::Call;
using internal::Op;

namespace {

// ValidateIccid's error, attributed to the operation that refused to send.
Result<void> CheckIccid(Op op, std::string_view iccid) {
  auto ok = ValidateIccid(iccid);
  if (!ok) ok.error().operation = std::string(internal::InfoOf(op).name);
  return ok;
}

Result<void> CheckNotEmpty(Op op, std::string_view value, std::string_view what,
                           std::string_view example) {
  if (!value.empty()) return {};
  return internal::InvalidArgument(
      op, std::string(what) + " is empty (e.g. " + std::string(example) + ")");
}

// The one check of `repeat` (new eSIMs per apply), shared by both apply operations.
Result<void> CheckRepeat(Op op, std::optional<int> repeat, std::string_view what) {
  if (!repeat || (*repeat >= limits::kApplyRepeatMin && *repeat <= limits::kApplyRepeatMax)) {
    return {};
  }
  return internal::InvalidArgument(
      op, std::string(what) + " is " + std::to_string(*repeat) + ": it must be from " +
              std::to_string(limits::kApplyRepeatMin) + " to " +
              std::to_string(limits::kApplyRepeatMax) + " (leave it unset for 1)");
}

std::string_view RevokeTypeName(RevokeType t) {
  return t == RevokeType::kValidate ? "validate" : "transaction";
}

// Sends `call` and decodes a `{status}` body.
Result<StatusMessage> Status(internal::ClientCore* core, Call call, const CallOptions& options) {
  return internal::ExecuteAndDecode<StatusMessage>(core, call, options);
}

std::string EsimPath(std::string_view iccid) {
  return "/esims/" + internal::EscapePathSegment(iccid);
}

// The two single-assignment revokes (#11 and the deprecated #33) differ only in the path word
// before the id: one checked, never-retried request for both.
Result<StatusMessage> RevokeOne(internal::ClientCore* core, Op op, std::string_view segment,
                                std::string_view iccid, std::string_view name,
                                std::string_view assignment_id, RevokeType type,
                                const CallOptions& call) {
  if (auto ok = CheckIccid(op, iccid); !ok) return tl::unexpected(ok.error());
  if (auto ok = CheckNotEmpty(op, name, "bundle name", "esim_1GB_7D_GB_V2"); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = CheckNotEmpty(op, assignment_id, "assignment id",
                              "215009266, the id of an assignment from ListBundles");
      !ok) {
    return tl::unexpected(ok.error());
  }
  internal::Query q;
  q.Add("type", RevokeTypeName(type));
  return internal::MarkAmbiguous(
      Status(core,
             Call{.op = op,
                  .target = EsimPath(iccid) + "/bundles/" + internal::EscapePathSegment(name) +
                            std::string(segment) + internal::EscapePathSegment(assignment_id) +
                            q.str()},
             call),
      "the revoke", "Check the bundle's state with GetBundle before revoking again.");
}

}  // namespace

// #1
Result<ApplyBundleResponse> EsimsApi::ApplyBundle(const ApplyBundleRequest& request,
                                                  const CallOptions& call) const {
  constexpr Op op = Op::kEsimsApply;
  const bool single = request.name.has_value();
  const bool list = !request.bundles.empty();
  if (single == list) {
    return internal::InvalidArgument(
        op, single ? "set either name (one bundle) or bundles (a list), not both"
                   : "no bundle given: set name (one bundle) or bundles (a list)");
  }
  if (request.iccid) {
    if (auto ok = CheckIccid(op, *request.iccid); !ok) return tl::unexpected(ok.error());
  }
  if (single) {
    if (auto ok = CheckNotEmpty(op, *request.name, "bundle name", "esim_1GB_7D_GB_V2"); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  for (const auto& item : request.bundles) {
    if (auto ok = CheckNotEmpty(op, item.name, "a bundle name in bundles", "esim_1GB_7D_GB_V2");
        !ok) {
      return tl::unexpected(ok.error());
    }
    if (auto ok = CheckRepeat(op, item.repeat, "repeat of bundle '" + item.name + "'"); !ok) {
      return tl::unexpected(ok.error());
    }
    if (item.repeat && request.iccid) {
      return internal::InvalidArgument(
          op, "repeat asks for new eSIMs and cannot be combined with iccid: drop one of them");
    }
  }
  if (auto ok = CheckRepeat(op, request.repeat, "repeat"); !ok) return tl::unexpected(ok.error());
  if (request.repeat) {
    if (request.iccid) {
      return internal::InvalidArgument(
          op, "repeat asks for new eSIMs and cannot be combined with iccid: drop one of them");
    }
  }
  return internal::MarkAmbiguous(
      internal::ExecuteAndDecode<ApplyBundleResponse>(
          core_.get(),
          Call{.op = op, .target = "/esims/apply", .body = internal::EncodeBody(request)}, call),
      "the bundle application",
      "Check with ListBundles (or History) on the eSIM before applying again.");
}

// #2
Result<InstallDetailsResult> EsimsApi::InstallDetails(const InstallDetailsRequest& request,
                                                      const CallOptions& call) const {
  constexpr Op op = Op::kEsimsInstallDetails;
  if (request.references.empty()) {
    return internal::InvalidArgument(
        op, "no references: give at least one order reference or apply reference");
  }
  for (const auto& ref : request.references) {
    if (ref.find_first_not_of(" \t") == std::string::npos) {
      return internal::InvalidArgument(
          op,
          "a reference is empty: give order references (POST /orders) or apply references "
          "(POST /esims/apply)");
    }
  }
  internal::Query q;
  q.AddList("reference", request.references).AddIf("additionalFields", request.additional_fields);
  std::string_view accept = "application/json";
  if (request.format == InstallDetailsFormat::kCsv) accept = "text/csv";
  if (request.format == InstallDetailsFormat::kZip) accept = "application/zip";
  const Call c{.op = op, .target = "/esims/assignments" + q.str(), .accept = accept};

  if (request.format == InstallDetailsFormat::kJson) {
    auto body = internal::ExecuteAndDecode<InstallDetailsBody>(core_.get(), c, call);
    if (!body) return tl::unexpected(std::move(body.error()));
    return InstallDetailsResult{.esims = std::move(body->esims)};
  }
  // CSV and ZIP are not JSON: the same retry loop, a different decoder.
  auto response = core_->Execute(c, call);
  if (!response) return tl::unexpected(std::move(response.error()));
  auto fail = [&](std::string message) {
    Error e;
    e.code = ErrorCode::kDecode;
    e.message = std::move(message);
    e.operation = std::string(internal::InfoOf(op).name);
    e.http_status = response->status;
    e.attempts = 1;
    return tl::unexpected<Error>(std::move(e));
  };
  const std::string_view content_type = FindHeader(response->headers, "Content-Type");
  if (request.format == InstallDetailsFormat::kZip) {
    // Every ZIP, even an empty one, starts with a "PK" signature.
    if (response->body.size() < 4 || response->body.compare(0, 2, "PK") != 0) {
      return fail("asked for application/zip but the body is not a ZIP archive (Content-Type '" +
                  std::string(content_type) + "', " + std::to_string(response->body.size()) +
                  " bytes)");
    }
    return InstallDetailsResult{.zip = std::move(response->body)};
  }
  // A server that ignores Accept and answers JSON is still understood.
  if (content_type.find("json") != std::string_view::npos) {
    auto body = internal::DecodeResponse<InstallDetailsBody>(core_.get(), op, *response);
    if (!body) return fail(body.error().message);
    return InstallDetailsResult{.esims = std::move(body->esims)};
  }
  auto rows = ParseInstallDetailsCsv(response->body);
  if (!rows) return fail(rows.error().message);
  return InstallDetailsResult{.esims = std::move(*rows)};
}

// #3
Result<std::vector<HistoryEvent>> EsimsApi::History(std::string_view iccid,
                                                    const CallOptions& call) const {
  constexpr Op op = Op::kEsimsHistory;
  if (auto ok = CheckIccid(op, iccid); !ok) return tl::unexpected(ok.error());
  auto body = internal::ExecuteAndDecode<HistoryBody>(
      core_.get(), Call{.op = op, .target = EsimPath(iccid) + "/history"}, call);
  if (!body) return tl::unexpected(std::move(body.error()));
  return std::move(body->events);
}

// #4
Result<StatusMessage> EsimsApi::Refresh(std::string_view iccid, const CallOptions& call) const {
  constexpr Op op = Op::kEsimsRefresh;
  if (auto ok = CheckIccid(op, iccid); !ok) return tl::unexpected(ok.error());
  return internal::MarkAmbiguous(
      Status(core_.get(), Call{.op = op, .target = EsimPath(iccid) + "/refresh"}, call),
      "the refresh (a cancel-location that disconnects the customer)",
      "Check History for an \"eSIM Refreshed\" event before refreshing again.");
}

// #5
Result<bool> EsimsApi::Compatible(std::string_view iccid, std::string_view bundle,
                                  const CallOptions& call) const {
  constexpr Op op = Op::kEsimsCompatible;
  if (auto ok = CheckIccid(op, iccid); !ok) return tl::unexpected(ok.error());
  if (auto ok = CheckNotEmpty(op, bundle, "bundle name", "esim_1GB_7D_GB_V2"); !ok) {
    return tl::unexpected(ok.error());
  }
  auto body = internal::ExecuteAndDecode<CompatibilityBody>(
      core_.get(),
      Call{.op = op,
           .target = EsimPath(iccid) + "/compatible/" + internal::EscapePathSegment(bundle)},
      call);
  if (!body) return tl::unexpected(std::move(body.error()));
  return body->compatible;
}

// #6
Result<StatusMessage> EsimsApi::SendSms(std::string_view iccid, const SmsRequest& request,
                                        const CallOptions& call) const {
  constexpr Op op = Op::kEsimsSendSms;
  if (auto ok = CheckIccid(op, iccid); !ok) return tl::unexpected(ok.error());
  const auto length = limits::Utf8Length(request.message);
  if (!length) return internal::InvalidArgument(op, "SMS message is not valid UTF-8");
  if (*length < limits::kSmsMinCharacters) {
    return internal::InvalidArgument(op, "SMS message is empty");
  }
  if (*length > limits::kSmsMaxCharacters) {
    return internal::InvalidArgument(op, "SMS message has " + std::to_string(*length) +
                                             " characters: the API takes at most " +
                                             std::to_string(limits::kSmsMaxCharacters) +
                                             "; shorten it or send several messages");
  }
  if (request.from && request.from->empty()) {
    return internal::InvalidArgument(
        op, "from is empty: leave it unset for the default sender \"eSIM\"");
  }
  return internal::MarkAmbiguous(
      Status(
          core_.get(),
          Call{.op = op, .target = EsimPath(iccid) + "/sms", .body = internal::EncodeBody(request)},
          call),
      "the SMS", "Sending it again may deliver it twice.");
}

// #7
Result<std::vector<AppliedBundle>> EsimsApi::ListBundles(std::string_view iccid,
                                                         const ListBundlesRequest& request,
                                                         const CallOptions& call) const {
  constexpr Op op = Op::kEsimsListBundles;
  if (auto ok = CheckIccid(op, iccid); !ok) return tl::unexpected(ok.error());
  if (request.limit && (*request.limit < 1 || *request.limit > 200)) {
    return internal::InvalidArgument(op, "limit is " + std::to_string(*request.limit) +
                                             ": it must be between 1 and 200 (the API's "
                                             "default is 15)");
  }
  internal::Query q;
  q.AddBoolIf("includeUsed", request.include_used).AddIf("limit", request.limit);
  auto body = internal::ExecuteAndDecode<BundlesListBody>(
      core_.get(), Call{.op = op, .target = EsimPath(iccid) + "/bundles" + q.str()}, call);
  if (!body) return tl::unexpected(std::move(body.error()));
  return std::move(body->bundles);
}

// #8
Result<StatusMessage> EsimsApi::ApplyBundleLegacy(std::string_view iccid,
                                                  const LegacyApplyRequest& request,
                                                  const CallOptions& call) const {
  constexpr Op op = Op::kEsimsApplyLegacy;
  if (auto ok = CheckIccid(op, iccid); !ok) return tl::unexpected(ok.error());
  if (auto ok = CheckNotEmpty(op, request.name, "bundle name", "esim_1GB_7D_GB_V2"); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = CheckRepeat(op, request.repeat, "repeat"); !ok) return tl::unexpected(ok.error());
  return internal::MarkAmbiguous(Status(core_.get(),
                                        Call{.op = op,
                                             .target = EsimPath(iccid) + "/bundles",
                                             .body = internal::EncodeBody(request)},
                                        call),
                                 "the bundle application",
                                 "Check with ListBundles on the eSIM before applying again.");
}

// #9
Result<std::vector<BundleAssignment>> EsimsApi::GetBundle(std::string_view iccid,
                                                          std::string_view name,
                                                          const CallOptions& call) const {
  constexpr Op op = Op::kEsimsGetBundle;
  if (auto ok = CheckIccid(op, iccid); !ok) return tl::unexpected(ok.error());
  if (auto ok = CheckNotEmpty(op, name, "bundle name", "esim_1GB_7D_GB_V2"); !ok) {
    return tl::unexpected(ok.error());
  }
  auto body = internal::ExecuteAndDecode<AssignmentListBody>(
      core_.get(),
      Call{.op = op, .target = EsimPath(iccid) + "/bundles/" + internal::EscapePathSegment(name)},
      call);
  if (!body) return tl::unexpected(std::move(body.error()));
  return std::move(body->assignments);
}

// #10
Result<StatusMessage> EsimsApi::RevokeBundle(std::string_view iccid, std::string_view name,
                                             const RevokeBundleRequest& request,
                                             const CallOptions& call) const {
  constexpr Op op = Op::kEsimsRevokeBundle;
  if (auto ok = CheckIccid(op, iccid); !ok) return tl::unexpected(ok.error());
  if (auto ok = CheckNotEmpty(op, name, "bundle name", "esim_1GB_7D_GB_V2"); !ok) {
    return tl::unexpected(ok.error());
  }
  if (request.refund_to_balance.value_or(false) && request.offer_id.value_or("").empty()) {
    return internal::InvalidArgument(
        op, "refund_to_balance needs offer_id (the offerId of the bundle to revoke)");
  }
  internal::Query q;
  q.AddBoolIf("refundToBalance", request.refund_to_balance)
      .AddIf("offerId", request.offer_id)
      .Add("type", RevokeTypeName(request.type));
  return internal::MarkAmbiguous(Status(core_.get(),
                                        Call{.op = op,
                                             .target = EsimPath(iccid) + "/bundles/" +
                                                       internal::EscapePathSegment(name) + q.str()},
                                        call),
                                 "the revoke",
                                 "Check the bundle's state with GetBundle before revoking again.");
}

// #11
Result<StatusMessage> EsimsApi::RevokeAssignment(std::string_view iccid, std::string_view name,
                                                 std::string_view assignment_id, RevokeType type,
                                                 const CallOptions& call) const {
  return RevokeOne(core_.get(), Op::kEsimsRevokeAssignment, "/assignments/", iccid, name,
                   assignment_id, type, call);
}

// #12
Result<EsimLocation> EsimsApi::Location(std::string_view iccid, const CallOptions& call) const {
  constexpr Op op = Op::kEsimsLocation;
  if (auto ok = CheckIccid(op, iccid); !ok) return tl::unexpected(ok.error());
  return internal::ExecuteAndDecode<EsimLocation>(
      core_.get(), Call{.op = op, .target = EsimPath(iccid) + "/location"}, call);
}

// #13
Result<EsimDetails> EsimsApi::Get(std::string_view iccid,
                                  std::optional<std::string> additional_fields,
                                  const CallOptions& call) const {
  constexpr Op op = Op::kEsimsGet;
  if (auto ok = CheckIccid(op, iccid); !ok) return tl::unexpected(ok.error());
  internal::Query q;
  q.AddIf("additionalFields", additional_fields);
  return internal::ExecuteAndDecode<EsimDetails>(
      core_.get(), Call{.op = op, .target = EsimPath(iccid) + q.str()}, call);
}

// #14
Result<Page<EsimSummary>> EsimsApi::List(const EsimListRequest& request,
                                         const CallOptions& call) const {
  constexpr Op op = Op::kEsimsList;
  if (auto ok = internal::CheckPaging(op, request.page, "per_page", std::nullopt, 0); !ok) {
    return tl::unexpected(ok.error());
  }
  if (request.per_page && !limits::IsEsimPageSize(*request.per_page)) {
    return internal::InvalidArgument(op, "per_page is " + std::to_string(*request.per_page) +
                                             ": GET /esims accepts only 10, 25, 50 or 100");
  }
  if (request.filter_by) {
    bool known = false;
    for (auto f : limits::kEsimFilterFields) known = known || *request.filter_by == f;
    if (!known) {
      return internal::InvalidArgument(op, "filter_by '" + *request.filter_by +
                                               "' is not one of iccid, customerRef, lastAction, "
                                               "actionDate, assignedDate");
    }
    if (!request.filter || request.filter->empty()) {
      return internal::InvalidArgument(
          op, "filter_by '" + *request.filter_by + "' needs filter (the value to filter by)");
    }
  } else if (request.filter) {
    return internal::InvalidArgument(
        op, "filter needs filter_by (iccid, customerRef, lastAction, actionDate or assignedDate)");
  }
  internal::Query q;
  q.AddIf("page", request.page)
      .AddIf("perPage", request.per_page)
      .AddIf("direction", request.direction)
      .AddIf("orderBy", request.order_by)
      .AddIf("filterBy", request.filter_by)
      .AddIf("filter", request.filter);
  auto body = internal::ExecuteAndDecode<EsimListBody>(
      core_.get(), Call{.op = op, .target = "/esims" + q.str()}, call);
  if (!body) return tl::unexpected(std::move(body.error()));
  Page<EsimSummary> out;
  out.page = request.page.value_or(1);
  out.items = std::move(body->esims);
  // No page metadata: only a full page can have a successor.
  out.has_more = request.per_page && static_cast<int>(out.items.size()) >= *request.per_page;
  return out;
}

Pager<EsimSummary> EsimsApi::ListAll(EsimListRequest request, CallOptions call) const {
  const int first = request.page.value_or(1);
  // The page size must be known for a short page to end the walk, so it is always sent.
  if (!request.per_page) request.per_page = limits::kEsimDefaultPageSize;
  return Pager<EsimSummary>(
      [api = *this, request, call](int page) mutable -> Result<Page<EsimSummary>> {
        request.page = page;
        return api.List(request, call);
      },
      first);
}

// #15
Result<StatusMessage> EsimsApi::Update(std::string_view iccid, std::string_view customer_ref,
                                       const CallOptions& call) const {
  constexpr Op op = Op::kEsimsUpdate;
  if (auto ok = CheckIccid(op, iccid); !ok) return tl::unexpected(ok.error());
  // The spec defines the data both as query and as body, and does not say which one the
  // server reads: send both.
  internal::Query q;
  q.Add("iccid", iccid).Add("customerRef", customer_ref);
  return Status(core_.get(),
                Call{.op = op,
                     .target = "/esims" + q.str(),
                     .body = internal::EncodeBody(UpdateEsimBody{
                         .iccid = std::string(iccid), .customer_ref = std::string(customer_ref)})},
                call);
}

// ---- v2.5 (gated by the operations' rows: a v2.4 client refuses them before sending) ----

// #27
Result<StatusMessage> EsimsApi::Suspend(std::string_view iccid, bool suspend,
                                        const CallOptions& call) const {
  constexpr Op op = Op::kEsimsSuspend;
  if (auto ok = CheckIccid(op, iccid); !ok) return tl::unexpected(ok.error());
  return internal::MarkAmbiguous(
      Status(core_.get(),
             Call{.op = op,
                  .target = EsimPath(iccid) + "/suspend",
                  .body = internal::EncodeBody(SuspendBody{.suspend = suspend})},
             call),
      suspend ? "the suspension" : "the unsuspension",
      "Check the eSIM's state with Suspension (or Get) before sending it again.");
}

// #28
Result<SuspensionStatus> EsimsApi::Suspension(std::string_view iccid,
                                              const CallOptions& call) const {
  constexpr Op op = Op::kEsimsSuspension;
  if (auto ok = CheckIccid(op, iccid); !ok) return tl::unexpected(ok.error());
  auto response = core_->Execute(Call{.op = op, .target = EsimPath(iccid) + "/suspend"}, call);
  if (!response) return tl::unexpected(std::move(response.error()));
  // ◐ The shape is inferred: keep the body whatever it holds (docs/adr/0007-api-versions.md).
  auto status = internal::DecodeResponse<SuspensionStatus>(core_.get(), op, *response);
  if (!status) return status;
  status->raw_json = std::move(response->body);
  return status;
}

// #29
Result<StatusMessage> EsimsApi::Delete(std::string_view iccid, const CallOptions& call) const {
  constexpr Op op = Op::kEsimsDelete;
  if (auto ok = CheckIccid(op, iccid); !ok) return tl::unexpected(ok.error());
  return internal::MarkAmbiguous(
      Status(core_.get(), Call{.op = op, .target = EsimPath(iccid)}, call),
      "the deletion (irreversible: every bundle revoked without a refund)",
      "Check with Get whether the eSIM's state is \"deactivated\" before deleting again.");
}

namespace {
Result<void> CheckReference(Op op, std::string_view reference) {
  if (reference.find_first_not_of(" \t") != std::string_view::npos) return {};
  return internal::InvalidArgument(
      op,
      "reference is empty: give an order reference (POST /orders) or an apply reference "
      "(POST /esims/apply)");
}

Error BodyError(Op op, const HttpResponse& response, std::string message) {
  Error e;
  e.code = ErrorCode::kDecode;
  e.message = std::move(message);
  e.operation = std::string(internal::InfoOf(op).name);
  e.http_status = response.status;
  e.attempts = 1;
  return e;
}
}  // namespace

// #31
Result<std::string> EsimsApi::QrCodes(std::string_view reference, const CallOptions& call) const {
  constexpr Op op = Op::kEsimsQrCodes;
  if (auto ok = CheckReference(op, reference); !ok) return tl::unexpected(ok.error());
  auto response =
      core_->Execute(Call{.op = op,
                          .target = "/esims/qr/" + internal::EscapePathSegment(reference),
                          .accept = "application/zip"},
                     call);
  if (!response) return tl::unexpected(std::move(response.error()));
  // Every ZIP, even an empty one, starts with a "PK" signature.
  if (response->body.size() < 4 || response->body.compare(0, 2, "PK") != 0) {
    return tl::unexpected(
        BodyError(op, *response,
                  "asked for application/zip but the body is not a ZIP archive (Content-Type '" +
                      std::string(FindHeader(response->headers, "Content-Type")) + "', " +
                      std::to_string(response->body.size()) + " bytes)"));
  }
  return std::move(response->body);
}

// #32
Result<std::vector<EsimInstall>> EsimsApi::InstallCsv(
    std::string_view reference, const std::vector<std::string>& additional_fields,
    const CallOptions& call) const {
  constexpr Op op = Op::kEsimsInstallCsv;
  if (auto ok = CheckReference(op, reference); !ok) return tl::unexpected(ok.error());
  internal::Query q;
  for (const auto& field : additional_fields) {
    if (field.empty()) {
      return internal::InvalidArgument(
          op, "an additional field is empty: use appleInstallUrl or installUrl");
    }
    // `explode: true` in the YAML: one parameter per value.
    q.Add("additionalFields", field);
  }
  auto response = core_->Execute(
      Call{.op = op,
           .target = "/esims/csv/" + internal::EscapePathSegment(reference) + q.str(),
           .accept = "text/csv"},
      call);
  if (!response) return tl::unexpected(std::move(response.error()));
  auto rows = ParseInstallDetailsCsv(response->body);
  if (!rows) return tl::unexpected(BodyError(op, *response, rows.error().message));
  return rows;
}

// #33
Result<StatusMessage> EsimsApi::RevokeApplication(std::string_view iccid, std::string_view name,
                                                  std::string_view assignment_id, RevokeType type,
                                                  const CallOptions& call) const {
  return RevokeOne(core_.get(), Op::kEsimsRevokeApplication, "/applications/", iccid, name,
                   assignment_id, type, call);
}

}  // namespace esimgo
