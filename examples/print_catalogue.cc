// Prints bundles of the catalogue. With ESIMGO_API_KEY set it asks the live API (or
// ESIMGO_BASE_URL); without it, it answers from the spec's example through an in-memory
// transport, so it runs on any machine.

#include <cstdio>
#include <memory>

#include "esimgo/esimgo.h"

namespace {

// Answers every request with the catalogue example of the v2.4 spec, in the live shape.
class SpecExampleTransport final : public esimgo::Transport {
 public:
  esimgo::Result<esimgo::HttpResponse> Send(const esimgo::HttpRequest&) override {
    esimgo::HttpResponse r;
    r.status = 200;
    r.headers = {{"Content-Type", "application/json"}};
    r.body =
        R"({"bundles":[{"name":"esim_1GB_7D_GB_V2","description":"eSIM, 1GB, 7 Days, United Kingdom, V2",
      "groups":["Standard Fixed"],"countries":[{"name":"United Kingdom","region":"Europe","iso":"GB"}],
      "dataAmount":1000,"duration":7,"speed":["3G","4G","5G"],"autostart":true,"unlimited":false,
      "roamingEnabled":[],"price":1.33,"billingType":"FixedCost"}],"pageCount":1,"rows":1,"pageSize":50})";
    return r;
  }
};

}  // namespace

int main() {
  esimgo::ClientOptions options;
  if (auto env = esimgo::ClientOptions::FromEnv()) {
    options = *env;
  } else {
    std::fprintf(stderr, "ESIMGO_API_KEY not set: using the spec's example response\n");
    options.transport = std::make_shared<SpecExampleTransport>();
    options.api_key = "example";
  }
  esimgo::Client client(options);
  auto page = client.catalogue().List({.page = 1, .per_page = 50});
  if (!page) {
    std::fprintf(stderr, "error: %s\n", page.error().ToString().c_str());
    return 1;
  }
  for (const auto& b : page->bundles) {
    std::printf("%-28s %-45s %6s USD\n", b.name.c_str(), b.description.c_str(),
                b.price.ToString().c_str());
  }
  return 0;
}
