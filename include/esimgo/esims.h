#pragma once
/// @file esims.h
/// eSIMs and the bundles applied to them: operations #1–#15 of v2.4, and v2.5's suspension,
/// deletion and deprecated QR/CSV/applications operations (#27–#29, #31–#33; ADR 0007).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "esimgo/options.h"
#include "esimgo/pager.h"
#include "esimgo/result.h"
#include "esimgo/types.h"

namespace esimgo {
/// The v2.5 `state` of an eSIM (`GET /esims`, `GET /esims/{iccid}`). Open: matched
/// case-insensitively (the YAML writes "active", the migration guide "Active"); a value new to
/// us is `kUnknown` with its raw text kept. An absent state (every v2.4 answer) has an empty
/// raw text and `kUnknown`.
enum class EsimState {
  kActive,       ///< Connects normally.
  kSuspended,    ///< Suspended by the partner (`Suspend`) or by eSIM Go's policy.
  kDeactivated,  ///< Deleted (`Delete`, or after 180 idle days): irreversible.
  kUnknown,      ///< Absent, or a value this SDK does not know (see `raw`).
};

/// Lower-case wire name: "active", "suspended", "deactivated"; "unknown" for kUnknown.
/// Thread-safe.
[[nodiscard]] std::string_view EsimStateName(EsimState state) noexcept;

/// One eSIM of `GET /esims` (#14).
struct EsimSummary {
  std::string iccid;         ///< Always a string: 18–20 digits overflow integers.
  std::string customer_ref;  ///< Your reference for the eSIM, if you set one.
  std::string last_action;   ///< e.g. "Bundle Applied"
  Timestamp action_date;     ///< When `last_action` happened.
  bool physical = false;     ///< True for a physical SIM.
  Timestamp assigned_date;   ///< When the eSIM was assigned to the organisation.
  /// v2.5: active / suspended / deactivated. Empty raw text when absent (v2.4).
  OpenEnum<EsimState> state;
  std::string msisdn;  ///< v2.5, only with a domestic bundle; empty when absent.
  bool operator==(const EsimSummary&) const = default;  ///< Compares every field.
};

/// Query of `GET /esims`.
struct EsimListRequest {
  std::optional<int> page;               ///< 1-based.
  std::optional<int> per_page;           ///< One of 10, 25, 50, 100.
  std::optional<std::string> direction;  ///< "asc" or "desc"
  std::optional<std::string> order_by;   ///< "iccid"
  /// One of iccid, customerRef, lastAction, actionDate, assignedDate; needs `filter`.
  std::optional<std::string> filter_by;
  std::optional<std::string> filter;  ///< The text `filter_by` matches (a substring).
};

/// `GET /esims/{iccid}` (#13) response.
struct EsimDetails {
  std::string iccid;              ///< The eSIM's ICCID (digits, as a string).
  std::string pin;                ///< SIM PIN.
  std::string puk;                ///< SIM PUK.
  std::string matching_id;        ///< Matching ID of the activation code (see `LpaString`).
  std::string smdp_address;       ///< SM-DP+ address of the activation code (see `LpaString`).
  std::string profile_status;     ///< e.g. "Released", "Installed"
  Timestamp first_installed;      ///< epoch-ms here, ISO elsewhere: both read.
  std::string customer_ref;       ///< Your reference for the eSIM, if you set one.
  std::string apple_install_url;  ///< With `additionalFields=appleInstallUrl` (v2.5: installUrl).
  // v2.5 fields: each is empty when the answer does not carry it (every v2.4 answer).
  OpenEnum<EsimState> state;        ///< v2.5: active / suspended / deactivated.
  std::string msisdn;               ///< v2.5, only with a domestic bundle.
  std::string android_install_url;  ///< v2.5, with `additionalFields=installUrl`.
  std::string branding_id;          ///< v2.5; "(default)" for the default branding.
  std::string profile_name;         ///< v2.5: the operator profile, e.g. "Profile 1".
  bool operator==(const EsimDetails&) const = default;  ///< Compares every field.
};

/// One history event (#3). Names include "Bundle Applied", "eSIM First Use", ….
struct HistoryEvent {
  std::string name;                                      ///< What happened, e.g. "Bundle Applied".
  std::string bundle_name;                               ///< The bundle concerned, if any.
  Timestamp date;                                        ///< When it happened.
  bool operator==(const HistoryEvent&) const = default;  ///< Compares every field.
};

/// `GET /esims/{iccid}/location` (#12) response.
struct EsimLocation {
  std::string mobile_network_code;  ///< A TADIG-like code, e.g. "FRAF1".
  std::string network_name;         ///< Operator name.
  std::string network_brand_name;   ///< Operator brand name.
  std::string country;              ///< ISO-2
  Timestamp last_seen;              ///< When the eSIM was last seen on that network.
  bool operator==(const EsimLocation&) const = default;  ///< Compares every field.
};

/// Body of `POST /esims/{iccid}/sms` (#6).
struct SmsRequest {
  std::string message;                                 ///< 1–160 characters.
  std::optional<std::string> from;                     ///< Default "eSIM" server-side.
  bool operator==(const SmsRequest&) const = default;  ///< Compares every field.
};

/// One bundle of the list form of `POST /esims/apply`.
struct ApplyBundleItem {
  std::string name;           ///< Bundle name, case-sensitive.
  std::optional<int> repeat;  ///< How many times to apply it.
  /// Move to a new eSIM when the bundle is incompatible with the given one.
  std::optional<bool> allow_reassign;
  bool operator==(const ApplyBundleItem&) const = default;  ///< Compares every field.
};

/// Body of `POST /esims/apply` (#1): set exactly one of `name` and `bundles`.
struct ApplyBundleRequest {
  std::optional<std::string> iccid;      ///< Absent → a new eSIM.
  std::optional<std::string> name;       ///< Single form.
  std::vector<ApplyBundleItem> bundles;  ///< List form.
  std::optional<int> repeat;             ///< New eSIMs; not with `iccid`.
  /// Move to a new eSIM when the bundle is incompatible with `iccid`.
  std::optional<bool> allow_reassign;
  bool operator==(const ApplyBundleRequest&) const = default;  ///< Compares every field.
};

/// One eSIM of an apply response.
struct AppliedEsim {
  std::string iccid;                                    ///< The eSIM the bundle went to.
  std::string status;                                   ///< e.g. "ACTIVE".
  std::string bundle;                                   ///< The bundle applied.
  bool operator==(const AppliedEsim&) const = default;  ///< Compares every field.
};

/// `POST /esims/apply` response.
struct ApplyBundleResponse {
  std::vector<AppliedEsim> esims;  ///< One entry per eSIM a bundle was applied to.
  std::string apply_reference;     ///< Pass to `InstallDetails`.
  bool operator==(const ApplyBundleResponse&) const = default;  ///< Compares every field.
};

/// Body of the deprecated `POST /esims/{iccid}/bundles` (#8).
struct LegacyApplyRequest {
  std::string name;                       ///< Bundle name.
  std::optional<std::string> start_time;  ///< When the bundle starts, as the API takes it.
  std::optional<int> repeat;              ///< How many times to apply it.
  bool operator==(const LegacyApplyRequest&) const = default;  ///< Compares every field.
};

/// What `GET /esims/assignments` (#2) returns, chosen with `Accept`.
enum class InstallDetailsFormat { kCsv, kJson, kZip };

/// Query of `GET /esims/assignments`.
struct InstallDetailsRequest {
  std::vector<std::string> references;  ///< Order or apply references (comma list).
  /// CSV, JSON (the default here) or a ZIP of QR codes.
  InstallDetailsFormat format = InstallDetailsFormat::kJson;
  std::optional<std::string> additional_fields;  ///< e.g. "appleInstallUrl"
};

/// Install details of one eSIM (JSON `eSIMDetailsInstallResponse` or one CSV row).
struct EsimInstall {
  std::string iccid;           ///< The eSIM's ICCID.
  std::string matching_id;     ///< Matching ID of the activation code (see `LpaString`).
  std::string smdp_address;    ///< "RSP URL" in the CSV.
  std::string profile_status;  ///< e.g. "Released" (JSON only).
  std::string pin;             ///< SIM PIN (JSON only).
  std::string puk;             ///< SIM PUK (JSON only).
  Timestamp first_installed;   ///< When the profile was first installed (JSON only).
  std::string bundle;          ///< CSV only.
  std::string reference;       ///< CSV only.
  /// With `additional_fields` "appleInstallUrl": Apple's one-tap install link.
  std::string apple_install_url;
  /// v2.5 with `additionalFields=installUrl` (◐ the YAML does not list it for this operation;
  /// read when present). Empty when absent.
  std::string android_install_url;
  bool operator==(const EsimInstall&) const = default;  ///< Compares every field.
};

/// `GET /esims/assignments` result: `esims` for JSON and CSV, `zip` bytes for ZIP.
struct InstallDetailsResult {
  std::vector<EsimInstall> esims;  ///< One row per eSIM (JSON and CSV formats).
  std::string zip;                 ///< A ZIP of PNG QR codes (binary).
};

/// State of an applied bundle (open: unknown states keep their raw text).
enum class BundleState {
  kProcessing,
  kQueued,
  kActive,
  kDepleted,
  kExpired,
  kRevoked,
  kLapsed,
  kUnknown
};

/// One assignment of a bundle to an eSIM (`Assignment`).
struct BundleAssignment {
  std::string id;                    ///< The `assignmentId` of #11.
  std::string call_type_group;       ///< "data"
  int64_t initial_quantity = 0;      ///< Bytes.
  int64_t remaining_quantity = 0;    ///< Bytes.
  Timestamp assignment_date_time;    ///< When the bundle was assigned.
  std::string assignment_reference;  ///< The order or apply reference that assigned it.
  /// processing, queued, active, depleted, expired, revoked or lapsed.
  OpenEnum<BundleState> bundle_state;
  bool unlimited = false;  ///< Unlimited data.
  // v2.5 fields, empty when absent (every v2.4 answer).
  Timestamp start_time;                     ///< v2.5: when the assignment started.
  Timestamp end_time;                       ///< v2.5: when it ends.
  std::vector<BundleAllowance> allowances;  ///< v2.5: units as sent (MB here, BYTES in #9: ◐).
  bool operator==(const BundleAssignment&) const = default;  ///< Compares every field.
};

/// A bundle applied to an eSIM with its assignments (#7).
struct AppliedBundle {
  std::string name;                           ///< Bundle name.
  std::string description;                    ///< Bundle description.
  std::vector<BundleAssignment> assignments;  ///< Each time this bundle was applied to the eSIM.
  bool operator==(const AppliedBundle&) const = default;  ///< Compares every field.
};

/// Query of `GET /esims/{iccid}/bundles`.
struct ListBundlesRequest {
  std::optional<bool> include_used;  ///< Also list depleted, expired and revoked assignments.
  std::optional<int> limit;          ///< 1–200; the API's default is 15.
};

/// `type` of the revokes: a dry run or the real thing (the API's default).
enum class RevokeType { kTransaction, kValidate };

/// Query of `DELETE /esims/{iccid}/bundles/{name}` (#10).
struct RevokeBundleRequest {
  RevokeType type = RevokeType::kTransaction;  ///< A dry run (`kValidate`) or the real revoke.
  std::optional<bool> refund_to_balance;       ///< Needs `offer_id`.
  std::optional<std::string> offer_id;         ///< Required with `refund_to_balance`.
};

/// v2.5 answer of `GET /esims/{iccid}/suspend`. ◐ Inferred: the operation is documented only
/// in eSIM Go's guides, with no schema; the body `{"suspended": bool}` is the v2.5 YAML's
/// unused `SuspendESIM` schema. So the decode is tolerant: `suspended` is read when present
/// (also from a `state` string), and `raw_json` always keeps the body as received so that a
/// different shape is still visible. See docs/adr/0007-api-versions.md.
struct SuspensionStatus {
  std::optional<bool> suspended;                             ///< Empty when the answer did not say.
  std::string raw_json;                                      ///< The body exactly as received.
  bool operator==(const SuspensionStatus&) const = default;  ///< Compares every field.
};

/// The LPA activation string a QR code carries: `LPA:1$<smdpAddress>$<matchingId>`.
[[nodiscard]] std::string LpaString(std::string_view smdp_address, std::string_view matching_id);

/// Parses the install-details CSV (`ICCID,Matching ID,RSP URL,Bundle,Reference`, any column
/// order, quoted fields, CRLF). Errors: kDecode with the line number. Thread-safe.
[[nodiscard]] Result<std::vector<EsimInstall>> ParseInstallDetailsCsv(std::string_view csv);

/// Checks an ICCID before it is sent: 18–22 digits. Errors: kInvalidArgument.
[[nodiscard]] Result<void> ValidateIccid(std::string_view iccid);

/// eSIM operations. A cheap view of a `Client`; thread-safe like the client.
/// Every method taking an ICCID rejects a malformed one with kInvalidArgument before sending.
/// Common errors: kForbidden (invalid key; ICCID not yours — the API has no 404),
/// kNotFound (v2.5: 410 Gone for a deactivated eSIM), kBadRequest (v2.5: also a deactivated
/// eSIM on apply, refresh and SMS), kRateLimited, kUnavailable, kServer, kDecode, kTransport,
/// kTimeout.
class EsimsApi {
 public:
  /// Made by `Client::esims()`; not meant to be built directly.
  explicit EsimsApi(std::shared_ptr<internal::ClientCore> core) : core_(std::move(core)) {}

