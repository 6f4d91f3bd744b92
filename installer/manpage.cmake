# Writes a program's man page: runs PROGRAM --man and gzips its output to OUTPUT.
# A script because add_custom_command has no portable way to redirect standard output.
execute_process(
  COMMAND "${PROGRAM}" --man
  COMMAND gzip -9 -n
  OUTPUT_FILE "${OUTPUT}"
  RESULTS_VARIABLE results)
if(NOT results STREQUAL "0;0")
  file(REMOVE "${OUTPUT}")
  message(FATAL_ERROR "${PROGRAM} --man | gzip failed: ${results}")
endif()
