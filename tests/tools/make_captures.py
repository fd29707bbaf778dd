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

Each golden case's policy (<case>.policy.json, or <case>.policy naming another file) and
expected records (<case>.expected.jsonl) live next to its capture; see run_golden.py.
"""

import argparse
import logging
import os
import socket
import struct

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.all import (  # noqa: E402  (after silencing scapy's start-up warnings)
    ARP, ICMP, IP, TCP, UDP, Dot1AD, Dot1Q, Ether, ICMPv6DestUnreach, ICMPv6EchoReply,
    ICMPv6EchoRequest, ICMPv6PacketTooBig, ICMPv6ParamProblem, ICMPv6TimeExceeded, IPv6,
    IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, Raw)
from scapy.utils import checksum as scapy_checksum  # noqa: E402

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
    """Frames in order: (time in ns since the epoch, bytes, length on the wire)."""

    def __init__(self, linktype=LINKTYPE_ETHERNET):
        self.linktype = linktype
        self.frames = []

    def add(self, t_ns, frame, wire_length=None):
        data = bytes(frame)
        self.frames.append((t_ns, data, wire_length if wire_length is not None else len(data)))


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
    and the Internet, run through deploy/policies/default.json by the README's demo."""
    lan1, lan2, lan3 = "192.0.2.10", "192.0.2.11", "192.0.2.12"
    remote, remote2, pinger = "198.51.100.20", "203.0.113.5", "198.51.100.66"
    router4, router4b = "203.0.113.1", "198.51.100.1"
    lan6, lan6b, remote6, router6 = "2001:db8:1::10", "2001:db8:1::11", "2001:db8:ffff::1", "2001:db8:f::1"
    c = Capture()
    t = BASE_NS

    def add(packet, gap_ns=20 * MS, wire_length=None):
        nonlocal t
        c.add(t, packet, wire_length)
        t += gap_ns

    # Ordinary pings, both families, both directions.
    add(eth(echo4(lan1, remote, 0x1A2B, 1)))
    add(eth(echo4(remote, lan1, 0x1A2B, 1, reply=True)))
    add(eth(echo6(lan6, remote6, 0x0777, 1)))
    add(eth(echo6(remote6, lan6, 0x0777, 1, reply=True)))
    add(eth(echo4(remote2, lan2, 0x2001, 1)))
    add(eth(echo4(lan2, remote2, 0x2001, 1, reply=True)))
    add(eth(echo6(lan6b, remote6, 0x0778, 1)))
    add(eth(echo6(remote6, lan6b, 0x0778, 1, reply=True)))
    # One source floods echo requests, 44 in 8.6 ms: the default policy's echo-per-source
    # limiter (burst 40, 20/s) accepts 40 and drops the rest.
    for seq in range(1, 45):
        add(eth(echo4(pinger, lan1, 0x0BAD, seq)), gap_ns=200_000)
    t += 20 * MS
    # Traceroute from inside: Time Exceeded about a UDP probe and about an ICMP probe.
    add(eth(time_exceeded4(router4, lan1, quote(udp4(lan1, remote, 40001, 33434), 28))))
    add(eth(time_exceeded4(router4, lan1, quote(echo4(lan1, remote, 0x3003, 1, ttl=1), 28))))
    add(eth(time_exceeded6(router6, lan6, v6_error_quote(udp6(lan6, remote6, 40002, 33435)))))
    # Path MTU discovery: a sane MTU, and a forged tiny one (an attack on TCP's MSS).
    add(eth(frag_needed(router4, lan1, 1400, quote(tcp4(lan1, remote, 44321, 443), 28))))
    add(eth(frag_needed(router4, lan1, 40, quote(tcp4(lan1, remote, 44322, 443), 28))))
    add(eth(ptb(router6, lan6, 1280, v6_error_quote(tcp6(lan6, remote6, 44323, 443)))))
    add(eth(ptb(router6, lan6, 1000, v6_error_quote(tcp6(lan6, remote6, 44324, 443)))))
    # A closed port, a redirect, an error about an error, and a forged quote.
    add(eth(port_unreachable4(remote, lan1, quote(udp4(lan1, remote, 53001, 53, ttl=64), 28))))
    add(eth(error4("192.0.2.1", lan1, 5, 1, quote(echo4(lan1, remote, 0x4004, 1), 28), gw="192.0.2.254")))
    add(eth(error4(router4b, lan1, 3, 1, quote(port_unreachable4(lan1, remote, quote(udp4(remote, lan1, 53, 53002), 28)), 28))))
    add(eth(time_exceeded4(router4, lan1, quote(udp4("192.0.2.99", remote, 40003, 33436), 28))))
    # Damage: a bad checksum and a truncated packet (Total Length beyond the bytes).
    add(eth(IP(src=remote2, dst=lan1) / ICMP(type=8, id=0x5005, seq=1, chksum=0x1234) / Raw(ECHO_PAYLOAD)))
    add(eth(IP(src=remote2, dst=lan1, len=200) / ICMP(type=8, id=0x5006, seq=1) / Raw(ECHO_PAYLOAD)))
    # The second fragment of a large echo reply: no ICMP header to judge.
    add(eth(IP(src=remote, dst=lan3, proto=1, frag=185, id=0x7777) / Raw(b"\0" * 520)))
    # Not ICMP: ARP and a TCP segment (the queue rules never send these; captures have them).
    add(eth(ARP(op=1, hwsrc=MAC_HOST, psrc=lan1, pdst="192.0.2.1"), src=MAC_HOST, dst="ff:ff:ff:ff:ff:ff"))
    add(eth(IP(src=lan1, dst=remote) / TCP(sport=44330, dport=443, flags="S")))
    # IPv6 echo behind a Hop-by-Hop and a Destination Options header.
    add(eth(IPv6(src=lan6, dst=remote6) / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt()
            / ICMPv6EchoRequest(id=0x0779, seq=1, data=ECHO_PAYLOAD)))
    add(eth(unreachable6(router6, lan6, 1, v6_error_quote(udp6(lan6, remote6, 40004, 53, hlim=64)))))
    add(eth(IP(src=remote2, dst=lan1) / ICMP(type=13, id=0x6006, seq=1, **TIMESTAMPS)))
    # Two seconds later the flooding source's bucket has refilled.
    t += 2 * SECOND
    add(eth(echo4(pinger, lan1, 0x0BAD, 45)))
    add(eth(echo4(lan1, pinger, 0x0BAD, 45, reply=True)))
    return c


