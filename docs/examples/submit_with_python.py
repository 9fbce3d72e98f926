#!/usr/bin/env python3
"""A PruneStream producer in Python: upload a model package over HTTP, write one submission on
prune.jobs, wait for the job's result on prune.results and print it.

Needs the confluent-kafka client (Debian: python3-confluent-kafka). Usage:
    submit_with_python.py model.zip [job-id] [--intake http://localhost:8081] [--bootstrap localhost:9092]
The job is deliberately tiny (a few hundred images, no fine-tuning); edit SUBMISSION for real work.
Exit status: 0 when the job succeeded, 1 when it failed, 2 when no result came in time.
"""
import argparse
import json
import sys
import time
import urllib.error
import urllib.request
import uuid

from confluent_kafka import Consumer, Producer

parser = argparse.ArgumentParser()
parser.add_argument("model_zip")
parser.add_argument("job_id", nargs="?", default="py-" + uuid.uuid4().hex[:12])
parser.add_argument("--intake", default="http://localhost:8081")
parser.add_argument("--bootstrap", default="localhost:9092")
parser.add_argument("--timeout", type=float, default=600)
args = parser.parse_args()

# 1. Upload: the answer is the submission's "model" object, {"uri": ..., "size": ..., "sha256": ...}.
with open(args.model_zip, "rb") as f:
    request = urllib.request.Request(args.intake + "/models?name=" + args.job_id, data=f.read(),
                                     headers={"Content-Type": "application/zip"}, method="POST")
try:
    with urllib.request.urlopen(request) as response:
        model = json.load(response)
except urllib.error.HTTPError as e:
    sys.exit("upload refused: " + json.load(e)["error"])
print("uploaded:", model, file=sys.stderr)

# 2. Submit: one JSON record keyed by the job id (schema: <intake>/schema/submission-v1.json).
SUBMISSION = {
    "submissionVersion": 1, "jobId": args.job_id, "model": model,
    "targetKind": "flops", "targetFraction": 0.5, "criterion": "l1", "allocation": "uniform",
    "maxRounds": 1, "finetuneEpochs": 0, "trainImages": 200, "heldOutImages": 100, "testImages": 100,
    "calibrationBatches": 2, "stageTimeoutSeconds": 300,
}
producer = Producer({"bootstrap.servers": args.bootstrap, "acks": "all"})
producer.produce("prune.jobs", key=args.job_id, value=json.dumps(SUBMISSION),
                 headers={"content-type": "application/vnd.prunestream.submission.v1+json"})
if producer.flush(30) != 0:
    sys.exit("the broker did not take the submission")
print("submitted", args.job_id, file=sys.stderr)

# 3. Wait for the one record keyed by the job id on prune.results (read from the start: the result
# may have come before this consumer joined).
consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "producer-" + args.job_id,
                     "auto.offset.reset": "earliest", "enable.auto.commit": False})
consumer.subscribe(["prune.results"])
deadline = time.time() + args.timeout
try:
    while time.time() < deadline:
        record = consumer.poll(1.0)
        if record is None or record.error() or record.key() != args.job_id.encode():
            continue
        result = json.loads(record.value())
        print(json.dumps(result))
        sys.exit(0 if result["status"] == "SUCCEEDED" else 1)
finally:
    consumer.close()
print("no result for", args.job_id, "within", args.timeout, "s", file=sys.stderr)
sys.exit(2)
