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
  // Line numbers for errors count physical lines, so a quoted field with an embedded line
  // break does not shift them.
  size_t counted = 0;
  int line = 1;
  auto line_at = [&](size_t p) {
    for (; counted < p && counted < csv.size(); ++counted) {
      const char c = csv[counted];
      if (c == '\n' || (c == '\r' && (counted + 1 >= csv.size() || csv[counted + 1] != '\n'))) {
        ++line;
      }
    }
    return line;
  };
  auto blank = [&] { return fields.size() == 1 && Trimmed(fields[0]).empty(); };
  // Blank lines before the header are skipped.
  do {
    const int at = line_at(pos);
    if (!NextRecord(csv, pos, fields)) {
      return Fail(ErrorCode::kDecode,
                  "install details CSV line " + std::to_string(at) + ": unterminated quote",
                  "ParseInstallDetailsCsv");
    }
  } while (blank() && pos < csv.size());
  if (blank()) {
    return Fail(ErrorCode::kDecode,
                "install details CSV is empty: no header line (expected ICCID,Matching ID,RSP "
                "URL,Bundle,Reference)",
                "ParseInstallDetailsCsv");
  }
  // Columns are found by name so a reordered or extended header still reads.
  enum Col {
    kIccid,
    kMatching,
    kSmdp,
    kBundle,
    kReference,
    kPin,
    kPuk,
    kStatus,
    kApple,
    kFirstInstalled,
    kCols
  };
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
             EqualsIgnoreCase(h, "SM-DP+ Address") || EqualsIgnoreCase(h, "SMDP Address"))
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
    else if (EqualsIgnoreCase(h, "firstInstalledDateTime") ||
             EqualsIgnoreCase(h, "First Installed"))
      col[kFirstInstalled] = idx;
  }
  if (col[kIccid] < 0) {
    return Fail(ErrorCode::kDecode,
                "install details CSV header has no ICCID column (is the body really the CSV "
                "of GET /esims/assignments?)",
                "ParseInstallDetailsCsv");
  }
  while (pos < csv.size()) {
    const int at = line_at(pos);
    if (!NextRecord(csv, pos, fields)) {
      return Fail(ErrorCode::kDecode,
                  "install details CSV line " + std::to_string(at) + ": unterminated quote",
                  "ParseInstallDetailsCsv");
    }
    if (blank()) continue;
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
    if (auto t = get(kFirstInstalled); !t.empty()) row.first_installed = Timestamp::Parse(t);
    out.push_back(std::move(row));
  }
  return out;
}

Result<void> ValidateIccid(std::string_view iccid) {
  if (iccid.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "ICCID is empty: give the 18–22 digits printed on the eSIM");
  }
  for (size_t i = 0; i < iccid.size(); ++i) {
    const char c = iccid[i];
    if (c < '0' || c > '9') {
      // The value itself is not echoed: a caller who swapped arguments may have passed a
      // secret (the API key) here, and errors end up in logs.
      return Fail(ErrorCode::kInvalidArgument,
                  "ICCID has a non-digit at position " + std::to_string(i + 1) + " of " +
                      std::to_string(iccid.size()) +
                      ": an ICCID is 18–22 digits, with no spaces or dashes");
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
