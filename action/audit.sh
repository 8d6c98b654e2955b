#!/usr/bin/env bash
# The GitHub Action's audit step: runs the audit once, printing the terminal report to the
# log and writing SARIF, JSON and Markdown; the Markdown goes to the job summary. Its exit
# code is passed on as an output, so the SARIF is uploaded before the Gate step fails the job.
set -uo pipefail
out="${RUNNER_TEMP:-/tmp}/agent-ready"
mkdir -p "$out"
sarif="$out/agent-ready.sarif"
json="$out/agent-ready.json"
md="$out/agent-ready.md"
rm -f "$sarif" "$json" "$md"

read -r -a paths <<< "${INPUT_PATHS:-.}"
args=(audit "${paths[@]}" --report "sarif=$sarif" --report "json=$json" --report "markdown=$md")
[ -n "${INPUT_FAIL_ON:-}" ] && args+=(--fail-on "$INPUT_FAIL_ON")
[ -n "${INPUT_MIN_SCORE:-}" ] && args+=(--min-score "$INPUT_MIN_SCORE")
[ -n "${INPUT_EVIDENCE:-}" ] && args+=(--evidence "$INPUT_EVIDENCE")
[ "${INPUT_OFFLINE:-false}" = "true" ] && args+=(--offline)
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
[ "${INPUT_FAIL_ON_NEW:-false}" = "true" ] && args+=(--fail-on-new)

# AGENT_READY_CLI is "agent-ready" or "node PATH/dist/cli.js" (install.sh): split on purpose.
# shellcheck disable=SC2086
${AGENT_READY_CLI:-agent-ready} "${args[@]}"
code=$?

{
  echo "exit-code=$code"
  if [ -f "$sarif" ]; then echo "sarif-file=$sarif"; else echo "sarif-file="; fi
  if [ -f "$json" ]; then
    echo "json-file=$json"
    node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(`score=${r.summary.score ?? ""}`); console.log(`ready=${r.summary.ready}`);' "$json"
  else
    echo "json-file="
  fi
} >> "${GITHUB_OUTPUT:-/dev/null}"

if [ -f "$md" ]; then
  cat "$md" >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
else
  echo "agent-ready could not audit (exit $code): see the step log." >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
fi
# The Gate step fails the job; this step succeeds so the SARIF upload still runs.
exit 0
