// esimgo bundles list|show|revoke — bundles applied to an eSIM (#7, #9, #10, #11).

#include <fmt/core.h>

#include "commands.h"
#include "json_model.h"

namespace esimgo::cli {
namespace {

struct RevokeArgs {
  std::string iccid, bundle, assignment, offer_id;
  bool validate = false, refund_to_balance = false, yes = false;
};

void AddRows(Table& t, const std::string& name, const std::vector<BundleAssignment>& as) {
  for (const auto& a : as) {
    t.rows.push_back({name, a.bundle_state.raw,
                      Remaining(a.remaining_quantity, a.initial_quantity, a.unlimited),
                      When(a.assignment_date_time), a.id});
  }
}

Table AssignmentTable() {
  return Table{.headers = {"BUNDLE", "STATE", "DATA", "ASSIGNED", "ASSIGNMENT ID"}};
}

int RunList(Context& ctx, const std::string& iccid, bool include_used, int limit) {
  if (int rc = CheckIccid(ctx, iccid); rc) return rc;
  if (limit != 0 && (limit < 1 || limit > 200)) {
    return ctx.Fail(kExitInvalidArgument, "--limit must be between 1 and 200");
  }
  auto client = ctx.client();
  if (!client) return ctx.Fail(client.error());
  ListBundlesRequest req;
  if (include_used) req.include_used = true;
  if (limit) req.limit = limit;
  auto r = (*client)->esims().ListBundles(iccid, req);
  if (!r) return ctx.Fail(r.error());
  Table t = AssignmentTable();
  for (const auto& b : *r) AddRows(t, b.name, b.assignments);
  ctx.out().Emit(ToJsonArray(*r), t);
  return kExitOk;
}

int RunShow(Context& ctx, const std::string& iccid, const std::string& bundle) {
  if (int rc = CheckIccid(ctx, iccid); rc) return rc;
  if (bundle.empty()) return ctx.Fail(kExitInvalidArgument, "the bundle name is empty");
  auto client = ctx.client();
  if (!client) return ctx.Fail(client.error());
  auto r = (*client)->esims().GetBundle(iccid, bundle);
  if (!r) return ctx.Fail(r.error());
  Table t = AssignmentTable();
  AddRows(t, bundle, *r);
  ctx.out().Emit(ToJsonArray(*r), t);
  return kExitOk;
}

int RunRevoke(Context& ctx, const RevokeArgs& a) {
  if (int rc = CheckIccid(ctx, a.iccid); rc) return rc;
  if (a.bundle.empty()) return ctx.Fail(kExitInvalidArgument, "the bundle name is empty");
  if (a.refund_to_balance && a.offer_id.empty()) {
    return ctx.Fail(kExitInvalidArgument,
                    "--refund-to-balance needs --offer-id ID (eSIM Go gives you the offer ID)");
  }
  if (!a.offer_id.empty() && !a.refund_to_balance) {
    return ctx.Fail(kExitInvalidArgument, "--offer-id only makes sense with --refund-to-balance");
  }
  if (!a.assignment.empty() && a.refund_to_balance) {
    return ctx.Fail(kExitInvalidArgument,
                    "--refund-to-balance is not available with --assignment (the API has no "
                    "such option there)");
  }
  auto client = ctx.client();
  if (!client) return ctx.Fail(client.error());
  auto esims = (*client)->esims();
  RevokeBundleRequest req;
  if (a.refund_to_balance) {
    req.refund_to_balance = true;
    req.offer_id = a.offer_id;
  }
  auto send = [&](RevokeType type) {
    if (!a.assignment.empty()) return esims.RevokeAssignment(a.iccid, a.bundle, a.assignment, type);
    RevokeBundleRequest r = req;
    r.type = type;
    return esims.RevokeBundle(a.iccid, a.bundle, r);
  };
  auto check = send(RevokeType::kValidate);
  if (!check) return ctx.Fail(check.error());
  Json data = Json::Object()
                  .Set("iccid", a.iccid)
                  .Set("bundle", a.bundle)
                  .Set("assignment_id", a.assignment.empty() ? Json() : Json(a.assignment))
                  .Set("validate", a.validate);
  if (a.validate) {
    data.Set("status", check->status);
    ctx.out().EmitRecord(data, {{"Validation", check->status}, {"Charged", "nothing (validate)"}});
    return kExitOk;
  }
  std::fputs(fmt::format("Revoking {}{} on {}: {}\n", a.bundle,
                         a.assignment.empty() ? "" : " (assignment " + a.assignment + ")", a.iccid,
                         check->status)
                 .c_str(),
             stderr);
  if (int rc = ctx.Confirm(fmt::format("revoke {} from {}", a.bundle, a.iccid), a.yes); rc) {
    return rc;
  }
  auto done = send(RevokeType::kTransaction);
  if (!done) return ctx.Fail(done.error());
  data.Set("status", done->status);
  ctx.out().EmitRecord(data, {{"Status", done->status}});
  return kExitOk;
}

}  // namespace

void RegisterBundles(CLI::App& app, Context& ctx) {
  auto* group = Sub(app, "bundles", "Bundles applied to an eSIM: status, revoke");
  group->require_subcommand(1);

  struct L {
    std::string iccid;
    bool include_used = false;
    int limit = 0;
  };
  auto l = std::make_shared<L>();
  auto* list =
      Sub(*group, "list", "Bundles of an eSIM with data left (GET /esims/{iccid}/bundles)");
  list->add_option("ICCID", l->iccid, "ICCID")->required();
  list->add_flag("--include-used", l->include_used, "Include depleted/expired bundles");
  list->add_option("--limit", l->limit, "At most N assignments (1–200; API default 15)");
  OnRun(list, ctx, [&ctx, l] { return RunList(ctx, l->iccid, l->include_used, l->limit); });

  auto s = std::make_shared<std::pair<std::string, std::string>>();
  auto* show = Sub(*group, "show", "Assignments of one bundle on an eSIM");
  show->add_option("ICCID", s->first, "ICCID")->required();
  show->add_option("BUNDLE", s->second, "Bundle name")->required();
  OnRun(show, ctx, [&ctx, s] { return RunShow(ctx, s->first, s->second); });

  auto r = std::make_shared<RevokeArgs>();
  auto* revoke = Sub(*group, "revoke", "Revoke a bundle from an eSIM (refunds unused ones)");
  revoke->add_option("ICCID", r->iccid, "ICCID")->required();
  revoke->add_option("BUNDLE", r->bundle, "Bundle name")->required();
  revoke->add_option("--assignment", r->assignment, "Revoke this assignment ID");
  revoke->add_flag("--validate", r->validate, "Only check what would happen");
  revoke->add_flag("--refund-to-balance", r->refund_to_balance,
                   "Refund to the balance instead of inventory (needs --offer-id)");
  revoke->add_option("--offer-id", r->offer_id, "Offer ID for --refund-to-balance");
  revoke->add_flag("-y,--yes", r->yes, "Do not ask for confirmation");
  OnRun(revoke, ctx, [&ctx, r] { return RunRevoke(ctx, *r); });
}

}  // namespace esimgo::cli
