#!/usr/bin/env python3
"""drain_watch.py PID QUEUE...: continue a stopped queue consumer and time how fast the kernel's
backlog of its queues empties (issue 4, drain test). Run inside the gateway's namespace
(/proc/net/netfilter/nfnetlink_queue is per namespace). Prints one line:
    backlog N packets drained in T s: R pps
"""
import os
import signal
import sys
import time

POLL_S = 0.002        # /proc poll period: 2 ms against drains of ~100 ms and more
TIMEOUT_S = 20.0      # give up (a consumer that never drains is a result, not a hang)


def backlog(queues):
    total = 0
    with open("/proc/net/netfilter/nfnetlink_queue") as f:
        for line in f:
            fields = line.split()
            if int(fields[0]) in queues:
                total += int(fields[2])  # queue_total: packets waiting for a verdict
    return total


def main():
    pid = int(sys.argv[1])
    queues = {int(q) for q in sys.argv[2:]}
    start_backlog = backlog(queues)
    os.kill(pid, signal.SIGCONT)
    t0 = time.monotonic()
    while True:
        left = backlog(queues)
        elapsed = time.monotonic() - t0
        if left == 0 or elapsed > TIMEOUT_S:
            break
        time.sleep(POLL_S)
    drained = start_backlog - left
    rate = drained / elapsed if elapsed > 0 else 0
    print(f"backlog {start_backlog} packets drained {drained} in {elapsed:.3f} s: {rate:.0f} pps")


if __name__ == "__main__":
    main()
