# Debian packages with CPack: `make package` (or `cpack` in the build tree) writes
# <build>/packages/*.deb. Three components, one package each; docs/adr/0011-packages-and-abi.md
# explains the split and the ABI policy. The version comes from project() and nowhere else.
set(ESIMGO_DEB_RELEASE 1)
set(ESIMGO_DEB_LIB_PACKAGE "libesimgo${ESIMGO_SOVERSION}")  # Debian names a library by its SONAME
set(ESIMGO_DEB_VERSION "${PROJECT_VERSION}-${ESIMGO_DEB_RELEASE}")
set(ESIMGO_MAINTAINER "esimgo maintainers <maintainers@users.noreply.r-seed-a7b9b3a4.example>")

set(_deb_packages dev cli)
set(_deb_package_dev libesimgo-dev)
set(_deb_package_cli esimgo)
if(TARGET esimgo_shared)
  list(PREPEND _deb_packages lib)
  set(_deb_package_lib ${ESIMGO_DEB_LIB_PACKAGE})
endif()

# Every package carries /usr/share/doc/<package>/{copyright,changelog.Debian.gz} (Debian
# policy 12.5, 12.7). gzip -n: no name or time stamp, so the package is reproducible.
set(_pkg_dir ${PROJECT_BINARY_DIR}/packaging)
file(MAKE_DIRECTORY ${_pkg_dir}/lintian)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${PROJECT_SOURCE_DIR}/packaging/lintian-overrides.in)
find_program(ESIMGO_GZIP gzip)
function(_esimgo_gzip in out)
  execute_process(COMMAND ${ESIMGO_GZIP} -9nc ${in} OUTPUT_FILE ${out} RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "gzip ${in} failed")
  endif()
endfunction()
configure_file(packaging/changelog.in ${_pkg_dir}/changelog.Debian @ONLY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${PROJECT_SOURCE_DIR}/packaging/esimgo.1 ${PROJECT_SOURCE_DIR}/packaging/esimgo-sandbox.1)
if(ESIMGO_GZIP)
  _esimgo_gzip(${_pkg_dir}/changelog.Debian ${_pkg_dir}/changelog.Debian.gz)
  foreach(_page esimgo.1 esimgo-sandbox.1)
    configure_file(packaging/${_page} ${_pkg_dir}/${_page} @ONLY)
    _esimgo_gzip(${_pkg_dir}/${_page} ${_pkg_dir}/${_page}.gz)
  endforeach()
  foreach(_c IN LISTS _deb_packages)
    install(FILES packaging/copyright ${_pkg_dir}/changelog.Debian.gz
            DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${_deb_package_${_c}} COMPONENT ${_c})
  endforeach()
  if(TARGET esimgo AND TARGET esimgo-sandbox)
    install(FILES ${_pkg_dir}/esimgo.1.gz ${_pkg_dir}/esimgo-sandbox.1.gz
            DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT cli)
  endif()
endif()
# Lintian overrides, each with its reason (packaging/lintian-overrides.in).
file(STRINGS packaging/lintian-overrides.in _overrides REGEX "^[^#]")
foreach(_c IN LISTS _deb_packages)
  set(_text "")
  foreach(_tag IN LISTS _overrides)
    string(APPEND _text "${_deb_package_${_c}}: ${_tag}\n")
  endforeach()
  file(WRITE ${_pkg_dir}/lintian/${_deb_package_${_c}} "${_text}")
  install(FILES ${_pkg_dir}/lintian/${_deb_package_${_c}}
          DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides COMPONENT ${_c})
endforeach()
# The runtime library asks dpkg for the ldconfig trigger (lintian: lacks-ldconfig-trigger).
file(WRITE ${_pkg_dir}/triggers "activate-noawait ldconfig\n")
set(CPACK_DEBIAN_LIB_PACKAGE_CONTROL_EXTRA ${_pkg_dir}/triggers)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME esimgo)
set(CPACK_PACKAGE_VENDOR "esimgo")
set(CPACK_PACKAGE_CONTACT "${ESIMGO_MAINTAINER}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL ${_deb_packages})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${ESIMGO_DEB_RELEASE})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${ESIMGO_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SOURCE esimgo)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# The SDK loads libcurl.so.4 with dlopen at first use (fast CLI start), which dpkg-shlibdeps
# cannot see: libcurl4 is named here.
set(_curl_depends "libcurl4 (>= 7.88)")

set(CPACK_DEBIAN_LIB_PACKAGE_NAME ${ESIMGO_DEB_LIB_PACKAGE})
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_LIB_PACKAGE_DEPENDS "${_curl_depends}")
# Descriptions: synopsis, then paragraphs separated by an empty line; CPack indents them and
# writes the " ." separators (it re-formats anything that is already indented, wrongly).
set(CPACK_DEBIAN_LIB_DESCRIPTION
"C++ SDK for the eSIM Go reseller API - shared library
libesimgo is a C++20 client of the eSIM Go reseller API (v2.4 and v2.5):
catalogue, orders, eSIMs, bundles, inventory, organisation and usage
callbacks, with retries of safe reads and order reconciliation.

This package contains the shared library. Only the public API is exported.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libesimgo-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# What the installed CMake config and esimgo.pc find again: the public headers' tl::expected,
# the static libraries' private dependencies, and the test kit's.
set(_dev_depends "libexpected-dev, libssl-dev, libsimdjson-dev, pkg-config")
if(TARGET esimgo_sandbox)
  string(APPEND _dev_depends ", libsqlite3-dev, libcpp-httplib-dev, libqrencode-dev, libpng-dev, libzip-dev")
endif()
if(TARGET esimgo_shared)
  set(_dev_depends "${ESIMGO_DEB_LIB_PACKAGE} (= ${ESIMGO_DEB_VERSION}), ${_dev_depends}")
endif()
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${_dev_depends}")
set(CPACK_DEBIAN_DEV_DESCRIPTION
"C++ SDK for the eSIM Go reseller API - development files
libesimgo is a C++20 client of the eSIM Go reseller API (v2.4 and v2.5).

This package contains the headers, the static libraries, the CMake package
(find_package(esimgo): esimgo::sdk, esimgo::sdk_static), the pkg-config file
(esimgo.pc), the examples, and the test kit esimgo::sandbox: an in-process
emulator of the API for users' own tests (port 0, faults, clock, usage).")

set(CPACK_DEBIAN_CLI_PACKAGE_NAME esimgo)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION net)
# The callback store's PostgreSQL client is on the way to the same lazy loading (ADR 0008):
# named here so that the package stays right when dpkg-shlibdeps stops seeing it.
set(CPACK_DEBIAN_CLI_PACKAGE_DEPENDS "${_curl_depends}, libpq5")
set(CPACK_DEBIAN_CLI_DESCRIPTION
"eSIM Go reseller API from the shell, with an embedded emulator
esimgo runs every operation of the eSIM Go reseller API (v2.4 and v2.5) from
the command line: catalogue, orders, eSIMs, bundles, inventory, organisation,
and a receiver for usage callbacks. Without an API key every command runs
against an embedded sandbox.

esimgo-sandbox serves the same stateful emulator over HTTP.")

include(CPack)
