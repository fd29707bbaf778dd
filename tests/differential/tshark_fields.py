"""tshark's dissection of one frame (`tshark -T json --no-duplicate-keys`) as the fields the
differential test compares: the same keys as icmpgate_fields.compared_fields().

Only the outer IP header and an ICMP message of its own family directly after it (IPv6
extension headers between) count, as they do for icmpgate; the quote is the IP packet
tshark dissects inside that ICMP message.
"""

# Upper-layer protocols that may sit between the outer IPv6 header and ICMPv6 in
# frame.protocols (tshark names each extension header it dissects).
IPV6_EXTENSION_LAYERS = {"ipv6.hopopts", "ipv6.routing", "ipv6.fraghdr", "ipv6.dstopts", "ipv6.mipv6",
                         "ipv6.shim6", "ah"}
ICMP_OF = {"ip": "icmp", "ipv6": "icmpv6"}
TRANSPORT_NUMBERS = {"tcp": 6, "udp": 17, "sctp": 132, "dccp": 33, "udplite": 136, "icmp": 1, "icmpv6": 58}
# Expert infos tshark raises on the outer IP layer when the packet is shorter than its header
# or its declared length says (icmpgate's "truncated").
TRUNCATION_EXPERTS = {"ip.bogus_ip_length", "ip.bogus_header_length", "ip.bogus_header_length_too_small",
                      "ipv6.plen_exceeds_framing", "ipv6.bogus_payload_length"}


def first(value):
    """A layer that appears more than once (tunnels) is a list under --no-duplicate-keys."""
    return value[0] if isinstance(value, list) else value


def experts(tree):
    """Every expert-info key in a layer, not descending into the protocols nested in it."""
    found = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key == "_ws.expert":
                for expert in value if isinstance(value, list) else [value]:
                    found.update(k for k in expert if not k.startswith("_ws.expert"))
            elif key.endswith("_tree") or key.startswith("_ws"):
                stack.append(value)
    return found


def ordered_values(tree, suffix):
    """Values of every key ending in `suffix`, depth first in document order."""
    values = []
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key.endswith(suffix) and isinstance(value, str):
                values.append(value)
            values.extend(ordered_values(value, suffix))
    elif isinstance(tree, list):
        for value in tree:
            values.extend(ordered_values(value, suffix))
    return values


def outer_icmp(protocols):
    """The outer IP layer's name when ICMP of its own family follows it, else None."""
    for i, name in enumerate(protocols):
        if name in ICMP_OF:
            rest = [p for p in protocols[i + 1:] if p not in IPV6_EXTENSION_LAYERS]
            return name if rest and rest[0] == ICMP_OF[name] else None
    return None


def quote_fields(icmp):
    """The quoted packet as tshark dissected it inside the ICMP message."""
    quote = {"quote_proto": None, "quote_src_ip": None, "quote_dest_ip": None, "quote_src_port": None,
             "quote_dest_port": None}
    inner_ip, family = (first(icmp["ip"]), "ip") if "ip" in icmp else (
        (first(icmp["ipv6"]), "ipv6") if "ipv6" in icmp else (None, None))
    if inner_ip is None:
        return quote
    quote["quote_src_ip"] = inner_ip.get(f"{family}.src")
    quote["quote_dest_ip"] = inner_ip.get(f"{family}.dst")
    transports = [name for name in icmp if name in TRANSPORT_NUMBERS]
    if transports:
        name = transports[0]
        quote["quote_proto"] = TRANSPORT_NUMBERS[name]
        layer = first(icmp[name])
        ports = [v for k, v in layer.items() if k.endswith(".srcport")], [v for k, v in layer.items() if k.endswith(".dstport")]
        quote["quote_src_port"] = int(ports[0][0]) if ports[0] else None
        quote["quote_dest_port"] = int(ports[1][0]) if ports[1] else None
    elif family == "ip":
        quote["quote_proto"] = int(inner_ip["ip.proto"]) if "ip.proto" in inner_ip else None
    else:
        # The next header after the last extension header tshark walked.
        next_headers = ordered_values(inner_ip, ".nxt")
        quote["quote_proto"] = int(next_headers[-1]) if next_headers else None
    return quote


def compared_fields(layers):
    """The compared fields of one frame, or None when its outer packet is not IP."""
    protocols = layers["frame"]["frame.protocols"].split(":")
    ip_names = [p for p in protocols if p in ICMP_OF]
    if not ip_names or ip_names[0] not in layers:
        return None
    outer = ip_names[0]
    ip = first(layers[outer])
    fields = {
        "ip_v": 4 if outer == "ip" else 6,
        "src_ip": ip.get(f"{outer}.src"),
        "dest_ip": ip.get(f"{outer}.dst"),
        "icmp_header": False,
        "icmp_type": None,
        "icmp_code": None,
        "checksum_bad": False,
        "mtu": None,
        "truncated": bool(experts(ip) & TRUNCATION_EXPERTS),
        "quote_proto": None, "quote_src_ip": None, "quote_dest_ip": None, "quote_src_port": None,
        "quote_dest_port": None,
    }
    icmp_name = ICMP_OF[outer]
    if outer_icmp(protocols) != outer or icmp_name not in layers:
        return fields
    icmp = first(layers[icmp_name])
    if f"{icmp_name}.type" not in icmp:
        return fields
    fields["icmp_header"] = True
    fields["icmp_type"] = int(icmp[f"{icmp_name}.type"])
    fields["icmp_code"] = int(icmp[f"{icmp_name}.code"]) if f"{icmp_name}.code" in icmp else None
    fields["checksum_bad"] = icmp.get(f"{icmp_name}.checksum.status") == "0"
    mtu = icmp.get(f"{icmp_name}.mtu")
    fields["mtu"] = int(mtu) if mtu is not None else None
    fields.update(quote_fields(icmp))
    return fields
