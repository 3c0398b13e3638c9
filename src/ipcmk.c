/* The ipcmk applet (see applet.h). */
#include "applet.h"
#include "infra.h"

int
ipcmk_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	die(EXIT_FAIL, "ipcmk: not built yet");
}
