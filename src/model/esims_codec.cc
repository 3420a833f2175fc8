#include "model/esims_codec.h"

#include "model/common_codec.h"

#include <array>
#include <chrono>

namespace esimgo {
namespace {

using simdjson::ondemand::json_type;

// An optional field: JSON null (or an absent key) leaves it unset.
template <class T>
json::Err ReadOptional(json::Value v, std::optional<T>& out) {
  if (json::IsNull(v)) {
    out.reset();
    return json::kOk;
  }
  return json::Read(v, out.emplace());
}

// The request says `allowReassign`, the order responses `AllowReassign`: read both.
bool IsAllowReassign(std::string_view key) {
  return key == "allowReassign" || key == "AllowReassign";
}

// Epoch milliseconds of a parsed timestamp.
int64_t EpochMillis(const Timestamp::TimePoint& t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

json::Err DecodeEsimInstallField(std::string_view key, json::Value f, EsimInstall& out) {
  if (key == "iccid") return json::Read(f, out.iccid);
  if (key == "matchingId") return json::Read(f, out.matching_id);
  if (key == "smdpAddress") return json::Read(f, out.smdp_address);
  if (key == "profileStatus") return json::Read(f, out.profile_status);
  if (key == "pin") return json::Read(f, out.pin);
  if (key == "puk") return json::Read(f, out.puk);
  if (key == "firstInstalledDateTime") return json::Read(f, out.first_installed);
  if (key == "bundle") return json::Read(f, out.bundle);
  if (key == "reference") return json::Read(f, out.reference);
  if (key == "appleInstallUrl") return json::Read(f, out.apple_install_url);
  if (key == "androidInstallUrl") return json::Read(f, out.android_install_url);  // v2.5 ◐
  return json::kOk;
}

// v2.5 `state`: open and case-insensitive; null reads as absent.
json::Err ReadEsimState(json::Value f, OpenEnum<EsimState>& out) {
  if (json::IsNull(f)) {
    out = {};
    return json::kOk;
  }
  std::string raw;
  if (auto e = json::Read(f, raw)) return e;
  out = ParseEsimState(raw);
  return json::kOk;
}

// The raw text as received; a state built in code has only its enum; absent stays absent.
void WriteEsimStateIfAny(JsonWriter& w, const OpenEnum<EsimState>& state) {
  if (!state.raw.empty()) {
    w.Field("state", state.raw);
  } else if (state.value != EsimState::kUnknown) {
    w.Field("state", EsimStateName(state.value));
  }
}

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. Fields with
// edge spaces are quoted too, so that readers which trim unquoted fields keep them.
void AppendCsvField(std::string& out, std::string_view field) {
  bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!quote) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

// ---- v2.5 eSIM state ----

std::string_view EsimStateName(EsimState state) noexcept {
  switch (state) {
    case EsimState::kActive:
      return "active";
    case EsimState::kSuspended:
      return "suspended";
    case EsimState::kDeactivated:
      return "deactivated";
    case EsimState::kUnknown:
      break;
  }
  return "unknown";
}

OpenEnum<EsimState> ParseEsimState(std::string_view raw) {
  OpenEnum<EsimState> out;
  out.raw.assign(raw);
  for (EsimState s : {EsimState::kActive, EsimState::kSuspended, EsimState::kDeactivated}) {
    if (EqualsIgnoreCase(raw, EsimStateName(s))) {
      out.value = s;
      break;
    }
  }
  return out;
}

// ---- GET /esims ----

json::Err Decode(json::Value v, EsimSummary& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "iccid") return json::Read(f, out.iccid);
    if (key == "customerRef") return json::Read(f, out.customer_ref);
    if (key == "lastAction") return json::Read(f, out.last_action);
    if (key == "actionDate") return json::Read(f, out.action_date);
    if (key == "physical") return json::Read(f, out.physical);
    if (key == "assignedDate") return json::Read(f, out.assigned_date);
    if (key == "state") return ReadEsimState(f, out.state);  // v2.5
    if (key == "msisdn") return json::Read(f, out.msisdn);   // v2.5
    return json::kOk;
  });
}

