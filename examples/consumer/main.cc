// Built against the installed SDK by scripts/check-consumer.sh.
#include <cstdio>

#include <esimgo/esimgo.h>

int main() {
  auto lpa = esimgo::LpaString("rsp.example.com", "AB-12C3DE");
  auto price = esimgo::Money::Parse("9.99");
  std::printf("consumer ok: %s %s\n", lpa.c_str(), price ? price->ToString().c_str() : "?");
  return lpa == "LPA:1$rsp.example.com$AB-12C3DE" ? 0 : 1;
}
