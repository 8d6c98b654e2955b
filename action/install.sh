#!/usr/bin/env bash
# The GitHub Action's install step: a published version from npm, or the action's own
# checkout built in place. Leaves AGENT_READY_CLI (the command to run) in GITHUB_ENV.
set -euo pipefail
if [ -n "${AGENT_READY_VERSION:-}" ]; then
  npm install --global --no-audit --no-fund "agent-ready@${AGENT_READY_VERSION}"
  echo "AGENT_READY_CLI=agent-ready" >> "$GITHUB_ENV"
else
  cd "$GITHUB_ACTION_PATH"
  npm ci --no-audit --no-fund
  npm run build
  echo "AGENT_READY_CLI=node $GITHUB_ACTION_PATH/dist/cli.js" >> "$GITHUB_ENV"
fi
