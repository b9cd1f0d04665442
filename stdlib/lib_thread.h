/* lib_thread: the task thread behind thread.run.recurrent (see
 * lib_thread.c). The streaming run (lib_clock.c) starts it after the clocks
 * and stops it, heap lock released, after joining them. */
#ifndef LIQ_LIB_THREAD_H
#define LIQ_LIB_THREAD_H

#include <stdbool.h>

/* Whether settings.init.force_start asks to run without any output. */
bool liq_lib_tasks_force_start(void);
/* Heap lock held or not; the thread takes it for each task. */
void liq_lib_tasks_start(void);
/* Heap lock NOT held (the thread may be waiting for it). */
void liq_lib_tasks_stop(void);
/* At exit, heap lock held, after liq_lib_tasks_stop: frees the tasks. */
void liq_lib_thread_shutdown(void);

#endif
