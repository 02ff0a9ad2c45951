# The build's own hardening (issue 11): every binary holds secrets, so every
# binary gets what Debian's hardening=+all gives a package, whether or not the
# compiler enables it by default (Ubuntu's gcc does some, Debian's gcc less).
#
#   _FORTIFY_SOURCE=3 (2 where the compiler or glibc lacks
#                      __builtin_dynamic_object_size); only when optimizing,
#                      and not under the sanitizers, which replace it
#   -fstack-protector-strong, -fstack-clash-protection, -fcf-protection (x86)
#   PIE executables, full RELRO (-z relro -z now), no executable stack
#
# tests/hardening.sh checks the built binaries for what this promises.
option(TOKENKEEPER_HARDEN "Build with the hardening flags" ON)
if(NOT TOKENKEEPER_HARDEN)
    return()
endif()

include(CheckCXXSourceCompiles)
check_cxx_source_compiles([[
#include <features.h>
#if !defined(__has_builtin)
#error no __has_builtin
#elif !__has_builtin(__builtin_dynamic_object_size)
#error no __builtin_dynamic_object_size
#elif !__GLIBC_PREREQ(2, 34)
#error glibc before 2.34
#endif
int main() { return 0; }
]] TOKENKEEPER_HAVE_FORTIFY3)
if(TOKENKEEPER_HAVE_FORTIFY3)
    set(TOKENKEEPER_FORTIFY_LEVEL 3)
else()
    set(TOKENKEEPER_FORTIFY_LEVEL 2)
endif()

if(NOT TOKENKEEPER_SANITIZE)
    # -U first: a compiler that already defines it (Ubuntu's gcc) would
    # otherwise warn about the redefinition, and warnings are errors.
    add_compile_options(
        "$<$<NOT:$<CONFIG:Debug>>:-U_FORTIFY_SOURCE>"
        "$<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=${TOKENKEEPER_FORTIFY_LEVEL}>")
endif()
add_compile_options(-fstack-protector-strong -fstack-clash-protection)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64|i.86")
    add_compile_options(-fcf-protection)
endif()
# Qt asks for -fPIC (its INTERFACE_POSITION_INDEPENDENT_CODE), which a PIE
# links fine; -pie is said here for compilers whose default is not PIE.
add_link_options(
    -Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack
    "$<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:-pie>")
