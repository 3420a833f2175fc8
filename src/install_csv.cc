// Helpers around install details: the LPA string, the CSV reader, ICCID validation.

#include <array>

#include "esimgo/esims.h"

namespace esimgo {
namespace {

// Splits one CSV record starting at `pos` (RFC 4180: quoted fields, doubled quotes,
// embedded newlines). Returns false on an unterminated quote.
bool NextRecord(std::string_view csv, size_t& pos, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool in_quotes = false;
  bool quoted = false;
  while (pos < csv.size()) {
    char c = csv[pos++];
    if (in_quotes) {
      if (c == '"') {
        if (pos < csv.size() && csv[pos] == '"') {
          field += '"';
          ++pos;
        } else {
          in_quotes = false;
        }
      } else {
        field += c;
      }
    } else if (c == '"' && field.empty() && !quoted) {
      in_quotes = quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      quoted = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos < csv.size() && csv[pos] == '\n') ++pos;
      break;
    } else {
      field += c;
    }
  }
  if (in_quotes) return false;
  fields.push_back(std::move(field));
  return true;
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

}  // namespace

std::string LpaString(std::string_view smdp_address, std::string_view matching_id) {
  // SGP.22 activation code: the SM-DP+ address is a bare FQDN, without a scheme.
  for (std::string_view scheme : {"https://", "http://"}) {
    if (smdp_address.substr(0, scheme.size()) == scheme) smdp_address.remove_prefix(scheme.size());
  }
  while (!smdp_address.empty() && smdp_address.back() == '/') smdp_address.remove_suffix(1);
  std::string out = "LPA:1$";
  out += smdp_address;
  out += '$';
  out += matching_id;
  return out;
}

Result<std::vector<EsimInstall>> ParseInstallDetailsCsv(std::string_view csv) {
  if (csv.size() >= 3 && csv.substr(0, 3) == "\xEF\xBB\xBF") csv.remove_prefix(3);  // BOM
  std::vector<EsimInstall> out;
  size_t pos = 0;
  std::vector<std::string> fields;
  if (!NextRecord(csv, pos, fields) || (fields.size() == 1 && fields[0].empty())) {
    return Fail(ErrorCode::kDecode, "install details CSV has no header line",
                "ParseInstallDetailsCsv");
  }
  // Columns are found by name so a reordered or extended header still reads.
  enum Col { kIccid, kMatching, kSmdp, kBundle, kReference, kPin, kPuk, kStatus, kApple, kCols };
  std::array<int, kCols> col;
  col.fill(-1);
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string h = Trimmed(fields[i]);
    int idx = static_cast<int>(i);
    if (EqualsIgnoreCase(h, "ICCID"))
      col[kIccid] = idx;
    else if (EqualsIgnoreCase(h, "Matching ID") || EqualsIgnoreCase(h, "matchingId"))
      col[kMatching] = idx;
    else if (EqualsIgnoreCase(h, "RSP URL") || EqualsIgnoreCase(h, "smdpAddress") ||
             EqualsIgnoreCase(h, "SM-DP+ Address"))
      col[kSmdp] = idx;
    else if (EqualsIgnoreCase(h, "Bundle"))
      col[kBundle] = idx;
    else if (EqualsIgnoreCase(h, "Reference"))
      col[kReference] = idx;
    else if (EqualsIgnoreCase(h, "PIN"))
      col[kPin] = idx;
    else if (EqualsIgnoreCase(h, "PUK"))
      col[kPuk] = idx;
    else if (EqualsIgnoreCase(h, "Profile Status") || EqualsIgnoreCase(h, "profileStatus"))
      col[kStatus] = idx;
    else if (EqualsIgnoreCase(h, "appleInstallUrl") || EqualsIgnoreCase(h, "Apple Install URL"))
      col[kApple] = idx;
  }
  if (col[kIccid] < 0) {
    return Fail(ErrorCode::kDecode, "install details CSV header has no ICCID column",
                "ParseInstallDetailsCsv");
  }
  int line = 1;
  while (pos < csv.size()) {
    ++line;
    if (!NextRecord(csv, pos, fields)) {
      return Fail(ErrorCode::kDecode,
                  "install details CSV line " + std::to_string(line) + ": unterminated quote",
                  "ParseInstallDetailsCsv");
    }
    if (fields.size() == 1 && Trimmed(fields[0]).empty()) continue;  // blank line
    auto get = [&](Col c) {
      return col[c] >= 0 && static_cast<size_t>(col[c]) < fields.size() ? Trimmed(fields[col[c]])
                                                                        : std::string();
    };
    EsimInstall row;
    row.iccid = get(kIccid);
    row.matching_id = get(kMatching);
    row.smdp_address = get(kSmdp);
    row.bundle = get(kBundle);
    row.reference = get(kReference);
    row.pin = get(kPin);
    row.puk = get(kPuk);
    row.profile_status = get(kStatus);
    row.apple_install_url = get(kApple);
    out.push_back(std::move(row));
  }
  return out;
}

Result<void> ValidateIccid(std::string_view iccid) {
  if (iccid.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "ICCID is empty: give the 18–22 digits printed on the eSIM");
  }
  for (char c : iccid) {
    if (c < '0' || c > '9') {
      return Fail(ErrorCode::kInvalidArgument,
                  "ICCID '" + std::string(iccid) + "' has a non-digit: an ICCID is 18–22 digits");
    }
  }
  if (iccid.size() < 18 || iccid.size() > 22) {
    return Fail(ErrorCode::kInvalidArgument, "ICCID '" + std::string(iccid) + "' has " +
                                                 std::to_string(iccid.size()) +
                                                 " digits: an ICCID is 18–22 digits");
  }
  return {};
}

}  // namespace esimgo
