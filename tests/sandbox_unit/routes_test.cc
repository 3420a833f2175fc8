// Routes called directly, without a server: decode → one Engine call → encode. Proves the edge
// checks (type required, UTF-8, page ranges) before any socket is involved.

#include <httplib.h>

#include "engine_fixture.h"
#include "router.h"

namespace esimgo::sandbox::testing {
namespace {

class RoutesTest : public EngineTest {
 protected:
  Reply Call(const std::string& name, const std::string& body = "",
             std::multimap<std::string, std::string> params = {}) {
    RouteTable table;
    AddOrderRoutes(table);
    AddEsimRoutes(table);
    AddCatalogueRoutes(table);
    for (const auto& route : table) {
      if (route.name != name) continue;
      httplib::Request req;
      req.body = body;
      req.params = std::move(params);
      Ctx c{req, *engine};
      return RunRoute(route, c);
    }
    ADD_FAILURE() << "no route " << name;
    return {};
  }
};

TEST_F(RoutesTest, AnOrderWithoutAKnownTypeNeverCharges) {
  int64_t before = Balance();
  const std::string line = R"([{"type":"bundle","item":"esim_1GB_7D_GB_V2","quantity":1}])";
  for (const std::string& body :
       {R"({"Type":"transaction","order":)" + line + "}", R"({"order":)" + line + "}",
        R"({"type":"transactions","order":)" + line + "}", R"({"type":null,"order":)" + line + "}",
        R"({"type":["transaction"],"order":)" + line + "}"}) {
    Reply r = Call("POST /orders", body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(r.content_type, "text/plain");
  }
  EXPECT_EQ(Balance(), before);
  EXPECT_EQ(State().orders, 0);
  Reply ok = Call("POST /orders", R"({"type":"Transaction","order":)" + line + "}");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Balance(), before - 1'360'000);
}

TEST_F(RoutesTest, PagesBeyondTheLimitAreRefusedBeforeAnyArithmetic) {
  for (const char* name : {"GET /orders", "GET /esims", "GET /catalogue"}) {
    Reply r = Call(name, "", {{"page", "9223372036854775807"}});
    EXPECT_EQ(r.status, 400) << name;
    EXPECT_NE(r.body.find("page"), std::string::npos) << name;
  }
}

TEST_F(RoutesTest, AQueryStringThatIsNotUtf8IsRefusedAtTheEdge) {
  std::string iccid = NewEsim();
  Reply r = Call("PUT /esims", "", {{"iccid", iccid}, {"customerRef", "\xFF"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("UTF-8"), std::string::npos);
  auto d = engine->GetEsim(iccid, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->customer_ref, "");
}

}  // namespace
}  // namespace esimgo::sandbox::testing
