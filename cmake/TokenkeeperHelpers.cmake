# tokenkeeper_add_test(NAME tst_foo SOURCES ... LIBS ... [TIMEOUT seconds] [LABELS ...])
#
# One QtTest executable per class, registered with CTest. Every test gets a
# TIMEOUT (a hung keychain or socket must fail the run, not stall it) and runs
# with QStandardPaths test mode's friend: its own XDG directories under the
# build tree, so no test touches a real profile.
function(tokenkeeper_add_test)
    cmake_parse_arguments(ARG "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 60)
    endif()
    add_executable(${ARG_NAME} ${ARG_SOURCES})
    target_link_libraries(${ARG_NAME} PRIVATE Qt6::Test ${ARG_LIBS})
    if(TOKENKEEPER_SANITIZE)
        # A test that measures speed or resident memory skips that check:
        # ASan makes commands start 5x slower and keeps freed memory.
        target_compile_definitions(${ARG_NAME} PRIVATE TOKENKEEPER_SANITIZED)
    endif()
    add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME})
    set_tests_properties(${ARG_NAME} PROPERTIES
        TIMEOUT ${ARG_TIMEOUT}
        LABELS "${ARG_LABELS}"
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;TOKENKEEPER_CLI=$<TARGET_FILE:tokenkeeper>;TOKENKEEPER_DEMO_SERVER=$<TARGET_FILE:tokenkeeper-demo-server>;TOKENKEEPER_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
