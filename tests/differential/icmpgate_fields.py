"""The one place the differential test reads an icmpgate verdict record.

compared_fields() maps one `icmpgate replay` line (docs/log-format.md) to the fields the test
compares with tshark's dissection. When the record layout changes (fields moving under an
object, renamed), this function is the only code that follows it.
"""

# EVE's protocol spellings (docs/log-format.md, "proto") back to IP protocol numbers.
PROTOCOL_NUMBERS = {"ICMP": 1, "TCP": 6, "UDP": 17, "IPv6-ICMP": 58}


def protocol_number(value):
    """A logged protocol (EVE's name, or the number in decimal as a string) as its number; None
    when absent."""
    if value is None:
        return None
    return PROTOCOL_NUMBERS[value] if value in PROTOCOL_NUMBERS else int(value)


def frame_number(record):
    """The 1-based capture frame a replay record is about (EVE's pcap_cnt)."""
    return record["pcap_cnt"]


def compared_fields(record):
    """The compared fields of one verdict record, all keys present (None where not logged).

    icmp_header: whether the outer ICMP header was decoded; the other ICMP fields are only
    meaningful when it was. checksum_bad: the checksum was judged and found wrong (a checksum
    that was not judged is not bad). truncated: the anomaly of that name applied.
    """
    own = record.get("icmpgate", {})  # icmpgate's fields (log_version 2)
    anomalies = own.get("anomalies", [])
    embedded = own.get("embedded") or {}
    return {
        "ip_v": record.get("ip_v"),
        "src_ip": record.get("src_ip"),
        "dest_ip": record.get("dest_ip"),
        "icmp_header": "icmp_type" in record,
        "icmp_type": record.get("icmp_type"),
        "icmp_code": record.get("icmp_code"),
        "checksum_bad": "bad-checksum" in anomalies,
        "mtu": own.get("mtu"),
        "truncated": "truncated" in anomalies,
        "quote_proto": protocol_number(embedded.get("proto")),
        "quote_src_ip": embedded.get("src_ip"),
        "quote_dest_ip": embedded.get("dest_ip"),
        "quote_src_port": embedded.get("src_port"),
        "quote_dest_port": embedded.get("dest_port"),
    }
