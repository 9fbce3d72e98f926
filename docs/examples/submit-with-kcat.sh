#!/usr/bin/env bash
# A PruneStream producer in shell: upload a model package over HTTP, write one submission on
# prune.jobs with kcat, wait for the job's result on prune.results and print it.
# Needs curl and kcat. Usage:
#   INTAKE=http://localhost:8081 BOOTSTRAP=localhost:9092 submit-with-kcat.sh model.zip [job-id]
# The job is deliberately tiny (a few hundred images, no fine-tuning); edit SUBMISSION for real work.
set -euo pipefail
MODEL_ZIP=${1:?usage: submit-with-kcat.sh model.zip [job-id]}
JOB_ID=${2:-kcat-$(date +%s)-$$}
INTAKE=${INTAKE:-http://localhost:8081}
BOOTSTRAP=${BOOTSTRAP:-localhost:9092}
TIMEOUT_SECONDS=${TIMEOUT_SECONDS:-600}

# 1. Upload: the answer is the submission's "model" object, {"uri": ..., "size": ..., "sha256": ...}.
MODEL=$(curl -sS --fail-with-body -H 'Content-Type: application/zip' --data-binary "@$MODEL_ZIP" \
  "$INTAKE/models?name=$JOB_ID")
echo "uploaded: $MODEL" >&2

# 2. Submit: one JSON record keyed by the job id (schema: $INTAKE/schema/submission-v1.json).
SUBMISSION=$(cat <<JSON
{"submissionVersion": 1, "jobId": "$JOB_ID", "model": $MODEL,
 "targetKind": "flops", "targetFraction": 0.5, "criterion": "l1", "allocation": "uniform",
 "maxRounds": 1, "finetuneEpochs": 0, "trainImages": 200, "heldOutImages": 100, "testImages": 100,
 "calibrationBatches": 2, "stageTimeoutSeconds": 300}
JSON
)
printf '%s' "$SUBMISSION" | tr -d '\n' | kcat -P -b "$BOOTSTRAP" -t prune.jobs -k "$JOB_ID" \
  -H content-type=application/vnd.prunestream.submission.v1+json
echo "submitted $JOB_ID" >&2

# 3. Wait for the one record keyed by the job id on prune.results.
deadline=$(( $(date +%s) + TIMEOUT_SECONDS ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  RESULT=$(kcat -C -b "$BOOTSTRAP" -t prune.results -o beginning -e -q -f '%k\t%s\n' 2>/dev/null \
    | awk -F'\t' -v id="$JOB_ID" '$1 == id { print $2; exit }')
  if [ -n "$RESULT" ]; then
    echo "$RESULT"
    case "$RESULT" in *'"status":"SUCCEEDED"'*) exit 0 ;; *) exit 1 ;; esac
  fi
  sleep 2
done
echo "no result for $JOB_ID within ${TIMEOUT_SECONDS}s" >&2
exit 2
