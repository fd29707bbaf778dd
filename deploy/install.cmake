# install() rules for what an admin installs from deploy/ (included by the top-level
# CMakeLists.txt after the binary and policies). Paths follow shared/CONVENTIONS.md 7.3 and
# docs/deployment.md; the unit files name /usr/sbin, so install with --prefix /usr.
#   /lib/systemd/system/icmpgate.service, icmpgate-rules.service   (pkg-config systemd)
#   /usr/lib/sysusers.d/icmpgate.conf                               (pkg-config systemd)
#   /etc/logrotate.d/icmpgate, /etc/icmpgate/icmpgate.nft           (conffiles)
#   /usr/share/icmpgate/icmpgate-rules.sh, icmpgate.nft             (pristine copies)
#   /usr/share/doc/icmpgate/deployment.md
# Override with -DICMPGATE_SYSTEMD_UNIT_DIR=... / -DICMPGATE_SYSUSERS_DIR=... (e.g. for staging).

include(GNUInstallDirs)   # idempotent; the DATADIR/DOCDIR destinations below need it
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_get_variable(icmpgate_pc_unit_dir systemd systemdsystemunitdir)
  pkg_get_variable(icmpgate_pc_sysusers_dir systemd sysusersdir)
endif()
if(NOT icmpgate_pc_unit_dir)
  set(icmpgate_pc_unit_dir /lib/systemd/system)       # Debian 12's value
endif()
if(NOT icmpgate_pc_sysusers_dir)
  set(icmpgate_pc_sysusers_dir /usr/lib/sysusers.d)
endif()
set(ICMPGATE_SYSTEMD_UNIT_DIR ${icmpgate_pc_unit_dir} CACHE PATH "Where systemd system units are installed")
set(ICMPGATE_SYSUSERS_DIR ${icmpgate_pc_sysusers_dir} CACHE PATH "Where sysusers.d entries are installed")

# Conffiles go to /etc whatever the prefix: the units name /etc/icmpgate, and
# CMAKE_INSTALL_FULL_SYSCONFDIR is fixed at configure time (/usr/local/etc under the default
# prefix, even when `cmake --install --prefix /usr` is used later).
set(ICMPGATE_SYSCONFDIR /etc CACHE PATH "Where configuration files (conffiles) are installed")

set(icmpgate_deploy_dir ${CMAKE_CURRENT_LIST_DIR})

install(FILES ${icmpgate_deploy_dir}/systemd/icmpgate.service ${icmpgate_deploy_dir}/systemd/icmpgate-rules.service
        DESTINATION ${ICMPGATE_SYSTEMD_UNIT_DIR})
install(FILES ${icmpgate_deploy_dir}/systemd/icmpgate.sysusers
        DESTINATION ${ICMPGATE_SYSUSERS_DIR} RENAME icmpgate.conf)
install(FILES ${icmpgate_deploy_dir}/logrotate/icmpgate
        DESTINATION ${ICMPGATE_SYSCONFDIR}/logrotate.d)
# Executable, like Debian's /etc/nftables.conf: its "#!/usr/sbin/nft -f" line makes it a script.
install(PROGRAMS ${icmpgate_deploy_dir}/nftables/icmpgate.nft
        DESTINATION ${ICMPGATE_SYSCONFDIR}/icmpgate)
install(PROGRAMS ${icmpgate_deploy_dir}/nftables/icmpgate.nft
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icmpgate)
install(PROGRAMS ${icmpgate_deploy_dir}/iptables/icmpgate-rules.sh
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icmpgate)
install(FILES ${icmpgate_deploy_dir}/../docs/deployment.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
