/* main.c — ekm's entry point: pick a mode from argv and hand over. */
#include "app.h"

int main(int argc, char **argv) { return app_main(argc, argv); }
