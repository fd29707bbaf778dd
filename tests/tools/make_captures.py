#!/usr/bin/python3
"""Writes icmpgate's shipped sample capture and the golden replay captures.

Run with Debian's interpreter (python3-scapy), from anywhere:

    /usr/bin/python3 tests/tools/make_captures.py

Packets are built with scapy, an implementation independent of icmpgate's decoder: scapy
computes every length and checksum that a frame does not break on purpose. Files are
written by the small pcap/pcapng writers below (nanosecond timestamps, caplen < len for
snaplen cuts, any link type), so the output is byte-for-byte reproducible.

Outputs:
    deploy/samples/gateway-sample.pcap     a realistic mix of gateway traffic (Ethernet)
    tests/golden/<case>.pcap               one capture per golden case (some are pcapng
                                           inside: libpcap reads both, CTest globs *.pcap)

Each golden case's policy (<case>.policy.json, or <case>.policy naming another file) lives
next to its capture. So do the case's statements, <case>.statements.jsonl, written here: for
every frame, what its verdict record must say, worked out in this file from the rules and not
from icmpgate's output: the verdict, reason, rule, limiter and anomalies from the policy the case
uses and docs/policy.md's semantics (evaluation order, anomaly precedence and defaults, token
buckets), each with the reason in words; the key fields (addresses, protocol, type, code, MTU, the
quote's fields, ...) read from the bytes built here by frame_facts.py with the RFCs' layouts.
run_golden.py compares icmpgate's records with them, type-strict.
"""

import argparse
import json
import logging
import os
import socket
import struct
import sys

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.all import (  # noqa: E402  (after silencing scapy's start-up warnings)
    ARP, ICMP, IP, TCP, UDP, Dot1AD, Dot1Q, Ether, ICMPv6DestUnreach, ICMPv6EchoReply,
    ICMPv6EchoRequest, ICMPv6PacketTooBig, ICMPv6ParamProblem, ICMPv6TimeExceeded, IPv6,
    IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, Raw)
from scapy.utils import checksum as scapy_checksum  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from frame_facts import ABSENT, facts  # noqa: E402

# 2025-05-20T10:15:00Z: every capture's clock starts here.
BASE_NS = 1_747_736_100 * 1_000_000_000
MS = 1_000_000
SECOND = 1_000_000_000

# libpcap link types (LINKTYPE_* values as written in files).
LINKTYPE_NULL = 0
LINKTYPE_ETHERNET = 1
LINKTYPE_PPP = 9
LINKTYPE_RAW = 101
LINKTYPE_LINUX_SLL = 113
LINKTYPE_IEEE802_11 = 105
LINKTYPE_LINUX_SLL2 = 276

MAC_GATEWAY = "02:00:00:00:00:01"
MAC_HOST = "02:00:00:00:00:0a"

ECHO_PAYLOAD = bytes(range(56))
# ICMP Timestamp fields (ms since midnight UTC); scapy's default is the current time.
TIMESTAMPS = {"ts_ori": 36_900_000, "ts_rx": 0, "ts_tx": 0}


# ---- file writers --------------------------------------------------------------------

class Capture:
    """Frames in order: (time in ns since the epoch, bytes, length on the wire), and for a golden
    case each frame's statement (statements[i] is frame i + 1's)."""

    def __init__(self, linktype=LINKTYPE_ETHERNET):
        self.linktype = linktype
        self.frames = []
        self.statements = []

    def add(self, t_ns, frame, wire_length=None, statement=None, packet=None):
        """packet: the IP packet inside the frame, whose facts the statement adds to (default: none)."""
        data = bytes(frame)
        self.frames.append((t_ns, data, wire_length if wire_length is not None else len(data)))
        if statement is not None:
            self.statements.append(statement.about(packet))


# ---- statements: what each golden frame's record must say ------------------------------

class Says:
    """One frame's expected verdict record: verdict, reason, rule, limiter and anomalies as the
    rules give them (why: the reasoning in words), plus key fields. Fields given here override the
    facts read from the packet's bytes; derive=False keeps only the fields given."""

    def __init__(self, verdict, reason, why, rule=None, limiter=ABSENT, anomalies=(), derive=True, monitor=ABSENT,
                 **fields):
        self.why = why
        self.derive = derive
        # docs/log-format.md: icmpgate.anomalies is there only when one applied; limiter only for
        # rate-limit; monitor only when monitor mode found something (--monitor, a monitor rule).
        self.fields = {"verdict": verdict, "reason": reason, "rule": rule, "limiter": limiter,
                       "anomalies": list(anomalies) if anomalies else ABSENT, "monitor": monitor}
        self.fields.update({name.replace("__", "."): value for name, value in fields.items()})

    def about(self, packet):
        merged = facts(packet) if self.derive and packet is not None else {}
        merged.update(self.fields)
        return {"why": self.why,
                "fields": {k: v for k, v in merged.items() if v is not ABSENT},
                "absent": sorted(k for k, v in merged.items() if v is ABSENT)}


def accepted(reason, why, **kw):
    return Says("accept", reason, why, **kw)


def dropped(reason, why, **kw):
    return Says("drop", reason, why, **kw)


def by_rule(verdict, rule, why, **kw):
    return Says(verdict, "rule", why, rule=rule, **kw)


def anomaly(name, why, verdict="drop", anomalies=None, **kw):
    """Decided by anomaly NAME (its action VERDICT); anomalies: every anomaly listed, in precedence order."""
    return Says(verdict, f"anomaly:{name}", why, anomalies=anomalies or [name], **kw)


# Frames that are not IP: no IP field at all (docs/log-format.md), accepted as not-icmp.
NOT_IP = accepted("not-icmp", "not an IP packet: step 1 of docs/policy.md's order accepts it as not-icmp",
                  derive=False, ip_v=ABSENT, src_ip=ABSENT, dest_ip=ABSENT, proto=ABSENT, icmp_type=ABSENT)


def write_statements(path, capture):
    if len(capture.statements) != len(capture.frames):
        raise ValueError(f"{path}: {len(capture.frames)} frames but {len(capture.statements)} statements")
    with open(path, "w", encoding="utf-8") as f:
        for number, statement in enumerate(capture.statements, start=1):
            f.write(json.dumps({"frame": number, **statement}, separators=(",", ":")) + "\n")