json::Err Decode(json::Value v, EsimListBody& out) {
  // The schema wraps the list; a bare array is read too.
  if (json::TypeOf(v) == json_type::array) return json::Read(v, out.esims);
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "esims") return json::Read(f, out.esims);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const EsimSummary& m) {
  w.BeginObject()
      .Field("iccid", m.iccid)
      .Field("customerRef", m.customer_ref)
      .Field("lastAction", m.last_action)
      .Field("actionDate", m.action_date)
      .Field("physical", m.physical)
      .Field("assignedDate", m.assigned_date);
  // v2.5 fields only when present: a v2.4 answer encodes exactly as before.
  WriteEsimStateIfAny(w, m.state);
  if (!m.msisdn.empty()) w.Field("msisdn", m.msisdn);
  w.EndObject();
}

void Encode(JsonWriter& w, const EsimListBody& m) {
  w.BeginObject().Key("esims").BeginArray();
  for (const auto& e : m.esims) Encode(w, e);
  w.EndArray().EndObject();
}

// ---- GET /esims/{iccid} ----

json::Err Decode(json::Value v, EsimDetails& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "iccid") return json::Read(f, out.iccid);
    if (key == "pin") return json::Read(f, out.pin);
    if (key == "puk") return json::Read(f, out.puk);
    if (key == "matchingId") return json::Read(f, out.matching_id);
    if (key == "smdpAddress") return json::Read(f, out.smdp_address);
    if (key == "profileStatus") return json::Read(f, out.profile_status);
    // Epoch-ms number per the schema; an ISO string is read as well.
    if (key == "firstInstalledDateTime") return json::Read(f, out.first_installed);
    if (key == "customerRef") return json::Read(f, out.customer_ref);
    if (key == "appleInstallUrl") return json::Read(f, out.apple_install_url);
    // v2.5
    if (key == "state") return ReadEsimState(f, out.state);
    if (key == "msisdn") return json::Read(f, out.msisdn);
    if (key == "androidInstallUrl") return json::Read(f, out.android_install_url);
    if (key == "brandingId") return json::Read(f, out.branding_id);
    if (key == "profileName") return json::Read(f, out.profile_name);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const EsimDetails& m) {
  w.BeginObject()
      .Field("iccid", m.iccid)
      .Field("pin", m.pin)
      .Field("puk", m.puk)
      .Field("matchingId", m.matching_id)
      .Field("smdpAddress", m.smdp_address)
      .Field("profileStatus", m.profile_status);
  // The live API sends epoch milliseconds here; a never-installed eSIM has none.
  if (m.first_installed.time) {
    w.Field("firstInstalledDateTime", EpochMillis(*m.first_installed.time));
  }
  w.Field("customerRef", m.customer_ref);
  if (!m.apple_install_url.empty()) w.Field("appleInstallUrl", m.apple_install_url);
  // v2.5 fields only when present: a v2.4 answer encodes exactly as before.
  if (!m.android_install_url.empty()) w.Field("androidInstallUrl", m.android_install_url);
  if (!m.msisdn.empty()) w.Field("msisdn", m.msisdn);
  if (!m.branding_id.empty()) w.Field("brandingId", m.branding_id);
  if (!m.profile_name.empty()) w.Field("profileName", m.profile_name);
  WriteEsimStateIfAny(w, m.state);
  w.EndObject();
}

// ---- GET /esims/{iccid}/history ----

json::Err Decode(json::Value v, HistoryEvent& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "name") return json::Read(f, out.name);
    if (key == "bundleName") return json::Read(f, out.bundle_name);
    if (key == "date") return json::Read(f, out.date);
    return json::kOk;
  });
}

json::Err Decode(json::Value v, HistoryBody& out) {
  out.events.clear();
  switch (json::TypeOf(v)) {
    case json_type::array:
      return json::Read(v, out.events);
    case json_type::null:
      return json::kOk;
    default:
      // The YAML's schema is one event object.
      out.events.emplace_back();
      return Decode(v, out.events.back());
  }
}

void Encode(JsonWriter& w, const HistoryEvent& m) {
  w.BeginObject()
      .Field("name", m.name)
      .Field("bundleName", m.bundle_name)
      .Field("date", m.date)
      .EndObject();
}

void Encode(JsonWriter& w, const HistoryBody& m) {
  w.BeginArray();
  for (const auto& e : m.events) Encode(w, e);
  w.EndArray();
}

// ---- GET /esims/{iccid}/location ----