# ---- golden cases --------------------------------------------------------------------

def sequence(packets, gap_ms=10, linktype=LINKTYPE_ETHERNET, wrap=eth):
    c = Capture(linktype)
    for i, p in enumerate(packets):
        c.add(BASE_NS + i * gap_ms * MS, wrap(p) if wrap else p)
    return c


def golden_anomalies():
    """One frame per contract anomaly (both families where it applies), precedence pairs,
    legal look-alikes, an extra anomaly that is off, and a snaplen cut that is not truncation.
    Policy: default accept, no rules, so only anomalies (and protection) can drop."""
    a4, b4, r4 = "192.0.2.10", "198.51.100.20", "203.0.113.1"
    a6, b6, r6 = "2001:db8:1::10", "2001:db8:ffff::1", "2001:db8:f::1"
    udp_probe = quote(udp4(a4, b4, 40001, 33434), 28)
    udp6_probe = v6_error_quote(udp6(a6, b6, 40001, 33434))
    c = Capture()
    frames = [
        # 1-2 truncated: Total Length / Payload Length beyond the bytes.
        IP(src=b4, dst=a4, len=200) / ICMP(type=8, id=1, seq=1) / Raw(ECHO_PAYLOAD),
        IPv6(src=b6, dst=a6, plen=300) / ICMPv6EchoRequest(id=1, seq=1, data=ECHO_PAYLOAD),
        # 3 truncated and a bad checksum: truncated wins (the checksum cannot be judged).
        IP(src=b4, dst=a4, len=200) / ICMP(type=8, id=1, seq=2, chksum=0xBEEF) / Raw(ECHO_PAYLOAD),
        # 4-5 bad-checksum
        IP(src=b4, dst=a4) / ICMP(type=8, id=1, seq=3, chksum=0xBEEF) / Raw(ECHO_PAYLOAD),
        IPv6(src=b6, dst=a6) / ICMPv6EchoRequest(id=1, seq=3, cksum=0xBEEF, data=ECHO_PAYLOAD),
        # 6-7 error-about-error: an unreachable quoting an unreachable; a v6 Time Exceeded quoting a v6 error.
        error4(r4, a4, 3, 1, quote(port_unreachable4(a4, b4, quote(udp4(b4, a4, 53, 40000), 28)), 28)),
        time_exceeded6(r6, a6, v6_error_quote(unreachable6(a6, b6, 4, v6_error_quote(udp6(b6, a6, 53, 40000))))),
        # 8 legal: an error quoting an echo request (default accept).
        error4(r4, a4, 3, 1, quote(echo4(a4, b4, 7, 1), 28)),
        # 9-11 bad-embedded: a quote too short for IP + 8 bytes; a v6 quote in a v4 error; a v4 quote in v6.
        port_unreachable4(b4, a4, quote(udp4(a4, b4, 40001, 53), 24)),
        port_unreachable4(b4, a4, quote(udp6(a6, b6, 40001, 53), 48)),
        unreachable6(b6, a6, 4, quote(udp4(a4, b4, 40001, 53), 28)),
        # 12-13 embedded-mismatch: the quoted source is not the error's destination.
        time_exceeded4(r4, a4, quote(udp4("192.0.2.99", b4, 40001, 33434), 28)),
        time_exceeded6(r6, a6, v6_error_quote(udp6("2001:db8:1::99", b6, 40001, 33434))),
        # 14 error-about-error and embedded-mismatch: error-about-error comes first.
        error4(r4, a4, 3, 1, quote(port_unreachable4("192.0.2.99", b4, quote(udp4(b4, "192.0.2.99", 53, 40000), 28)), 28)),
        # 15-20 implausible-mtu: MTU 40 (1..67), MTU not below the quoted length, a quote without DF,
        # PTB 1000 (< 1280), PTB not below the quoted length; and MTU 0 (RFC 1191 old style) is legal.
        frag_needed(r4, a4, 40, quote(tcp4(a4, b4, 44321, 443), 28)),
        frag_needed(r4, a4, 1500, quote(tcp4(a4, b4, 44322, 443, length=1500), 28)),
        frag_needed(r4, a4, 1400, quote(tcp4(a4, b4, 44323, 443, df=False), 28)),
        ptb(r6, a6, 1000, v6_error_quote(tcp6(a6, b6, 44324, 443))),
        ptb(r6, a6, 1500, v6_error_quote(tcp6(a6, b6, 44325, 443, length=1400))),
        frag_needed(r4, a4, 0, quote(tcp4(a4, b4, 44326, 443), 28)),
        # 21-22 quoted-fragment: errors quoting non-first fragments.
        port_unreachable4(b4, a4, quote(IP(src=a4, dst=b4, proto=17, frag=100) / Raw(b"\0" * 64), 28)),
        unreachable6(b6, a6, 4, v6_error_quote(IPv6(src=a6, dst=b6) / IPv6ExtHdrFragment(offset=100, m=0, nh=17) / Raw(b"\0" * 64))),
        # 23-24 quoted-multicast: errors about packets sent to multicast groups.
        port_unreachable4(b4, a4, quote(udp4(a4, "224.0.0.251", 5353, 5353), 28)),
        unreachable6(b6, a6, 4, v6_error_quote(udp6(a6, "ff02::fb", 5353, 5353))),
        # 25-26 RFC 4443 2.4(e) exceptions: PTB and Parameter Problem code 2 about multicast are legal.
        ptb(r6, a6, 1280, v6_error_quote(udp6(a6, "ff0e::101", 5000, 5000, payload=b"\0" * 1400))),
        IPv6(src=b6, dst=a6) / ICMPv6ParamProblem(code=2, ptr=40) / Raw(v6_error_quote(udp6(a6, "ff0e::101", 5000, 5000))),
        # 27-28 fragment: non-first fragments (accepted by default).
        IP(src=b4, dst=a4, proto=1, frag=185, id=0x4242) / Raw(b"\0" * 64),
        IPv6(src=b6, dst=a6) / IPv6ExtHdrFragment(offset=185, m=0, nh=58, id=0x4242) / Raw(b"\0" * 64),
        # 29 a first fragment: an ICMP header but an incomplete message (checksum not judged).
        IP(src=b4, dst=a4, flags="MF", id=0x4343) / ICMP(type=8, id=1, seq=9, chksum=0xBEEF) / Raw(ECHO_PAYLOAD),
        # 30 an unassigned type: the extra anomaly unknown-type is off, so the default decides.
        IP(src=b4, dst=a4) / ICMP(type=99, code=0) / Raw(b"\0" * 8),
    ]
    for i, p in enumerate(frames):
        c.add(BASE_NS + i * 10 * MS, eth(p))
    # 31 a snaplen cut: 60 of 98 bytes captured. Not truncated; the checksum cannot be judged.
    cut = bytes(eth(IP(src=b4, dst=a4) / ICMP(type=8, id=1, seq=10, chksum=0xBEEF) / Raw(ECHO_PAYLOAD)))
    c.frames.append((BASE_NS + len(frames) * 10 * MS, cut[:60], len(cut)))
    # 32 a snaplen cut inside a Time Exceeded's quote: the quote ran out because of the
    # capture, not the sender, so it is not bad-embedded (and the error stays protected).
    cut = bytes(eth(time_exceeded4(r4, a4, udp_probe)))
    c.frames.append((BASE_NS + (len(frames) + 1) * 10 * MS, cut[:14 + 20 + 8 + 24], len(cut)))
    return c