def write_pcap(path, capture):
    """pcap with nanosecond timestamps (magic 0xa1b23c4d)."""
    snaplen = 65535
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, snaplen, capture.linktype))
        for t_ns, data, wire_length in capture.frames:
            f.write(struct.pack("<IIII", t_ns // SECOND, t_ns % SECOND, len(data), wire_length))
            f.write(data)


def _pcapng_block(block_type, body):
    padded = body + b"\0" * (-len(body) % 4)
    total = 12 + len(padded)
    return struct.pack("<II", block_type, total) + padded + struct.pack("<I", total)


def write_pcapng(path, capture):
    """pcapng: one section, one interface with if_tsresol = 9 (nanoseconds)."""
    shb = _pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    tsresol_option = struct.pack("<HHB3x", 9, 1, 9) + struct.pack("<HH", 0, 0)
    idb = _pcapng_block(0x00000001, struct.pack("<HHI", capture.linktype, 0, 65535) + tsresol_option)
    with open(path, "wb") as f:
        f.write(shb + idb)
        for t_ns, data, wire_length in capture.frames:
            body = struct.pack("<IIIII", 0, t_ns >> 32, t_ns & 0xFFFFFFFF, len(data), wire_length) + data
            f.write(_pcapng_block(0x00000006, body))


# ---- packet helpers ------------------------------------------------------------------

def eth(packet, src=MAC_GATEWAY, dst=MAC_HOST):
    if isinstance(packet, (bytes, bytearray)):
        # Hand-made bytes: scapy cannot infer the ethertype, so name it from the IP version.
        ethertype = 0x86DD if packet[0] >> 4 == 6 else 0x0800
        return Ether(src=src, dst=dst, type=ethertype) / Raw(bytes(packet))
    return Ether(src=src, dst=dst) / packet


def echo4(src, dst, ident, seq, reply=False, **ip):
    return IP(src=src, dst=dst, **ip) / ICMP(type=0 if reply else 8, id=ident, seq=seq) / Raw(ECHO_PAYLOAD)


def echo6(src, dst, ident, seq, reply=False, **ip):
    layer = ICMPv6EchoReply if reply else ICMPv6EchoRequest
    return IPv6(src=src, dst=dst, **ip) / layer(id=ident, seq=seq, data=ECHO_PAYLOAD)


def quote(packet, length=None):
    """The bytes an error quotes: the packet, cut to `length` (RFC 792: header + 8)."""
    data = bytes(packet)
    return data if length is None else data[:length]


def udp4(src, dst, sport, dport, ttl=1, payload=b"\0" * 32, **ip):
    return IP(src=src, dst=dst, ttl=ttl, **ip) / UDP(sport=sport, dport=dport) / Raw(payload)


def tcp4(src, dst, sport, dport, length=1500, df=True):
    pad = length - 40
    return IP(src=src, dst=dst, flags="DF" if df else 0) / TCP(sport=sport, dport=dport, flags="A") / Raw(b"\0" * pad)


def udp6(src, dst, sport, dport, hlim=1, payload=b"\0" * 32):
    return IPv6(src=src, dst=dst, hlim=hlim) / UDP(sport=sport, dport=dport) / Raw(payload)


def tcp6(src, dst, sport, dport, length=1500):
    return IPv6(src=src, dst=dst) / TCP(sport=sport, dport=dport, flags="A") / Raw(b"\0" * (length - 60))


def error4(src, dst, type_, code, quoted, **icmp):
    return IP(src=src, dst=dst, ttl=64) / ICMP(type=type_, code=code, **icmp) / Raw(quoted)


def frag_needed(src, dst, mtu, quoted):
    return error4(src, dst, 3, 4, quoted, nexthopmtu=mtu)


def time_exceeded4(src, dst, quoted):
    return error4(src, dst, 11, 0, quoted)


def port_unreachable4(src, dst, quoted):
    return error4(src, dst, 3, 3, quoted)


def ptb(src, dst, mtu, quoted):
    return IPv6(src=src, dst=dst) / ICMPv6PacketTooBig(mtu=mtu) / Raw(quoted)


def time_exceeded6(src, dst, quoted):
    return IPv6(src=src, dst=dst) / ICMPv6TimeExceeded(code=0) / Raw(quoted)


def unreachable6(src, dst, code, quoted):
    return IPv6(src=src, dst=dst) / ICMPv6DestUnreach(code=code) / Raw(quoted)


def v6_error_quote(packet):
    """RFC 4443 2.4(c): as much of the packet as fits in 1280 bytes; these are small."""
    return quote(packet, 1280 - 48)


# ---- the shipped sample --------------------------------------------------------------

def gateway_sample():
    """A few seconds of ICMP through a gateway between 192.0.2.0/24, 2001:db8:1::/64 (inside)
    and the Internet, run through deploy/policies/default.json by the README's demo (and the
    gateway-sample golden case). The statements follow default.json: default drop; rules in order;
    echo requests limited by echo-per-source (rate 20/s, burst 40, per source /32 and /64) and
    echo-global, replies by echo-reply-per-destination and echo-global."""
    lan1, lan2, lan3 = "192.0.2.10", "192.0.2.11", "192.0.2.12"
    remote, remote2, pinger = "198.51.100.20", "203.0.113.5", "198.51.100.66"
    router4, router4b = "203.0.113.1", "198.51.100.1"
    lan6, lan6b, remote6, router6 = "2001:db8:1::10", "2001:db8:1::11", "2001:db8:ffff::1", "2001:db8:f::1"
    c = Capture()
    t = BASE_NS

    def add(packet, says, gap_ns=20 * MS, wire_length=None, src=MAC_GATEWAY, dst=MAC_HOST):
        nonlocal t
        c.add(t, eth(packet, src, dst), wire_length, says, packet)
        t += gap_ns

    request = "echo request: rule {0} matches, both its limiters have tokens (fresh buckets)"
    reply = "echo reply: rule {0} matches, both its limiters have tokens (fresh buckets)"
    # Ordinary pings, both families, both directions.
    add(echo4(lan1, remote, 0x1A2B, 1), by_rule("accept", "v4-echo-request", request.format("v4-echo-request")))
    add(echo4(remote, lan1, 0x1A2B, 1, reply=True), by_rule("accept", "v4-echo-reply", reply.format("v4-echo-reply")))
    add(echo6(lan6, remote6, 0x0777, 1), by_rule("accept", "v6-echo-request", request.format("v6-echo-request")))
    add(echo6(remote6, lan6, 0x0777, 1, reply=True), by_rule("accept", "v6-echo-reply", reply.format("v6-echo-reply")))
    add(echo4(remote2, lan2, 0x2001, 1), by_rule("accept", "v4-echo-request", request.format("v4-echo-request")))
    add(echo4(lan2, remote2, 0x2001, 1, reply=True), by_rule("accept", "v4-echo-reply", reply.format("v4-echo-reply")))
    add(echo6(lan6b, remote6, 0x0778, 1), by_rule("accept", "v6-echo-request", request.format("v6-echo-request")))
    add(echo6(remote6, lan6b, 0x0778, 1, reply=True), by_rule("accept", "v6-echo-reply", reply.format("v6-echo-reply")))
    # One source floods echo requests, 44 in 8.6 ms: the default policy's echo-per-source
    # limiter (burst 40, 20/s) accepts 40 and drops the rest.
    for seq in range(1, 45):
        if seq <= 40:
            says = by_rule("accept", "v4-echo-request", f"flood request {seq}: echo-per-source starts with 40 tokens")
        else:
            says = Says("drop", "rate-limit", f"flood request {seq}: 40 tokens spent, {seq - 1} requests in "
                        f"{(seq - 1) * 0.2:.1f} ms refill 20/s x that < 1 token; echo-per-source (listed first) is empty",
                        rule="v4-echo-request", limiter="echo-per-source")
        add(echo4(pinger, lan1, 0x0BAD, seq), says, gap_ns=200_000)
    t += 20 * MS
    # Traceroute from inside: Time Exceeded about a UDP probe and about an ICMP probe.
    add(time_exceeded4(router4, lan1, quote(udp4(lan1, remote, 40001, 33434), 28)),
        by_rule("accept", "v4-time-exceeded", "Time Exceeded with a sound quote: rule v4-time-exceeded matches "
                "before protection is consulted"))
    add(time_exceeded4(router4, lan1, quote(echo4(lan1, remote, 0x3003, 1, ttl=1), 28)),
        by_rule("accept", "v4-time-exceeded", "an error quoting an echo request is legal (RFC 1122 3.2.2 forbids "
                "errors about errors only)"))
    add(time_exceeded6(router6, lan6, v6_error_quote(udp6(lan6, remote6, 40002, 33435))),
        by_rule("accept", "v6-time-exceeded", "v6 Time Exceeded: rule v6-time-exceeded"))
    # Path MTU discovery: a sane MTU, and a forged tiny one (an attack on TCP's MSS).
    add(frag_needed(router4, lan1, 1400, quote(tcp4(lan1, remote, 44321, 443), 28)),
        by_rule("accept", "v4-destination-unreachable", "Frag Needed 1400 < quoted 1500 with DF: no anomaly; "
                "v4-unreachable-port-host-limited names other codes, v4-destination-unreachable matches 3/4"))
    add(frag_needed(router4, lan1, 40, quote(tcp4(lan1, remote, 44322, 443), 28)),
        anomaly("implausible-mtu", "Frag Needed with MTU 40 (1..67 is implausible, docs/policy.md)"))
    add(ptb(router6, lan6, 1280, v6_error_quote(tcp6(lan6, remote6, 44323, 443))),
        by_rule("accept", "v6-packet-too-big", "PTB 1280 (the IPv6 minimum) below the quoted 1500: rule v6-packet-too-big"))
    add(ptb(router6, lan6, 1000, v6_error_quote(tcp6(lan6, remote6, 44324, 443))),
        anomaly("implausible-mtu", "PTB with MTU 1000 < 1280 (RFC 8200 5)"))
    # A closed port, a redirect, an error about an error, and a forged quote.
    add(port_unreachable4(remote, lan1, quote(udp4(lan1, remote, 53001, 53, ttl=64), 28)),
        by_rule("accept", "v4-unreachable-port-host-limited", "Port Unreachable: the first rule naming 3/3; "
                "its limiters have tokens"))
    add(error4("192.0.2.1", lan1, 5, 1, quote(echo4(lan1, remote, 0x4004, 1), 28), gw="192.0.2.254"),
        by_rule("drop", "v4-legacy-and-redirect", "Redirect quoting an echo (legal): rule v4-legacy-and-redirect drops it"))
    add(error4(router4b, lan1, 3, 1, quote(port_unreachable4(lan1, remote, quote(udp4(remote, lan1, 53, 53002), 28)), 28)),
        anomaly("error-about-error", "Host Unreachable quoting a Port Unreachable (RFC 1122 3.2.2)"))
    add(time_exceeded4(router4, lan1, quote(udp4("192.0.2.99", remote, 40003, 33436), 28)),
        anomaly("embedded-mismatch", "the quoted source 192.0.2.99 is not the error's destination 192.0.2.10"))
    # Damage: a bad checksum and a truncated packet (Total Length beyond the bytes).
    add(IP(src=remote2, dst=lan1) / ICMP(type=8, id=0x5005, seq=1, chksum=0x1234) / Raw(ECHO_PAYLOAD),
        anomaly("bad-checksum", "checksum 0x1234 does not verify (RFC 792)"))
    add(IP(src=remote2, dst=lan1, len=200) / ICMP(type=8, id=0x5006, seq=1) / Raw(ECHO_PAYLOAD),
        anomaly("truncated", "Total Length 200 but 84 bytes: truncated; its checksum is not judged"))
    # The second fragment of a large echo reply: no ICMP header to judge.
    add(IP(src=remote, dst=lan3, proto=1, frag=185, id=0x7777) / Raw(b"\0" * 520),
        anomaly("fragment", "a non-first fragment; the fragment anomaly's default action is accept", verdict="accept"))
    # Not ICMP: ARP and a TCP segment (the queue rules never send these; captures have them).
    add(ARP(op=1, hwsrc=MAC_HOST, psrc=lan1, pdst="192.0.2.1"), NOT_IP, src=MAC_HOST, dst="ff:ff:ff:ff:ff:ff")
    add(IP(src=lan1, dst=remote) / TCP(sport=44330, dport=443, flags="S"),
        accepted("not-icmp", "TCP: not ICMP of its family, accepted as not-icmp"))
    # IPv6 echo behind a Hop-by-Hop and a Destination Options header.
    add(IPv6(src=lan6, dst=remote6) / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt()
        / ICMPv6EchoRequest(id=0x0779, seq=1, data=ECHO_PAYLOAD),
        by_rule("accept", "v6-echo-request", "echo request behind extension headers; lan6's /64 bucket has 39 tokens"))
    add(unreachable6(router6, lan6, 1, v6_error_quote(udp6(lan6, remote6, 40004, 53, hlim=64))),
        by_rule("accept", "v6-destination-unreachable", "RFC 4890 4.3.1: rule v6-destination-unreachable, every code"))
    add(IP(src=remote2, dst=lan1) / ICMP(type=13, id=0x6006, seq=1, **TIMESTAMPS),
        by_rule("drop", "v4-legacy-and-redirect", "timestamp-request is named by v4-legacy-and-redirect, a drop rule"))
    # Two seconds later the flooding source's bucket has refilled.
    t += 2 * SECOND
    add(echo4(pinger, lan1, 0x0BAD, 45),
        by_rule("accept", "v4-echo-request", "2 s later echo-per-source refilled 20/s x 2 s = 40 tokens"))
    add(echo4(lan1, pinger, 0x0BAD, 45, reply=True),
        by_rule("accept", "v4-echo-reply", "the first reply to 198.51.100.66: a fresh per-destination bucket"))
    return c


# ---- golden cases --------------------------------------------------------------------

def sequence(frames, gap_ms=10, linktype=LINKTYPE_ETHERNET, wrap=eth):
    """frames: (IP packet, Says) pairs, gap_ms apart."""
    c = Capture(linktype)
    for i, (p, says) in enumerate(frames):
        c.add(BASE_NS + i * gap_ms * MS, wrap(p) if wrap else p, statement=says, packet=p)
    return c


def golden_anomalies():
    """One frame per contract anomaly (both families where it applies), precedence pairs,
    legal look-alikes, an extra anomaly that is off, and a snaplen cut that is not truncation.
    Policy: default accept, no rules, so only anomalies (and protection) can drop."""
    a4, b4, r4 = "192.0.2.10", "198.51.100.20", "203.0.113.1"
    a6, b6, r6 = "2001:db8:1::10", "2001:db8:ffff::1", "2001:db8:f::1"
    udp_probe = quote(udp4(a4, b4, 40001, 33434), 28)
    udp6_probe = v6_error_quote(udp6(a6, b6, 40001, 33434))
    default = "no anomaly and no rule: the default verdict (accept) decides"
    c = Capture()
    frames = [
        # 1-2 truncated: Total Length / Payload Length beyond the bytes.
        (IP(src=b4, dst=a4, len=200) / ICMP(type=8, id=1, seq=1) / Raw(ECHO_PAYLOAD),
         anomaly("truncated", "Total Length 200, 84 bytes; the 8-byte ICMP header is there, so type and code are logged")),
        (IPv6(src=b6, dst=a6, plen=300) / ICMPv6EchoRequest(id=1, seq=1, data=ECHO_PAYLOAD),
         anomaly("truncated", "Payload Length 300, 64 bytes after the header")),
        # 3 truncated and a bad checksum: truncated wins (the checksum cannot be judged).
        (IP(src=b4, dst=a4, len=200) / ICMP(type=8, id=1, seq=2, chksum=0xBEEF) / Raw(ECHO_PAYLOAD),
         anomaly("truncated", "truncated, so the checksum is never judged: no bad-checksum")),
        # 4-5 bad-checksum
        (IP(src=b4, dst=a4) / ICMP(type=8, id=1, seq=3, chksum=0xBEEF) / Raw(ECHO_PAYLOAD),
         anomaly("bad-checksum", "checksum 0xBEEF does not verify")),
        (IPv6(src=b6, dst=a6) / ICMPv6EchoRequest(id=1, seq=3, cksum=0xBEEF, data=ECHO_PAYLOAD),
         anomaly("bad-checksum", "checksum 0xBEEF does not verify with the pseudo-header (RFC 4443 2.3)")),
        # 6-7 error-about-error: an unreachable quoting an unreachable; a v6 Time Exceeded quoting a v6 error.
        (error4(r4, a4, 3, 1, quote(port_unreachable4(a4, b4, quote(udp4(b4, a4, 53, 40000), 28)), 28)),
         anomaly("error-about-error", "an unreachable quoting a Port Unreachable (RFC 1122 3.2.2)")),
        (time_exceeded6(r6, a6, v6_error_quote(unreachable6(a6, b6, 4, v6_error_quote(udp6(b6, a6, 53, 40000))))),
         anomaly("error-about-error", "Time Exceeded quoting a Destination Unreachable (RFC 4443 2.4(e))")),
        # 8 legal: an error quoting an echo request (default accept).
        (error4(r4, a4, 3, 1, quote(echo4(a4, b4, 7, 1), 28)),
         accepted("default", "an error about an echo is legal; 3/1 is not protected: " + default)),
        # 9-11 bad-embedded: a quote too short for IP + 8 bytes; a v6 quote in a v4 error; a v4 quote in v6.
        (port_unreachable4(b4, a4, quote(udp4(a4, b4, 40001, 53), 24)),
         anomaly("bad-embedded", "the quote holds the IP header and 4 bytes, not 8 (RFC 792); the ports are in those 4")),
        (port_unreachable4(b4, a4, quote(udp6(a6, b6, 40001, 53), 48)),
         anomaly("bad-embedded", "an IPv6 quote in an ICMPv4 error: no quoted IPv4 header to log")),
        (unreachable6(b6, a6, 4, quote(udp4(a4, b4, 40001, 53), 28)),
         anomaly("bad-embedded", "an IPv4 quote in an ICMPv6 error")),
        # 12-13 embedded-mismatch: the quoted source is not the error's destination.
        (time_exceeded4(r4, a4, quote(udp4("192.0.2.99", b4, 40001, 33434), 28)),
         anomaly("embedded-mismatch", "quoted source 192.0.2.99, error sent to 192.0.2.10")),
        (time_exceeded6(r6, a6, v6_error_quote(udp6("2001:db8:1::99", b6, 40001, 33434))),
         anomaly("embedded-mismatch", "quoted source 2001:db8:1::99, error sent to 2001:db8:1::10")),
        # 14 error-about-error and embedded-mismatch: error-about-error comes first.
        (error4(r4, a4, 3, 1, quote(port_unreachable4("192.0.2.99", b4, quote(udp4(b4, "192.0.2.99", 53, 40000), 28)), 28)),
         anomaly("error-about-error", "both apply; error-about-error comes first in the table, both are listed",
                 anomalies=["error-about-error", "embedded-mismatch"])),
        # 15-20 implausible-mtu: MTU 40 (1..67), MTU not below the quoted length, a quote without DF,
        # PTB 1000 (< 1280), PTB not below the quoted length; and MTU 0 (RFC 1191 old style) is legal.
        (frag_needed(r4, a4, 40, quote(tcp4(a4, b4, 44321, 443), 28)),
         anomaly("implausible-mtu", "Frag Needed MTU 40 is in 1..67")),
        (frag_needed(r4, a4, 1500, quote(tcp4(a4, b4, 44322, 443, length=1500), 28)),
         anomaly("implausible-mtu", "MTU 1500 is not below the quoted packet's 1500")),
        (frag_needed(r4, a4, 1400, quote(tcp4(a4, b4, 44323, 443, df=False), 28)),
         anomaly("implausible-mtu", "a Frag Needed about a packet without DF (RFC 1191 4)")),
        (ptb(r6, a6, 1000, v6_error_quote(tcp6(a6, b6, 44324, 443))),
         anomaly("implausible-mtu", "PTB MTU 1000 is below the IPv6 minimum 1280")),
        (ptb(r6, a6, 1500, v6_error_quote(tcp6(a6, b6, 44325, 443, length=1400))),
         anomaly("implausible-mtu", "PTB MTU 1500 is not below the quoted packet's 1400")),
        (frag_needed(r4, a4, 0, quote(tcp4(a4, b4, 44326, 443), 28)),
         accepted("protected", "MTU 0 is RFC 1191's old style, legal; no rule: a well-formed Frag Needed is protected")),
        # 21-22 quoted-fragment: errors quoting non-first fragments.
        (port_unreachable4(b4, a4, quote(IP(src=a4, dst=b4, proto=17, frag=100) / Raw(b"\0" * 64), 28)),
         anomaly("quoted-fragment", "the quote is a fragment at offset 800: no ports in it")),
        (unreachable6(b6, a6, 4, v6_error_quote(IPv6(src=a6, dst=b6) / IPv6ExtHdrFragment(offset=100, m=0, nh=17) / Raw(b"\0" * 64))),
         anomaly("quoted-fragment", "the quote is a fragment at offset 800")),
        # 23-24 quoted-multicast: errors about packets sent to multicast groups.
        (port_unreachable4(b4, a4, quote(udp4(a4, "224.0.0.251", 5353, 5353), 28)),
         anomaly("quoted-multicast", "an error about a packet sent to 224.0.0.251 (RFC 1122 3.2.2)")),
        (unreachable6(b6, a6, 4, v6_error_quote(udp6(a6, "ff02::fb", 5353, 5353))),
         anomaly("quoted-multicast", "an error about a packet sent to ff02::fb (RFC 4443 2.4(e))")),
        # 25-26 RFC 4443 2.4(e) exceptions: PTB and Parameter Problem code 2 about multicast are legal.
        (ptb(r6, a6, 1280, v6_error_quote(udp6(a6, "ff0e::101", 5000, 5000, payload=b"\0" * 1400))),
         accepted("protected", "PTB about multicast is RFC 4443 2.4(e.3)'s exception; protected, no rule")),
        (IPv6(src=b6, dst=a6) / ICMPv6ParamProblem(code=2, ptr=40) / Raw(v6_error_quote(udp6(a6, "ff0e::101", 5000, 5000))),
         accepted("default", "Parameter Problem code 2 about multicast is the other exception; not protected: " + default)),
        # 27-28 fragment: non-first fragments (accepted by default).
        (IP(src=b4, dst=a4, proto=1, frag=185, id=0x4242) / Raw(b"\0" * 64),
         anomaly("fragment", "offset 1480: no ICMP header; the fragment anomaly's default action is accept", verdict="accept")),
        (IPv6(src=b6, dst=a6) / IPv6ExtHdrFragment(offset=185, m=0, nh=58, id=0x4242) / Raw(b"\0" * 64),
         anomaly("fragment", "offset 1480 after a Fragment header: no ICMPv6 header", verdict="accept")),
        # 29 a first fragment: an ICMP header but an incomplete message (checksum not judged).
        (IP(src=b4, dst=a4, flags="MF", id=0x4343) / ICMP(type=8, id=1, seq=9, chksum=0xBEEF) / Raw(ECHO_PAYLOAD),
         accepted("default", "a first fragment: the checksum covers bytes not here, so it is not judged; " + default)),
        # 30 an unassigned type: the extra anomaly unknown-type is off, so the default decides.
        (IP(src=b4, dst=a4) / ICMP(type=99, code=0) / Raw(b"\0" * 8),
         accepted("default", "type 99 is unassigned: unknown-type is listed, but it is off; " + default,
                  anomalies=["unknown-type"])),
    ]
    for i, (p, says) in enumerate(frames):
        c.add(BASE_NS + i * 10 * MS, eth(p), statement=says, packet=p)
    # 31 a snaplen cut: 60 of 98 bytes captured. Not truncated; the checksum cannot be judged.
    cut_packet = IP(src=b4, dst=a4) / ICMP(type=8, id=1, seq=10, chksum=0xBEEF) / Raw(ECHO_PAYLOAD)
    cut = bytes(eth(cut_packet))
    c.add(BASE_NS + len(frames) * 10 * MS, cut[:60], len(cut), packet=cut_packet,
          statement=accepted("default", "cut by the capture's snap length (caplen < len): not truncated, "
                             "checksum not judged; " + default))
    # 32 a snaplen cut inside a Time Exceeded's quote: the quote ran out because of the
    # capture, not the sender, so it is not bad-embedded (and the error stays protected).
    cut_packet = time_exceeded4(r4, a4, udp_probe)
    cut = bytes(eth(cut_packet))
    c.add(BASE_NS + (len(frames) + 1) * 10 * MS, cut[:14 + 20 + 8 + 24], len(cut), packet=cut_packet,
          statement=accepted("protected", "the capture cut the quote to 24 bytes (the ports are in them): not "
                             "bad-embedded; a Time Exceeded no rule matched is protected"))
    return c


def golden_anomaly_overrides():
    """The policy changes anomaly actions: fragment and two extra anomalies drop, a bad
    checksum is accepted (still with reason anomaly:bad-checksum)."""
    a4, b4 = "192.0.2.10", "198.51.100.20"
    b6, a6 = "2001:db8:ffff::1", "2001:db8:1::10"
    return sequence([
        (IP(src=b4, dst=a4, proto=1, frag=185, id=0x4242) / Raw(b"\0" * 64),
         anomaly("fragment", "a non-first fragment; the policy sets fragment to drop")),
        (IP(src=b4, dst=a4) / ICMP(type=8, id=1, seq=1, chksum=0xBEEF) / Raw(ECHO_PAYLOAD),
         anomaly("bad-checksum", "bad checksum; the policy sets bad-checksum to accept", verdict="accept")),
        (IP(src=b4, dst=a4) / ICMP(type=99, code=0) / Raw(b"\0" * 8),
         anomaly("unknown-type", "type 99 is unassigned; the policy turns unknown-type on as drop")),
        (IP(src=b4, dst=a4, proto=58) / Raw(bytes(ICMPv6EchoRequest(id=1, seq=1))),
         anomaly("wrong-family", "ICMPv6 in IPv4; the policy turns wrong-family on as drop")),
        (IP(src=b4, dst=a4, len=200) / ICMP(type=8, id=1, seq=2) / Raw(ECHO_PAYLOAD),
         anomaly("truncated", "truncated keeps its default action, drop")),
        (echo6(b6, a6, 1, 3), accepted("default", "a sound echo request; no rule: the default verdict, accept")),
    ])


def protected_frames(override):
    """Protected types (accepted though the default drops) and ordinary errors (dropped).
    override: the statements for protected-override.policy.json (drop-time-exceeded-v4 with
    override_protection, drop-port-unreachable for both families) instead of protected.policy.json
    (default drop, no rules)."""
    a4, b4, r4 = "192.0.2.10", "198.51.100.20", "203.0.113.1"
    a6, b6, r6 = "2001:db8:1::10", "2001:db8:ffff::1", "2001:db8:f::1"
    protected = accepted("protected", "a well-formed protected message no rule matched: accepted whatever the default")
    default_drop = dropped("default", "not protected, no rule: the default verdict, drop")
    time_exceeded_v4 = (by_rule("drop", "drop-time-exceeded-v4", "v4 Time Exceeded: the rule with override_protection drops it")
                        if override else protected)
    port_unreachable = (by_rule("drop", "drop-port-unreachable", "Port Unreachable (v4 3/3, v6 1/4): rule drop-port-unreachable")
                        if override else default_drop)
    return sequence([
        (frag_needed(r4, a4, 1400, quote(tcp4(a4, b4, 44321, 443), 28)), protected),
        (time_exceeded4(r4, a4, quote(udp4(a4, b4, 40001, 33434), 28)), time_exceeded_v4),
        (error4(r4, a4, 11, 1, quote(IP(src=a4, dst=b4, flags="MF", proto=17) / Raw(b"\0" * 64), 28)), time_exceeded_v4),
        (ptb(r6, a6, 1280, v6_error_quote(tcp6(a6, b6, 44322, 443))), protected),
        (time_exceeded6(r6, a6, v6_error_quote(udp6(a6, b6, 40002, 33435))), protected),
        (port_unreachable4(b4, a4, quote(udp4(a4, b4, 40003, 53, ttl=64), 28)), port_unreachable),
        (error4(r4, a4, 3, 1, quote(udp4(a4, b4, 40004, 53, ttl=64), 28)), default_drop),
        (unreachable6(b6, a6, 4, v6_error_quote(udp6(a6, b6, 40005, 53, hlim=64))), port_unreachable),
        (echo6(b6, a6, 3, 1), default_drop),
        # A forged Frag Needed stays an anomaly: protection only covers well-formed ones.
        (frag_needed(r4, a4, 40, quote(tcp4(a4, b4, 44323, 443), 28)),
         anomaly("implausible-mtu", "MTU 40: anomalies are judged before rules and protection")),
    ])


def golden_ratelimit():
    """Token buckets on capture time. echo-per-24: rate 1/s, burst 2, per source /24 and /64.
    unreach: two limiters on one rule (global burst 4, per source burst 3, both 1/s)."""
    c = Capture()
    t0 = BASE_NS
    ok = lambda why: by_rule("accept", "echo-limited", why)
    limited = lambda why: Says("drop", "rate-limit", why, rule="echo-limited", limiter="echo-per-24")
    frames = [
        # Burst: two tokens at t0 (192.0.2.1 and 192.0.2.2 share the /24 bucket), then denial.
        (t0, echo4("192.0.2.1", "198.51.100.20", 1, 1), ok("192.0.2.0/24's bucket starts full: 2 -> 1")),
        (t0, echo4("192.0.2.2", "198.51.100.20", 2, 1), ok("same /24 bucket: 1 -> 0")),
        (t0, echo4("192.0.2.1", "198.51.100.20", 1, 2), limited("the /24 bucket is empty, no time has passed")),
        # Another /24 has its own bucket.
        (t0 + 1 * MS, echo4("192.0.3.1", "198.51.100.20", 3, 1), ok("192.0.3.0/24 has its own full bucket")),
        # 1 ns before one token has refilled: still denied; exactly 1/rate s later: accepted, once.
        (t0 + SECOND - 1, echo4("192.0.2.3", "198.51.100.20", 4, 1), limited("1 s - 1 ns at 1/s: 0.999999999 token")),
        (t0 + SECOND, echo4("192.0.2.3", "198.51.100.20", 4, 2), ok("1 s at 1/s: exactly one token")),
        (t0 + SECOND, echo4("192.0.2.3", "198.51.100.20", 4, 3), limited("that token is spent")),
        # IPv6 /64 aggregation: ::1 and ::2 share a bucket, 2001:db8:2::1 does not.
        (t0 + 2 * SECOND, echo6("2001:db8:1::1", "2001:db8:ffff::1", 5, 1), ok("2001:db8:1::/64's bucket: 2 -> 1")),
        (t0 + 2 * SECOND, echo6("2001:db8:1::2", "2001:db8:ffff::1", 6, 1), ok("same /64: 1 -> 0")),
        (t0 + 2 * SECOND, echo6("2001:db8:1::1", "2001:db8:ffff::1", 5, 2), limited("the /64 bucket is empty")),
        (t0 + 2 * SECOND, echo6("2001:db8:2::1", "2001:db8:ffff::1", 7, 1), ok("2001:db8:2::/64 has its own bucket")),
    ]
    # Two limiters: A takes 3 (its burst), the 4th is denied by the per-source limiter and
    # takes no global token; B takes the last global token, then is denied by the global one.
    a, b, dst = "203.0.113.10", "203.0.113.20", "192.0.2.10"
    unreach = lambda src, port: port_unreachable4(src, dst, quote(udp4(dst, src, port, 53, ttl=64), 28))
    unreach_ok = lambda why: by_rule("accept", "unreachable-limited", why)
    t1 = t0 + 10 * SECOND
    for i in range(4):
        if i < 3:
            says = unreach_ok(f"A's own bucket {3 - i} -> {2 - i}, global {4 - i} -> {3 - i}")
        else:
            says = Says("drop", "rate-limit", "A's own bucket is empty: unreach-per-source (listed first) denies; "
                        "a denial takes no token, so global keeps 1", rule="unreachable-limited", limiter="unreach-per-source")
        frames.append((t1, unreach(a, 40000 + i), says))
    frames.append((t1, unreach(b, 40010), unreach_ok("B's bucket 3 -> 2, the last global token 1 -> 0")))
    frames.append((t1, unreach(b, 40011), Says("drop", "rate-limit", "B's bucket has 2, the global one none",
                                               rule="unreachable-limited", limiter="unreach-global")))
    # One second later both buckets of B's path have a token again.
    frames.append((t1 + SECOND, unreach(b, 40012), unreach_ok("1 s later the global bucket has 1 token again")))
    for t, p, says in frames:
        c.add(t, eth(p), statement=says, packet=p)
    return c


def golden_names():
    """Rules written with nftables names, iptables aliases and numbers (see names.policy.json)."""
    a4, b4, r4 = "192.0.2.10", "198.51.100.20", "203.0.113.1"
    a6, b6 = "2001:db8:1::10", "2001:db8:ffff::1"
    return sequence([
        (echo4(b4, a4, 1, 1), by_rule("accept", "nft-echo-request", "echo-request from 198.51.100.0/24")),
        (echo6(b6, a6, 1, 1), by_rule("accept", "nft-echo-request", "echo-request resolves to v6 128; 2001:db8::/32")),
        (echo4(a4, b4, 1, 1, reply=True), by_rule("accept", "aliases-echo-reply", "'pong' is iptables' echo-reply (v4 0)")),
        (echo6(a6, b6, 1, 1, reply=True), by_rule("accept", "aliases-echo-reply", "'echorep' is pf's echo-reply (v6 129)")),
        (port_unreachable4(b4, a4, quote(udp4(a4, b4, 40001, 53, ttl=64), 28)),
         by_rule("accept", "port-unreachable-both-families", "'unreach' + port-unreachable: v4 3/3")),
        (unreachable6(b6, a6, 4, v6_error_quote(udp6(a6, b6, 40001, 53, hlim=64))),
         by_rule("accept", "port-unreachable-both-families", "the same names: v6 1/4")),
        (unreachable6(b6, a6, 3, v6_error_quote(udp6(a6, b6, 40002, 53, hlim=64))),
         dropped("default", "v6 1/3 is address-unreachable, no rule names it, not protected: default drop")),
        (error4(r4, a4, 3, 3 + 10, quote(udp4(a4, b4, 40003, 53, ttl=64), 28)),
         by_rule("accept", "numeric-code", "family ipv4, type 3, code 13 by number")),
        (IP(src=b4, dst=a4) / ICMP(type=13, id=2, seq=1, **TIMESTAMPS),
         by_rule("drop", "numeric-type", "family ipv4, type 13 by number")),
        (echo6(b6, a6, 3, 1), by_rule("accept", "nft-echo-request", "the first matching rule decides")),
        (IP(src=b4, dst=a4) / ICMP(type=17, id=4, seq=1) / Raw(b"\0" * 4),
         dropped("default", "address-mask-request (v4 17, registered, deprecated): no rule, default drop")),
    ])


def golden_linktypes(kind):
    """The same echo request and a non-IP frame, framed for each supported link type.
    Policy: echo-from-documentation.policy.json (echo requests from documentation sources accepted)."""
    packet = echo4("198.51.100.20", "192.0.2.10", 0x1234, 1)
    packet6 = echo6("2001:db8:ffff::1", "2001:db8:1::10", 0x1234, 1)
    arp = ARP(op=1, hwsrc=MAC_HOST, psrc="192.0.2.10", pdst="192.0.2.1")
    echo_says = by_rule("accept", "echo-from-documentation", "an echo request from 198.51.100.0/24 or 2001:db8::/32")

    def sll(protocol, payload):  # Linux cooked v1: packet type 0 (to us), ARPHRD_ETHER, 6-byte address
        return struct.pack(">HHH8sH", 0, 1, 6, bytes.fromhex("02000000000a0000"), protocol) + bytes(payload)

    def sll2(protocol, payload):  # Linux cooked v2: protocol, reserved, ifindex 2, ARPHRD_ETHER, type, address
        return struct.pack(">HHIHBB8s", protocol, 0, 2, 1, 0, 6, bytes.fromhex("02000000000a0000")) + bytes(payload)

    # (frame, the IP packet inside it or None, statement)
    if kind == "vlan":
        c = Capture(LINKTYPE_ETHERNET)
        frames = [(Ether(src=MAC_GATEWAY, dst=MAC_HOST) / Dot1Q(vlan=100) / packet, packet, echo_says),
                  (Ether(src=MAC_GATEWAY, dst=MAC_HOST, type=0x88A8) / Dot1AD(vlan=10) / Dot1Q(vlan=100) / packet6,
                   packet6, echo_says),
                  (Ether(src=MAC_HOST, dst="ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=100) / arp, None, NOT_IP)]
    elif kind == "sll":
        c = Capture(LINKTYPE_LINUX_SLL)
        frames = [(sll(0x0800, packet), packet, echo_says), (sll(0x86DD, packet6), packet6, echo_says),
                  (sll(0x0806, arp), None, NOT_IP)]
    elif kind == "sll2":
        c = Capture(LINKTYPE_LINUX_SLL2)
        frames = [(sll2(0x0800, packet), packet, echo_says), (sll2(0x86DD, packet6), packet6, echo_says),
                  (sll2(0x0806, arp), None, NOT_IP)]
    elif kind == "raw":
        c = Capture(LINKTYPE_RAW)
        frames = [(packet, packet, echo_says), (packet6, packet6, echo_says)]
    elif kind == "null":
        c = Capture(LINKTYPE_NULL)
        frames = [(struct.pack("<I", 2) + bytes(packet), packet, echo_says),
                  (struct.pack("<I", 10) + bytes(packet6), packet6, echo_says),
                  (struct.pack("<I", 7) + bytes(packet), None, NOT_IP)]  # family 7: not IPv4 or IPv6
    elif kind == "ppp":
        # RFC 1662 HDLC-like framing (address 0xFF, control 0x03) with a two-octet protocol;
        # RFC 1661 6.5/6.6 compression: no address/control, a one-octet protocol (0x57 IPv6);
        # an LCP Echo-Request (0xC021) and an MPLS-labelled packet (0x0281): not IP.
        c = Capture(LINKTYPE_PPP)
        frames = [(b"\xff\x03\x00\x21" + bytes(packet), packet, echo_says), (b"\x57" + bytes(packet6), packet6, echo_says),
                  (b"\xff\x03\xc0\x21" + bytes.fromhex("09010008") + b"\0" * 4, None, NOT_IP),
                  (b"\xff\x03\x02\x81" + bytes.fromhex("00064140") + bytes(packet), None, NOT_IP)]
    elif kind == "pcapng":
        c = Capture(LINKTYPE_ETHERNET)
        frames = [(eth(packet), packet, echo_says), (eth(packet6), packet6, echo_says),
                  (Ether(src=MAC_HOST, dst="ff:ff:ff:ff:ff:ff") / arp, None, NOT_IP)]
    else:
        raise ValueError(kind)
    for i, (f, inner, says) in enumerate(frames):
        c.add(BASE_NS + i * 10 * MS, f, statement=says, packet=inner)
    return c


def with_first_byte(packet, value):
    data = bytearray(bytes(packet))
    data[0] = value
    return bytes(data)


def golden_ipv4_options():
    """Policy: echo-from-documentation.policy.json (default drop)."""
    a4, b4, r4 = "192.0.2.10", "198.51.100.20", "203.0.113.1"
    record_route = b"\x07\x0b\x04" + b"\0" * 8 + b"\x00"         # RR with room for 2 addresses, EOL
    timestamp = b"\x44\x0c\x05\x00" + b"\0" * 8                    # Timestamp, 2 slots
    router_alert = b"\x94\x04\x00\x00"
    echo_says = by_rule("accept", "echo-from-documentation", "an echo request from 198.51.100.0/24; the ICMP "
                        "header is found after IHL x 4 bytes (RFC 791)")
    return sequence([
        (IP(src=b4, dst=a4, options=Raw(record_route)) / ICMP(type=8, id=1, seq=1) / Raw(ECHO_PAYLOAD), echo_says),
        (IP(src=b4, dst=a4, options=Raw(timestamp + router_alert)) / ICMP(type=8, id=1, seq=2) / Raw(ECHO_PAYLOAD), echo_says),
        # An error whose quote carries options: the ports are read after the quoted IHL.
        (time_exceeded4(r4, a4, quote(IP(src=a4, dst=b4, ttl=1, options=Raw(router_alert)) / UDP(sport=40001, dport=33434) / Raw(b"\0" * 16), 32)),
         accepted("protected", "Time Exceeded, quote with a 24-byte header and its 8 UDP bytes; no rule: protected")),
        # IHL 4 (16 bytes) is below the minimum header: not a well-formed IPv4 header.
        (with_first_byte(IP(src=b4, dst=a4) / ICMP(type=8, id=1, seq=3), 0x44),
         anomaly("truncated", "IHL 4 declares a 16-byte header, below RFC 791's 20: the header does not fit its "
                 "declared length; the addresses are in the bytes, no ICMP header is read", derive=False,
                 ip_v=4, src_ip=b4, dest_ip=a4, icmp_type=ABSENT)),
        # Options run past IHL: a header that says 24 bytes, an option claiming 40.
        (IP(src=b4, dst=a4, options=Raw(b"\x07\x28\x04\x00")) / ICMP(type=8, id=1, seq=4) / Raw(ECHO_PAYLOAD),
         by_rule("accept", "echo-from-documentation", "IHL bounds the header (RFC 791); an option's own length is "
                 "not a header length: the ICMP header is at 24 and the echo is judged like any other")),
    ])


def golden_ipv6_extensions():
    """Policy: echo-from-documentation.policy.json (default drop)."""
    a6, b6, r6 = "2001:db8:1::10", "2001:db8:ffff::1", "2001:db8:f::1"
    echo = lambda seq: ICMPv6EchoRequest(id=1, seq=seq, data=ECHO_PAYLOAD)
    echo_says = lambda why: by_rule("accept", "echo-from-documentation", why)
    return sequence([
        (IPv6(src=b6, dst=a6) / IPv6ExtHdrHopByHop() / echo(1), echo_says("echo behind a Hop-by-Hop header (RFC 8200 4.3)")),
        (IPv6(src=b6, dst=a6) / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() / echo(2), echo_says("behind two headers")),
        # Routing header type 2 with a home address: the checksum uses the final destination.
        (IPv6(src=b6, dst=r6) / IPv6ExtHdrRouting(type=2, segleft=1, addresses=[a6]) / echo(3),
         echo_says("segments left 1: the checksum's destination is the routing header's (RFC 8200 8.1), so it is "
                   "not judged; the logged destination is the header's")),
        (IPv6(src=b6, dst=a6) / IPv6ExtHdrDestOpt() / IPv6ExtHdrRouting(type=4, segleft=0, addresses=[]) / echo(4),
         echo_says("a routing header with no segments left")),
        # A first fragment (offset 0, M set) carrying the ICMPv6 header.
        (IPv6(src=b6, dst=a6) / IPv6ExtHdrFragment(offset=0, m=1, id=7) / ICMPv6EchoRequest(id=1, seq=5, data=b"\0" * 200),
         echo_says("a first fragment: its header is judged, its checksum is not")),
        # A Packet Too Big whose quote has a Hop-by-Hop header before UDP.
        (ptb(r6, a6, 1280, v6_error_quote(IPv6(src=a6, dst=b6) / IPv6ExtHdrHopByHop() / UDP(sport=40001, dport=443) / Raw(b"\0" * 1400))),
         accepted("protected", "PTB 1280, the quote's ports after its Hop-by-Hop header; no rule: protected")),
        # No Next Header (59) after a Destination Options header: nothing to filter.
        (IPv6(src=b6, dst=a6, nh=60) / IPv6ExtHdrDestOpt(nh=59),
         accepted("not-icmp", "Next Header 59 (RFC 8200 4.7): no upper layer, not ICMP")),
        # A chain cut short: a Hop-by-Hop header claiming more bytes than the packet has.
        (IPv6(src=b6, dst=a6) / IPv6ExtHdrHopByHop(len=20) / echo(6),
         anomaly("truncated", "a Hop-by-Hop header of 168 bytes in a 72-byte payload: the upper layer is never reached")),
    ])


def golden_not_icmp():
    """Policy: not-icmp.policy.json (default drop, no rules): not-icmp is accepted whatever the default."""
    a4, b4 = "192.0.2.10", "198.51.100.20"
    a6, b6 = "2001:db8:1::10", "2001:db8:ffff::1"
    return sequence([
        (ARP(op=1, hwsrc=MAC_HOST, psrc=a4, pdst="192.0.2.1"), NOT_IP),
        (IP(src=a4, dst=b4) / TCP(sport=44330, dport=443, flags="S"), accepted("not-icmp", "TCP over IPv4")),
        (IPv6(src=a6, dst=b6) / UDP(sport=40000, dport=53) / Raw(b"\0" * 20), accepted("not-icmp", "UDP over IPv6")),
        (IP(src=a4, dst=b4, proto=47) / Raw(b"\0" * 24), accepted("not-icmp", "GRE (47): logged as the string \"47\"")),
        # ICMPv6 carried in IPv4 (wrong family; that anomaly is off by default).
        (IP(src=a4, dst=b4, proto=58) / Raw(bytes(ICMPv6EchoRequest(id=1, seq=1))),
         accepted("not-icmp", "ICMPv6 in IPv4: wrong-family is listed but off by default", anomalies=["wrong-family"])),
    ])


# ---- monitor mode ------------------------------------------------------------------------

def would_be(scope, verdict, reason, rule=None, limiter=None):
    """icmpgate.monitor (docs/log-format.md): what a monitor rule (scope "rule") or the whole policy
    under --monitor (scope "policy") would have decided."""
    said = {"scope": scope, "verdict": verdict, "reason": reason, "rule": rule}
    if limiter is not None:
        said["limiter"] = limiter
    return said


def golden_monitor_rules():
    """Policy: monitor-rules.policy.json, rules in monitor mode beside enforced ones (docs/policy.md,
    "Monitor mode"): a monitor rule that matches records what it would decide and evaluation goes
    on; its rate limit (trial-echo: 1/s, burst 2, per source /32 and /128) is its own. Frames 10 ms
    apart."""
    lan1, lan2, lan9, remote, outside, router = ("192.0.2.1", "192.0.2.2", "192.0.2.9", "198.51.100.20",
                                                 "203.0.113.9", "203.0.113.1")
    echo_ok = "the enforced rule echo accepts (its bucket of 10 has tokens)"
    try_echo = lambda verdict="accept", reason="rule", limiter=None: would_be(
        "rule", verdict, reason, "try-echo-per-source", limiter)
    return sequence([
        (echo4(lan1, remote, 1, 1), by_rule("accept", "echo", "try-echo-per-source matches first: its fresh bucket "
                                            "for 192.0.2.1 (2 -> 1) would accept; then " + echo_ok,
                                            monitor=try_echo())),
        (echo4(lan1, remote, 1, 2), by_rule("accept", "echo", "192.0.2.1's trial bucket 1 -> 0 (10 ms refill 0.01); "
                                            + echo_ok, monitor=try_echo())),
        (echo4(lan1, remote, 1, 3), by_rule("accept", "echo", "192.0.2.1's trial bucket holds 0.02 of a token: the "
                                            "monitor rule would drop (rate-limit), its limiter alone spent; " + echo_ok,
                                            monitor=try_echo("drop", "rate-limit", "trial-echo"))),
        (echo4(lan2, remote, 2, 1), by_rule("accept", "echo", "192.0.2.2 has a trial bucket of its own; " + echo_ok,
                                            monitor=try_echo())),
        (time_exceeded4(router, lan1, quote(udp4(lan1, remote, 40001, 33434), 28)),
         accepted("protected", "try-drop-time-exceeded (monitor) would drop it; no enforced rule matches, so "
                  "protection accepts it (a monitor rule lifts no protection)",
                  monitor=would_be("rule", "drop", "rule", "try-drop-time-exceeded"))),
        (IP(src=lan9, dst=remote) / ICMP(type=13, id=9, seq=1, **TIMESTAMPS),
         dropped("default", "try-timestamp-from-lan (monitor) would accept; no enforced rule: the default drops",
                 monitor=would_be("rule", "accept", "rule", "try-timestamp-from-lan"))),
        (IP(src=outside, dst=remote) / ICMP(type=13, id=10, seq=1, **TIMESTAMPS),
         dropped("default", "from outside 192.0.2.0/24: no monitor rule matches, no monitor object")),
        (echo4(remote, lan1, 1, 1, reply=True),
         by_rule("accept", "echo-reply", "echo-reply decides; try-drop-replies after it is never reached")),
        (IP(src=lan1, dst=remote) / ICMP(type=8, id=1, seq=4, chksum=0x1234) / Raw(ECHO_PAYLOAD),
         anomaly("bad-checksum", "an anomaly decides before any rule, monitor rules included")),
        (echo6("2001:db8:1::1", "2001:db8:ffff::1", 11, 1),
         by_rule("accept", "echo", "2001:db8:1::1's fresh trial bucket (/128) would accept; " + echo_ok,
                 monitor=try_echo())),
    ])


def golden_monitor_mode():
    """Policy: monitor-mode.policy.json, replayed with --monitor (monitor-mode.replay-args): every
    frame is accepted with reason monitor, and icmpgate.monitor (scope "policy") says what the
    policy decided (docs/log-format.md, "Monitor mode"). The policy drops echo requests by rule,
    accepts echo replies while its limiter (1/s, burst 1) has a token; its monitor rule's would-be
    gives way to the policy's decision. Frames 10 ms apart."""
    a, b, router = "192.0.2.10", "198.51.100.20", "203.0.113.1"
    monitored = lambda why, verdict, reason, rule=None, limiter=None, **kw: Says(
        "accept", "monitor", why, monitor=would_be("policy", verdict, reason, rule, limiter), **kw)
    return sequence([
        (echo4(a, b, 1, 1), monitored("drop-echo would drop it; accepted", "drop", "rule", "drop-echo")),
        (echo4(b, a, 1, 1, reply=True), monitored("echo-reply has its token", "accept", "rule", "echo-reply")),
        (echo4(b, a, 1, 2, reply=True),
         monitored("10 ms later the replies bucket (burst 1, 1/s) is empty: a rate-limit drop, not enforced",
                   "drop", "rate-limit", "echo-reply", "replies")),
        (IP(src=a, dst=b) / ICMP(type=13, id=2, seq=1, **TIMESTAMPS),
         monitored("try-drop-timestamps is a monitor rule; the policy's decision is the default's, and with "
                   "--monitor that decision is the one recorded", "drop", "default")),
        (IP(src=b, dst=a) / ICMP(type=8, id=3, seq=1, chksum=0x1234) / Raw(ECHO_PAYLOAD),
         monitored("bad-checksum would drop it", "drop", "anomaly:bad-checksum", anomalies=["bad-checksum"])),
        (time_exceeded4(router, a, quote(udp4(a, b, 40001, 33434), 28)),
         monitored("Time Exceeded: no rule, protected", "accept", "protected")),
        (IP(src=a, dst=b) / TCP(sport=44330, dport=443, flags="S"), monitored("TCP: not-icmp", "accept", "not-icmp")),
        (ARP(op=1, hwsrc=MAC_HOST, psrc=a, pdst="192.0.2.1"),
         Says("accept", "monitor", "not IP: not-icmp, accepted either way", derive=False,
              monitor=would_be("policy", "accept", "not-icmp"), ip_v=ABSENT, src_ip=ABSENT, dest_ip=ABSENT,
              proto=ABSENT, icmp_type=ABSENT)),
    ])


# ---- RFC 4884 extension structures (extensions.pcap) -----------------------------------

def ext_object(class_num, c_type, payload):
    """RFC 4884 8: length (header included), class, C-Type, then the payload."""
    return struct.pack("!HBB", 4 + len(payload), class_num, c_type) + payload


def ext_structure(objects, checksum=True):
    """RFC 4884 7: version 2, reserved, a checksum over the whole structure (scapy's RFC 1071
    code), then the objects; checksum=False leaves it 0 (none sent), "wrong" breaks it."""
    body = bytes([0x20, 0, 0, 0]) + b"".join(objects)
    if checksum is False:
        return body
    value = scapy_checksum(body)
    if checksum == "wrong":
        value ^= 0x0001
    return body[:2] + struct.pack("!H", value) + body[4:]


def mpls_stack(entries):
    """RFC 4950 2.1: class 1, C-Type 1; each entry (label, tc, bottom of stack, ttl) one word."""
    return ext_object(1, 1, b"".join(struct.pack("!I", label << 12 | tc << 9 | s << 8 | ttl)
                                     for label, tc, s, ttl in entries))


def interface_info(role, ifindex=None, address=None, name=None, mtu=None):
    """RFC 5837 4: class 2, C-Type = role << 6 | ifIndex 8 | address 4 | name 2 | MTU 1, then the
    parts in that order; a name is a length octet (itself included, a multiple of 4), NUL-padded."""
    c_type, parts = role << 6, b""
    if ifindex is not None:
        c_type |= 0x08
        parts += struct.pack("!I", ifindex)
    if address is not None:
        c_type |= 0x04
        packed = socket.inet_pton(socket.AF_INET6 if ":" in address else socket.AF_INET, address)
        parts += struct.pack("!HH", 2 if len(packed) == 16 else 1, 0) + packed
    if name is not None:
        c_type |= 0x02
        raw = name.encode() if isinstance(name, str) else name
        length = (1 + len(raw) + 3) // 4 * 4
        parts += bytes([length]) + raw + b"\0" * (length - 1 - len(raw))
    if mtu is not None:
        c_type |= 0x01
        parts += struct.pack("!I", mtu)
    return ext_object(2, c_type, parts)


def original_datagram(packet, length=128):
    """RFC 4884 4.1: the quote, zero-padded (or cut) to the length attribute's bytes."""
    data = bytes(packet)[:length]
    return data + b"\0" * (length - len(data))


def golden_extensions():
    """Multi-part ICMP errors (RFC 4884) from routers on an MPLS path: label stacks (RFC 4950)
    and interface information (RFC 5837), announced by a length attribute or found 128 octets
    in, with and without a checksum, more objects than icmpgate lists, and a broken structure.
    Policy: default drop, bad-extension drops, so Time Exceeded is accepted as protected
    (RFC 4890 4.3.1 / docs/policy.md) and the Destination Unreachables fall to the default.
    The statements say what docs/log-format.md's icmpgate.extensions holds for each structure:
    at most 8 labels and 4 interface objects listed, every one counted."""
    a4, b4, r4 = "192.0.2.10", "198.51.100.20", "203.0.113.1"
    a6, b6, r6 = "2001:db8:1::10", "2001:db8:ffff::1", "2001:db8:f::1"
    probe4 = original_datagram(udp4(a4, b4, 40001, 33434))
    probe6 = original_datagram(udp6(a6, b6, 40001, 33434))
    te4 = lambda extension, length=32: IP(src=r4, dst=a4) / ICMP(type=11, code=0, length=length) / Raw(probe4 + extension)
    roles = ["incoming", "incoming-sub-ip", "outgoing", "next-hop"]

    def labels(entries):
        return [{"label": label, "tc": tc, "s": bool(s), "ttl": ttl} for label, tc, s, ttl in entries]

    def interface(role, ifindex=None, address=None, name=None, mtu=None):
        said = {"role": roles[role]}
        for key, value in (("ifindex", ifindex), ("address", address), ("name", name), ("mtu", mtu)):
            if value is not None:
                said[key] = value
        return said

    def extensions(announced, checksum, objects, mpls=None, interfaces=None):
        said = {"announced": announced, "checksum": checksum, "objects": objects}
        if mpls is not None:
            said.update({"mpls_labels": len(mpls), "mpls": labels(mpls[:8])})
        if interfaces is not None:
            said.update({"interface_objects": len(interfaces), "interfaces": [interface(*i) for i in interfaces[:4]]})
        return said

    protected = "Time Exceeded is protected (traceroute) and no anomaly applies"
    default = "Destination Unreachable matches no rule: the default (drop) decides"
    stack1 = [(16, 0, 0, 1), (100704, 5, 1, 254)]
    if1 = (0, 15, r4, "ge-0/0/1.0", 1500)
    stack2 = [(299776, 0, 1, 1)]
    if3 = [(2, None, r6, 'uplink "A" \u00e9'), (0, 4, None, None, 9000)]
    stack4 = [(1000 + i, 0, int(i == 9), 64) for i in range(10)]
    if5 = [(0, 1, None, "x" * 63)] + [(role, role + 1) for role in range(1, 4)] + [(3, 5)]
    return sequence([
        # 1 the label stack a probe arrived with and the interface it arrived on.
        (te4(ext_structure([mpls_stack(stack1), interface_info(*if1)])),
         accepted("protected", protected, extensions=extensions(True, "valid", 2, stack1, [if1]))),
        # 2 RFC 4884 5: no length attribute, the structure 128 octets in (older MPLS routers).
        (te4(ext_structure([mpls_stack(stack2)]), length=0),
         accepted("protected", protected, extensions=extensions(False, "valid", 1, stack2))),
        # 3 a port unreachable naming its outgoing interface by IPv6 address and a name to escape,
        #   the incoming one by ifIndex and MTU, and an object class icmpgate does not read.
        (IP(src=b4, dst=a4) / ICMP(type=3, code=3, length=32) / Raw(
            original_datagram(udp4(a4, b4, 40002, 53, ttl=64)) +
            ext_structure([interface_info(*if3[0]), interface_info(*if3[1]), ext_object(200, 1, struct.pack("!I", 7))])),
         dropped("default", default, extensions=extensions(True, "valid", 3, interfaces=if3))),
        # 4 ICMPv6 (length in 64-bit words): ten labels, eight listed; no checksum sent.
        (IPv6(src=r6, dst=a6) / ICMPv6TimeExceeded(code=0, length=16) / Raw(
            probe6 + ext_structure([mpls_stack(stack4)], checksum=False)),
         accepted("protected", protected, extensions=extensions(True, "none", 1, stack4))),
        # 5 five interface objects, four listed; a name of 63 octets fills its sub-object.
        (IPv6(src=r6, dst=a6) / ICMPv6DestUnreach(code=4, length=16) / Raw(
            probe6 + ext_structure([interface_info(*i) for i in if5])),
         dropped("default", default, extensions=extensions(True, "valid", 5, interfaces=if5))),
        # 6 a structure whose checksum does not verify: bad-extension, nothing logged of it.
        (te4(ext_structure([mpls_stack([(16, 0, 1, 1)])], checksum="wrong")),
         anomaly("bad-extension", "the extension checksum does not verify (RFC 4884 7)", extensions=ABSENT)),
    ])

def write_all(root):
    golden = os.path.join(root, "tests", "golden")
    samples = os.path.join(root, "deploy", "samples")
    os.makedirs(golden, exist_ok=True)
    os.makedirs(samples, exist_ok=True)
    os.makedirs(os.path.join(golden, "cli"), exist_ok=True)
    # Golden cases: capture file and its statements. gateway-sample's capture is the shipped sample
    # (tests/golden/gateway-sample.pcap links to it).
    cases = {
        "gateway-sample": (os.path.join(samples, "gateway-sample.pcap"), write_pcap, gateway_sample()),
        "anomalies": (None, write_pcap, golden_anomalies()),
        "anomaly-overrides": (None, write_pcap, golden_anomaly_overrides()),
        "protected": (None, write_pcap, protected_frames(override=False)),
        "protected-override": (None, write_pcap, protected_frames(override=True)),
        "ratelimit": (None, write_pcap, golden_ratelimit()),
        "names": (None, write_pcap, golden_names()),
        "ipv4-options": (None, write_pcap, golden_ipv4_options()),
        "ipv6-extensions": (None, write_pcap, golden_ipv6_extensions()),
        "not-icmp": (None, write_pcap, golden_not_icmp()),
        "monitor-rules": (None, write_pcap, golden_monitor_rules()),
        "monitor-mode": (None, write_pcap, golden_monitor_mode()),
        "extensions": (None, write_pcap, golden_extensions()),
    }
    for kind in ("vlan", "sll", "sll2", "raw", "null", "ppp"):
        cases[f"linktype-{kind}"] = (None, write_pcap, golden_linktypes(kind))
    cases["linktype-pcapng"] = (None, write_pcapng, golden_linktypes("pcapng"))
    for case, (path, writer, capture) in cases.items():
        path = path or os.path.join(golden, f"{case}.pcap")
        writer(path, capture)
        write_statements(os.path.join(golden, f"{case}.statements.jsonl"), capture)
        print(f"{os.path.relpath(path, root)}: {len(capture.frames)} frames, each with its statement")
    # Not a golden case (no .pcap suffix): an unsupported link type for the CLI tests.
    wlan = Capture(LINKTYPE_IEEE802_11)
    wlan.add(BASE_NS, b"\x08\x00" + b"\0" * 22)
    path = os.path.join(golden, "cli", "unsupported-linktype.cap")
    write_pcap(path, wlan)
    print(f"{os.path.relpath(path, root)}: {len(wlan.frames)} frames")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(here)),
                        help="repository root (default: two levels above this script)")
    write_all(parser.parse_args().root)


if __name__ == "__main__":
    main()
