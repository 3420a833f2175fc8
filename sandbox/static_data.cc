#include "static_data.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

#include "model/catalogue_codec.h"

namespace esimgo::sandbox {
namespace {

struct RegionRow {
  std::string_view region;
  std::string_view isos;
};
// A small ISO → region table (eSIM Go's own region names), enough for the rate sheet.
constexpr RegionRow kRegions[] = {
    {"Europe",
     " AD AL AT AX BA BE BG BY CH CY CYP CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IC IE IM IS "
     "IT JE LI LT LU LV MC MD ME MK MT NL NO PL PO PT RO RS RU SE SI SK UA VA XK "},
    {"Asia",
     " AF AM AZ BD BN CN GE HK ID IN IO JP KG KH KR KZ LA LK MM MN MO MY NP PH PK SG TH TJ TL TW "
     "UZ VN "},
    {"Middle East", " AE BH IL IQ IR JO KW LB OM PS QA SA TR "},
    {"Africa",
     " AO BF BI BJ BW CD CF CG CI CM CV DZ EG EH ET GA GH GM GN GW KE LR LS MA MG ML MR MU MW "
     "MZ NA NE NG RE RW SC SD SL SN ST SZ TD TG TN TZ UG YT ZA ZM ZW "},
    {"North America", " CA GL MX US US-HI "},
    {"South America", " AR BO BR CL CO EC GF GY PE PY SR UY VE "},
    {"Central America", " BZ CR GT HN NI PA SV "},
    {"Caribbean",
     " AG AI AN AW BB BL BM BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR TC TT VC VG VI "},
    {"Oceania", " AU FJ GU NR NZ PF PG TO VU WS "},
};

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) out.push_back(line);
    pos = nl + 1;
  }
  return out;
}

std::string NormaliseProfile(std::string p) {
  if (p.find('.') == std::string::npos) p += ".0";
  return p;
}

// "1.0" → "1GB", "0.5" → "500MB"
std::string DataLabel(double gb) {
  if (gb < 1) return std::to_string(static_cast<int>(gb * 1000 + 0.5)) + "MB";
  if (gb == static_cast<int>(gb)) return std::to_string(static_cast<int>(gb)) + "GB";
  std::string s = std::to_string(gb);
  s.erase(s.find_last_not_of('0') + 1);
  return s + "GB";
}

// networks.csv: country,iso,profile,network_name,network_code,mccmnc,2g,3g,4g,5g
void AddCountryNames(std::map<std::string, std::string, std::less<>>& iso_names) {
  iso_names.emplace("US-HI", "Hawaii");
  iso_names.emplace("CYP", "Northern Cyprus");
  iso_names.emplace("PO", "Poland");
}