json::Err Decode(json::Value v, EsimLocation& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "mobileNetworkCode") return json::Read(f, out.mobile_network_code);
    if (key == "networkName") return json::Read(f, out.network_name);
    if (key == "networkBrandName") return json::Read(f, out.network_brand_name);
    if (key == "country") return json::Read(f, out.country);
    if (key == "lastSeen") return json::Read(f, out.last_seen);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const EsimLocation& m) {
  w.BeginObject()
      .Field("mobileNetworkCode", m.mobile_network_code)
      .Field("networkName", m.network_name)
      .Field("networkBrandName", m.network_brand_name)
      .Field("country", m.country)
      .Field("lastSeen", m.last_seen)
      .EndObject();
}

// ---- POST /esims/{iccid}/sms ----

json::Err Decode(json::Value v, SmsRequest& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "message") return json::Read(f, out.message);
    if (key == "from") return ReadOptional(f, out.from);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const SmsRequest& m) {
  w.BeginObject().Field("message", m.message);
  if (m.from) w.Field("from", *m.from);
  w.EndObject();
}

// ---- POST /esims/apply ----

json::Err Decode(json::Value v, ApplyBundleItem& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "name") return json::Read(f, out.name);
    if (key == "repeat") return ReadOptional(f, out.repeat);
    if (IsAllowReassign(key)) return ReadOptional(f, out.allow_reassign);
    return json::kOk;
  });
}

json::Err Decode(json::Value v, ApplyBundleRequest& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "iccid") return ReadOptional(f, out.iccid);
    if (key == "name") return ReadOptional(f, out.name);
    if (key == "bundles") return json::Read(f, out.bundles);
    if (key == "repeat") return ReadOptional(f, out.repeat);
    if (IsAllowReassign(key)) return ReadOptional(f, out.allow_reassign);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const ApplyBundleItem& m) {
  w.BeginObject().Field("name", m.name);
  if (m.repeat) w.Field("repeat", *m.repeat);
  if (m.allow_reassign) w.Field("allowReassign", *m.allow_reassign);
  w.EndObject();
}

void Encode(JsonWriter& w, const ApplyBundleRequest& m) {
  w.BeginObject();
  if (m.iccid) w.Field("iccid", *m.iccid);
  if (m.name) w.Field("name", *m.name);
  if (!m.bundles.empty()) {
    w.Key("bundles").BeginArray();
    for (const auto& b : m.bundles) Encode(w, b);
    w.EndArray();
  }
  if (m.repeat) w.Field("repeat", *m.repeat);
  if (m.allow_reassign) w.Field("allowReassign", *m.allow_reassign);
  w.EndObject();
}

json::Err Decode(json::Value v, AppliedEsim& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "iccid") return json::Read(f, out.iccid);
    if (key == "status") return json::Read(f, out.status);
    if (key == "bundle") return json::Read(f, out.bundle);
    return json::kOk;
  });
}

json::Err Decode(json::Value v, ApplyBundleResponse& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "esims") return json::Read(f, out.esims);
    if (key == "applyReference") return json::Read(f, out.apply_reference);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const AppliedEsim& m) {
  w.BeginObject().Field("iccid", m.iccid).Field("status", m.status);
  if (!m.bundle.empty()) w.Field("bundle", m.bundle);
  w.EndObject();
}

void Encode(JsonWriter& w, const ApplyBundleResponse& m) {
  w.BeginObject().Key("esims").BeginArray();
  for (const auto& e : m.esims) Encode(w, e);
  w.EndArray().Field("applyReference", m.apply_reference).EndObject();
}

// ---- POST /esims/{iccid}/bundles (deprecated) ----

json::Err Decode(json::Value v, LegacyApplyRequest& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "name") return json::Read(f, out.name);
    if (key == "startTime") return ReadOptional(f, out.start_time);
    if (key == "repeat") return ReadOptional(f, out.repeat);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const LegacyApplyRequest& m) {
  w.BeginObject().Field("name", m.name);
  if (m.start_time) w.Field("startTime", *m.start_time);
  if (m.repeat) w.Field("repeat", *m.repeat);
  w.EndObject();
}

// ---- GET /esims/assignments ----

json::Err Decode(json::Value v, EsimInstall& out) {
  return json::ForEachField(
      v, [&](std::string_view key, json::Value f) { return DecodeEsimInstallField(key, f, out); });
}