  /// `POST /esims/apply` (#1): applies inventory bundles. Money-moving: never retried after
  /// it may have been sent. Errors: kInvalidArgument (both or neither of name/bundles,
  /// repeat with iccid, repeat < 1), kAmbiguous, common.
  [[nodiscard]] Result<ApplyBundleResponse> ApplyBundle(const ApplyBundleRequest& request,
                                                        const CallOptions& call = {}) const;

  /// `GET /esims/assignments` (#2): install details in the chosen format.
  /// Errors: kInvalidArgument (no references), common.
  [[nodiscard]] Result<InstallDetailsResult> InstallDetails(const InstallDetailsRequest& request,
                                                            const CallOptions& call = {}) const;

  /// `GET /esims/{iccid}/history` (#3).
  [[nodiscard]] Result<std::vector<HistoryEvent>> History(std::string_view iccid,
                                                          const CallOptions& call = {}) const;

  /// `GET /esims/{iccid}/refresh` (#4): disconnects the customer. Never retried.
  [[nodiscard]] Result<StatusMessage> Refresh(std::string_view iccid,
                                              const CallOptions& call = {}) const;

  /// `GET /esims/{iccid}/compatible/{bundle}` (#5).
  [[nodiscard]] Result<bool> Compatible(std::string_view iccid, std::string_view bundle,
                                        const CallOptions& call = {}) const;

