#!/usr/bin/env python3
"""Generates src/drift/schema_tables.cc, the per-operation descriptors drift detection walks
(include/esimgo/drift.h, docs/adr/0010-drift-detection.md), from eSIM Go's YAML of each API
version plus src/drift/live_overlay.yaml (the live shapes where the YAML is wrong).

The generated file is checked in: users of the installed SDK never run Python. A ctest runs
this script with --check and fails when the checked-in file is not what it would write.

Usage: gen_drift_schema.py [--check] [--root DIR]
"""
import argparse
import copy
import os
import sys

import yaml

SPECS = {"2.4": "spec/esim_go_schema_v2_4.yaml", "2.5": "spec/esim_go_schema_v2_5.yaml"}
OVERLAY = "src/drift/live_overlay.yaml"
OUTPUT = "src/drift/schema_tables.cc"
VERSION_ENUM = {"2.4": "ApiVersion::kV2_4", "2.5": "ApiVersion::kV2_5"}

# Type bits; the same values as src/drift/schema.h.
BITS = {"string": 1, "integer": 2, "number": 4, "boolean": 8, "object": 16, "array": 32, "null": 64}
ANY = 127
# Types the v2.5 YAML writes that are not OAS types (delta §8): what they really hold.
INVALID_TYPES = {"url": "string", "zip": None, "CountryNetworks": None, "Network": None}
JSON_CONTENT = "application/json"


def load_yaml(path):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # The v2.4 YAML holds Mac-Roman bytes (reference §0).
        text = raw.decode("mac_roman")
    return yaml.safe_load(text)


def new_node(types, open_=False):
    return {"types": types, "open": open_, "fields": {}, "items": None, "enum": None, "alt": None}


class Converter:
    def __init__(self, spec, money):
        self.spec = spec
        self.money = money

    def resolve(self, schema):
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema:
            ref = schema["$ref"]
            if not ref.startswith("#/"):
                raise SystemExit(f"unsupported $ref {ref}")
            node = self.spec
            for part in ref[2:].split("/"):
                node = node[part]
            schema = node
            seen += 1
            if seen > 50:
                raise SystemExit(f"$ref loop at {ref}")
        return schema or {}

    def convert(self, schema, name=None, depth=0):
        if depth > 30:
            raise SystemExit("schema nesting deeper than 30")
        schema = self.resolve(schema)
        if "allOf" in schema:
            merged = {"type": "object", "properties": {}, "required": []}
            for part in schema["allOf"]:
                part = self.resolve(part)
                merged["properties"].update(part.get("properties", {}))
                merged["required"] += part.get("required", []) if isinstance(part.get("required"), list) else []
            schema = merged
        if "oneOf" in schema or "anyOf" in schema:
            return new_node(ANY, True)
        t = schema.get("type")
        if t in INVALID_TYPES:
            t = INVALID_TYPES[t]
            if t is None:
                return new_node(ANY, True)
        if t is None:
            if "properties" in schema:
                t = "object"
            elif "items" in schema:
                t = "array"
            else:
                return new_node(ANY, True)
        if t == "integer" and (schema.get("format") in ("float", "double") or name in self.money):
            t = "number"
        node = new_node(BITS[t])
        if schema.get("nullable"):
            node["types"] |= BITS["null"]
        if t == "object":
            props = schema.get("properties") or {}
            if not props:
                node["open"] = True  # an untyped object: any field is fine
            required = schema.get("required") if isinstance(schema.get("required"), list) else []
            for field, sub in props.items():
                node["fields"][field] = [self.convert(sub, field, depth + 1), field in required]
        elif t == "array":
            node["items"] = self.convert(schema.get("items") or {}, None, depth + 1)
        if "enum" in schema and t == "string":
            node["enum"] = [str(v) for v in schema["enum"]]
        return node


def parse_schema(spec):
    """An overlay schema: a type name, a list of type names, or a mapping."""
    if isinstance(spec, str):
        if spec == "any":
            return new_node(ANY, True)
        return new_node(BITS[spec])
    if isinstance(spec, list):
        node = new_node(0)
        for t in spec:
            node["types"] |= BITS[t]
        return node
    t = spec.get("type", "object")
    node = new_node(BITS[t]) if t != "any" else new_node(ANY, True)
    if spec.get("nullable"):
        node["types"] |= BITS["null"]
    for field, sub in (spec.get("properties") or {}).items():
        node["fields"][field] = [parse_schema(sub), False]
    if "items" in spec:
        node["items"] = spec["items"] if spec["items"] == {"same_as_root": True} else parse_schema(spec["items"])
    if "enum" in spec:
        node["enum"] = [str(v) for v in spec["enum"]]
    return node