json::Err Decode(json::Value v, InstallDetailsBody& out) {
  out.esims.clear();
  switch (json::TypeOf(v)) {
    case json_type::array:
      return json::Read(v, out.esims);
    case json_type::null:
      return json::kOk;
    default:
      break;
  }
  // One object (the YAML), or an object wrapping a list (`esims`/`assignments`).
  EsimInstall single;
  bool has_single = false;
  std::vector<EsimInstall> wrapped;
  auto e = json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "esims" || key == "assignments") {
      std::vector<EsimInstall> part;
      if (auto err = json::Read(f, part)) return err;
      wrapped.insert(wrapped.end(), part.begin(), part.end());
      return json::kOk;
    }
    has_single = true;
    return DecodeEsimInstallField(key, f, single);
  });
  if (e) return e;
  out.esims = std::move(wrapped);
  if (out.esims.empty() && has_single) out.esims.push_back(std::move(single));
  return json::kOk;
}

void Encode(JsonWriter& w, const EsimInstall& m) {
  w.BeginObject()
      .Field("iccid", m.iccid)
      .Field("matchingId", m.matching_id)
      .Field("smdpAddress", m.smdp_address)
      .Field("profileStatus", m.profile_status)
      .Field("pin", m.pin)
      .Field("puk", m.puk);
  // Unlike GET /esims/{iccid}, this schema uses an ISO-8601 string.
  if (!m.first_installed.empty()) w.Field("firstInstalledDateTime", m.first_installed.ToIso());
  if (!m.apple_install_url.empty()) w.Field("appleInstallUrl", m.apple_install_url);
  if (!m.android_install_url.empty()) w.Field("androidInstallUrl", m.android_install_url);
  w.EndObject();
}

void Encode(JsonWriter& w, const InstallDetailsBody& m) {
  w.BeginArray();
  for (const auto& e : m.esims) Encode(w, e);
  w.EndArray();
}

std::string EncodeInstallDetailsCsv(const std::vector<EsimInstall>& rows) {
  // LF line endings: RFC 4180 says CRLF, but every CSV reader (ours included) takes LF, and
  // LF keeps the body byte-identical across platforms and in test expectations.
  std::string out = "ICCID,Matching ID,RSP URL,Bundle,Reference\n";
  for (const auto& r : rows) {
    AppendCsvField(out, r.iccid);
    out += ',';
    AppendCsvField(out, r.matching_id);
    out += ',';
    AppendCsvField(out, r.smdp_address);
    out += ',';
    AppendCsvField(out, r.bundle);
    out += ',';
    AppendCsvField(out, r.reference);
    out += '\n';
  }
  return out;
}

// ---- Bundles and assignments ----

OpenEnum<BundleState> ParseBundleState(std::string_view raw) {
  static constexpr std::array<BundleState, 7> kKnown = {
      BundleState::kProcessing, BundleState::kQueued,  BundleState::kActive, BundleState::kDepleted,
      BundleState::kExpired,    BundleState::kRevoked, BundleState::kLapsed};
  OpenEnum<BundleState> out;
  out.raw.assign(raw);
  for (BundleState s : kKnown) {
    if (EqualsIgnoreCase(raw, BundleStateName(s))) {
      out.value = s;
      break;
    }
  }
  return out;
}

std::string_view BundleStateName(BundleState s) {
  switch (s) {
    case BundleState::kProcessing:
      return "processing";
    case BundleState::kQueued:
      return "queued";
    case BundleState::kActive:
      return "active";
    case BundleState::kDepleted:
      return "depleted";
    case BundleState::kExpired:
      return "expired";
    case BundleState::kRevoked:
      return "revoked";
    case BundleState::kLapsed:
      return "lapsed";
    case BundleState::kUnknown:
      break;
  }
  return "unknown";
}

json::Err Decode(json::Value v, BundleAssignment& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "id") return json::Read(f, out.id);
    if (key == "callTypeGroup") return json::Read(f, out.call_type_group);
    if (key == "initialQuantity") return json::Read(f, out.initial_quantity);
    if (key == "remainingQuantity") return json::Read(f, out.remaining_quantity);
    if (key == "assignmentDateTime") return json::Read(f, out.assignment_date_time);
    if (key == "assignmentReference") return json::Read(f, out.assignment_reference);
    if (key == "bundleState") {
      std::string raw;
      if (auto e = json::Read(f, raw)) return e;
      out.bundle_state = ParseBundleState(raw);
      return json::kOk;
    }
    if (key == "unlimited") return json::Read(f, out.unlimited);
    // v2.5
    if (key == "startTime") return json::Read(f, out.start_time);
    if (key == "endTime") return json::Read(f, out.end_time);
    if (key == "allowances") return json::Read(f, out.allowances);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const BundleAssignment& m) {
  w.BeginObject()
      .Field("id", m.id)
      .Field("callTypeGroup", m.call_type_group)
      .Field("initialQuantity", m.initial_quantity)
      .Field("remainingQuantity", m.remaining_quantity)
      .Field("assignmentDateTime", m.assignment_date_time)
      .Field("assignmentReference", m.assignment_reference);
  // The raw text as received; a state built in code has only its enum.
  if (!m.bundle_state.raw.empty()) {
    w.Field("bundleState", m.bundle_state.raw);
  } else if (m.bundle_state.value != BundleState::kUnknown) {
    w.Field("bundleState", BundleStateName(m.bundle_state.value));
  }
  w.Field("unlimited", m.unlimited);
  // v2.5 fields only when present: a v2.4 answer encodes exactly as before.
  if (!m.start_time.empty()) w.Field("startTime", m.start_time);
  if (!m.end_time.empty()) w.Field("endTime", m.end_time);
  EncodeAllowancesIfAny(w, "allowances", m.allowances);
  w.EndObject();
}

