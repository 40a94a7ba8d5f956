"""validate-asff.py FILE...

Validates edge-audit's `--format asff` output (`{"Findings": [...]}`) the way the AWS SDK checks
a `securityhub:BatchImportFindings` request before sending it: botocore's own service model of
the operation (required members, types, enums, minimum lengths), plus the documented maximum
lengths the model records (`max` on strings and lists). Findings are checked in batches of 100,
the most one call takes. Nothing is sent anywhere.

Exit 0 when every file validates; 1 otherwise.
"""

import json
import sys

import botocore.session
from botocore.exceptions import ParamValidationError
from botocore.validate import validate_parameters

BATCH = 100

# Maximum lengths the API reference documents but the service model does not record, keyed by
# (structure shape, member).
DOCUMENTED_MAX = {
    ("AwsSecurityFinding", "Title"): 256,
    ("AwsSecurityFinding", "Description"): 1024,
    ("Recommendation", "Text"): 512,
}


def too_long(value, shape, path, limit=None):
    """What botocore does not check: members longer than the model's `max` or the documented
    maximum, and string values outside the model's enum."""
    problems = []
    limit = limit if limit is not None else shape.metadata.get("max")
    enum = getattr(shape, "enum", None) or []
    if shape.type_name == "string" and isinstance(value, str) and enum and value not in enum:
        problems.append(f"{path}: {value!r} is not one of {enum}")
    if shape.type_name == "string" and isinstance(value, str) and limit is not None and len(value) > limit:
        problems.append(f"{path}: {len(value)} characters, at most {limit}")
    elif shape.type_name == "list" and isinstance(value, list):
        if limit is not None and len(value) > limit:
            problems.append(f"{path}: {len(value)} items, at most {limit}")
        for i, item in enumerate(value):
            problems += too_long(item, shape.member, f"{path}[{i}]")
    elif shape.type_name == "structure" and isinstance(value, dict):
        for key, item in value.items():
            if key in shape.members:
                documented = DOCUMENTED_MAX.get((shape.name, key))
                problems += too_long(item, shape.members[key], f"{path}.{key}", documented)
    elif shape.type_name == "map" and isinstance(value, dict):
        if limit is not None and len(value) > limit:
            problems.append(f"{path}: {len(value)} entries, at most {limit}")
        for key, item in value.items():
            problems += too_long(key, shape.key, f"{path} key {key!r}")
            problems += too_long(item, shape.value, f"{path}[{key!r}]")
    return problems


def main(paths):
    model = botocore.session.get_session().get_service_model("securityhub")
    shape = model.operation_model("BatchImportFindings").input_shape
    status = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                document = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{path}: not JSON: {e}")
            status = 1
            continue
        findings = document.get("Findings") if isinstance(document, dict) else None
        if not isinstance(findings, list) or set(document) != {"Findings"}:
            print(f"{path}: not a BatchImportFindings request ({{\"Findings\": [...]}})")
            status = 1
            continue
        for start in range(0, max(len(findings), 1), BATCH):
            request = {"Findings": findings[start : start + BATCH]}
            try:
                validate_parameters(request, shape)
            except ParamValidationError as e:
                print(f"{path} (findings {start}..): {e}")
                status = 1
            for problem in too_long(request, shape, f"{path} (findings {start}..)"):
                print(problem)
                status = 1
        print(f"{path}: {len(findings)} findings checked")
    return status


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: validate-asff.py FILE...", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
