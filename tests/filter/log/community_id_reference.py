#!/usr/bin/env python3
"""Community ID v1 for ICMP, ICMPv6 and port-less IP protocols, written from the spec
(corelight/community-id-spec, README "Pseudo code" and "Technical details") with hashlib,
independently of filter/log/community_id.cc, to produce and cross-check test vectors.

    community_id_reference.py            check the spec's published baseline values, print extra vectors
"""
import base64
import hashlib
import ipaddress
import struct

# Request/reply pairs that make one two-way flow (the spec takes them from Zeek).
ICMP4_PAIRS = {8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 10: 9, 9: 10, 17: 18, 18: 17}
ICMP6_PAIRS = {128: 129, 129: 128, 130: 131, 131: 130, 133: 134, 134: 133, 135: 136, 136: 135,
               139: 140, 140: 139, 144: 145, 145: 144}


def _digest(seed, a, b, proto, ports):
    data = struct.pack("!H", seed) + a + b + struct.pack("!BB", proto, 0)
    if ports is not None:
        data += struct.pack("!HH", *ports)
    assert len(data) % 4 == 0
    return "1:" + base64.b64encode(hashlib.sha1(data).digest()).decode("ascii")


def community_id_icmp(src, dst, icmp_type, icmp_code, seed=0):
    """src/dst: address text. ICMP for IPv4 addresses, ICMPv6 for IPv6 ones."""
    s, d = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    proto, pairs = (1, ICMP4_PAIRS) if s.version == 4 else (58, ICMP6_PAIRS)
    if icmp_type in pairs:
        sport, dport, one_way = icmp_type, pairs[icmp_type], False
    else:
        sport, dport, one_way = icmp_type, icmp_code, True
    a, b = s.packed, d.packed
    if not one_way and not (a < b or (a == b and sport < dport)):
        a, b, sport, dport = b, a, dport, sport
    return _digest(seed, a, b, proto, (sport, dport))


def community_id_portless(src, dst, proto, seed=0):
    a, b = ipaddress.ip_address(src).packed, ipaddress.ip_address(dst).packed
    if b < a:
        a, b = b, a
    return _digest(seed, a, b, proto, None)


# corelight/community-id-spec baseline/baseline_deflt.json and baseline_seed1.json, the ICMP,
# ICMPv6 and port-less rows: (src, dst, "port" pair as the baseline lists it, seed 0, seed 1).
# The baseline gives type and counterpart (two-way) or type and code (one-way).
BASELINE = [
    ("fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 135, 0, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=", "1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY="),
    ("fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 136, 0, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=", "1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY="),
    ("fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 135, 0, "1:zavyT/cezQr1fmImYCwYnMXbgck=", "1:2hSqmsDZ2kdcY9kbiUzOEBic0iM="),
    ("fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 136, 0, "1:zavyT/cezQr1fmImYCwYnMXbgck=", "1:2hSqmsDZ2kdcY9kbiUzOEBic0iM="),
    ("3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 3, 0, "1:2ObVBgIn28oZvibYZhZMBgh7WdQ=", "1:lVEtCZpYu84Xqaa++3lXFyuu2n4="),
    ("3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 1, 4, "1:hLZd0XGWojozrvxqE0dWB1iM6R0=", "1:W8MHwXpWzpoSTD+cGcaJr4u0ys8="),
    ("3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 128, 0, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=", "1:GfZxjAkDk2MkegpBYHV6tadtFXQ="),
    ("3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da", 129, 0, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=", "1:GfZxjAkDk2MkegpBYHV6tadtFXQ="),
    ("fe80::200:86ff:fe05:80da", "ff02::2", 133, 0, "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=", "1:L7Ka0ZMYu+J3bL4ulW2PrqyXNo8="),
    ("fe80::260:97ff:fe07:69ea", "ff02::1", 134, 0, "1:pkvHqCL88/tg1k4cPigmZXUtL00=", "1:K/ee5UCqAMAQXDorP5nSa2CGLjc="),
    ("192.168.0.89", "192.168.0.1", 8, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=", "1:03g6IloqVBdcZlPyX8r0hgoE7kA="),
    ("192.168.0.1", "192.168.0.89", 0, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=", "1:03g6IloqVBdcZlPyX8r0hgoE7kA="),
    ("10.0.0.1", "10.0.0.2", 11, 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM=", "1:XjUibYHaafLQ3pxQeiMI8g25q20="),
]
BASELINE_PORTLESS = [
    ("10.1.12.1", "10.1.12.2", 46, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=", "1:rYir8gphR31noO9iDRQmF/BteEI="),
    ("10.1.12.2", "10.1.12.1", 46, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=", "1:rYir8gphR31noO9iDRQmF/BteEI="),
]

# Packets chosen for icmpgate's unit tests (tests/filter/log/community_id_test.cc).
EXTRA = [
    ("198.51.100.7", "192.0.2.1", 8, 0, 0),        # echo request, larger address first
    ("192.0.2.1", "198.51.100.7", 0, 0, 0),        # its reply
    ("203.0.113.9", "192.0.2.1", 3, 4, 0),         # frag needed from a router (one-way)
    ("192.0.2.1", "203.0.113.9", 3, 4, 0),         # the same error the other way: another id
    ("192.0.2.1", "203.0.113.9", 42, 7, 0),        # unknown type: (type, code), one-way
    ("192.0.2.1", "198.51.100.7", 8, 0, 65535),    # the largest seed
    ("2001:db8::2", "2001:db8::1", 128, 0, 0),     # echo request v6, larger address first
    ("2001:db8::1", "2001:db8::2", 129, 0, 0),     # its reply
    ("2001:db8:ffff::1", "2001:db8::1", 2, 0, 0),  # packet too big (one-way)
    ("2001:db8::1", "2001:db8::2", 200, 3, 0),     # unknown (private experimentation) type
    ("2001:db8::1", "2001:db8::1", 128, 0, 0),     # equal addresses: the ports decide
    ("2001:db8::1", "2001:db8::1", 129, 0, 0),
]


def main():
    failures = 0
    if not BASELINE or not BASELINE_PORTLESS:
        print("MISMATCH: no baseline rows to check")
        return 1
    for src, dst, sport, dport, want0, want1 in BASELINE:
        # Recover type/code: a two-way row lists (type, counterpart); give the type and code 0 or
        # the one-way code (the baseline's dport).
        pairs = ICMP4_PAIRS if ":" not in src else ICMP6_PAIRS
        code = 0 if sport in pairs else dport
        for seed, want in ((0, want0), (1, want1)):
            got = community_id_icmp(src, dst, sport, code, seed)
            if got != want:
                failures += 1
                print(f"MISMATCH {src} {dst} {sport}/{code} seed {seed}: {got} != {want}")
    for src, dst, proto, want0, want1 in BASELINE_PORTLESS:
        for seed, want in ((0, want0), (1, want1)):
            got = community_id_portless(src, dst, proto, seed)
            if got != want:
                failures += 1
                print(f"MISMATCH {src} {dst} proto {proto} seed {seed}: {got} != {want}")
    print(f"baseline: {len(BASELINE) * 2 + len(BASELINE_PORTLESS) * 2 - failures} match, {failures} mismatch")
    for src, dst, t, c, seed in EXTRA:
        print(f'{src} {dst} type {t} code {c} seed {seed}: "{community_id_icmp(src, dst, t, c, seed)}"')
    print(f'portless 192.0.2.1 198.51.100.7 proto 47 seed 0: "{community_id_portless("192.0.2.1", "198.51.100.7", 47)}"')
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
