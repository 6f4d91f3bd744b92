# Desktop integration and packages: what `cmake --install` and `cpack` (.deb and .tar.gz) put
# where a Linux desktop looks for them. Everything is named after the application id, which
# app/gui/main.cpp also gives Qt (setDesktopFileName), so that the window, its menu entry and
# the software centre's entry are recognised as one application.
include(GNUInstallDirs)

set(EVENTSCOPE_APP_ID io.github.eventscope.Eventscope)
set(EVENTSCOPE_LINUX_DIR ${CMAKE_CURRENT_LIST_DIR}/linux)
set(EVENTSCOPE_ICON ${PROJECT_SOURCE_DIR}/resources/icons/eventscope.svg)
set(EVENTSCOPE_ICON_SIZES 16 32 48 64 128 256)

install(TARGETS eventscope eventscope-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${EVENTSCOPE_LINUX_DIR}/${EVENTSCOPE_APP_ID}.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${EVENTSCOPE_LINUX_DIR}/${EVENTSCOPE_APP_ID}.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)

# Icons: the SVG the window uses (:/icons/app.svg), and PNGs rendered from it at build time
# for the menus and docks that want bitmaps.
qt_add_executable(eventscope-rendericon ${EVENTSCOPE_LINUX_DIR}/rendericon.cpp)
target_link_libraries(eventscope-rendericon PRIVATE Qt6::Gui Qt6::Svg)
set(icon_dir ${CMAKE_CURRENT_BINARY_DIR}/icons)
set(icon_pngs)
foreach(size IN LISTS EVENTSCOPE_ICON_SIZES)
  list(APPEND icon_pngs ${icon_dir}/${size}.png)
endforeach()
add_custom_command(
  OUTPUT ${icon_pngs}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${icon_dir}
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
          $<TARGET_FILE:eventscope-rendericon> ${EVENTSCOPE_ICON} ${icon_dir} ${EVENTSCOPE_ICON_SIZES}
  DEPENDS eventscope-rendericon ${EVENTSCOPE_ICON}
  COMMENT "Rendering the application icon to PNG"
  VERBATIM)
install(FILES ${EVENTSCOPE_ICON}
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps
        RENAME ${EVENTSCOPE_APP_ID}.svg)
foreach(size IN LISTS EVENTSCOPE_ICON_SIZES)
  install(FILES ${icon_dir}/${size}.png
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps
          RENAME ${EVENTSCOPE_APP_ID}.png)
endforeach()

# Man pages, written by the programs from the option descriptions their --help uses. The
# window needs a platform to start, even just to print: the offscreen one needs no display.
set(man_dir ${CMAKE_CURRENT_BINARY_DIR}/man)
set(man_pages)
foreach(program eventscope eventscope-cli)
  add_custom_command(
    OUTPUT ${man_dir}/${program}.1.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${man_dir}
    COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen ASAN_OPTIONS=detect_leaks=0
            ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${program}>
            -DOUTPUT=${man_dir}/${program}.1.gz -P ${CMAKE_CURRENT_LIST_DIR}/manpage.cmake
    DEPENDS ${program} ${CMAKE_CURRENT_LIST_DIR}/manpage.cmake
    COMMENT "Writing the man page of ${program}"
    VERBATIM)
  list(APPEND man_pages ${man_dir}/${program}.1.gz)
endforeach()
install(FILES ${man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

add_custom_target(desktop-integration ALL DEPENDS ${icon_pngs} ${man_pages})

# Packages. The .deb's dependencies come from the binaries' shared libraries
# (dpkg-shlibdeps), plus what Qt loads as plugins at run time, which no linker records.
set(CPACK_PACKAGE_NAME eventscope)
set(CPACK_PACKAGE_VENDOR "The Eventscope developers")
set(CPACK_PACKAGE_CONTACT "The Eventscope developers <eventscope@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "Eventscope opens an event store (an SQLite file, read-only), lists its streams and events, "
    "charts them over time and replays any aggregate's state at any point of its history. "
    "eventscope-cli answers the same questions from the shell, in JSON.")
set(CPACK_PACKAGE_HOMEPAGE_URL https://github.com/eventscope/eventscope)
set(CPACK_GENERATOR DEB TGZ)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# SQLite driver, the X11/Wayland platform plugins, and the SVG icon engine.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, qt6-qpa-plugins, libqt6svg6")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libqt6sql6-psql")
include(CPack)
