#!/usr/bin/env bash
# `make demo`: the quickstart against the local Twilio emulator, with the commands a user types.
# Expects `pulumi` and the project's virtualenv first on PATH (the Makefile sets both up).
set -euo pipefail
cd "$(dirname "$0")/../.."

work=.build/demo
stack=demo
say() { printf '\n==> %s\n' "$*"; }
fail() { printf '\ndemo failed: %s\n' "$*" >&2; exit 1; }

command -v pulumi >/dev/null || fail "no pulumi on PATH (run it through 'make demo')"
rm -rf "$work" "Pulumi.$stack.yaml"
mkdir -p "$work/state"
export PULUMI_HOME="$PWD/$work/home" PULUMI_BACKEND_URL="file://$PWD/$work/state"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-}" PULUMI_SKIP_UPDATE_CHECK=true
unset TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN TWILIO_API_KEY TWILIO_API_SECRET TWILIO_CONVERSATIONS_BASE_URL

say "starting the Twilio Conversations emulator on loopback"
python -m pulumi_twilio_conversations.emulator --port 0 > "$work/emulator.log" 2>&1 &
emulator=$!
trap 'kill "$emulator" 2>/dev/null; wait "$emulator" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    grep -q "^Dashboard:" "$work/emulator.log" && break  # its second line, after the banner
    kill -0 "$emulator" 2>/dev/null || fail "the emulator did not start: $(cat "$work/emulator.log")"
    sleep 0.1
done
banner=$(grep "listening on" "$work/emulator.log") || fail "the emulator did not say where it listens"
echo "$banner"
grep "^Dashboard:" "$work/emulator.log" || fail "the emulator did not say where its dashboard is"
base_url=$(sed -E 's/.*listening on (http[^ ]+).*/\1/' <<<"$banner")
account=$(sed -E 's/.*\(account (AC[0-9a-f]{32})\).*/\1/' <<<"$banner")

say "pulumi stack init $stack, then config: the account, the token as a secret, the emulator's URL"
pulumi stack init "$stack" --non-interactive
pulumi config set twilio:accountSid "$account"
python -c 'from pulumi_twilio_conversations.emulator import DEFAULT_AUTH_TOKEN as t; print(t, end="")' |
    pulumi config set --secret twilio:authToken
pulumi config set twilio:conversationsBaseUrl "$base_url"

say "pulumi preview --diff"
pulumi preview --diff --non-interactive

say "pulumi up"
pulumi up --yes --non-interactive

say "pulumi stack output"
pulumi stack output
sid=$(pulumi stack output conversation_sid)
[[ $sid =~ ^CH[0-9a-f]{32}$ ]] || fail "conversation_sid is not a conversation SID: $sid"

say "pulumi up --expect-no-changes: nothing changed, so nothing is sent"
pulumi up --yes --non-interactive --expect-no-changes || fail "the second pulumi up was not a no-op"

dashboard=$(sed -nE 's/^Dashboard: (http[^ ]+).*/\1/p' "$work/emulator.log")
if [[ -t 0 ]]; then
    say "the emulator's dashboard: $dashboard (sign in with $account and the emulator's auth token); Enter stops it"
    read -r
fi
say "done: conversation $sid lived in the emulator (stopped now; its dashboard was $dashboard); 'make test' runs the whole suite"
