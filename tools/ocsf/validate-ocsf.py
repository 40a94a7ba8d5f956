"""validate-ocsf.py FILE...

Validates edge-audit's `--format ocsf` output against the OCSF schema as the py-ocsf-models
package (the OCSF models Prowler uses; pinned in tests/moto/requirements.txt) defines it: every
event of the JSON array must be a valid OCSF Compliance Finding (class 2003), and every
attribute edge-audit writes, at every level, must be one the schema's object defines (pydantic
ignores unknown attributes, so a misspelt one would otherwise pass).

Exit 0 when every event of every file validates; 1 otherwise.
"""

import json
import sys
import typing

from pydantic import BaseModel, ValidationError
from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding
from py_ocsf_models.objects.api import API
from py_ocsf_models.objects.cloud import Cloud

# Attributes a profile adds to every event class that applies it (`metadata.profiles`): the
# `cloud` profile's `cloud` and `api` objects (OCSF 1.5.0, profiles/cloud.json).
PROFILES = {"cloud": {"cloud": Cloud, "api": API}}

# Free-form attributes (the schema's `json` type): anything inside them is data, not schema.
FREE_FORM = {"data", "unmapped"}


def model_of(annotation):
    """The pydantic model inside an annotation (Optional[...], list[...]), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = model_of(arg)
        if found is not None:
            return found
    return None


def unknown_attributes(value, model, path):
    problems = []
    if isinstance(value, list):
        for i, item in enumerate(value):
            problems += unknown_attributes(item, model, f"{path}[{i}]")
        return problems
    if not isinstance(value, dict):
        return problems
    fields = model.model_fields
    for key, item in value.items():
        if key not in fields:
            problems.append(f"{path}.{key}: not an attribute of {model.__name__}")
            continue
        if key in FREE_FORM:
            continue
        inner = model_of(fields[key].annotation)
        if inner is not None:
            problems += unknown_attributes(item, inner, f"{path}.{key}")
    return problems


def main(paths):
    status = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                events = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{path}: not JSON: {e}")
            status = 1
            continue
        if not isinstance(events, list):
            print(f"{path}: not a JSON array of events")
            status = 1
            continue
        for i, event in enumerate(events):
            where = f"{path}[{i}]"
            try:
                ComplianceFinding.model_validate(event)
            except ValidationError as e:
                print(f"{where}: {e}")
                status = 1
                continue
            if event.get("class_uid") != 2003 or event.get("type_uid") != 200301:
                print(f"{where}: not a Compliance Finding Create event")
                status = 1
            profiles = (event.get("metadata") or {}).get("profiles") or []
            added = {}
            for profile in profiles:
                added.update(PROFILES.get(profile, {}))
            core = {k: v for k, v in event.items() if k not in added}
            for problem in unknown_attributes(core, ComplianceFinding, where):
                print(problem)
                status = 1
            for key, model in added.items():
                if key not in event:
                    continue
                try:
                    model.model_validate(event[key])
                except ValidationError as e:
                    print(f"{where}.{key}: {e}")
                    status = 1
                    continue
                for problem in unknown_attributes(event[key], model, f"{where}.{key}"):
                    print(problem)
                    status = 1
        print(f"{path}: {len(events)} events checked")
    return status


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: validate-ocsf.py FILE...", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
