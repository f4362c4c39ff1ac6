# generate_doc.cmake — run at build time: cmake -DEKM=ekm -DARGS="--help-man" -DOUT=file -P
# Writes what `ekm ARGS` prints to OUT (through a temporary file, so that a failed
# run leaves no half-written page behind).
separate_arguments(args UNIX_COMMAND "${ARGS}")
execute_process(COMMAND "${EKM}" ${args} OUTPUT_FILE "${OUT}.tmp" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE "${OUT}.tmp")
  message(FATAL_ERROR "${EKM} ${ARGS} failed: ${rc}")
endif()
file(RENAME "${OUT}.tmp" "${OUT}")