  /// `POST /esims/{iccid}/sms` (#6). Never retried after a send.
  /// Errors: kInvalidArgument (empty message or longer than 160 characters), common.
  [[nodiscard]] Result<StatusMessage> SendSms(std::string_view iccid, const SmsRequest& request,
                                              const CallOptions& call = {}) const;

  /// `GET /esims/{iccid}/bundles` (#7).
  /// Errors: kInvalidArgument (limit outside 1–200), common.
  [[nodiscard]] Result<std::vector<AppliedBundle>> ListBundles(
      std::string_view iccid, const ListBundlesRequest& request = {},
      const CallOptions& call = {}) const;

  /// `POST /esims/{iccid}/bundles` (#8), deprecated by eSIM Go: use `ApplyBundle`.
  [[deprecated(
      "eSIM Go deprecated POST /esims/{iccid}/bundles; use ApplyBundle")]] [[nodiscard]] Result<StatusMessage>
  ApplyBundleLegacy(std::string_view iccid, const LegacyApplyRequest& request,
                    const CallOptions& call = {}) const;

  /// `GET /esims/{iccid}/bundles/{name}` (#9).
  [[nodiscard]] Result<std::vector<BundleAssignment>> GetBundle(std::string_view iccid,
                                                                std::string_view name,
                                                                const CallOptions& call = {}) const;

