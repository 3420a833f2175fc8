#!/usr/bin/env python3
"""Drives every operation of a real esimgo-sandbox and validates each JSON answer against the
response schema the YAML declares for it: the v2.4 YAML under /v2.4, or, given the v2.5 YAML
(its info.version says which), every answer under /v2.5 plus v2.5's new operations.

Where the live API (and so the sandbox) knowingly differs from the YAML, the difference is listed
once, in src/drift/live_overlay.yaml — the file the SDK's drift detection is generated from — and
read here into LIVE_SHAPE_EXCEPTIONS and MONEY_FIELDS (mirrored in docs/sandbox.md). Everything else
must validate. Usage: validate_responses.py <esimgo-sandbox> <spec.yaml>
"""
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

import jsonschema
import yaml

KEY = "sandbox-key"
BUNDLE = "esim_1GB_7D_GB_V2"

OVERLAY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "drift",
                       "live_overlay.yaml")


def live_facts(path):
    """MONEY_FIELDS and LIVE_SHAPE_EXCEPTIONS from the overlay's money_fields and operations.

    The YAML types money as integer; real prices, totals and balances are fractional (reference
    §6.4). Per (method, path template), how the live shape maps onto the YAML's schema:
    "items-of:KEY" (the live answer wraps the YAML's array in KEY), "items-of:" (an array of the
    YAML's object), "by-request-type" (the YAML's oneOf is ambiguous; the request's type picks).
    """
    with open(path, encoding="utf-8") as f:
        overlay = yaml.safe_load(f)
    exceptions = {}
    for operation, rule in overlay["operations"].items():
        if "?" in operation or not isinstance(rule, dict):
            continue  # "POST /orders?type=transaction" is the SDK's name for one oneOf branch
        method, template = operation.split(" ", 1)
        if "wrap" in rule:
            exceptions[(method, template)] = "items-of:" + rule["wrap"]["field"]
        elif rule.get("array_of_root"):
            exceptions[(method, template)] = "items-of:"
        elif "from_one_of" in rule:
            exceptions[(method, template)] = "by-request-type"
    return set(overlay["money_fields"]), exceptions


MONEY_FIELDS, LIVE_SHAPE_EXCEPTIONS = live_facts(OVERLAY)

JSON_SCHEMA_TYPES = {"array", "boolean", "integer", "null", "number", "object", "string"}


def relax_money(node):
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for name, schema in props.items():
                if name in MONEY_FIELDS and isinstance(schema, dict) and schema.get("type") == "integer":
                    schema["type"] = "number"
        for v in node.values():
            relax_money(v)
    elif isinstance(node, list):
        for v in node:
            relax_money(v)


def drop_invalid_keywords(node):
    """The v2.5 YAML has OAS mistakes (delta §8): `type: zip`/`url`/`CountryNetworks` and
    `required: true` inside a property. They say nothing checkable, so they are dropped."""
    if isinstance(node, dict):
        if isinstance(node.get("type"), str) and node["type"] not in JSON_SCHEMA_TYPES:
            del node["type"]
        if "required" in node and not isinstance(node["required"], list):
            del node["required"]
        for v in node.values():
            drop_invalid_keywords(v)
    elif isinstance(node, list):
        for v in node:
            drop_invalid_keywords(v)


