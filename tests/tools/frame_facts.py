"""Key fields of a frame the capture generator built, read from its own bytes with the RFCs'
layouts (RFC 791, RFC 8200, RFC 792, RFC 4443), never with icmpgate's code: what a verdict record
must say about the packet (docs/log-format.md), as opposed to the verdict, which make_captures.py
states from the policy's rules.

facts(packet) returns {logical field name: value} for an IP packet (bytes or a scapy packet),
with ABSENT for a field the record must not carry. The names are the golden test's
(tests/golden/run_golden.py, LAYOUT): "ip_v", "src_ip", "icmp_type", "embedded.src_port", ...
"""
import ipaddress
import struct

ABSENT = "<absent>"  # a statement's value for "the record has no such field"

# EVE's spellings of IP protocols (docs/log-format.md, `proto`); any other is its number as a string.
PROTOCOL_NAMES = {1: "ICMP", 6: "TCP", 17: "UDP", 58: "IPv6-ICMP"}
# Upper layers whose first four bytes are the source and destination ports.
PORT_PROTOCOLS = {6, 17, 33, 132, 136}  # TCP, UDP, DCCP, SCTP, UDP-Lite
# RFC 8200 4: hop-by-hop, routing, destination options (length in 8-octet units after the first 8).
EXTENSION_HEADERS = {0, 43, 60}
FRAGMENT_HEADER = 44
# Messages with an identifier and sequence number (RFC 792, RFC 950, RFC 4443 4).
ECHO_LIKE = {4: {0, 8, 13, 14, 15, 16, 17, 18}, 6: {128, 129}}
# Error messages that quote the packet that caused them (RFC 792, RFC 4443 3).
ERRORS = {4: {3, 4, 5, 11, 12}, 6: {1, 2, 3, 4}}
ICMP_OF = {4: 1, 6: 58}


def protocol_name(number):
    return PROTOCOL_NAMES.get(number, str(number))


def address(raw):
    return ipaddress.ip_address(bytes(raw)).compressed  # RFC 5952 text for IPv6


def ip_header(data):
    """The IP header at the start of data: a dict, or None when data is not one (too short, or
    neither version 4 nor 6). upper is None when the IPv6 extension chain runs past the bytes."""
    if len(data) < 1:
        return None
    version = data[0] >> 4
    if version == 4 and len(data) >= 20:
        fragment = struct.unpack(">H", data[6:8])[0]
        return {"version": 4, "src": address(data[12:16]), "dst": address(data[16:20]), "upper": data[9],
                "upper_at": (data[0] & 0x0F) * 4, "declared": struct.unpack(">H", data[2:4])[0],
                "fragment": ((fragment & 0x1FFF) * 8, bool(fragment & 0x2000))}
    if version == 6 and len(data) >= 40:
        upper, at, fragment = data[6], 40, (0, False)
        while upper in EXTENSION_HEADERS or upper == FRAGMENT_HEADER:
            if at + 8 > len(data):
                upper = None
                break
            if upper == FRAGMENT_HEADER:
                word = struct.unpack(">H", data[at + 2:at + 4])[0]
                fragment = ((word >> 3) * 8, bool(word & 1))
                upper, at = data[at], at + 8
            else:
                upper, at = data[at], at + (data[at + 1] + 1) * 8
        if at > len(data):
            upper = None
        return {"version": 6, "src": address(data[8:24]), "dst": address(data[24:40]), "upper": upper,
                "upper_at": at, "declared": 40 + struct.unpack(">H", data[4:6])[0], "fragment": fragment}
    return None


def quote_facts(quote, family):
    """The embedded.* fields of an error's quote (docs/log-format.md, icmpgate.embedded)."""
    header = ip_header(quote)
    if header is None or header["version"] != family or header["upper"] is None:
        return {"embedded": ABSENT}
    upper, at = header["upper"], header["upper_at"]
    facts = {"embedded.proto": protocol_name(upper), "embedded.src_ip": header["src"],
             "embedded.dest_ip": header["dst"], "embedded.total_length": header["declared"]}
    offset = header["fragment"][0]
    if offset:
        facts["embedded.fragment_offset"] = offset
        return facts
    if upper in PORT_PROTOCOLS and len(quote) >= at + 4:
        facts["embedded.src_port"], facts["embedded.dest_port"] = struct.unpack(">HH", quote[at:at + 4])
    if upper == ICMP_OF[family] and len(quote) >= at + 2:
        facts["embedded.icmp_type"], facts["embedded.icmp_code"] = quote[at], quote[at + 1]
        if quote[at] in ECHO_LIKE[family] and len(quote) >= at + 8:
            facts["embedded.icmp_id"], facts["embedded.icmp_seq"] = struct.unpack(">HH", quote[at + 4:at + 8])
    return facts


def facts(packet):
    """Key fields of one IP packet (bytes as built; a snaplen cut is applied later, so declared
    lengths are what the sender wrote)."""
    data = bytes(packet)
    header = ip_header(data)
    if header is None:
        return {"ip_v": ABSENT, "src_ip": ABSENT, "dest_ip": ABSENT, "proto": ABSENT}
    family, upper, at = header["version"], header["upper"], header["upper_at"]
    result = {"ip_v": family, "src_ip": header["src"], "dest_ip": header["dst"],
              "proto": ABSENT if upper is None else protocol_name(upper)}
    offset, more = header["fragment"]
    if offset or more:
        result["fragment.offset"], result["fragment.more"] = offset, more
    if upper != ICMP_OF[family] or offset or len(data) < at + 8:
        result["icmp_type"] = ABSENT  # no ICMP header to read (not ICMP of its family, a later fragment)
        return result
    icmp = data[at:]
    kind, code = icmp[0], icmp[1]
    result.update({"icmp_type": kind, "icmp_code": code,
                   # the bytes after the 8-byte header, as the IP header declares them
                   "payload_size": header["declared"] - at - 8})
    if kind in ECHO_LIKE[family]:
        result["icmp_id"], result["icmp_seq"] = struct.unpack(">HH", icmp[4:8])
    if family == 4 and (kind, code) == (3, 4):
        result["mtu"] = struct.unpack(">H", icmp[6:8])[0]  # RFC 1191 4: next-hop MTU, low 16 bits
    if family == 6 and kind == 2:
        result["mtu"] = struct.unpack(">I", icmp[4:8])[0]
    if family == 4 and kind == 12:
        result["pointer"] = icmp[4]
    if family == 6 and kind == 4:
        result["pointer"] = struct.unpack(">I", icmp[4:8])[0]
    if family == 4 and kind == 5:
        result["gateway"] = address(icmp[4:8])
    if kind in ERRORS[family]:
        result.update(quote_facts(icmp[8:], family))
    return result
