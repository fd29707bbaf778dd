#!/usr/bin/python3
"""Sends hand-made ICMP/ICMPv6 messages from r2 towards the client, one per KIND, for errors_test.sh.

  craft.py IFACE GW_MAC R2_V4 R2_V6 CLIENT_V4 CLIENT_V6 SERVER_V4 SERVER_V6 KIND...

Frames go out of IFACE (r2's link to gw) addressed to gw's MAC, so no neighbour discovery is needed.
Kinds (each quoting a packet the client could have sent to the server unless said otherwise):
  redirect4/6       a Redirect (v4 type 5 code 1, v6 type 137)
  tinymtu4/6        Fragmentation Needed with MTU 40 / Packet Too Big with MTU 1000
  errorerror4/6     a Destination Unreachable quoting a Destination Unreachable
  spoofed4/6        a Port Unreachable whose quote's source is not the client
  good4/6           a well-formed Port Unreachable about the client's UDP (the control: it must arrive)
"""
import sys

from scapy.all import (ICMP, IP, TCP, UDP, Ether, ICMPv6DestUnreach, ICMPv6ND_Redirect, ICMPv6NDOptRedirectedHdr, ICMPv6PacketTooBig,
                       IPv6, Raw, conf, sendp)

QUOTE_PAYLOAD = b"icmpgate-e2e-quote"
CLIENT_PORT = 40000
SERVER_UDP_PORT = 33999
SERVER_TCP_PORT = 5001
FOREIGN_V4 = "192.0.2.99"       # on the client's subnet, but not the client
FOREIGN_V6 = "2001:db8:1::99"


def build(kind, a):
    r2_4, r2_6, client4, client6, server4, server6 = a
    udp4 = IP(src=client4, dst=server4, flags="DF") / UDP(sport=CLIENT_PORT, dport=SERVER_UDP_PORT) / QUOTE_PAYLOAD
    udp6 = IPv6(src=client6, dst=server6) / UDP(sport=CLIENT_PORT, dport=SERVER_UDP_PORT) / QUOTE_PAYLOAD
    if kind == "redirect4":
        return IP(src=r2_4, dst=client4) / ICMP(type=5, code=1, gw=r2_4) / udp4
    if kind == "redirect6":
        return IPv6(src=r2_6, dst=client6, hlim=255) / ICMPv6ND_Redirect(tgt=r2_6, dst=server6) / ICMPv6NDOptRedirectedHdr(pkt=bytes(udp6))
    if kind == "tinymtu4":
        quote = IP(src=client4, dst=server4, flags="DF", len=1500) / TCP(sport=CLIENT_PORT, dport=SERVER_TCP_PORT)
        return IP(src=r2_4, dst=client4) / ICMP(type=3, code=4, nexthopmtu=40) / Raw(bytes(quote)[:28])
    if kind == "tinymtu6":
        quote = IPv6(src=client6, dst=server6, plen=1460) / TCP(sport=CLIENT_PORT, dport=SERVER_TCP_PORT)
        return IPv6(src=r2_6, dst=client6) / ICMPv6PacketTooBig(mtu=1000) / Raw(bytes(quote)[:48])
    if kind == "errorerror4":
        inner = IP(src=client4, dst=server4) / ICMP(type=3, code=1) / bytes(udp4)[:28]
        return IP(src=r2_4, dst=client4) / ICMP(type=3, code=1) / Raw(bytes(inner))
    if kind == "errorerror6":
        inner = IPv6(src=client6, dst=server6) / ICMPv6DestUnreach(code=3) / Raw(bytes(udp6))
        return IPv6(src=r2_6, dst=client6) / ICMPv6DestUnreach(code=3) / Raw(bytes(inner))
    if kind == "spoofed4":
        quote = IP(src=FOREIGN_V4, dst=server4) / UDP(sport=CLIENT_PORT, dport=SERVER_UDP_PORT) / QUOTE_PAYLOAD
        return IP(src=r2_4, dst=client4) / ICMP(type=3, code=3) / Raw(bytes(quote))
    if kind == "spoofed6":
        quote = IPv6(src=FOREIGN_V6, dst=server6) / UDP(sport=CLIENT_PORT, dport=SERVER_UDP_PORT) / QUOTE_PAYLOAD
        return IPv6(src=r2_6, dst=client6) / ICMPv6DestUnreach(code=4) / Raw(bytes(quote))
    if kind == "good4":
        return IP(src=r2_4, dst=client4) / ICMP(type=3, code=3) / Raw(bytes(udp4))
    if kind == "good6":
        return IPv6(src=r2_6, dst=client6) / ICMPv6DestUnreach(code=4) / Raw(bytes(udp6))
    raise SystemExit(f"unknown kind {kind}")


def main(argv):
    if len(argv) < 10:
        print(__doc__, file=sys.stderr)
        return 2
    iface, gw_mac = argv[1], argv[2]
    addresses = argv[3:9]
    conf.verb = 0
    for kind in argv[9:]:
        packet = build(kind, addresses)
        sendp(Ether(dst=gw_mac) / packet, iface=iface)
        print(kind, packet.summary(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