def golden_anomaly_overrides():
    """The policy changes anomaly actions: fragment and two extra anomalies drop, a bad
    checksum is accepted (still with reason anomaly:bad-checksum)."""
    a4, b4 = "192.0.2.10", "198.51.100.20"
    b6, a6 = "2001:db8:ffff::1", "2001:db8:1::10"
    return sequence([
        IP(src=b4, dst=a4, proto=1, frag=185, id=0x4242) / Raw(b"\0" * 64),
        IP(src=b4, dst=a4) / ICMP(type=8, id=1, seq=1, chksum=0xBEEF) / Raw(ECHO_PAYLOAD),
        IP(src=b4, dst=a4) / ICMP(type=99, code=0) / Raw(b"\0" * 8),
        IP(src=b4, dst=a4, proto=58) / Raw(bytes(ICMPv6EchoRequest(id=1, seq=1))),
        IP(src=b4, dst=a4, len=200) / ICMP(type=8, id=1, seq=2) / Raw(ECHO_PAYLOAD),
        echo6(b6, a6, 1, 3),
    ])


def protected_frames():
    """Protected types (accepted though the default drops) and ordinary errors (dropped)."""
    a4, b4, r4 = "192.0.2.10", "198.51.100.20", "203.0.113.1"
    a6, b6, r6 = "2001:db8:1::10", "2001:db8:ffff::1", "2001:db8:f::1"
    return sequence([
        frag_needed(r4, a4, 1400, quote(tcp4(a4, b4, 44321, 443), 28)),
        time_exceeded4(r4, a4, quote(udp4(a4, b4, 40001, 33434), 28)),
        error4(r4, a4, 11, 1, quote(IP(src=a4, dst=b4, flags="MF", proto=17) / Raw(b"\0" * 64), 28)),
        ptb(r6, a6, 1280, v6_error_quote(tcp6(a6, b6, 44322, 443))),
        time_exceeded6(r6, a6, v6_error_quote(udp6(a6, b6, 40002, 33435))),
        port_unreachable4(b4, a4, quote(udp4(a4, b4, 40003, 53, ttl=64), 28)),
        error4(r4, a4, 3, 1, quote(udp4(a4, b4, 40004, 53, ttl=64), 28)),
        unreachable6(b6, a6, 4, v6_error_quote(udp6(a6, b6, 40005, 53, hlim=64))),
        echo6(b6, a6, 3, 1),
        # A forged Frag Needed stays an anomaly: protection only covers well-formed ones.
        frag_needed(r4, a4, 40, quote(tcp4(a4, b4, 44323, 443), 28)),
    ])