json::Err Decode(json::Value v, AppliedBundle& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "name") return json::Read(f, out.name);
    if (key == "description") return json::Read(f, out.description);
    if (key == "assignments") return json::Read(f, out.assignments);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const AppliedBundle& m) {
  w.BeginObject().Field("name", m.name).Field("description", m.description);
  w.Key("assignments").BeginArray();
  for (const auto& a : m.assignments) Encode(w, a);
  w.EndArray().EndObject();
}

json::Err Decode(json::Value v, BundlesListBody& out) {
  if (json::TypeOf(v) == json_type::array) return json::Read(v, out.bundles);
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "bundles") return json::Read(f, out.bundles);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const BundlesListBody& m) {
  w.BeginObject().Key("bundles").BeginArray();
  for (const auto& b : m.bundles) Encode(w, b);
  w.EndArray().EndObject();
}

json::Err Decode(json::Value v, AssignmentListBody& out) {
  if (json::TypeOf(v) == json_type::array) return json::Read(v, out.assignments);
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "assignments") return json::Read(f, out.assignments);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const AssignmentListBody& m) {
  w.BeginObject().Key("assignments").BeginArray();
  for (const auto& a : m.assignments) Encode(w, a);
  w.EndArray().EndObject();
}

// ---- Compatibility, update ----

json::Err Decode(json::Value v, CompatibilityBody& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "compatible") return json::Read(f, out.compatible);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const CompatibilityBody& m) {
  w.BeginObject().Field("compatible", m.compatible).EndObject();
}

json::Err Decode(json::Value v, UpdateEsimBody& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "iccid") return json::Read(f, out.iccid);
    if (key == "customerRef") return json::Read(f, out.customer_ref);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const UpdateEsimBody& m) {
  w.BeginObject().Field("iccid", m.iccid).Field("customerRef", m.customer_ref).EndObject();
}

// ---- v2.5 suspension ----

json::Err Decode(json::Value v, SuspendBody& out) {
  return json::ForEachField(v, [&](std::string_view key, json::Value f) {
    if (key == "suspend") return json::Read(f, out.suspend);
    return json::kOk;
  });
}

void Encode(JsonWriter& w, const SuspendBody& m) {
  w.BeginObject().Field("suspend", m.suspend).EndObject();
}

json::Err Decode(json::Value v, SuspensionStatus& out) {
  // ◐ Tolerant (the shape is inferred): `suspended` when present, else a `state` string; any
  // other object leaves `suspended` empty. `raw_json` is filled by the caller.
  std::optional<bool> from_state;
  auto e = json::ForEachField(v, [&](std::string_view key, json::Value f) -> json::Err {
    if (key == "suspended") {
      if (json::IsNull(f)) return json::kOk;
      bool b = false;
      if (json::Read(f, b) == json::kOk) out.suspended = b;
      return json::kOk;
    }
    if (key == "state" || key == "status") {
      std::string raw;
      if (json::Read(f, raw) != json::kOk) return json::kOk;
      const auto state = ParseEsimState(raw);
      if (state.value == EsimState::kSuspended) from_state = true;
      if (state.value == EsimState::kActive) from_state = false;
      return json::kOk;
    }
    return json::kOk;
  });
  if (e) return e;
  if (!out.suspended) out.suspended = from_state;
  return json::kOk;
}

void Encode(JsonWriter& w, const SuspensionStatus& m) {
  w.BeginObject();
  if (m.suspended) w.Field("suspended", *m.suspended);
  w.EndObject();
}

}  // namespace esimgo
