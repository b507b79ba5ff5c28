#!/usr/bin/env bash
# Walk one incident through its whole lifecycle on the embedded store, with no config file:
# declare, update, escalate, assign roles, note, resolve, then show the timeline.
set -euo pipefail

json_field() { python3 -c "import json, sys; print(json.load(sys.stdin)['incident']['$1'])"; }

id=$(imf declare "API errors on checkout" --severity P2 --service api --json | json_field id)
echo "declared $id"
imf update "$id" --status identified --summary "Deploy 1.4.2 broke the payment client" \
  --root-cause suspected --impact "5% of checkouts fail" --next-step "Roll back 1.4.2 (alice)" \
  --next-update +30m --public "Some payments fail; we are working on it." --no-input
imf escalate "$id" --severity P1 --reason "Failures spread to all regions"
imf assign "$id" commander alice
imf assign "$id" comms-lead bob
imf assign "$id" scribe carol
imf note "$id" "Rollback of 1.4.2 started" --key
imf update "$id" --status monitoring --summary "Rolled back; error rate back to baseline" \
  --no-input
imf resolve "$id" --summary "Rolled back to 1.4.1" \
  --force "Verification done on the dashboards during the call"
imf show "$id"