def golden_ratelimit():
    """Token buckets on capture time. echo-per-24: rate 1/s, burst 2, per source /24 and /64.
    unreach: two limiters on one rule (global burst 4, per source burst 3, both 1/s)."""
    c = Capture()
    t0 = BASE_NS
    frames = [
        # Burst: two tokens at t0 (192.0.2.1 and 192.0.2.2 share the /24 bucket), then denial.
        (t0, echo4("192.0.2.1", "198.51.100.20", 1, 1)),
        (t0, echo4("192.0.2.2", "198.51.100.20", 2, 1)),
        (t0, echo4("192.0.2.1", "198.51.100.20", 1, 2)),
        # Another /24 has its own bucket.
        (t0 + 1 * MS, echo4("192.0.3.1", "198.51.100.20", 3, 1)),
        # 1 ns before one token has refilled: still denied; exactly 1/rate s later: accepted, once.
        (t0 + SECOND - 1, echo4("192.0.2.3", "198.51.100.20", 4, 1)),
        (t0 + SECOND, echo4("192.0.2.3", "198.51.100.20", 4, 2)),
        (t0 + SECOND, echo4("192.0.2.3", "198.51.100.20", 4, 3)),
        # IPv6 /64 aggregation: ::1 and ::2 share a bucket, 2001:db8:2::1 does not.
        (t0 + 2 * SECOND, echo6("2001:db8:1::1", "2001:db8:ffff::1", 5, 1)),
        (t0 + 2 * SECOND, echo6("2001:db8:1::2", "2001:db8:ffff::1", 6, 1)),
        (t0 + 2 * SECOND, echo6("2001:db8:1::1", "2001:db8:ffff::1", 5, 2)),
        (t0 + 2 * SECOND, echo6("2001:db8:2::1", "2001:db8:ffff::1", 7, 1)),
    ]
    # Two limiters: A takes 3 (its burst), the 4th is denied by the per-source limiter and
    # takes no global token; B takes the last global token, then is denied by the global one.
    a, b, dst = "203.0.113.10", "203.0.113.20", "192.0.2.10"
    unreach = lambda src, port: port_unreachable4(src, dst, quote(udp4(dst, src, port, 53, ttl=64), 28))
    t1 = t0 + 10 * SECOND
    for i in range(4):
        frames.append((t1, unreach(a, 40000 + i)))
    frames.append((t1, unreach(b, 40010)))
    frames.append((t1, unreach(b, 40011)))
    # One second later both buckets of B's path have a token again.
    frames.append((t1 + SECOND, unreach(b, 40012)))
    for t, p in frames:
        c.add(t, eth(p))
    return c