  /// `DELETE /esims/{iccid}/bundles/{name}` (#10): revokes the oldest unused assignment.
  /// Never retried after a send. Errors: kInvalidArgument (refund_to_balance without
  /// offer_id), common.
  [[nodiscard]] Result<StatusMessage> RevokeBundle(std::string_view iccid, std::string_view name,
                                                   const RevokeBundleRequest& request = {},
                                                   const CallOptions& call = {}) const;

  /// `DELETE /esims/{iccid}/bundles/{name}/assignments/{assignmentId}` (#11).
  /// Never retried after a send.
  [[nodiscard]] Result<StatusMessage> RevokeAssignment(std::string_view iccid,
                                                       std::string_view name,
                                                       std::string_view assignment_id,
                                                       RevokeType type = RevokeType::kTransaction,
                                                       const CallOptions& call = {}) const;

  /// `GET /esims/{iccid}/location` (#12).
  [[nodiscard]] Result<EsimLocation> Location(std::string_view iccid,
                                              const CallOptions& call = {}) const;

  /// `GET /esims/{iccid}` (#13). `additional_fields` e.g. "appleInstallUrl".
  [[nodiscard]] Result<EsimDetails> Get(std::string_view iccid,
                                        std::optional<std::string> additional_fields = {},
                                        const CallOptions& call = {}) const;

  /// `GET /esims` (#14), one page.
  /// Errors: kInvalidArgument (per_page not 10/25/50/100, filter_by unknown or without
  /// filter), common.
  [[nodiscard]] Result<Page<EsimSummary>> List(const EsimListRequest& request = {},
                                               const CallOptions& call = {}) const;

  /// Every eSIM, page by page.
  [[nodiscard]] Pager<EsimSummary> ListAll(EsimListRequest request = {},
                                           CallOptions call = {}) const;

