# The Debian package (CPack DEB), included by the top-level CMakeLists.txt after every install()
# rule. From any build directory (the package always installs under /usr, whatever
# CMAKE_INSTALL_PREFIX the tree was configured with):
#   cmake --build B && cpack -G DEB --config B/CPackConfig.cmake -B OUTDIR
# CPack 3.25 writes no conffiles and no maintainer scripts of its own (CONVENTIONS 7.3): they
# come from this directory through CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA. docs/deployment.md,
# "Debian package", says what the scripts do.

set(icmpgate_debian_dir ${CMAKE_CURRENT_LIST_DIR})

# Debian policy 12.5 / 12.7: the copyright file and a changelog (changelog.gz for a native
# version without a Debian revision), compressed with gzip -9n (reproducible: no name, no time).
configure_file(${icmpgate_debian_dir}/changelog.in ${PROJECT_BINARY_DIR}/debian/changelog @ONLY)
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/debian/changelog.gz
                   COMMAND gzip -9n -c ${PROJECT_BINARY_DIR}/debian/changelog > ${PROJECT_BINARY_DIR}/debian/changelog.gz
                   DEPENDS ${PROJECT_BINARY_DIR}/debian/changelog VERBATIM)
add_custom_target(icmpgate_debian_changelog ALL DEPENDS ${PROJECT_BINARY_DIR}/debian/changelog.gz)
install(FILES ${icmpgate_debian_dir}/copyright ${PROJECT_BINARY_DIR}/debian/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
# Warnings lintian raises that are intended; each override says why.
install(FILES ${icmpgate_debian_dir}/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
        RENAME icmpgate)
# The verdict log directory (the unit's LogsDirectory= gives it to the icmpgate user at start).
install(DIRECTORY DESTINATION /var/log/icmpgate)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME icmpgate)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "icmpgate maintainers <maintainers@users.noreply.h-seed-79e6b64d.example>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/icmpgate/icmpgate")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# systemd-sysusers (package systemd) creates the user; nft or iptables load the steering rules;
# logrotate reads /etc/logrotate.d.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "nftables | iptables, logrotate")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "prometheus-node-exporter")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "ICMP-aware NFQUEUE filter for Linux gateways")
# CPack writes the summary as the synopsis and indents this text below it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "icmpgate takes ICMP and ICMPv6 packets from the kernel's NFQUEUE, decodes them
including the packet quoted inside error messages, matches them against a JSON
policy, rate-limits them, logs every verdict as a Suricata EVE-compatible JSON
line and returns accept or drop. It keeps path MTU discovery, traceroute and
neighbour discovery working while dropping forged and flooding ICMP.")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${icmpgate_debian_dir}/conffiles ${icmpgate_debian_dir}/postinst
    ${icmpgate_debian_dir}/prerm ${icmpgate_debian_dir}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