def split_path(path):
    """'a[].b' -> [('a', True), ('b', False)]; '[]' -> [('', True)]."""
    out = []
    for seg in path.split(".") if path else []:
        arr = seg.endswith("[]")
        out.append((seg[:-2] if arr else seg, arr))
    return out


def walk_to(root, segments, op, path):
    node = root
    for name, arr in segments:
        if name:
            if name not in node["fields"]:
                raise SystemExit(f"overlay: {op}: no field {name!r} on the way to {path!r}")
            node = node["fields"][name][0]
        if arr:
            if node["items"] is None:
                raise SystemExit(f"overlay: {op}: {name or 'root'} is not an array ({path!r})")
            node = node["items"]
    return node


def parent_and_name(root, path, op):
    segs = split_path(path)
    name, arr = segs[-1]
    if arr:
        raise SystemExit(f"overlay: {op}: {path!r} must end in a field name")
    return walk_to(root, segs[:-1], op, path), name


def yaml_schema(spec, operation, one_of=None):
    method, template = operation.split(" ", 1)
    template = template.split("?", 1)[0]
    item = spec["paths"].get(template)
    if not item or method.lower() not in item:
        return None
    responses = item[method.lower()].get("responses", {})
    for code in ("200", "201", 200, 201):
        if code in responses:
            content = responses[code].get("content") or {}
            if JSON_CONTENT not in content:
                return None
            schema = content[JSON_CONTENT].get("schema")
            if schema is None:
                return None
            if one_of is not None:
                return schema["oneOf"][one_of]
            return schema
    return None


def build(version, spec, overlay):
    money = set(overlay.get("money_fields", []))
    conv = Converter(spec, money)
    ops_overlay = overlay.get("operations", {})
    roots = {}
    operations = []
    for template, item in spec["paths"].items():
        if template.startswith("/your-"):
            continue  # the callback: not an answer of the API
        for method in item:
            if method in ("get", "post", "put", "delete"):
                operations.append(f"{method.upper()} {template}")
    for op, rule in ops_overlay.items():
        if op not in operations:
            operations.append(op)
    for op in sorted(set(operations)):
        rule = ops_overlay.get(op, {})
        if "versions" in rule and version not in [str(v) for v in rule["versions"]]:
            continue
        if "schema" in rule:
            root = parse_schema(rule["schema"])
        else:
            source = yaml_schema(spec, rule.get("from", op), rule.get("from_one_of"))
            if source is None:
                continue  # not a JSON answer (CSV, ZIP)
            root = conv.convert(source)
        if "wrap" in rule:
            w = rule["wrap"]
            inner = root
            if w.get("item_of_root"):
                inner = new_node(BITS["array"])
                inner["items"] = root
            wrapped = new_node(BITS["object"])
            wrapped["fields"][w["field"]] = [inner, False]
            for field, sub in (w.get("extra") or {}).items():
                wrapped["fields"][field] = [parse_schema(sub), False]
            wrapped["alt"] = inner  # the YAML's bare form stays accepted (shared: later adds reach it)
            root = wrapped
        if rule.get("array_of_root"):
            arr = new_node(BITS["array"])
            arr["items"] = root
            arr["alt"] = root  # shared: later adds reach both shapes
            root = arr
        for path, sub in (rule.get("set") or {}).items():
            parent, name = parent_and_name(root, path, op)
            if name not in parent["fields"]:
                raise SystemExit(f"overlay: {op}: set {path!r}: no such field in the YAML")
            parent["fields"][name][0] = parse_schema(sub)
        for path, sub in (rule.get("add") or {}).items():
            parent, name = parent_and_name(root, path, op)
            node = parse_schema(sub)
            if node["items"] == {"same_as_root": True}:
                node["items"] = copy.deepcopy(root)
            if name in parent["fields"]:
                continue  # a later version's YAML has it already: the YAML's type wins
            parent["fields"][name] = [node, False]
        for path, values in (rule.get("enum") or {}).items():
            walk_to(root, split_path(path), op, path)["enum"] = [str(v) for v in values]
        for path in (overlay.get("required") or {}).get(op, []):
            parent, name = parent_and_name(root, path, op)
            if name not in parent["fields"]:
                raise SystemExit(f"overlay: {op}: required {path!r}: no such field")
            parent["fields"][name][1] = True
        roots[op] = root
    return roots