  /// `PUT /esims` (#15): sets the customer reference (sent as query and body).
  [[nodiscard]] Result<StatusMessage> Update(std::string_view iccid, std::string_view customer_ref,
                                             const CallOptions& call = {}) const;

  // ---- v2.5 ----------------------------------------------------------------------------
  // Each of these needs a v2.5 client (base URL ending in /v2.5): on a v2.4 client they fail
  // with kInvalidArgument before anything is sent. Thread-safe like every method.

  /// `POST /esims/{iccid}/suspend` (v2.5) with `{"suspend": suspend}`: `true` suspends the
  /// eSIM (it stays on the account with its bundles but cannot use the network), `false`
  /// lifts a partner suspension. eSIM Go answers 201. Acts on the network: never retried after
  /// it may have been sent. A policy suspension cannot be lifted through the API (contact
  /// eSIM Go support). Errors: kInvalidArgument (bad ICCID; v2.4 client), kAmbiguous (sent,
  /// no answer: check `Suspension` or `Get`'s state), kBadRequest (e.g. already in that state,
  /// deactivated), kForbidden (ICCID not yours; policy suspension), common.
  [[nodiscard]] Result<StatusMessage> Suspend(std::string_view iccid, bool suspend,
                                              const CallOptions& call = {}) const;

  /// `GET /esims/{iccid}/suspend` (v2.5): whether the eSIM is suspended. ◐ The answer's shape
  /// is inferred (see SuspensionStatus); it cannot tell a partner from a policy suspension.
  /// Retried like any read. Errors: kInvalidArgument (bad ICCID; v2.4 client), common.
  [[nodiscard]] Result<SuspensionStatus> Suspension(std::string_view iccid,
                                                    const CallOptions& call = {}) const;

  /// `DELETE /esims/{iccid}` (v2.5): IRREVERSIBLE. Revokes every bundle without a refund and
  /// removes the eSIM (its state becomes "deactivated"). Never retried after it may have been
  /// sent. Errors: kInvalidArgument (bad ICCID; v2.4 client), kAmbiguous (sent, no answer:
  /// check `Get` for state "deactivated" before deleting again), common.
  [[nodiscard]] Result<StatusMessage> Delete(std::string_view iccid,
                                             const CallOptions& call = {}) const;

  /// `GET /esims/qr/{reference}` (v2.5, deprecated by eSIM Go): a ZIP of PNG QR codes of an
  /// order or apply reference. Returns the ZIP's bytes. Errors: kInvalidArgument (empty
  /// reference; v2.4 client), kDecode (not a ZIP), kNotFound with reason deactivated (410),
  /// common.
  [[deprecated(
      "eSIM Go deprecated GET /esims/qr/{reference}; use InstallDetails with "
      "InstallDetailsFormat::kZip")]] [[nodiscard]] Result<std::string>
  QrCodes(std::string_view reference, const CallOptions& call = {}) const;

  /// `GET /esims/csv/{reference}` (v2.5, deprecated by eSIM Go): install details as CSV
  /// (`"ICCID","Matching ID","RSP URL","Bundle"`), parsed with ParseInstallDetailsCsv.
  /// `additional_fields`: "appleInstallUrl" and/or "installUrl" (sent one parameter each).
  /// Errors: kInvalidArgument (empty reference or field; v2.4 client), kDecode (bad CSV),
  /// common.
  [[deprecated(
      "eSIM Go deprecated GET /esims/csv/{reference}; use InstallDetails with "
      "InstallDetailsFormat::kCsv")]] [[nodiscard]] Result<std::vector<EsimInstall>>
  InstallCsv(std::string_view reference, const std::vector<std::string>& additional_fields = {},
             const CallOptions& call = {}) const;

  /// `DELETE /esims/{iccid}/bundles/{name}/applications/{assignmentId}` (v2.5, deprecated by
  /// eSIM Go): revokes one application of a bundle. Never retried after it may have been
  /// sent. Errors: kInvalidArgument (bad ICCID, empty name or id; v2.4 client), kAmbiguous
  /// (sent, no answer: check GetBundle), common.
  [[deprecated(
      "eSIM Go deprecated DELETE …/applications/{assignmentId}; use "
      "RevokeAssignment")]] [[nodiscard]] Result<StatusMessage>
  RevokeApplication(std::string_view iccid, std::string_view name, std::string_view assignment_id,
                    RevokeType type = RevokeType::kTransaction, const CallOptions& call = {}) const;

 private:
  // Shared with the Client and every view and pager made from it: each keeps the core alive.
  std::shared_ptr<internal::ClientCore> core_;
};

}  // namespace esimgo
