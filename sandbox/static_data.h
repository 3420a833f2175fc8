#pragma once
// The sandbox's read-only world: the catalogue (from the embedded rate sheet) and the network
// list, parsed once per process, with every bundle's JSON encoded once.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "esimgo/catalogue.h"
#include "esimgo/networks.h"

namespace esimgo::sandbox {

std::string EmbeddedBundlesCsv();   // generated from data/bundles.csv
std::string EmbeddedNetworksCsv();  // generated from data/networks.csv

struct BundleInfo {
  CatalogueBundle model;
  std::string area;         // "United Kingdom", "Europe+"
  std::string profile;      // provider profile ("1.0", "4.0"); compatibility is per profile
  std::string json;         // CatalogueBundle JSON (with groups), for GET /catalogue
  std::string detail_json;  // BundleCatalogueResponse JSON (no groups), for #25
  // The same under /v2.5: with `profileName`, and the detail with `group` (delta §1 row 10).
  std::string json_v25;
  std::string detail_json_v25;
  int64_t data_bytes = 0;  // 0 for unlimited
};

struct StaticData {
  std::vector<BundleInfo> bundles;  // in rate-sheet order
  std::map<std::string, size_t, std::less<>> by_name;
  NetworkList networks;
  std::vector<std::string> groups;                            // group names in a stable order
  std::map<std::string, std::string, std::less<>> iso_names;  // "GB" → "United Kingdom"

  const BundleInfo* Find(std::string_view name) const;
};

// v2.5's `profileName` of a rate-sheet provider profile: "1.0" → "Profile 1" (◐ the sheet's
// profiles are numbers; v2.5 shows names of this form).
std::string ProfileName(const std::string& profile);

// Parsed on first use; thread-safe.
const StaticData& Data();

// One bundle of the rate sheet by name, or null: Data().Find(name) once Data() has been built;
// before that only the bundle's own row is parsed (and kept), so a lookup does not pay for the
// whole sheet. Same BundleInfo content either way; thread-safe; the pointer lives as long as the
// process.
const BundleInfo* FindBundle(std::string_view name);

// "Europe", "Asia", … for an ISO code ("" if unknown).
std::string_view RegionOf(std::string_view iso);

// Splits a CSV line with RFC 4180 quotes.
std::vector<std::string> SplitCsvLine(std::string_view line);

}  // namespace esimgo::sandbox
