# SPDX-License-Identifier: BSD-2-Clause
# What `cmake --install` puts under the prefix, and how `cpack -G DEB`
# splits it into Debian packages (README: "Installing").  Included at the end
# of the top CMakeLists.txt.
#
# Components, one Debian package each (Debian policy 8.1, 8.4: the shared
# library alone in a package named after its SONAME, so that programs built
# against it do not need the development files):
#   program  ctlconv         the program (linked with libctlconv.a: one file,
#                            no library of ours to find at run time), its man
#                            page and bash completion
#   runtime  libctlconv0     libctlconv.so.0
#   dev      libctlconv-dev  the header, libctlconv.so, libctlconv.a,
#                            ctlconv.pc and the CMake package config
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# One version: project() says it, the header repeats it (CTL_VERSION).
file(STRINGS ${PROJECT_SOURCE_DIR}/include/ctlconv.h ctl_header_version
  REGEX "^#define CTL_VERSION ")
if(NOT ctl_header_version MATCHES "\"${PROJECT_VERSION}\"")
  message(FATAL_ERROR "include/ctlconv.h has '${ctl_header_version}', project() says "
    "${PROJECT_VERSION}: make them one")
endif()

set(ctl_cmakedir ${CMAKE_INSTALL_LIBDIR}/cmake/ctlconv)

install(TARGETS ctlconv RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT program)
set_target_properties(ctlconv_shared PROPERTIES EXPORT_NAME ctlconv)
install(TARGETS ctlconv_shared EXPORT ctlconvTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS ctlconv_lib ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(FILES ${PROJECT_SOURCE_DIR}/include/ctlconv.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev)

# find_package(ctlconv): the imported target ctlconv::ctlconv (the shared
# library; its own dependencies stay private to it).
install(EXPORT ctlconvTargets NAMESPACE ctlconv:: DESTINATION ${ctl_cmakedir} COMPONENT dev)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/ctlconvConfig.cmake.in
  ${PROJECT_BINARY_DIR}/ctlconvConfig.cmake INSTALL_DESTINATION ${ctl_cmakedir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/ctlconvConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/ctlconvConfig.cmake ${PROJECT_BINARY_DIR}/ctlconvConfigVersion.cmake
  DESTINATION ${ctl_cmakedir} COMPONENT dev)

# pkg-config: written at install time, so that the prefix is the one
# installed to (cmake --install --prefix, or /usr for cpack).  Linking
# libctlconv.a takes Requires.private and Libs.private (pkg-config --static).
set(ctl_pc_requires "libutf8proc uchardet jansson xlsxwriter minizip libxml-2.0 uuid yaml-0.1")
set(ctl_pc_libs_private "-lcsv -lm")
foreach(d LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${d}}")
    set(ctl_pc_${d} "${CMAKE_INSTALL_${d}}")
  else()
    set(ctl_pc_${d} "\${prefix}/${CMAKE_INSTALL_${d}}")
  endif()
endforeach()
set(ctl_prefix "@ctl_prefix@")   # filled in at install time
configure_file(${PROJECT_SOURCE_DIR}/cmake/ctlconv.pc.in ${PROJECT_BINARY_DIR}/ctlconv.pc.in @ONLY)
install(CODE "set(ctl_prefix \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${PROJECT_BINARY_DIR}/ctlconv.pc.in\" \"${PROJECT_BINARY_DIR}/ctlconv.pc\" @ONLY)"
  COMPONENT dev)
install(FILES ${PROJECT_BINARY_DIR}/ctlconv.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)

# The man page, written by hand (converters/cli/ctlconv.1), compressed as
# Debian installs man pages; and the bash completion.
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/ctlconv.1.gz
  COMMAND sh -c "gzip -9n -c \"$1\" > \"$2\"" sh
    ${PROJECT_SOURCE_DIR}/converters/cli/ctlconv.1 ${PROJECT_BINARY_DIR}/ctlconv.1.gz
  DEPENDS ${PROJECT_SOURCE_DIR}/converters/cli/ctlconv.1 VERBATIM)
add_custom_target(ctlconv_man ALL DEPENDS ${PROJECT_BINARY_DIR}/ctlconv.1.gz)
install(FILES ${PROJECT_BINARY_DIR}/ctlconv.1.gz
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT program)
install(FILES ${PROJECT_SOURCE_DIR}/converters/cli/completion.bash
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME ctlconv
  COMPONENT program)

# The license, where Debian wants it: /usr/share/doc/PACKAGE/copyright.
set(pkg_program ctlconv)
set(pkg_runtime libctlconv${PROJECT_VERSION_MAJOR})
set(pkg_dev libctlconv-dev)
foreach(c program runtime dev)
  install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${pkg_${c}}
    RENAME copyright COMPONENT ${c})
endforeach()

# cpack -G DEB: the three packages.  Their dependencies are the Debian 12
# packages of the libraries we link (dpkg -S on each .so; tests/install.sh
# checks that every library the program and libctlconv.so need is named).
set(ctl_deb_libs "libc6, libxlsxwriter4, libxml2, libcsv3, libjansson4, libminizip1, zlib1g, libutf8proc2, libuchardet0, libuuid1, libyaml-0-2")
set(CPACK_PACKAGE_NAME ctlconv)
set(CPACK_PACKAGE_VENDOR "the ctlconv authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)             # as dh_strip does
set(CPACK_COMPONENTS_ALL program runtime dev)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CTL_DEB_MAINTAINER "the ctlconv authors" CACHE STRING "Maintainer field of the Debian packages")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CTL_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# libctlconv0: a shlibs file and the ldconfig trigger
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY "=")

set(CPACK_DEBIAN_PROGRAM_PACKAGE_NAME ctlconv)
set(CPACK_DEBIAN_PROGRAM_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PROGRAM_PACKAGE_DEPENDS "${ctl_deb_libs}")
set(CPACK_DEBIAN_PROGRAM_DESCRIPTION "convert security control lists between formats
ctlconv reads security control lists (the MIC cloud guideline's ANNEX2,
ISMAP, ISO/IEC 27001, NIST SP 800-53, CIS Controls and lists numbered in
any scheme) from PDF-extracted text, CSV/TSV, XLSX, XML, JSON, JSON Lines
and Markdown, into one model, and writes them in any of these formats.")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ${pkg_runtime})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "${ctl_deb_libs}")
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "library converting security control lists (shared library)
libctlconv reads security control lists from the formats they travel in
into one model and writes them in any of them: the library of ctlconv.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libctlconv-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# the -dev packages of Requires.private (pkg-config reads them for --cflags
# too) and libcsv's, for static linking
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${pkg_runtime} (= ${PROJECT_VERSION}), libutf8proc-dev, libuchardet-dev, libjansson-dev, libxlsxwriter-dev, libminizip-dev, libxml2-dev, uuid-dev, libyaml-dev, libcsv-dev")
set(CPACK_DEBIAN_DEV_DESCRIPTION "library converting security control lists (development files)
The header, the static library, the pkg-config file (ctlconv) and the CMake
package config (find_package(ctlconv), target ctlconv::ctlconv) of
libctlconv.")
include(CPack)
