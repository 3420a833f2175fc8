#pragma once
// JSON ⇄ eSIM models (#1–#15). The SDK decodes responses and encodes request bodies; the
// sandbox does the reverse with the same functions. `*Body` structs are wire wrappers that
// have no public model of their own.

#include <string>
#include <vector>

#include "esimgo/esims.h"
#include "json/json_reader.h"
#include "json/json_writer.h"

namespace esimgo {
using internal::JsonWriter;
namespace json = internal::json;

// GET /esims → {"esims": [...]}
struct EsimListBody {
  std::vector<EsimSummary> esims;
};
// GET /esims/{iccid}/history → an array (the YAML's object form reads as one event).
struct HistoryBody {
  std::vector<HistoryEvent> events;
};
// GET /esims/{iccid}/compatible/{bundle} → {"compatible": bool}
struct CompatibilityBody {
  bool compatible = false;
};
// GET /esims/{iccid}/bundles → {"bundles": [...]}
struct BundlesListBody {
  std::vector<AppliedBundle> bundles;
};
// GET /esims/{iccid}/bundles/{name} → {"assignments": [...]}
struct AssignmentListBody {
  std::vector<BundleAssignment> assignments;
};
// PUT /esims body → {"iccid", "customerRef"}
struct UpdateEsimBody {
  std::string iccid;
  std::string customer_ref;
};
// v2.5 POST /esims/{iccid}/suspend body → {"suspend": bool}
struct SuspendBody {
  bool suspend = true;
};
// GET /esims/assignments JSON → one object (the YAML) or an array (several references).
struct InstallDetailsBody {
  std::vector<EsimInstall> esims;
};

json::Err Decode(json::Value v, EsimSummary& out);
json::Err Decode(json::Value v, EsimListBody& out);
json::Err Decode(json::Value v, EsimDetails& out);
json::Err Decode(json::Value v, HistoryEvent& out);
json::Err Decode(json::Value v, HistoryBody& out);
json::Err Decode(json::Value v, EsimLocation& out);
json::Err Decode(json::Value v, SmsRequest& out);
json::Err Decode(json::Value v, ApplyBundleItem& out);
json::Err Decode(json::Value v, ApplyBundleRequest& out);
json::Err Decode(json::Value v, AppliedEsim& out);
json::Err Decode(json::Value v, ApplyBundleResponse& out);
json::Err Decode(json::Value v, LegacyApplyRequest& out);
json::Err Decode(json::Value v, EsimInstall& out);
json::Err Decode(json::Value v, InstallDetailsBody& out);
json::Err Decode(json::Value v, BundleAssignment& out);
json::Err Decode(json::Value v, AppliedBundle& out);
json::Err Decode(json::Value v, BundlesListBody& out);
json::Err Decode(json::Value v, AssignmentListBody& out);
json::Err Decode(json::Value v, CompatibilityBody& out);
json::Err Decode(json::Value v, UpdateEsimBody& out);
json::Err Decode(json::Value v, SuspendBody& out);
// ◐ {"suspended": bool} inferred; tolerant (see SuspensionStatus). Leaves raw_json alone.
json::Err Decode(json::Value v, SuspensionStatus& out);

void Encode(JsonWriter& w, const EsimSummary& m);
void Encode(JsonWriter& w, const EsimListBody& m);
void Encode(JsonWriter& w, const EsimDetails& m);  // firstInstalledDateTime as epoch-ms
void Encode(JsonWriter& w, const HistoryEvent& m);
void Encode(JsonWriter& w, const HistoryBody& m);  // a bare array, like the live API
void Encode(JsonWriter& w, const EsimLocation& m);
void Encode(JsonWriter& w, const SmsRequest& m);
void Encode(JsonWriter& w, const ApplyBundleItem& m);
void Encode(JsonWriter& w, const ApplyBundleRequest& m);  // unset optionals are left out
void Encode(JsonWriter& w, const AppliedEsim& m);
void Encode(JsonWriter& w, const ApplyBundleResponse& m);
void Encode(JsonWriter& w, const LegacyApplyRequest& m);
void Encode(JsonWriter& w, const EsimInstall& m);         // firstInstalledDateTime as ISO
void Encode(JsonWriter& w, const InstallDetailsBody& m);  // an array
void Encode(JsonWriter& w, const BundleAssignment& m);
void Encode(JsonWriter& w, const AppliedBundle& m);
void Encode(JsonWriter& w, const BundlesListBody& m);
void Encode(JsonWriter& w, const AssignmentListBody& m);
void Encode(JsonWriter& w, const CompatibilityBody& m);
void Encode(JsonWriter& w, const UpdateEsimBody& m);
void Encode(JsonWriter& w, const SuspendBody& m);
void Encode(JsonWriter& w, const SuspensionStatus& m);  // {"suspended": bool}

// Open enum: case-insensitive, unknown → kUnknown, raw kept.
OpenEnum<BundleState> ParseBundleState(std::string_view raw);
std::string_view BundleStateName(BundleState s);  // "processing", "queued", …
// v2.5 eSIM state: case-insensitive, unknown → kUnknown, raw kept (EsimStateName is public).
OpenEnum<EsimState> ParseEsimState(std::string_view raw);

// The install-details CSV the API answers by default:
// header `ICCID,Matching ID,RSP URL,Bundle,Reference`, one row per eSIM, RFC 4180 quoting.
// Lines end in LF (not RFC 4180's CRLF): every reader, ParseInstallDetailsCsv included, takes
// both, and LF keeps the bytes identical across platforms.
std::string EncodeInstallDetailsCsv(const std::vector<EsimInstall>& rows);

}  // namespace esimgo
