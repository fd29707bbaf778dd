#!/usr/bin/python3
"""A bounded TCP upload for the PMTUD test (no nc/socat needed).

  tcp_upload.py serve ADDRESS PORT TIMEOUT       accept one connection, read to EOF, answer the byte
                                                 count, print it; give up after TIMEOUT seconds
  tcp_upload.py send ADDRESS PORT BYTES TIMEOUT  send BYTES, half-close, wait for the count; exit 0
                                                 only if the server read all of them within TIMEOUT
"""
import socket
import sys
import time

CHUNK = 65536


def family_of(address):
    return socket.AF_INET6 if ":" in address else socket.AF_INET


def serve(address, port, timeout):
    deadline = time.monotonic() + timeout
    with socket.socket(family_of(address), socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((address, port))
        listener.listen(1)
        print("listening", flush=True)
        listener.settimeout(timeout)
        conn, _ = listener.accept()
        with conn:
            total = 0
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    print(f"timeout after {total} bytes", flush=True)
                    return 1
                conn.settimeout(left)
                data = conn.recv(CHUNK)
                if not data:
                    break
                total += len(data)
            conn.sendall(str(total).encode())
            print(total, flush=True)
    return 0


def send(address, port, size, timeout):
    start = time.monotonic()
    with socket.create_connection((address, port), timeout=timeout) as conn:
        conn.settimeout(timeout)  # since Python 3.5 the whole sendall is bounded by it
        try:
            conn.sendall(bytes(size))
            conn.shutdown(socket.SHUT_WR)
            conn.settimeout(max(0.1, timeout - (time.monotonic() - start)))
            answer = conn.recv(64).decode()
        except socket.timeout:
            print(f"stalled: not done after {timeout} s", flush=True)
            return 1
    took = time.monotonic() - start
    if answer != str(size):
        print(f"server read {answer!r} of {size} bytes", flush=True)
        return 1
    print(f"sent {size} bytes in {took:.2f} s", flush=True)
    return 0


def main(argv):
    if len(argv) == 5 and argv[1] == "serve":
        return serve(argv[2], int(argv[3]), float(argv[4]))
    if len(argv) == 6 and argv[1] == "send":
        return send(argv[2], int(argv[3]), int(argv[4]), float(argv[5]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
