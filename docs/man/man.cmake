# Man pages icmpgate(8) and icmpgate-policy(5), generated at build time from the Markdown
# sources next to this file with pandoc, compressed (gzip -9n, as Debian policy 12.3 wants)
# and installed to share/man/man8 and man5. Without pandoc the configuration fails and says
# how to go on: pages that silently vanish from a package are worse than a clear error.
# -DICMPGATE_MAN=OFF builds without them.
option(ICMPGATE_MAN "Generate and install the man pages (needs pandoc)" ON)
if(NOT ICMPGATE_MAN)
  message(STATUS "icmpgate: man pages off (ICMPGATE_MAN=OFF)")
  return()
endif()
find_program(ICMPGATE_PANDOC pandoc)
if(NOT ICMPGATE_PANDOC)
  message(FATAL_ERROR "icmpgate: pandoc not found: the man pages are generated with it. "
                      "Install it (apt install pandoc, or .ci/install-deps.sh) or configure with -DICMPGATE_MAN=OFF.")
endif()

set(icmpgate_man_pages icmpgate.8 icmpgate-policy.5)
set(icmpgate_man_outputs)
foreach(page ${icmpgate_man_pages})
  string(REGEX REPLACE ".*\\.([0-9])$" "\\1" section ${page})
  set(source ${CMAKE_CURRENT_LIST_DIR}/${page}.md)
  set(versioned ${PROJECT_BINARY_DIR}/man/${page}.md)
  set(roff ${PROJECT_BINARY_DIR}/man/${page})
  configure_file(${source} ${versioned} @ONLY)  # the version in the footer
  add_custom_command(OUTPUT ${roff} ${roff}.gz
                     COMMAND ${ICMPGATE_PANDOC} --standalone --from markdown --to man ${versioned} --output ${roff}
                     COMMAND gzip -9n -c ${roff} > ${roff}.gz
                     DEPENDS ${versioned} VERBATIM
                     COMMENT "Generating man page ${page}")
  list(APPEND icmpgate_man_outputs ${roff} ${roff}.gz)
  install(FILES ${roff}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()
add_custom_target(icmpgate_man ALL DEPENDS ${icmpgate_man_outputs})