def golden_names():
    """Rules written with nftables names, iptables aliases and numbers (see names.policy.json)."""
    a4, b4, r4 = "192.0.2.10", "198.51.100.20", "203.0.113.1"
    a6, b6 = "2001:db8:1::10", "2001:db8:ffff::1"
    return sequence([
        echo4(b4, a4, 1, 1),                                                          # "echo-request"
        echo6(b6, a6, 1, 1),                                                          # "echo-request" (v6)
        echo4(a4, b4, 1, 1, reply=True),                                              # "pong"
        echo6(a6, b6, 1, 1, reply=True),                                              # "echorep"
        port_unreachable4(b4, a4, quote(udp4(a4, b4, 40001, 53, ttl=64), 28)),        # port-unreachable: v4 3/3
        unreachable6(b6, a6, 4, v6_error_quote(udp6(a6, b6, 40001, 53, hlim=64))),    # port-unreachable: v6 1/4
        unreachable6(b6, a6, 3, v6_error_quote(udp6(a6, b6, 40002, 53, hlim=64))),    # v6 1/3: not a port-unreachable
        error4(r4, a4, 3, 3 + 10, quote(udp4(a4, b4, 40003, 53, ttl=64), 28)),       # v4 3/13 by number
        IP(src=b4, dst=a4) / ICMP(type=13, id=2, seq=1, **TIMESTAMPS),                              # type 13 by number (ipv4)
        echo6(b6, a6, 3, 1),                                                          # echo again: the first rule
        IP(src=b4, dst=a4) / ICMP(type=17, id=4, seq=1) / Raw(b"\0" * 4),              # address mask: no rule
    ])


