/* app.h — the program's entry point: pick a mode from argv and hand over. */
#ifndef EKM_APP_H
#define EKM_APP_H

int app_main(int argc, char **argv);

#endif
