// Times the typed decode of a whole live-shaped GET /catalogue response (every bundle of the
// rate sheet) into esimgo::CataloguePage through the SDK's own decode path
// (internal::json::DecodeBody, as ExecuteAndDecode calls it). Reports min-of-N in MB/s.
//
// Usage: catalogue_decode <catalogue.json> [min_seconds=3] [min_runs=20]
// Prints `key=value` lines for bench/run.sh.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "esimgo/catalogue.h"
#include "json/json_reader.h"
#include "model/catalogue_codec.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <catalogue.json> [min_seconds] [min_runs]\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "catalogue_decode: cannot read %s\n", argv[1]);
    return 2;
  }
  const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const double min_seconds = argc > 2 ? std::atof(argv[2]) : 3.0;
  const int min_runs = argc > 3 ? std::atoi(argv[3]) : 20;

  // DecodeBody<CataloguePage> decodes through simdjson's DOM; the on-demand decoder (used for
  // every other model, and as the DOM path's fallback) must give the very same page.
  {
    auto dom = esimgo::internal::json::DecodeBody<esimgo::CataloguePage>(body, "catalogue.List");
    esimgo::CataloguePage on_demand;
    auto r = esimgo::internal::json::ParseRoot(
        body, "catalogue.List", [&](auto root) { return esimgo::Decode(root, on_demand); });
    if (!dom || !r || dom->bundles != on_demand.bundles || dom->rows != on_demand.rows ||
        dom->page_count != on_demand.page_count || dom->page_size != on_demand.page_size) {
      std::fprintf(stderr, "catalogue_decode: the DOM and on-demand decoders disagree\n");
      return 1;
    }
  }

  using Clock = std::chrono::steady_clock;
  double best = 1e30, total = 0;
  int runs = 0;
  size_t bundles = 0, countries = 0;
  int64_t price_micros = 0;
  const auto deadline = Clock::now() + std::chrono::duration<double>(min_seconds);
  while (runs < min_runs || Clock::now() < deadline) {
    const auto start = Clock::now();
    auto page = esimgo::internal::json::DecodeBody<esimgo::CataloguePage>(body, "catalogue.List");
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!page) {
      std::fprintf(stderr, "catalogue_decode: %s\n", page.error().ToString().c_str());
      return 1;
    }
    // Use the result so that nothing is optimised away, and check it is complete.
    bundles = page->bundles.size();
    countries = 0;
    price_micros = 0;
    for (const auto& b : page->bundles) {
      countries += b.countries.size();
      price_micros += b.price.micros();
    }
    best = std::min(best, seconds);
    total += seconds;
    ++runs;
  }
  const double mb = static_cast<double>(body.size()) / 1e6;
  std::printf("bytes=%zu\nbundles=%zu\ncountries=%zu\nprice_total=%s\nruns=%d\n", body.size(),
              bundles, countries, esimgo::Money::FromMicros(price_micros).ToString().c_str(), runs);
  std::printf("min_ms=%.3f\nmean_ms=%.3f\nmb_per_s=%.1f\n", best * 1e3, total / runs * 1e3,
              mb / best);
  return 0;
}
