// icmpgate: an ICMP-aware firewall filter for Linux gateways. The work is in cli.cc.
#include <iostream>

#include "filter/app/cli.h"

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    return icmpgate::app::run_cli(argc, argv, std::cin, std::cout, std::cerr);
}
