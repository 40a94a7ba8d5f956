"""ShellCheck on the `run:` scripts of GitHub workflows and of a composite action (action.yml).

usage: python shellcheck-run-scripts.py SHELLCHECK FILE...

Each bash/sh `run:` script is checked on its own, as the runner executes it: `${{ ... }}`
expressions are replaced by a same-length word first (the runner substitutes them before the
shell starts), and findings are reported at their line in the YAML file. In a composite action
every `run:` step must say `shell: bash`. Steps whose shell is not bash or sh (pwsh, python, cmd)
are not checked. Exit 0: no finding; 1: findings.
"""

import re
import subprocess
import sys
import tempfile

import yaml

EXPRESSION = re.compile(r"\$\{\{.*?\}\}")
GCC_LINE = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<col>\d+): (?P<rest>.*)$")


def get(node, key):
    """The value node of `key` in a mapping node, or None."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
    return None


def scalar(node):
    return node.value if isinstance(node, yaml.ScalarNode) else None


def items(node):
    return node.value if isinstance(node, yaml.SequenceNode) else []


def default_shell(*scopes):
    """`defaults.run.shell` of the innermost scope that sets one."""
    for scope in scopes:
        shell = scalar(get(get(get(scope, "defaults"), "run"), "shell"))
        if shell:
            return shell
    return None


def shell_name(shell):
    """bash / sh for the shells ShellCheck understands (`bash -e {0}` counts as bash), else None."""
    if not shell:
        return None
    word = shell.split()[0]
    return word if word in ("bash", "sh") else None


def check_script(shellcheck, path, lines, where, run_node, shell):
    """ShellCheck one run: script; prints findings at their YAML line; True when clean."""
    body = EXPRESSION.sub(lambda m: "_" * len(m.group(0)), run_node.value)
    # Line n of `body` is YAML line `first + n - 1` (1-based): a block scalar (| or >) starts on
    # the line after its indicator, indented; a plain scalar at its own column of the key's line.
    if run_node.style in ("|", ">"):
        first = run_node.start_mark.line + 2
        text = lines[first - 1] if first - 1 < len(lines) else ""
        indent = len(text) - len(text.lstrip(" "))
    else:
        first = run_node.start_mark.line + 1
        indent = run_node.start_mark.column + (1 if run_node.style in ("'", '"') else 0)
    with tempfile.NamedTemporaryFile("w", suffix=".sh") as f:
        f.write(f"#!/usr/bin/env {shell}\n{body}")
        f.flush()
        result = subprocess.run(
            [shellcheck, "--norc", f"--shell={shell}", "--format=gcc", f.name],
            capture_output=True,
            text=True,
        )
    if result.returncode == 0:
        return True
    print(f"  {path}: {where}:")
    for line in (result.stdout + result.stderr).splitlines():
        m = GCC_LINE.match(line)
        if m and m.group("file") == f.name:
            yaml_line = first + int(m.group("line")) - 2  # minus the shebang line
            column = int(m.group("col")) + (indent if yaml_line == first or run_node.style in ("|", ">") else 0)
            print(f"    {path}:{yaml_line}:{column}: {m.group('rest')}")
        else:
            print(f"    {line}")
    return False


def step_label(job, index, step):
    name = scalar(get(step, "name")) or scalar(get(step, "id")) or f"#{index}"
    return f"{job}step {index} ({name})"


def lint_file(shellcheck, path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    root = yaml.compose(text)
    lines = text.splitlines()
    ok = True
    checked = 0
    runs = get(root, "runs")
    if runs is not None:  # a composite action
        for index, step in enumerate(items(get(runs, "steps"))):
            run = get(step, "run")
            if run is None:
                continue
            shell = scalar(get(step, "shell"))
            if shell != "bash":
                print(f"  {path}: {step_label('', index, step)}: shell must be bash (got {shell!r})")
                ok = False
                continue
            ok = check_script(shellcheck, path, lines, step_label("", index, step), run, "bash") and ok
            checked += 1
        return ok, checked
    jobs = get(root, "jobs")
    if not isinstance(jobs, yaml.MappingNode):
        return ok, checked
    for job_key, job in jobs.value:
        job_id = job_key.value
        inherited = default_shell(job, root)
        runs_on = str(scalar(get(job, "runs-on")) or "")
        for index, step in enumerate(items(get(job, "steps"))):
            run = get(step, "run")
            if run is None:
                continue
            shell = scalar(get(step, "shell")) or inherited
            if shell is None:
                # The runner's default: bash on Linux and macOS, pwsh on Windows.
                shell = "pwsh" if runs_on.startswith("windows") else "bash"
            name = shell_name(shell)
            if name is None:
                continue
            ok = check_script(shellcheck, path, lines, step_label(f"job {job_id} ", index, step), run, name) and ok
            checked += 1
    return ok, checked


def main():
    shellcheck, *files = sys.argv[1:]
    ok = True
    total = 0
    for path in files:
        file_ok, checked = lint_file(shellcheck, path)
        ok = ok and file_ok
        total += checked
    print(f"  {total} run: script(s) in {len(files)} file(s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
