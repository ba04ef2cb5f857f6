"""RQ side of the job round-trip benchmark: `concurrency` client threads each enqueue a job and wait
for its completion notice before sending the next, against `concurrency` RQ worker processes.

usage: rq_peer.py REDIS_URL JOBS CONCURRENCY WORKER_CLASS   -> one JSON line with the latencies (ms)
"""
import json
import os
import subprocess
import sys
import threading
import time
import uuid

from redis import Redis
from rq import Queue, Worker

redis_url, jobs, concurrency, worker_class = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
queue_name = f"bench-{uuid.uuid4().hex[:8]}"
channel = f"{queue_name}:done"
redis = Redis.from_url(redis_url)
queue = Queue(queue_name, connection=redis)
here = os.path.dirname(os.path.abspath(__file__))
env = {**os.environ, "BENCH_REDIS_URL": redis_url, "PYTHONPATH": here}

workers = [
    subprocess.Popen(
        [sys.executable, "-m", "rq.cli", "worker", "--url", redis_url, "--worker-class", worker_class,
         "--quiet", "--disable-job-desc-logging", queue_name],
        cwd=here, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(concurrency)
]
while len(Worker.all(queue=queue)) < concurrency:
    time.sleep(0.05)

waiting = {}
lock = threading.Lock()
pubsub = redis.pubsub()
pubsub.subscribe(channel)


def listen():
    for message in pubsub.listen():
        if message["type"] != "message":
            continue
        with lock:
            event = waiting.get(message["data"].decode())
        if event is not None:
            event.set()


threading.Thread(target=listen, daemon=True).start()
latencies = []
per_client = jobs // concurrency  # the caller passes a multiple of concurrency


def client():
    for _ in range(per_client):
        job_id = uuid.uuid4().hex
        event = threading.Event()
        with lock:
            waiting[job_id] = event
        started = time.perf_counter()
        queue.enqueue("rq_tasks.noop", channel, job_id=job_id)
        event.wait()
        latencies.append((time.perf_counter() - started) * 1000)


started = time.perf_counter()
threads = [threading.Thread(target=client) for _ in range(concurrency)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
wall_ms = (time.perf_counter() - started) * 1000

for worker in workers:
    worker.terminate()
for worker in workers:
    worker.wait()
queue.delete(delete_jobs=True)
print(json.dumps({"wall_ms": wall_ms, "latencies": latencies}))