def main():
    sandbox, spec_path = sys.argv[1], sys.argv[2]
    with open(spec_path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    relax_money(spec)
    drop_invalid_keywords(spec)
    resolver = jsonschema.RefResolver.from_schema(spec)

    proc = subprocess.Popen([sandbox, "--port", "0", "--rate-limit", "0", "--api-key", KEY, "--seed", "7"],
                            stdout=subprocess.PIPE, text=True)
    try:
        base = proc.stdout.readline().strip()
        if not base.startswith("http://"):
            raise SystemExit(f"sandbox did not print its base URL: {base!r}")
        version = str(spec.get("info", {}).get("version", "2.4"))
        if version.startswith("2.5"):
            base = base.rsplit("/v2.4", 1)[0] + "/v2.5"
        return run(spec, resolver, base, version.startswith("2.5"))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run(spec, resolver, base, v25):
    failures, checked = [], set()
    root = base.rsplit("/v2.", 1)[0]

    def admin(path, body):
        req = urllib.request.Request(root + path, method="POST", data=json.dumps(body).encode())
        req.add_header("X-API-Key", KEY)
        req.add_header("Content-Type", "application/json")
        urllib.request.urlopen(req, timeout=10).read()

    def call(method, template, path, body=None, accept="application/json", request_type=None,
             expect=200):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(base + path, data=data, method=method)
        req.add_header("X-API-Key", KEY)
        req.add_header("Accept", accept)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                status, body = resp.status, resp.read()
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read()
        text = body.decode("utf-8", "replace")
        if status != expect:
            failures.append(f"{method} {path}: HTTP {status}: {text[:200]}")
            return None
        if accept != "application/json":
            # A ZIP or CSV answer (v2.5's deprecated QR/CSV operations): no JSON schema to
            # check, only that it is what was asked for.
            ok = body.startswith(b"PK") if accept == "application/zip" else text.startswith('"ICCID"')
            if not ok:
                failures.append(f"{method} {path}: not a {accept} answer: {text[:80]!r}")
            checked.add((method, template))
            return text
        doc = json.loads(text)
        validate(method, template, doc, request_type, status)
        return doc

    def validate(method, template, doc, request_type, status=200):
        op = spec["paths"][template][method.lower()]
        schema = op["responses"][str(status)]["content"]["application/json"].get("schema")
        if schema is None:
            checked.add((method, template))
            return
        rule = LIVE_SHAPE_EXCEPTIONS.get((method, template))
        instances = [doc]
        if rule and rule.startswith("items-of:"):
            key = rule.split(":", 1)[1]
            instances = doc[key] if key else doc
            if not isinstance(instances, list):
                failures.append(f"{method} {template}: expected a list under {key or 'the root'}")
                return
            if template == "/catalogue":
                schema = schema["items"] if "items" in schema else resolve(schema)["items"]
        elif rule == "by-request-type":
            variants = schema["oneOf"]
            schema = variants[0] if request_type == "validate" else variants[1]
        for inst in instances:
            try:
                jsonschema.Draft4Validator(schema, resolver=resolver).validate(inst)
            except jsonschema.ValidationError as e:
                failures.append(f"{method} {template}: {e.message} at {list(e.absolute_path)}")
        checked.add((method, template))

    def resolve(schema):
        return resolver.resolve(schema["$ref"])[1] if "$ref" in schema else schema

    call("GET", "/catalogue", "/catalogue?perPage=5&countries=GB")
    call("GET", "/catalogue/bundle/{name}", f"/catalogue/bundle/{BUNDLE}")
    call("GET", "/networks", "/networks?isos=GB")
    call("GET", "/organisation", "/organisation")
    call("GET", "/organisation/groups", "/organisation/groups")
    call("POST", "/organisation/balance", "/organisation/balance?amount=1000")
    item = {"type": "bundle", "item": BUNDLE, "quantity": 1}
    call("POST", "/orders", "/orders", {"type": "validate", "assign": True, "order": [item]},
         request_type="validate")
    order = call("POST", "/orders", "/orders", {"type": "transaction", "assign": True, "order": [item]},
                 request_type="transaction") or {}
    call("POST", "/orders", "/orders",
         {"type": "transaction", "assign": False, "order": [dict(item, quantity=3)]},
         request_type="transaction")
    ref = order.get("orderReference", "missing")
    iccid = ((order.get("order") or [{}])[0].get("esims") or [{}])[0].get("iccid", "0")
    call("GET", "/orders", "/orders?includeIccids=true")
    call("GET", "/orders/{orderReference}", f"/orders/{ref}")
    inventory = call("GET", "/inventory", "/inventory") or {}
    usage_id = next((lot["id"] for b in inventory.get("bundles", []) for lot in b.get("available", [])), 0)
    applied = call("POST", "/esims/apply", "/esims/apply", {"iccid": iccid, "name": BUNDLE}) or {}
    call("GET", "/esims/assignments", f"/esims/assignments?reference={ref}")
    call("GET", "/esims/assignments", f"/esims/assignments?reference={applied.get('applyReference', '')}")
    call("GET", "/esims", "/esims?perPage=10")
    call("GET", "/esims/{iccid}", f"/esims/{iccid}")
    call("PUT", "/esims", f"/esims?iccid={iccid}&customerRef=schema", {"iccid": iccid, "customerRef": "schema"})
    call("GET", "/esims/{iccid}/history", f"/esims/{iccid}/history")
    call("GET", "/esims/{iccid}/compatible/{bundle}", f"/esims/{iccid}/compatible/{BUNDLE}")
    call("POST", "/esims/{iccid}/sms", f"/esims/{iccid}/sms", {"message": "hello", "from": "eSIM"})
    # Location exists once the eSIM has attached to a network: simulate that (admin endpoint).
    admin("/_sandbox/usage", {"iccid": iccid, "bytes": 0, "country": "FR"})
    call("GET", "/esims/{iccid}/location", f"/esims/{iccid}/location")
    call("GET", "/esims/{iccid}/bundles", f"/esims/{iccid}/bundles?includeUsed=true")
    bundle = call("GET", "/esims/{iccid}/bundles/{name}", f"/esims/{iccid}/bundles/{BUNDLE}") or {}
    call("POST", "/esims/{iccid}/bundles", f"/esims/{iccid}/bundles", {"name": BUNDLE})
    call("GET", "/esims/{iccid}/refresh", f"/esims/{iccid}/refresh")
    call("DELETE", "/esims/{iccid}/bundles/{name}", f"/esims/{iccid}/bundles/{BUNDLE}?type=validate")
    call("DELETE", "/esims/{iccid}/bundles/{name}", f"/esims/{iccid}/bundles/{BUNDLE}?type=transaction")
    bundle = call("GET", "/esims/{iccid}/bundles/{name}", f"/esims/{iccid}/bundles/{BUNDLE}") or {}
    assignment = next((a["id"] for a in bundle.get("assignments", [])
                       if a.get("bundleState", "").lower() != "revoked"), "0")
    call("DELETE", "/esims/{iccid}/bundles/{name}/assignments/{assignmentId}",
         f"/esims/{iccid}/bundles/{BUNDLE}/assignments/{assignment}?type=validate")
    call("POST", "/inventory/refund", "/inventory/refund", {"usageId": usage_id, "quantity": 1})
    if v25:
        # The eSIM answers above carried the v2.5 fields (state, profileName, …); now the v2.5
        # operations: suspend (201), unsuspend, consumption prices, and delete last.
        call("GET", "/esims/{iccid}", f"/esims/{iccid}?additionalFields=installUrl")
        call("POST", "/esims/{iccid}/suspend", f"/esims/{iccid}/suspend", {"suspend": True}, expect=201)
        call("POST", "/esims/{iccid}/suspend", f"/esims/{iccid}/suspend", {"suspend": False}, expect=201)
        admin("/_sandbox/consumption", {"enabled": True})
        call("GET", "/catalogue/prices", "/catalogue/prices")
        # The deprecated operations the v2.5 YAML lists again.
        call("GET", "/esims/csv/{reference}", f"/esims/csv/{ref}", accept="text/csv")
        call("GET", "/esims/qr/{reference}", f"/esims/qr/{ref}", accept="application/zip")
        bundle = call("GET", "/esims/{iccid}/bundles/{name}", f"/esims/{iccid}/bundles/{BUNDLE}") or {}
        assignment = next((a["id"] for a in bundle.get("assignments", [])), "0")
        call("DELETE", "/esims/{iccid}/bundles/{name}/applications/{assignmentId}",
             f"/esims/{iccid}/bundles/{BUNDLE}/applications/{assignment}?type=validate")
        call("DELETE", "/esims/{iccid}", f"/esims/{iccid}")
        call("GET", "/esims/{iccid}", f"/esims/{iccid}")  # state: deactivated

    operations = {(m.upper(), p) for p, item in spec["paths"].items() for m in item
                  if m in ("get", "post", "put", "delete") and not p.startswith("/your-")}
    missing = sorted(operations - checked)
    for m in missing:
        failures.append(f"{m[0]} {m[1]}: no 200 answer was validated")
    print(f"validated {len(checked)} of {len(operations)} operations against the YAML's schemas")
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