// bundles.csv: name,tier,area,isos,profile,data_gb,days,unlimited,price_usd. One row of the rate
// sheet as the API shows it; `f` has at least 9 fields. Shared by Build (every bundle) and
// FindBundle (one bundle), so both give the same answer.
BundleInfo ParseBundle(const std::vector<std::string>& f,
                       const std::map<std::string, std::string, std::less<>>& iso_names) {
  BundleInfo b;
  b.area = f[2];
  b.profile = NormaliseProfile(f[4]);
  CatalogueBundle& m = b.model;
  m.name = f[0];
  const std::string& tier = f[1];
  bool unlimited = f[7] == "true";
  double gb = f[5].empty() ? 0 : std::stod(f[5]);
  m.duration_days = std::stoi(f[6]);
  m.unlimited = unlimited;
  m.data_amount_mb = unlimited ? 0 : static_cast<int64_t>(gb * 1000 + 0.5);
  b.data_bytes = m.data_amount_mb * 1'000'000;
  m.price = Money::Parse(f[8]).value_or(Money());
  m.billing_type = "FixedCost";
  m.autostart = true;
  m.speed = {"3G", "4G", "5G"};
  std::string group;
  if (tier == "fixed") {
    group = "Standard Fixed";
  } else if (tier == "long") {
    group = "Standard Long Duration";
  } else if (tier == "UL") {
    group = "Standard Unlimited Lite";
  } else if (tier == "ULE") {
    group = "Standard Unlimited Essential";
  } else {
    group = "Standard Unlimited Plus";
  }
  m.groups = {group};
  std::string isos = f[3];
  size_t pos = 0;
  while (pos <= isos.size()) {
    size_t semi = isos.find(';', pos);
    if (semi == std::string::npos) semi = isos.size();
    std::string iso = Trim(std::string_view(isos).substr(pos, semi - pos));
    pos = semi + 1;
    if (iso.empty()) continue;
    auto name_it = iso_names.find(iso);
    std::string name = name_it != iso_names.end() ? name_it->second : iso;
    if (isos.find(';') == std::string::npos) name = f[2];
    m.countries.push_back({.name = name, .region = std::string(RegionOf(iso)), .iso = iso});
  }
  m.roaming_enabled = m.countries;
  std::string version = "V2";
  if (auto us = m.name.rfind('_'); us != std::string::npos) version = m.name.substr(us + 1);
  std::string amount;
  if (!unlimited) {
    amount = DataLabel(gb);
  } else if (tier == "UL") {
    amount = "Unlimited Lite";
  } else if (tier == "ULE") {
    amount = "Unlimited Essential";
  } else {
    amount = "Unlimited Plus";
  }
  m.description = "eSIM, " + amount + ", " + std::to_string(m.duration_days) +
                  (m.duration_days == 1 ? " Day, " : " Days, ") + b.area + ", " + version;
  JsonWriter w;
  Encode(w, m, true);
  b.json = w.Take();
  JsonWriter w2;
  Encode(w2, m, false);
  b.detail_json = w2.Take();
  CatalogueBundle v25 = m;  // v2.5 fields: written only when set, so v2.4's JSON is unchanged
  v25.profile_name = ProfileName(b.profile);
  JsonWriter w3;
  Encode(w3, v25, true);
  b.json_v25 = w3.Take();
  v25.group = v25.groups;
  JsonWriter w4;
  Encode(w4, v25, false);
  b.detail_json_v25 = w4.Take();
  return b;
}

StaticData Build() {
  StaticData d;
  std::string networks_csv = EmbeddedNetworksCsv();
  std::map<std::string, size_t> country_index;
  bool header = true;
  for (std::string_view line : Lines(networks_csv)) {
    if (header) {
      header = false;
      continue;
    }
    auto f = SplitCsvLine(line);
    if (f.size() < 10) continue;
    d.iso_names.emplace(f[1], f[0]);
    auto [it, inserted] = country_index.emplace(f[1], d.networks.country_networks.size());
    if (inserted) d.networks.country_networks.push_back({.name = f[0], .iso = f[1]});
    Network n{.name = f[3], .brand_name = f[3], .tag_id = f[4]};
    n.mcc = f[5].substr(0, std::min<size_t>(3, f[5].size()));
    if (f[5].size() > 3) n.mnc = f[5].substr(3);
    const char* gens[] = {"2G", "3G", "4G", "5G"};
    for (int g = 0; g < 4; ++g) {
      if (f[6 + g] == "Live") n.speed.emplace_back(gens[g]);
    }
    d.networks.country_networks[it->second].networks.push_back(std::move(n));
  }
  AddCountryNames(d.iso_names);

  std::string bundles_csv = EmbeddedBundlesCsv();
  header = true;
  std::set<std::string> groups;
  for (std::string_view line : Lines(bundles_csv)) {
    if (header) {
      header = false;
      continue;
    }
    auto f = SplitCsvLine(line);
    if (f.size() < 9) continue;
    BundleInfo b = ParseBundle(f, d.iso_names);
    groups.insert(b.model.groups.front());
    d.by_name.emplace(b.model.name, d.bundles.size());
    d.bundles.push_back(std::move(b));
  }
  for (const char* g : {"Standard Fixed", "Standard Long Duration", "Standard Unlimited Lite",
                        "Standard Unlimited Essential", "Standard Unlimited Plus"}) {
    if (groups.count(g)) d.groups.emplace_back(g);
  }
  return d;
}

// Built on the first Data() call; null until then.
std::atomic<const StaticData*> g_built{nullptr};

