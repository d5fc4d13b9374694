-- wrk script for bench/http: POSTs one image (path in $IMGPIPE_BODY) and prints one JSON line
-- with requests per second, p50/p95/p99 latency and the non-2xx count.
local f = assert(io.open(os.getenv("IMGPIPE_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "image/jpeg"

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"requests":%d,"rps":%.1f,"p50_ms":%.1f,"p95_ms":%.1f,"p99_ms":%.1f,"errors":%d}\n',
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, bad))
end
