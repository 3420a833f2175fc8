#!/usr/bin/env python3
"""Records one answer of every JSON operation of a real esimgo-sandbox, under /v2.4 and /v2.5,
as drift fixtures: tests/data/drift/sandbox/v<version>/<NN>-<slug>.json plus an index.tsv of
`file<TAB>operation` lines. tests/unit/drift_check_test.cc checks that each has no drift, so a
sandbox change that leaves the contract (or a descriptor change that rejects the sandbox) fails.

Run it again after changing the sandbox's answers:
    python3 tests/data/drift/capture_sandbox.py build/sandbox/esimgo-sandbox
"""
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

KEY = "sandbox-key"
BUNDLE = "esim_1GB_7D_GB_V2"
HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    sandbox = sys.argv[1]
    proc = subprocess.Popen([sandbox, "--port", "0", "--rate-limit", "0", "--api-key", KEY,
                             "--seed", "7"], stdout=subprocess.PIPE, text=True)
    try:
        base24 = proc.stdout.readline().strip()
        if not base24.startswith("http://"):
            raise SystemExit(f"sandbox did not print its base URL: {base24!r}")
        root = base24.rsplit("/v2.4", 1)[0]
        for version in ("2.4", "2.5"):
            record(root, version)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def record(root, version):
    base = f"{root}/v{version}"
    out_dir = os.path.join(HERE, "sandbox", f"v{version}")
    os.makedirs(out_dir, exist_ok=True)
    for name in os.listdir(out_dir):
        os.remove(os.path.join(out_dir, name))
    index = []

    def admin(path, body):
        req = urllib.request.Request(root + path, method="POST", data=json.dumps(body).encode())
        req.add_header("X-API-Key", KEY)
        req.add_header("Content-Type", "application/json")
        urllib.request.urlopen(req, timeout=10).read()

    def call(operation, path, body=None, expect=200, keep=True):
        method = operation.split(" ", 1)[0]
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(base + path, data=data, method=method)
        req.add_header("X-API-Key", KEY)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        if status != expect:
            raise SystemExit(f"v{version} {method} {path}: HTTP {status}: {raw[:200]!r}")
        if not keep:
            return json.loads(raw)
        slug = operation.split(" ", 1)[1].strip("/").replace("/", "_").replace("{", "") \
            .replace("}", "").replace("?", "_").replace("=", "_") or "root"
        name = f"{len(index):02d}-{method.lower()}-{slug}.json"
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(raw)
        index.append(f"{name}\t{operation}")
        return json.loads(raw)

    call("GET /catalogue", "/catalogue?perPage=3&countries=GB")
    call("GET /catalogue/bundle/{name}", f"/catalogue/bundle/{BUNDLE}")
    call("GET /networks", "/networks?isos=GB")
    call("GET /organisation", "/organisation")
    call("GET /organisation/groups", "/organisation/groups")
    call("POST /organisation/balance", "/organisation/balance?amount=1000")
    item = {"type": "bundle", "item": BUNDLE, "quantity": 1}
    call("POST /orders", "/orders", {"type": "validate", "assign": True, "order": [item]})
    order = call("POST /orders?type=transaction", "/orders",
                 {"type": "transaction", "assign": True, "order": [item]})
    call("POST /orders?type=transaction", "/orders",
         {"type": "transaction", "assign": False, "order": [dict(item, quantity=2)]})
    ref = order["orderReference"]
    iccid = order["order"][0]["esims"][0]["iccid"]
    call("GET /orders", "/orders?includeIccids=true")
    call("GET /orders/{orderReference}", f"/orders/{ref}")
    call("GET /inventory", "/inventory")
    applied = call("POST /esims/apply", "/esims/apply", {"iccid": iccid, "name": BUNDLE})
    call("GET /esims/assignments", f"/esims/assignments?reference={ref}")
    call("GET /esims/assignments", f"/esims/assignments?reference={applied['applyReference']}")
    call("GET /esims", "/esims?perPage=10")
    call("GET /esims/{iccid}", f"/esims/{iccid}")
    call("PUT /esims", f"/esims?iccid={iccid}&customerRef=drift", {"iccid": iccid, "customerRef": "drift"})
    call("GET /esims/{iccid}/history", f"/esims/{iccid}/history")
    call("GET /esims/{iccid}/compatible/{bundle}", f"/esims/{iccid}/compatible/{BUNDLE}")
    call("POST /esims/{iccid}/sms", f"/esims/{iccid}/sms", {"message": "hello", "from": "eSIM"})
    admin("/_sandbox/usage", {"iccid": iccid, "bytes": 0, "country": "FR"})
    call("GET /esims/{iccid}/location", f"/esims/{iccid}/location")
    call("GET /esims/{iccid}/bundles", f"/esims/{iccid}/bundles?includeUsed=true")
    call("GET /esims/{iccid}/bundles/{name}", f"/esims/{iccid}/bundles/{BUNDLE}")
    call("POST /esims/{iccid}/bundles", f"/esims/{iccid}/bundles", {"name": BUNDLE})
    call("GET /esims/{iccid}/refresh", f"/esims/{iccid}/refresh")
    call("DELETE /esims/{iccid}/bundles/{name}", f"/esims/{iccid}/bundles/{BUNDLE}?type=validate")
    call("DELETE /esims/{iccid}/bundles/{name}", f"/esims/{iccid}/bundles/{BUNDLE}?type=transaction")
    bundle = call("GET /esims/{iccid}/bundles/{name}", f"/esims/{iccid}/bundles/{BUNDLE}")
    assignment = next((a["id"] for a in bundle.get("assignments", [])
                       if a.get("bundleState", "").lower() != "revoked"), "0")
    call("DELETE /esims/{iccid}/bundles/{name}/assignments/{assignmentId}",
         f"/esims/{iccid}/bundles/{BUNDLE}/assignments/{assignment}?type=validate")
    # The lot the order filled may be used up by now: refund from one that has bundles left.
    inventory = call("GET /inventory", "/inventory", keep=False)
    usage_id = next(lot["id"] for b in inventory["bundles"] for lot in b.get("available", [])
                    if lot.get("remaining", 0) > 0)
    call("POST /inventory/refund", "/inventory/refund", {"usageId": usage_id, "quantity": 1})
    if version == "2.5":
        call("GET /esims/{iccid}", f"/esims/{iccid}?additionalFields=installUrl")
        call("POST /esims/{iccid}/suspend", f"/esims/{iccid}/suspend", {"suspend": True}, expect=201)
        call("GET /esims/{iccid}/suspend", f"/esims/{iccid}/suspend")
        call("POST /esims/{iccid}/suspend", f"/esims/{iccid}/suspend", {"suspend": False}, expect=201)
        admin("/_sandbox/consumption", {"enabled": True})
        call("GET /catalogue/prices", "/catalogue/prices")
        admin("/_sandbox/consumption", {"enabled": False})
        bundle = call("GET /esims/{iccid}/bundles/{name}", f"/esims/{iccid}/bundles/{BUNDLE}")
        assignment = next((a["id"] for a in bundle.get("assignments", [])), "0")
        call("DELETE /esims/{iccid}/bundles/{name}/applications/{assignmentId}",
             f"/esims/{iccid}/bundles/{BUNDLE}/applications/{assignment}?type=validate")
        call("DELETE /esims/{iccid}", f"/esims/{iccid}")
        call("GET /esims/{iccid}", f"/esims/{iccid}")  # state: deactivated
        call("GET /esims", "/esims?perPage=10")
    with open(os.path.join(out_dir, "index.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(index) + "\n")
    print(f"v{version}: recorded {len(index)} answers in {out_dir}")


if __name__ == "__main__":
    main()