def golden_linktypes(kind):
    """The same echo request and a non-IP frame, framed for each supported link type."""
    packet = echo4("198.51.100.20", "192.0.2.10", 0x1234, 1)
    packet6 = echo6("2001:db8:ffff::1", "2001:db8:1::10", 0x1234, 1)
    arp = ARP(op=1, hwsrc=MAC_HOST, psrc="192.0.2.10", pdst="192.0.2.1")

    def sll(protocol, payload):  # Linux cooked v1: packet type 0 (to us), ARPHRD_ETHER, 6-byte address
        return struct.pack(">HHH8sH", 0, 1, 6, bytes.fromhex("02000000000a0000"), protocol) + bytes(payload)

    def sll2(protocol, payload):  # Linux cooked v2: protocol, reserved, ifindex 2, ARPHRD_ETHER, type, address
        return struct.pack(">HHIHBB8s", protocol, 0, 2, 1, 0, 6, bytes.fromhex("02000000000a0000")) + bytes(payload)

    if kind == "vlan":
        c = Capture(LINKTYPE_ETHERNET)
        frames = [Ether(src=MAC_GATEWAY, dst=MAC_HOST) / Dot1Q(vlan=100) / packet,
                  Ether(src=MAC_GATEWAY, dst=MAC_HOST, type=0x88A8) / Dot1AD(vlan=10) / Dot1Q(vlan=100) / packet6,
                  Ether(src=MAC_HOST, dst="ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=100) / arp]
    elif kind == "sll":
        c = Capture(LINKTYPE_LINUX_SLL)
        frames = [sll(0x0800, packet), sll(0x86DD, packet6), sll(0x0806, arp)]
    elif kind == "sll2":
        c = Capture(LINKTYPE_LINUX_SLL2)
        frames = [sll2(0x0800, packet), sll2(0x86DD, packet6), sll2(0x0806, arp)]
    elif kind == "raw":
        c = Capture(LINKTYPE_RAW)
        frames = [packet, packet6]
    elif kind == "null":
        c = Capture(LINKTYPE_NULL)
        frames = [struct.pack("<I", 2) + bytes(packet), struct.pack("<I", 10) + bytes(packet6),
                  struct.pack("<I", 7) + bytes(packet)]
    elif kind == "ppp":
        # RFC 1662 HDLC-like framing (address 0xFF, control 0x03) with a two-octet protocol;
        # RFC 1661 6.5/6.6 compression: no address/control, a one-octet protocol (0x57 IPv6);
        # an LCP Echo-Request (0xC021) and an MPLS-labelled packet (0x0281): not IP.
        c = Capture(LINKTYPE_PPP)
        frames = [b"\xff\x03\x00\x21" + bytes(packet), b"\x57" + bytes(packet6),
                  b"\xff\x03\xc0\x21" + bytes.fromhex("09010008") + b"\0" * 4,
                  b"\xff\x03\x02\x81" + bytes.fromhex("00064140") + bytes(packet)]
    elif kind == "pcapng":
        c = Capture(LINKTYPE_ETHERNET)
        frames = [eth(packet), eth(packet6), Ether(src=MAC_HOST, dst="ff:ff:ff:ff:ff:ff") / arp]
    else:
        raise ValueError(kind)
    for i, f in enumerate(frames):
        c.add(BASE_NS + i * 10 * MS, f)
    return c


def with_first_byte(packet, value):
    data = bytearray(bytes(packet))
    data[0] = value
    return bytes(data)


def golden_ipv4_options():
    a4, b4, r4 = "192.0.2.10", "198.51.100.20", "203.0.113.1"
    record_route = b"\x07\x0b\x04" + b"\0" * 8 + b"\x00"         # RR with room for 2 addresses, EOL
    timestamp = b"\x44\x0c\x05\x00" + b"\0" * 8                    # Timestamp, 2 slots
    router_alert = b"\x94\x04\x00\x00"
    return sequence([
        IP(src=b4, dst=a4, options=Raw(record_route)) / ICMP(type=8, id=1, seq=1) / Raw(ECHO_PAYLOAD),
        IP(src=b4, dst=a4, options=Raw(timestamp + router_alert)) / ICMP(type=8, id=1, seq=2) / Raw(ECHO_PAYLOAD),
        # An error whose quote carries options: the ports are read after the quoted IHL.
        time_exceeded4(r4, a4, quote(IP(src=a4, dst=b4, ttl=1, options=Raw(router_alert)) / UDP(sport=40001, dport=33434) / Raw(b"\0" * 16), 32)),
        # IHL 4 (16 bytes) is below the minimum header: not a well-formed IPv4 header.
        with_first_byte(IP(src=b4, dst=a4) / ICMP(type=8, id=1, seq=3), 0x44),
        # Options run past IHL: a header that says 24 bytes, an option claiming 40.
        IP(src=b4, dst=a4, options=Raw(b"\x07\x28\x04\x00")) / ICMP(type=8, id=1, seq=4) / Raw(ECHO_PAYLOAD),
    ])


def golden_ipv6_extensions():
    a6, b6, r6 = "2001:db8:1::10", "2001:db8:ffff::1", "2001:db8:f::1"
    echo = lambda seq: ICMPv6EchoRequest(id=1, seq=seq, data=ECHO_PAYLOAD)
    return sequence([
        IPv6(src=b6, dst=a6) / IPv6ExtHdrHopByHop() / echo(1),
        IPv6(src=b6, dst=a6) / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() / echo(2),
        # Routing header type 2 with a home address: the checksum uses the final destination.
        IPv6(src=b6, dst=r6) / IPv6ExtHdrRouting(type=2, segleft=1, addresses=[a6]) / echo(3),
        IPv6(src=b6, dst=a6) / IPv6ExtHdrDestOpt() / IPv6ExtHdrRouting(type=4, segleft=0, addresses=[]) / echo(4),
        # A first fragment (offset 0, M set) carrying the ICMPv6 header.
        IPv6(src=b6, dst=a6) / IPv6ExtHdrFragment(offset=0, m=1, id=7) / ICMPv6EchoRequest(id=1, seq=5, data=b"\0" * 200),
        # A Packet Too Big whose quote has a Hop-by-Hop header before UDP.
        ptb(r6, a6, 1280, v6_error_quote(IPv6(src=a6, dst=b6) / IPv6ExtHdrHopByHop() / UDP(sport=40001, dport=443) / Raw(b"\0" * 1400))),
        # No Next Header (59) after a Destination Options header: nothing to filter.
        IPv6(src=b6, dst=a6, nh=60) / IPv6ExtHdrDestOpt(nh=59),
        # A chain cut short: a Hop-by-Hop header claiming more bytes than the packet has.
        IPv6(src=b6, dst=a6) / IPv6ExtHdrHopByHop(len=20) / echo(6),
    ])


def golden_not_icmp():
    a4, b4 = "192.0.2.10", "198.51.100.20"
    a6, b6 = "2001:db8:1::10", "2001:db8:ffff::1"
    return sequence([
        ARP(op=1, hwsrc=MAC_HOST, psrc=a4, pdst="192.0.2.1"),
        IP(src=a4, dst=b4) / TCP(sport=44330, dport=443, flags="S"),
        IPv6(src=a6, dst=b6) / UDP(sport=40000, dport=53) / Raw(b"\0" * 20),
        IP(src=a4, dst=b4, proto=47) / Raw(b"\0" * 24),
        # ICMPv6 carried in IPv4 (wrong family; that anomaly is off by default).
        IP(src=a4, dst=b4, proto=58) / Raw(bytes(ICMPv6EchoRequest(id=1, seq=1))),
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
    Policy: default drop, bad-extension drops, so Time Exceeded is accepted as protected."""
    a4, b4, r4 = "192.0.2.10", "198.51.100.20", "203.0.113.1"
    a6, b6, r6 = "2001:db8:1::10", "2001:db8:ffff::1", "2001:db8:f::1"
    probe4 = original_datagram(udp4(a4, b4, 40001, 33434))
    probe6 = original_datagram(udp6(a6, b6, 40001, 33434))
    te4 = lambda extension, length=32: IP(src=r4, dst=a4) / ICMP(type=11, code=0, length=length) / Raw(probe4 + extension)
    return sequence([
        # 1 the label stack a probe arrived with and the interface it arrived on.
        te4(ext_structure([mpls_stack([(16, 0, 0, 1), (100704, 5, 1, 254)]),
                           interface_info(0, ifindex=15, address=r4, name="ge-0/0/1.0", mtu=1500)])),
        # 2 RFC 4884 5: no length attribute, the structure 128 octets in (older MPLS routers).
        te4(ext_structure([mpls_stack([(299776, 0, 1, 1)])]), length=0),
        # 3 a port unreachable naming its outgoing interface by IPv6 address and a name to escape,
        #   the incoming one by ifIndex and MTU, and an object class icmpgate does not read.
        IP(src=b4, dst=a4) / ICMP(type=3, code=3, length=32) / Raw(
            original_datagram(udp4(a4, b4, 40002, 53, ttl=64)) +
            ext_structure([interface_info(2, address=r6, name='uplink "A" \u00e9'),
                           interface_info(0, ifindex=4, mtu=9000),
                           ext_object(200, 1, struct.pack("!I", 7))])),
        # 4 ICMPv6 (length in 64-bit words): ten labels, eight listed; no checksum sent.
        IPv6(src=r6, dst=a6) / ICMPv6TimeExceeded(code=0, length=16) / Raw(
            probe6 + ext_structure([mpls_stack([(1000 + i, 0, int(i == 9), 64) for i in range(10)])],
                                   checksum=False)),
        # 5 five interface objects, four listed; a name of 63 octets fills its sub-object.
        IPv6(src=r6, dst=a6) / ICMPv6DestUnreach(code=4, length=16) / Raw(
            probe6 + ext_structure([interface_info(0, ifindex=1, name="x" * 63)] +
                                   [interface_info(role, ifindex=role + 1) for role in range(1, 4)] +
                                   [interface_info(3, ifindex=5)])),
        # 6 a structure whose checksum does not verify: bad-extension, nothing logged of it.
        te4(ext_structure([mpls_stack([(16, 0, 1, 1)])], checksum="wrong")),
    ])


def write_all(root):
    golden = os.path.join(root, "tests", "golden")
    samples = os.path.join(root, "deploy", "samples")
    os.makedirs(golden, exist_ok=True)
    os.makedirs(samples, exist_ok=True)
    os.makedirs(os.path.join(golden, "cli"), exist_ok=True)
    outputs = {
        os.path.join(samples, "gateway-sample.pcap"): (write_pcap, gateway_sample()),
        os.path.join(golden, "anomalies.pcap"): (write_pcap, golden_anomalies()),
        os.path.join(golden, "anomaly-overrides.pcap"): (write_pcap, golden_anomaly_overrides()),
        os.path.join(golden, "protected.pcap"): (write_pcap, protected_frames()),
        os.path.join(golden, "protected-override.pcap"): (write_pcap, protected_frames()),
        os.path.join(golden, "ratelimit.pcap"): (write_pcap, golden_ratelimit()),
        os.path.join(golden, "names.pcap"): (write_pcap, golden_names()),
        os.path.join(golden, "ipv4-options.pcap"): (write_pcap, golden_ipv4_options()),
        os.path.join(golden, "ipv6-extensions.pcap"): (write_pcap, golden_ipv6_extensions()),
        os.path.join(golden, "not-icmp.pcap"): (write_pcap, golden_not_icmp()),
        os.path.join(golden, "extensions.pcap"): (write_pcap, golden_extensions()),
    }
    for kind in ("vlan", "sll", "sll2", "raw", "null", "ppp"):
        outputs[os.path.join(golden, f"linktype-{kind}.pcap")] = (write_pcap, golden_linktypes(kind))
    outputs[os.path.join(golden, "linktype-pcapng.pcap")] = (write_pcapng, golden_linktypes("pcapng"))
    # Not a golden case (no .pcap suffix): an unsupported link type for the CLI tests.
    wlan = Capture(LINKTYPE_IEEE802_11)
    wlan.add(BASE_NS, b"\x08\x00" + b"\0" * 22)
    outputs[os.path.join(golden, "cli", "unsupported-linktype.cap")] = (write_pcap, wlan)
    for path, (writer, capture) in outputs.items():
        writer(path, capture)
        print(f"{os.path.relpath(path, root)}: {len(capture.frames)} frames")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(here)),
                        help="repository root (default: two levels above this script)")
    write_all(parser.parse_args().root)


if __name__ == "__main__":
    main()
