/* sink: the calls every sink answers; see sink.h for the contract. */
#include "config.h"
#include "runtime/sink.h"

#include "runtime/mem.h"

void liq_sink_open(liq_sink *k) { k->cls->open(k); }
void liq_sink_write(liq_sink *k, liq_frame *f) { k->cls->write(k, f); }
void liq_sink_close(liq_sink *k) { k->cls->close(k); }

void liq_sink_free(liq_sink *k)
{
  if (!k) return;
  k->cls->close(k);
  k->cls->uninit(k);
  liq_mem_free(k);
}
