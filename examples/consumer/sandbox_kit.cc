// Built against the installed packages by scripts/check-consumer.sh: a user's test starts the
// in-process sandbox (esimgo::sandbox) on port 0 and points a Client at it.
#include <cstdio>

#include <esimgo/esimgo.h>
#include <esimgo/sandbox/sandbox.h>

int main() {
  auto sandbox = esimgo::sandbox::Sandbox::Start({.api_key = "kit-key", .rate_limit = 0});
  if (!sandbox) {
    std::fprintf(stderr, "sandbox: %s\n", sandbox.error().ToString().c_str());
    return 1;
  }
  esimgo::Client client({.api_key = "kit-key", .base_url = (*sandbox)->base_url()});
  auto bundle = client.catalogue().Get("esim_1GB_7D_GB_V2");
  if (!bundle) {
    std::fprintf(stderr, "catalogue.Get: %s\n", bundle.error().ToString().c_str());
    return 1;
  }
  std::printf("sandbox kit ok: %s costs %s\n", bundle->name.c_str(),
              bundle->price.ToString().c_str());
  return bundle->name == "esim_1GB_7D_GB_V2" ? 0 : 1;
}
