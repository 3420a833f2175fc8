// Applying and revoking bundles: POST /esims/apply (#1), POST /esims/{iccid}/bundles (#8, the
// legacy form), GET /esims/{iccid}/bundles (#7), GET /esims/{iccid}/bundles/{name} (#9) and the
// revokes (#10, #11).

#include "esimgo/limits.h"
#include "model/common_codec.h"
#include "model/esims_codec.h"
#include "router.h"
#include "wire.h"

namespace esimgo::sandbox {
namespace {

// v2.5 fields the Engine fills; a /v2.4 answer leaves them out (byte-for-byte v2.4).
void StripV25(std::vector<BundleAssignment>& assignments) {
  for (auto& a : assignments) {
    a.start_time = {};
    a.end_time = {};
    a.allowances.clear();
  }
}

// A `repeat` from the body, range-checked before it becomes an int.
Result<int> Repeat(const std::optional<int64_t>& raw) {
  int64_t n = raw.value_or(1);
  if (n < limits::kApplyRepeatMin || n > limits::kApplyRepeatMax) {
    return Fail(ErrorCode::kBadRequest, "repeat must be from " +
                                            std::to_string(limits::kApplyRepeatMin) + " to " +
                                            std::to_string(limits::kApplyRepeatMax));
  }
  return static_cast<int>(n);
}

Reply Apply(Ctx& c) {
  auto req = wire::DecodeApply(c.req.body);
  if (!req) {
    return ErrorReply(400,
                      "the body must be JSON: {\"name\": bundle, \"iccid\"?: …} or "
                      "{\"bundles\": [{\"name\": bundle}]} (" +
                          req.error().message + ")");
  }
  bool has_name = req->name.has_value() && !req->name->empty();
  bool has_list = req->bundles.has_value() && !req->bundles->empty();
  if (has_name == has_list) {
    return ErrorReply(400, "give exactly one of name (one bundle) and bundles (a list)");
  }
  if (req->iccid && req->repeat) {
    return ErrorReply(400, "repeat asks for new eSIMs and cannot be combined with iccid");
  }
  ApplyCmd cmd{.iccid = req->iccid};
  bool reassign = req->allow_reassign.value_or(false);
  if (has_name) {
    auto repeat = Repeat(req->repeat);
    if (!repeat) return ErrorReply(repeat.error());
    cmd.items.push_back({*req->name, *repeat, reassign});
  } else {
    for (const auto& b : *req->bundles) {
      if (!b.name || b.name->empty()) return ErrorReply(400, "every entry of bundles needs a name");
      if (req->iccid && b.repeat) {
        return ErrorReply(400, "repeat asks for new eSIMs and cannot be combined with iccid");
      }
      auto repeat = Repeat(b.repeat);
      if (!repeat) return ErrorReply(repeat.error());
      cmd.items.push_back({*b.name, *repeat, b.allow_reassign.value_or(reassign)});
    }
  }
  return Answer(c.engine.Apply(cmd));
}

Reply LegacyApply(Ctx& c) {
  auto req = wire::DecodeLegacyApply(c.req.body);
  if (!req || !req->name || req->name->empty()) {
    return ErrorReply(400, "the body must be JSON {\"name\": bundle}");
  }
  auto applied = c.engine.Apply(ApplyCmd{.iccid = c.Param(1), .items = {{*req->name, 1, false}}});
  if (!applied) return ErrorReply(applied.error());
  return Encoded(StatusMessage{.status = "success"});
}

Reply ListBundles(Ctx& c) {
  bool include_used = false;
  if (auto v = c.Query("includeUsed"); v && !ParseBoolText(*v, include_used)) {
    return ErrorReply(400, "includeUsed must be true or false");
  }
  int64_t limit = 15;
  if (auto v = c.Query("limit")) {
    auto n = ParseInt(*v);
    if (!n || *n < 1 || *n > 200) return ErrorReply(400, "limit must be between 1 and 200");
    limit = *n;
  }
  auto body = c.engine.ListBundles(c.Param(1), include_used, limit);
  if (!body) return ErrorReply(body.error());
  if (!c.v25()) {
    for (auto& b : body->bundles) StripV25(b.assignments);
  }
  return Encoded(*body);
}

Reply GetBundle(Ctx& c) {
  auto body = c.engine.GetBundle(c.Param(1), c.Param(2));
  if (!body) return ErrorReply(body.error());
  if (!c.v25()) StripV25(body->assignments);
  return Encoded(*body);
}

Reply DoRevoke(Ctx& c, std::optional<std::string> assignment_id) {
  std::string type = Lower(c.Query("type").value_or("transaction"));
  if (type != "transaction" && type != "validate") {
    return ErrorReply(400, "type must be validate (dry run) or transaction");
  }
  RevokeCmd cmd{.iccid = c.Param(1),
                .bundle = c.Param(2),
                .assignment_id = std::move(assignment_id),
                .dry_run = type == "validate"};
  if (auto v = c.Query("refundToBalance"); v && !ParseBoolText(*v, cmd.to_balance)) {
    return ErrorReply(400, "refundToBalance must be true or false");
  }
  if (cmd.to_balance && c.Query("offerId").value_or("").empty()) {
    return ErrorReply(400, "refundToBalance needs offerId (the offer of the bundle to revoke)");
  }
  return Answer(c.engine.Revoke(cmd));
}

Reply Revoke(Ctx& c) { return DoRevoke(c, std::nullopt); }
Reply RevokeAssignment(Ctx& c) { return DoRevoke(c, c.Param(3)); }

}  // namespace

void AddEsimBundleRoutes(RouteTable& t) {
  t.push_back({"POST", "/esims/apply", "POST /esims/apply", Apply});
  // v2.5's YAML lists this (deprecated) revoke by application id: the same as by assignment id.
  t.push_back({"DELETE", "/esims/([^/]+)/bundles/([^/]+)/applications/([^/]+)",
               "DELETE /esims/{iccid}/bundles/{name}/applications/{assignmentId}", RevokeAssignment,
               false, ApiVersion::kV2_5});
  t.push_back({"GET", "/esims/([^/]+)/bundles", "GET /esims/{iccid}/bundles", ListBundles});
  t.push_back({"POST", "/esims/([^/]+)/bundles", "POST /esims/{iccid}/bundles", LegacyApply});
  t.push_back(
      {"GET", "/esims/([^/]+)/bundles/([^/]+)", "GET /esims/{iccid}/bundles/{name}", GetBundle});
  t.push_back(
      {"DELETE", "/esims/([^/]+)/bundles/([^/]+)", "DELETE /esims/{iccid}/bundles/{name}", Revoke});
  t.push_back({"DELETE", "/esims/([^/]+)/bundles/([^/]+)/assignments/([^/]+)",
               "DELETE /esims/{iccid}/bundles/{name}/assignments/{assignmentId}",
               RevokeAssignment});
}

}  // namespace esimgo::sandbox