class Emitter:
    def __init__(self):
        self.nodes = []  # tuples, in emission order
        self.index = {}
        self.fields = []
        self.enums = []

    def emit(self, node):
        """Interns `node` (and its children) and returns its index."""
        fields = []
        if len(node["fields"]) > 64:
            raise SystemExit("an object with more than 64 fields: the walker's bit set holds 64")
        # By length, then bytes: the walker's lookup compares lengths first (src/drift/schema.h).
        for name in sorted(node["fields"], key=lambda n: (len(n.encode()), n.encode())):
            child, required = node["fields"][name]
            fields.append((name, self.emit(child), bool(required)))
        items = self.emit(node["items"]) if node["items"] is not None else None
        alt = self.emit(node["alt"]) if node["alt"] is not None else None
        enum = tuple(node["enum"]) if node["enum"] else ()
        key = (node["types"], node["open"], tuple(fields), items, enum, alt)
        if key in self.index:
            return self.index[key]
        first_field = len(self.fields)
        self.fields.extend(fields)
        first_enum = len(self.enums)
        self.enums.extend(enum)
        self.nodes.append((node["types"], node["open"], first_field, len(fields), items, first_enum,
                           len(enum), alt))
        self.index[key] = len(self.nodes) - 1
        return self.index[key]


def cstr(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(all_roots):
    em = Emitter()
    rows = []
    for version in sorted(all_roots):
        for op in sorted(all_roots[version]):
            rows.append((op, version, em.emit(all_roots[version][op])))
    none = "kNone"
    out = []
    out.append("// GENERATED by scripts/gen_drift_schema.py from spec/esim_go_schema_v2_4.yaml,")
    out.append("// spec/esim_go_schema_v2_5.yaml and src/drift/live_overlay.yaml. Do not edit: change the")
    out.append("// overlay or the script and run `python3 scripts/gen_drift_schema.py`.")
    out.append("// clang-format off")
    out.append('#include "drift/schema.h"')
    out.append("")
    out.append("namespace esimgo::drift::internal {")
    out.append("namespace {")
    out.append("")
    out.append(f"constexpr std::string_view kEnumValues[{max(1, len(em.enums))}] = {{")
    for v in em.enums:
        out.append(f"    {cstr(v)},")
    out.append("};")
    out.append("")
    out.append(f"constexpr FieldSpec kFieldTable[{max(1, len(em.fields))}] = {{")
    for name, node, req in em.fields:
        out.append(f"    {{{cstr(name)}, {node}, {'true' if req else 'false'}}},")
    out.append("};")
    out.append("")
    out.append("// {types, open, first_field, field_count, items, first_enum, enum_count, alt}")
    out.append(f"constexpr NodeSpec kNodeTable[{len(em.nodes)}] = {{")
    for i, (types, open_, ff, fc, items, fe, ec, alt) in enumerate(em.nodes):
        out.append(f"    {{{types}, {'true' if open_ else 'false'}, {ff}, {fc}, "
                   f"{items if items is not None else none}, {fe}, {ec}, "
                   f"{alt if alt is not None else none}}},  // {i}")
    out.append("};")
    out.append("")
    out.append(f"constexpr RootSpec kRootTable[{len(rows)}] = {{")
    for op, version, node in rows:
        out.append(f"    {{{cstr(op)}, {VERSION_ENUM[version]}, {node}}},")
    out.append("};")
    out.append("")
    out.append("}  // namespace")
    out.append("")
    out.append("std::span<const FieldSpec> Fields() { return kFieldTable; }")
    out.append("std::span<const NodeSpec> Nodes() { return kNodeTable; }")
    out.append("std::span<const RootSpec> Roots() { return kRootTable; }")
    out.append("std::span<const std::string_view> EnumValues() { return kEnumValues; }")
    out.append("")
    out.append("}  // namespace esimgo::drift::internal")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="fail if the checked-in output differs from what would be written")
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    with open(os.path.join(root, OVERLAY), encoding="utf-8") as f:
        overlay = yaml.safe_load(f)
    all_roots = {v: build(v, load_yaml(os.path.join(root, p)), overlay) for v, p in SPECS.items()}
    text = render(all_roots)
    target = os.path.join(root, OUTPUT)
    if args.check:
        current = open(target, encoding="utf-8").read() if os.path.exists(target) else ""
        if current != text:
            print(f"{OUTPUT} is out of date: run `python3 scripts/gen_drift_schema.py` and commit it",
                  file=sys.stderr)
            return 1
        print(f"{OUTPUT} is current")
        return 0
    with open(target, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {OUTPUT}: {sum(len(r) for r in all_roots.values())} operations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
