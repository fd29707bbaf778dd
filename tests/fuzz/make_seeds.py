#!/usr/bin/python3
"""Writes the seed corpora of tests/fuzz/corpus/<target>/ from the committed test data.

decode_fuzz: every packet of tests/golden/*.pcap as raw L3 bytes (link layer stripped);
decide_fuzz: each capture as one packet sequence in decide_fuzz.h's input format;
decide_generated_fuzz: each such sequence behind four fixed strings of policy generator choices;
pcap_fuzz: the captures themselves; policy_fuzz: the shipped and test policies;
policy_mutate_fuzz: a few fixed byte strings (the mutations start from valid policies).
Files are named by the SHA-1 of their content, like libFuzzer's, so reruns are idempotent.
Usage: make_seeds.py [SOURCE_DIR]
"""
import hashlib
import pathlib
import random
import struct
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2])
CORPUS = ROOT / "tests" / "fuzz" / "corpus"
PCAP_MAGICS = {0xA1B2C3D4: ("<", 1000), 0xA1B23C4D: ("<", 1), 0xD4C3B2A1: (">", 1000), 0x4D3CB2A1: (">", 1)}
ETHERTYPE_IPV4, ETHERTYPE_IPV6 = 0x0800, 0x86DD
VLAN_TAGS = {0x8100, 0x88A8, 0x9100}
MICROSECONDS_MAX = 0xFFFFFFFF


def write(target, data):
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)


def strip_link(linktype, frame):
    """The L3 packet of a frame, or None."""
    if linktype in (101, 12, 14, 228, 229):  # raw IP, IPv4, IPv6
        return frame
    if linktype == 0:  # BSD loopback: 4-byte family in host order
        return frame[4:]
    if linktype == 1:  # Ethernet, 802.1Q/802.1ad tags
        offset, ethertype = 12, None
        while offset + 2 <= len(frame):
            ethertype = struct.unpack_from(">H", frame, offset)[0]
            if ethertype not in VLAN_TAGS:
                break
            offset += 4
        return frame[offset + 2:] if ethertype in (ETHERTYPE_IPV4, ETHERTYPE_IPV6) else None
    if linktype == 113:  # Linux cooked v1
        return frame[16:]
    if linktype == 276:  # Linux cooked v2
        return frame[20:]
    return None


def read_pcap(path):
    """(linktype, [(time_us, frame)]) of a classic pcap file; None for pcapng."""
    data = path.read_bytes()
    magic = struct.unpack_from("<I", data, 0)[0]
    if magic not in PCAP_MAGICS:
        return None
    order, divisor = PCAP_MAGICS[magic]
    linktype = struct.unpack_from(order + "I", data, 20)[0] & 0x0FFFFFFF
    frames, offset = [], 24
    while offset + 16 <= len(data):
        seconds, fraction, caplen, _ = struct.unpack_from(order + "IIII", data, offset)
        offset += 16
        frames.append((seconds * 1_000_000 + fraction // divisor, data[offset:offset + caplen]))
        offset += caplen
    return linktype, frames


def main():
    for capture in sorted((ROOT / "tests" / "golden").glob("*.pcap")):
        write("pcap_fuzz", capture.read_bytes())
        parsed = read_pcap(capture)
        if parsed is None:
            continue
        linktype, frames = parsed
        sequence = bytearray(struct.pack(">Q", 0))  # limiter hash seed 0, as replay uses
        previous = frames[0][0] if frames else 0
        for time_us, frame in frames:
            l3 = strip_link(linktype, frame)
            if l3 is None:
                continue
            write("decode_fuzz", l3)
            gap = min(max(time_us - previous, 0), MICROSECONDS_MAX)
            previous = time_us
            sequence += struct.pack(">BIH", 0, gap, len(l3)) + l3
        write("decide_fuzz", bytes(sequence))
        choices = random.Random(f"decide_generated_fuzz {capture.name}")
        for _ in range(4):
            policy_choices = bytes(choices.randrange(256) for _ in range(255))
            write("decide_generated_fuzz", bytes([len(policy_choices)]) + policy_choices + bytes(sequence))
    for policy in sorted(list((ROOT / "deploy" / "policies").glob("*.json")) +
                         list((ROOT / "tests" / "data" / "policies").rglob("*.json")) +
                         list((ROOT / "tests" / "golden").glob("*.policy*")) +
                         list((ROOT / "tests" / "e2e" / "policies").glob("*.json"))):
        write("policy_fuzz", policy.read_bytes())
    generator = random.Random(4884)
    for length in (1, 4, 8, 16, 32, 64, 128, 256):
        write("policy_mutate_fuzz", bytes(generator.randrange(256) for _ in range(length)))


if __name__ == "__main__":
    main()
