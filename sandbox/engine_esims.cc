// Engine commands and queries of eSIMs (#1–#6, #12–#15): apply, install details, history,
// refresh, compatibility, SMS, location, details, list and update.

#include <algorithm>

#include "engine.h"
#include "esimgo/limits.h"
#include "static_data.h"

namespace esimgo::sandbox {
namespace {

constexpr int64_t kLotLifetimeMs = limits::kInventoryLotLifetimeDays * limits::kDayMs;

std::string AppleUrl(const EsimRec& e) {
  return "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=" +
         LpaString(e.smdp, e.matching_id);
}

EsimInstall InstallRow(const EsimRec& esim, const std::string& bundle, const std::string& reference,
                       bool apple) {
  EsimInstall row{.iccid = esim.iccid,
                  .matching_id = esim.matching_id,
                  .smdp_address = esim.smdp,
                  .profile_status = esim.profile_status,
                  .pin = esim.pin,
                  .puk = esim.puk,
                  .bundle = bundle,
                  .reference = reference};
  if (esim.first_installed_ms) {
    row.first_installed = Timestamp::Parse(Engine::Iso(esim.first_installed_ms));
  }
  if (apple) row.apple_install_url = AppleUrl(esim);
  return row;
}

OpenEnum<EsimState> EsimStateOf(const EsimRec& esim) {
  OpenEnum<EsimState> s;
  s.raw = esim.state;
  s.value = esim.state == "suspended"     ? EsimState::kSuspended
            : esim.state == "deactivated" ? EsimState::kDeactivated
                                          : EsimState::kActive;
  return s;
}

}  // namespace

bool Engine::LotUsable(const LotRec& lot, const std::string& bundle) const {
  return lot.bundle == bundle && lot.remaining > 0 && NowMs() < lot.created_ms + kLotLifetimeMs;
}

// Applies inventory bundles (the shared core of #1 and #8): checks everything first, then takes
// the oldest usable lot for each bundle.
Result<std::vector<AppliedEsim>> Engine::ApplyLocked(const ApplyCmd& cmd, std::string& reference) {
  EsimRec* target = nullptr;
  if (cmd.iccid) {
    auto found = FindEsim(*cmd.iccid);
    if (!found) return tl::unexpected(found.error());
    target = *found;
    if (auto d = RequireNotDeactivated(*target); !d) return tl::unexpected(d.error());
  }
  if (cmd.items.empty()) return Fail(ErrorCode::kBadRequest, "give at least one bundle to apply");
  std::map<std::string, int64_t> need;
  for (const auto& it : cmd.items) {
    const BundleInfo* b = Data().Find(it.name);
    if (!b) {
      return Fail(ErrorCode::kBadRequest,
                  "bundle '" + it.name + "' is not in the catalogue (names are case-sensitive)");
    }
    if (it.repeat < limits::kApplyRepeatMin || it.repeat > limits::kApplyRepeatMax) {
      return Fail(ErrorCode::kBadRequest, "repeat must be from " +
                                              std::to_string(limits::kApplyRepeatMin) + " to " +
                                              std::to_string(limits::kApplyRepeatMax));
    }
    need[it.name] += it.repeat;
    if (target && target->profile != b->profile && !it.allow_reassign) {
      return Fail(ErrorCode::kBadRequest,
                  "bundle '" + it.name + "' is not compatible with eSIM " + target->iccid +
                      "; check GET /esims/{iccid}/compatible/{bundle}, or set allowReassign to "
                      "put it on a new eSIM");
    }
  }
  for (const auto& [name, n] : need) {
    int64_t have = 0;
    for (const auto& [id, lot] : state_.lots) {
      if (LotUsable(lot, name)) have += lot.remaining;
    }
    if (have < n) {
      return Fail(ErrorCode::kForbidden, "no available bundles of '" + name +
                                             "' in your inventory (need " + std::to_string(n) +
                                             ", have " + std::to_string(have) +
                                             "); buy them with POST /orders (assign=false) first");
    }
  }
  // Only now that nothing can refuse: the reference draws from the persisted RNG, and a refused
  // apply that moved it would have to reload the whole state to undo that.
  reference = NewUuid();
  std::vector<AppliedEsim> out;
  for (const auto& it : cmd.items) {
    const BundleInfo* b = Data().Find(it.name);
    for (int r = 0; r < it.repeat; ++r) {
      LotRec* lot = nullptr;
      for (auto& [id, l] : state_.lots) {
        if (LotUsable(l, it.name)) {
          lot = &l;
          break;
        }
      }
      --lot->remaining;  // counted above: a usable lot exists
      TouchLot(lot->id);
      EsimRec* esim = target && target->profile == b->profile ? target : nullptr;
      if (!esim) esim = &CreateEsim(b->profile);  // no eSIM given, or allowReassign
      Assign(*esim, it.name, lot->price_micros, reference);
      out.push_back({.iccid = esim->iccid, .status = "ACTIVE", .bundle = it.name});
    }
  }
  return out;
}

Result<ApplyBundleResponse> Engine::Apply(const ApplyCmd& cmd) {
  return Transact([&]() -> Result<ApplyBundleResponse> {
    std::string reference;
    auto applied = ApplyLocked(cmd, reference);
    if (!applied) return tl::unexpected(applied.error());
    // Recorded so GET /esims/assignments can answer for the apply reference.
    ApplyRec rec{.reference = reference, .created_ms = NowMs()};
    for (const auto& a : *applied) rec.esims.emplace_back(a.iccid, a.bundle);
    state_.applies[reference] = rec;
    TouchApply(reference);
    return ApplyBundleResponse{.esims = std::move(*applied), .apply_reference = reference};
  });
}

Result<std::vector<EsimInstall>> Engine::InstallDetails(const std::vector<std::string>& references,
                                                        bool apple_url) {
  return Read([&]() -> Result<std::vector<EsimInstall>> {
    std::vector<EsimInstall> rows;
    for (const auto& ref : references) {
      std::vector<std::pair<std::string, std::string>> esims;
      if (auto o = state_.orders.find(ref); o != state_.orders.end()) {
        for (const auto& l : o->second.lines) {
          for (const auto& iccid : l.iccids) esims.emplace_back(iccid, l.item);
        }
      } else if (auto a = state_.applies.find(ref); a != state_.applies.end()) {
        esims = a->second.esims;
      } else {
        return Fail(ErrorCode::kBadRequest, "reference '" + ref +
                                                "' is neither an order nor an apply reference of "
                                                "this organisation");
      }
      for (const auto& [iccid, bundle] : esims) {
        auto it = state_.esims.find(iccid);
        if (it == state_.esims.end()) continue;
        // v2.5: the install details of a deleted eSIM are gone (410 Gone, kNotFound here).
        if (it->second.state == "deactivated") {
          return Fail(ErrorCode::kNotFound, "eSIM " + iccid + " of reference '" + ref +
                                                "' is deactivated (deleted); its install "
                                                "details are gone");
        }
        rows.push_back(InstallRow(it->second, bundle, ref, apple_url));
      }
    }
    return rows;
  });
}

Result<HistoryBody> Engine::History(const std::string& iccid) {
  return Read([&]() -> Result<HistoryBody> {
    auto esim = FindEsim(iccid);
    if (!esim) return tl::unexpected(esim.error());
    HistoryBody body;
    for (const auto& h : (*esim)->history) {
      body.events.push_back(
          {.name = h.name, .bundle_name = h.bundle, .date = Timestamp::Parse(Iso(h.ms))});
    }
    return body;
  });
}

Result<void> Engine::Refresh(const std::string& iccid) {
  return Transact([&]() -> Result<void> {
    auto esim = FindEsim(iccid);
    if (!esim) return tl::unexpected(esim.error());
    if (auto d = RequireNotDeactivated(**esim); !d) return tl::unexpected(d.error());
    AddHistory(**esim, "eSIM Refreshed", "");
    return {};
  });
}

Result<CompatibilityBody> Engine::Compatible(const std::string& iccid, const std::string& bundle) {
  return Read([&]() -> Result<CompatibilityBody> {
    const BundleInfo* b = Data().Find(bundle);
    if (!b) {
      return Fail(ErrorCode::kBadRequest,
                  "bundle '" + bundle + "' is not in the catalogue (names are case-sensitive)");
    }
    auto esim = FindEsim(iccid);
    if (!esim) return tl::unexpected(esim.error());
    return CompatibilityBody{.compatible = (*esim)->profile == b->profile};
  });
}

Result<void> Engine::SendSms(const std::string& iccid, const std::string& message) {
  return Transact([&]() -> Result<void> {
    // Nothing is stored: the SMS goes nowhere, so this command checks its rules and, for a
    // suspended eSIM, reports the failed delivery (a Transact, so the alert follows the commit).
    auto len = limits::Utf8Length(message);
    if (!len) return Fail(ErrorCode::kBadRequest, "message must be valid UTF-8 text");
    if (*len < limits::kSmsMinCharacters || *len > limits::kSmsMaxCharacters) {
      return Fail(ErrorCode::kBadRequest, "message must be " +
                                              std::to_string(limits::kSmsMinCharacters) + " to " +
                                              std::to_string(limits::kSmsMaxCharacters) +
                                              " characters (got " + std::to_string(*len) + ")");
    }
    auto esim = FindEsim(iccid);
    if (!esim) return tl::unexpected(esim.error());
    if (auto d = RequireNotDeactivated(**esim); !d) return tl::unexpected(d.error());
    if ((*esim)->state == "suspended") {
      // ◐ (spoon) accepted, then not delivered: an SMSFailed callback.
      webhook::Alert alert{.iccid = (*esim)->iccid, .timestamp = Timestamp::Parse(Iso(NowMs()))};
      alert.alert_type.value = webhook::AlertType::kSmsFailed;
      RaiseAlert(alert);
    }
    return {};
  });
}

Result<EsimLocation> Engine::Location(const std::string& iccid) {
  return Read([&]() -> Result<EsimLocation> {
    auto found = FindEsim(iccid);
    if (!found) return tl::unexpected(found.error());
    const EsimRec& esim = **found;
    if (esim.country.empty()) {
      return Fail(ErrorCode::kBadRequest, "eSIM " + esim.iccid +
                                              " has not attached to a network yet (simulate it "
                                              "with POST /_sandbox/usage)");
    }
    return EsimLocation{.mobile_network_code = esim.network_code,
                        .network_name = esim.network,
                        .network_brand_name = esim.network,
                        .country = esim.country,
                        .last_seen = Timestamp::Parse(Iso(esim.last_seen_ms))};
  });
}

Result<EsimDetails> Engine::GetEsim(const std::string& iccid, bool apple_url) {
  return Read([&]() -> Result<EsimDetails> {
    auto found = FindEsim(iccid);
    if (!found) return tl::unexpected(found.error());
    const EsimRec& esim = **found;
    EsimDetails d{.iccid = esim.iccid,
                  .pin = esim.pin,
                  .puk = esim.puk,
                  .matching_id = esim.matching_id,
                  .smdp_address = esim.smdp,
                  .profile_status = esim.profile_status,
                  .customer_ref = esim.customer_ref};
    if (esim.first_installed_ms) {
      d.first_installed = Timestamp::Parse(std::to_string(esim.first_installed_ms));
    }
    if (apple_url) d.apple_install_url = AppleUrl(esim);
    // v2.5 fields (the /v2.4 routes clear them): state, profile and branding.
    d.state = EsimStateOf(esim);
    d.profile_name = ProfileName(esim.profile);
    d.branding_id = "(default)";
    return d;
  });
}

Result<EsimListBody> Engine::ListEsims(const EsimListQuery& q) {
  return Read([&]() -> Result<EsimListBody> {
    if (q.page < 1 || q.page > limits::kMaxPageNumber ||
        !limits::IsEsimPageSize(static_cast<int>(q.per_page))) {
      return Fail(ErrorCode::kBadRequest, "page or perPage out of range");
    }
    std::vector<const EsimRec*> hits;
    for (const auto& [iccid, esim] : state_.esims) {
      if (!q.filter_by.empty()) {
        std::string value;
        if (q.filter_by == "iccid") value = esim.iccid;
        if (q.filter_by == "customerRef") value = esim.customer_ref;
        if (q.filter_by == "lastAction") value = esim.last_action;
        if (q.filter_by == "actionDate") value = Iso(esim.action_ms);
        if (q.filter_by == "assignedDate") value = Iso(esim.assigned_ms);
        if (!ContainsIgnoreCase(value, q.filter)) continue;
      }
      hits.push_back(&esim);
    }
    // Creation order; orderBy=iccid keeps the map's (ICCID) order.
    if (!q.order_by_iccid) {
      std::sort(hits.begin(), hits.end(),
                [](const EsimRec* a, const EsimRec* b) { return a->seq < b->seq; });
    }
    if (q.descending) std::reverse(hits.begin(), hits.end());
    EsimListBody body;
    auto rows = static_cast<int64_t>(hits.size());
    for (int64_t i = (q.page - 1) * q.per_page; i < std::min(rows, q.page * q.per_page); ++i) {
      const EsimRec& esim = *hits[static_cast<size_t>(i)];
      body.esims.push_back({.iccid = esim.iccid,
                            .customer_ref = esim.customer_ref,
                            .last_action = esim.last_action,
                            .action_date = Timestamp::Parse(Iso(esim.action_ms)),
                            .physical = esim.physical,
                            .assigned_date = Timestamp::Parse(Iso(esim.assigned_ms)),
                            .state = EsimStateOf(esim)});
    }
    return body;
  });
}

Result<void> Engine::UpdateCustomerRef(const std::string& iccid, const std::string& customer_ref) {
  return Transact([&]() -> Result<void> {
    auto esim = FindEsim(iccid);
    if (!esim) return tl::unexpected(esim.error());
    (*esim)->customer_ref = customer_ref;
    AddHistory(**esim, "eSIM Updated", "");
    return {};
  });
}

}  // namespace esimgo::sandbox