// Bundles parsed one at a time by FindBundle before (or without) the whole rate sheet: a
// process that answers one bundle (the CLI's `catalogue show` on the embedded sandbox) parses
// one row instead of 5,000 (docs/adr/0008-fast-cli-start.md). Never freed: pointers handed out
// stay valid for the process, like Data()'s.
struct LoneBundles {
  std::mutex mu;
  bool names_loaded = false;
  std::map<std::string, std::string, std::less<>> iso_names;
  std::map<std::string, std::unique_ptr<const BundleInfo>, std::less<>> found;
  std::set<std::string, std::less<>> absent;
};

LoneBundles& Lone() {
  static auto* lone = new LoneBundles();
  return *lone;
}

// The row of `name` in the rate sheet (after the header), or nothing.
std::optional<std::vector<std::string>> BundleRow(std::string_view name) {
  if (name.empty()) return std::nullopt;
  std::string csv = EmbeddedBundlesCsv();
  // Rows start with their (unquoted) name: one substring search finds it without splitting
  // the sheet into lines. The header is the first line, so a match after a newline is a row.
  std::string needle = "\n";
  needle += name;
  needle += ',';
  if (size_t at = csv.find(needle); at != std::string::npos) {
    size_t begin = at + 1;
    size_t end = csv.find('\n', begin);
    std::string_view line = std::string_view(csv).substr(
        begin, end == std::string::npos ? std::string::npos : end - begin);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto f = SplitCsvLine(line);
    if (f.size() >= 9 && f[0] == name) return f;
  }
  // A quoted first field (none in today's sheet) is split to compare it.
  bool header = true;
  for (std::string_view line : Lines(csv)) {
    if (header) {
      header = false;
      continue;
    }
    if (line.front() != '"') continue;
    auto f = SplitCsvLine(line);
    if (f.size() >= 9 && f[0] == name) return f;
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> SplitCsvLine(std::string_view line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          cur += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(std::move(cur));
  return out;
}

std::string_view RegionOf(std::string_view iso) {
  // Appended piecewise: g++ 12 -O3 reports a false -Wrestrict on `" " + std::string(iso)`.
  std::string needle;
  needle.reserve(iso.size() + 2);
  needle += ' ';
  needle += iso;
  needle += ' ';
  for (const auto& row : kRegions) {
    if (row.isos.find(needle) != std::string_view::npos) return row.region;
  }
  return "";
}

const BundleInfo* StaticData::Find(std::string_view name) const {
  auto it = by_name.find(name);
  return it == by_name.end() ? nullptr : &bundles[it->second];
}

std::string ProfileName(const std::string& profile) {
  std::string major = profile.substr(0, profile.find('.'));
  return "Profile " + (major.empty() ? profile : major);
}

const StaticData& Data() {
  static const StaticData data = Build();
  g_built.store(&data, std::memory_order_release);
  return data;
}

const BundleInfo* FindBundle(std::string_view name) {
  if (const StaticData* built = g_built.load(std::memory_order_acquire)) return built->Find(name);
  LoneBundles& lone = Lone();
  std::lock_guard lock(lone.mu);
  if (auto it = lone.found.find(name); it != lone.found.end()) return it->second.get();
  if (lone.absent.count(name)) return nullptr;
  auto row = BundleRow(name);
  if (!row) {
    if (lone.absent.size() < 1024) lone.absent.emplace(name);  // bounded: names come from clients
    return nullptr;
  }
  // Only a bundle of several countries names them from the network list (one of a single
  // country takes the area's name): most lookups skip parsing it.
  if (!lone.names_loaded && (*row)[3].find(';') != std::string::npos) {
    std::string networks_csv = EmbeddedNetworksCsv();
    bool header = true;
    for (std::string_view line : Lines(networks_csv)) {
      if (header) {
        header = false;
        continue;
      }
      auto f = SplitCsvLine(line);
      if (f.size() >= 10) lone.iso_names.emplace(f[1], f[0]);
    }
    AddCountryNames(lone.iso_names);
    lone.names_loaded = true;
  }
  auto info = std::make_unique<const BundleInfo>(ParseBundle(*row, lone.iso_names));
  const BundleInfo* out = info.get();
  lone.found.emplace(std::string(name), std::move(info));
  return out;
}

}  // namespace esimgo::sandbox
