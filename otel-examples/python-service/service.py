"""
The pricing service: a Python HTTP service (stdlib http.server) that logs
through the Python OpenTelemetry SDK's standard `logging` bridge
(LoggingHandler -> LoggerProvider -> BatchLogRecordProcessor -> OTLPLogExporter,
OTLP/HTTP protobuf) straight to distlogd's OTLP/HTTP receiver. It has no distlog
package: only the OpenTelemetry SDK.

Each request continues the caller's trace: the W3C trace context is extracted
from the request headers (opentelemetry.propagate) and attached for the length
of the request, so every record carries the caller's trace id (= distlog task
id) and the parent-id of the call as its span id.

DistlogPathFilter (optional, on by default) also copies the `distlog` member of
the incoming `tracestate` (the subtask slot the caller allotted to this call,
e.g. `1/2`) into the `distlog.path` attribute. With it, distlogd's tree places
the records exactly at that slot, under the scope that made the call. Without
it the records still join the caller's task (same trace id), as a node of their
own span id: the caller mints a fresh parent-id per call and no distlog record
names it, so the tree cannot tell which scope made the call.

    DISTLOG_OTLP_URL   distlogd's OTLP/HTTP receiver (default http://127.0.0.1:4318)
    DISTLOG_SYSTEM     T, S or P, sent as the x-distlog-system header (default T)
    DISTLOG_PATH_FILTER  0 to leave the filter out (default 1)
    PORT               port to listen on (default 0: any free port; the URL is printed)
"""
import logging
import os
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from opentelemetry import context, propagate, trace
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
from opentelemetry.sdk.resources import Resource

OTLP_URL = os.environ.get("DISTLOG_OTLP_URL", "http://127.0.0.1:4318").rstrip("/")

provider = LoggerProvider(resource=Resource.create({"service.name": "pricing", "service.version": "1.0.0"}))
provider.add_log_record_processor(
    BatchLogRecordProcessor(
        OTLPLogExporter(endpoint=f"{OTLP_URL}/v1/logs", headers={"x-distlog-system": os.environ.get("DISTLOG_SYSTEM", "T")}),
        schedule_delay_millis=200,
    )
)


class DistlogPathFilter(logging.Filter):
    """Adds `distlog.path` (the caller's subtask slot, from tracestate) to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = trace.get_current_span().get_span_context()
        path = ctx.trace_state.get("distlog") if ctx.is_valid else None
        if path:
            setattr(record, "distlog.path", path)
        return True


handler = LoggingHandler(level=logging.INFO, logger_provider=provider)
if os.environ.get("DISTLOG_PATH_FILTER", "1") != "0":
    handler.addFilter(DistlogPathFilter())
logging.getLogger().addHandler(handler)
# INFO, not DEBUG: the exporter's own HTTP client (urllib3) logs its connections at DEBUG.
logging.getLogger().setLevel(logging.INFO)
log = logging.getLogger("pricing.http")

PRICES = {"42": 1250, "43": 899}


class PricingHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        # traceparent + tracestate of the caller: this request is a subtask of its task.
        token = context.attach(propagate.extract(self.headers))
        try:
            url = urlparse(self.path)
            sku = parse_qs(url.query).get("sku", [""])[0]
            log.info("price request for sku %s", sku, extra={"sku": sku})
            cents = PRICES.get(sku)
            if cents is None:
                log.warning("unknown sku %s", sku)
                self.reply(404, "unknown sku")
                return
            log.info("sku %s costs %d cents", sku, cents, extra={"price.cents": cents})
            self.reply(200, str(cents))
        finally:
            context.detach(token)

    def reply(self, status: int, text: str) -> None:
        body = text.encode()
        self.send_response(status)
        self.send_header("content-type", "text/plain")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # no access log on stderr


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT", "0"))), PricingHandler)
    # shutdown() waits for serve_forever to return: call it from another thread.
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()
    server.server_close()
    provider.shutdown()  # exports what the batch processor still holds


if __name__ == "__main__":
    main()
